//! Keys: where they come from, deriving the AEAD key and key id from them,
//! and keeping them out of swap, core dumps and freed memory.
//!
//! A configured secret (32 bytes, given as base64 or hex) is never used
//! directly. HKDF-SHA256 derives two independent values from it:
//!
//! * the AES-256-GCM key, with info `rustenc v1 aes-256-gcm`;
//! * the 8-byte key id written in every file header, with info
//!   `rustenc v1 key id`. It names the key without revealing anything about
//!   it, so a reader picks the right key without trial decryption.
//!
//! A [`KeyRing`] holds the current key (which seals) and retired keys (which
//! only open), from environment variables or from a key file.
//!
//! Invariants: a [`Key`] is not `Clone`; decoded secrets live in
//! [`Zeroizing`] buffers; the AES key schedule and the HKDF PRK (from which
//! format v2 derives its per-envelope subkeys) each live alone in a locked page
//! that is left out of core dumps and overwritten with zeros when the key is
//! dropped (at module shutdown, see [`locked`]). The copies rustenc cannot
//! reach are the transient ones on the stack while ring derives the key.

#[allow(unsafe_code)]
mod locked;

use std::{
    fmt, fs, io,
    io::Read,
    os::unix::{
        ffi::OsStringExt,
        fs::{MetadataExt, OpenOptionsExt},
    },
    path::{Path, PathBuf},
};

use ring::{
    aead::{self, LessSafeKey},
    hkdf,
};
use zeroize::Zeroizing;

use self::locked::Locked;
use crate::os::user_name;

/// Why the keys could not be loaded: what is wrong, and how to fix it,
/// never the key itself. `error.rs` wraps it (`Error::Key`, with `From`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no key: environment variable {var} is not set (or empty); set it to 32 random bytes \
         as base64 or 64 hex characters, e.g. {var}=$(head -c 32 /dev/urandom | base64), in \
         the environment PHP starts in (for php-fpm: the master's, e.g. a systemd drop-in with \
         EnvironmentFile=), then restart"
    )]
    KeyMissing { var: String },

    #[error(
        "the key in {var} is malformed: {why}; expected 32 bytes as standard base64 \
         (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64"
    )]
    KeyMalformed { var: String, why: &'static str },

    #[error("key file {} {problem}; run: {fix}", path.display())]
    KeyFileUnsafe {
        path: PathBuf,
        problem: String,
        fix: String,
    },

    #[error("key file {} holds no key; put the key (32 random bytes as base64 or 64 hex characters) on its first line, e.g. head -c 32 /dev/urandom | base64 > {}", path.display(), path.display())]
    KeyFileEmpty { path: PathBuf },

    #[error("cannot map memory for the key: {0}")]
    KeyMemory(#[source] io::Error),

    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

type Result<T, E = Error> = std::result::Result<T, E>;

/// Length of the configured secret, in bytes.
pub const SECRET_LEN: usize = 32;

/// The public name of a key, as written in the envelope header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct KeyId(pub [u8; KeyId::LEN]);

impl KeyId {
    /// Length of a key id, in bytes.
    pub const LEN: usize = 8;
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::hex(&self.0))
    }
}

/// An AES-256-GCM key derived from a configured secret, with its id.
pub struct Key {
    id: KeyId,
    aead: Locked<LessSafeKey>,
    /// HKDF's PRK of the secret, from which format v2 derives one subkey per
    /// envelope (see `envelope`).
    prk: Locked<hkdf::Prk>,
}

impl Key {
    /// Derives the key and its id from a 32-byte secret.
    pub fn derive(secret: &[u8; SECRET_LEN]) -> Result<Key> {
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
        let aead =
            Locked::new(LessSafeKey::new(aead::UnboundKey::from(okm))).map_err(Error::KeyMemory)?;
        let mut id = [0u8; KeyId::LEN];
        prk.expand(&[b"rustenc v1 key id"], IdLen)
            .and_then(|okm| okm.fill(&mut id))
            .expect("8 bytes is within HKDF-SHA256's output limit");
        let prk = Locked::new(prk).map_err(Error::KeyMemory)?;
        Ok(Key {
            id: KeyId(id),
            aead,
            prk,
        })
    }

    /// Parses a secret given as standard base64 (44 characters) or hex (64
    /// characters), surrounding white space ignored, and derives the key.
    /// The error says what is wrong with the text, never what the text was;
    /// `source` names where the text came from.
    pub fn parse(text: &str, source: &str) -> Result<Key> {
        let secret = decode(text).map_err(|why| Error::KeyMalformed {
            var: source.into(),
            why,
        })?;
        Key::derive(&secret)
    }

    /// Whether the key schedule is locked in RAM (see [`locked`]).
    pub fn is_locked(&self) -> bool {
        self.aead.is_locked() && self.prk.is_locked()
    }
    /// This key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The AEAD key, for the envelope (format v1).
    pub(crate) fn aead(&self) -> &LessSafeKey {
        &self.aead
    }

    /// The HKDF PRK of the secret, for the envelope's subkeys (format v2).
    pub(crate) fn prk(&self) -> &hkdf::Prk {
        &self.prk
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({})", self.id)
    }
}

/// Where the keys come from (the `rustenc.key_*` settings).
#[derive(Debug, Clone, Copy)]
pub struct KeySource<'a> {
    /// Environment variable holding the current key.
    pub env: &'a str,
    /// Environment variable holding retired keys, comma-separated.
    pub previous_env: &'a str,
    /// A key file to use instead of both variables: the first key line is
    /// the current key, the following ones are retired keys.
    pub file: Option<&'a Path>,
}

/// The keys rustenc seals and opens with.
#[derive(Debug)]
pub struct KeyRing {
    current: Key,
    previous: Vec<Key>,
}

impl KeyRing {
    /// A ring with a current key and retired keys.
    pub fn new(current: Key, previous: Vec<Key>) -> KeyRing {
        KeyRing { current, previous }
    }

    /// Loads the keys (at module startup, before php-fpm clears the
    /// environment of its workers). `euid` is the user the process runs as,
    /// which must own a key file (or root must).
    pub fn load(source: KeySource<'_>, euid: u32) -> Result<KeyRing> {
        match source.file {
            Some(path) => KeyRing::from_file(path, euid),
            None => KeyRing::from_env(source.env, source.previous_env),
        }
    }

    fn from_env(var: &str, previous_var: &str) -> Result<KeyRing> {
        let value = env_bytes(var);
        if value.trim_ascii().is_empty() {
            return Err(Error::KeyMissing { var: var.into() });
        }
        let current = Key::parse(as_text(&value, var)?, var)?;
        let listed = env_bytes(previous_var);
        let previous = as_text(&listed, previous_var)?
            .split(',')
            .filter(|entry| !entry.trim_ascii().is_empty())
            .enumerate()
            .map(|(n, entry)| Key::parse(entry, &format!("{previous_var} (entry {})", n + 1)))
            .collect::<Result<_>>()?;
        Ok(KeyRing::new(current, previous))
    }

    fn from_file(path: &Path, euid: u32) -> Result<KeyRing> {
        let unsafe_file = |problem: String, fix: String| Error::KeyFileUnsafe {
            path: path.into(),
            problem,
            fix,
        };
        // Whoever owns the file can change the key.
        let wrong_owner = |uid: u32| {
            if uid == euid || uid == 0 {
                return None;
            }
            let user = user_name(euid);
            let allowed = if euid == 0 {
                user.clone()
            } else {
                format!("{user} or root")
            };
            Some(unsafe_file(
                format!("is owned by {}, not by {allowed}", user_name(uid)),
                format!("chown {user}: {}", path.display()),
            ))
        };
        let io = |source| Error::Io {
            op: "read the key file",
            path: path.into(),
            source,
        };
        // One open, and every check and the read on that fd: checking the
        // path and then reading it again would let the file be swapped in
        // between. O_NOFOLLOW: a link could point anywhere, whoever owns it;
        // O_NONBLOCK: opening a FIFO must not hang startup.
        let mut file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => unsafe_file(
                    "is a symbolic link (rustenc does not follow links to key files)".into(),
                    format!(
                        "set rustenc.key_file to the file itself: {}",
                        fs::canonicalize(path)
                            .unwrap_or_else(|_| path.into())
                            .display()
                    ),
                ),
                // Not readable: say why, if it is the owner (the message
                // only; nothing is read through this second lookup).
                Some(libc::EACCES) => fs::symlink_metadata(path)
                    .ok()
                    .and_then(|m| wrong_owner(m.uid()))
                    .unwrap_or_else(|| io(e)),
                _ => io(e),
            })?;
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(unsafe_file(
                "is not a regular file".into(),
                "point rustenc.key_file at a file holding the key".into(),
            ));
        }
        if let Some(e) = wrong_owner(meta.uid()) {
            return Err(e);
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(unsafe_file(
                format!("is mode {mode:04o}, so its group or others can read or change the key"),
                format!("chmod 0600 {}", path.display()),
            ));
        }
        let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize + 1));
        file.read_to_end(&mut bytes).map_err(io)?;
        let name = path.display().to_string();
        let mut keys = as_text(&bytes, &name)?
            .lines()
            .enumerate()
            .filter(|(_, line)| {
                !line.trim_ascii().is_empty() && !line.trim_ascii().starts_with('#')
            })
            .map(|(n, line)| Key::parse(line, &format!("{name} line {}", n + 1)));
        let current = keys
            .next()
            .ok_or_else(|| Error::KeyFileEmpty { path: path.into() })??;
        Ok(KeyRing::new(current, keys.collect::<Result<_>>()?))
    }

    /// The key new envelopes are sealed with.
    pub fn current(&self) -> &Key {
        &self.current
    }

    /// Retired keys: they open envelopes, never seal new ones.
    pub fn previous(&self) -> &[Key] {
        &self.previous
    }

    /// The key with this id, if the ring holds it.
    pub fn find(&self, id: KeyId) -> Option<&Key> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| key.id == id)
    }

    /// Whether every key is locked in RAM.
    pub fn is_locked(&self) -> bool {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .all(Key::is_locked)
    }
}

fn env_bytes(var: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(std::env::var_os(var).unwrap_or_default().into_vec())
}

fn as_text<'a>(bytes: &'a [u8], source: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| Error::KeyMalformed {
        var: source.into(),
        why: "it is not text",
    })
}

/// Decodes a 32-byte secret from base64 or hex.
fn decode(text: &str) -> std::result::Result<Zeroizing<[u8; SECRET_LEN]>, &'static str> {
    let text = text.trim_ascii();
    let secret = match text.len() {
        0 => return Err("it is empty"),
        64 => decode_hex(text.as_bytes())?,
        44 => decode_base64(text.as_bytes())?,
        _ => return Err("it does not have the length of 32 bytes in base64 (44) or hex (64)"),
    };
    Ok(secret)
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
mod tests;
