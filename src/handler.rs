//! The session handler contract, in one place: what each of PHP's session
//! hooks does with the store and the envelope. The PHP seam (`php/hooks.rs`)
//! only converts arguments and results; everything a reviewer needs to check
//! against `ext/session/mod_files.c` is here, in safe Rust.
//!
//! One [`Handler`] lives from the engine's `open` to its `close` (one request,
//! or one `session_start()` … `session_write_close()` span). It holds at most
//! one locked session, like `files` holds one fd.
//!
//! Expiry: a session is served only if its file was modified within
//! `maxlifetime` (as `files` measures age, but checked on every read rather
//! than left to gc) *and* its authenticated `sealed_at` is within
//! `2 × maxlifetime`. lazy_write only touches the file, so `update_timestamp`
//! reseals once `sealed_at` is older than `maxlifetime / 2`; an active session
//! therefore never hits the second bound, while a file whose mtime was forged
//! or restored from a backup cannot live longer than twice the lifetime.
//!
//! A time in the future, in the mtime or in `sealed_at`, would make both
//! bounds meaningless (a file stamped 2100 never expires): beyond
//! [`CLOCK_SKEW`] it makes the session unreadable (never served, left for
//! the operator; gc removes it).

use std::{
    ops::{Deref, Range},
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use crate::{
    envelope::{self, Header, OVERHEAD},
    error::{Error, Result},
    id::SessionId,
    keys::KeyRing,
    store::{LockedSession, SessionSnapshot, SessionStore, CLOCK_SKEW},
};

/// The per-request settings (from `rustenc.*` INI values).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// How long `read` waits for another request's lock.
    pub lock_timeout: Duration,
    /// Largest serialized session accepted, in bytes.
    pub max_size: u64,
    /// Pad sealed data to a multiple of this many bytes (0: no padding), so
    /// file sizes do not tell session lengths apart.
    pub pad_to: usize,
}

impl Settings {
    /// The largest file a session of `max_size` bytes is sealed into.
    fn max_file_len(&self) -> u64 {
        let max = usize::try_from(self.max_size).unwrap_or(usize::MAX);
        envelope::sealed_len(max, self.pad_to) as u64
    }

    /// The store measures files; operators set `rustenc.max_size` for data
    /// (the file's size less the envelope is the data's, give or take
    /// padding).
    fn data_size(&self, e: Error) -> Error {
        match e {
            Error::TooLarge { id, size, .. } => Error::TooLarge {
                id,
                size: size.saturating_sub(OVERHEAD as u64),
                max: self.max_size,
            },
            other => other,
        }
    }
}

/// A decrypted session, wiped from memory when dropped.
pub struct Plaintext {
    buf: Vec<u8>,
    range: Range<usize>,
}

impl Drop for Plaintext {
    /// `zeroize` writes one volatile byte at a time: ~80 µs for a 256 KiB
    /// session, 10% of a whole request. A plain `memset` is as thorough;
    /// `black_box` keeps the compiler from dropping it as a store to memory
    /// about to be freed. Wiping `len` is enough: the envelope is decrypted
    /// in place, inside `len`.
    fn drop(&mut self) {
        self.buf.fill(0);
        std::hint::black_box(&mut self.buf);
    }
}

impl Plaintext {
    fn empty() -> Plaintext {
        Plaintext {
            buf: Vec::new(),
            range: 0..0,
        }
    }

    /// Decrypts `bytes`, the envelope of `id` bound to `binding`, in place.
    fn open(
        keys: &KeyRing,
        id: SessionId<'_>,
        binding: &[u8],
        bytes: Vec<u8>,
    ) -> Result<(Header, Plaintext)> {
        let mut buf = Plaintext {
            buf: bytes,
            range: 0..0,
        };
        let (header, range) =
            envelope::open_in_place_bound(keys, id.as_bytes(), binding, &mut buf.buf).map_err(
                |cause| Error::Unreadable {
                    id: id.prefix(),
                    cause,
                },
            )?;
        buf.range = range;
        Ok((header, buf))
    }
}

impl Deref for Plaintext {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buf[self.range.clone()]
    }
}

/// The session this handler holds locked.
struct Held<L> {
    id: String,
    file: L,
    /// What the file holds, when that is what the request was served; `None`
    /// when it was not (expired), so lazy_write must write rather than touch.
    served: Option<Header>,
}

/// What `validate_sid` learned, kept for the `read` that follows so the file
/// is decrypted once per request.
struct Validated<V> {
    id: String,
    /// The version that was read, kept for `read` to lock.
    snapshot: V,
    header: Header,
    plaintext: Plaintext,
}

/// One open session handler, over the store `session.save_path` names.
pub struct Handler<S: SessionStore> {
    store: Arc<S>,
    keys: Arc<KeyRing>,
    settings: Settings,
    held: Option<Held<S::Locked>>,
    validated: Option<Validated<S::Snapshot>>,
    /// What the last `read` (or `validate`, see [`Handler::defer_notice`])
    /// found that the request should be warned of, although it went on
    /// (see [`Handler::take_notice`]).
    notice: Option<Error>,
}

impl<S: SessionStore> Handler<S> {
    /// `open`: a handler over `store`, which the caller opened (and checked)
    /// for `session.save_path`.
    pub fn open(store: Arc<S>, keys: Arc<KeyRing>, settings: Settings) -> Handler<S> {
        Handler {
            store,
            keys,
            settings,
            held: None,
            validated: None,
            notice: None,
        }
    }

    /// `read`: locks the session (creating it empty if new) and returns its
    /// data; an expired session reads as empty. A file that does not open
    /// (wrong key, modified, another id's) is set aside, kept for a lifetime,
    /// and replaced by an empty session, so the user is not stuck with a
    /// session that fails on every request (without strict mode the engine
    /// keeps the id); [`Handler::take_notice`] then says so.
    pub fn read(&mut self, id: &[u8], maxlifetime: Duration) -> Result<Plaintext> {
        let id = SessionId::new(id)?;
        // After validate_sid: lock the version it read and decrypted, so the
        // file is opened and decrypted once per request.
        let mut validated = None;
        if let Some(v) = self.validated.take() {
            if v.id == id.as_str() && !self.holds(id) {
                if let Some(file) =
                    self.store
                        .lock_snapshot(id, v.snapshot, self.settings.lock_timeout)?
                {
                    self.held = Some(Held {
                        id: id.as_str().into(),
                        file,
                        served: None,
                    });
                    validated = Some((v.header, v.plaintext));
                }
            }
        }
        self.hold(id)?;
        let held = self.held.as_mut().expect("hold() sets it");
        held.served = None;
        not_in_the_future(id, "modification time", secs(held.file.modified()))?;
        if expired(held.file.modified(), maxlifetime) {
            return Ok(Plaintext::empty());
        }
        let (header, plaintext) = match validated {
            Some(both) => both,
            None => {
                let opened = self
                    .store
                    .read(id, &mut held.file, self.settings.max_file_len())
                    .map_err(|e| self.settings.data_size(e))
                    .and_then(|bytes| Plaintext::open(&self.keys, id, &held.file.binding(), bytes));
                match opened {
                    Ok(both) => both,
                    Err(Error::Unreadable { id: prefix, cause }) => {
                        let binding = self.store.next_binding(id, &mut held.file)?;
                        let fresh = envelope::seal_bound(
                            self.keys.current(),
                            id.as_bytes(),
                            &binding,
                            now(),
                            b"",
                            self.settings.pad_to,
                        )?;
                        let stamp = self.store.set_aside(id, &mut held.file, &fresh)?;
                        held.served = None;
                        self.notice = Some(Error::SetAside {
                            id: prefix,
                            cause,
                            dir: self.store.location().into(),
                            stamp,
                        });
                        return Ok(Plaintext::empty());
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        not_in_the_future(id, "sealed_at", header.sealed_at)?;
        if sealed_too_long_ago(header, maxlifetime) {
            return Ok(Plaintext::empty());
        }
        held.served = Some(header);
        Ok(plaintext)
    }

    /// What the request should be warned of after a successful `read` (a
    /// session set aside, or what [`Handler::defer_notice`] kept), once.
    pub fn take_notice(&mut self) -> Option<Error> {
        self.notice.take()
    }

    /// Keeps `e` for [`Handler::take_notice`] instead of reporting it now.
    pub fn defer_notice(&mut self, e: Error) {
        self.notice = Some(e);
    }

    /// `write`: seals `data` for `id` with the current key and replaces the
    /// session atomically.
    pub fn write(&mut self, id: &[u8], data: &[u8]) -> Result<()> {
        let id = SessionId::new(id)?;
        if data.len() as u64 > self.settings.max_size {
            return Err(Error::TooLarge {
                id: id.prefix(),
                size: data.len() as u64,
                max: self.settings.max_size,
            });
        }
        self.hold(id)?;
        let key = self.keys.current();
        let sealed_at = now();
        let held = self.held.as_mut().expect("hold() sets it");
        let binding = self.store.next_binding(id, &mut held.file)?;
        let bytes = envelope::seal_bound(
            key,
            id.as_bytes(),
            &binding,
            sealed_at,
            data,
            self.settings.pad_to,
        )?;
        self.store.replace(id, &mut held.file, &bytes)?;
        held.served = Some(Header {
            version: envelope::VERSION,
            key_id: key.id(),
            sealed_at,
        });
        Ok(())
    }

    /// `update_timestamp` (lazy_write, data unchanged): refreshes the file's
    /// timestamp without rewriting it, unless it must be resealed: it was
    /// not what the request was served (expired), it is sealed with an older
    /// key or in format version 1, the store keeps it in an old layout
    /// ([`LockedSession::outdated`]), or its `sealed_at` is older than half the
    /// lifetime. Never writes plaintext.
    pub fn update_timestamp(
        &mut self,
        id: &[u8],
        data: &[u8],
        maxlifetime: Duration,
    ) -> Result<()> {
        let sid = SessionId::new(id)?;
        self.hold(sid)?;
        let held = self.held.as_mut().expect("hold() sets it");
        let current = self.keys.current().id();
        let reseal = match held.served {
            None => true,
            Some(_) if held.file.outdated() => true,
            Some(h) => {
                h.key_id != current
                    || h.version != envelope::VERSION
                    || now().saturating_sub(h.sealed_at) > maxlifetime.as_secs() / 2
            }
        };
        if reseal {
            self.write(id, data)
        } else {
            self.store.touch(sid, &mut held.file)
        }
    }

    /// `destroy`: removes the session; if this handler holds it, the name is
    /// removed before the lock is released.
    pub fn destroy(&mut self, id: &[u8]) -> Result<()> {
        let id = SessionId::new(id)?;
        let held = match self.held.take() {
            Some(h) if h.id == id.as_str() => Some(h.file),
            other => {
                self.held = other;
                None
            }
        };
        self.validated = None;
        self.store.destroy(id, held)
    }

    /// `gc`: removes sessions idle for longer than `maxlifetime`.
    pub fn gc(&self, maxlifetime: Duration) -> Result<u64> {
        self.store.gc(maxlifetime)
    }

    /// For `create_sid`: whether `id` is taken.
    pub fn exists(&self, id: &[u8]) -> Result<bool> {
        self.store.exists(SessionId::new(id)?)
    }

    /// `validate_sid` (strict mode): whether `id` names a live session that
    /// opens. `Ok(false)` for no session or an expired one; `Err` (which the
    /// caller reports) for one that exists but cannot be used, so the engine
    /// issues a new id and the file is left alone. A session that opens is
    /// kept for the `read` that follows.
    pub fn validate(&mut self, id: &[u8], maxlifetime: Duration) -> Result<bool> {
        let id = SessionId::new(id)?;
        self.validated = None;
        let max = self.settings.max_file_len();
        let peeked = self.store.peek(id, max, self.settings.lock_timeout);
        let Some(mut snapshot) = (match peeked {
            // Held by another request: `read` waits for it (and says so if it
            // cannot have it), as it would for a session not validated.
            Err(Error::LockTimeout { .. }) => return Ok(true),
            other => other.map_err(|e| self.settings.data_size(e))?,
        }) else {
            return Ok(false);
        };
        not_in_the_future(id, "modification time", secs(snapshot.modified()))?;
        if expired(snapshot.modified(), maxlifetime) {
            return Ok(false);
        }
        let bytes = snapshot.take_bytes();
        let (header, plaintext) = Plaintext::open(&self.keys, id, &snapshot.binding(), bytes)?;
        not_in_the_future(id, "sealed_at", header.sealed_at)?;
        if sealed_too_long_ago(header, maxlifetime) {
            return Ok(false);
        }
        self.validated = Some(Validated {
            id: id.as_str().into(),
            snapshot,
            header,
            plaintext,
        });
        Ok(true)
    }

    /// Creates, locks, writes, reads back (in a second handler, as the next
    /// request would) and destroys a probe session: what a deployment check
    /// needs to know that sessions will work here.
    pub fn probe(store: Arc<S>, keys: Arc<KeyRing>, settings: Settings) -> Result<()> {
        let mut nonce = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|_| envelope::RandomFailed)?;
        let id = format!("rustencprobe-{}", crate::hex(&nonce));
        let data = b"rustenc|s:5:\"probe\";";
        const LIFETIME: Duration = Duration::from_secs(60);
        let mut first = Handler::open(store.clone(), keys.clone(), settings);
        first.read(id.as_bytes(), LIFETIME)?;
        first.write(id.as_bytes(), data)?;
        drop(first);
        let mut second = Handler::open(store, keys, settings);
        let read = second.read(id.as_bytes(), LIFETIME)?.to_vec();
        second.destroy(id.as_bytes())?;
        if read != data {
            return Err(Error::Io {
                op: "read back a probe session from",
                path: second.store.location().into(),
                source: std::io::Error::other("the data read back differs from what was written"),
            });
        }
        Ok(())
    }

    fn holds(&self, id: SessionId<'_>) -> bool {
        self.held.as_ref().is_some_and(|h| h.id == id.as_str())
    }

    /// Makes sure this handler holds the lock of `id`, releasing any other
    /// session it held (as `files` closes its fd when the id changes).
    fn hold(&mut self, id: SessionId<'_>) -> Result<()> {
        if self.holds(id) {
            return Ok(());
        }
        self.held = None;
        let keys = &self.keys;
        let pad_to = self.settings.pad_to;
        let binding = self.store.fresh_binding();
        let file = self.store.lock(id, self.settings.lock_timeout, || {
            Ok(envelope::seal_bound(
                keys.current(),
                id.as_bytes(),
                &binding,
                now(),
                b"",
                pad_to,
            )?)
        })?;
        self.held = Some(Held {
            id: id.as_str().into(),
            file,
            served: None,
        });
        Ok(())
    }
}

fn now() -> u64 {
    secs(SystemTime::now())
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Refuses a session whose `what` (seconds since the epoch) lies more than
/// [`CLOCK_SKEW`] in the future.
fn not_in_the_future(id: SessionId<'_>, what: &'static str, at: u64) -> Result<()> {
    let ahead = at.saturating_sub(now());
    if ahead > CLOCK_SKEW.as_secs() {
        return Err(Error::Unreadable {
            id: id.prefix(),
            cause: envelope::Unreadable::InTheFuture {
                what,
                ahead,
                allowed: CLOCK_SKEW.as_secs(),
            },
        });
    }
    Ok(())
}

fn expired(modified: SystemTime, maxlifetime: Duration) -> bool {
    SystemTime::now()
        .duration_since(modified)
        .is_ok_and(|age| age.as_secs() > maxlifetime.as_secs())
}

fn sealed_too_long_ago(header: Header, maxlifetime: Duration) -> bool {
    now().saturating_sub(header.sealed_at) > 2 * maxlifetime.as_secs()
}

#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod tests;
