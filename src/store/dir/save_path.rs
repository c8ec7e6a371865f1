//! `session.save_path`: the `files` handler's syntax, and the directory an
//! empty value stands for.

use std::{
    fs, io,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
};

use super::io_error;
use crate::{
    error::{Error, Result},
    os::user_name,
};

/// Where sessions go when `session.save_path` is empty, if it exists (the
/// Debian package creates it); see [`default_dir`].
pub const DEFAULT_DIR: &str = "/var/lib/php/rustenc";
/// Deepest `N` accepted in `"N;…"`.
const MAX_DEPTH: usize = 16;

/// `session.save_path`, parsed as the `files` handler parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavePath {
    /// Levels of subdirectories named after the first characters of the id.
    pub depth: usize,
    /// Mode of the session files (default 0600).
    pub mode: u32,
    /// The session directory.
    pub dir: PathBuf,
}

impl SavePath {
    /// Parses `"/path"`, `"N;/path"` or `"N;MODE;/path"` (MODE in octal). An
    /// empty value is for the caller to replace with [`default_dir`] first.
    pub fn parse(value: &str) -> Result<SavePath> {
        let invalid = |why| Error::SavePath {
            value: value.into(),
            why,
        };
        let parts: Vec<&str> = value.split(';').collect();
        let (depth, mode, dir) = match parts[..] {
            [dir] => ("0", "600", dir),
            [depth, dir] => (depth, "600", dir),
            [depth, mode, dir] => (depth, mode, dir),
            _ => return Err(invalid("it has more than two ';'")),
        };
        let depth: usize = depth
            .trim()
            .parse()
            .map_err(|_| invalid("N is not a number"))?;
        if depth > MAX_DEPTH {
            return Err(invalid("N is larger than 16"));
        }
        let mode = u32::from_str_radix(mode.trim(), 8).map_err(|_| invalid("MODE is not octal"))?;
        if mode & !0o777 != 0 {
            return Err(invalid("MODE has bits beyond 0777"));
        }
        if mode & 0o600 != 0o600 {
            return Err(invalid("MODE must let the owner read and write (0600)"));
        }
        if mode & 0o022 != 0 {
            return Err(invalid("MODE lets group or others write session files"));
        }
        if dir.is_empty() {
            return Err(invalid("the path is empty"));
        }
        if !dir.starts_with('/') {
            return Err(invalid("the path is not absolute"));
        }
        Ok(SavePath {
            depth,
            mode,
            // Rebuilt from its components: "/a/link/" would make lstat follow
            // the link, and "/a/./b" is "/a/b".
            dir: Path::new(dir).components().collect(),
        })
    }
}

/// The session directory for an empty `session.save_path`: [`DEFAULT_DIR`]
/// when anything exists at that path (the package's directory; [`Store::open`](super::Store::open)
/// checks it as any other), else `rustenc-<euid>` in `temp_dir` (PHP's
/// temporary directory, where `files` keeps sessions by default), a directory
/// of this user alone. Makes no change: see [`prepare_private_dir`].
pub fn default_dir(temp_dir: &Path, euid: u32) -> PathBuf {
    if fs::symlink_metadata(DEFAULT_DIR).is_ok() {
        return PathBuf::from(DEFAULT_DIR);
    }
    temp_dir.join(format!("rustenc-{euid}"))
}

/// Creates the private directory [`default_dir`] chose under the temporary
/// directory (mode 0700) unless it exists, and refuses it if it is not this
/// user's alone: in a directory everyone can write (`/tmp`), another user
/// may have put a link or a directory of theirs at that name first.
pub fn prepare_private_dir(path: &Path, euid: u32) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match fs::DirBuilder::new().mode(0o700).create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_error("create the default session dir", path, e)),
    }
    let meta = fs::symlink_metadata(path).map_err(|e| io_error("inspect", path, e))?;
    let mode = meta.mode() & 0o7777;
    let what = if meta.file_type().is_symlink() {
        "a symbolic link".to_string()
    } else if !meta.is_dir() {
        "not a directory".to_string()
    } else if meta.uid() != euid {
        format!("owned by {}", user_name(meta.uid()))
    } else if mode & 0o077 != 0 {
        format!("mode {mode:04o}, open to group or others")
    } else {
        return Ok(());
    };
    Err(Error::DefaultDirUnsafe {
        path: path.into(),
        what,
        user: user_name(euid),
    })
}
