//! PHP functions rustenc exports, for deployment and maintenance scripts.

use std::time::Duration;

use ext_php_rs::prelude::*;

use super::{ini_long, ini_string, warn};
use crate::store::{SavePath, Store};

/// Adds the functions below to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.function(wrap_function!(rustenc_gc))
}

/// Removes expired rustenc sessions, as the session engine's gc does, without
/// a session and without the key: for cron jobs and systemd timers on systems
/// where PHP's gc lottery is off (Debian's `session.gc_probability = 0`).
///
/// Sessions not modified for `$maxlifetime` seconds (default:
/// `session.gc_maxlifetime`) are removed from `$save_path` (default:
/// `session.save_path`, same syntax), skipping sessions a request holds
/// locked; temporary files left by crashed writers are removed too.
///
/// Returns the number of sessions removed, or -1 with a warning when the
/// directory cannot be used (the warning says why and how to fix it).
///
/// ```sh
/// php -d extension=rustenc.so -r 'exit(rustenc_gc() >= 0 ? 0 : 1);'
/// ```
#[php_function]
pub fn rustenc_gc(save_path: Option<String>, maxlifetime: Option<i64>) -> i64 {
    let save_path = save_path.unwrap_or_else(|| ini_string(c"session.save_path"));
    let maxlifetime = maxlifetime.unwrap_or_else(|| ini_long(c"session.gc_maxlifetime"));
    let removed = SavePath::parse(&save_path)
        .and_then(|sp| Store::open(&sp))
        .and_then(|store| store.gc(Duration::from_secs(maxlifetime.max(0) as u64)));
    match removed {
        Ok(n) => n as i64,
        Err(e) => {
            warn(e);
            -1
        }
    }
}
