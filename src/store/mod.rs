//! The store: the permission-checked session directory. This is where bytes
//! hit the disk, and the only place that does.
//!
//! Layout: `session.save_path` names a directory (`"N;MODE;/path"` as for the
//! `files` handler); a session lives in `rustenc_<id>` there, or with depth
//! `N > 0` in `<id[0]>/…/<id[N-1]>/rustenc_<id>` below it (subdirectories are
//! created on demand, mode 0700). Ids too long for a file name are stored as
//! `rustenc_.<sha256 of the id>`. Writes go to `rustenc_tmp.<pid>.<n>` first.
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
//! * A file at a session's name is always a complete envelope: new content is
//!   written to a temporary file and renamed over it, so a crash, `kill -9` or
//!   full disk leaves the previous content whole.
//! * A [`SessionFile`] holds an exclusive `flock` on the inode currently at
//!   the session's name. A writer locks its temporary file before renaming it
//!   into place, so the lock passes to the new inode without a gap; a waiter
//!   that wins the lock on an inode that has since been replaced or removed
//!   notices (its inode differs from the name's) and starts again.

#[allow(unsafe_code)]
mod sys;

use std::{
    fs::{self, File, FileTimes},
    io::{self, Write},
    os::{
        fd::{AsFd, BorrowedFd, OwnedFd},
        unix::fs::{FileExt, MetadataExt, OpenOptionsExt},
    },
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, PoisonError,
    },
    thread,
    time::{Duration, Instant, SystemTime},
};

pub(crate) use self::sys::{open_at, unlink_at};
pub use crate::id::SessionId;
use crate::{
    error::{Error, Result},
    os::{effective_uid, user_name},
};

/// Where sessions go when `session.save_path` is empty, if it exists (the
/// Debian package creates it); see [`default_dir`].
pub const DEFAULT_DIR: &str = "/var/lib/php/rustenc";
/// Prefix of session file names.
const SESSION_PREFIX: &str = "rustenc_";
/// Prefix of temporary files (not a session name: ids contain no `.`).
const TEMP_PREFIX: &str = "rustenc_tmp.";
/// An unlocked temporary file older than this is a crash leftover.
const TEMP_MAX_AGE: Duration = Duration::from_secs(60);
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

fn file_name(id: SessionId<'_>) -> String {
    file_name_with(id, "")
}

/// Where [`Store::set_aside`] keeps an unreadable session: not a session
/// name (ids hold no `.`), but one gc treats as a session.
fn aside_name(id: SessionId<'_>, stamp: &str) -> String {
    file_name_with(id, &format!(".unreadable-{stamp}"))
}

fn file_name_with(id: SessionId<'_>, suffix: &str) -> String {
    const NAME_MAX: usize = 255;
    if SESSION_PREFIX.len() + id.as_str().len() + suffix.len() <= NAME_MAX {
        format!("{SESSION_PREFIX}{}{suffix}", id.as_str())
    } else {
        let digest = ring::digest::digest(&ring::digest::SHA256, id.as_bytes());
        format!("{SESSION_PREFIX}.{}{suffix}", crate::hex(digest.as_ref()))
    }
}

/// Identity of an inode: what a lock holder compares with the name's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
}

/// A session file opened and locked: the lock lasts as long as the value.
#[derive(Debug)]
pub struct SessionFile {
    file: File,
    parent: Option<OwnedFd>,
    name: String,
    stamp: Stamp,
    len: u64,
    modified: SystemTime,
}

impl SessionFile {
    /// When it was last written or touched.
    pub fn modified(&self) -> SystemTime {
        self.modified
    }
}

/// A session file read without taking its lock (writes are atomic renames,
/// so what is read is always one whole version).
///
/// It keeps the file open: while it lives, the inode cannot be freed and its
/// number reused by a newer version, so [`Store::lock_snapshot`] can tell
/// reliably whether the version it locks is still the one that was read.
#[derive(Debug)]
pub struct Snapshot {
    /// When it was last written or touched.
    pub modified: SystemTime,
    /// Its bytes.
    pub bytes: Vec<u8>,
    file: File,
    parent: Option<OwnedFd>,
    name: String,
    stamp: Stamp,
}

/// The checked session directory.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    dir: OwnedFd,
    dir_id: (u64, u64),
    depth: usize,
    mode: u32,
    euid: u32,
    dir_owner: (u32, u32),
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

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
        let dir = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
            .map_err(|e| match e.kind() {
                io::ErrorKind::PermissionDenied => Error::DirNoAccess {
                    owner: user_name(meta.uid()),
                    mode: meta.mode() & 0o7777,
                    user: user_name(euid),
                    path: path.clone(),
                },
                _ => io_error("open", &path, e),
            })?;
        let opened = dir.metadata().map_err(|e| io_error("inspect", &path, e))?;
        if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
            return Err(replaced(&path));
        }
        Ok(Store {
            path,
            dir: dir.into(),
            dir_id: (meta.dev(), meta.ino()),
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
        if (meta.dev(), meta.ino()) != self.dir_id {
            return Err(replaced(&self.path));
        }
        Ok(())
    }

    /// The session directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens and locks the session `id`, waiting at most `timeout` for a
    /// request that holds it. A session that does not exist yet is created
    /// with the bytes `fresh` returns (an envelope of the empty session), so
    /// the name never holds anything but a whole envelope.
    pub fn lock(
        &self,
        id: SessionId<'_>,
        timeout: Duration,
        fresh: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<SessionFile> {
        let deadline = Instant::now() + timeout;
        let parent = self.parent(id, true)?;
        let name = file_name(id);
        let mut fresh = Some(fresh);
        let mut fresh_bytes: Option<Vec<u8>> = None;
        loop {
            let dir = self.fd(&parent);
            let file = match sys::open_at(dir, &name, libc::O_RDONLY | libc::O_NONBLOCK, 0) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if let Some(make) = fresh.take() {
                        fresh_bytes = Some(make()?);
                    }
                    let bytes = fresh_bytes.as_deref().unwrap_or_default();
                    match self.create(dir, &name, bytes, None)? {
                        Some((file, meta)) => return Ok(session_file(file, parent, name, &meta)),
                        // Another request created it first: wait for its lock.
                        None => continue,
                    }
                }
                Err(e) => return Err(self.open_error(id, e)),
            };
            let meta = self.lock_file(id, &file, deadline, timeout)?;
            if meta.nlink() == 0 {
                // Replaced or removed before we had the lock: open the new one.
                continue;
            }
            self.check_file(id, &meta)?;
            match sys::stat_at(dir, &name) {
                Ok(now) if (now.st_dev, now.st_ino) == (meta.dev(), meta.ino()) => {
                    return Ok(session_file(file, parent, name, &meta));
                }
                // Replaced or removed while we waited: try the new one.
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(self.io_error("inspect", id, e)),
            }
        }
    }

    /// Takes the exclusive lock on an open session file (waiting until
    /// `deadline`), then inspects it: locking first means one fstat serves
    /// every check, and sees a previous holder's last touch of the timestamp.
    fn lock_file(
        &self,
        id: SessionId<'_>,
        file: &File,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<fs::Metadata> {
        if !lock_until(deadline, || file.try_lock()).map_err(|e| self.io_error("lock", id, e))? {
            return Err(Error::LockTimeout {
                id: id.prefix(),
                ms: timeout.as_millis() as u64,
            });
        }
        file.metadata().map_err(|e| self.io_error("inspect", id, e))
    }

    /// Reads a locked session file whole, refusing one larger than `max`
    /// without reading it.
    pub fn read(&self, id: SessionId<'_>, file: &SessionFile, max: u64) -> Result<Vec<u8>> {
        if file.len > max {
            return Err(Error::TooLarge {
                id: id.prefix(),
                size: file.len,
                max,
            });
        }
        read_whole(&file.file, file.len).map_err(|e| self.io_error("read", id, e))
    }

    /// Replaces the content of a locked session atomically: the bytes go to a
    /// locked temporary file that is then renamed over the session's name. On
    /// any failure the previous content stays and the temporary is removed.
    pub fn replace(&self, id: SessionId<'_>, file: &mut SessionFile, bytes: &[u8]) -> Result<()> {
        let dir = self.fd(&file.parent);
        let (temp, temp_name, meta) = self.write_temp(dir, bytes)?;
        if let Err(e) = sys::rename_at(dir, &temp_name, &file.name) {
            let _ = sys::unlink_at(dir, &temp_name);
            return Err(self.io_error("rename into place", id, e));
        }
        // The old inode's lock is released when its fd closes here; waiters on
        // it see the name now points elsewhere and start again.
        *file = session_file(
            temp,
            file.parent.take(),
            std::mem::take(&mut file.name),
            &meta,
        );
        Ok(())
    }

    /// Moves a locked session that does not open out of the way, so its user
    /// can go on: the file keeps its bytes under [`aside_name`]
    /// (timestamped now, so gc keeps it for a whole lifetime, time to restore
    /// a key), and `fresh` takes its place atomically, as a write would.
    /// Returns what follows `.unreadable-` in the new name: the Unix time,
    /// and a counter if the same session was set aside before in that second.
    pub fn set_aside(
        &self,
        id: SessionId<'_>,
        file: &mut SessionFile,
        fresh: &[u8],
    ) -> Result<String> {
        self.touch(id, file)?;
        let secs = file
            .modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut n = 0;
        let (stamp, aside) = loop {
            let stamp = match n {
                0 => secs.to_string(),
                n => format!("{secs}.{n}"),
            };
            let aside = aside_name(id, &stamp);
            match sys::link_at(self.fd(&file.parent), &file.name, &aside) {
                Ok(()) => break (stamp, aside),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(self.io_error("set aside", id, e)),
            }
        };
        if let Err(e) = self.replace(id, file, fresh) {
            // A failed replace leaves `file` as it was.
            let _ = sys::unlink_at(self.fd(&file.parent), &aside);
            return Err(e);
        }
        Ok(stamp)
    }

    /// Sets the modification time of a locked session to now, leaving its
    /// bytes alone (lazy_write's update_timestamp).
    pub fn touch(&self, id: SessionId<'_>, file: &mut SessionFile) -> Result<()> {
        let now = SystemTime::now();
        file.file
            .set_times(FileTimes::new().set_accessed(now).set_modified(now))
            .map_err(|e| self.io_error("update the timestamp of", id, e))?;
        file.modified = now;
        Ok(())
    }

    /// Reads the session `id` without locking it, if it exists.
    pub fn peek(&self, id: SessionId<'_>, max: u64) -> Result<Option<Snapshot>> {
        let Some(parent) = self.existing_parent(id)? else {
            return Ok(None);
        };
        let name = file_name(id);
        let (file, meta) = loop {
            let file = match sys::open_at(
                self.fd(&parent),
                &name,
                libc::O_RDONLY | libc::O_NONBLOCK,
                0,
            ) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(self.open_error(id, e)),
            };
            let meta = file
                .metadata()
                .map_err(|e| self.io_error("inspect", id, e))?;
            // No links left: a writer renamed a newer version over it
            // between our open and fstat. Read that one instead.
            if meta.nlink() != 0 {
                break (file, meta);
            }
        };
        self.check_file(id, &meta)?;
        if meta.len() > max {
            return Err(Error::TooLarge {
                id: id.prefix(),
                size: meta.len(),
                max,
            });
        }
        let bytes = read_whole(&file, meta.len()).map_err(|e| self.io_error("read", id, e))?;
        Ok(Some(Snapshot {
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            bytes,
            file,
            parent,
            name,
            stamp: stamp(&meta),
        }))
    }

    /// Locks the version a [`Snapshot`] read, without opening it again: for
    /// `read` after `validate_sid`. `None` if a newer version took its place
    /// meanwhile (the caller then locks with [`Store::lock`] and reads that).
    pub fn lock_snapshot(
        &self,
        id: SessionId<'_>,
        snapshot: Snapshot,
        timeout: Duration,
    ) -> Result<Option<SessionFile>> {
        let Snapshot {
            file,
            parent,
            name,
            stamp: read,
            ..
        } = snapshot;
        let meta = self.lock_file(id, &file, Instant::now() + timeout, timeout)?;
        let current = sys::stat_at(self.fd(&parent), &name);
        Ok(match current {
            Ok(now)
                if meta.nlink() != 0
                    && (now.st_dev, now.st_ino) == (read.dev, read.ino)
                    && stamp(&meta) == read =>
            {
                Some(session_file(file, parent, name, &meta))
            }
            _ => None,
        })
    }

    /// Whether anything exists at the name of session `id`.
    pub fn exists(&self, id: SessionId<'_>) -> Result<bool> {
        let Some(parent) = self.existing_parent(id)? else {
            return Ok(false);
        };
        match sys::stat_at(self.fd(&parent), &file_name(id)) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.io_error("inspect", id, e)),
        }
    }

    /// Removes the session `id`. Pass its [`SessionFile`] when this request
    /// holds it: the name is removed before the lock is released, so a waiter
    /// never reads the destroyed session. Anything at the name that is not a
    /// session file rustenc may use is refused and left in place.
    pub fn destroy(&self, id: SessionId<'_>, held: Option<SessionFile>) -> Result<()> {
        let looked_up;
        let dir = match &held {
            Some(file) => self.fd(&file.parent),
            None => match self.existing_parent(id)? {
                Some(parent) => {
                    looked_up = parent;
                    self.fd(&looked_up)
                }
                None => return Ok(()),
            },
        };
        let name = file_name(id);
        match sys::stat_at(dir, &name) {
            Ok(st) => {
                if let Some(file) = &held {
                    if (st.st_dev, st.st_ino) != (file.stamp.dev, file.stamp.ino) {
                        return Ok(());
                    }
                } else {
                    self.check_entry(id, &st)?;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(self.io_error("inspect", id, e)),
        }
        sys::unlink_at(dir, &name).or_else(|e| match e.kind() {
            io::ErrorKind::NotFound => Ok(()),
            _ => Err(self.io_error("remove", id, e)),
        })?;
        drop(held);
        Ok(())
    }

    /// Removes sessions not modified for `max_age` (or stamped more than
    /// [`CLOCK_SKEW`] in the future), and temporary files left by crashed
    /// writers. Sessions locked by a request are skipped, links are never
    /// followed. Returns how many sessions were removed.
    pub fn gc(&self, max_age: Duration) -> Result<u64> {
        let mut removed = 0;
        walk_files(self.dir.as_fd(), self.depth, &mut |dir, name| {
            let limit = if name.starts_with(TEMP_PREFIX) {
                TEMP_MAX_AGE
            } else if name.starts_with(SESSION_PREFIX) {
                max_age
            } else {
                return;
            };
            if self.remove_if_stale(dir, name, limit) && !name.starts_with(TEMP_PREFIX) {
                removed += 1;
            }
        })
        .map_err(|e| io_error("list", &self.path, e))?;
        Ok(removed)
    }

    /// Removes `name` if it is a regular file we own, stale (see [`stale`]),
    /// and not locked by anyone. Failures only mean "not removed".
    fn remove_if_stale(&self, dir: BorrowedFd<'_>, name: &str, limit: Duration) -> bool {
        let Ok(file) = sys::open_at(dir, name, libc::O_RDONLY | libc::O_NONBLOCK, 0) else {
            return false;
        };
        let Ok(meta) = file.metadata() else {
            return false;
        };
        if !stale(&meta, limit)
            || !meta.is_file()
            || meta.nlink() != 1
            || !self.owner_ok(meta.uid())
        {
            return false;
        }
        #[cfg(test)]
        review_tests::before_gc_lock(name);
        if file.try_lock().is_err() {
            return false;
        }
        // Decided before the lock: a request may have used the session since
        // (touched it, or replaced it and left). Decide again, holding it.
        let Ok(meta) = file.metadata() else {
            return false;
        };
        if !stale(&meta, limit) || meta.nlink() != 1 {
            return false;
        }
        match sys::stat_at(dir, name) {
            Ok(st) if (st.st_dev, st.st_ino) == (meta.dev(), meta.ino()) => {
                sys::unlink_at(dir, name).is_ok()
            }
            _ => false,
        }
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

    /// Writes `bytes` to a new temporary file in `dir`, locked and owned as a
    /// session file must be. Returns it with its name and identity.
    fn write_temp(
        &self,
        dir: BorrowedFd<'_>,
        bytes: &[u8],
    ) -> Result<(File, String, fs::Metadata)> {
        let (mut temp, name) = loop {
            let name = format!(
                "{TEMP_PREFIX}{}.{}",
                std::process::id(),
                TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            match sys::open_at(
                dir,
                &name,
                libc::O_RDWR | libc::O_CREAT | libc::O_EXCL,
                self.mode,
            ) {
                Ok(file) => break (file, name),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_error("create a temporary file in", &self.path, e)),
            }
        };
        let result = (|| {
            temp.try_lock().map_err(io::Error::from)?;
            self.give_to_dir_owner(&temp)?;
            temp.write_all(bytes)?;
            temp.metadata()
        })();
        match result {
            Ok(meta) => Ok((temp, name, meta)),
            Err(e) => {
                let _ = sys::unlink_at(dir, &name);
                Err(io_error("write a session file in", &self.path, e))
            }
        }
    }

    /// Puts a session that does not exist yet at `id`'s name, with the given
    /// modification time (an import keeps the original's, so it expires when
    /// the original would have). Returns `false`, and changes nothing, if the
    /// session exists.
    pub fn import(&self, id: SessionId<'_>, bytes: &[u8], modified: SystemTime) -> Result<bool> {
        let parent = self.parent(id, true)?;
        Ok(self
            .create(self.fd(&parent), &file_name(id), bytes, Some(modified))?
            .is_some())
    }

    /// Puts a new session at `name` unless something is already there.
    /// Returns the locked file, or `None` if another request was first.
    fn create(
        &self,
        dir: BorrowedFd<'_>,
        name: &str,
        bytes: &[u8],
        modified: Option<SystemTime>,
    ) -> Result<Option<(File, fs::Metadata)>> {
        let (temp, temp_name, meta) = self.write_temp(dir, bytes)?;
        if let Some(t) = modified {
            if let Err(e) = temp.set_times(FileTimes::new().set_accessed(t).set_modified(t)) {
                let _ = sys::unlink_at(dir, &temp_name);
                return Err(io_error("set the timestamp in", &self.path, e));
            }
        }
        match sys::rename_at_noreplace(dir, &temp_name, name) {
            Ok(()) => Ok(Some((temp, meta))),
            Err(e) => {
                let _ = sys::unlink_at(dir, &temp_name);
                if e.kind() == io::ErrorKind::AlreadyExists {
                    Ok(None)
                } else {
                    Err(io_error("create a session file in", &self.path, e))
                }
            }
        }
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

/// The session directory for an empty `session.save_path`: [`DEFAULT_DIR`]
/// when anything exists at that path (the package's directory; [`Store::open`]
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

/// The checks every use of the session directory makes, on `lstat` of its
/// path: it exists, is a directory (not a link), is owned by `euid` or root
/// (or `euid` is root), and its group and others can neither write nor list
/// it. Returns its metadata.
fn check_dir(path: &Path, euid: u32) -> Result<fs::Metadata> {
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

fn session_file(
    file: File,
    parent: Option<OwnedFd>,
    name: String,
    meta: &fs::Metadata,
) -> SessionFile {
    SessionFile {
        file,
        parent,
        name,
        stamp: stamp(meta),
        len: meta.len(),
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    }
}

fn stamp(meta: &fs::Metadata) -> Stamp {
    Stamp {
        dev: meta.dev(),
        ino: meta.ino(),
    }
}

fn replaced(path: &Path) -> Error {
    io_error(
        "open",
        path,
        io::Error::other("it was replaced while being checked"),
    )
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

impl Default for StoreCache {
    fn default() -> StoreCache {
        StoreCache::new()
    }
}

impl StoreCache {
    /// How long a fully checked directory is trusted to keep safe parents.
    pub const FULL_CHECK_EVERY: Duration = Duration::from_secs(1);

    /// An empty cache.
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

fn io_error(op: &'static str, path: &Path, source: io::Error) -> Error {
    Error::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
}

/// Reads `len` bytes from offset 0, whatever the fd's position (a file this
/// request just wrote is positioned at its end). Session files never change
/// in place, so `len` from `fstat` stays right.
fn read_whole(file: &File, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; len as usize];
    file.read_exact_at(&mut bytes, 0)?;
    Ok(bytes)
}

/// How far in the future a timestamp (a file's mtime, an envelope's
/// `sealed_at`) may lie and still be taken as clock skew between machines
/// or a clock stepped back. Anything later was forged or planted: it is not
/// served, and gc removes it.
pub const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// Whether `t` lies more than [`CLOCK_SKEW`] after now.
pub(crate) fn in_the_future(t: SystemTime) -> bool {
    t.duration_since(SystemTime::now())
        .is_ok_and(|ahead| ahead > CLOCK_SKEW)
}

/// Whether gc may remove a file with this metadata: not modified for
/// longer than `limit`, or modified (it claims) in the future.
fn stale(meta: &fs::Metadata, limit: Duration) -> bool {
    meta.modified().is_ok_and(|m| {
        in_the_future(m)
            || SystemTime::now()
                .duration_since(m)
                .is_ok_and(|age| age > limit)
    })
}

/// Calls `each(dir, name)` for every regular file `depth` levels of
/// one-character subdirectories below the directory open at `dir` (the
/// layout of `"N;/path"`). Each level is opened relative to its parent's fd
/// with `O_NOFOLLOW` and listed through its own fd, never by path: a
/// subdirectory swapped for a link while the walk runs (by the directory's
/// owner, while root walks it) is skipped, so the walk never leaves `dir`.
pub(crate) fn walk_files(
    dir: BorrowedFd<'_>,
    depth: usize,
    each: &mut dyn FnMut(BorrowedFd<'_>, &str),
) -> io::Result<()> {
    for entry in sys::list_dir(dir)? {
        let kind = match entry.kind {
            libc::DT_UNKNOWN => match sys::stat_at(dir, &entry.name) {
                Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFDIR => libc::DT_DIR,
                Ok(st) if st.st_mode & libc::S_IFMT == libc::S_IFREG => libc::DT_REG,
                _ => continue,
            },
            kind => kind,
        };
        if depth > 0 {
            if kind != libc::DT_DIR || entry.name.chars().count() != 1 {
                continue;
            }
            match sys::open_at(dir, &entry.name, libc::O_RDONLY | libc::O_DIRECTORY, 0) {
                Ok(sub) => walk_files(sub.as_fd(), depth - 1, each)?,
                // Removed, or replaced by a link or a file, since listed.
                Err(_) => continue,
            }
        } else if kind == libc::DT_REG {
            each(dir, &entry.name);
        }
    }
    Ok(())
}

/// Takes a lock with `attempt` (a non-blocking `flock`), polling until
/// `deadline`. Returns whether the lock was taken. `flock` has no timeout of
/// its own; the pause grows from 0.1 ms to 5 ms so short holds cost little
/// and long ones do not spin.
pub(crate) fn lock_until(
    deadline: Instant,
    mut attempt: impl FnMut() -> Result<(), fs::TryLockError>,
) -> io::Result<bool> {
    let mut pause = Duration::from_micros(100);
    loop {
        match attempt() {
            Ok(()) => return Ok(true),
            Err(fs::TryLockError::WouldBlock) => {}
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(false);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod tests;
