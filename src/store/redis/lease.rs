//! Lease renewal: a lock stays held while its request runs, and never
//! becomes permanent.
//!
//! A lock is taken with a short lease (`rustenc.lock_lease_ms`). While the
//! request holds it, a background thread of the worker renews it every
//! lease/3 with a compare-token `PEXPIRE` ([`RENEW`]), until the request
//! releases it or until the hold reaches `rustenc.lock_max_hold_ms`
//! (counted from the acquisition); then renewal stops and the lock ends at
//! most one lease later. A worker that is killed (kill -9, OOM) or frozen
//! (SIGSTOP stops its threads too) stops renewing, so its lock ends one
//! lease after the last renewal, not after the whole hold.
//!
//! The thread:
//! - is started lazily, at the first lock of a process (never in MINIT:
//!   php-fpm forks workers from the master); one per process, reused;
//!   a forked child never uses its parent's (pid check): it starts its own;
//! - has its own connections (one per save path, opened lazily with the
//!   save path's timeouts, dropped after any error), so it never waits on,
//!   nor disturbs, the request's connection;
//! - never touches PHP (no PHP API, no PHP memory): it only sees key names,
//!   tokens and durations;
//! - does not keep the process from exiting (Rust threads are not joined at
//!   exit); when no lock is held it sleeps on its channel without a
//!   timeout; module shutdown ends it and waits for it ([`stop`]), since
//!   PHP unloads the extension's code after that.
//!
//! A renewal that finds another token (the request's write released the
//! lock, or the lock was lost) forgets the lock. A renewal that fails (the
//! server is away) is tried again at the next tick; if the lease runs out
//! meanwhile, the lock is lost and the request's fenced write refuses, as
//! without renewal. Should the thread not start (the system refuses a
//! thread), locks keep their plain lease, as with
//! `rustenc.lock_max_hold_ms=0`.

use std::{
    collections::HashMap,
    sync::{
        mpsc::{self, Receiver, RecvTimeoutError, Sender},
        Arc, Mutex, PoisonError,
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use super::{Shared, Slot};

/// `rustenc.lock_max_hold_ms` when not set: how long a lock is renewed.
pub const DEFAULT_MAX_HOLD: Duration = Duration::from_secs(300);

/// Compare-token renewal. KEYS: lock. ARGV: token, lease ms. Returns 1, or
/// 0 when the token no longer owns the lock.
const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
";

enum Msg {
    Hold { id: u64, entry: Entry },
    Stop(u64),
}

/// A lock being renewed.
struct Entry {
    shared: Arc<Shared>,
    lock: String,
    token: String,
    lease: Duration,
    /// No renewal at or after this.
    until: Instant,
    next: Instant,
}

/// This process's renewal thread.
struct Refresher {
    pid: u32,
    tx: Sender<Msg>,
    thread: JoinHandle<()>,
    next_id: u64,
}

static REFRESHER: Mutex<Option<Refresher>> = Mutex::new(None);

/// A lock being renewed; dropping it stops the renewal (the lock then ends
/// by release, or one lease later).
pub struct Hold {
    pid: u32,
    id: u64,
}

impl Drop for Hold {
    fn drop(&mut self) {
        if let Some(r) = REFRESHER
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            // Only in the process that started the renewal: a forked child
            // has a copy of the parent's channel that no thread reads.
            .filter(|r| r.pid == self.pid && r.pid == std::process::id())
        {
            let _ = r.tx.send(Msg::Stop(self.id));
        }
    }
}

/// Renews `lock` (held by `token`, taken just now with `lease`) until the
/// returned [`Hold`] is dropped or `max_hold` has passed. `None` when
/// `max_hold` is zero (renewal off) or no thread can be started.
pub fn hold(
    shared: &Arc<Shared>,
    lock: &str,
    token: &str,
    lease: Duration,
    max_hold: Duration,
) -> Option<Hold> {
    if max_hold.is_zero() {
        return None;
    }
    let now = Instant::now();
    let entry = Entry {
        shared: shared.clone(),
        lock: lock.to_string(),
        token: token.to_string(),
        lease,
        until: now + max_hold,
        next: now + lease / 3,
    };
    let pid = std::process::id();
    let mut guard = REFRESHER.lock().unwrap_or_else(PoisonError::into_inner);
    if guard.as_ref().is_some_and(|r| r.pid != pid) {
        // The parent's: its thread does not exist in this process. Not
        // dropped: the channel's state is the parent's.
        std::mem::forget(guard.take());
    }
    if guard.is_none() {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("rustenc-lease".into())
            .spawn(move || run(rx))
            .ok()?;
        *guard = Some(Refresher {
            pid,
            tx,
            thread,
            next_id: 0,
        });
    }
    let r = guard.as_mut()?;
    let id = r.next_id;
    r.next_id += 1;
    r.tx.send(Msg::Hold { id, entry }).ok()?;
    Some(Hold { pid, id })
}

/// Ends this process's thread, if it started one, and waits for it (at
/// most one renewal, bounded by the save path's timeouts): called at module
/// shutdown, before PHP unloads the extension whose code the thread runs.
pub fn stop() {
    let mut guard = REFRESHER.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(r) = guard.take() {
        if r.pid == std::process::id() {
            // Its channel closed, the thread returns.
            drop(r.tx);
            let _ = r.thread.join();
        } else {
            std::mem::forget(r);
        }
    }
}

/// The thread: renews what is due, sleeps until the next due renewal or
/// message.
fn run(rx: Receiver<Msg>) {
    let mut entries: HashMap<u64, Entry> = HashMap::new();
    // Connections by save path (the address of its Shared, which the
    // entries keep alive).
    let mut conns: HashMap<usize, Slot> = HashMap::new();
    loop {
        let msg = match entries.values().map(|e| e.next).min() {
            None => match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            },
            Some(next) => match rx.recv_timeout(next.saturating_duration_since(Instant::now())) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            },
        };
        match msg {
            Some(Msg::Hold { id, entry }) => {
                entries.insert(id, entry);
            }
            Some(Msg::Stop(id)) => {
                entries.remove(&id);
            }
            None => {}
        }
        let now = Instant::now();
        entries.retain(|_, e| {
            if e.next > now {
                return true;
            }
            if now >= e.until {
                return false;
            }
            e.next = now + e.lease / 3;
            // A failure is tried again at the next tick, on a new connection.
            renew(&mut conns, e).unwrap_or(true)
        });
        let live: Vec<usize> = entries
            .values()
            .map(|e| Arc::as_ptr(&e.shared) as usize)
            .collect();
        conns.retain(|k, _| live.contains(k));
    }
}

/// One renewal: whether the token still owns the lock. An error drops the
/// connection (its replies may be out of step).
fn renew(conns: &mut HashMap<usize, Slot>, e: &Entry) -> Result<bool, ()> {
    let key = Arc::as_ptr(&e.shared) as usize;
    let slot = match conns.remove(&key) {
        Some(slot) => slot,
        None => e.shared.connect().map_err(|_| ())?,
    };
    let mut slot = slot;
    let owned: i64 = redis::Script::new(RENEW)
        .key(&e.lock)
        .arg(&e.token)
        .arg(e.lease.as_millis().max(1) as u64)
        .invoke(slot.conn.get())
        .map_err(|_| ())?;
    conns.insert(key, slot);
    Ok(owned == 1)
}
