//! PHP's session-id rules: the only ids that ever become names in a store.

use crate::error::{Error, IdPrefix, Result};

/// Longest id accepted, as PHP's `session.sid_length`.
pub const MAX_ID_LEN: usize = 256;

/// A session id that follows PHP's rules: 1 to 256 characters of
/// `[A-Za-z0-9,-]`. Only such ids ever become file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionId<'a>(&'a str);

impl<'a> SessionId<'a> {
    /// Checks `id` before any file system call is made with it.
    pub fn new(id: &'a [u8]) -> Result<SessionId<'a>> {
        let invalid = |why| Error::InvalidId {
            id: IdPrefix::of(id),
            why,
        };
        if id.is_empty() {
            return Err(invalid("it is empty"));
        }
        if id.len() > MAX_ID_LEN {
            return Err(invalid("it is longer than 256 characters"));
        }
        if !id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b',' || *b == b'-')
        {
            return Err(invalid("it holds characters outside A-Z a-z 0-9 , -"));
        }
        Ok(SessionId(
            std::str::from_utf8(id).expect("ASCII was checked above"),
        ))
    }

    /// The id as text.
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The id's bytes (what the envelope binds).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0.as_bytes()
    }

    /// What may be logged of this id.
    pub fn prefix(&self) -> IdPrefix {
        IdPrefix::of(self.as_bytes())
    }
}
