//! What keeps a script from reaching past its limits through rustenc (issue
//! 10): `open_basedir` for every path a PHP function is given and for the
//! default directory, the maintenance functions kept to the command line,
//! the key's variables taken out of the environment once read, and the key
//! source reported as it was loaded, not as a pool's INI claims.

use std::{
    ffi::{CStr, CString},
    fs::File,
    io::Write,
    os::{
        fd::{FromRawFd, IntoRawFd, OwnedFd},
        unix::{ffi::OsStringExt, fs::FileExt},
    },
    path::Path,
    sync::{
        atomic::{AtomicI32, Ordering},
        Mutex, PoisonError,
    },
};

use zeroize::Zeroizing;

use super::{engine, ini_long, ini_string, key_settings, resolve_save_path, KeySettings};
use crate::store::dir::SavePath;

/// Refuses `path` when PHP's `open_basedir` does not allow it, with PHP's
/// own check (which resolves the path as every file function does).
pub fn open_basedir_allows(path: &Path) -> Result<(), String> {
    let Some(engine) = engine::get() else {
        return Ok(());
    };
    let Ok(c) = CString::new(path.as_os_str().as_encoded_bytes()) else {
        return Err(format!("{} holds a NUL byte", path.display()));
    };
    // SAFETY: a NUL-terminated path that outlives the call; warn = 0 means
    // PHP raises nothing itself (the error below says more).
    if unsafe { (engine.check_open_basedir)(c.as_ptr(), 0) } == 0 {
        return Ok(());
    }
    Err(format!(
        "{} is outside open_basedir ({}): rustenc touches only directories this script \
         may open; run it from the command line without open_basedir, or add the \
         directory to open_basedir",
        path.display(),
        ini_string(c"open_basedir")
    ))
}

/// The `open_basedir` check of the default session directory, whichever it
/// is, applied when `session.save_path` is empty (as `files` checks its
/// fallback, the system temp directory).
pub fn check_default_dir(dir: &Path) -> Result<(), String> {
    open_basedir_allows(dir).map_err(|e| format!("the default session dir: {e}"))
}

/// The save path a maintenance function works on: `argument` (checked
/// against `open_basedir`) or else `session.save_path` (which PHP checked
/// when a script changed it; an empty one names the default directory, which
/// [`resolve_save_path`] checks).
pub fn save_path_for(argument: Option<String>) -> Result<SavePath, String> {
    let Some(argument) = argument else {
        let value = resolve_save_path(&ini_string(c"session.save_path"))?;
        return SavePath::parse(&value).map_err(|e| e.to_string());
    };
    let parsed = SavePath::parse(&argument).map_err(|e| e.to_string())?;
    open_basedir_allows(&parsed.dir)?;
    Ok(parsed)
}

/// Refuses `function` (a maintenance function: it removes or writes other
/// users' sessions) outside the CLI, unless the administrator allowed it.
pub fn maintenance_allowed(function: &str) -> Result<(), String> {
    let sapi = engine::get().map(|e| e.sapi_name()).unwrap_or_default();
    if sapi == "cli" || ini_long(c"rustenc.allow_maintenance_in_web") != 0 {
        return Ok(());
    }
    Err(format!(
        "{function}() runs only from the command line (cron, a systemd timer, a shell), not \
         under the {sapi} SAPI, where any script of any site could remove or import sessions; \
         run it with the php CLI, or set rustenc.allow_maintenance_in_web = 1 in php.ini \
         (system level) to allow it"
    ))
}

/// Overwrites the value of the environment variable `name` in place and
/// removes it from the environment, so no script (`getenv()`, `$_SERVER`,
/// `phpinfo()`), no child process and no `/proc/<pid>/environ` sees it.
/// Called at module startup, before PHP starts threads or requests.
pub fn remove_from_environment(name: &str) {
    let Ok(c) = CString::new(name) else {
        return;
    };
    if name.is_empty() || name.contains('=') {
        return;
    }
    loop {
        // SAFETY: `c` is NUL-terminated; getenv returns NULL or a pointer
        // into the environment, which only this thread touches at startup.
        let value = unsafe { libc::getenv(c.as_ptr()) };
        if value.is_null() {
            break;
        }
        // SAFETY: `value` points to a writable NUL-terminated string (the
        // process's initial environment block, or memory setenv/putenv
        // gave), `len` bytes long; the bytes are overwritten, not freed.
        unsafe {
            let len = libc::strlen(value);
            let bytes = std::slice::from_raw_parts_mut(value.cast::<u8>(), len);
            zeroize::Zeroize::zeroize(bytes);
        }
        // SAFETY: `c` is a valid name (no '=', not empty), so unsetenv
        // removes every entry of it and the loop ends.
        if unsafe { libc::unsetenv(c.as_ptr()) } != 0 {
            break;
        }
    }
    wipe_initial_environment(name);
}

/// Overwrites `name=value` in the environment block the kernel gave the
/// process (what `/proc/<pid>/environ` shows). PHP's CLI and php-fpm move
/// `environ` to copies (to make room for the process title), so the block
/// may no longer be what `getenv` sees; it still holds the original bytes.
fn wipe_initial_environment(name: &str) {
    let Some((start, end)) = initial_environment() else {
        return;
    };
    // SAFETY: [start, end) is the process's initial environment block
    // (env_start..env_end from /proc/self/stat), mapped and writable for
    // the life of the process (it sits at the top of the main stack).
    // Nothing else runs at module startup; `environ` no longer points at
    // the entries we overwrite (unsetenv removed them above).
    let block = unsafe { std::slice::from_raw_parts_mut(start as *mut u8, end - start) };
    let prefix = format!("{name}=");
    for entry in block.split_mut(|b| *b == 0) {
        if entry.starts_with(prefix.as_bytes()) {
            zeroize::Zeroize::zeroize(entry);
        }
    }
}

/// `env_start` and `env_end` of this process (fields 50 and 51 of
/// `/proc/self/stat`, counted after the parenthesised command name).
fn initial_environment() -> Option<(usize, usize)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    // Field 3 (state) is the first after the name.
    let start: usize = fields.get(50 - 3)?.parse().ok()?;
    let end: usize = fields.get(51 - 3)?.parse().ok()?;
    (start != 0 && end > start).then_some((start, end))
}

/// The secret variables (`rustenc.key_env`, `rustenc.previous_keys_env`,
/// `RUSTENC_REDIS_PASSWORD`) this request can still read: put back by a
/// pool's `env[...]`, a FastCGI parameter, or `putenv()`.
pub fn visible_key_variables() -> Vec<String> {
    let (env, previous_env, _) = key_settings();
    [env, previous_env, super::REDIS_PASSWORD_ENV.to_string()]
        .into_iter()
        .filter(|name| !name.is_empty() && visible(name))
        .collect()
}

/// Whether a request can read `name`: from the environment, or from the
/// SAPI (FastCGI parameters), as PHP's `getenv()` looks.
fn visible(name: &str) -> bool {
    in_environment(name)
        || CString::new(name).is_ok_and(|c| {
            engine::get().is_some_and(|engine| {
                // SAFETY: name and its length; the SAPI returns NULL (outside
                // a request too) or a string it owns, read at once.
                unsafe { non_empty((engine.sapi_getenv)(c.as_ptr(), name.len())) }
            })
        })
}

/// Whether the process environment has `name` with a non-empty value.
fn in_environment(name: &str) -> bool {
    // SAFETY: a NUL-terminated name; getenv returns NULL or a string owned
    // by the environment, read at once.
    CString::new(name).is_ok_and(|c| unsafe { non_empty(libc::getenv(c.as_ptr())) })
}

/// Whether `p` is a non-empty string.
///
/// # Safety
/// `p` must be NULL or point to a live NUL-terminated string.
unsafe fn non_empty(p: *const std::ffi::c_char) -> bool {
    // SAFETY: per the contract above.
    !p.is_null() && !unsafe { CStr::from_ptr(p) }.is_empty()
}

/// The key settings the keys were loaded with, at module startup, and how
/// operators read them (described once).
static LOADED_FROM: Mutex<Option<(KeySettings, String)>> = Mutex::new(None);

/// Remembers where the keys were loaded from.
pub fn remember_key_source(settings: &KeySettings) {
    *LOADED_FROM.lock().unwrap_or_else(PoisonError::into_inner) =
        Some((settings.clone(), describe(settings)));
}

/// Where the keys this process uses were read from, and a warning when the
/// settings in effect now name another source (a pool's `php_admin_value`:
/// keys are read once, at startup, in php-fpm's master).
pub fn key_source() -> (String, Option<String>) {
    let loaded = LOADED_FROM
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let Some((loaded, source)) = loaded else {
        return ("nowhere: the module did not start".into(), None);
    };
    let now = key_settings();
    let mismatch = (now != loaded).then(|| {
        format!(
            "the settings in effect name {} as the key source, but keys are read once, at \
             startup (in php-fpm: by the master, for every pool), and this process uses the \
             keys from {source}; a pool cannot have its own key: set rustenc.key_* in the php.ini \
             php-fpm starts with (or run a separate php-fpm), and remove the pool's setting",
            describe(&now),
        )
    });
    (source, mismatch)
}

/// A key source as operators read it.
pub fn describe((env, previous_env, file): &KeySettings) -> String {
    if file.is_empty() {
        format!("${env}, previous keys ${previous_env}")
    } else {
        format!("key file {file}")
    }
}

/// Name of the memory file that carries the key variables across a restart
/// of the module in the same process tree (see [`restore_key_variables`]).
const STASH_NAME: &CStr = c"rustenc-keys";

/// The stash's fd in this process, -1 when it has none (or closed it).
static STASH_FD: AtomicI32 = AtomicI32::new(-1);

/// Puts back the key variables `names` that are missing from the
/// environment, from the stash an earlier start of the module in this
/// process left: php-fpm's reload (SIGUSR2, `systemctl reload`) re-executes
/// the master, and Apache's graceful restart starts PHP's modules again in
/// the same parent; both would otherwise find no key, since it was removed
/// from the environment. The stash is an anonymous memory file that only
/// this process (root's php-fpm master, Apache's parent) keeps open: request
/// processes close it before any script runs ([`close_key_stash`]).
pub fn restore_key_variables(names: &[&str]) {
    let Some(stash) = find_stash() else {
        return;
    };
    let Ok(meta) = stash.metadata() else {
        return;
    };
    let mut bytes = Zeroizing::new(vec![0; meta.len() as usize]);
    if stash.read_exact_at(&mut bytes, 0).is_err() {
        return;
    }
    for entry in bytes.split(|b| *b == 0) {
        let Some(eq) = entry.iter().position(|b| *b == b'=') else {
            continue;
        };
        let (name, value) = (&entry[..eq], &entry[eq + 1..]);
        if !names.iter().any(|n| n.as_bytes() == name)
            || in_environment(&String::from_utf8_lossy(name))
        {
            continue;
        }
        let (Ok(name), Ok(value)) = (
            CString::new(name),
            CString::new(value).map(|v| Zeroizing::new(v.into_bytes_with_nul())),
        ) else {
            continue;
        };
        // SAFETY: NUL-terminated name and value that outlive the call;
        // setenv copies both. Module startup runs before any other thread.
        unsafe { libc::setenv(name.as_ptr(), value.as_ptr().cast(), 1) };
    }
}

/// Keeps the values of the key variables `names` for a later start of the
/// module in this process (see [`restore_key_variables`]); called before
/// they are removed from the environment.
pub fn stash_key_variables(names: &[&str]) {
    if STASH_FD.load(Ordering::Relaxed) >= 0 {
        return;
    }
    let mut content = Zeroizing::new(Vec::new());
    for name in names.iter().filter(|n| !n.is_empty()) {
        if let Some(value) = std::env::var_os(name) {
            let value = Zeroizing::new(value.into_vec());
            content.extend_from_slice(name.as_bytes());
            content.push(b'=');
            content.extend_from_slice(&value);
            content.push(0);
        }
    }
    if content.is_empty() {
        return;
    }
    // SAFETY: a NUL-terminated name; without MFD_CLOEXEC on purpose, so the
    // fd survives php-fpm's re-exec on reload.
    let fd = unsafe { libc::memfd_create(STASH_NAME.as_ptr(), 0) };
    if fd < 0 {
        return;
    }
    // SAFETY: `fd` was just created and is owned by no one else.
    let mut file = unsafe { File::from_raw_fd(fd) };
    if file.write_all(&content).is_err() {
        return;
    }
    STASH_FD.store(file.into_raw_fd(), Ordering::Relaxed);
}

/// Closes the stash in a process that runs requests, before any script can
/// reach it (`php://fd/N`) or pass it to a child.
pub fn close_key_stash() {
    let fd = STASH_FD.swap(-1, Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: `fd` is the stash, which this module opened (or found
        // inherited) and which nothing else uses; it is closed once.
        drop(unsafe { OwnedFd::from_raw_fd(fd) });
    }
}

/// The stash inherited across a re-exec, or still open from an earlier
/// start of the module in this process.
fn find_stash() -> Option<File> {
    let expected = format!("/memfd:{} (deleted)", STASH_NAME.to_str().ok()?);
    let fd = match STASH_FD.load(Ordering::Relaxed) {
        -1 => std::fs::read_dir("/proc/self/fd")
            .ok()?
            .flatten()
            .find(|e| {
                std::fs::read_link(e.path()).is_ok_and(|t| t.as_os_str() == expected.as_str())
            })?
            .file_name()
            .to_str()?
            .parse()
            .ok()?,
        fd => fd,
    };
    STASH_FD.store(fd, Ordering::Relaxed);
    // SAFETY: `fd` is the open stash (found above); the duplicate is ours
    // and is read from offset 0 without moving the original's position
    // (pread), then closed.
    let dup = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if dup < 0 {
        return None;
    }
    // SAFETY: `dup` was just returned by fcntl and is owned by no one else.
    Some(unsafe { File::from_raw_fd(dup) })
}
