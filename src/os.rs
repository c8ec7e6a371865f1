//! Who this process runs as: the effective user id and user names, for
//! ownership checks and the messages that explain them.

/// The effective user id of this process.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The login name of `uid`, or the number when it has none.
pub fn user_name(uid: u32) -> String {
    let mut pwd = std::mem::MaybeUninit::<libc::passwd>::uninit();
    let mut buf = vec![0 as libc::c_char; 1024];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer refers to live, writable memory of the stated
    // size; getpwuid_r writes only inside `pwd` and `buf`.
    let ret = unsafe {
        libc::getpwuid_r(
            uid,
            pwd.as_mut_ptr(),
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        )
    };
    if ret != 0 || found.is_null() {
        return uid.to_string();
    }
    // SAFETY: on success `found` points to `pwd`, whose `pw_name` points to a
    // NUL-terminated string inside `buf`, which is still alive.
    unsafe { std::ffi::CStr::from_ptr((*found).pw_name) }
        .to_string_lossy()
        .into_owned()
}
