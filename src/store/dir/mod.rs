//! The directory store: sessions as files in the permission-checked
//! directory `session.save_path` names.
//!
//! Layout: `session.save_path` names a directory (`"N;MODE;/path"` as for the
//! `files` handler); a session lives in `rustenc_<id>` there, or with depth
//! `N > 0` in `<id[0]>/…/<id[N-1]>/rustenc_<id>` below it (subdirectories are
//! created on demand, mode 0700). Ids too long for a file name are stored as
//! `rustenc_.<sha256 of the id>`. Files are laid out as `rustenc_tmp.<pid>.<n>` first.
//! A session file that does not open is set aside as
//! `<its name>.unreadable-<unix time>`, which gc removes like a session.
//!
//! Invariants:
//!
//! * The directory is checked on every open: it exists, is a directory and not
//!   a symbolic link, is owned by the effective user (or root), and is neither
//!   writable nor readable by group or others (listing it reveals session
//!   ids); otherwise nothing is touched.
//! * Every name is built from a [`SessionId`] that passed PHP's id rules, so no
//!   name can leave the directory. Entries are opened relative to the
//!   directory's fd with `O_NOFOLLOW`; a session file must be a regular file
//!   with one link, owned by the effective user (or, for root, by the
//!   directory's owner), or it is refused and left in place.
//! * A file at a session's name always holds a whole session: a slot file
//!   ([`slots`]) whose writes go into the slot not holding the newest record,
//!   so a crash, `kill -9` or full disk mid-write leaves the newest record
//!   whole; or, written by rustenc 0.1 and 0.2, one envelope (read as it is,
//!   laid out in slots by its next write). A file is laid out (created,
//!   converted, grown past its slots, or replaced after being set aside) by
//!   writing a temporary file and renaming it over the name.
//! * A [`SessionFile`] holds an exclusive `flock` on the inode at the
//!   session's name; the inode stays the same across writes. When a file is
//!   laid out anew, the writer locks the temporary file before renaming it
//!   into place, so the lock passes to the new inode without a gap; a waiter
//!   that wins the lock on the old inode sees it has no link left and starts
//!   again. Nothing else takes a session's inode away from its name (a
//!   session set aside is copied, not linked), so a link count of 1 after
//!   locking is proof enough.

mod check;
mod file;
mod gc;
mod save_path;
pub mod slots;
#[allow(unsafe_code)]
mod sys;

use std::{
    fs::{self, File},
    io,
    os::{
        fd::{AsFd, BorrowedFd, OwnedFd},
        unix::fs::MetadataExt,
    },
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use self::check::check_dir;
pub(crate) use self::{
    check::open_dir,
    file::lock_until,
    gc::walk_files,
    sys::{open_at, unlink_at},
};
pub use self::{
    check::StoreCache,
    file::{SessionFile, Snapshot},
    gc::LayoutCounts,
    save_path::{default_dir, prepare_private_dir, SavePath, DEFAULT_DIR},
};
use super::{LockedSession, SessionSnapshot, SessionStore};
use crate::{
    error::{Error, Result},
    id::SessionId,
    os::{effective_uid, user_name},
};

/// Prefix of session file names.
const SESSION_PREFIX: &str = "rustenc_";
/// Prefix of temporary files (not a session name: ids contain no `.`).
const TEMP_PREFIX: &str = "rustenc_tmp.";

/// Identity of an inode: what a lock holder compares with the name's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    dev: u64,
    ino: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    /// Of what `stat_at` found at a name.
    fn of_entry(st: &libc::stat) -> Stamp {
        Stamp {
            dev: st.st_dev,
            ino: st.st_ino,
        }
    }
}

/// The checked session directory.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    dir: OwnedFd,
    dir_id: Stamp,
    depth: usize,
    mode: u32,
    euid: u32,
    dir_owner: (u32, u32),
}

impl Store {
    /// Checks and opens the directory of `save_path` for this process.
    pub fn open(save_path: &SavePath) -> Result<Store> {
        Store::open_as(save_path, effective_uid())
    }

    /// As [`Store::open`], for a process whose effective user id is `euid`.
    pub fn open_as(save_path: &SavePath, euid: u32) -> Result<Store> {
        let path = save_path.dir.clone();
        let meta = check_dir(&path, euid)?;
        for parent in path.ancestors().skip(1) {
            let Ok(pmeta) = fs::metadata(parent) else {
                continue;
            };
            let pmode = pmeta.mode() & 0o7777;
            if pmode & 0o002 != 0 && pmode & 0o1000 == 0 {
                return Err(Error::DirParentWritable {
                    parent: parent.to_path_buf(),
                    path,
                    mode: pmode,
                });
            }
        }
        let dir = open_dir(&path).map_err(|e| match e.kind() {
            io::ErrorKind::PermissionDenied => Error::DirNoAccess {
                owner: user_name(meta.uid()),
                mode: meta.mode() & 0o7777,
                user: user_name(euid),
                path: path.clone(),
            },
            _ => io_error("open", &path, e),
        })?;
        let opened = dir.metadata().map_err(|e| io_error("inspect", &path, e))?;
        if Stamp::of(&opened) != Stamp::of(&meta) {
            return Err(replaced(&path));
        }
        Ok(Store {
            path,
            dir: dir.into(),
            dir_id: Stamp::of(&meta),
            depth: save_path.depth,
            mode: save_path.mode,
            euid,
            dir_owner: (meta.uid(), meta.gid()),
        })
    }

    /// Checks a store kept from an earlier request, as [`Store::open`] would
    /// (the same refusals), with one `lstat`: the path must still name the
    /// directory this store has open, and it must still be safe.
    pub fn recheck(&self) -> Result<()> {
        let meta = check_dir(&self.path, self.euid)?;
        if Stamp::of(&meta) != self.dir_id {
            return Err(replaced(&self.path));
        }
        Ok(())
    }

    /// The session directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory a session lives in: the store's own at depth 0, else the
    /// subdirectory named by the id's first characters (created if `create`).
    fn parent(&self, id: SessionId<'_>, create: bool) -> Result<Option<OwnedFd>> {
        if self.depth == 0 {
            return Ok(None);
        }
        if id.as_str().len() <= self.depth {
            return Err(Error::InvalidId {
                id: id.prefix(),
                why: "it is not longer than the save_path depth N",
            });
        }
        let mut current: Option<OwnedFd> = None;
        for c in id.as_str()[..self.depth].chars() {
            let dir = current.as_ref().map_or(self.dir.as_fd(), |d| d.as_fd());
            let name = c.to_string();
            let open = |dir| sys::open_at(dir, &name, libc::O_RDONLY | libc::O_DIRECTORY, 0);
            let sub = match open(dir) {
                Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
                    match sys::mkdir_at(dir, &name, 0o700) {
                        Ok(()) => {
                            let sub = open(dir)
                                .map_err(|e| self.io_error("open a subdirectory for", id, e))?;
                            self.give_to_dir_owner(&sub)
                                .map_err(|e| self.io_error("chown a subdirectory for", id, e))?;
                            Ok(sub)
                        }
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => open(dir),
                        Err(e) => Err(e),
                    }
                }
                other => other,
            }
            .map_err(|e| self.io_error("open a subdirectory for", id, e))?;
            current = Some(sub.into());
        }
        Ok(current)
    }

    /// As [`Store::parent`] without creating anything: `None` when a
    /// subdirectory is missing (so the session cannot exist).
    fn existing_parent(&self, id: SessionId<'_>) -> Result<Option<Option<OwnedFd>>> {
        match self.parent(id, false) {
            Ok(parent) => Ok(Some(parent)),
            Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn fd<'a>(&'a self, parent: &'a Option<OwnedFd>) -> BorrowedFd<'a> {
        parent.as_ref().map_or(self.dir.as_fd(), |d| d.as_fd())
    }

    /// When running as root in a directory owned by someone else (a cron job
    /// in the web server's directory), hand what we create to that owner, so
    /// the web server can still open it.
    fn give_to_dir_owner(&self, file: &File) -> io::Result<()> {
        let (uid, gid) = self.dir_owner;
        if self.euid == 0 && uid != 0 {
            std::os::unix::fs::fchown(file, Some(uid), Some(gid))?;
        }
        Ok(())
    }

    /// Whether a file owned by `uid` may be a session of this store: it
    /// is the effective user's, or (as root) the directory owner's.
    pub(crate) fn owner_ok(&self, uid: u32) -> bool {
        uid == self.euid || (self.euid == 0 && uid == self.dir_owner.0)
    }

    /// Who owns the files this store creates.
    pub(crate) fn file_owner(&self) -> u32 {
        if self.euid == 0 {
            self.dir_owner.0
        } else {
            self.euid
        }
    }

    fn check_file(&self, id: SessionId<'_>, meta: &fs::Metadata) -> Result<()> {
        self.check_kind(id, meta.mode(), meta.nlink(), meta.uid())
    }

    fn check_entry(&self, id: SessionId<'_>, st: &libc::stat) -> Result<()> {
        self.check_kind(id, st.st_mode, st.st_nlink, st.st_uid)
    }

    fn check_kind(&self, id: SessionId<'_>, mode: u32, nlink: u64, uid: u32) -> Result<()> {
        let what = match mode & libc::S_IFMT {
            libc::S_IFREG if nlink != 1 => format!("a hard link ({nlink} names share it)"),
            libc::S_IFREG if !self.owner_ok(uid) => format!(
                "owned by {}, not by {}",
                user_name(uid),
                user_name(self.euid)
            ),
            libc::S_IFREG => return Ok(()),
            libc::S_IFDIR => "a directory".into(),
            libc::S_IFIFO => "a FIFO".into(),
            libc::S_IFLNK => "a symbolic link".into(),
            libc::S_IFSOCK => "a socket".into(),
            _ => "a device".into(),
        };
        Err(self.unsafe_file(id, what))
    }

    fn unsafe_file(&self, id: SessionId<'_>, what: String) -> Error {
        Error::UnsafeFile {
            id: id.prefix(),
            dir: self.path.clone(),
            what,
        }
    }

    fn open_error(&self, id: SessionId<'_>, e: io::Error) -> Error {
        if e.raw_os_error() == Some(libc::ELOOP) {
            self.unsafe_file(id, "a symbolic link".into())
        } else if e.raw_os_error() == Some(libc::EISDIR) {
            self.unsafe_file(id, "a directory".into())
        } else {
            self.io_error("open", id, e)
        }
    }

    fn io_error(&self, op: &'static str, id: SessionId<'_>, source: io::Error) -> Error {
        io_error(
            op,
            &self.path.join(format!("{SESSION_PREFIX}{}", id.prefix())),
            source,
        )
    }
}

fn replaced(path: &Path) -> Error {
    io_error(
        "open",
        path,
        io::Error::other("it was replaced while being checked"),
    )
}

fn io_error(op: &'static str, path: &Path, source: io::Error) -> Error {
    Error::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
}

/// The directory store as the handler sees it: each method is the
/// inherent one of the same name.
impl SessionStore for Store {
    type Locked = SessionFile;
    type Snapshot = Snapshot;

    fn location(&self) -> &Path {
        self.path()
    }

    fn lock(
        &self,
        id: SessionId<'_>,
        timeout: Duration,
        fresh: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<SessionFile> {
        Store::lock(self, id, timeout, fresh)
    }

    fn read(&self, id: SessionId<'_>, locked: &mut SessionFile, max: u64) -> Result<Vec<u8>> {
        Store::read(self, id, locked, max)
    }

    fn fresh_binding(&self) -> Vec<u8> {
        Store::fresh_binding(self)
    }

    fn next_binding(&self, id: SessionId<'_>, locked: &mut SessionFile) -> Result<Vec<u8>> {
        Store::next_binding(self, id, locked)
    }

    fn replace(&self, id: SessionId<'_>, locked: &mut SessionFile, bytes: &[u8]) -> Result<()> {
        Store::replace(self, id, locked, bytes)
    }

    fn touch(&self, id: SessionId<'_>, locked: &mut SessionFile) -> Result<()> {
        Store::touch(self, id, locked)
    }

    fn set_aside(
        &self,
        id: SessionId<'_>,
        locked: &mut SessionFile,
        fresh: &[u8],
    ) -> Result<String> {
        Store::set_aside(self, id, locked, fresh)
    }

    fn peek(&self, id: SessionId<'_>, max: u64, timeout: Duration) -> Result<Option<Snapshot>> {
        Store::peek(self, id, max, timeout)
    }

    fn lock_snapshot(
        &self,
        _id: SessionId<'_>,
        snapshot: Snapshot,
        _timeout: Duration,
    ) -> Result<Option<SessionFile>> {
        Ok(Some(Store::lock_snapshot(self, snapshot)))
    }

    fn exists(&self, id: SessionId<'_>) -> Result<bool> {
        Store::exists(self, id)
    }

    fn destroy(&self, id: SessionId<'_>, held: Option<SessionFile>) -> Result<()> {
        Store::destroy(self, id, held)
    }

    fn gc(&self, max_age: Duration) -> Result<u64> {
        Store::gc(self, max_age)
    }
}

impl LockedSession for SessionFile {
    fn modified(&self) -> SystemTime {
        SessionFile::modified(self)
    }

    fn binding(&self) -> Vec<u8> {
        SessionFile::binding(self)
    }

    fn outdated(&self) -> bool {
        SessionFile::outdated(self)
    }
}

impl SessionSnapshot for Snapshot {
    fn modified(&self) -> SystemTime {
        self.modified
    }

    fn binding(&self) -> Vec<u8> {
        Snapshot::binding(self)
    }

    fn take_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

#[cfg(test)]
mod review_tests;
#[cfg(test)]
pub(crate) mod tests;
