//! The envelope: rustenc's on-disk format and the AEAD that seals it.
//!
//! A session file is exactly one envelope (`docs/FORMAT.md` has the full
//! description, enough to write another reader). [`seal`] writes version 2;
//! [`open`] reads versions 1 and 2 and says which one it read, so the
//! handler can reseal a version 1 session on its next write.
//!
//! ```text
//! version 2                            version 1 (rustenc 0.1, read only)
//! offset size field                    offset size field
//!      0    4 magic "RENC"                  0    4 magic "RENC"
//!      4    1 version, 2                    4    1 version, 1
//!      5    8 key id                        5    8 key id
//!     13    8 sealed_at, big-endian        13    8 sealed_at, big-endian
//!     21   16 salt                         21   12 nonce
//!     37   12 nonce                        33    n ciphertext of the data
//!     49    m ciphertext of               33+n  16 GCM tag
//!             len (8, big-endian) ‖ data ‖ zero padding
//!   49+m   16 GCM tag
//! ```
//!
//! Version 2 seals each envelope under its own subkey, HKDF-Expand of the
//! secret's PRK with info `"rustenc v2 aes-256-gcm" ‖ salt`, so no AES key
//! ever seals more than one envelope and the ~2^32 seal limit of random
//! 96-bit nonces under one key (version 1's) is gone: a repeated (subkey,
//! nonce) pair needs 224 random bits to repeat. The associated data is the
//! whole header followed by the session id (in version 1, bytes 0..21 and the
//! id), so a file opens only under its id, version and `sealed_at`.
//!
//! Invariant: [`seal`] is the only place salts and nonces are made, fresh
//! from the system CSPRNG for every call.

use std::{fmt, ops::Range};

use ring::{
    aead::{self, Aad, LessSafeKey, Nonce, UnboundKey, NONCE_LEN},
    rand::{SecureRandom, SystemRandom},
};

use crate::keys::{Key, KeyId, KeyRing};

/// The first four bytes of every rustenc file.
pub const MAGIC: [u8; 4] = *b"RENC";
/// The format version [`seal`] writes.
pub const VERSION: u8 = 2;
/// The format of rustenc 0.1, which [`open`] still reads.
pub const VERSION_1: u8 = 1;
/// Length of the version 2 salt that selects the envelope's subkey.
pub const SALT_LEN: usize = 16;
/// Bytes of a version 2 header, before the ciphertext.
pub const HEADER_LEN: usize = FIXED_LEN + SALT_LEN + NONCE_LEN;
/// GCM tag length.
pub const TAG_LEN: usize = 16;
/// The plaintext length that precedes the data inside the ciphertext.
pub const LEN_PREFIX: usize = 8;
/// Bytes a version 2 envelope adds to the data, without padding.
pub const OVERHEAD: usize = HEADER_LEN + LEN_PREFIX + TAG_LEN;
/// Magic, version, key id, sealed_at: the same in both versions.
const FIXED_LEN: usize = 21;
/// Bytes of a version 1 header.
const V1_HEADER_LEN: usize = FIXED_LEN + NONCE_LEN;
/// The HKDF info prefix of a version 2 subkey (the salt follows).
pub const SUBKEY_INFO: &[u8] = b"rustenc v2 aes-256-gcm";

/// The shortest envelope of `version`: its header, tag and (version 2)
/// length prefix around empty data.
pub fn min_len(version: u8) -> usize {
    match version {
        VERSION_1 => V1_HEADER_LEN + TAG_LEN,
        _ => OVERHEAD,
    }
}

/// The size of the envelope [`seal`] makes of `data_len` bytes with
/// `pad_to` (0 or 1: no padding).
pub fn sealed_len(data_len: usize, pad_to: usize) -> usize {
    HEADER_LEN + padded_len(LEN_PREFIX + data_len, pad_to) + TAG_LEN
}

fn padded_len(len: usize, pad_to: usize) -> usize {
    if pad_to > 1 {
        len.div_ceil(pad_to).saturating_mul(pad_to)
    } else {
        len
    }
}

/// What an envelope's header says, once it has been authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The format version it was sealed in ([`VERSION_1`] or [`VERSION`]).
    pub version: u8,
    /// The key it was sealed with.
    pub key_id: KeyId,
    /// When it was sealed, in seconds since the Unix epoch.
    pub sealed_at: u64,
}

/// Why a file is not a session rustenc can open. Each case is named in the
/// operator's warning, because each has a different fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Shorter than an empty envelope of its version, `min` bytes (this
    /// includes an empty file).
    Truncated { len: usize, min: usize },
    /// Does not start with the magic: plaintext, another handler's file, junk.
    NotAnEnvelope,
    /// A format version this build does not know.
    UnsupportedVersion(u8),
    /// A directory store slot file of `len` bytes in which neither slot holds
    /// a complete record (see `store::dir::slots`).
    NoRecord { len: usize },
    /// Sealed with a key that is not configured.
    UnknownKey(KeyId),
    /// The tag does not verify: the bytes were changed, or the file belongs
    /// to another session id.
    AuthenticationFailed,
    /// Authentic, but the length inside does not fit or the padding is not
    /// zeros: written by a broken writer that holds the key.
    BadPadding,
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
            Unreadable::Truncated { len, min } => write!(
                f,
                "truncated file ({len} bytes, an envelope has at least {min})"
            ),
            Unreadable::NotAnEnvelope => {
                write!(
                    f,
                    "not a rustenc file (plaintext or another handler's data)"
                )
            }
            Unreadable::UnsupportedVersion(v) => write!(
                f,
                "unsupported format version {v} (this rustenc reads versions {VERSION_1} and \
                 {VERSION})"
            ),
            Unreadable::NoRecord { len } => write!(
                f,
                "no complete record in either slot of this {len}-byte file (cut short, \
                 overwritten, or its layout header is damaged)"
            ),
            Unreadable::UnknownKey(id) => write!(
                f,
                "sealed with unknown key id {id} (not the configured key)"
            ),
            Unreadable::AuthenticationFailed => write!(
                f,
                "authentication failed (the file was modified, or belongs to another session id)"
            ),
            Unreadable::BadPadding => write!(
                f,
                "authentic, but its length field or padding is malformed (written by a faulty \
                 writer holding the key)"
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

/// Seals `data` for `session_id` under `key`, stamped `sealed_at`, in format
/// version 2. With `pad_to` > 1 the length prefix, data and zero padding
/// inside the ciphertext fill a multiple of `pad_to` bytes, so sessions of
/// different lengths up to that size give envelopes of one size.
pub fn seal(
    key: &Key,
    session_id: &[u8],
    sealed_at: u64,
    data: &[u8],
    pad_to: usize,
) -> Result<Vec<u8>, RandomFailed> {
    seal_bound(key, session_id, &[], sealed_at, data, pad_to)
}

/// As [`seal`], with `bound` appended to the associated data after the
/// session id: what binds the envelope to its place in a store's layout
/// (the directory store's slot sequence number, see docs/FORMAT.md). It is
/// not stored in the envelope; [`open_in_place_bound`] must be given the
/// same bytes. Empty `bound` is exactly [`seal`].
pub fn seal_bound(
    key: &Key,
    session_id: &[u8],
    bound: &[u8],
    sealed_at: u64,
    data: &[u8],
    pad_to: usize,
) -> Result<Vec<u8>, RandomFailed> {
    let mut fresh = [0u8; SALT_LEN + NONCE_LEN];
    SystemRandom::new()
        .fill(&mut fresh)
        .map_err(|_| RandomFailed)?;

    let mut out = Vec::with_capacity(sealed_len(data.len(), pad_to));
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&key.id().0);
    out.extend_from_slice(&sealed_at.to_be_bytes());
    out.extend_from_slice(&fresh);
    out.extend_from_slice(&(data.len() as u64).to_be_bytes());
    out.extend_from_slice(data);
    out.resize(HEADER_LEN + padded_len(LEN_PREFIX + data.len(), pad_to), 0);

    let (header, body) = out.split_at_mut(HEADER_LEN);
    let (salt, nonce) = header[FIXED_LEN..].split_at(SALT_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).expect("the header holds one nonce");
    let aad = associated_data(header, session_id, bound);
    let tag = subkey(key, salt)
        .seal_in_place_separate_tag(nonce, Aad::from(&aad), body)
        .expect("AES-GCM seals any plaintext shorter than 64 GiB");
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens an envelope (version 1 or 2) read from the file of `session_id`,
/// decrypting in place. Returns the authenticated header, whose `version`
/// says which format the file had, and the data (a sub-slice of `file`).
pub fn open<'a>(
    keys: &KeyRing,
    session_id: &[u8],
    file: &'a mut [u8],
) -> Result<(Header, &'a [u8]), Unreadable> {
    let (header, range) = open_in_place(keys, session_id, file)?;
    Ok((header, &file[range]))
}

/// As [`open`], for a caller that keeps `file`: returns where in it the
/// plaintext lies once decrypted (the offset depends on the version).
pub fn open_in_place(
    keys: &KeyRing,
    session_id: &[u8],
    file: &mut [u8],
) -> Result<(Header, Range<usize>), Unreadable> {
    open_in_place_bound(keys, session_id, &[], file)
}

/// As [`open_in_place`], for an envelope sealed by [`seal_bound`] with
/// `bound` (a version 1 envelope never was: with a non-empty `bound` it does
/// not open).
pub fn open_in_place_bound(
    keys: &KeyRing,
    session_id: &[u8],
    bound: &[u8],
    file: &mut [u8],
) -> Result<(Header, Range<usize>), Unreadable> {
    let header = peek(file)?;
    let key = keys
        .find(header.key_id)
        .ok_or(Unreadable::UnknownKey(header.key_id))?;
    if header.version == VERSION_1 {
        let (head, body) = file.split_at_mut(V1_HEADER_LEN);
        let nonce = Nonce::try_assume_unique_for_key(&head[FIXED_LEN..])
            .expect("the header holds exactly one nonce");
        let aad = associated_data(&head[..FIXED_LEN], session_id, bound);
        let len = key
            .aead()
            .open_in_place(nonce, Aad::from(&aad), body)
            .map_err(|_| Unreadable::AuthenticationFailed)?
            .len();
        return Ok((header, V1_HEADER_LEN..V1_HEADER_LEN + len));
    }
    let (head, body) = file.split_at_mut(HEADER_LEN);
    let (salt, nonce) = head[FIXED_LEN..].split_at(SALT_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).expect("the header holds one nonce");
    let aad = associated_data(head, session_id, bound);
    let inner = subkey(key, salt)
        .open_in_place(nonce, Aad::from(&aad), body)
        .map_err(|_| Unreadable::AuthenticationFailed)?;
    let (len, rest) = inner.split_at(LEN_PREFIX);
    let len = u64::from_be_bytes(len.try_into().expect("8 bytes"));
    let len = usize::try_from(len)
        .ok()
        .filter(|&len| len <= rest.len())
        .ok_or(Unreadable::BadPadding)?;
    if rest[len..].iter().any(|&b| b != 0) {
        return Err(Unreadable::BadPadding);
    }
    let start = HEADER_LEN + LEN_PREFIX;
    Ok((header, start..start + len))
}

/// Reads the header without authenticating it: for choosing the key, and for
/// reporting why a file cannot be opened. Nothing it returns may be trusted
/// until [`open`] succeeds.
pub fn peek(file: &[u8]) -> Result<Header, Unreadable> {
    let n = file.len().min(MAGIC.len());
    if file[..n] != MAGIC[..n] {
        return Err(Unreadable::NotAnEnvelope);
    }
    let Some(&version) = file.get(MAGIC.len()) else {
        return Err(Unreadable::Truncated {
            len: file.len(),
            min: min_len(VERSION_1),
        });
    };
    if version != VERSION_1 && version != VERSION {
        return Err(Unreadable::UnsupportedVersion(version));
    }
    if file.len() < min_len(version) {
        return Err(Unreadable::Truncated {
            len: file.len(),
            min: min_len(version),
        });
    }
    let mut key_id = [0u8; KeyId::LEN];
    key_id.copy_from_slice(&file[5..13]);
    let mut sealed_at = [0u8; 8];
    sealed_at.copy_from_slice(&file[13..21]);
    Ok(Header {
        version,
        key_id: KeyId(key_id),
        sealed_at: u64::from_be_bytes(sealed_at),
    })
}

/// The version 2 subkey of `key` for `salt`: used for one envelope, then
/// dropped (its key schedule is not in locked memory, but it opens nothing
/// else).
fn subkey(key: &Key, salt: &[u8]) -> LessSafeKey {
    let info = [SUBKEY_INFO, salt];
    let okm = key
        .prk()
        .expand(&info, &aead::AES_256_GCM)
        .expect("32 bytes is within HKDF-SHA256's output limit");
    LessSafeKey::new(UnboundKey::from(okm))
}

fn associated_data(header: &[u8], session_id: &[u8], bound: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + session_id.len() + bound.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(session_id);
    aad.extend_from_slice(bound);
    aad
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use ring::hkdf;

    use super::*;

    fn ring(seed: u8) -> KeyRing {
        KeyRing::new(Key::derive(&[seed; 32]).unwrap(), vec![])
    }

    const ID: &[u8] = b"abcdefghijklmnopqrstuvwxyz012345";
    const DATA: &[u8] = b"user|s:5:\"alice\";n|i:42;";

    /// A file rustenc 0.1 wrote (fuzz/seeds/envelope_open/v1-valid): key
    /// `[7; 32]`, id [`ID`], sealed at 1 700 000 000.
    const V1_FILE: &str = "52454e43014e8009e19f6345f7000000006553f100e2e6cfa0560a05a8d413c8\
        5299e7403d9f6b9013e1d999796617bf705d8b7a3c7d570feb64e57db8bbc7b9686e8e5d750dfc2e61";

    fn v1_file() -> Vec<u8> {
        (0..V1_FILE.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&V1_FILE[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn round_trip() {
        let keys = ring(1);
        let mut file = seal(keys.current(), ID, 1_700_000_000, DATA, 0).unwrap();
        assert_eq!(file.len(), DATA.len() + OVERHEAD);
        assert_eq!(file.len(), sealed_len(DATA.len(), 0));
        let (header, plain) = open(&keys, ID, &mut file).unwrap();
        assert_eq!(plain, DATA);
        assert_eq!(header.sealed_at, 1_700_000_000);
        assert_eq!(header.key_id, keys.current().id());
        assert_eq!(header.version, VERSION);
    }

    #[test]
    fn version_1_files_from_rustenc_0_1_still_open() {
        let keys = KeyRing::new(Key::derive(&[7; 32]).unwrap(), vec![]);
        let mut file = v1_file();
        assert_eq!(file[4], VERSION_1);
        let (header, plain) = open(&keys, ID, &mut file).unwrap();
        assert_eq!(plain, b"n|i:42;user|s:5:\"alice\";");
        assert_eq!(header.version, VERSION_1);
        assert_eq!(header.sealed_at, 1_700_000_000);
        // Still bound to its id, and every bit still counts.
        assert_eq!(
            open(&keys, b"abcdefghijklmnopqrstuvwxyz012346", &mut v1_file()),
            Err(Unreadable::AuthenticationFailed)
        );
        let sealed = v1_file();
        for i in 0..sealed.len() * 8 {
            let mut file = sealed.clone();
            file[i / 8] ^= 1 << (i % 8);
            assert!(open(&keys, ID, &mut file).is_err(), "bit {i}");
        }
    }

    #[test]
    fn open_in_place_points_at_the_data_in_either_version() {
        let keys = KeyRing::new(Key::derive(&[7; 32]).unwrap(), vec![]);
        let mut v1 = v1_file();
        let (_, range) = open_in_place(&keys, ID, &mut v1).unwrap();
        assert_eq!(&v1[range], b"n|i:42;user|s:5:\"alice\";");
        let mut v2 = seal(keys.current(), ID, 5, DATA, 64).unwrap();
        let (_, range) = open_in_place(&keys, ID, &mut v2).unwrap();
        assert_eq!(&v2[range], DATA);
    }

    #[test]
    fn empty_session_round_trips() {
        let keys = ring(1);
        let mut file = seal(keys.current(), ID, 5, b"", 0).unwrap();
        assert_eq!(file.len(), min_len(VERSION));
        assert_eq!(open(&keys, ID, &mut file).unwrap().1, b"");
    }

    #[test]
    fn padding_hides_the_length_and_round_trips() {
        let keys = ring(1);
        let short = vec![b'a'; 10];
        let long = vec![b'b'; 900];
        let mut a = seal(keys.current(), ID, 5, &short, 1024).unwrap();
        let mut b = seal(keys.current(), ID, 5, &long, 1024).unwrap();
        assert_eq!(a.len(), HEADER_LEN + 1024 + TAG_LEN);
        assert_eq!(a.len(), b.len());
        assert_eq!(open(&keys, ID, &mut a).unwrap().1, &short[..]);
        assert_eq!(open(&keys, ID, &mut b).unwrap().1, &long[..]);
        // Exactly at, and one past, a multiple.
        for (len, blocks) in [(1024 - LEN_PREFIX, 1), (1024 - LEN_PREFIX + 1, 2), (0, 1)] {
            let data = vec![7u8; len];
            let mut file = seal(keys.current(), ID, 5, &data, 1024).unwrap();
            assert_eq!(file.len(), HEADER_LEN + blocks * 1024 + TAG_LEN, "{len}");
            assert_eq!(file.len(), sealed_len(len, 1024));
            assert_eq!(open(&keys, ID, &mut file).unwrap().1, &data[..]);
        }
        // 0 and 1 both mean no padding.
        assert_eq!(
            seal(keys.current(), ID, 5, &short, 1).unwrap().len(),
            10 + OVERHEAD
        );
    }

    /// Seals `inner` (length prefix, data, padding as given) the way `seal`
    /// does: for checking that `open` refuses what a faulty writer with the
    /// key could make.
    fn seal_inner(key: &Key, inner: &[u8]) -> Vec<u8> {
        let mut out = seal(key, ID, 5, b"", 0).unwrap();
        out.truncate(HEADER_LEN);
        out.extend_from_slice(inner);
        let (header, body) = out.split_at_mut(HEADER_LEN);
        let nonce = Nonce::try_assume_unique_for_key(&header[FIXED_LEN + SALT_LEN..]).unwrap();
        let aad = associated_data(header, ID, &[]);
        let tag = subkey(key, &header[FIXED_LEN..FIXED_LEN + SALT_LEN])
            .seal_in_place_separate_tag(nonce, Aad::from(&aad), body)
            .unwrap();
        out.extend_from_slice(tag.as_ref());
        out
    }

    #[test]
    fn a_length_beyond_the_data_or_nonzero_padding_is_refused() {
        let keys = ring(1);
        let key = keys.current();
        let mut good = 3u64.to_be_bytes().to_vec();
        good.extend_from_slice(b"abc\0\0");
        assert_eq!(
            open(&keys, ID, &mut seal_inner(key, &good)).unwrap().1,
            b"abc"
        );
        let mut long = 6u64.to_be_bytes().to_vec();
        long.extend_from_slice(b"abc\0\0");
        let mut huge = u64::MAX.to_be_bytes().to_vec();
        huge.extend_from_slice(b"abc");
        let mut dirty = 3u64.to_be_bytes().to_vec();
        dirty.extend_from_slice(b"abc\0x");
        for inner in [long, huge, dirty] {
            assert_eq!(
                open(&keys, ID, &mut seal_inner(key, &inner)),
                Err(Unreadable::BadPadding)
            );
        }
    }

    #[test]
    fn ciphertext_holds_no_plaintext() {
        let keys = ring(1);
        let file = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        assert!(!file.windows(5).any(|w| w == b"alice"));
    }

    #[test]
    fn every_flipped_bit_is_detected() {
        let keys = ring(1);
        for pad_to in [0, 64] {
            let sealed = seal(keys.current(), ID, 5, DATA, pad_to).unwrap();
            for i in 0..sealed.len() {
                for bit in 0..8 {
                    let mut file = sealed.clone();
                    file[i] ^= 1 << bit;
                    assert!(
                        open(&keys, ID, &mut file).is_err(),
                        "pad_to {pad_to} byte {i} bit {bit}"
                    );
                }
            }
        }
    }

    #[test]
    fn truncation_at_every_length_fails() {
        let keys = ring(1);
        let sealed = seal(keys.current(), ID, 5, DATA, 64).unwrap();
        for len in 0..sealed.len() {
            let mut file = sealed[..len].to_vec();
            let e = open(&keys, ID, &mut file).unwrap_err();
            let expected_truncated = len < OVERHEAD;
            assert_eq!(
                matches!(e, Unreadable::Truncated { .. }),
                expected_truncated,
                "{len}: {e}"
            );
        }
    }

    #[test]
    fn flips_are_reported_by_the_field_they_hit() {
        let keys = ring(1);
        let sealed = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        let flip = |i: usize, bit: u8| {
            let mut file = sealed.clone();
            file[i] ^= bit;
            open(&keys, ID, &mut file).unwrap_err()
        };
        assert_eq!(flip(0, 1), Unreadable::NotAnEnvelope);
        assert_eq!(flip(4, 4), Unreadable::UnsupportedVersion(6));
        // Version 2 claiming to be version 1 does not open either.
        assert_eq!(flip(4, 3), Unreadable::AuthenticationFailed);
        assert!(matches!(flip(5, 1), Unreadable::UnknownKey(_)));
        for field in [13, 21, 37, HEADER_LEN, sealed.len() - 1] {
            assert_eq!(flip(field, 1), Unreadable::AuthenticationFailed, "{field}");
        }
    }

    #[test]
    fn wrong_key_fails() {
        let mut file = seal(ring(1).current(), ID, 5, DATA, 0).unwrap();
        assert!(matches!(
            open(&ring(2), ID, &mut file),
            Err(Unreadable::UnknownKey(_))
        ));
    }

    #[test]
    fn same_key_id_with_other_key_bytes_fails_authentication() {
        // A header forged to name the right key id still has to authenticate.
        let keys = ring(1);
        let mut file = seal(ring(2).current(), ID, 5, DATA, 0).unwrap();
        file[5..13].copy_from_slice(&keys.current().id().0);
        assert_eq!(
            open(&keys, ID, &mut file),
            Err(Unreadable::AuthenticationFailed)
        );
    }

    #[test]
    fn other_session_id_fails() {
        let keys = ring(1);
        let mut file = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        assert_eq!(
            open(&keys, b"abcdefghijklmnopqrstuvwxyz012346", &mut file),
            Err(Unreadable::AuthenticationFailed)
        );
    }

    #[test]
    fn two_seals_of_the_same_data_differ() {
        let keys = ring(1);
        let a = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        let b = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        assert_ne!(a, b);
        assert_ne!(a[21..37], b[21..37], "salts must differ");
        assert_ne!(a[37..49], b[37..49], "nonces must differ");
    }

    #[test]
    fn the_subkey_is_the_documented_hkdf() {
        // docs/FORMAT.md: HKDF-SHA256(salt "rustenc", IKM the secret, info
        // "rustenc v2 aes-256-gcm" ‖ salt), independent of `Key`.
        let keys = ring(3);
        let file = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        let salt = &file[21..37];
        let mut sub = [0u8; 32];
        hkdf::Salt::new(hkdf::HKDF_SHA256, b"rustenc")
            .extract(&[3; 32])
            .expand(&[b"rustenc v2 aes-256-gcm", salt], &aead::AES_256_GCM)
            .unwrap()
            .fill(&mut sub)
            .unwrap();
        let key = LessSafeKey::new(UnboundKey::new(&aead::AES_256_GCM, &sub).unwrap());
        let mut body = file[HEADER_LEN..].to_vec();
        let mut aad = file[..HEADER_LEN].to_vec();
        aad.extend_from_slice(ID);
        let nonce = Nonce::try_assume_unique_for_key(&file[37..49]).unwrap();
        let inner = key
            .open_in_place(nonce, Aad::from(&aad), &mut body)
            .unwrap();
        assert_eq!(&inner[..8], &(DATA.len() as u64).to_be_bytes());
        assert_eq!(&inner[8..], DATA);
    }

    #[test]
    fn short_and_foreign_files_are_named() {
        let keys = ring(1);
        let sealed = seal(keys.current(), ID, 5, DATA, 0).unwrap();
        for (len, min) in [(0, 49), (3, 49), (4, 49), (20, 73), (OVERHEAD - 1, 73)] {
            let mut file = sealed[..len].to_vec();
            assert_eq!(
                open(&keys, ID, &mut file),
                Err(Unreadable::Truncated { len, min })
            );
        }
        let mut v1 = v1_file();
        v1.truncate(48);
        assert_eq!(peek(&v1), Err(Unreadable::Truncated { len: 48, min: 49 }));
        let mut truncated_body = sealed[..sealed.len() - 1].to_vec();
        assert_eq!(
            open(&keys, ID, &mut truncated_body),
            Err(Unreadable::AuthenticationFailed)
        );
        let mut plain = b"user|s:5:\"alice\";n|i:42;........................".to_vec();
        assert_eq!(open(&keys, ID, &mut plain), Err(Unreadable::NotAnEnvelope));
    }

    /// The cost of the constructions docs/FORMAT.md weighs, per 1 KiB
    /// envelope (run: `cargo test --release --lib -- --ignored --nocapture
    /// envelope_costs`). Numbers for the record, not a pass/fail test; a
    /// debug build (scripts/test runs ignored tests as root) only does a few
    /// rounds.
    #[test]
    #[ignore]
    fn envelope_costs() {
        const N: u32 = if cfg!(debug_assertions) {
            2_000
        } else {
            200_000
        };
        let keys = ring(1);
        let key = keys.current();
        let data = vec![b'x'; 1024];
        let salt = [9u8; SALT_LEN];
        let time = |name: &str, f: &mut dyn FnMut()| {
            for _ in 0..N / 10 {
                f();
            }
            let start = Instant::now();
            for _ in 0..N {
                f();
            }
            let ns = start.elapsed().as_nanos() as f64 / f64::from(N);
            println!("{name:<44} {ns:>7.0} ns");
            ns
        };
        let seal2 = time("v2 seal (subkey per envelope)", &mut || {
            std::hint::black_box(seal(key, ID, 5, &data, 0).unwrap());
        });
        let expand = time("  of which: HKDF-Expand + AES-GCM key setup", &mut || {
            std::hint::black_box(subkey(key, &salt));
        });
        let full = time("  alternative: HKDF extract+expand + setup", &mut || {
            let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &salt).extract(&[1; 32]);
            let okm = prk.expand(&[SUBKEY_INFO], &aead::AES_256_GCM).unwrap();
            std::hint::black_box(LessSafeKey::new(UnboundKey::from(okm)));
        });
        let sealed = seal(key, ID, 5, &data, 0).unwrap();
        let open2 = time("v2 open", &mut || {
            let mut f = sealed.clone();
            std::hint::black_box(open(&keys, ID, &mut f).unwrap());
        });
        let mut v1 = v1_file();
        let v1keys = KeyRing::new(Key::derive(&[7; 32]).unwrap(), vec![]);
        let open1 = time("v1 open (fixed key; 24-byte session)", &mut || {
            let mut f = v1.clone();
            std::hint::black_box(open(&v1keys, ID, &mut f).unwrap());
        });
        v1.clear();
        // The floor of a large request: one open and one seal (AES-256-GCM
        // and the copy into the envelope), against which `files`' whole
        // request time is compared in bench/RESULTS.md.
        let big = vec![b'x'; 256 * 1024];
        let rounds = N / 200;
        let per = |name: &str, f: &mut dyn FnMut()| {
            f();
            let start = Instant::now();
            for _ in 0..rounds {
                f();
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
            println!(
                "{name:<44} {us:>7.1} µs ({:.0} MB/s)",
                big.len() as f64 / us
            );
        };
        per("v2 seal, 256 KiB", &mut || {
            std::hint::black_box(seal(key, ID, 5, &big, 0).unwrap());
        });
        let sealed_big = seal(key, ID, 5, &big, 0).unwrap();
        let mut buf = sealed_big.clone();
        per("v2 open in place, 256 KiB (plus a memcpy)", &mut || {
            buf.copy_from_slice(&sealed_big);
            std::hint::black_box(open(&keys, ID, &mut buf).unwrap());
        });
        per("  of which: memcpy of 256 KiB", &mut || {
            buf.copy_from_slice(&sealed_big);
            std::hint::black_box(&mut buf);
        });
        let cached = seal2 - expand;
        println!(
            "seal: cached subkey (fixed key) ~{cached:.0} ns, per-envelope expand {seal2:.0} ns \
             ({:.2}x), per-envelope extract+expand ~{:.0} ns ({:.2}x); open v2 {open2:.0} ns, \
             v1 {open1:.0} ns",
            seal2 / cached,
            cached + full,
            (cached + full) / cached
        );
    }
}
