//! The envelope: rustenc's on-disk format and the AEAD that seals it.
//!
//! A session file is exactly one envelope (`docs/FORMAT.md` has the full
//! description, enough to write another reader):
//!
//! ```text
//! offset  size  field
//!      0     4  magic "RENC"
//!      4     1  format version, 1
//!      5     8  key id (HKDF of the key, see keys.rs)
//!     13     8  sealed_at: seconds since the Unix epoch, big-endian
//!     21    12  nonce, fresh from the system CSPRNG for every seal
//!     33     n  AES-256-GCM ciphertext of the serialized session
//!   33+n    16  GCM tag
//! ```
//!
//! The associated data is bytes 0..21 (magic, version, key id, sealed_at)
//! followed by the session id. A file therefore opens only under the id it was
//! sealed for, only as the format version it claims, and only with the
//! timestamp it was sealed at.
//!
//! Invariant: [`seal`] is the only place a nonce is made, and it makes a new
//! random one for every call. With 96-bit random nonces, one key may seal
//! about 2^32 envelopes before the collision risk reaches 2^-32; rotate well
//! before that.

use std::{fmt, ops::Range};

use ring::{
    aead::{Aad, Nonce, NONCE_LEN},
    rand::{SecureRandom, SystemRandom},
};

use crate::keys::{Key, KeyId, KeyRing};

/// The first four bytes of every rustenc file.
pub const MAGIC: [u8; 4] = *b"RENC";
/// The format version this code writes and reads.
pub const VERSION: u8 = 1;
/// Bytes before the ciphertext.
pub const HEADER_LEN: usize = 21 + NONCE_LEN;
/// GCM tag length.
pub const TAG_LEN: usize = 16;
/// Bytes an envelope adds to the plaintext.
pub const OVERHEAD: usize = HEADER_LEN + TAG_LEN;
/// The part of the header covered by the associated data.
const AAD_HEADER_LEN: usize = 21;

/// What an envelope's header says, once it has been authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The key it was sealed with.
    pub key_id: KeyId,
    /// When it was sealed, in seconds since the Unix epoch.
    pub sealed_at: u64,
}

/// Why a file is not a session rustenc can open. Each case is named in the
/// operator's warning, because each has a different fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Shorter than an empty envelope (this includes an empty file).
    Truncated { len: usize },
    /// Does not start with the magic: plaintext, another handler's file, junk.
    NotAnEnvelope,
    /// A format version this build does not know.
    UnsupportedVersion(u8),
    /// Sealed with a key that is not configured.
    UnknownKey(KeyId),
    /// The tag does not verify: the bytes were changed, or the file belongs
    /// to another session id.
    AuthenticationFailed,
    /// Its `what` (the file's mtime, or the authenticated `sealed_at`) lies
    /// `ahead` seconds in the future, more than the `allowed` clock skew: a
    /// forged or planted file, which would otherwise never expire.
    InTheFuture {
        what: &'static str,
        ahead: u64,
        allowed: u64,
    },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Truncated { len } => write!(
                f,
                "truncated file ({len} bytes, an envelope has at least {OVERHEAD})"
            ),
            Unreadable::NotAnEnvelope => {
                write!(
                    f,
                    "not a rustenc file (plaintext or another handler's data)"
                )
            }
            Unreadable::UnsupportedVersion(v) => write!(
                f,
                "unsupported format version {v} (this rustenc reads version {VERSION})"
            ),
            Unreadable::UnknownKey(id) => write!(
                f,
                "sealed with unknown key id {id} (not the configured key)"
            ),
            Unreadable::AuthenticationFailed => write!(
                f,
                "authentication failed (the file was modified, or belongs to another session id)"
            ),
            Unreadable::InTheFuture {
                what,
                ahead,
                allowed,
            } => write!(
                f,
                "its {what} lies {ahead} s in the future, more than the {allowed} s allowed for \
                 clock skew (a forged or planted file; check the clock if every session says so)"
            ),
        }
    }
}

/// The system random number generator failed; no envelope was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomFailed;

/// Seals `plaintext` for `session_id` under `key`, stamped `sealed_at`.
pub fn seal(
    key: &Key,
    session_id: &[u8],
    sealed_at: u64,
    plaintext: &[u8],
) -> Result<Vec<u8>, RandomFailed> {
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| RandomFailed)?;

    let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&key.id().0);
    out.extend_from_slice(&sealed_at.to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);

    let (header, body) = out.split_at_mut(HEADER_LEN);
    let aad = associated_data(&header[..AAD_HEADER_LEN], session_id);
    let tag = key
        .aead()
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(&aad), body)
        .expect("AES-GCM seals any plaintext shorter than 64 GiB");
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens an envelope read from the file of `session_id`, decrypting in place.
/// Returns the authenticated header and the plaintext (a sub-slice of `file`).
pub fn open<'a>(
    keys: &KeyRing,
    session_id: &[u8],
    file: &'a mut [u8],
) -> Result<(Header, &'a [u8]), Unreadable> {
    let header = peek(file)?;
    let key = keys
        .find(header.key_id)
        .ok_or(Unreadable::UnknownKey(header.key_id))?;
    let (head, body) = file.split_at_mut(HEADER_LEN);
    let nonce = Nonce::try_assume_unique_for_key(&head[AAD_HEADER_LEN..])
        .expect("the header holds exactly one nonce");
    let aad = associated_data(&head[..AAD_HEADER_LEN], session_id);
    let plaintext = key
        .aead()
        .open_in_place(nonce, Aad::from(&aad), body)
        .map_err(|_| Unreadable::AuthenticationFailed)?;
    Ok((header, plaintext))
}

/// As [`open`], for a caller that keeps `file`: returns where in it the
/// plaintext lies once decrypted.
pub fn open_in_place(
    keys: &KeyRing,
    session_id: &[u8],
    file: &mut [u8],
) -> Result<(Header, Range<usize>), Unreadable> {
    let (header, plaintext) = open(keys, session_id, file)?;
    // `open` decrypts in place, right after the header.
    Ok((header, HEADER_LEN..HEADER_LEN + plaintext.len()))
}

/// Reads the header without authenticating it: for choosing the key, and for
/// reporting why a file cannot be opened. Nothing it returns may be trusted
/// until [`open`] succeeds.
pub fn peek(file: &[u8]) -> Result<Header, Unreadable> {
    if file.len() < OVERHEAD {
        return Err(if file.starts_with(&MAGIC[..file.len().min(4)]) {
            Unreadable::Truncated { len: file.len() }
        } else {
            Unreadable::NotAnEnvelope
        });
    }
    if file[..4] != MAGIC {
        return Err(Unreadable::NotAnEnvelope);
    }
    if file[4] != VERSION {
        return Err(Unreadable::UnsupportedVersion(file[4]));
    }
    let mut key_id = [0u8; KeyId::LEN];
    key_id.copy_from_slice(&file[5..13]);
    let mut sealed_at = [0u8; 8];
    sealed_at.copy_from_slice(&file[13..21]);
    Ok(Header {
        key_id: KeyId(key_id),
        sealed_at: u64::from_be_bytes(sealed_at),
    })
}

fn associated_data(header: &[u8], session_id: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + session_id.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(session_id);
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(seed: u8) -> KeyRing {
        KeyRing::new(Key::derive(&[seed; 32]).unwrap(), vec![])
    }

    const ID: &[u8] = b"abcdefghijklmnopqrstuvwxyz012345";
    const DATA: &[u8] = b"user|s:5:\"alice\";n|i:42;";

    #[test]
    fn round_trip() {
        let keys = ring(1);
        let mut file = seal(keys.current(), ID, 1_700_000_000, DATA).unwrap();
        assert_eq!(file.len(), DATA.len() + OVERHEAD);
        let (header, plain) = open(&keys, ID, &mut file).unwrap();
        assert_eq!(plain, DATA);
        assert_eq!(header.sealed_at, 1_700_000_000);
        assert_eq!(header.key_id, keys.current().id());
    }

    #[test]
    fn empty_session_round_trips() {
        let keys = ring(1);
        let mut file = seal(keys.current(), ID, 5, b"").unwrap();
        assert_eq!(open(&keys, ID, &mut file).unwrap().1, b"");
    }

    #[test]
    fn ciphertext_holds_no_plaintext() {
        let keys = ring(1);
        let file = seal(keys.current(), ID, 5, DATA).unwrap();
        assert!(!file.windows(5).any(|w| w == b"alice"));
    }

    #[test]
    fn every_flipped_bit_is_detected() {
        let keys = ring(1);
        let sealed = seal(keys.current(), ID, 5, DATA).unwrap();
        for i in 0..sealed.len() {
            for bit in 0..8 {
                let mut file = sealed.clone();
                file[i] ^= 1 << bit;
                assert!(open(&keys, ID, &mut file).is_err(), "byte {i} bit {bit}");
            }
        }
    }

    #[test]
    fn flips_are_reported_by_the_field_they_hit() {
        let keys = ring(1);
        let sealed = seal(keys.current(), ID, 5, DATA).unwrap();
        let flip = |i: usize| {
            let mut file = sealed.clone();
            file[i] ^= 1;
            open(&keys, ID, &mut file).unwrap_err()
        };
        assert_eq!(flip(0), Unreadable::NotAnEnvelope);
        assert_eq!(flip(4), Unreadable::UnsupportedVersion(0));
        assert!(matches!(flip(5), Unreadable::UnknownKey(_)));
        assert_eq!(flip(13), Unreadable::AuthenticationFailed);
        assert_eq!(flip(25), Unreadable::AuthenticationFailed);
        assert_eq!(flip(sealed.len() - 1), Unreadable::AuthenticationFailed);
    }

    #[test]
    fn wrong_key_fails() {
        let mut file = seal(ring(1).current(), ID, 5, DATA).unwrap();
        assert!(matches!(
            open(&ring(2), ID, &mut file),
            Err(Unreadable::UnknownKey(_))
        ));
    }

    #[test]
    fn same_key_id_with_other_key_bytes_fails_authentication() {
        // A header forged to name the right key id still has to authenticate.
        let keys = ring(1);
        let mut file = seal(ring(2).current(), ID, 5, DATA).unwrap();
        file[5..13].copy_from_slice(&keys.current().id().0);
        assert_eq!(
            open(&keys, ID, &mut file),
            Err(Unreadable::AuthenticationFailed)
        );
    }

    #[test]
    fn other_session_id_fails() {
        let keys = ring(1);
        let mut file = seal(keys.current(), ID, 5, DATA).unwrap();
        assert_eq!(
            open(&keys, b"abcdefghijklmnopqrstuvwxyz012346", &mut file),
            Err(Unreadable::AuthenticationFailed)
        );
    }

    #[test]
    fn two_seals_of_the_same_data_differ() {
        let keys = ring(1);
        let a = seal(keys.current(), ID, 5, DATA).unwrap();
        let b = seal(keys.current(), ID, 5, DATA).unwrap();
        assert_ne!(a, b);
        assert_ne!(a[21..33], b[21..33], "nonces must differ");
    }

    #[test]
    fn short_and_foreign_files_are_named() {
        let keys = ring(1);
        let sealed = seal(keys.current(), ID, 5, DATA).unwrap();
        for len in [0, 3, 4, 20, OVERHEAD - 1] {
            let mut file = sealed[..len].to_vec();
            assert_eq!(
                open(&keys, ID, &mut file),
                Err(Unreadable::Truncated { len })
            );
        }
        let mut truncated_body = sealed[..sealed.len() - 1].to_vec();
        assert_eq!(
            open(&keys, ID, &mut truncated_body),
            Err(Unreadable::AuthenticationFailed)
        );
        let mut plain = b"user|s:5:\"alice\";n|i:42;........................".to_vec();
        assert_eq!(open(&keys, ID, &mut plain), Err(Unreadable::NotAnEnvelope));
    }
}
