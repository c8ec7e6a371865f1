//! Stores: where sealed sessions are kept. This is where bytes hit the disk
//! (or the network), and the only place that does.
//!
//! [`SessionStore`] is what the handler needs from a store; [`dir`] is the
//! directory store, [`redis`] the Redis/Valkey store (sessions shared by
//! several web servers).

pub mod dir;
pub mod redis;

use std::{
    path::Path,
    time::{Duration, SystemTime},
};

use crate::{error::Result, id::SessionId};

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

/// What the session handler needs from a store: one implementation per kind
/// of `session.save_path` (a directory: [`dir::Store`]; a Redis/Valkey
/// address: [`redis::Store`]). Every method takes
/// an id that passed PHP's rules, and refuses (with a message for the
/// operator) rather than serve a session it cannot vouch for.
///
/// Promises every store keeps: a session is read and written only under its
/// lock ([`SessionStore::Locked`], held until dropped); a write replaces the
/// whole session atomically or changes nothing; a store never sees
/// plaintext (it is handed sealed envelopes).
pub trait SessionStore {
    /// A session this request holds locked; the lock lasts as long as the value.
    type Locked: LockedSession;
    /// A session read without its lock (for `validate_sid`), kept so that
    /// [`SessionStore::lock_snapshot`] can lock that very version.
    type Snapshot: SessionSnapshot;

    /// Where the sessions are kept, for messages.
    fn location(&self) -> &Path;

    /// Locks the session `id` (waiting at most `timeout` for a request that
    /// holds it), creating it with the bytes `fresh` returns if it is new.
    fn lock(
        &self,
        id: SessionId<'_>,
        timeout: Duration,
        fresh: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<Self::Locked>;

    /// Reads a locked session whole, refusing one larger than `max` bytes.
    fn read(&self, id: SessionId<'_>, locked: &Self::Locked, max: u64) -> Result<Vec<u8>>;

    /// Replaces a locked session's bytes atomically, keeping the lock.
    fn replace(&self, id: SessionId<'_>, locked: &mut Self::Locked, bytes: &[u8]) -> Result<()>;

    /// Marks a locked session as used now, leaving its bytes alone.
    fn touch(&self, id: SessionId<'_>, locked: &mut Self::Locked) -> Result<()>;

    /// Keeps a locked session that does not open under another name (for the
    /// operator, until gc) and puts `fresh` in its place. Returns what names
    /// the kept copy (see [`crate::error::Error::SetAside`]).
    fn set_aside(
        &self,
        id: SessionId<'_>,
        locked: &mut Self::Locked,
        fresh: &[u8],
    ) -> Result<String>;

    /// Reads the session `id` without locking it, if it exists.
    fn peek(&self, id: SessionId<'_>, max: u64) -> Result<Option<Self::Snapshot>>;

    /// Locks the version a snapshot read; `None` if a newer one replaced it.
    fn lock_snapshot(
        &self,
        id: SessionId<'_>,
        snapshot: Self::Snapshot,
        timeout: Duration,
    ) -> Result<Option<Self::Locked>>;

    /// Whether a session named `id` exists (for `create_sid`).
    fn exists(&self, id: SessionId<'_>) -> Result<bool>;

    /// Removes the session `id`; `held` is its lock when this request holds
    /// it (released only after the session is gone).
    fn destroy(&self, id: SessionId<'_>, held: Option<Self::Locked>) -> Result<()>;

    /// Removes sessions unused for longer than `max_age`; returns how many.
    fn gc(&self, max_age: Duration) -> Result<u64>;
}

/// A session held locked.
pub trait LockedSession {
    /// When it was last written or touched.
    fn modified(&self) -> SystemTime;
}

/// A session read without its lock.
pub trait SessionSnapshot {
    /// When it was last written or touched.
    fn modified(&self) -> SystemTime;
    /// Its bytes, moved out (what is left is empty).
    fn take_bytes(&mut self) -> Vec<u8>;
}
