//! Tests for the findings of the security review (issue 10): gc that
//! decides before it locks, walks that follow swapped-in links, timestamps
//! in the future.

use std::{
    cell::RefCell,
    fs,
    os::unix::fs::{symlink, MetadataExt},
    path::Path,
    time::{Duration, SystemTime},
};

use super::*;
use crate::store::CLOCK_SKEW;
use std::{fs::FileTimes, sync::Arc};

/// Run by gc between deciding that a file is stale and locking it.
type Hook = Box<dyn FnMut(&str)>;

thread_local! {
    static BEFORE_GC_LOCK: RefCell<Option<Hook>> = RefCell::new(None);
}

/// The test hook in [`Store::remove_if_stale`].
pub(super) fn before_gc_lock(name: &str) {
    BEFORE_GC_LOCK.with(|hook| {
        if let Some(hook) = hook.borrow_mut().as_mut() {
            hook(name);
        }
    });
}

fn set_hook(hook: impl FnMut(&str) + 'static) {
    BEFORE_GC_LOCK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
}

fn clear_hook() {
    BEFORE_GC_LOCK.with(|h| *h.borrow_mut() = None);
}

fn open(save_path: &str) -> Store {
    Store::open(&SavePath::parse(save_path).unwrap()).unwrap()
}

fn set_mtime(path: &Path, t: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_times(FileTimes::new().set_modified(t).set_accessed(t))
        .unwrap();
}

const HOUR: Duration = Duration::from_secs(3600);

/// A session file of `id` as a request leaves it, last used `age` ago.
fn session(store: &Store, path: &Path, id: &str, age: Duration) {
    let sid = SessionId::new(id.as_bytes()).unwrap();
    drop(
        store
            .lock(sid, Duration::from_millis(50), || Ok(b"x".to_vec()))
            .unwrap(),
    );
    set_mtime(path, SystemTime::now() - age);
}

/// Runs gc over a session stale for two lifetimes while, between gc's
/// decision and its lock, a request locks the session and does `request` to
/// it. Returns what gc removed, the directory (kept alive) and the file.
fn gc_racing_a_request(
    id: &'static str,
    request: impl Fn(&Store, SessionId<'_>, &mut SessionFile) + 'static,
) -> (u64, tempfile::TempDir, std::path::PathBuf) {
    let tmp = crate::testing::private_dir();
    let store = Arc::new(open(tmp.path().to_str().unwrap()));
    let path = tmp.path().join(format!("rustenc_{id}"));
    session(&store, &path, id, 2 * HOUR);
    let other = store.clone();
    set_hook(move |_| {
        let sid = SessionId::new(id.as_bytes()).unwrap();
        let mut held = other
            .lock(sid, Duration::from_secs(1), || unreachable!("it exists"))
            .unwrap();
        request(&other, sid, &mut held);
    });
    let removed = store.gc(HOUR);
    clear_hook();
    (removed.unwrap(), tmp, path)
}

#[test]
fn gc_spares_a_session_a_request_used_after_gc_found_it_stale() {
    // lazy_write: the request only touches the session.
    let (removed, _tmp, path) = gc_racing_a_request("racer0123456789", |store, sid, held| {
        store.touch(sid, held).unwrap()
    });
    assert_eq!(removed, 0);
    assert!(
        path.exists(),
        "the session the request just used was removed"
    );
}

#[test]
fn gc_spares_a_session_a_request_rewrote_after_gc_found_it_stale() {
    let (removed, _tmp, path) = gc_racing_a_request("rewrite0123456789", |store, sid, held| {
        store.replace(sid, held, b"new").unwrap()
    });
    assert_eq!(removed, 0);
    assert_eq!(super::tests::newest(&path), b"new");
}

#[test]
fn gc_never_follows_a_subdirectory_swapped_for_a_link_during_the_walk() {
    let tmp = crate::testing::private_dir();
    let outside = crate::testing::private_dir();
    let store = open(&format!("2;{}", tmp.path().display()));
    // Stale sessions in a/b and c/d, and in a directory outside the store
    // laid out the same way (its owner's, or another store's).
    session(
        &store,
        &tmp.path().join("a/b/rustenc_ab1111"),
        "ab1111",
        2 * HOUR,
    );
    session(
        &store,
        &tmp.path().join("c/d/rustenc_cd1111"),
        "cd1111",
        2 * HOUR,
    );
    let victims = [
        outside.path().join("b/rustenc_ab9999"),
        outside.path().join("d/rustenc_cd9999"),
    ];
    for v in &victims {
        fs::create_dir_all(v.parent().unwrap()).unwrap();
        fs::write(v, b"x").unwrap();
        set_mtime(v, SystemTime::now() - 2 * HOUR);
    }
    // While gc is in the first subtree, the owner of the store swaps the
    // other top-level directory for a link to the outside directory.
    let (root, target) = (tmp.path().to_path_buf(), outside.path().to_path_buf());
    let mut swapped = false;
    set_hook(move |name| {
        if swapped {
            return;
        }
        swapped = true;
        let other = if name.starts_with("rustenc_ab") {
            "c"
        } else {
            "a"
        };
        fs::rename(root.join(other), root.join(format!("{other}.moved"))).unwrap();
        symlink(&target, root.join(other)).unwrap();
    });
    let removed = store.gc(HOUR);
    clear_hook();
    assert_eq!(removed.unwrap(), 1, "only the first subtree's session");
    for v in &victims {
        assert!(v.exists(), "{} was removed through the link", v.display());
    }
}

#[test]
fn gc_removes_sessions_stamped_in_the_future_and_keeps_clock_skew() {
    let tmp = crate::testing::private_dir();
    let store = open(tmp.path().to_str().unwrap());
    let planted = tmp.path().join("rustenc_future1");
    let skewed = tmp.path().join("rustenc_skewed1");
    session(&store, &planted, "future1", Duration::ZERO);
    session(&store, &skewed, "skewed1", Duration::ZERO);
    set_mtime(&planted, SystemTime::now() + 80 * 365 * 24 * HOUR);
    set_mtime(&skewed, SystemTime::now() + CLOCK_SKEW / 2);
    assert_eq!(store.gc(HOUR).unwrap(), 1);
    assert!(!planted.exists(), "a session from 2100 never expires");
    assert!(skewed.exists(), "a clock a minute ahead is not an attack");
}

/// The walk gc and the import share, on its own: a subdirectory swapped for
/// a link after it was listed is never entered.
#[test]
fn the_walk_skips_a_subdirectory_swapped_for_a_link_after_listing() {
    let tmp = crate::testing::private_dir();
    let outside = crate::testing::private_dir();
    for sub in ["a/b", "c/d"] {
        fs::create_dir_all(tmp.path().join(sub)).unwrap();
        fs::write(tmp.path().join(sub).join("sess_x"), b"x").unwrap();
    }
    for sub in ["b", "d"] {
        fs::create_dir_all(outside.path().join(sub)).unwrap();
        fs::write(outside.path().join(sub).join("sess_outside"), b"x").unwrap();
    }
    let root = File::open(tmp.path()).unwrap();
    let in_a = fs::metadata(tmp.path().join("a/b")).unwrap().ino();
    let mut seen = Vec::new();
    walk_files(root.as_fd(), 2, &mut |dir, name| {
        if seen.is_empty() {
            // The first file is in a/b or c/d: swap the other top directory.
            let here = File::from(dir.try_clone_to_owned().unwrap());
            let other = if here.metadata().unwrap().ino() == in_a {
                "c"
            } else {
                "a"
            };
            fs::rename(
                tmp.path().join(other),
                tmp.path().join(format!("{other}.moved")),
            )
            .unwrap();
            symlink(outside.path(), tmp.path().join(other)).unwrap();
        }
        seen.push(name.to_string());
    })
    .unwrap();
    assert_eq!(seen, ["sess_x"], "the walk went through the link");
}
