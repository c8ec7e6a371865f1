//! The PHP functions rustenc calls that ext-php-rs does not bind, found with
//! `dlsym(RTLD_DEFAULT, …)` once at module startup.
//!
//! Linking them directly would make the library fail to load anywhere but
//! inside PHP (`cargo php stubs` loads it in its own process, which only
//! provides what ext-php-rs binds), and would turn a PHP built without the
//! session extension into a load error instead of a warning.

use std::{
    ffi::{c_char, c_int, c_void, CStr},
    sync::OnceLock,
};

use super::bindings::{self, ps_module, zend_long, zend_module_entry, zend_string};
use crate::error::Error;

type RegisterModule = unsafe extern "C" fn(*const ps_module) -> c_int;
type CreateId = unsafe extern "C" fn(*mut *mut c_void) -> *mut zend_string;
type IniLong = unsafe extern "C" fn(*const c_char, usize, c_int) -> zend_long;
type IniString = unsafe extern "C" fn(*const c_char, usize, c_int, *mut bool) -> *mut c_char;
type DisplayIni = unsafe extern "C" fn(*mut zend_module_entry);
type UnregisterIni = unsafe extern "C" fn(c_int, c_int);
type LogErr = unsafe extern "C" fn(*const c_char, c_int);
type TempDir = unsafe extern "C" fn() -> *const c_char;
type CheckOpenBasedir = unsafe extern "C" fn(*const c_char, c_int) -> c_int;
type SapiGetenv = unsafe extern "C" fn(*const c_char, usize) -> *mut c_char;

// The headers' declarations (from build.rs) must coerce to the types used
// here: this is the compile-time check that the signatures match. The
// constants are never used, so they create no reference to the symbols.
const _: RegisterModule = bindings::php_session_register_module;
const _: CreateId = bindings::php_session_create_id;
const _: IniLong = bindings::zend_ini_long;
const _: IniString = bindings::zend_ini_string_ex;
const _: DisplayIni = bindings::display_ini_entries;
const _: UnregisterIni = bindings::zend_unregister_ini_entries_ex;
const _: LogErr = bindings::php_log_err_with_severity;
const _: TempDir = bindings::php_get_temporary_directory;
const _: CheckOpenBasedir = bindings::php_check_open_basedir_ex;
const _: SapiGetenv = bindings::sapi_getenv;

/// The engine functions, resolved.
pub struct Engine {
    pub register_module: RegisterModule,
    pub create_id: CreateId,
    pub ini_long: IniLong,
    pub ini_string: IniString,
    pub display_ini: DisplayIni,
    pub unregister_ini: UnregisterIni,
    pub log_err: LogErr,
    pub temp_dir: TempDir,
    /// `sapi_module`, the running SAPI's description (a data symbol).
    pub sapi: *const ext_php_rs::ffi::sapi_module_struct,
    /// `php_check_open_basedir_ex(path, warn)`: 0 when `path` is allowed
    /// (or open_basedir is not set), PHP's own resolution of the path.
    pub check_open_basedir: CheckOpenBasedir,
    /// What the SAPI reports for a variable (FastCGI params under php-fpm),
    /// as PHP's `getenv()` asks first; owned by the SAPI.
    pub sapi_getenv: SapiGetenv,
}

impl Engine {
    /// The SAPI's name: "cli", "cli-server", "fpm-fcgi", "apache2handler"...
    pub fn sapi_name(&self) -> String {
        // SAFETY: `sapi` is the address of sapi_module, whose `name` is set
        // by the SAPI before any module starts and points to a static string.
        let name = unsafe { (*self.sapi).name };
        if name.is_null() {
            return String::new();
        }
        // SAFETY: non-NULL, NUL-terminated (see above).
        unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned()
    }
}

// SAFETY: the table holds function pointers and `sapi`, the address of PHP's
// process-wide `sapi_module`, which is set before any extension starts and
// only read afterwards.
unsafe impl Send for Engine {}
// SAFETY: as above.
unsafe impl Sync for Engine {}

static ENGINE: OnceLock<Engine> = OnceLock::new();

/// Resolves every function once; later calls return the same table.
pub fn load() -> Result<&'static Engine, Error> {
    if let Some(engine) = ENGINE.get() {
        return Ok(engine);
    }
    let engine = Engine {
        // SAFETY: php_session_register_module has the signature RegisterModule, checked against the header above.
        register_module: unsafe { resolve(c"php_session_register_module")? },
        // SAFETY: php_session_create_id has the signature CreateId, checked against the header above.
        create_id: unsafe { resolve(c"php_session_create_id")? },
        // SAFETY: zend_ini_long has the signature IniLong, checked against the header above.
        ini_long: unsafe { resolve(c"zend_ini_long")? },
        // SAFETY: zend_ini_string_ex has the signature IniString, checked against the header above.
        ini_string: unsafe { resolve(c"zend_ini_string_ex")? },
        // SAFETY: display_ini_entries has the signature DisplayIni, checked against the header above.
        display_ini: unsafe { resolve(c"display_ini_entries")? },
        // SAFETY: zend_unregister_ini_entries_ex has the signature UnregisterIni, checked against the header above.
        unregister_ini: unsafe { resolve(c"zend_unregister_ini_entries_ex")? },
        // SAFETY: php_log_err_with_severity has the signature LogErr, checked against the header above.
        log_err: unsafe { resolve(c"php_log_err_with_severity")? },
        // SAFETY: php_get_temporary_directory has the signature TempDir, checked against the header above.
        temp_dir: unsafe { resolve(c"php_get_temporary_directory")? },
        // SAFETY: php_check_open_basedir_ex has the signature CheckOpenBasedir, checked against the header above.
        check_open_basedir: unsafe { resolve(c"php_check_open_basedir_ex")? },
        // SAFETY: sapi_getenv has the signature SapiGetenv, checked against the header above.
        sapi_getenv: unsafe { resolve(c"sapi_getenv")? },
        sapi: resolve_data(c"sapi_module")?.cast(),
    };
    Ok(ENGINE.get_or_init(|| engine))
}

/// The table, if [`load`] succeeded.
pub fn get() -> Option<&'static Engine> {
    ENGINE.get()
}

/// The address of the data symbol `name`.
fn resolve_data(name: &'static CStr) -> Result<*const c_void, Error> {
    // SAFETY: RTLD_DEFAULT searches the process's loaded objects; `name` is
    // NUL-terminated.
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    if found.is_null() {
        return Err(Error::NoSessionEngine {
            symbol: name.to_str().expect("symbol names are ASCII"),
        });
    }
    Ok(found.cast_const())
}

/// Looks `name` up among the symbols already loaded into the process.
///
/// # Safety
/// `F` must be the function-pointer type of the symbol's real signature.
unsafe fn resolve<F: Copy>(name: &'static CStr) -> Result<F, Error> {
    const { assert!(size_of::<F>() == size_of::<*mut c_void>()) };
    // SAFETY: RTLD_DEFAULT searches the process's loaded objects; `name` is
    // NUL-terminated.
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    if found.is_null() {
        return Err(Error::NoSessionEngine {
            symbol: name.to_str().expect("symbol names are ASCII"),
        });
    }
    // SAFETY: `F` is a function pointer of the symbol's signature (caller's
    // contract) and has the size of a data pointer (asserted above).
    Ok(unsafe { std::mem::transmute_copy::<*mut c_void, F>(&found) })
}
