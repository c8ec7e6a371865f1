//! Migration from PHP's `files` handler: each plaintext `sess_<id>` of a
//! `files` directory is sealed for its id and written into a rustenc store,
//! so switching `session.save_handler` logs nobody out.
//!
//! This is the only way plaintext enters rustenc, and it is explicit: the
//! normal read path refuses anything that is not an envelope.
//!
//! A source file is read under a shared `flock`, the lock the `files` handler
//! takes exclusively while a request uses the session, so a session being
//! written is imported whole, after that request ends. A session that already
//! exists in the store is skipped (it is newer, or was imported before), so
//! the import can run again after the switch to catch sessions written in
//! between. The imported file keeps the source's modification time (and is
//! sealed with it), so it expires when the original would have.

use std::{
    fs::{self, File},
    io::Read,
    os::unix::fs::{MetadataExt, OpenOptionsExt},
    path::Path,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use crate::{
    envelope,
    error::{Error, Result},
    keys::KeyRing,
    store::{lock_until, SavePath, SessionId, Store},
};

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Sessions sealed and written into the store.
    pub imported: u64,
    /// Sessions the store already had.
    pub skipped: u64,
    /// Why each failed file was not imported (no session ids, only prefixes).
    pub failed: Vec<String>,
}

/// The limits an import runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long to wait for a request that holds a source session.
    pub lock_timeout: Duration,
    /// Largest session accepted, in bytes.
    pub max_size: u64,
}

/// Imports every `sess_<id>` below the `files` directory `from` (its depth
/// as in `session.save_path`) into `to`; removes each imported source file
/// when `remove` is set.
pub fn import_files(
    from: &SavePath,
    to: &Store,
    keys: &KeyRing,
    limits: Limits,
    remove: bool,
) -> Result<Report> {
    let mut report = Report::default();
    walk(
        &from.dir,
        from.depth,
        &mut |path, id| match import_one(path, id, to, keys, limits, remove) {
            Ok(true) => report.imported += 1,
            Ok(false) => report.skipped += 1,
            Err(e) => report.failed.push(e.to_string()),
        },
    )?;
    Ok(report)
}

/// Calls `each` with every `sess_<id>` file `depth` levels below `dir`.
fn walk(dir: &Path, depth: usize, each: &mut dyn FnMut(&Path, &str)) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|source| Error::Io {
        op: "list",
        path: dir.into(),
        source,
    })?;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if depth > 0 {
            if kind.is_dir() {
                walk(&entry.path(), depth - 1, each)?;
            }
        } else if let (true, Some(id)) = (kind.is_file(), name.strip_prefix("sess_")) {
            each(&entry.path(), id);
        }
    }
    Ok(())
}

fn import_one(
    path: &Path,
    id: &str,
    to: &Store,
    keys: &KeyRing,
    limits: Limits,
    remove: bool,
) -> Result<bool> {
    let id = SessionId::new(id.as_bytes())?;
    if to.exists(id)? {
        return Ok(false);
    }
    // Messages name the file by the id's prefix only: ids are bearer tokens.
    let shown = path.with_file_name(format!("sess_{}", id.prefix()));
    let io = |op, source| Error::Io {
        op,
        path: shown.clone(),
        source,
    };
    let mut file = File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| io("open", e))?;
    if !lock_until(Instant::now() + limits.lock_timeout, || {
        file.try_lock_shared()
    })
    .map_err(|e| io("lock", e))?
    {
        return Err(Error::LockTimeout {
            id: id.prefix(),
            ms: limits.lock_timeout.as_millis() as u64,
        });
    }
    // Inspected after the lock: the request that held it may have written.
    let meta = file.metadata().map_err(|e| io("inspect", e))?;
    if !meta.is_file() || meta.nlink() != 1 {
        return Err(Error::UnsafeFile {
            id: id.prefix(),
            dir: path.parent().unwrap_or(path).into(),
            what: "not a regular file with one name".into(),
        });
    }
    if meta.len() > limits.max_size {
        return Err(Error::TooLarge {
            id: id.prefix(),
            size: meta.len(),
            max: limits.max_size,
        });
    }
    let mut data = zeroize::Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    file.read_to_end(&mut data).map_err(|e| io("read", e))?;
    let modified = meta.modified().unwrap_or_else(|_| SystemTime::now());
    let sealed_at = modified
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let sealed = envelope::seal(keys.current(), id.as_bytes(), sealed_at, &data)
        .map_err(|_| Error::Random)?;
    let imported = to.import(id, &sealed, modified)?;
    if imported && remove {
        fs::remove_file(path).map_err(|e| io("remove", e))?;
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use std::{fs, sync::Arc, thread};

    use super::*;
    use crate::{
        handler::{Handler, Settings},
        keys::Key,
    };

    const LIMITS: Limits = Limits {
        lock_timeout: Duration::from_secs(2),
        max_size: 1 << 20,
    };

    fn fixture() -> (tempfile::TempDir, tempfile::TempDir, Arc<KeyRing>) {
        let keys = Arc::new(KeyRing::new(Key::derive(&[3; 32]).unwrap(), vec![]));
        (
            crate::testing::private_dir(),
            crate::testing::private_dir(),
            keys,
        )
    }

    fn read(to: &Path, keys: &Arc<KeyRing>, id: &str) -> Vec<u8> {
        let settings = Settings {
            lock_timeout: Duration::from_millis(100),
            max_size: 1 << 20,
        };
        let mut h = Handler::open(to.to_str().unwrap(), keys.clone(), settings).unwrap();
        h.read(id.as_bytes(), 3600).unwrap().to_vec()
    }

    #[test]
    fn imports_once_keeps_the_timestamp_and_leaves_the_source() {
        let (from, to, keys) = fixture();
        fs::write(from.path().join("sess_abc123"), b"user|s:5:\"alice\";").unwrap();
        fs::write(from.path().join("sess_bad.id"), b"x").unwrap();
        fs::write(from.path().join("unrelated"), b"x").unwrap();
        let old = SystemTime::now() - Duration::from_secs(300);
        File::options()
            .write(true)
            .open(from.path().join("sess_abc123"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let src = SavePath::parse(from.path().to_str().unwrap()).unwrap();
        let store = Store::open(&SavePath::parse(to.path().to_str().unwrap()).unwrap()).unwrap();

        let report = import_files(&src, &store, &keys, LIMITS, false).unwrap();
        assert_eq!(
            (report.imported, report.skipped, report.failed.len()),
            (1, 0, 1)
        );
        assert!(
            report.failed[0].contains("is invalid"),
            "{:?}",
            report.failed
        );
        let target = to.path().join("rustenc_abc123");
        let meta = fs::metadata(&target).unwrap();
        assert_eq!(meta.modified().unwrap(), old);
        assert!(!fs::read(&target).unwrap().windows(5).any(|w| w == b"alice"));
        assert_eq!(read(to.path(), &keys, "abc123"), b"user|s:5:\"alice\";");
        assert!(
            from.path().join("sess_abc123").exists(),
            "source left alone"
        );

        // Again: already there, skipped, not overwritten.
        let report = import_files(&src, &store, &keys, LIMITS, true).unwrap();
        assert_eq!((report.imported, report.skipped), (0, 1));
        assert!(from.path().join("sess_abc123").exists());
    }

    #[test]
    fn remove_deletes_imported_sources() {
        let (from, to, keys) = fixture();
        fs::create_dir_all(from.path().join("a/b")).unwrap();
        fs::write(from.path().join("a/b/sess_abq1"), b"n|i:1;").unwrap();
        let src = SavePath::parse(&format!("2;{}", from.path().display())).unwrap();
        let store = Store::open(&SavePath::parse(to.path().to_str().unwrap()).unwrap()).unwrap();
        let report = import_files(&src, &store, &keys, LIMITS, true).unwrap();
        assert_eq!(report.imported, 1);
        assert!(!from.path().join("a/b/sess_abq1").exists());
        assert_eq!(read(to.path(), &keys, "abq1"), b"n|i:1;");
    }

    #[test]
    fn a_session_locked_by_a_request_is_imported_after_it_is_written() {
        let (from, to, keys) = fixture();
        let source = from.path().join("sess_busy1");
        fs::write(&source, b"n|i:1;").unwrap();
        // A `files` request: exclusive lock, truncate, write, unlock.
        let holder = File::options()
            .read(true)
            .write(true)
            .open(&source)
            .unwrap();
        holder.lock().unwrap();
        let path = source.clone();
        let writer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(200));
            holder.set_len(0).unwrap();
            thread::sleep(Duration::from_millis(50));
            fs::write(&path, b"n|i:2;").unwrap();
            drop(holder);
        });
        let src = SavePath::parse(from.path().to_str().unwrap()).unwrap();
        let store = Store::open(&SavePath::parse(to.path().to_str().unwrap()).unwrap()).unwrap();
        let report = import_files(&src, &store, &keys, LIMITS, false).unwrap();
        writer.join().unwrap();
        assert_eq!(report.imported, 1);
        assert_eq!(read(to.path(), &keys, "busy1"), b"n|i:2;");
    }
}
