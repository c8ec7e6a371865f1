//! The deployment report `rustenc_check()` returns: is a key loaded, is
//! `session.save_path` valid, is the directory safe, does a probe session
//! survive two requests, are the session settings safe. Built here from what
//! the PHP seam reads (INI values, the environment, the keys loaded at
//! startup), so every verdict is testable without PHP; the seam only turns
//! the [`Report`] into an array (`php/functions.rs`, same keys and order).

use std::{fs, os::unix::fs::MetadataExt, sync::Arc};

use crate::{
    handler::{Handler, Settings},
    keys::KeyRing,
    os::user_name,
    store::{
        dir::{LayoutCounts, SavePath, Store},
        redis,
    },
};

/// What the seam knows that only PHP can tell.
pub struct Inputs {
    /// The keys loaded at startup, or why there are none.
    pub keys: Result<Arc<KeyRing>, String>,
    /// Where the keys in use were read, at startup.
    pub key_source: String,
    /// Why the settings in effect disagree with [`Inputs::key_source`].
    pub key_mismatch: Option<String>,
    /// The key source the settings in effect name.
    pub key_configured: String,
    /// Key variables this request can read (it should see none).
    pub visible: Vec<String>,
    /// `session.save_path` as set.
    pub save_path: String,
    /// It resolved (an empty value names the default directory), or why not.
    pub resolved: Result<String, String>,
    /// `session.save_handler`.
    pub save_handler: String,
    /// Weak session settings, each with its fix.
    pub weak: Vec<String>,
    /// Cookie settings worth changing.
    pub advice: Vec<String>,
    /// The handler's settings, for the probe.
    pub settings: Settings,
    /// The Redis/Valkey server `session.save_path` names (parsed by the
    /// seam, not connected yet), or why it cannot be; `None` for a directory.
    pub redis: Option<Result<Arc<redis::Shared>, String>>,
}

/// Which store sessions go to and, for Redis/Valkey, what the server says.
pub struct StoreReport {
    /// `directory`, or the kind of Redis setup (`redis (single server,
    /// TCP)`, `redis cluster`, `redis sentinel`, ...).
    pub kind: String,
    /// The server(s), never a password.
    pub server: Option<String>,
    pub reachable: Option<bool>,
    /// `redis 7.0.15`, `valkey 8.1.1`.
    pub version: Option<String>,
    /// Native (`DELIFEQ`, `DELEX`) or scripted compare-and-delete.
    pub lock_primitives: Option<String>,
    /// Where the password comes from (never the password).
    pub password: Option<String>,
    pub error: Option<String>,
}

impl StoreReport {
    /// Connects to the server and asks it its version.
    pub fn redis(shared: &redis::Shared) -> StoreReport {
        let report = shared.server_report();
        StoreReport {
            kind: shared.config().kind().to_string(),
            server: Some(shared.server().to_string()),
            reachable: Some(report.is_ok()),
            version: report.as_ref().ok().map(|(v, _)| v.clone()),
            lock_primitives: report.as_ref().ok().map(|(_, r)| r.describe().to_string()),
            password: Some(shared.password_source().to_string()),
            error: report.err().map(|e| e.to_string()),
        }
    }
}

/// The keys, as `php --ri` and `rustenc_check()` show them.
pub struct KeyReport {
    pub ok: bool,
    /// The current key's id (never the key).
    pub id: Option<String>,
    pub previous_ids: Vec<String>,
    pub locked_in_memory: bool,
    pub source: String,
    pub configured: String,
    pub error: Option<String>,
}

impl KeyReport {
    /// The report of `keys`, loaded from `source`; `mismatch` says why the
    /// settings in effect (`configured`) name another source.
    pub fn new(
        keys: &Result<Arc<KeyRing>, String>,
        source: String,
        mismatch: Option<String>,
        configured: String,
    ) -> KeyReport {
        let ring = keys.as_ref().ok();
        KeyReport {
            ok: ring.is_some() && mismatch.is_none(),
            id: ring.map(|r| r.current().id().to_string()),
            previous_ids: ring
                .map(|r| r.previous().iter().map(|k| k.id().to_string()).collect())
                .unwrap_or_default(),
            locked_in_memory: ring.is_some_and(|r| r.is_locked()),
            source,
            configured,
            error: keys.as_ref().err().or(mismatch.as_ref()).cloned(),
        }
    }
}

/// Key variables a request can read.
pub struct EnvironmentReport {
    pub ok: bool,
    pub visible: Vec<String>,
    pub error: Option<String>,
}

/// `session.save_path`, parsed.
pub struct SavePathReport {
    pub ok: bool,
    pub value: String,
    pub dir: Option<String>,
    pub depth: Option<i64>,
    /// Octal, as `0600`.
    pub mode: Option<String>,
    pub error: Option<String>,
}

/// The session directory's ownership and permissions.
pub struct DirectoryReport {
    pub ok: bool,
    pub owner: Option<String>,
    /// Octal, as `0700`.
    pub mode: Option<String>,
    pub error: Option<String>,
}

/// The session files in the directory, by layout (docs/FORMAT.md): those an
/// older rustenc wrote open as they are and are converted by their next
/// write; the count says how many are left. Not a verdict: `ok` only says
/// whether they could be counted.
pub struct FilesReport {
    pub ok: bool,
    /// Session files (not temporary, not set aside).
    pub sessions: u64,
    /// In the layout this version writes.
    pub slot_files: u64,
    /// Written by rustenc 0.1 or 0.2 (one whole envelope): `whole_v2 + v1`.
    pub old_layout: u64,
    /// Version 1 envelopes (rustenc 0.1).
    pub v1: u64,
    pub error: Option<String>,
}

impl FilesReport {
    fn new(counted: Result<LayoutCounts, String>) -> FilesReport {
        let c = counted.as_ref().copied().unwrap_or_default();
        FilesReport {
            ok: counted.is_ok(),
            sessions: c.slot_files + c.old_layout() + c.other,
            slot_files: c.slot_files,
            old_layout: c.old_layout(),
            v1: c.v1,
            error: counted.err(),
        }
    }
}

/// A verdict with its reason.
pub struct Verdict {
    pub ok: bool,
    pub error: Option<String>,
}

/// The session settings.
pub struct SettingsReport {
    pub ok: bool,
    pub weak: Vec<String>,
    pub advice: Vec<String>,
}

/// Everything `rustenc_check()` returns.
pub struct Report {
    /// Sessions work here as configured, whatever the settings.
    pub ok: bool,
    /// 0: work, settings as recommended; 1: do not work; 2: work, settings weak.
    pub status: i64,
    pub version: &'static str,
    pub key: KeyReport,
    pub environment: EnvironmentReport,
    pub save_path: SavePathReport,
    pub directory: DirectoryReport,
    pub store: StoreReport,
    pub probe: Verdict,
    pub settings: SettingsReport,
    pub files: FilesReport,
}

impl Report {
    /// Checks the directory and runs the probe; the rest is `inputs` judged.
    pub fn new(inputs: Inputs) -> Report {
        let key = KeyReport::new(
            &inputs.keys,
            inputs.key_source,
            inputs.key_mismatch,
            inputs.key_configured,
        );
        let environment = environment(inputs.visible);

        let (save_path, directory, store, probed, files) = match inputs.redis {
            None => directory_store(
                inputs.save_path,
                &inputs.resolved,
                &inputs.keys,
                inputs.settings,
            ),
            Some(redis) => redis_store(inputs.save_path, redis, &inputs.keys, inputs.settings),
        };
        let probe = Verdict {
            ok: probed.is_ok(),
            error: probed.err(),
        };
        let mut weak = inputs.weak;
        if store.password.as_deref() == Some(redis::PASSWORD_IN_SAVE_PATH) {
            weak.push(
                "the Redis/Valkey password is in session.save_path, which phpinfo() and php -i \
                 show to any script (set RUSTENC_REDIS_PASSWORD in the environment PHP starts \
                 with, or rustenc.redis_password_file, and remove it from session.save_path)"
                    .to_string(),
            );
        }
        if inputs.save_handler != "rustenc" {
            weak.insert(
                0,
                format!(
                    "session.save_handler={} (rustenc is not in use; set \
                     session.save_handler=rustenc)",
                    inputs.save_handler
                ),
            );
        }
        let settings = SettingsReport {
            ok: weak.is_empty(),
            weak,
            advice: inputs.advice,
        };

        let works = key.ok && environment.ok && directory.ok && store.error.is_none() && probe.ok;
        Report {
            ok: works,
            status: match (works, settings.ok) {
                (false, _) => 1,
                (true, false) => 2,
                (true, true) => 0,
            },
            version: env!("CARGO_PKG_VERSION"),
            key,
            environment,
            save_path,
            directory,
            store,
            probe,
            settings,
            files,
        }
    }
}

/// What each kind of store contributes to the report: the save path,
/// directory and store reports, the probe's outcome and the file counts.
type StoreParts = (
    SavePathReport,
    DirectoryReport,
    StoreReport,
    Result<(), String>,
    FilesReport,
);

/// The save path, directory, store reports and probe of a directory store.
fn directory_store(
    value: String,
    resolved: &Result<String, String>,
    keys: &Result<Arc<KeyRing>, String>,
    settings: Settings,
) -> StoreParts {
    let parsed = resolved
        .as_deref()
        .map_err(Clone::clone)
        .and_then(|v| SavePath::parse(v).map_err(|e| e.to_string()));
    let save_path = SavePathReport {
        ok: parsed.is_ok(),
        value,
        dir: parsed.as_ref().ok().map(|p| p.dir.display().to_string()),
        depth: parsed.as_ref().ok().map(|p| p.depth as i64),
        mode: parsed.as_ref().ok().map(|p| format!("{:04o}", p.mode)),
        error: parsed.as_ref().err().cloned(),
    };
    let opened = parsed
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|p| Store::open(p).map(Arc::new).map_err(|e| e.to_string()));
    let meta = parsed.as_ref().ok().and_then(|p| fs::metadata(&p.dir).ok());
    let directory = DirectoryReport {
        ok: opened.is_ok(),
        owner: meta.as_ref().map(|m| user_name(m.uid())),
        mode: meta.as_ref().map(|m| format!("{:04o}", m.mode() & 0o7777)),
        error: opened.as_ref().err().cloned(),
    };
    let store = StoreReport {
        kind: "directory".into(),
        server: None,
        reachable: None,
        version: None,
        lock_primitives: None,
        password: None,
        error: None,
    };
    let probed = match (keys, &opened) {
        (Ok(ring), Ok(store)) => {
            Handler::probe(store.clone(), ring.clone(), settings).map_err(|e| e.to_string())
        }
        (Err(_), _) => Err("not tried: no key".to_string()),
        _ => Err("not tried: the session directory cannot be used".to_string()),
    };
    let counted = match &opened {
        Ok(store) => store.layouts().map_err(|e| e.to_string()),
        Err(_) => Err("not counted: the session directory cannot be used".to_string()),
    };
    (
        save_path,
        directory,
        store,
        probed,
        FilesReport::new(counted),
    )
}

/// The same for a Redis/Valkey store: no directory; the store report says
/// whether the server answers.
fn redis_store(
    value: String,
    opened: Result<Arc<redis::Shared>, String>,
    keys: &Result<Arc<KeyRing>, String>,
    settings: Settings,
) -> StoreParts {
    let save_path = SavePathReport {
        ok: opened.is_ok(),
        value: redis::masked(&value),
        dir: None,
        depth: None,
        mode: None,
        error: opened.as_ref().err().cloned(),
    };
    let directory = DirectoryReport {
        ok: true,
        owner: None,
        mode: None,
        error: None,
    };
    let store = match &opened {
        Ok(store) => StoreReport::redis(store),
        Err(e) => StoreReport {
            kind: "redis".into(),
            server: None,
            reachable: None,
            version: None,
            lock_primitives: None,
            password: None,
            error: Some(e.clone()),
        },
    };
    let probed = match (keys, &opened) {
        (Ok(ring), Ok(shared)) if store.error.is_none() => {
            // The probe session is removed at once; a short TTL in case not.
            let store = redis::Store::new(
                shared.clone(),
                redis::Names::new(&shared.config().prefix, ring),
                std::time::Duration::from_secs(60),
                redis::DEFAULT_LEASE,
                redis::DEFAULT_MAX_HOLD,
                settings.lock_timeout,
            );
            Handler::probe(Arc::new(store), ring.clone(), settings).map_err(|e| e.to_string())
        }
        (Err(_), _) => Err("not tried: no key".to_string()),
        _ => Err("not tried: the Redis/Valkey store cannot be used".to_string()),
    };
    let files = FilesReport::new(Err(
        "not counted: the sessions are kept on a Redis/Valkey server, not in files".to_string(),
    ));
    (save_path, directory, store, probed, files)
}

fn environment(visible: Vec<String>) -> EnvironmentReport {
    let error = (!visible.is_empty()).then(|| {
        format!(
            "{} can be read by this request (getenv(), $_SERVER, child processes): rustenc \
             removes the key variables at startup, so something put them back; remove \
             env[{}] from the php-fpm pool, any fastcgi_param/SetEnv of them, and putenv() calls",
            visible.join(" and "),
            visible[0]
        )
    });
    EnvironmentReport {
        ok: visible.is_empty(),
        visible,
        error,
    }
}

#[cfg(test)]
mod tests {
    use std::{fs::Permissions, os::unix::fs::PermissionsExt, time::Duration};

    use super::*;
    use crate::keys::Key;

    fn inputs(dir: &std::path::Path) -> Inputs {
        Inputs {
            keys: Ok(Arc::new(KeyRing::new(
                Key::derive(&[5; 32]).unwrap(),
                vec![Key::derive(&[6; 32]).unwrap()],
            ))),
            key_source: "$RUSTENC_KEY, previous keys $RUSTENC_PREVIOUS_KEYS".into(),
            key_mismatch: None,
            key_configured: "$RUSTENC_KEY, previous keys $RUSTENC_PREVIOUS_KEYS".into(),
            visible: vec![],
            save_path: dir.display().to_string(),
            resolved: Ok(dir.display().to_string()),
            save_handler: "rustenc".into(),
            weak: vec![],
            advice: vec![],
            settings: Settings {
                lock_timeout: Duration::from_millis(100),
                max_size: 1 << 20,
                pad_to: 0,
            },
            redis: None,
        }
    }

    #[test]
    fn a_good_setup_is_status_0_and_the_probe_leaves_nothing() {
        let dir = crate::testing::private_dir();
        let r = Report::new(inputs(dir.path()));
        assert_eq!((r.ok, r.status), (true, 0), "{:?}", r.probe.error);
        assert!(r.key.ok && r.key.id.is_some() && r.key.previous_ids.len() == 1);
        assert_eq!(r.save_path.mode.as_deref(), Some("0600"));
        assert_eq!(r.directory.mode.as_deref(), Some("0700"));
        assert!(r.probe.ok);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn weak_settings_or_another_handler_are_status_2() {
        let dir = crate::testing::private_dir();
        let mut i = inputs(dir.path());
        i.save_handler = "files".into();
        let r = Report::new(i);
        assert_eq!((r.ok, r.status), (true, 2));
        assert!(r.settings.weak[0].starts_with("session.save_handler=files"));
    }

    #[test]
    fn a_bad_directory_a_visible_key_or_a_key_mismatch_are_status_1() {
        let dir = crate::testing::private_dir();
        fs::set_permissions(dir.path(), Permissions::from_mode(0o777)).unwrap();
        let r = Report::new(inputs(dir.path()));
        assert_eq!((r.ok, r.status, r.directory.ok), (false, 1, false));
        assert_eq!(
            r.probe.error.as_deref(),
            Some("not tried: the session directory cannot be used")
        );
        fs::set_permissions(dir.path(), Permissions::from_mode(0o700)).unwrap();

        let mut i = inputs(dir.path());
        i.visible = vec!["RUSTENC_KEY".into()];
        let r = Report::new(i);
        assert_eq!((r.status, r.environment.ok), (1, false));
        assert!(r.environment.error.unwrap().contains("env[RUSTENC_KEY]"));

        let mut i = inputs(dir.path());
        i.key_mismatch = Some("a pool cannot have its own key".into());
        let r = Report::new(i);
        assert_eq!((r.status, r.key.ok), (1, false));
        assert!(r.key.id.is_some(), "the loaded key is still shown");

        let mut i = inputs(dir.path());
        i.keys = Err("no key".into());
        let r = Report::new(i);
        assert_eq!((r.status, r.key.error.as_deref()), (1, Some("no key")));
        assert_eq!(r.probe.error.as_deref(), Some("not tried: no key"));
    }
}
