//! PHP functions rustenc exports, for deployment and maintenance scripts.

use ext_php_rs::{boxed::ZBox, prelude::*, types::ZendHashTable};

use super::{
    cookie_advice, guard, ini_long, ini_string, key_settings, keys, lifetime, log_gc_is_redis,
    open_store, redis_input, resolve_save_path, settings, warn, weak_settings, OpenStore,
};
use crate::{
    check::{Inputs, Report},
    import,
    store::dir::Store,
};

/// Adds the functions below to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(rustenc_gc))
        .function(wrap_function!(rustenc_check))
        .function(wrap_function!(rustenc_import_files))
}

/// Checks everything a deployment needs for rustenc sessions to work, and
/// returns the verdicts as an array (never throws, never warns):
///
/// - `ok`: true when sessions work here as configured (key, environment,
///   save path, directory and probe are ok), whatever the session settings;
/// - `status`: 0 when sessions work and the settings are as recommended,
///   1 when sessions do not work, 2 when they work but `settings.weak` is not
///   empty (an exit code for scripts: `exit($r['status'])`);
/// - `version`: rustenc's version;
/// - `key`: `ok`, `id` (key id, never the key), `previous_ids`,
///   `locked_in_memory`, `source` (where the keys in use were read, at
///   startup), `configured` (what the settings in effect name), `error`
///   (also when those two differ: a pool cannot choose its own key);
/// - `environment`: `ok`, `visible` (key variables this request can read),
///   `error`;
/// - `save_path`: `ok`, `value`, `dir`, `depth`, `mode`, `error`;
/// - `directory`: `ok`, `owner`, `mode`, `error` (ownership and permissions;
///   always ok for a Redis/Valkey save path);
/// - `store`: `kind` (`directory`, `redis (single server, TCP)`, `redis
///   cluster`, `redis sentinel`, ...), and for Redis/Valkey `server` (never a
///   password), `reachable`, `version` (`redis 7.0.15`), `lock_primitives`
///   (native `DELIFEQ`/`DELEX` or scripted), `password` (where it comes
///   from; in the save path is weak), `error`;
/// - `probe`: `ok`, `error` (create, lock, write, read back and delete a
///   probe session, as two requests would);
/// - `settings`: `ok`, `weak` (the handler in use, strict mode, cookies-only,
///   ids in URLs, id length where PHP does not deprecate it: what makes
///   `status` 2), `advice` (cookie flags worth setting).
///
/// ```sh
/// php -r '$r = rustenc_check(); print_r($r); exit($r["status"]);'
/// ```
#[php_function]
pub fn rustenc_check() -> PhpResult<ZBox<ZendHashTable>> {
    let (key_source, key_mismatch) = guard::key_source();
    let value = ini_string(c"session.save_path");
    let report = Report::new(Inputs {
        keys: keys(),
        key_source,
        key_mismatch,
        key_configured: guard::describe(&key_settings()),
        visible: guard::visible_key_variables(),
        resolved: resolve_save_path(&value),
        redis: redis_input(&value),
        save_path: value,
        save_handler: ini_string(c"session.save_handler"),
        weak: weak_settings(),
        advice: cookie_advice(),
        settings: settings(),
    });
    array(report)
}

/// The [`Report`] as the array `rustenc_check()` documents.
fn array(r: Report) -> PhpResult<ZBox<ZendHashTable>> {
    let mut key = ZendHashTable::new();
    key.insert("ok", r.key.ok)?;
    key.insert("id", r.key.id)?;
    key.insert("previous_ids", r.key.previous_ids)?;
    key.insert("locked_in_memory", r.key.locked_in_memory)?;
    key.insert("source", r.key.source)?;
    key.insert("configured", r.key.configured)?;
    key.insert("error", r.key.error)?;

    let mut environment = ZendHashTable::new();
    environment.insert("ok", r.environment.ok)?;
    environment.insert("visible", r.environment.visible)?;
    environment.insert("error", r.environment.error)?;

    let mut save_path = ZendHashTable::new();
    save_path.insert("ok", r.save_path.ok)?;
    save_path.insert("value", r.save_path.value)?;
    save_path.insert("dir", r.save_path.dir)?;
    save_path.insert("depth", r.save_path.depth)?;
    save_path.insert("mode", r.save_path.mode)?;
    save_path.insert("error", r.save_path.error)?;

    let mut directory = ZendHashTable::new();
    directory.insert("ok", r.directory.ok)?;
    directory.insert("owner", r.directory.owner)?;
    directory.insert("mode", r.directory.mode)?;
    directory.insert("error", r.directory.error)?;

    let mut store = ZendHashTable::new();
    store.insert("kind", r.store.kind)?;
    store.insert("server", r.store.server)?;
    store.insert("reachable", r.store.reachable)?;
    store.insert("version", r.store.version)?;
    store.insert("lock_primitives", r.store.lock_primitives)?;
    store.insert("password", r.store.password)?;
    store.insert("error", r.store.error)?;

    let mut probe = ZendHashTable::new();
    probe.insert("ok", r.probe.ok)?;
    probe.insert("error", r.probe.error)?;

    let mut session = ZendHashTable::new();
    session.insert("ok", r.settings.ok)?;
    session.insert("weak", r.settings.weak)?;
    session.insert("advice", r.settings.advice)?;

    let mut report = ZendHashTable::new();
    report.insert("ok", r.ok)?;
    report.insert("status", r.status)?;
    report.insert("version", r.version)?;
    report.insert("key", key)?;
    report.insert("environment", environment)?;
    report.insert("save_path", save_path)?;
    report.insert("directory", directory)?;
    report.insert("store", store)?;
    report.insert("probe", probe)?;
    report.insert("settings", session)?;
    Ok(report)
}

/// Imports the sessions of PHP's `files` handler into rustenc, so switching
/// `session.save_handler` logs nobody out. Each `sess_<id>` below `$from`
/// (a `files` save path, `"N;/path"` allowed) is sealed for its id and
/// written atomically into `$to` (default: `session.save_path`), with the
/// right owner and mode and its original timestamp. Sessions already in
/// `$to` are skipped, so it can run again after the switch. A session a
/// request is using is imported once that request ends (bounded by
/// `rustenc.lock_timeout_ms`). The source is left untouched unless
/// `$remove_imported` is true.
///
/// Only files owned by the user the sessions in `$to` belong to (this
/// process's user, or as root the directory's owner) are imported, and none
/// dated more than 5 minutes in the future: anyone can create files in a
/// shared `files` directory. Runs under the CLI only (unless
/// `rustenc.allow_maintenance_in_web = 1`); both directories must be within
/// `open_basedir`.
///
/// Returns `['ok' => bool, 'imported' => int, 'skipped' => int,
/// 'failed' => int, 'errors' => [string, ...]]`.
///
/// ```sh
/// php -r '$r = rustenc_import_files("/var/lib/php/sessions"); print_r($r); exit($r["ok"] ? 0 : 1);'
/// ```
#[php_function]
pub fn rustenc_import_files(
    from: String,
    to: Option<String>,
    remove_imported: Option<bool>,
) -> PhpResult<ZBox<ZendHashTable>> {
    let result = guard::maintenance_allowed("rustenc_import_files").and_then(|()| {
        let ring = keys()?;
        let from = guard::save_path_for(Some(from))?;
        let remove = remove_imported.unwrap_or(false);
        let target = match &to {
            Some(to) => to.clone(),
            None => resolve_save_path(&ini_string(c"session.save_path"))?,
        };
        let report = match open_store(&target, &ring)? {
            OpenStore::Redis(store) => {
                import::import_files(&from, &*store, &ring, settings(), remove)
            }
            OpenStore::Dir(_) => {
                let store = Store::open(&guard::save_path_for(to)?).map_err(|e| e.to_string())?;
                import::import_files(&from, &store, &ring, settings(), remove)
            }
        };
        report.map_err(|e| e.to_string())
    });
    let mut out = ZendHashTable::new();
    match result {
        Ok(report) => {
            out.insert("ok", report.failed.is_empty())?;
            out.insert("imported", report.imported as i64)?;
            out.insert("skipped", report.skipped as i64)?;
            out.insert("failed", report.failed.len() as i64)?;
            out.insert("errors", report.failed)?;
        }
        Err(why) => {
            warn(&why);
            out.insert("ok", false)?;
            out.insert("imported", 0)?;
            out.insert("skipped", 0)?;
            out.insert("failed", 0)?;
            out.insert("errors", vec![why])?;
        }
    }
    Ok(out)
}

/// Removes expired rustenc sessions, as the session engine's gc does, without
/// a session and without the key: for cron jobs and systemd timers on systems
/// where PHP's gc lottery is off (Debian's `session.gc_probability = 0`).
///
/// Sessions not modified for `$maxlifetime` seconds (default:
/// `session.gc_maxlifetime`) are removed from `$save_path` (default:
/// `session.save_path`, same syntax), skipping sessions a request holds
/// locked; temporary files left by crashed writers are removed too, and
/// sessions set aside as unreadable once they are `$maxlifetime` old.
///
/// Runs under the CLI only (unless `rustenc.allow_maintenance_in_web = 1`),
/// on a directory within `open_basedir`.
///
/// With a Redis/Valkey save path it does nothing and returns 0: the server
/// expires sessions itself (each write sets the TTL).
///
/// Returns the number of sessions removed, or -1 with a warning when the
/// directory cannot be used (the warning says why and how to fix it).
///
/// ```sh
/// php -d extension=rustenc.so -r 'exit(rustenc_gc() >= 0 ? 0 : 1);'
/// ```
#[php_function]
pub fn rustenc_gc(save_path: Option<String>, maxlifetime: Option<i64>) -> i64 {
    let maxlifetime = maxlifetime.unwrap_or_else(|| ini_long(c"session.gc_maxlifetime"));
    let value = save_path
        .clone()
        .unwrap_or_else(|| ini_string(c"session.save_path"));
    if redis_input(&value).is_some() {
        log_gc_is_redis();
        return 0;
    }
    let removed = guard::maintenance_allowed("rustenc_gc")
        .and_then(|()| guard::save_path_for(save_path))
        .and_then(|sp| {
            Store::open(&sp)
                .and_then(|store| store.gc(lifetime(maxlifetime)))
                .map_err(|e| e.to_string())
        });
    match removed {
        Ok(n) => n as i64,
        Err(e) => {
            warn(e);
            -1
        }
    }
}
