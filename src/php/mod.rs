//! The FFI seam: everything that talks to PHP. The module entry (startup,
//! shutdown, `phpinfo()`), the `rustenc.*` INI settings, PHP warnings, and —
//! in [`hooks`] — the session module table. Every `unsafe` block that touches
//! PHP lives under this module, each with the reason it holds.

mod bindings;
mod engine;
mod functions;
mod guard;
mod hooks;

use std::{
    ffi::{CStr, CString},
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU32, Ordering},
        Arc, Mutex, PoisonError,
    },
    time::Duration,
};

use ext_php_rs::{
    ffi::{php_error_docref, E_WARNING},
    flags::IniEntryPermission,
    info_table_end, info_table_row, info_table_start,
    prelude::*,
    zend::{IniEntryDef, IniEntryDefs, ModuleEntry},
};

use crate::{
    check::KeyReport,
    handler::Handler,
    handler::Settings,
    keys::{KeyRing, KeySource},
    os::effective_uid,
    store::{
        dir::{self, default_dir, prepare_private_dir, StoreCache, DEFAULT_DIR},
        redis,
    },
};

/// The handler the session hooks run, over the store `session.save_path`
/// names: a directory, or a Redis/Valkey server.
// Sizes differ, but the one value lives boxed in the engine's mod_data.
#[allow(clippy::large_enum_variant)]
pub enum SessionHandler {
    Dir(Handler<dir::Store>),
    /// With the server's shared state, to end the request (see
    /// [`redis::Shared::end_request`]) once the handler, and its lock, are gone.
    Redis(Handler<redis::Store>, Arc<redis::Shared>),
}

/// Calls the same method on whichever handler it is.
macro_rules! each {
    ($h:expr, $x:ident => $e:expr) => {
        match $h {
            SessionHandler::Dir($x) => $e,
            SessionHandler::Redis($x, _) => $e,
        }
    };
}

impl SessionHandler {
    pub fn read(
        &mut self,
        id: &[u8],
        maxlifetime: Duration,
    ) -> crate::error::Result<crate::handler::Plaintext> {
        each!(self, h => h.read(id, maxlifetime))
    }
    pub fn take_notice(&mut self) -> Option<crate::error::Error> {
        each!(self, h => h.take_notice())
    }
    pub fn defer_notice(&mut self, e: crate::error::Error) {
        each!(self, h => h.defer_notice(e))
    }
    pub fn write(&mut self, id: &[u8], data: &[u8]) -> crate::error::Result<()> {
        each!(self, h => h.write(id, data))
    }
    pub fn update_timestamp(
        &mut self,
        id: &[u8],
        data: &[u8],
        maxlifetime: Duration,
    ) -> crate::error::Result<()> {
        each!(self, h => h.update_timestamp(id, data, maxlifetime))
    }
    pub fn destroy(&mut self, id: &[u8]) -> crate::error::Result<()> {
        each!(self, h => h.destroy(id))
    }
    pub fn gc(&self, maxlifetime: Duration) -> crate::error::Result<u64> {
        if let SessionHandler::Redis(..) = self {
            log_gc_is_redis();
        }
        each!(self, h => h.gc(maxlifetime))
    }
    pub fn exists(&self, id: &[u8]) -> crate::error::Result<bool> {
        each!(self, h => h.exists(id))
    }
    pub fn validate(&mut self, id: &[u8], maxlifetime: Duration) -> crate::error::Result<bool> {
        each!(self, h => h.validate(id, maxlifetime))
    }
    /// Closes the handler (releasing any lock it holds), then ends the
    /// request on the store.
    pub fn close(self) {
        let shared = match &self {
            SessionHandler::Redis(_, shared) => Some(shared.clone()),
            SessionHandler::Dir(_) => None,
        };
        drop(self);
        if let Some(shared) = shared {
            shared.end_request();
        }
    }
}

/// Logs, once per process, that PHP's gc does nothing on Redis.
fn log_gc_is_redis() {
    static LOGGED: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    if LOGGED.swap(pid, Ordering::Relaxed) != pid {
        log(
            "session gc does nothing with a Redis/Valkey session.save_path: the server expires \
             each session itself (its TTL is session.gc_maxlifetime, set on every write)",
        );
    }
}

/// The session directory of this process, kept between requests (see
/// [`StoreCache`]).
static STORES: StoreCache = StoreCache::new();

/// The store `session.save_path` (resolved, see [`resolve_save_path`])
/// names, opened for one request.
enum OpenStore {
    Dir(Arc<dir::Store>),
    Redis(Arc<redis::Store>),
}

/// Opens the store of `save_path` for a request: a checked directory, or a
/// Redis/Valkey server (connected lazily, at the first session operation).
fn open_store(save_path: &str, keys: &KeyRing) -> Result<OpenStore, String> {
    if redis::is_redis(save_path) {
        let shared = redis_shared(save_path)?;
        let names = redis::Names::new(&shared.config().prefix, keys);
        Ok(OpenStore::Redis(Arc::new(redis::Store::new(
            shared,
            names,
            lifetime(ini_long(c"session.gc_maxlifetime")),
            lock_lease(),
            lock_max_hold(),
            settings().lock_timeout,
        ))))
    } else {
        STORES
            .open(save_path)
            .map(OpenStore::Dir)
            .map_err(|e| e.to_string())
    }
}

/// The process's shared state of a Redis save path.
fn redis_shared(save_path: &str) -> Result<Arc<redis::Shared>, String> {
    let password = REDIS_PASSWORD
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    redis::shared(save_path, password.as_ref().map(|p| p.as_str())).map_err(|e| e.to_string())
}

/// The Redis/Valkey server of a save path (not connected yet), or why it
/// cannot be used; `None` for a directory.
fn redis_input(save_path: &str) -> Option<Result<Arc<redis::Shared>, String>> {
    redis::is_redis(save_path).then(|| redis_shared(save_path))
}

/// `rustenc.lock_lease_ms`.
fn lock_lease() -> Duration {
    match ini_long(c"rustenc.lock_lease_ms") {
        n if n > 0 => Duration::from_millis(n as u64),
        _ => redis::DEFAULT_LEASE,
    }
}

/// `rustenc.lock_max_hold_ms` (0: no renewal).
fn lock_max_hold() -> Duration {
    match ini_long(c"rustenc.lock_max_hold_ms") {
        n if n >= 0 => Duration::from_millis(n as u64),
        _ => redis::DEFAULT_MAX_HOLD,
    }
}

/// The Redis/Valkey password read at startup (`RUSTENC_REDIS_PASSWORD`, or
/// `rustenc.redis_password_file`), for save paths that give none.
static REDIS_PASSWORD: Mutex<Option<zeroize::Zeroizing<String>>> = Mutex::new(None);

/// The variable the Redis password is read from at startup.
const REDIS_PASSWORD_ENV: &str = "RUSTENC_REDIS_PASSWORD";

/// `session.gc_maxlifetime` and the engine's `maxlifetime` arguments are
/// seconds, as a signed number; nothing below this seam sees them so.
fn lifetime(seconds: i64) -> Duration {
    Duration::from_secs(seconds.max(0) as u64)
}

/// `rustenc.*` settings. Defaults are documented in the README.
static INI: IniEntryDefs<12> = IniEntryDefs::new([
    // Keys are read once at startup: in php-fpm that is the master, before
    // it forks workers (whose environment clear_env empties).
    IniEntryDef::new(
        c"rustenc.key_env",
        c"RUSTENC_KEY",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(
        c"rustenc.previous_keys_env",
        c"RUSTENC_PREVIOUS_KEYS",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(c"rustenc.key_file", c"", IniEntryPermission::System),
    // Longer than a normal request, shorter than max_execution_time, so a
    // stuck request makes the next one fail fast instead of piling up.
    IniEntryDef::new(
        c"rustenc.lock_timeout_ms",
        c"10000",
        IniEntryPermission::All,
    ),
    // How long a Redis lock outlives a crashed or frozen worker; renewed
    // while the request runs (see redis::DEFAULT_LEASE).
    IniEntryDef::new(c"rustenc.lock_lease_ms", c"10000", IniEntryPermission::All),
    // How long renewal keeps a Redis lock (see redis::DEFAULT_MAX_HOLD).
    IniEntryDef::new(
        c"rustenc.lock_max_hold_ms",
        c"300000",
        IniEntryPermission::All,
    ),
    // Read once at startup, like the key file: never shown by phpinfo().
    IniEntryDef::new(
        c"rustenc.redis_password_file",
        c"",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(c"rustenc.max_size", c"1048576", IniEntryPermission::All),
    // Off by default: padding costs disk and I/O on every write, and only
    // matters where file sizes are visible to someone who must not learn them.
    IniEntryDef::new(c"rustenc.pad_to", c"0", IniEntryPermission::All),
    IniEntryDef::new(c"rustenc.check_settings", c"1", IniEntryPermission::All),
    // rustenc_gc() and rustenc_import_files() act on every site's sessions:
    // outside the CLI only if the administrator says so.
    IniEntryDef::new(
        c"rustenc.allow_maintenance_in_web",
        c"0",
        IniEntryPermission::System,
    ),
    IniEntryDef::end(),
]);

/// The key ring loaded at startup, or the reason there is none. Emptied at
/// shutdown, which drops (and wipes) the keys.
static KEYS: Mutex<Option<Result<Arc<KeyRing>, String>>> = Mutex::new(None);

fn keys() -> Result<Arc<KeyRing>, String> {
    KEYS.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
        .unwrap_or_else(|| Err("the rustenc module did not start".into()))
}

/// Reads an INI value as text.
fn ini_string(name: &CStr) -> String {
    let Some(engine) = engine::get() else {
        return String::new();
    };
    let bytes = name.to_bytes();
    // SAFETY: `name` is NUL-terminated and its length is passed; with
    // `exists` NULL the engine returns NULL or a NUL-terminated value it owns
    // for as long as the setting is not changed, and we copy it at once.
    let value =
        unsafe { (engine.ini_string)(bytes.as_ptr().cast(), bytes.len(), 0, std::ptr::null_mut()) };
    if value.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL results are NUL-terminated strings (see above).
    unsafe { CStr::from_ptr(value) }
        .to_string_lossy()
        .into_owned()
}

/// Reads an INI value as an integer (0 when unset or not a number).
fn ini_long(name: &CStr) -> i64 {
    let Some(engine) = engine::get() else {
        return 0;
    };
    let bytes = name.to_bytes();
    // SAFETY: `name` is NUL-terminated and its length is passed.
    unsafe { (engine.ini_long)(bytes.as_ptr().cast(), bytes.len(), 0) }
}

/// `rustenc.key_env`, `rustenc.previous_keys_env`, `rustenc.key_file`.
type KeySettings = (String, String, String);

/// The key settings in effect now.
fn key_settings() -> KeySettings {
    (
        ini_string(c"rustenc.key_env"),
        ini_string(c"rustenc.previous_keys_env"),
        ini_string(c"rustenc.key_file"),
    )
}

/// The largest `rustenc.pad_to` honoured (larger values act as this): one
/// MiB, the default `rustenc.max_size`, so a typo cannot make every session
/// file gigabytes long.
const MAX_PAD_TO: i64 = 1 << 20;

fn settings() -> Settings {
    Settings {
        lock_timeout: Duration::from_millis(ini_long(c"rustenc.lock_timeout_ms").max(0) as u64),
        max_size: ini_long(c"rustenc.max_size").max(0) as u64,
        pad_to: ini_long(c"rustenc.pad_to").clamp(0, MAX_PAD_TO) as usize,
    }
}

/// Raises an `E_WARNING` in the function that is running (`session_start()`
/// and so on), as the `files` handler does.
fn warn(message: impl std::fmt::Display) {
    let text =
        CString::new(format!("rustenc: {message}").replace('\0', "?")).expect("NULs were replaced");
    // SAFETY: "%s" consumes exactly one argument, a NUL-terminated string
    // that outlives the call; a NULL docref means "no manual link".
    unsafe {
        php_error_docref(
            std::ptr::null(),
            E_WARNING as i32,
            c"%s".as_ptr(),
            text.as_ptr(),
        )
    };
}

/// Writes one line to PHP's error log (`error_log`, or the SAPI's log:
/// stderr for `php -S`, the FastCGI error stream for php-fpm), never into a
/// response: for what concerns the operator, not the request. Whatever
/// `log_errors` says (PHP's built-in default is off, and the advice is for
/// the operator, not an error); on the command line only into an
/// `error_log` file, since the CLI's own log is the terminal, where a script
/// or cron job would print the line on every run.
fn log(message: impl std::fmt::Display) {
    let Some(engine) = engine::get() else {
        return;
    };
    if engine.sapi_name() == "cli" && ini_string(c"error_log").is_empty() {
        return;
    }
    let text =
        CString::new(format!("rustenc: {message}").replace('\0', "?")).expect("NULs were replaced");
    // SAFETY: a NUL-terminated string that outlives the call; 5 is LOG_NOTICE,
    // the severity php_log_err() uses.
    unsafe { (engine.log_err)(text.as_ptr(), 5) };
}

/// Whether this PHP deprecates `session.sid_length` (and
/// `session.sid_bits_per_character`, and disabling `use_only_cookies`): 8.4
/// does, so advice must not ask for them there.
const SID_LENGTH_DEPRECATED: bool = bindings::PHP_VERSION_ID >= 80400;

/// Session settings that leave users open to fixation or guessable ids,
/// each with the fix. Shared by the log line and the reports (`php --ri`,
/// `rustenc_check()`); only settings the running PHP does not deprecate are
/// ever asked for.
fn weak_settings() -> Vec<String> {
    let mut weak = Vec::new();
    if ini_long(c"session.use_strict_mode") == 0 {
        weak.push(
            "session.use_strict_mode=0 (set 1, so ids the server did not issue are refused)"
                .to_string(),
        );
    }
    if ini_long(c"session.use_only_cookies") == 0 {
        weak.push(
            "session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session)"
                .to_string(),
        );
    }
    if ini_long(c"session.use_trans_sid") != 0 {
        weak.push(
            "session.use_trans_sid=1 (set 0, so session ids are not put in URLs, where they leak)"
                .to_string(),
        );
    }
    if !SID_LENGTH_DEPRECATED {
        let sid_length = ini_long(c"session.sid_length");
        if sid_length < 32 {
            weak.push(format!("session.sid_length={sid_length} (set 32 or more)"));
        }
    }
    weak
}

/// Cookie settings worth changing, with the fix. Advice only: whether
/// cookies should be `Secure` depends on the site being served over HTTPS.
fn cookie_advice() -> Vec<String> {
    let mut advice = Vec::new();
    if ini_long(c"session.cookie_httponly") == 0 {
        advice.push(
            "session.cookie_httponly=0 (set 1, so scripts cannot read the session cookie)"
                .to_string(),
        );
    }
    if ini_long(c"session.cookie_secure") == 0 {
        advice.push("session.cookie_secure=0 (set 1 on HTTPS sites)".to_string());
    }
    if ini_string(c"session.cookie_samesite").is_empty() {
        advice.push("session.cookie_samesite is empty (set Lax)".to_string());
    }
    advice
}

/// The process whose weak settings were logged. A pid, not a flag: php-fpm
/// forks its workers from the master, and each worker logs once.
static ADVISED: AtomicU32 = AtomicU32::new(0);

/// Logs weak session settings once per process (at its first session), unless
/// `rustenc.check_settings=0`. A log line, never a notice: a notice raised in
/// `session_start()` with `display_errors=1` is printed before the session
/// cookie, which then cannot be sent, and every request starts a new session.
fn advise_once() {
    if ini_long(c"rustenc.check_settings") == 0 {
        return;
    }
    let pid = std::process::id();
    if ADVISED.swap(pid, Ordering::Relaxed) == pid {
        return;
    }
    let weak = weak_settings();
    if !weak.is_empty() {
        log(format!(
            "weak session settings: {}; see \"Recommended session settings\" in rustenc's README \
             (logged once per process; rustenc.check_settings=0 silences it)",
            weak.join("; ")
        ));
    }
}

/// The directory sessions go to when `session.save_path` is empty: the
/// package's [`DEFAULT_DIR`] when it exists, else a private directory of this
/// process's user under PHP's temporary directory (`sys_get_temp_dir()`), as
/// `files` falls back to the temporary directory; like that fallback, it is
/// checked against `open_basedir`. The first use in a process, and any
/// change, is logged.
fn default_session_dir() -> Result<PathBuf, String> {
    static LOGGED: Mutex<Option<(u32, PathBuf)>> = Mutex::new(None);
    let euid = effective_uid();
    let dir = default_dir(&temp_dir(), euid);
    guard::check_default_dir(&dir)?;
    if dir != Path::new(DEFAULT_DIR) {
        prepare_private_dir(&dir, euid).map_err(|e| e.to_string())?;
    }
    let mut logged = LOGGED.lock().unwrap_or_else(PoisonError::into_inner);
    let this = (std::process::id(), dir.clone());
    if logged.as_ref() != Some(&this) {
        log(format!(
            "session.save_path is empty: sessions are kept in {}",
            dir.display()
        ));
        *logged = Some(this);
    }
    Ok(dir)
}

/// PHP's temporary directory, as `sys_get_temp_dir()` reports it.
fn temp_dir() -> PathBuf {
    let Some(engine) = engine::get() else {
        return PathBuf::from("/tmp");
    };
    // SAFETY: returns a NUL-terminated path PHP keeps for the life of the
    // process (computed once, from sys_temp_dir, TMPDIR or /tmp).
    let dir = unsafe { CStr::from_ptr((engine.temp_dir)()) };
    PathBuf::from(dir.to_string_lossy().into_owned())
}

/// `session.save_path` as rustenc uses it: an empty value names
/// [`default_session_dir`], as an empty one names the temporary directory
/// for `files`.
fn resolve_save_path(value: &str) -> Result<String, String> {
    if value.is_empty() {
        Ok(default_session_dir()?.display().to_string())
    } else {
        Ok(value.to_string())
    }
}

/// Closes the key stash before any script of the request runs (see
/// [`guard::close_key_stash`]); a Redis server that failed in an earlier
/// request is tried again (see [`redis::new_request`]).
unsafe extern "C" fn request_startup(_ty: i32, _module_number: i32) -> i32 {
    guard::close_key_stash();
    redis::new_request();
    0
}

unsafe extern "C" fn startup(_ty: i32, module_number: i32) -> i32 {
    IniEntryDef::register(INI.as_slice(), module_number);
    let engine = match engine::load() {
        Ok(engine) => engine,
        Err(e) => {
            // The module still loads (php -m, --ri work); sessions cannot.
            warn(e);
            return 0;
        }
    };
    let loaded_from = key_settings();
    let (env, previous_env, file) = &loaded_from;
    guard::restore_key_variables(&[env, previous_env, REDIS_PASSWORD_ENV]);
    let source = KeySource {
        env,
        previous_env,
        file: (!file.is_empty()).then(|| Path::new(file)),
    };
    let loaded = KeyRing::load(source, effective_uid())
        .map(Arc::new)
        .map_err(|e| e.to_string());
    if let Ok(ring) = &loaded {
        if !ring.is_locked() {
            warn(
                "the key could not be locked in memory (mlock refused), so it may be written \
                 to swap; raise the limit (ulimit -l, or LimitMEMLOCK= in the systemd unit)",
            );
        }
    }
    *KEYS.lock().unwrap_or_else(PoisonError::into_inner) = Some(loaded);
    guard::remember_key_source(&loaded_from);
    // Read once: no script or child process may see them from now on
    // (only a reload of this process can, through the stash).
    *REDIS_PASSWORD
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = load_redis_password();
    guard::stash_key_variables(&[env, previous_env, REDIS_PASSWORD_ENV]);
    guard::remove_from_environment(env);
    guard::remove_from_environment(previous_env);
    guard::remove_from_environment(REDIS_PASSWORD_ENV);
    hooks::register(engine);
    0
}

/// The Redis password from `rustenc.redis_password_file` (its first line),
/// else from `RUSTENC_REDIS_PASSWORD`. The file must be a regular file (not
/// a link) of the user PHP starts as (or root), unreadable by group and
/// others, as the key file; otherwise it is refused with a startup warning
/// (sessions then fail with the server's refusal).
fn load_redis_password() -> Option<zeroize::Zeroizing<String>> {
    let file = ini_string(c"rustenc.redis_password_file");
    if file.is_empty() {
        return std::env::var(REDIS_PASSWORD_ENV)
            .ok()
            .filter(|p| !p.is_empty())
            .map(zeroize::Zeroizing::new);
    }
    match read_password_file(Path::new(&file)) {
        Ok(password) => Some(password),
        Err(why) => {
            warn(format!(
                "rustenc.redis_password_file {file} is refused: {why}"
            ));
            None
        }
    }
}

/// One open, and the checks and the read on that fd.
fn read_password_file(path: &Path) -> Result<zeroize::Zeroizing<String>, String> {
    use std::{
        io::Read,
        os::unix::fs::{MetadataExt, OpenOptionsExt},
    };
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => "it is a symbolic link; name the file itself".to_string(),
            _ => format!(
                "it cannot be read ({e}); make it readable by the user PHP starts as \
                 (php-fpm: root, before it forks workers)"
            ),
        })?;
    let meta = f.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    let euid = effective_uid();
    if meta.uid() != euid && meta.uid() != 0 {
        return Err(format!(
            "it is owned by {}, not by {} (the user PHP starts as) or root; run: chown {}: {}",
            crate::os::user_name(meta.uid()),
            crate::os::user_name(euid),
            crate::os::user_name(euid),
            path.display()
        ));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "it is mode {mode:04o}, so its group or others can read the password; run: \
             chmod 0600 {}",
            path.display()
        ));
    }
    // Room for all of it: a buffer that grows leaves unwiped copies.
    let mut text = zeroize::Zeroizing::new(String::with_capacity(meta.len() as usize + 1));
    f.read_to_string(&mut text).map_err(|e| e.to_string())?;
    Ok(zeroize::Zeroizing::new(
        text.lines().next().unwrap_or("").trim_end().to_string(),
    ))
}

unsafe extern "C" fn shutdown(ty: i32, module_number: i32) -> i32 {
    *KEYS.lock().unwrap_or_else(PoisonError::into_inner) = None;
    // Its thread runs this library's code, which PHP unloads next.
    redis::lease::stop();
    if let Some(engine) = engine::get() {
        // SAFETY: unregisters the entries this module registered at startup,
        // as UNREGISTER_INI_ENTRIES() does in a C extension's MSHUTDOWN.
        unsafe { (engine.unregister_ini)(module_number, ty) };
    }
    0
}

unsafe extern "C" fn info(module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("rustenc support", "enabled");
    info_table_row!("version", env!("CARGO_PKG_VERSION"));
    info_table_row!(
        "cipher",
        "AES-256-GCM (ring), a subkey per file by HKDF-SHA256, writes format v2 (reads v1)"
    );
    let ring = keys();
    let (source, mismatch) = guard::key_source();
    let key = KeyReport::new(&ring, source, mismatch.clone(), String::new());
    match &ring {
        Ok(_) => {
            let id = key.id.unwrap_or_default();
            info_table_row!("key", format!("loaded, key id {id}"));
            let previous = if key.previous_ids.is_empty() {
                "none".to_string()
            } else {
                key.previous_ids.join(", ")
            };
            info_table_row!("previous key ids", previous);
            info_table_row!(
                "key memory",
                if key.locked_in_memory {
                    "locked in RAM (mlock), excluded from core dumps"
                } else {
                    "NOT locked in RAM (mlock refused: raise ulimit -l), excluded from core dumps"
                }
            );
        }
        Err(why) => info_table_row!("key", format!("NOT LOADED: {why}")),
    }
    info_table_row!("keys read from", format!("{} (at startup)", key.source));
    if let Some(mismatch) = mismatch {
        info_table_row!("key source WARNING", mismatch);
    }
    info_table_row!(
        "default session dir",
        format!(
            "{} (when session.save_path is empty: {DEFAULT_DIR} if it exists, else a private \
             directory under the temporary directory)",
            default_dir(&temp_dir(), effective_uid()).display()
        )
    );
    let save_path = ini_string(c"session.save_path");
    match redis_input(&save_path) {
        None => info_table_row!("session store", "directory"),
        Some(Err(why)) => info_table_row!("session store", format!("redis: INVALID: {why}")),
        Some(Ok(shared)) => {
            let store = crate::check::StoreReport::redis(&shared);
            info_table_row!("session store", store.kind);
            info_table_row!("redis server", store.server.unwrap_or_default());
            match store.error {
                None => {
                    info_table_row!(
                        "redis server version",
                        format!("{} (reachable)", store.version.unwrap_or_default())
                    );
                    info_table_row!("lock primitives", store.lock_primitives.unwrap_or_default());
                }
                Some(why) => info_table_row!("redis server version", format!("UNREACHABLE: {why}")),
            }
            info_table_row!("redis password", store.password.unwrap_or_default());
            info_table_row!(
                "lock lease",
                format!(
                    "{} ms (rustenc.lock_lease_ms: how long a crashed or frozen worker blocks a session; {})",
                    lock_lease().as_millis(),
                    if lock_max_hold().is_zero() {
                        "not renewed".to_string()
                    } else {
                        format!("renewed every {} ms while the request runs", lock_lease().as_millis() / 3)
                    }
                )
            );
            info_table_row!(
                "lock max hold",
                match lock_max_hold().as_millis() {
                    0 => "0 (rustenc.lock_max_hold_ms: no renewal; a request may hold a session for one lease)".to_string(),
                    n => format!("{n} ms (rustenc.lock_max_hold_ms: renewal stops after this; the lock then ends one lease later)"),
                }
            );
        }
    }
    let weak = weak_settings();
    info_table_row!(
        "session settings",
        if weak.is_empty() {
            "as recommended".to_string()
        } else {
            format!("weak: {}", weak.join("; "))
        }
    );
    let advice = cookie_advice();
    if !advice.is_empty() {
        info_table_row!("cookie advice", advice.join("; "));
    }
    info_table_end!();
    if let Some(engine) = engine::get() {
        // SAFETY: `module` is this module's entry, passed by the engine to
        // its own info callback; DISPLAY_INI_ENTRIES() does exactly this.
        unsafe { (engine.display_ini)(module) };
    }
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    functions::register(module)
        .startup_function(startup)
        .shutdown_function(shutdown)
        .request_startup_function(request_startup)
        .info_function(info)
}
