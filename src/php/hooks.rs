//! The `ps_module` table PHP's session engine calls, and the nine hooks in it.
//! Each hook converts PHP's arguments, calls [`Handler`], and turns the result
//! into `SUCCESS`/`FAILURE` plus a warning; the behaviour is in `handler.rs`.

use std::{
    ffi::{c_void, CStr},
    ptr,
    time::Duration,
};

use ext_php_rs::{boxed::ZBox, types::ZendStr};

use super::{
    advise_once,
    bindings::{ps_module, zend_long, zend_result, zend_string},
    engine::{self, Engine},
    ini_long, keys, lifetime, open_store, resolve_save_path, settings, warn, OpenStore,
    SessionHandler,
};
use crate::error::Error;
use crate::handler::Handler;

const SUCCESS: zend_result = 0;
const FAILURE: zend_result = -1;

/// `ps_module` holds a raw name pointer, so it is not `Sync` by itself.
struct Module(ps_module);
// SAFETY: the table is immutable and its only pointer is to a static C string.
unsafe impl Sync for Module {}

static MODULE: Module = Module(ps_module {
    s_name: c"rustenc".as_ptr(),
    s_open: Some(open),
    s_close: Some(close),
    s_read: Some(read),
    s_write: Some(write),
    s_destroy: Some(destroy),
    s_gc: Some(gc),
    s_create_sid: Some(create_sid),
    s_validate_sid: Some(validate_sid),
    s_update_timestamp: Some(update_timestamp),
});

/// Registers `rustenc` with the session engine (module startup).
pub fn register(engine: &Engine) {
    // SAFETY: MODULE is a complete, immutable table that lives for the life
    // of the process, as the engine requires of registered modules.
    unsafe { (engine.register_module)(&MODULE.0) };
}

/// The handler `open` stored in `*mod_data`, if any.
///
/// # Safety
/// `mod_data` must be the engine's `&PS(mod_data)`.
unsafe fn handler<'a>(mod_data: *mut *mut c_void) -> Option<&'a mut SessionHandler> {
    // SAFETY: the engine passes a valid pointer to its mod_data slot, which is
    // NULL or a `Box<SessionHandler>` from `open`, used by one thread at a time.
    unsafe { (*mod_data).cast::<SessionHandler>().as_mut() }
}

/// The bytes of an engine string.
///
/// # Safety
/// `s` must be NULL or a live `zend_string` for the returned lifetime.
unsafe fn bytes<'a>(s: *const zend_string) -> &'a [u8] {
    // SAFETY: per the contract above.
    unsafe { s.cast::<ZendStr>().as_ref() }.map_or(&[], |s| s.as_bytes())
}

/// The handler and session id of a hook called with `(mod_data, key)`.
///
/// # Safety
/// As for [`handler`] and [`bytes`].
unsafe fn with_key<'a>(
    mod_data: *mut *mut c_void,
    key: *const zend_string,
) -> Option<(&'a mut SessionHandler, &'a [u8])> {
    // SAFETY: per the contract above.
    unsafe { handler(mod_data).map(|h| (h, bytes(key))) }
}

/// As [`with_key`], plus the session data of write-shaped hooks.
///
/// # Safety
/// As for [`handler`] and [`bytes`].
unsafe fn with_data<'a>(
    mod_data: *mut *mut c_void,
    key: *const zend_string,
    val: *const zend_string,
) -> Option<(&'a mut SessionHandler, &'a [u8], &'a [u8])> {
    // SAFETY: per the contract above.
    unsafe { with_key(mod_data, key).map(|(h, id)| (h, id, bytes(val))) }
}

/// The engine passes `maxlifetime` 0 when it validates an id through a
/// userland handler's read; fall back to `session.gc_maxlifetime` then.
fn engine_lifetime(maxlifetime: zend_long) -> Duration {
    lifetime(if maxlifetime > 0 {
        maxlifetime
    } else {
        ini_long(c"session.gc_maxlifetime")
    })
}

fn result(r: Result<(), Error>) -> zend_result {
    match r {
        Ok(()) => SUCCESS,
        Err(e) => {
            warn(e);
            FAILURE
        }
    }
}

unsafe extern "C" fn open(
    mod_data: *mut *mut c_void,
    save_path: *const std::ffi::c_char,
    _session_name: *const std::ffi::c_char,
) -> zend_result {
    advise_once();
    // SAFETY: the engine passes its mod_data slot.
    if unsafe { handler(mod_data) }.is_some() {
        // session_reset() opens again without closing: keep the handler, and
        // with it the lock, so no other request slips in between.
        return SUCCESS;
    }
    // SAFETY: the engine passes PS(save_path), a NUL-terminated string.
    let save_path = unsafe { CStr::from_ptr(save_path) }.to_string_lossy();
    let opened = keys().and_then(|keys| {
        let save_path = resolve_save_path(&save_path)?;
        Ok(match open_store(&save_path, &keys)? {
            OpenStore::Dir(store) => SessionHandler::Dir(Handler::open(store, keys, settings())),
            OpenStore::Redis(store) => {
                let shared = store.shared().clone();
                SessionHandler::Redis(Handler::open(store, keys, settings()), shared)
            }
        })
    });
    match opened {
        Ok(handler) => {
            // SAFETY: `mod_data` is the engine's slot; a non-NULL value there
            // is what makes the engine call write and close.
            unsafe { *mod_data = Box::into_raw(Box::new(handler)).cast() };
            SUCCESS
        }
        Err(why) => {
            warn(why);
            FAILURE
        }
    }
}

unsafe extern "C" fn close(mod_data: *mut *mut c_void) -> zend_result {
    // SAFETY: the slot holds NULL or the Box from `open`; taking it out and
    // nulling the slot means it is dropped (and its lock released) once.
    let handler = unsafe {
        let raw = std::mem::replace(&mut *mod_data, ptr::null_mut());
        (!raw.is_null()).then(|| Box::from_raw(raw.cast::<SessionHandler>()))
    };
    if let Some(mut handler) = handler {
        // A notice no `read` reported (validate_sid not followed by a read).
        if let Some(notice) = handler.take_notice() {
            warn(notice);
        }
        handler.close();
    }
    SUCCESS
}

unsafe extern "C" fn read(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
    val: *mut *mut zend_string,
    maxlifetime: zend_long,
) -> zend_result {
    // SAFETY: engine-provided mod_data slot and live key string.
    let Some((h, id)) = (unsafe { with_key(mod_data, key) }) else {
        return FAILURE;
    };
    let read = h.read(id, engine_lifetime(maxlifetime));
    if let Some(notice) = h.take_notice() {
        warn(notice);
    }
    match read {
        Ok(plain) => {
            let data: ZBox<ZendStr> = ZendStr::new(&*plain, false);
            // SAFETY: `val` is the engine's out-parameter; it takes ownership
            // of the new request-allocated string and releases it.
            unsafe { *val = data.into_raw().cast() };
            SUCCESS
        }
        Err(e) => result(Err(e)),
    }
}

unsafe extern "C" fn write(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
    val: *mut zend_string,
    _maxlifetime: zend_long,
) -> zend_result {
    // SAFETY: engine-provided mod_data slot and live key and value strings.
    let Some((h, id, data)) = (unsafe { with_data(mod_data, key, val) }) else {
        return FAILURE;
    };
    result(h.write(id, data))
}

unsafe extern "C" fn destroy(mod_data: *mut *mut c_void, key: *mut zend_string) -> zend_result {
    // SAFETY: engine-provided mod_data slot and live key string.
    let Some((h, id)) = (unsafe { with_key(mod_data, key) }) else {
        return FAILURE;
    };
    result(h.destroy(id))
}

unsafe extern "C" fn gc(
    mod_data: *mut *mut c_void,
    maxlifetime: zend_long,
    nrdels: *mut zend_long,
) -> zend_long {
    // SAFETY: engine-provided mod_data slot.
    let Some(h) = (unsafe { handler(mod_data) }) else {
        return -1;
    };
    match h.gc(lifetime(maxlifetime)) {
        Ok(n) => {
            let n = n as zend_long;
            // SAFETY: `nrdels` is the engine's out-parameter.
            unsafe { *nrdels = n };
            n
        }
        Err(e) => {
            warn(e);
            -1
        }
    }
}

unsafe extern "C" fn create_sid(mod_data: *mut *mut c_void) -> *mut zend_string {
    let Some(engine) = engine::get() else {
        return ptr::null_mut();
    };
    // Like `files`: a fresh id that names an existing session is drawn again.
    for _ in 0..3 {
        // SAFETY: php_session_create_id takes the engine's mod_data slot and
        // returns NULL or a new string owned by the caller.
        let sid = unsafe { (engine.create_id)(mod_data) };
        if sid.is_null() {
            // The random source failed (PHP raised why): hand the NULL back,
            // as mod_files.c does; the engine reports that no id was made.
            return sid;
        }
        // SAFETY: as in `read`.
        let Some((h, id)) = (unsafe { with_key(mod_data, sid) }) else {
            return sid;
        };
        let taken = h.exists(id);
        if let Ok(false) = taken {
            return sid;
        }
        // SAFETY: `sid` is ours (see above) and not used after this.
        drop(unsafe { ZBox::from_raw(sid.cast::<ZendStr>()) });
        if let Err(e) = taken {
            // The store cannot be asked (a server that is down): trying
            // other ids would only repeat the warning.
            warn(e);
            return ptr::null_mut();
        }
    }
    warn("could not create a session id that is not already taken (3 tries)");
    ptr::null_mut()
}

unsafe extern "C" fn validate_sid(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
) -> zend_result {
    // SAFETY: engine-provided mod_data slot and live key string.
    let Some((h, id)) = (unsafe { with_key(mod_data, key) }) else {
        return FAILURE;
    };
    match h.validate(id, engine_lifetime(0)) {
        Ok(true) => SUCCESS,
        Ok(false) => FAILURE,
        Err(e) => {
            // The engine now issues a new id and queues its cookie; a warning
            // printed before that (display_errors=1) would keep the cookie
            // from being sent, and the browser would bring the unreadable id
            // back on every request. `read` of the new id reports it.
            h.defer_notice(e);
            FAILURE
        }
    }
}

unsafe extern "C" fn update_timestamp(
    mod_data: *mut *mut c_void,
    key: *mut zend_string,
    val: *mut zend_string,
    maxlifetime: zend_long,
) -> zend_result {
    // SAFETY: engine-provided mod_data slot and live key and value strings.
    let Some((h, id, data)) = (unsafe { with_data(mod_data, key, val) }) else {
        return FAILURE;
    };
    result(h.update_timestamp(id, data, engine_lifetime(maxlifetime)))
}
