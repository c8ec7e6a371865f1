//! Session files: opening and locking, reading, atomic replacement,
//! touching, setting aside, destroying.

use std::{
    fs::{self, File, FileTimes},
    io::{self, Write},
    ops::Range,
    os::{
        fd::{BorrowedFd, OwnedFd},
        unix::fs::{FileExt, MetadataExt},
    },
    sync::atomic::{AtomicU64, Ordering},
    thread,
    time::{Duration, Instant, SystemTime},
};

use super::{
    io_error,
    slots::{self, Slots},
    sys, Stamp, Store, SESSION_PREFIX, TEMP_PREFIX,
};
use crate::{
    envelope::Unreadable,
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
    /// What the file holds, once read: `None` until then.
    layout: Option<Layout>,
}

/// How a session file holds its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Two slots ([`slots`]).
    Slots(Slots),
    /// One envelope, the whole file: what rustenc 0.1 and 0.2 wrote, read as
    /// it is and laid out in slots by the next write.
    Whole,
}

impl Layout {
    fn of(file: &[u8]) -> Layout {
        if slots::is_slot_file(file) {
            Layout::Slots(slots::parse(file))
        } else {
            Layout::Whole
        }
    }

    /// The sequence number of the next record written.
    fn next_seq(&self) -> u64 {
        match self {
            Layout::Slots(s) => s.next_seq(),
            Layout::Whole => 1,
        }
    }

    /// Where the envelope to open lies in the file (`None`: no slot holds a
    /// record, the whole file is handed over and does not open).
    fn envelope(&self) -> Option<Range<usize>> {
        match self {
            Layout::Slots(s) => s.newest.as_ref().map(|r| r.envelope.clone()),
            Layout::Whole => None,
        }
    }
}

impl SessionFile {
    /// When it was last written or touched.
    pub fn modified(&self) -> SystemTime {
        self.modified
    }

    /// The binding of the envelope [`Store::read`] returned.
    pub fn binding(&self) -> Vec<u8> {
        match &self.layout {
            Some(Layout::Slots(Slots {
                newest: Some(r), ..
            })) => slots::binding(r.seq),
            _ => Vec::new(),
        }
    }

    /// Whether it was read in a layout that the next write replaces: one
    /// whole-file envelope (version 1 or 2), not slots.
    pub fn outdated(&self) -> bool {
        self.layout == Some(Layout::Whole)
    }
}

/// A session file read for `validate_sid`, held locked until `read` takes it
/// (see [`Store::peek`]).
#[derive(Debug)]
pub struct Snapshot {
    /// When it was last written or touched.
    pub modified: SystemTime,
    /// Its envelope.
    pub bytes: Vec<u8>,
    file: SessionFile,
}

impl Snapshot {
    /// The binding of its envelope.
    pub fn binding(&self) -> Vec<u8> {
        self.file.binding()
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    /// Opens and locks the session `id`, waiting at most `timeout` for a
    /// request that holds it. A session that does not exist yet is created
    /// with the envelope `fresh` returns (the empty session, bound to the
    /// first record, [`Store::fresh_binding`]), so the name never holds
    /// anything but a whole session.
    pub fn lock(
        &self,
        id: SessionId<'_>,
        timeout: Duration,
        fresh: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<SessionFile> {
        let parent = self.parent(id, true)?;
        let found = self.lock_in(id, parent, timeout, Some(fresh))?;
        Ok(found.expect("a missing session is created"))
    }

    /// The lock loop of [`Store::lock`] and [`Store::peek`]: `None` when the
    /// session does not exist and `fresh` is `None`.
    fn lock_in(
        &self,
        id: SessionId<'_>,
        parent: Option<OwnedFd>,
        timeout: Duration,
        mut fresh: Option<impl FnOnce() -> Result<Vec<u8>>>,
    ) -> Result<Option<SessionFile>> {
        let deadline = Instant::now() + timeout;
        let name = file_name(id);
        let mut fresh_bytes: Option<Vec<u8>> = None;
        loop {
            let dir = self.fd(&parent);
            // Read-write: records are written in place, through this fd.
            let file = match sys::open_at(dir, &name, libc::O_RDWR | libc::O_NONBLOCK, 0) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if let Some(make) = fresh.take() {
                        fresh_bytes = Some(make()?);
                    }
                    let Some(bytes) = fresh_bytes.as_deref() else {
                        return Ok(None);
                    };
                    match self.create(dir, &name, bytes, None)? {
                        Some((file, meta, laid)) => {
                            let mut held = session_file(file, parent, name, &meta);
                            held.layout = Some(Layout::Slots(laid));
                            return Ok(Some(held));
                        }
                        // Another request created it first: wait for its lock.
                        None => continue,
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    // Say why, if it is a file that is not ours to use.
                    if let Ok(st) = sys::stat_at(dir, &name) {
                        self.check_entry(id, &st)?;
                    }
                    return Err(self.open_error(id, e));
                }
                Err(e) => return Err(self.open_error(id, e)),
            };
            let meta = self.lock_file(id, &file, deadline, timeout)?;
            // No link left: replaced (a file laid out anew renamed over it)
            // or removed before we had the lock. Open what the name holds
            // now. Nothing else moves a session's inode away from its name
            // (a session set aside is copied), so with a link it is still
            // the session's: no second lookup of the name is needed.
            if meta.nlink() == 0 {
                continue;
            }
            self.check_file(id, &meta)?;
            return Ok(Some(session_file(file, parent, name, &meta)));
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

    /// Reads a locked session's newest envelope, refusing one larger than
    /// `max` (and a file too large to hold one of at most `max` bytes,
    /// without reading it). With one `pread` of the whole file; a large slot
    /// file (more than [`WHOLE_READ_MAX`]) with three: its superblock and
    /// first record head, the second head, then only the newest record.
    pub fn read(&self, id: SessionId<'_>, file: &mut SessionFile, max: u64) -> Result<Vec<u8>> {
        let too_large = |size| Error::TooLarge {
            id: id.prefix(),
            size,
            max,
        };
        if file.len > max_file_len(max) {
            return Err(too_large(file.len));
        }
        let io = |e| self.io_error("read", id, e);
        if file.len > WHOLE_READ_MAX {
            if let Some(found) = read_newest(file).map_err(io)? {
                return match found {
                    Some(bytes) if bytes.len() as u64 > max => Err(too_large(bytes.len() as u64)),
                    Some(bytes) => Ok(bytes),
                    None => Err(Error::Unreadable {
                        id: id.prefix(),
                        cause: Unreadable::NoRecord {
                            len: file.len as usize,
                        },
                    }),
                };
            }
        }
        let mut bytes = read_whole(&file.file, file.len).map_err(io)?;
        let layout = Layout::of(&bytes);
        let envelope = layout.envelope();
        file.layout = Some(layout);
        match envelope {
            Some(range) if range.len() as u64 > max => Err(too_large(range.len() as u64)),
            Some(range) => {
                bytes.truncate(range.end);
                bytes.drain(..range.start);
                Ok(bytes)
            }
            None if !file.outdated() => Err(Error::Unreadable {
                id: id.prefix(),
                cause: Unreadable::NoRecord { len: bytes.len() },
            }),
            None if file.len > max => Err(too_large(file.len)),
            // A whole-file envelope: the file as it is, which opens or says
            // why not.
            None => Ok(bytes),
        }
    }

    /// What `file` holds, read now if it was not read before.
    fn layout(&self, id: SessionId<'_>, file: &mut SessionFile) -> Result<Layout> {
        if let Some(layout) = &file.layout {
            return Ok(layout.clone());
        }
        let bytes = read_whole(&file.file, file.len).map_err(|e| self.io_error("read", id, e))?;
        let layout = Layout::of(&bytes);
        file.layout = Some(layout.clone());
        Ok(layout)
    }

    /// The binding (see [`crate::envelope::seal_bound`]) of the envelope the
    /// next [`Store::replace`] or [`Store::set_aside`] of `file` stores.
    pub fn next_binding(&self, id: SessionId<'_>, file: &mut SessionFile) -> Result<Vec<u8>> {
        Ok(slots::binding(self.layout(id, file)?.next_seq()))
    }

    /// The binding of a new session's first envelope (what
    /// [`Store::lock`]'s `fresh` and [`Store::import`] are given).
    pub fn fresh_binding(&self) -> Vec<u8> {
        slots::binding(1)
    }

    /// Replaces the session of a locked file atomically with `envelope`,
    /// sealed with [`Store::next_binding`]: one `pwritev` of the record into
    /// the slot that does not hold the newest one, so the newest stays whole
    /// whatever happens to the write. A file in the old layout, or one whose
    /// slots are too small for `envelope`, is laid out anew instead (written
    /// to a temporary file renamed over the name). On any failure the
    /// previous session stays.
    pub fn replace(
        &self,
        id: SessionId<'_>,
        file: &mut SessionFile,
        envelope: &[u8],
    ) -> Result<()> {
        let layout = self.layout(id, file)?;
        let seq = layout.next_seq();
        match layout {
            Layout::Slots(mut laid) if laid.fits(envelope.len()) => {
                let slot = laid.target();
                let (head, trailer) = slots::record_frame(seq, envelope.len());
                sys::write_all_vectored_at(
                    &file.file,
                    &[&head, envelope, &trailer],
                    laid.offset(slot),
                )
                .map_err(|e| self.io_error("write", id, e))?;
                let start = laid.offset(slot) as usize + head.len();
                laid.newest = Some(slots::Record {
                    slot,
                    seq,
                    envelope: start..start + envelope.len(),
                });
                file.layout = Some(Layout::Slots(laid));
                file.modified = SystemTime::now();
                Ok(())
            }
            _ => self.lay_out(id, file, seq, envelope),
        }
    }

    /// Puts a new slot file holding `envelope` (record `seq`) at the name of
    /// a locked session, renamed over it: the lock passes to the new inode
    /// without a gap, and a waiter on the old one sees it has no link left.
    fn lay_out(
        &self,
        id: SessionId<'_>,
        file: &mut SessionFile,
        seq: u64,
        envelope: &[u8],
    ) -> Result<()> {
        let dir = self.fd(&file.parent);
        let (bytes, laid) = slots::lay_out(seq, envelope);
        let (temp, temp_name, meta) = self.write_temp(dir, &bytes)?;
        if let Err(e) = sys::rename_at(dir, &temp_name, &file.name) {
            let _ = sys::unlink_at(dir, &temp_name);
            return Err(self.io_error("rename into place", id, e));
        }
        *file = session_file(
            temp,
            file.parent.take(),
            std::mem::take(&mut file.name),
            &meta,
        );
        file.layout = Some(Layout::Slots(laid));
        Ok(())
    }

    /// Moves a locked session that does not open out of the way, so its user
    /// can go on: a copy of its bytes is kept as `aside_name` (timestamped
    /// now, so gc keeps it for a whole lifetime, time to restore a key), and
    /// `fresh` (sealed with [`Store::next_binding`]) takes its place
    /// atomically, in a file laid out anew. Returns what follows
    /// `.unreadable-` in the kept copy's name: the Unix time, and a counter
    /// if the same session was set aside before in that second.
    pub fn set_aside(
        &self,
        id: SessionId<'_>,
        file: &mut SessionFile,
        fresh: &[u8],
    ) -> Result<String> {
        let seq = self.layout(id, file)?.next_seq();
        let old = read_whole(&file.file, file.len).map_err(|e| self.io_error("read", id, e))?;
        let dir = self.fd(&file.parent);
        let (_, temp_name, meta) = self.write_temp(dir, &old)?;
        let secs = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let mut n = 0;
        let (stamp, aside) = loop {
            let stamp = match n {
                0 => secs.to_string(),
                n => format!("{secs}.{n}"),
            };
            let aside = aside_name(id, &stamp);
            match sys::rename_at_noreplace(dir, &temp_name, &aside) {
                Ok(()) => break (stamp, aside),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => {
                    let _ = sys::unlink_at(dir, &temp_name);
                    return Err(self.io_error("set aside", id, e));
                }
            }
        };
        if let Err(e) = self.lay_out(id, file, seq, fresh) {
            // A failed lay_out leaves `file` as it was.
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

    /// Reads the session `id` for `validate_sid`, if it exists, and keeps it
    /// locked for the `read` that follows ([`Store::lock_snapshot`]). It
    /// waits for the lock (at most `timeout`) because writes change slot
    /// files in place: read unlocked, a record being written could be seen
    /// torn. `read` would wait for that lock anyway.
    pub fn peek(&self, id: SessionId<'_>, max: u64, timeout: Duration) -> Result<Option<Snapshot>> {
        let Some(parent) = self.existing_parent(id)? else {
            return Ok(None);
        };
        let none: Option<fn() -> Result<Vec<u8>>> = None;
        let Some(mut file) = self.lock_in(id, parent, timeout, none)? else {
            return Ok(None);
        };
        let bytes = self.read(id, &mut file, max)?;
        Ok(Some(Snapshot {
            modified: file.modified,
            bytes,
            file,
        }))
    }

    /// The locked session a [`Snapshot`] read (held since, so always the
    /// same version).
    pub fn lock_snapshot(&self, snapshot: Snapshot) -> SessionFile {
        snapshot.file
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

    /// Puts a new session, `envelope` as its first record (sealed with
    /// [`Store::fresh_binding`]), at `name` unless something is already
    /// there. Returns the locked file, or `None` if another request was first.
    fn create(
        &self,
        dir: BorrowedFd<'_>,
        name: &str,
        envelope: &[u8],
        modified: Option<SystemTime>,
    ) -> Result<Option<(File, fs::Metadata, Slots)>> {
        let (bytes, laid) = slots::lay_out(1, envelope);
        let (temp, temp_name, meta) = self.write_temp(dir, &bytes)?;
        if let Some(t) = modified {
            if let Err(e) = temp.set_times(FileTimes::new().set_accessed(t).set_modified(t)) {
                let _ = sys::unlink_at(dir, &temp_name);
                return Err(io_error("set the timestamp in", &self.path, e));
            }
        }
        match sys::rename_at_noreplace(dir, &temp_name, name) {
            Ok(()) => Ok(Some((temp, meta, laid))),
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
        layout: None,
    }
}

/// The largest file [`Store::read`] reads for an envelope of at most `max`
/// bytes: a slot file laid out for one four times as large, so that a
/// session written under a larger limit is read and refused with its own
/// size, while a huge file is refused without being read.
fn max_file_len(max: u64) -> u64 {
    let max = usize::try_from(max.saturating_mul(4)).unwrap_or(usize::MAX / 8);
    (slots::SUPER_LEN + 2 * slots::capacity_for(max)) as u64
}

/// Slot files up to this size are read whole, in one `pread`; larger ones
/// record by record (reading both slots would read twice the session).
const WHOLE_READ_MAX: u64 = 64 * 1024;

/// Reads the newest record of a slot file without reading the rest: its
/// envelope, or `Some(None)` if no slot holds a record; `None` if the file
/// is not a slot file (it is read whole). Records the layout in `file`.
fn read_newest(file: &mut SessionFile) -> io::Result<Option<Option<Vec<u8>>>> {
    let mut first = [0u8; slots::SUPER_LEN + slots::HEAD];
    let got = read_at_most(&file.file, &mut first, 0)?;
    if !slots::is_slot_file(&first[..got]) {
        return Ok(None);
    }
    let capacity = first.get(..slots::SUPER_LEN).map_or(0, slots::capacity);
    let mut laid = Slots {
        capacity,
        newest: None,
    };
    if capacity != 0 && got == first.len() {
        let mut second = [0u8; slots::HEAD];
        let got2 = read_at_most(&file.file, &mut second, laid.offset(1))?;
        let heads = [
            Some(&first[slots::SUPER_LEN..]),
            (got2 == second.len()).then_some(&second[..]),
        ];
        for record in slots::candidates(capacity, heads) {
            let mut bytes = Vec::new();
            let want = record.envelope.len() + slots::TRAILER;
            sys::read_appending_at(&file.file, &mut bytes, want, record.envelope.start as u64)?;
            if bytes.len() == want && bytes[record.envelope.len()..] == record.seq.to_be_bytes() {
                bytes.truncate(record.envelope.len());
                laid.newest = Some(record);
                file.layout = Some(Layout::Slots(laid));
                return Ok(Some(Some(bytes)));
            }
        }
    }
    file.layout = Some(Layout::Slots(laid));
    Ok(Some(None))
}

/// Reads into `buf` from `offset` up to its length or the end of the file;
/// returns how many bytes were read.
fn read_at_most(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], offset + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Reads `len` bytes from offset 0, whatever the fd's position (a file this
/// request just wrote is positioned at its end). A session file's length is
/// fixed when it is laid out (writes go into its slots), so `len` from
/// `fstat` stays right.
pub(super) fn read_whole(file: &File, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    sys::read_appending_at(file, &mut bytes, len as usize, 0)?;
    if bytes.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
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
