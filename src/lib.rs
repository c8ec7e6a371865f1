//! rustenc: encrypted, locked, permission-checked PHP sessions.
//!
//! `session.save_handler = rustenc` stores each session as one file, sealed
//! with AES-256-GCM and bound to its session id, written atomically and locked
//! against concurrent requests. The layers, from PHP down to the disk:
//!
//! * [`php`](crate) (private) — the FFI seam: the `ps_module` table, INI
//!   settings, `phpinfo()`, warnings, per-process state (the keys, the cache
//!   of opened stores). All `unsafe` that touches PHP is there.
//! * [`handler`] — what each session hook does (the `mod_files.c` of
//!   rustenc), generic over a [`store::SessionStore`].
//! * [`check`] — the deployment report `rustenc_check()` returns.
//! * [`import`] — moving sessions over from PHP's `files` handler.
//! * [`store`] — where bytes hit the disk (or the network): the store
//!   trait, [`store::dir`], the checked directory, and [`store::redis`],
//!   Redis/Valkey (no `unsafe`: the `redis` crate speaks the protocol).
//! * [`envelope`] — the on-disk format and the AEAD; where nonces are made.
//! * [`keys`] — loading, deriving and wiping keys.
//! * [`error`] — the one error enum, with operator-facing messages.
//! * [`id`] — PHP's session-id rules; [`os`] — user ids and names.
//!
//! Imports run one way: `php` → `handler`, `check`, `import` → `store` →
//! `id` → `error` → `envelope` → `keys` → `os`.
//!
//! Everything but `php` is plain Rust with no PHP symbols, tested by
//! `cargo test`; the seam is compiled out of unit tests so they link without
//! libphp, and out of builds without the default `php` feature (fuzzing).
//!
//! `unsafe` is fenced by the compiler: it is denied here and allowed only
//! in the modules that need it, each block with a `// SAFETY:` comment.

#![deny(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

pub mod check;
pub mod envelope;
pub mod error;
pub mod handler;
pub mod id;
pub mod import;
pub mod keys;
#[allow(unsafe_code)]
pub mod os;
pub mod store;

#[cfg(all(feature = "php", not(test)))]
#[allow(unsafe_code)]
mod php;

/// Lower-case hex of `bytes`: key ids, digests in file names, probe ids.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Helpers shared by the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::{fs::Permissions, os::unix::fs::PermissionsExt};

    /// A temporary directory of mode 0700, as a session directory must be.
    pub fn private_dir() -> tempfile::TempDir {
        tempfile::Builder::new()
            .permissions(Permissions::from_mode(0o700))
            .tempdir()
            .unwrap()
    }
}
