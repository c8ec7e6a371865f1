//! The directory check every use makes, and the cache that lets a process
//! repeat it with one `lstat` per request.

use std::{
    fs::{self, File},
    io,
    os::unix::fs::{MetadataExt, OpenOptionsExt},
    path::Path,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use super::{io_error, SavePath, Store};
use crate::{
    error::{Error, Result},
    os::{effective_uid, user_name},
};

/// The checks every use of the session directory makes, on `lstat` of its
/// path: it exists, is a directory (not a link), is owned by `euid` or root
/// (or `euid` is root), and its group and others can neither write nor list
/// it. Returns its metadata.
pub(super) fn check_dir(path: &Path, euid: u32) -> Result<fs::Metadata> {
    let user = || user_name(euid);
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::DirMissing {
                path: path.into(),
                user: user(),
            })
        }
        Err(source) => return Err(io_error("inspect", path, source)),
    };
    if meta.file_type().is_symlink() {
        let target = fs::canonicalize(path).unwrap_or_else(|_| path.into());
        return Err(Error::DirSymlink {
            path: path.into(),
            target,
        });
    }
    if !meta.is_dir() {
        return Err(Error::DirNotDirectory {
            path: path.into(),
            user: user(),
        });
    }
    if meta.uid() != euid && meta.uid() != 0 && euid != 0 {
        return Err(Error::DirOwner {
            owner: user_name(meta.uid()),
            path: path.into(),
            user: user(),
        });
    }
    let mode = meta.mode() & 0o7777;
    let who = |group_bit: u32, other_bit: u32| match (mode & group_bit != 0, mode & other_bit != 0)
    {
        (true, true) => Some("group and others"),
        (true, false) => Some("its group"),
        (false, true) => Some("others"),
        (false, false) => None,
    };
    if mode & 0o1000 != 0 && mode & 0o022 != 0 {
        // Debian's /var/lib/php/sessions (1733), /tmp: "chmod 0700" would
        // break every other application whose sessions are kept there.
        return Err(Error::DirShared {
            path: path.into(),
            mode,
            user: user(),
        });
    }
    if let Some(who) = who(0o020, 0o002) {
        return Err(Error::DirWritable {
            path: path.into(),
            mode,
            who,
        });
    }
    if let Some(who) = who(0o040, 0o004) {
        return Err(Error::DirListable {
            path: path.into(),
            mode,
            who,
        });
    }
    Ok(meta)
}

/// Opens the directory at `path` itself, never a link in its place (the last
/// component is not followed), for listing or `*at` calls through the fd.
pub(crate) fn open_dir(path: &Path) -> io::Result<File> {
    File::options()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// The session directory of this process, kept between requests so each
/// request costs one `lstat` instead of a full check: [`Store::recheck`]
/// runs on every use, and the full check of [`Store::open`] (parents too)
/// again after [`StoreCache::FULL_CHECK_EVERY`], or when anything changed.
/// Failures are never kept: the next request checks again.
pub struct StoreCache(Mutex<Option<Cached>>);

struct Cached {
    save_path: String,
    euid: u32,
    store: Arc<Store>,
    opened: Instant,
}

impl StoreCache {
    /// How long a fully checked directory is trusted to keep safe parents.
    pub const FULL_CHECK_EVERY: Duration = Duration::from_secs(1);

    /// An empty cache.
    #[allow(
        clippy::new_without_default,
        reason = "the cache lives in a static, which needs a const fn; Default would be unused"
    )]
    pub const fn new() -> StoreCache {
        StoreCache(Mutex::new(None))
    }

    /// The checked store for `save_path`.
    pub fn open(&self, save_path: &str) -> Result<Arc<Store>> {
        let euid = effective_uid();
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = slot.as_ref() {
            if c.save_path == save_path
                && c.euid == euid
                && c.opened.elapsed() < Self::FULL_CHECK_EVERY
                && c.store.recheck().is_ok()
            {
                return Ok(c.store.clone());
            }
        }
        *slot = None;
        let store = Arc::new(Store::open_as(&SavePath::parse(save_path)?, euid)?);
        *slot = Some(Cached {
            save_path: save_path.into(),
            euid,
            store: store.clone(),
            opened: Instant::now(),
        });
        Ok(store)
    }
}
