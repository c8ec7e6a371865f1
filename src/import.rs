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
    io::{self, Read},
    os::{
        fd::{AsFd, BorrowedFd},
        unix::fs::MetadataExt,
    },
    path::PathBuf,
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use zeroize::Zeroizing;

use crate::{
    envelope,
    error::{Error, Result},
    handler::Settings,
    id::SessionId,
    keys::KeyRing,
    os::effective_uid,
    os::user_name,
    store::{
        dir::{lock_until, open_at, open_dir, unlink_at, walk_files, SavePath, Store},
        in_the_future, redis, CLOCK_SKEW,
    },
};

/// A store sessions can be imported into: the directory store, or a
/// Redis/Valkey server.
pub trait Destination {
    /// Whether the session `id` is there already.
    fn exists(&self, id: SessionId<'_>) -> Result<bool>;
    /// Puts a session that does not exist yet, last used at `modified`;
    /// `false` (nothing changed) if it exists.
    fn import(&self, id: SessionId<'_>, sealed: &[u8], modified: SystemTime) -> Result<bool>;
    /// Whether a source file owned by `uid` may be imported (see
    /// [`import_files`]).
    fn owner_ok(&self, uid: u32) -> bool;
    /// The user whose files are imported, and where to, for messages.
    fn owner_and_place(&self) -> (u32, String);
}

impl Destination for Store {
    fn exists(&self, id: SessionId<'_>) -> Result<bool> {
        crate::store::SessionStore::exists(self, id)
    }
    fn import(&self, id: SessionId<'_>, sealed: &[u8], modified: SystemTime) -> Result<bool> {
        Store::import(self, id, sealed, modified)
    }
    fn owner_ok(&self, uid: u32) -> bool {
        Store::owner_ok(self, uid)
    }
    fn owner_and_place(&self) -> (u32, String) {
        (self.file_owner(), self.path().display().to_string())
    }
}

/// Into Redis, only the files of the user running the import are taken:
/// there is no directory whose owner says whose sessions they are, so run
/// it as the web server's user (`sudo -u www-data php -r ...`).
impl Destination for redis::Store {
    fn exists(&self, id: SessionId<'_>) -> Result<bool> {
        crate::store::SessionStore::exists(self, id)
    }
    fn import(&self, id: SessionId<'_>, sealed: &[u8], modified: SystemTime) -> Result<bool> {
        redis::Store::import(self, id, sealed, modified)
    }
    fn owner_ok(&self, uid: u32) -> bool {
        uid == effective_uid()
    }
    fn owner_and_place(&self) -> (u32, String) {
        (
            effective_uid(),
            format!(
                "{} (run the import as the web server's user)",
                self.shared().server()
            ),
        )
    }
}

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

/// Imports every `sess_<id>` below the `files` directory `from` (its depth
/// as in `session.save_path`) into `to`; removes each imported source file
/// when `remove` is set. `limits` are the handler's: how long to wait for a
/// request that holds a source session, the largest session accepted, and
/// the padding sessions are sealed with.
///
/// Only sessions owned by the user the store's files belong to are imported
/// (the effective user, or as root the destination directory's owner):
/// `files` directories are often shared and sticky (Debian's is 1733), so
/// anyone on the host can create a `sess_` file there, and importing it would
/// plant a session. A file dated more than [`CLOCK_SKEW`] in the future is
/// refused too: its time becomes the session's `sealed_at`.
pub fn import_files(
    from: &SavePath,
    to: &impl Destination,
    keys: &KeyRing,
    limits: Settings,
    remove: bool,
) -> Result<Report> {
    let list_error = |source| Error::Io {
        op: "list",
        path: from.dir.clone(),
        source,
    };
    let dir = open_dir(&from.dir).map_err(list_error)?;
    let mut report = Report::default();
    walk_files(dir.as_fd(), from.depth, &mut |dir, name| {
        let Some(id) = name.strip_prefix("sess_") else {
            return;
        };
        let source = Source { dir, name, from };
        match import_one(&source, id, to, keys, limits, remove) {
            Ok(true) => report.imported += 1,
            Ok(false) => report.skipped += 1,
            Err(e) => report.failed.push(e.to_string()),
        }
    })
    .map_err(list_error)?;
    Ok(report)
}

/// A source file: its name in the (sub)directory open at `dir`.
struct Source<'a> {
    dir: BorrowedFd<'a>,
    name: &'a str,
    from: &'a SavePath,
}

impl Source<'_> {
    /// The file's path for messages, naming it by the id's prefix only
    /// (ids are bearer tokens).
    fn shown(&self, id: SessionId<'_>) -> PathBuf {
        let mut path = self.from.dir.clone();
        path.extend(id.as_str().chars().take(self.from.depth).map(String::from));
        path.join(format!("sess_{}", id.prefix()))
    }
}

fn import_one(
    source: &Source<'_>,
    id: &str,
    to: &impl Destination,
    keys: &KeyRing,
    limits: Settings,
    remove: bool,
) -> Result<bool> {
    let id = SessionId::new(id.as_bytes())?;
    if to.exists(id)? {
        return Ok(false);
    }
    let shown = source.shown(id);
    let io = |op, source| Error::Io {
        op,
        path: shown.clone(),
        source,
    };
    let refuse = |what: String| Error::UnsafeFile {
        id: id.prefix(),
        dir: shown.parent().unwrap_or(&shown).into(),
        what,
    };
    let mut file = open_at(
        source.dir,
        source.name,
        libc::O_RDONLY | libc::O_NONBLOCK,
        0,
    )
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
        return Err(refuse("not a regular file with one name".into()));
    }
    if !to.owner_ok(meta.uid()) {
        let (owner, place) = to.owner_and_place();
        return Err(refuse(format!(
            "owned by {}, not by {}, the owner of the sessions in {place} (a file anyone \
             could have planted is not imported)",
            user_name(meta.uid()),
            user_name(owner),
        )));
    }
    let modified = meta.modified().unwrap_or_else(|_| SystemTime::now());
    if in_the_future(modified) {
        return Err(refuse(format!(
            "dated {} s in the future, more than the {} s allowed for clock skew (its \
             time would become the session's, which would then never expire)",
            modified
                .duration_since(SystemTime::now())
                .map_or(0, |d| d.as_secs()),
            CLOCK_SKEW.as_secs()
        )));
    }
    let too_large = |size| Error::TooLarge {
        id: id.prefix(),
        size,
        max: limits.max_size,
    };
    if meta.len() > limits.max_size {
        return Err(too_large(meta.len()));
    }
    // At most max_size + 1 bytes, into memory that is wiped when dropped:
    // the buffer never grows (which would leave unwiped copies behind).
    let mut data = Zeroizing::new(vec![0; meta.len() as usize + 1]);
    let mut len = 0;
    while len < data.len() {
        match file.read(&mut data[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io("read", e)),
        }
    }
    if len > meta.len() as usize {
        return Err(io(
            "read",
            io::Error::other("it grew while being read (written without the lock)"),
        ));
    }
    let sealed_at = modified
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let sealed = envelope::seal(
        keys.current(),
        id.as_bytes(),
        sealed_at,
        &data[..len],
        limits.pad_to,
    )?;
    let imported = to.import(id, &sealed, modified)?;
    if imported && remove {
        unlink_at(source.dir, source.name).map_err(|e| io("remove", e))?;
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use std::{
        fs::{self, File},
        os::unix::fs::PermissionsExt,
        path::Path,
        sync::Arc,
        thread,
        time::Duration,
    };

    use super::*;
    use crate::{handler::Handler, keys::Key};

    const LIMITS: Settings = Settings {
        lock_timeout: Duration::from_secs(2),
        max_size: 1 << 20,
        pad_to: 0,
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
            pad_to: 0,
        };
        let store = Store::open(&SavePath::parse(to.to_str().unwrap()).unwrap()).unwrap();
        let mut h = Handler::open(Arc::new(store), keys.clone(), settings);
        h.read(id.as_bytes(), Duration::from_secs(3600))
            .unwrap()
            .to_vec()
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
    fn imported_sessions_are_padded_as_the_handler_pads() {
        let (from, to, keys) = fixture();
        fs::write(from.path().join("sess_pad1"), b"n|i:1;").unwrap();
        let src = SavePath::parse(from.path().to_str().unwrap()).unwrap();
        let store = Store::open(&SavePath::parse(to.path().to_str().unwrap()).unwrap()).unwrap();
        let padded = Settings {
            pad_to: 256,
            ..LIMITS
        };
        assert_eq!(
            import_files(&src, &store, &keys, padded, false)
                .unwrap()
                .imported,
            1
        );
        let len = fs::metadata(to.path().join("rustenc_pad1")).unwrap().len();
        assert_eq!(len, envelope::sealed_len(6, 256) as u64);
        assert_eq!(read(to.path(), &keys, "pad1"), b"n|i:1;");
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

    /// Finding 1 of issue 10: in a shared sticky `files` directory (Debian's
    /// is 1733), another local user plants `sess_evil` holding `admin|b:1;`
    /// dated 2100. The import, run as root into www-data's store as the
    /// README says, must import the web server's session only.
    #[test]
    fn planted_foreign_and_future_files_are_not_imported() {
        if crate::os::effective_uid() != 0 {
            eprintln!("skipped: needs root (to act as www-data and nobody)");
            return;
        }
        const WWW_DATA: u32 = 33;
        let (from, to, keys) = fixture();
        fs::set_permissions(from.path(), fs::Permissions::from_mode(0o1733)).unwrap();
        std::os::unix::fs::chown(to.path(), Some(WWW_DATA), Some(WWW_DATA)).unwrap();
        let as_user = |uid: u32, script: &str| {
            let status = std::process::Command::new("setpriv")
                .args([
                    &format!("--reuid={uid}"),
                    &format!("--regid={uid}"),
                    "--clear-groups",
                    "sh",
                    "-c",
                    script,
                ])
                .current_dir(from.path())
                .status()
                .unwrap();
            assert!(status.success(), "{script}");
        };
        as_user(WWW_DATA, "printf 'user|s:5:\"alice\";' > sess_good01");
        as_user(
            WWW_DATA,
            "printf 'admin|b:1;' > sess_ahead01; touch -d 2100-01-01 sess_ahead01",
        );
        as_user(
            65534,
            "printf 'admin|b:1;' > sess_evil01; touch -d 2100-01-01 sess_evil01",
        );
        as_user(65534, "printf 'admin|b:1;' > sess_evil02");

        let src = SavePath::parse(from.path().to_str().unwrap()).unwrap();
        let store = Store::open(&SavePath::parse(to.path().to_str().unwrap()).unwrap()).unwrap();
        let report = import_files(&src, &store, &keys, LIMITS, false).unwrap();
        assert_eq!((report.imported, report.failed.len()), (1, 3), "{report:?}");
        let failed = report.failed.join("\n");
        assert_eq!(
            failed.matches("owned by nobody, not by www-data").count(),
            2,
            "{failed}"
        );
        assert!(
            failed.contains("id ahead0…") && failed.contains("in the future"),
            "{failed}"
        );
        assert!(!failed.contains("ahead01"), "whole id in {failed}");
        for planted in ["evil01", "evil02", "ahead01"] {
            assert!(
                !to.path().join(format!("rustenc_{planted}")).exists(),
                "{planted} imported"
            );
        }
        assert_eq!(read(to.path(), &keys, "good01"), b"user|s:5:\"alice\";");
    }
}
