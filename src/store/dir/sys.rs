//! The few system calls the store needs that `std` does not offer on a
//! directory file descriptor. Each wrapper is safe: it takes borrowed fds and
//! Rust strings, and turns the C return convention into `io::Result`.

use std::{
    ffi::CString,
    fs::File,
    io,
    os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd},
};

fn c_name(name: &str) -> io::Result<CString> {
    CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// `openat(dir, name, flags | O_CLOEXEC | O_NOFOLLOW, mode)`.
pub fn open_at(dir: BorrowedFd<'_>, name: &str, flags: libc::c_int, mode: u32) -> io::Result<File> {
    let name = c_name(name)?;
    // SAFETY: `dir` is a live fd, `name` a NUL-terminated string that outlives
    // the call; the kernel returns either -1 or a new fd that nobody else owns.
    let fd = check(unsafe {
        libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            flags | libc::O_CLOEXEC | libc::O_NOFOLLOW,
            mode as libc::c_uint,
        )
    })?;
    // SAFETY: `fd` was just returned by openat and is owned by no one else.
    Ok(File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
}

/// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`: the entry itself, never a
/// link's target.
pub fn stat_at(dir: BorrowedFd<'_>, name: &str) -> io::Result<libc::stat> {
    let name = c_name(name)?;
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `dir` is a live fd, `name` is NUL-terminated, and `st` points to
    // writable memory of the size fstatat fills.
    check(unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            st.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })?;
    // SAFETY: fstatat returned 0, so it initialised the whole struct.
    Ok(unsafe { st.assume_init() })
}

/// `renameat(dir, from, dir, to)`: atomically replaces `to`.
pub fn rename_at(dir: BorrowedFd<'_>, from: &str, to: &str) -> io::Result<()> {
    let (from, to) = (c_name(from)?, c_name(to)?);
    // SAFETY: live fd and NUL-terminated names that outlive the call.
    check(unsafe { libc::renameat(dir.as_raw_fd(), from.as_ptr(), dir.as_raw_fd(), to.as_ptr()) })
        .map(drop)
}

/// Moves `from` to `to` only if `to` does not exist (`EEXIST` otherwise),
/// atomically: `renameat2(RENAME_NOREPLACE)`, or `linkat` + `unlinkat` on
/// file systems without it.
pub fn rename_at_noreplace(dir: BorrowedFd<'_>, from: &str, to: &str) -> io::Result<()> {
    let (from_c, to_c) = (c_name(from)?, c_name(to)?);
    // SAFETY: live fd and NUL-terminated names that outlive the call.
    let ret = unsafe {
        libc::renameat2(
            dir.as_raw_fd(),
            from_c.as_ptr(),
            dir.as_raw_fd(),
            to_c.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    match check(ret) {
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {
            // SAFETY: as above.
            check(unsafe {
                libc::linkat(
                    dir.as_raw_fd(),
                    from_c.as_ptr(),
                    dir.as_raw_fd(),
                    to_c.as_ptr(),
                    0,
                )
            })?;
            unlink_at(dir, from)
        }
        other => other.map(drop),
    }
}

/// `unlinkat(dir, name, 0)`.
pub fn unlink_at(dir: BorrowedFd<'_>, name: &str) -> io::Result<()> {
    let name = c_name(name)?;
    // SAFETY: live fd and a NUL-terminated name that outlives the call.
    check(unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), 0) }).map(drop)
}

/// `mkdirat(dir, name, mode)`.
pub fn mkdir_at(dir: BorrowedFd<'_>, name: &str, mode: u32) -> io::Result<()> {
    let name = c_name(name)?;
    // SAFETY: live fd and a NUL-terminated name that outlives the call.
    check(unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), mode as libc::mode_t) }).map(drop)
}

/// An entry of a directory listing: its name and the type `readdir`
/// reported (`DT_UNKNOWN` on file systems that do not say).
pub struct DirEntry {
    pub name: String,
    pub kind: u8,
}

/// Lists the directory open at `dir` (without `.` and `..`), reading it
/// through the fd alone: no path is looked up, so nothing the directory's
/// path leads to at the time of the call can change what is listed. Names
/// that are not UTF-8 are left out (rustenc never creates them).
pub fn list_dir(dir: BorrowedFd<'_>) -> io::Result<Vec<DirEntry>> {
    // A new open file description of the same directory ("." relative to
    // the fd), so the listing has its own position and closedir closes only
    // this one.
    let own = open_at(dir, ".", libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let fd = OwnedFd::from(own);
    // SAFETY: `fd` is a directory fd we own; on success fdopendir takes it
    // over (closedir below closes it), so it is released from `OwnedFd`.
    let stream = unsafe { libc::fdopendir(fd.as_raw_fd()) };
    if stream.is_null() {
        return Err(io::Error::last_os_error());
    }
    std::mem::forget(fd);
    let mut entries = Vec::new();
    let result = loop {
        // SAFETY: errno is thread-local; it is cleared so that a NULL from
        // readdir can be told apart (end of listing vs error).
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `stream` is a live DIR* used by this thread only.
        let entry = unsafe { libc::readdir(stream) };
        if entry.is_null() {
            let e = io::Error::last_os_error();
            break if e.raw_os_error() == Some(0) {
                Ok(())
            } else {
                Err(e)
            };
        }
        // SAFETY: readdir returned a valid dirent whose d_name is
        // NUL-terminated; it stays valid until the next readdir call, and
        // the name is copied before that.
        let (name, kind) = unsafe {
            (
                std::ffi::CStr::from_ptr((*entry).d_name.as_ptr()),
                (*entry).d_type,
            )
        };
        match name.to_str() {
            Ok("." | "..") | Err(_) => {}
            Ok(name) => entries.push(DirEntry {
                name: name.to_owned(),
                kind,
            }),
        }
    };
    // SAFETY: `stream` came from fdopendir and is closed exactly once.
    unsafe { libc::closedir(stream) };
    result.map(|()| entries)
}

/// Writes all of `bufs`, one after the other, at `offset` of `file`, with
/// `pwritev`: a record's head, envelope and trailer go to the kernel in one
/// call without first being copied into one buffer. Like `write_all_at`, a
/// short write is continued where it stopped (and `EINTR` retried).
pub fn write_all_vectored_at(file: &File, bufs: &[&[u8]], mut offset: u64) -> io::Result<()> {
    let mut slices: Vec<io::IoSlice<'_>> = bufs.iter().map(|b| io::IoSlice::new(b)).collect();
    let mut rest = &mut slices[..];
    io::IoSlice::advance_slices(&mut rest, 0);
    while !rest.is_empty() {
        let count = rest.len().min(libc::UIO_MAXIOV as usize) as libc::c_int;
        let at = libc::off_t::try_from(offset)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: `IoSlice` is ABI-compatible with `iovec` (std guarantees it
        // on Unix); the `count` slices it points to are borrowed for the call,
        // and `file` is a live fd.
        let ret = unsafe { libc::pwritev(file.as_raw_fd(), rest.as_ptr().cast(), count, at) };
        match ret {
            -1 => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            0 => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            n => {
                offset += n as u64;
                io::IoSlice::advance_slices(&mut rest, n as usize);
            }
        }
    }
    Ok(())
}

/// Appends to `buf` up to `len` bytes read from `offset` of `file` (fewer at
/// the end of the file), with `pread` straight into its spare capacity: a
/// buffer of a large session is not zero-filled first only to be overwritten.
pub fn read_appending_at(
    file: &File,
    buf: &mut Vec<u8>,
    len: usize,
    offset: u64,
) -> io::Result<()> {
    buf.reserve_exact(len);
    let start = buf.len();
    let end = start + len;
    while buf.len() < end {
        let at = libc::off_t::try_from(offset + (buf.len() - start) as u64)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let want = end - buf.len();
        let spare = &mut buf.spare_capacity_mut()[..want];
        // SAFETY: the kernel writes at most `want` bytes into `spare`, memory
        // owned by `buf`; `file` is a live fd.
        let ret = unsafe { libc::pread(file.as_raw_fd(), spare.as_mut_ptr().cast(), want, at) };
        match ret {
            -1 => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            0 => break,
            n => {
                let filled = buf.len() + n as usize;
                // SAFETY: the `n` bytes after `buf.len()` were just written by
                // the kernel, and `filled <= end <= capacity`.
                unsafe { buf.set_len(filled) };
            }
        }
    }
    Ok(())
}
