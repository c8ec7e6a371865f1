//! Garbage collection: expired sessions, set-aside files and crash
//! leftovers, removed without following links or touching locked files.

use std::{
    fs, io,
    os::{
        fd::{AsFd, BorrowedFd},
        unix::fs::{FileExt, MetadataExt},
    },
    time::{Duration, SystemTime},
};

use super::{io_error, sys, Stamp, Store, SESSION_PREFIX, TEMP_PREFIX};
use crate::{error::Result, store::in_the_future};

/// How many session files the directory holds in each layout
/// (docs/FORMAT.md), for `rustenc_check()`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LayoutCounts {
    /// Slot files: what this version writes.
    pub slot_files: u64,
    /// One whole envelope of version 2 (rustenc 0.2).
    pub whole_v2: u64,
    /// One whole envelope of version 1 (rustenc 0.1).
    pub v1: u64,
    /// Neither (not ours, or damaged; they are reported when read).
    pub other: u64,
}

impl LayoutCounts {
    /// Files an older rustenc wrote, converted by their next write.
    pub fn old_layout(&self) -> u64 {
        self.whole_v2 + self.v1
    }
}

/// An unlocked temporary file older than this is a crash leftover.
const TEMP_MAX_AGE: Duration = Duration::from_secs(60);

impl Store {
    /// Removes sessions not modified for `max_age` (or stamped more than
    /// [`CLOCK_SKEW`](crate::store::CLOCK_SKEW) in the future), and temporary files left by crashed
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

    /// Counts the session files in each layout, from the first 5 bytes of
    /// each (temporary and set-aside files are not sessions). Reads every
    /// session file's first block: for an operator's check, not per request.
    pub fn layouts(&self) -> Result<LayoutCounts> {
        let mut counts = LayoutCounts::default();
        walk_files(self.dir.as_fd(), self.depth, &mut |dir, name| {
            if !name.starts_with(SESSION_PREFIX)
                || name.starts_with(TEMP_PREFIX)
                || name.contains(".unreadable-")
            {
                return;
            }
            let mut head = [0u8; 5];
            let read = sys::open_at(dir, name, libc::O_RDONLY | libc::O_NONBLOCK, 0)
                .and_then(|file| file.read_exact_at(&mut head, 0));
            let count = match (read, &head) {
                (Ok(()), [b'R', b'E', b'N', b'S', _]) => &mut counts.slot_files,
                (Ok(()), [b'R', b'E', b'N', b'C', 2]) => &mut counts.whole_v2,
                (Ok(()), [b'R', b'E', b'N', b'C', 1]) => &mut counts.v1,
                _ => &mut counts.other,
            };
            *count += 1;
        })
        .map_err(|e| io_error("list", &self.path, e))?;
        Ok(counts)
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
        super::review_tests::before_gc_lock(name);
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
            Ok(st) if Stamp::of_entry(&st) == Stamp::of(&meta) => sys::unlink_at(dir, name).is_ok(),
            _ => false,
        }
    }
}

/// Whether gc may remove a file with this metadata: not modified for
/// longer than `limit`, or modified (it claims) in the future.
pub(super) fn stale(meta: &fs::Metadata, limit: Duration) -> bool {
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
