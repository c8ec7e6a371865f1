//! Keys: parsing the configured secret, deriving the AEAD key and key id from
//! it, and wiping both when they are dropped.
//!
//! The configured secret (32 bytes, given as base64 or hex) is never used
//! directly. HKDF-SHA256 derives two independent values from it:
//!
//! * the AES-256-GCM key, with info `rustenc v1 aes-256-gcm`;
//! * the 8-byte key id written in every file header, with info
//!   `rustenc v1 key id`. It names the key without revealing anything about
//!   it, so a reader can pick the right key without trial decryption.
//!
//! Invariants: a [`Key`] is not `Clone` (one copy of the key schedule per
//! key); decoded secret bytes live in [`Zeroizing`] buffers; the AES key
//! schedule lives in its own heap allocation that is overwritten with zeros
//! when the [`Key`] is dropped (at module shutdown). The one copy rustenc cannot
//! reach is the transient one on the stack while ring builds the key.

use std::{fmt, mem::ManuallyDrop, os::unix::ffi::OsStringExt};

use ring::{
    aead::{self, LessSafeKey},
    hkdf,
};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Length of the configured secret, in bytes.
pub const SECRET_LEN: usize = 32;

/// `Key`'s wipe skips `LessSafeKey`'s destructor; that is only sound while it
/// has none (ring keeps the key schedule inline, with no heap or handles).
const _: () = assert!(!std::mem::needs_drop::<LessSafeKey>());

/// The public name of a key, as written in the envelope header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct KeyId(pub [u8; KeyId::LEN]);

impl KeyId {
    /// Length of a key id, in bytes.
    pub const LEN: usize = 8;
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// An AES-256-GCM key derived from a configured secret, with its id.
pub struct Key {
    id: KeyId,
    // Boxed so the key schedule has one address for its whole life and the
    // wipe in `Drop` reaches the only long-lived copy.
    aead: Box<ManuallyDrop<LessSafeKey>>,
}

impl Key {
    /// Derives the key and its id from a 32-byte secret.
    pub fn derive(secret: &[u8; SECRET_LEN]) -> Key {
        struct IdLen;
        impl hkdf::KeyType for IdLen {
            fn len(&self) -> usize {
                KeyId::LEN
            }
        }
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"rustenc").extract(secret);
        let okm = prk
            .expand(&[b"rustenc v1 aes-256-gcm"], &aead::AES_256_GCM)
            .expect("32 bytes is within HKDF-SHA256's output limit");
        let aead = Box::new(ManuallyDrop::new(LessSafeKey::new(aead::UnboundKey::from(
            okm,
        ))));
        let mut id = [0u8; KeyId::LEN];
        prk.expand(&[b"rustenc v1 key id"], IdLen)
            .and_then(|okm| okm.fill(&mut id))
            .expect("8 bytes is within HKDF-SHA256's output limit");
        Key {
            id: KeyId(id),
            aead,
        }
    }

    /// Parses a secret given as standard base64 (44 characters) or hex (64
    /// characters), surrounding white space ignored, and derives the key.
    /// The error says what is wrong with the text, never what the text was.
    pub fn parse(text: &str) -> std::result::Result<Key, &'static str> {
        let text = text.trim_ascii();
        let secret = match text.len() {
            0 => return Err("it is empty"),
            64 => decode_hex(text.as_bytes())?,
            44 => decode_base64(text.as_bytes())?,
            _ => return Err("it does not have the length of 32 bytes in base64 (44) or hex (64)"),
        };
        Ok(Key::derive(&secret))
    }

    /// This key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The AEAD key, for the envelope.
    pub(crate) fn aead(&self) -> &LessSafeKey {
        &self.aead
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        let schedule: *mut LessSafeKey = &mut **self.aead;
        // SAFETY: `schedule` points to a live, exclusively borrowed
        // `LessSafeKey` that owns no heap memory or handles (asserted above);
        // it sits in `ManuallyDrop`, so nothing reads or drops it after this
        // wipe, and the Box only frees its memory.
        unsafe { zeroize::zeroize_flat_type(schedule) };
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({})", self.id)
    }
}

/// The keys rustenc seals and opens with.
#[derive(Debug)]
pub struct KeyRing {
    current: Key,
}

impl KeyRing {
    /// A ring holding one key, used for sealing and opening.
    pub fn new(current: Key) -> KeyRing {
        KeyRing { current }
    }

    /// Reads the secret from the environment variable `var` (at module
    /// startup, before php-fpm clears the environment of its workers).
    pub fn from_env(var: &str) -> Result<KeyRing> {
        let value = Zeroizing::new(std::env::var_os(var).unwrap_or_default().into_vec());
        if value.is_empty() {
            return Err(Error::KeyMissing { var: var.into() });
        }
        let malformed = |why| Error::KeyMalformed {
            var: var.into(),
            why,
        };
        let text = std::str::from_utf8(&value).map_err(|_| malformed("it is not text"))?;
        Ok(KeyRing::new(Key::parse(text).map_err(malformed)?))
    }

    /// The key new envelopes are sealed with.
    pub fn current(&self) -> &Key {
        &self.current
    }

    /// The key with this id, if the ring holds it.
    pub fn find(&self, id: KeyId) -> Option<&Key> {
        (self.current.id == id).then_some(&self.current)
    }
}

fn decode_hex(text: &[u8]) -> std::result::Result<Zeroizing<[u8; SECRET_LEN]>, &'static str> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let mut out = Zeroizing::new([0u8; SECRET_LEN]);
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        match (nibble(pair[0]), nibble(pair[1])) {
            (Some(hi), Some(lo)) => *byte = hi << 4 | lo,
            _ => return Err("64 characters long but not hex"),
        }
    }
    Ok(out)
}

/// Strict standard base64 (RFC 4648 §4) of exactly 32 bytes: 43 symbols and
/// one `=`, with the unused low bits of the last symbol zero.
fn decode_base64(text: &[u8]) -> std::result::Result<Zeroizing<[u8; SECRET_LEN]>, &'static str> {
    const NOT_BASE64: &str = "44 characters long but not standard base64 of 32 bytes";
    fn sextet(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    if text[43] != b'=' {
        return Err(NOT_BASE64);
    }
    let mut out = Zeroizing::new([0u8; SECRET_LEN]);
    let mut acc = Zeroizing::new(0u32);
    let mut bits = 0;
    let mut n = 0;
    for &c in &text[..43] {
        *acc = *acc << 6 | sextet(c).ok_or(NOT_BASE64)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out[n] = (*acc >> bits) as u8;
            n += 1;
        }
    }
    // 43 symbols carry 258 bits: 256 of data and 2 that must be zero.
    if *acc & ((1 << bits) - 1) != 0 {
        return Err(NOT_BASE64);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn base64_and_hex_of_the_same_secret_give_the_same_key() {
        let a = Key::parse(B64).unwrap();
        let b = Key::parse(HEX).unwrap();
        let c = Key::parse(&format!("  {}\n", HEX.to_uppercase())).unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id(), c.id());
    }

    #[test]
    fn key_id_depends_on_the_secret_and_is_not_the_secret() {
        let a = Key::derive(&[0u8; 32]);
        let b = Key::derive(&[1u8; 32]);
        assert_ne!(a.id(), b.id());
        assert_ne!(a.id().0, [0u8; 8]);
    }

    #[test]
    fn malformed_secrets_are_refused_with_a_reason() {
        for bad in [
            "",
            "   ",
            "abc",
            &HEX[..62],
            &format!("{HEX}00"),
            &HEX.replace('0', "g"),
            &B64.replace('=', "A"),
            &B64.replace('A', "*"),
            // 32 bytes with the padding bits set: not canonical base64.
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",
            // 33 bytes of base64.
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",
        ] {
            let why = Key::parse(bad).unwrap_err();
            assert!(!why.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn missing_and_malformed_variables_name_the_variable_but_not_the_value() {
        std::env::set_var("RUSTENC_TEST_KEY_BAD", "s3cr3t-value");
        let e = KeyRing::from_env("RUSTENC_TEST_KEY_BAD").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("RUSTENC_TEST_KEY_BAD"), "{text}");
        assert!(!text.contains("s3cr3t"), "{text}");
        let e = KeyRing::from_env("RUSTENC_TEST_KEY_UNSET").unwrap_err();
        assert!(matches!(e, Error::KeyMissing { .. }));
        std::env::set_var("RUSTENC_TEST_KEY_GOOD", B64);
        assert!(KeyRing::from_env("RUSTENC_TEST_KEY_GOOD").is_ok());
    }

    #[test]
    fn find_returns_only_held_keys() {
        let ring = KeyRing::new(Key::parse(B64).unwrap());
        let id = ring.current().id();
        assert!(ring.find(id).is_some());
        assert!(ring.find(KeyId([0; 8])).is_none());
    }
}
