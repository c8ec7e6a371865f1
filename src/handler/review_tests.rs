//! Timestamps in the future (issue 10, finding 2): a session stamped later
//! than now plus the allowed clock skew is never served.

use std::fs::{self, File, FileTimes};

use super::*;
use crate::{
    keys::Key,
    store::dir::{SavePath, Store},
};

const ID: &[u8] = b"future0123456789abcdefghijklmnop";
const LIFE: Duration = Duration::from_secs(1440);
const YEAR: u64 = 365 * 24 * 3600;

fn setup() -> (tempfile::TempDir, Arc<KeyRing>) {
    let keys = Arc::new(KeyRing::new(Key::derive(&[9; 32]).unwrap(), vec![]));
    (crate::testing::private_dir(), keys)
}

fn handler(dir: &tempfile::TempDir, keys: &Arc<KeyRing>) -> Handler<Store> {
    let settings = Settings {
        lock_timeout: Duration::from_millis(50),
        max_size: 1 << 20,
        pad_to: 0,
    };
    let store = Store::open(&SavePath::parse(dir.path().to_str().unwrap()).unwrap()).unwrap();
    Handler::open(Arc::new(store), keys.clone(), settings)
}

/// Puts a session sealed at `sealed_at` with mtime `mtime` (both seconds
/// since the epoch) in place, as a planted or forged file would be.
fn plant(dir: &tempfile::TempDir, keys: &KeyRing, sealed_at: u64, mtime: u64) {
    let path = dir
        .path()
        .join(format!("rustenc_{}", std::str::from_utf8(ID).unwrap()));
    fs::write(
        &path,
        envelope::seal(keys.current(), ID, sealed_at, b"admin|b:1;", 0).unwrap(),
    )
    .unwrap();
    let t = UNIX_EPOCH + Duration::from_secs(mtime);
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_times(FileTimes::new().set_modified(t).set_accessed(t))
        .unwrap();
}

fn refused(r: Result<impl std::fmt::Debug>) -> String {
    let e = r.expect_err("a session from the future was accepted");
    assert!(
        matches!(
            e,
            Error::Unreadable {
                cause: envelope::Unreadable::InTheFuture { .. },
                ..
            }
        ),
        "{e}"
    );
    e.to_string()
}

#[test]
fn an_mtime_in_the_future_is_not_served() {
    let (dir, keys) = setup();
    plant(&dir, &keys, now(), now() + 80 * YEAR);
    let e = refused(handler(&dir, &keys).validate(ID, LIFE));
    assert!(e.contains("modification time lies"), "{e}");
    refused(handler(&dir, &keys).read(ID, LIFE).map(|p| p.to_vec()));
}

#[test]
fn a_sealed_at_in_the_future_is_not_served() {
    let (dir, keys) = setup();
    plant(&dir, &keys, now() + 80 * YEAR, now());
    let e = refused(handler(&dir, &keys).validate(ID, LIFE));
    assert!(e.contains("sealed_at lies"), "{e}");
    refused(handler(&dir, &keys).read(ID, LIFE).map(|p| p.to_vec()));
}

#[test]
fn clock_skew_within_the_tolerance_is_served() {
    let (dir, keys) = setup();
    let ahead = CLOCK_SKEW.as_secs() - 30;
    plant(&dir, &keys, now() + ahead, now() + ahead);
    assert!(handler(&dir, &keys).validate(ID, LIFE).unwrap());
    assert_eq!(
        &*handler(&dir, &keys).read(ID, LIFE).unwrap(),
        b"admin|b:1;"
    );
}
