//! The one error type of rustenc.
//!
//! Every variant is something an operator can act on, and its `Display` text
//! says what is wrong and, where there is one, the command that fixes it. The
//! PHP seam prints that text as an `E_WARNING`, prefixed with `rustenc: `.
//!
//! Invariant: no message contains a whole session id (ids are bearer tokens;
//! variants carry an [`IdPrefix`] instead) or any key material (key errors say
//! what is malformed, never what the value was).

use std::{fmt, io, path::PathBuf};

use crate::envelope::{RandomFailed, Unreadable};

/// At most the first [`IdPrefix::LEN`] characters of a session id, for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdPrefix(String);

impl IdPrefix {
    /// How many characters of an id may appear in a message.
    pub const LEN: usize = 6;

    /// Keeps the first [`IdPrefix::LEN`] bytes of `id`, replacing anything
    /// outside PHP's id alphabet with `?` (the id may not be valid yet).
    pub fn of(id: &[u8]) -> Self {
        IdPrefix(
            id.iter()
                .take(Self::LEN)
                .map(|&b| match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b',' | b'-' => b as char,
                    _ => '?',
                })
                .collect(),
        )
    }
}

impl fmt::Display for IdPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…", self.0)
    }
}

/// Everything that can go wrong in rustenc, with the text an operator sees.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A key could not be loaded (see [`crate::keys::Error`]).
    #[error(transparent)]
    Key(#[from] crate::keys::Error),

    #[error("session.save_path {value:?} is invalid: {why}; expected \"/path\", \"N;/path\" or \"N;MODE;/path\" (for example \"0;0600;/var/lib/php/rustenc\")")]
    SavePath { value: String, why: &'static str },

    #[error("session dir {} does not exist; run: install -d -m 0700 -o {user} {}", path.display(), path.display())]
    DirMissing { path: PathBuf, user: String },

    #[error("session dir {} is not a directory; point session.save_path at a directory owned by {user} with mode 0700", path.display())]
    DirNotDirectory { path: PathBuf, user: String },

    #[error("session dir {} is a symbolic link; rustenc does not follow links: set session.save_path to the real directory ({})", path.display(), target.display())]
    DirSymlink { path: PathBuf, target: PathBuf },

    #[error("session dir {} is owned by {owner}, not by {user} (the user PHP runs as); run: chown {user}: {}", path.display(), path.display())]
    DirOwner {
        path: PathBuf,
        owner: String,
        user: String,
    },

    #[error("session dir {} (owner {owner}, mode {mode:04o}) cannot be opened by {user}, the user PHP runs as; run: chown {user}: {} && chmod 0700 {}", path.display(), path.display(), path.display())]
    DirNoAccess {
        path: PathBuf,
        owner: String,
        mode: u32,
        user: String,
    },

    #[error("session dir {} is mode {mode:04o}, writable by {who}; run: chmod 0700 {}", path.display(), path.display())]
    DirWritable {
        path: PathBuf,
        mode: u32,
        who: &'static str,
    },

    #[error("session dir {} (mode {mode:04o}) is a shared directory: others can create files in it (sticky bit), as in Debian's /var/lib/php/sessions, which the files handler of other applications uses; rustenc keeps sessions only in a private directory, and changing its mode would break those applications: set session.save_path to a private directory instead (the Debian package creates /var/lib/php/rustenc; else run: install -d -m 0700 -o {user} /var/lib/php/rustenc)", path.display())]
    DirShared {
        path: PathBuf,
        mode: u32,
        user: String,
    },

    #[error("rustenc's default session dir {} (used because session.save_path is empty and /var/lib/php/rustenc does not exist) is {what}; someone else may have created it: remove it, or set session.save_path to a private directory (install -d -m 0700 -o {user} /var/lib/php/rustenc)", path.display())]
    DefaultDirUnsafe {
        path: PathBuf,
        what: String,
        user: String,
    },

    #[error("session dir {} is mode {mode:04o}, so {who} can list it, and the file names are session ids (which log a user in); run: chmod 0700 {}", path.display(), path.display())]
    DirListable {
        path: PathBuf,
        mode: u32,
        who: &'static str,
    },

    #[error("session dir {} has an unsafe parent {}: mode {mode:04o} is world-writable without the sticky bit, so anyone can replace the session dir; run: chmod o-w {}", path.display(), parent.display(), parent.display())]
    DirParentWritable {
        path: PathBuf,
        parent: PathBuf,
        mode: u32,
    },

    #[error("session id {id} is invalid: {why}; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long")]
    InvalidId { id: IdPrefix, why: &'static str },

    #[error("session file for id {id} in {} is {what}; refusing to use it (it was left in place: remove it once you know where it came from)", dir.display())]
    UnsafeFile {
        id: IdPrefix,
        dir: PathBuf,
        what: String,
    },

    #[error("session {id} is locked by another request and the lock was not released within {ms} ms (rustenc.lock_timeout_ms); the request stops here rather than run without the lock")]
    LockTimeout { id: IdPrefix, ms: u64 },

    #[error("session {id} cannot be read: {cause}; the file was left untouched")]
    Unreadable { id: IdPrefix, cause: Unreadable },

    #[error("session {id} cannot be read: {cause}; it was set aside as rustenc_{id}.unreadable-{stamp} in {} (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session", dir.display())]
    SetAside {
        id: IdPrefix,
        cause: Unreadable,
        dir: PathBuf,
        stamp: String,
    },

    #[error("session {id} is {size} bytes, more than rustenc.max_size ({max} bytes); raise rustenc.max_size or store less in $_SESSION (the stored session was left as it was)")]
    TooLarge { id: IdPrefix, size: u64, max: u64 },

    #[error("the system random number generator failed, so no nonce could be drawn; nothing was written")]
    Random,

    #[error("no session module: PHP's session extension did not export {symbol}; is ext/session loaded?")]
    NoSessionEngine { symbol: &'static str },

    #[error("session.save_path {value:?} is not a valid Redis/Valkey address: {why}; expected for example \"tcp://127.0.0.1:6379?database=0&prefix=rustenc:\", \"unix:///run/redis/redis.sock\", \"tls://host:6380\", \"redis://host:6379/0\", \"seed[]=host:7000&seed[]=host:7001\" (cluster) or \"sentinel://host:26379,host:26380?service=mymaster\" (see rustenc's README)")]
    RedisSavePath { value: String, why: String },

    #[error("Redis/Valkey server {server}: cannot {op}: {cause}; no session was served or written (check that the server runs and is reachable, and its password: RUSTENC_REDIS_PASSWORD or rustenc.redis_password_file)")]
    Redis {
        server: String,
        op: &'static str,
        cause: String,
        /// The server did not answer in time (it may still have acted).
        timeout: bool,
    },

    #[error("session {id} was not written: this request lost its lock on Redis/Valkey server {server} (held {held_ms} ms, lease {lease_ms} ms: rustenc.lock_lease_ms, renewed for at most {max_hold_ms} ms: rustenc.lock_max_hold_ms), so another request may have changed the session since; the newer session was kept. Make the request shorter, or raise rustenc.lock_max_hold_ms (or rustenc.lock_lease_ms if the server stalls)")]
    LockLost {
        id: IdPrefix,
        server: String,
        held_ms: u64,
        lease_ms: u64,
        max_hold_ms: u64,
    },

    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl From<RandomFailed> for Error {
    fn from(_: RandomFailed) -> Error {
        Error::Random
    }
}

impl Error {
    /// Whether this is a Redis/Valkey server that did not answer in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Redis { timeout: true, .. })
    }
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_prefix_keeps_six_characters_and_masks_the_rest() {
        assert_eq!(IdPrefix::of(b"abcdefghijkl").to_string(), "abcdef…");
        assert_eq!(IdPrefix::of(b"a/\0b").to_string(), "a??b…");
    }

    #[test]
    fn messages_never_hold_a_whole_id() {
        let id = b"0123456789abcdefghijklmnopqrstuv";
        let e = Error::LockTimeout {
            id: IdPrefix::of(id),
            ms: 10,
        };
        let text = e.to_string();
        assert!(text.contains("012345…"));
        assert!(!text.contains("0123456"));
    }
}
