use std::{
    fs::{self, File, FileTimes},
    io::Write,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
};

use super::*;
use crate::{
    keys::Key,
    store::dir::{SavePath, Store},
};

const ID: &[u8] = b"abcdefghijklmnopqrstuvwxyz012345";
const LIFE: Duration = Duration::from_secs(1440);

fn open_store(dir: &Path) -> Arc<Store> {
    Arc::new(Store::open(&SavePath::parse(dir.to_str().unwrap()).unwrap()).unwrap())
}

struct Fixture {
    dir: tempfile::TempDir,
    keys: Arc<KeyRing>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: crate::testing::private_dir(),
            keys: Arc::new(KeyRing::new(Key::derive(&[7; 32]).unwrap(), vec![])),
        }
    }

    fn handler(&self) -> Handler<Store> {
        self.handler_with(Settings {
            lock_timeout: Duration::from_millis(50),
            max_size: 1 << 20,
            pad_to: 0,
        })
    }

    fn handler_with(&self, settings: Settings) -> Handler<Store> {
        Handler::open(open_store(self.dir.path()), self.keys.clone(), settings)
    }

    /// The newest envelope the session file holds.
    fn envelope(&self) -> Vec<u8> {
        crate::store::dir::tests::newest(&self.file())
    }

    fn file(&self) -> PathBuf {
        self.dir
            .path()
            .join(format!("rustenc_{}", std::str::from_utf8(ID).unwrap()))
    }

    /// One whole request: read, then write `data` (or lazy-write if equal).
    fn request(&self, data: Option<&[u8]>) -> Vec<u8> {
        let mut h = self.handler();
        let old = h.read(ID, LIFE).unwrap().to_vec();
        match data {
            Some(d) if d != old.as_slice() => h.write(ID, d).unwrap(),
            _ => h.update_timestamp(ID, &old, LIFE).unwrap(),
        }
        old
    }
}

fn age(path: &Path, secs: u64) {
    let t = SystemTime::now() - Duration::from_secs(secs);
    File::open(path)
        .unwrap()
        .set_times(FileTimes::new().set_modified(t))
        .unwrap();
}

#[test]
fn new_session_reads_empty_then_round_trips() {
    let f = Fixture::new();
    assert_eq!(f.request(Some(b"n|i:1;")), b"");
    assert_eq!(f.request(Some(b"n|i:2;")), b"n|i:1;");
    assert_eq!(f.request(None), b"n|i:2;");
    let disk = fs::read(f.file()).unwrap();
    assert!(!disk.windows(5).any(|w| w == b"n|i:2"));
}

#[test]
fn validate_accepts_live_sessions_and_rejects_the_rest() {
    let f = Fixture::new();
    let mut h = f.handler();
    assert!(!h.validate(ID, LIFE).unwrap(), "no session yet");
    f.request(Some(b"a|i:1;"));
    assert!(h.validate(ID, LIFE).unwrap());

    // Tampered: an error that names the cause, and the file stays.
    let mut bytes = fs::read(f.file()).unwrap();
    let newest = crate::store::dir::slots::parse(&bytes).newest.unwrap();
    bytes[newest.envelope.end - 1] ^= 1;
    fs::write(f.file(), &bytes).unwrap();
    let e = h.validate(ID, LIFE).unwrap_err().to_string();
    assert!(
        e.contains("authentication failed") && e.contains("abcdef…"),
        "{e}"
    );
    assert!(!e.contains("abcdefg"), "{e}");
    assert_eq!(fs::read(f.file()).unwrap(), bytes);

    // Another id's file copied over this one.
    let other = Fixture {
        dir: crate::testing::private_dir(),
        keys: f.keys.clone(),
    };
    let mut h2 = other.handler();
    h2.read(b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", LIFE).unwrap();
    h2.write(b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", b"x|i:1;")
        .unwrap();
    drop(h2);
    fs::copy(
        other
            .dir
            .path()
            .join("rustenc_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"),
        f.file(),
    )
    .unwrap();
    assert!(matches!(
        h.validate(ID, LIFE),
        Err(Error::Unreadable {
            cause: envelope::Unreadable::AuthenticationFailed,
            ..
        })
    ));
}

#[test]
fn validate_then_read_decrypts_once() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    let mut h = f.handler();
    assert!(h.validate(ID, LIFE).unwrap());
    // Overwrite the bytes in place (same inode): read serves what validate
    // decrypted, which shows it did not read and decrypt a second time.
    let len = fs::metadata(f.file()).unwrap().len() as usize;
    fs::OpenOptions::new()
        .write(true)
        .open(f.file())
        .unwrap()
        .write_all(&vec![0; len])
        .unwrap();
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"a|i:1;");
    drop(h);

    // No write can come in between: validate holds the lock until read.
    fs::remove_file(f.file()).unwrap();
    f.request(Some(b"a|i:2;"));
    let mut h = f.handler();
    assert!(h.validate(ID, LIFE).unwrap());
    let mut other = f.handler();
    assert!(matches!(
        other.read(ID, LIFE),
        Err(Error::LockTimeout { .. })
    ));
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"a|i:2;");
    h.write(ID, b"a|i:3;").unwrap();
    drop(h);
    // A validate that cannot have the lock leaves the wait to read.
    let mut held = f.handler();
    held.read(ID, LIFE).unwrap();
    let mut h = f.handler();
    assert!(h.validate(ID, LIFE).unwrap());
    assert!(matches!(h.read(ID, LIFE), Err(Error::LockTimeout { .. })));
    drop(held);
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"a|i:3;");
}

#[test]
fn read_of_an_unreadable_file_sets_it_aside_and_serves_an_empty_session() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    fs::write(f.file(), b"user|s:5:\"alice\";").unwrap();
    age(&f.file(), 100);
    let mut h = f.handler();
    assert!(h.read(ID, LIFE).unwrap().is_empty());
    let e = h.take_notice().unwrap().to_string();
    assert!(
        e.contains("not a rustenc file") && e.contains("set aside as rustenc_abcdef….unreadable-"),
        "{e}"
    );
    assert!(h.take_notice().is_none(), "said once");
    h.write(ID, b"b|i:2;").unwrap();
    drop(h);
    // Kept whole, under a name that is no session's, timestamped now so gc
    // keeps it for a whole lifetime.
    let aside: Vec<PathBuf> = fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().contains(".unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read(&aside[0]).unwrap(), b"user|s:5:\"alice\";");
    let age_of = |p: &Path| {
        fs::metadata(p)
            .unwrap()
            .modified()
            .unwrap()
            .elapsed()
            .unwrap()
    };
    assert!(age_of(&aside[0]) < Duration::from_secs(5));
    // The user goes on, without a warning.
    let mut h = f.handler();
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"b|i:2;");
    assert!(h.take_notice().is_none());
    drop(h);
    // gc removes it once it is older than the lifetime, like a session.
    assert_eq!(f.handler().gc(LIFE).unwrap(), 0);
    age(&aside[0], LIFE.as_secs() + 10);
    assert_eq!(f.handler().gc(LIFE).unwrap(), 1);
    assert!(!aside[0].exists());
    assert!(f.file().exists());
}

#[test]
fn lazy_write_touches_without_rewriting() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    let before = fs::read(f.file()).unwrap();
    age(&f.file(), 100);
    f.request(None);
    assert_eq!(fs::read(f.file()).unwrap(), before, "same ciphertext");
    let m = fs::metadata(f.file()).unwrap().modified().unwrap();
    assert!(
        m.elapsed().unwrap() < Duration::from_secs(5),
        "timestamp refreshed"
    );
}

#[test]
fn lazy_write_reseals_when_the_seal_is_old() {
    let f = Fixture::new();
    let old = envelope::seal(
        f.keys.current(),
        ID,
        now() - (LIFE.as_secs()) / 2 - 10,
        b"a|i:1;",
        0,
    )
    .unwrap();
    fs::write(f.file(), &old).unwrap();
    assert_eq!(f.request(None), b"a|i:1;");
    let new = f.envelope();
    assert_ne!(new, old);
    let header = envelope::peek(&new).unwrap();
    assert!(now() - header.sealed_at < 5);
}

#[test]
fn expired_sessions_are_not_served_nor_revived() {
    let f = Fixture::new();
    f.request(Some(b"secret|i:1;"));
    age(&f.file(), LIFE.as_secs() + 10);
    let mut h = f.handler();
    assert!(!h.validate(ID, LIFE).unwrap());
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"");
    // lazy_write of the (empty) unchanged data must not just touch the file,
    // which would bring the old data back to life.
    h.update_timestamp(ID, b"", LIFE).unwrap();
    drop(h);
    assert_eq!(f.request(None), b"");
}

#[test]
fn a_seal_older_than_twice_the_lifetime_is_expired_whatever_the_mtime() {
    let f = Fixture::new();
    let old = envelope::seal(
        f.keys.current(),
        ID,
        now() - 2 * LIFE.as_secs() - 10,
        b"a|i:1;",
        0,
    )
    .unwrap();
    fs::write(f.file(), old).unwrap();
    let mut h = f.handler();
    assert!(!h.validate(ID, LIFE).unwrap());
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"");
}

#[test]
fn oversized_writes_fail_and_keep_the_old_session() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    let mut h = f.handler_with(Settings {
        lock_timeout: Duration::from_millis(50),
        max_size: 10,
        pad_to: 0,
    });
    h.read(ID, LIFE).unwrap();
    let e = h.write(ID, &[b'x'; 11]).unwrap_err();
    assert!(matches!(
        e,
        Error::TooLarge {
            size: 11,
            max: 10,
            ..
        }
    ));
    drop(h);
    assert_eq!(f.request(None), b"a|i:1;");
}

#[test]
fn destroy_removes_the_held_session_and_others() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.destroy(ID).unwrap();
    assert!(!f.file().exists());
    // The lock went with it: another request gets a fresh session at once.
    assert_eq!(f.request(None), b"");
    let mut h = f.handler();
    h.destroy(ID).unwrap();
    assert!(!f.file().exists());
    assert!(!h.exists(ID).unwrap());
}

#[test]
fn a_second_request_waits_then_times_out() {
    let f = Fixture::new();
    let mut first = f.handler();
    first.read(ID, LIFE).unwrap();
    let mut second = f.handler();
    let e = second.read(ID, LIFE).err().unwrap();
    assert!(matches!(e, Error::LockTimeout { ms: 50, .. }));
    drop(first);
    assert!(second.read(ID, LIFE).is_ok());
}

#[test]
fn gc_counts_removed_sessions() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    let h = f.handler();
    assert_eq!(h.gc(LIFE).unwrap(), 0);
    age(&f.file(), LIFE.as_secs() + 10);
    assert_eq!(h.gc(LIFE).unwrap(), 1);
    assert!(!f.file().exists());
}

#[test]
fn files_are_owned_and_private() {
    let f = Fixture::new();
    f.request(Some(b"a|i:1;"));
    let meta = fs::metadata(f.file()).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o600);
}

/// Puts `data` in place as rustenc 0.1 sealed it (format version 1, the
/// layout of docs/FORMAT.md, written here independently of `envelope::seal`),
/// sealed now with the fixture's key.
fn plant_v1(f: &Fixture, data: &[u8]) -> Vec<u8> {
    use ring::aead::{Aad, Nonce};
    let mut file = b"RENC\x01".to_vec();
    file.extend_from_slice(&f.keys.current().id().0);
    file.extend_from_slice(&now().to_be_bytes());
    let nonce = [3u8; 12];
    let mut aad = file.clone();
    aad.extend_from_slice(ID);
    file.extend_from_slice(&nonce);
    let mut body = data.to_vec();
    let tag = f
        .keys
        .current()
        .aead()
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&aad),
            &mut body,
        )
        .unwrap();
    file.extend_from_slice(&body);
    file.extend_from_slice(tag.as_ref());
    fs::write(f.file(), &file).unwrap();
    file
}

#[test]
fn a_version_1_session_is_read_then_resealed_as_version_2_by_lazy_write() {
    let f = Fixture::new();
    let v1 = plant_v1(&f, b"n|i:42;");
    // Sealed just now with the current key: only its version asks for the
    // reseal (otherwise lazy_write would only touch it).
    assert_eq!(f.request(None), b"n|i:42;");
    let new = fs::read(f.file()).unwrap();
    assert_eq!(
        envelope::peek(&f.envelope()).unwrap().version,
        envelope::VERSION
    );
    assert_ne!(new, v1);
    assert_eq!(f.request(None), b"n|i:42;");
    // From now on an unchanged session is only touched.
    assert_eq!(fs::read(f.file()).unwrap(), new);
}

#[test]
fn a_version_1_session_is_written_as_version_2() {
    let f = Fixture::new();
    plant_v1(&f, b"n|i:42;");
    let mut h = f.handler();
    assert!(h.validate(ID, LIFE).unwrap());
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"n|i:42;");
    h.write(ID, b"n|i:43;").unwrap();
    drop(h);
    assert_eq!(envelope::peek(&f.envelope()).unwrap().version, 2);
    assert_eq!(f.request(None), b"n|i:43;");
}

#[test]
fn pad_to_gives_sessions_of_different_lengths_one_file_size() {
    let f = Fixture::new();
    let settings = Settings {
        lock_timeout: Duration::from_millis(50),
        max_size: 1 << 20,
        pad_to: 1024,
    };
    let mut sizes = Vec::new();
    for data in [vec![b'a'; 10], vec![b'b'; 900], vec![]] {
        let mut h = f.handler_with(settings);
        h.read(ID, LIFE).unwrap();
        h.write(ID, &data).unwrap();
        drop(h);
        sizes.push(fs::metadata(f.file()).unwrap().len());
        let mut h = f.handler_with(settings);
        assert_eq!(&*h.read(ID, LIFE).unwrap(), &data[..]);
    }
    // The slot file was laid out once, for the first (padded) envelope.
    assert_eq!(sizes, [8192; 3]);
    assert_eq!(f.envelope().len(), 1024 + 65);
    // A padded file is read back under the largest-file limit, and a file
    // over it is refused naming rustenc.max_size, not the padded size.
    let mut h = f.handler_with(Settings {
        max_size: 900,
        ..settings
    });
    h.read(ID, LIFE).unwrap();
    h.write(ID, &[b'c'; 900]).unwrap();
    drop(h);
    let mut h = f.handler_with(Settings {
        max_size: 100,
        pad_to: 64,
        ..settings
    });
    match h.read(ID, LIFE) {
        Err(Error::TooLarge { max: 100, .. }) => {}
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a file over the limit was read"),
    }
}

/// What a request reading a damaged slot file got.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Served(Vec<u8>),
    /// Refused, or set aside and replaced by an empty session with a notice.
    Unreadable,
}

/// Puts `bytes` at the session's name and reads it as the next request
/// would, then removes whatever was set aside.
fn read_planted(f: &Fixture, bytes: &[u8]) -> Outcome {
    fs::write(f.file(), bytes).unwrap();
    let mut h = f.handler();
    let outcome = match h.read(ID, LIFE) {
        Ok(data) if h.take_notice().is_some() => {
            assert!(data.is_empty());
            Outcome::Unreadable
        }
        Ok(data) => Outcome::Served(data.to_vec()),
        Err(Error::Unreadable { .. }) => Outcome::Unreadable,
        Err(e) => panic!("{e}"),
    };
    drop(h);
    for entry in fs::read_dir(f.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_str().unwrap().contains(".unreadable-") {
            fs::remove_file(path).unwrap();
        }
    }
    outcome
}

#[test]
fn a_slot_file_torn_or_cut_at_any_byte_reads_as_the_previous_or_the_new_session() {
    let f = Fixture::new();
    let (old, new) = (b"v|s:3:\"old\";".to_vec(), vec![b'n'; 1000]);
    // Records: 1 (empty, slot 0), 2 ("a", slot 1), 3 (old, slot 0); the
    // write of `new` goes into slot 1, over record 2.
    f.request(Some(b"a|i:1;"));
    f.request(Some(&old));
    let before = fs::read(f.file()).unwrap();
    f.request(Some(&new));
    let after = fs::read(f.file()).unwrap();
    assert_eq!(before.len(), after.len());
    let changed: Vec<usize> = (0..after.len())
        .filter(|&i| before[i] != after[i])
        .collect();
    let (first, last) = (changed[0], *changed.last().unwrap());
    assert!(
        last - first > new.len(),
        "the record was written in one place"
    );

    let allowed = [Outcome::Served(old.clone()), Outcome::Served(new.clone())];
    let mut seen = [0usize; 3];
    // A write cut short after any number of bytes (kill -9, full disk).
    for cut in first..=last + 1 {
        let mut torn = before.clone();
        torn[first..cut].copy_from_slice(&after[first..cut]);
        let got = read_planted(&f, &torn);
        let i = allowed.iter().position(|a| *a == got).unwrap_or(2);
        assert!(i < 2, "write cut at byte {cut}: {got:?}");
        assert!(cut > last || i == 0, "cut at {cut} served the new session");
        seen[i] += 1;
    }
    assert_eq!(seen[1], 1, "only the whole write serves the new session");
    // The file cut short at any length (by whatever else than a write of
    // ours): the previous or new session, or unreadable; never garbage.
    // (Beyond the last byte written, only the file's length changes.)
    for len in (0..=last + 1).chain((last + 2..after.len()).step_by(97)) {
        let got = read_planted(&f, &after[..len]);
        let i = allowed.iter().position(|a| *a == got).unwrap_or(2);
        assert!(i < 2 || got == Outcome::Unreadable, "cut at {len}: {got:?}");
        seen[i] += 1;
    }
    assert!(seen[2] > 0 && seen[0] > 0, "{seen:?}");
    // One byte changed in the newest record: never served (its header and
    // trailer at every byte, its envelope at every 7th).
    let sampled = (first..first + 12).chain((first + 12..=last).step_by(7));
    for at in sampled.chain(last - 7..=last) {
        let mut bad = after.clone();
        bad[at] ^= 0x01;
        let got = read_planted(&f, &bad);
        assert_ne!(got, Outcome::Served(new.clone()), "byte {at} changed");
        assert!(
            got != Outcome::Served(b"a|i:1;".to_vec()),
            "byte {at}: {got:?}"
        );
    }
}
