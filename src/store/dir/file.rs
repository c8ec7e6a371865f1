//! Session files: opening and locking, reading, atomic replacement,
//! touching, setting aside, destroying.

use std::{
    fs::{self, File, FileTimes},
    io::{self, Write},
    os::{
        fd::{BorrowedFd, OwnedFd},
        unix::fs::{FileExt, MetadataExt},
    },
    sync::atomic::{AtomicU64, Ordering},
    thread,
    time::{Duration, Instant, SystemTime},
};

use super::{io_error, sys, Stamp, Store, SESSION_PREFIX, TEMP_PREFIX};
use crate::{
    error::{Error, Result},
    id::SessionId,
};

pub(super) fn file_name(id: SessionId<'_>) -> String {
    file_name_with(id, "")
}

/// Where [`Store::set_aside`] keeps an unreadable session: not a session
/// name (ids hold no `.`), but one gc treats as a session.
pub(super) fn aside_name(id: SessionId<'_>, stamp: &str) -> String {
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

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
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
                Ok(now) if Stamp::of_entry(&now) == Stamp::of(&meta) => {
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
    /// can go on: the file keeps its bytes under `aside_name`
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
            stamp: Stamp::of(&meta),
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
                    && Stamp::of_entry(&now) == read
                    && Stamp::of(&meta) == read =>
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
                    if Stamp::of_entry(&st) != file.stamp {
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
}

pub(super) fn session_file(
    file: File,
    parent: Option<OwnedFd>,
    name: String,
    meta: &fs::Metadata,
) -> SessionFile {
    SessionFile {
        file,
        parent,
        name,
        stamp: Stamp::of(meta),
        len: meta.len(),
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
    }
}

/// Reads `len` bytes from offset 0, whatever the fd's position (a file this
/// request just wrote is positioned at its end). Session files never change
/// in place, so `len` from `fstat` stays right.
pub(super) fn read_whole(file: &File, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; len as usize];
    file.read_exact_at(&mut bytes, 0)?;
    Ok(bytes)
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
