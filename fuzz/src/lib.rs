//! The fuzz checks for rustenc's pure layers. Each `pub fn NAME(&[u8])` is one
//! target: `fuzz_targets/NAME.rs` hands it libFuzzer's inputs (nightly), and
//! `examples/replay.rs` hands it the files of `seeds/NAME/`, `corpus/NAME/`,
//! `artifacts/NAME/` and `regressions/NAME/` (stable, in `scripts/test`).
//!
//! A target fails by panicking. Besides "does not crash", each one checks the
//! properties the rest of rustenc relies on, against a small independent
//! reference where there is one.

use std::{
    path::{Component, Path, PathBuf},
    sync::OnceLock,
};

use ring::{aead, hkdf};
use rustenc::{
    envelope::{self, Header, Unreadable, HEADER_LEN, MAGIC, OVERHEAD, VERSION, VERSION_1},
    error::{Error, IdPrefix},
    keys::{self, Key, KeyId, KeyRing},
    id::{SessionId, MAX_ID_LEN},
    store::dir::{slots, SavePath},
};

/// One fuzz target: takes the input, panics on a failed check.
pub type Target = fn(&[u8]);

/// Every target, by name (the replay dispatches on these).
pub const TARGETS: &[(&str, Target)] = &[
    ("envelope_open", envelope_open),
    ("envelope_peek", envelope_peek),
    ("envelope_tamper", envelope_tamper),
    ("envelope_v2_inner", envelope_v2_inner),
    ("slot_file", slot_file),
    ("save_path", save_path),
    ("session_id", session_id),
    ("key_parse", key_parse),
];

/// The secret the fuzz key ring is derived from; seeds are sealed with it.
pub const FUZZ_SECRET: [u8; 32] = [7; 32];
/// A retired key in the ring, so `find` has more than one key to pick from.
pub const FUZZ_OLD_SECRET: [u8; 32] = [8; 32];

/// The key ring every envelope target opens with.
pub fn keys() -> &'static KeyRing {
    static KEYS: OnceLock<KeyRing> = OnceLock::new();
    KEYS.get_or_init(|| {
        KeyRing::new(
            Key::derive(&FUZZ_SECRET).expect("derive the fuzz key"),
            vec![Key::derive(&FUZZ_OLD_SECRET).expect("derive the old fuzz key")],
        )
    })
}

/// Splits an input into a session id and the rest: the first byte is the
/// id's length (0..=255, ids of any bytes, valid or not).
fn split_id(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        None => (&[], &[]),
        Some((&n, rest)) => rest.split_at((n as usize).min(rest.len())),
    }
}

/// `peek` as the format defines it (docs/FORMAT.md), written independently:
/// the magic (or as much of it as there is), then the version, then the
/// shortest envelope of that version (49 bytes for 1, 73 for 2; 49 when the
/// version byte is missing).
fn reference_peek(file: &[u8]) -> Result<Header, Unreadable> {
    let n = file.len().min(4);
    if file[..n] != MAGIC[..n] {
        return Err(Unreadable::NotAnEnvelope);
    }
    let min = match file.get(4) {
        None => 49,
        Some(1) => 49,
        Some(2) => 73,
        Some(&v) => return Err(Unreadable::UnsupportedVersion(v)),
    };
    if file.len() < min {
        return Err(Unreadable::Truncated {
            len: file.len(),
            min,
        });
    }
    Ok(Header {
        version: file[4],
        key_id: KeyId(file[5..13].try_into().unwrap()),
        sealed_at: u64::from_be_bytes(file[13..21].try_into().unwrap()),
    })
}

/// `envelope::peek` on arbitrary bytes: never panics, agrees with the
/// reference, and its errors print.
pub fn envelope_peek(data: &[u8]) {
    let got = envelope::peek(data);
    assert_eq!(got, reference_peek(data), "peek disagrees with the format");
    if let Err(e) = got {
        assert!(!e.to_string().is_empty());
    }
}

/// `envelope::open` on arbitrary bytes and ids: never panics; whatever `peek`
/// rejects, `open` rejects the same way; a file that opens has the header
/// `peek` read, a plaintext of exactly `len - 49` bytes (version 1) or at
/// most `len - 73` (version 2, which may be padded), and seals back (as
/// version 2) to something that opens to the same plaintext.
pub fn envelope_open(data: &[u8]) {
    let (id, file) = split_id(data);
    let keys = keys();
    let peeked = envelope::peek(file);
    let mut buf = file.to_vec();
    match envelope::open(keys, id, &mut buf) {
        Ok((header, plain)) => {
            assert_eq!(peeked, Ok(header), "open and peek disagree on the header");
            if header.version == VERSION_1 {
                assert_eq!(plain.len() + 49, file.len(), "version 1 plaintext length");
            } else {
                assert!(
                    plain.len() + OVERHEAD <= file.len(),
                    "version 2 plaintext length"
                );
            }
            assert!(keys.find(header.key_id).is_some());
            let plain = plain.to_vec();
            let mut again =
                envelope::seal(keys.current(), id, header.sealed_at, &plain, 0).unwrap();
            let (h2, p2) = envelope::open(keys, id, &mut again).expect("a re-sealed file opens");
            assert_eq!(p2, &plain[..]);
            assert_eq!(h2.sealed_at, header.sealed_at);
            assert_eq!(h2.version, VERSION);
        }
        Err(e) => {
            match &peeked {
                Err(pe) => assert_eq!(&e, pe, "open and peek name different causes"),
                Ok(h) => match &e {
                    Unreadable::UnknownKey(k) => {
                        assert_eq!(*k, h.key_id);
                        assert!(keys.find(*k).is_none(), "a configured key reported unknown");
                    }
                    Unreadable::AuthenticationFailed | Unreadable::BadPadding => {
                        assert!(keys.find(h.key_id).is_some())
                    }
                    other => panic!("peek accepted the header, open said {other:?}"),
                },
            }
            assert!(!e.to_string().is_empty());
        }
    }
}

/// Seal, tamper, open. Input: `[id len][id][n][n × (pos hi, pos lo, xor)]
/// [flags][plaintext…]`. The envelope of the plaintext is changed at the
/// given positions (flags bit 0: also drop its last byte, bit 1: append a
/// byte; bit 2: open under another id; bit 3: seal with the retired key;
/// bits 4-7: pad to a multiple of 16 × that value). It must open, to exactly
/// the plaintext, if and only if nothing changed.
pub fn envelope_tamper(data: &[u8]) {
    let (id, rest) = split_id(data);
    let (n, rest) = rest
        .split_first()
        .map_or((0, &[][..]), |(n, r)| (*n as usize, r));
    let n = n.min(rest.len() / 3);
    let (edits, rest) = rest.split_at(n * 3);
    let (flags, plain) = rest.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
    let keys = keys();
    let old;
    let key = if flags & 8 != 0 {
        old = &keys.previous()[0];
        old
    } else {
        keys.current()
    };
    let sealed_at = 1_700_000_000 + plain.len() as u64;
    let pad_to = usize::from(flags >> 4) * 16;
    let sealed = envelope::seal(key, id, sealed_at, plain, pad_to).expect("seal");
    assert_eq!(sealed.len(), envelope::sealed_len(plain.len(), pad_to));
    if pad_to > 0 {
        assert_eq!(
            (sealed.len() - HEADER_LEN - 16) % pad_to,
            0,
            "padded length"
        );
    }
    assert_eq!(envelope::peek(&sealed).map(|h| h.key_id), Ok(key.id()));

    let mut file = sealed.clone();
    for e in edits.chunks_exact(3) {
        let pos = usize::from(u16::from_be_bytes([e[0], e[1]])) % file.len();
        file[pos] ^= e[2];
    }
    if flags & 1 != 0 {
        file.pop();
    }
    if flags & 2 != 0 {
        file.push(0);
    }
    let mut other_id = id.to_vec();
    if flags & 4 != 0 {
        match other_id.last_mut() {
            Some(b) => *b ^= 1,
            None => other_id.push(b'a'),
        }
    }
    let unchanged = file == sealed && other_id == id;
    match envelope::open(keys, &other_id, &mut file) {
        Ok((header, got)) => {
            assert!(unchanged, "a changed envelope opened (forgery)");
            assert_eq!(got, plain, "opened to other bytes");
            assert_eq!(header.sealed_at, sealed_at);
            assert_eq!(header.key_id, key.id());
            assert_eq!(header.version, VERSION);
        }
        Err(e) => assert!(!unchanged, "an untouched envelope did not open: {e}"),
    }
}

/// A version 2 envelope sealed by an independent writer (docs/FORMAT.md:
/// subkey = HKDF-SHA256(salt "rustenc", IKM the secret, info
/// "rustenc v2 aes-256-gcm" ‖ salt)), around `inner`, the bytes the format
/// puts inside the ciphertext (length, data, padding), well-formed or not.
pub fn reference_seal_v2(id: &[u8], salt: &[u8; 16], nonce: [u8; 12], inner: &[u8]) -> Vec<u8> {
    let mut file = b"RENC\x02".to_vec();
    file.extend_from_slice(&keys().current().id().0);
    file.extend_from_slice(&1_700_000_000u64.to_be_bytes());
    file.extend_from_slice(salt);
    file.extend_from_slice(&nonce);
    let mut aad = file.clone();
    aad.extend_from_slice(id);
    let info = [&b"rustenc v2 aes-256-gcm"[..], &salt[..]];
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"rustenc").extract(&FUZZ_SECRET);
    let okm = prk.expand(&info, &aead::AES_256_GCM).expect("HKDF");
    let key = aead::LessSafeKey::new(aead::UnboundKey::from(okm));
    let mut body = inner.to_vec();
    let tag = key
        .seal_in_place_separate_tag(
            aead::Nonce::assume_unique_for_key(nonce),
            aead::Aad::from(&aad),
            &mut body,
        )
        .expect("seal");
    file.extend_from_slice(&body);
    file.extend_from_slice(tag.as_ref());
    file
}

/// The version 2 payload parser. Input: `[salt 16][nonce 12][inner…]`, sealed
/// by [`reference_seal_v2`]. `open` must return exactly the data when `inner`
/// is a length `L` (8 bytes, big-endian), at least `L` bytes of data and only
/// zeros after them; a short `inner` is a truncated file; anything else is
/// refused as bad padding (never an out-of-range slice, never garbage).
pub fn envelope_v2_inner(data: &[u8]) {
    if data.len() < 28 {
        return;
    }
    let (salt, rest) = data.split_at(16);
    let (nonce, inner) = rest.split_at(12);
    let id = b"fuzzv2inner";
    let mut file = reference_seal_v2(
        id,
        salt.try_into().unwrap(),
        nonce.try_into().unwrap(),
        inner,
    );
    let expected = if inner.len() < 8 {
        Err(Unreadable::Truncated {
            len: file.len(),
            min: OVERHEAD,
        })
    } else {
        let len = u64::from_be_bytes(inner[..8].try_into().unwrap());
        let rest = &inner[8..];
        match usize::try_from(len) {
            Ok(len) if len <= rest.len() && rest[len..].iter().all(|&b| b == 0) => {
                Ok(rest[..len].to_vec())
            }
            _ => Err(Unreadable::BadPadding),
        }
    };
    let got = envelope::open(keys(), id, &mut file).map(|(header, plain)| {
        assert_eq!(header.version, VERSION);
        assert_eq!(header.sealed_at, 1_700_000_000);
        plain.to_vec()
    });
    assert_eq!(got, expected, "open disagrees with the format");
}

/// The newest record of a slot file as docs/FORMAT.md ("Slot files") defines
/// it, written independently: `(slot, seq, envelope start, envelope end)`.
fn reference_newest(file: &[u8]) -> Option<(usize, u64, usize, usize)> {
    let be = |at: usize, n: usize| -> Option<u64> {
        let b = file.get(at..at + n)?;
        Some(b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x)))
    };
    if file.get(..5)? != b"RENS\x01" || be(5, 3)? != 0 || be(12, 4)? != 0 {
        return None;
    }
    let c = be(8, 4)? as usize;
    if c < 93 {
        return None;
    }
    let mut newest: Option<(usize, u64, usize, usize)> = None;
    for slot in 0..2 {
        let at = 16 + slot * c;
        let (Some(seq), Some(len)) = (be(at, 8), be(at + 8, 4)) else {
            continue;
        };
        let len = len as usize;
        if seq == 0 || seq >= 1 << 63 || len + 20 > c || be(at + 12 + len, 8) != Some(seq) {
            continue;
        }
        if newest.is_none_or(|n| seq > n.1) {
            newest = Some((slot, seq, at + 12, at + 12 + len));
        }
    }
    newest
}

/// The slot file parser on arbitrary bytes: never panics, finds the record
/// the independent reading of docs/FORMAT.md finds, and what it finds lies
/// inside the file and inside its slot; the next write goes to the other
/// slot with a higher sequence number. If the newest record's envelope
/// opens, it opens only under that record's binding, and its data re-seals
/// into a record the parser finds again.
pub fn slot_file(file: &[u8]) {
    let parsed = slots::parse(file);
    let want = reference_newest(file);
    let got = parsed
        .newest
        .as_ref()
        .map(|r| (r.slot, r.seq, r.envelope.start, r.envelope.end));
    assert_eq!(got, want, "the parser disagrees with the format");
    assert_eq!(slots::is_slot_file(file), file.starts_with(b"RENS"));
    let Some(r) = parsed.newest.clone() else {
        assert_eq!(parsed.next_seq(), 1);
        return;
    };
    assert!(r.envelope.end + 8 <= file.len());
    assert!(r.envelope.start >= parsed.offset(r.slot) as usize + 12);
    assert!(r.envelope.end + 8 <= parsed.offset(r.slot) as usize + parsed.capacity);
    assert_eq!(parsed.target(), 1 - r.slot);
    assert_eq!(parsed.next_seq(), r.seq + 1);
    let id = b"fuzzslotfile";
    let mut envelope = file[r.envelope.clone()].to_vec();
    let binding = slots::binding(r.seq);
    if let Ok((_, plain)) = envelope::open_in_place_bound(keys(), id, &binding, &mut envelope) {
        let plain = envelope[plain].to_vec();
        let mut unbound = file[r.envelope.clone()].to_vec();
        assert!(envelope::open(keys(), id, &mut unbound).is_err(), "opened unbound");
        let mut other = file[r.envelope.clone()].to_vec();
        let next = slots::binding(r.seq + 1);
        assert!(
            envelope::open_in_place_bound(keys(), id, &next, &mut other).is_err(),
            "opened under another sequence number"
        );
        let sealed = envelope::seal_bound(keys().current(), id, &next, 5, &plain, 0).unwrap();
        let mut grown = file.to_vec();
        let at = parsed.offset(parsed.target()) as usize;
        let record = slots::record(r.seq + 1, &sealed);
        if parsed.fits(sealed.len()) && at + record.len() <= grown.len() {
            grown[at..at + record.len()].copy_from_slice(&record);
            let again = slots::parse(&grown).newest.expect("the record just written");
            assert_eq!((again.slot, again.seq), (parsed.target(), r.seq + 1));
            assert_eq!(&grown[again.envelope], &sealed[..]);
        }
    }
}

/// Whether `value` is what `SavePath::parse` must accept, and as what:
/// `"[N;[MODE;]]dir"`, N ≤ 16 (decimal), MODE octal with the owner's rw and no
/// write for group/others or bits beyond 0777, dir absolute (an empty value is
/// for the PHP layer to replace with the default directory first).
fn reference_save_path(value: &str) -> Option<SavePath> {
    let parts: Vec<&str> = value.split(';').collect();
    let (depth, mode, dir) = match parts.as_slice() {
        [d] => ("0", "600", *d),
        [n, d] => (*n, "600", *d),
        [n, m, d] => (*n, *m, *d),
        _ => return None,
    };
    let depth: usize = depth.trim().parse().ok()?;
    let mode = u32::from_str_radix(mode.trim(), 8).ok()?;
    if depth > 16
        || mode > 0o777
        || mode & 0o600 != 0o600
        || mode & 0o022 != 0
        || !dir.starts_with('/')
    {
        return None;
    }
    Some(SavePath {
        depth,
        mode,
        dir: Path::new(dir).components().collect(),
    })
}

/// `SavePath::parse` on arbitrary text: never panics, agrees with the
/// reference, and what it accepts is an absolute path with no `.` component
/// and no trailing slash (so lstat cannot follow a final symlink).
pub fn save_path(data: &[u8]) {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    let got = SavePath::parse(value);
    match (&got, reference_save_path(value)) {
        (Ok(sp), Some(want)) => {
            assert_eq!(sp, &want);
            assert!(sp.dir.is_absolute());
            assert!(sp.dir.components().all(|c| c != Component::CurDir));
            let text = sp.dir.to_string_lossy();
            assert!(
                text == "/" || !text.ends_with('/'),
                "trailing slash kept: {text:?}"
            );
            assert_eq!(PathBuf::from(&*text), sp.dir);
        }
        (Err(e), None) => {
            assert!(
                matches!(e, Error::SavePath { .. }),
                "unexpected error {e:?}"
            );
            assert!(!e.to_string().is_empty());
        }
        (got, want) => panic!("SavePath::parse({value:?}) = {got:?}, reference says {want:?}"),
    }
}

/// `SessionId::new` on arbitrary bytes: accepts exactly PHP's ids (1..=256 of
/// `[A-Za-z0-9,-]`), so no accepted id can name anything outside the
/// directory; a refusal carries at most the id's first 6 characters.
pub fn session_id(data: &[u8]) {
    let valid = !data.is_empty()
        && data.len() <= MAX_ID_LEN
        && data
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b',' || *b == b'-');
    match SessionId::new(data) {
        Ok(id) => {
            assert!(valid, "accepted an invalid id {data:?}");
            assert_eq!(id.as_bytes(), data);
            assert_eq!(id.as_str().as_bytes(), data);
            let shown = id.prefix().to_string();
            assert!(
                shown.chars().count() <= IdPrefix::LEN + 1,
                "prefix too long: {shown}"
            );
            assert!(!shown.contains('/') && !shown.contains('.'));
        }
        Err(e) => {
            assert!(!valid, "refused a valid id {data:?}: {e}");
            match &e {
                Error::InvalidId { id, .. } => assert_eq!(*id, IdPrefix::of(data)),
                other => panic!("unexpected error {other:?}"),
            }
            let shown = IdPrefix::of(data).to_string();
            assert!(shown.chars().count() <= IdPrefix::LEN + 1);
            if data.len() > IdPrefix::LEN {
                // The message names the prefix, not the id.
                assert!(e.to_string().contains(&shown));
            }
        }
    }
}

fn reference_key(text: &str) -> Option<[u8; 32]> {
    let t = text
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .as_bytes();
    let mut out = [0u8; 32];
    match t.len() {
        64 => {
            for (i, pair) in t.chunks(2).enumerate() {
                let s = std::str::from_utf8(pair).ok()?;
                if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out[i] = u8::from_str_radix(s, 16).ok()?;
            }
            Some(out)
        }
        44 => {
            const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            if t[43] != b'=' {
                return None;
            }
            let mut bits: Vec<bool> = Vec::with_capacity(258);
            for &c in &t[..43] {
                let v = ABC.iter().position(|&a| a == c)?;
                bits.extend((0..6).rev().map(|i| v >> i & 1 == 1));
            }
            if bits[256..].iter().any(|&b| b) {
                return None; // non-canonical: the 2 spare bits must be 0
            }
            for (i, byte) in bits[..256].chunks(8).enumerate() {
                out[i] = byte.iter().fold(0, |acc, &b| acc << 1 | u8::from(b));
            }
            Some(out)
        }
        _ => None,
    }
}

/// `Key::parse` on arbitrary text: accepts exactly 64 hex or canonical
/// 44-character base64 (surrounding ASCII white space ignored), decodes it to
/// the right secret (same key id as deriving the reference bytes), and a
/// refusal says what is wrong, never what the text was.
pub fn key_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match (Key::parse(text, "RUSTENC_KEY"), reference_key(text)) {
        (Ok(key), Some(secret)) => {
            assert_eq!(
                key.id(),
                Key::derive(&secret).unwrap().id(),
                "decoded to other bytes"
            );
        }
        (Err(keys::Error::KeyMalformed { var, .. }), None) => assert_eq!(var, "RUSTENC_KEY"),
        (got, want) => panic!("Key::parse({text:?}) = {got:?}, reference says {want:?}"),
    }
}

/// A few hand-made inputs per target, for `examples/replay.rs --write-seeds`.
pub fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let keys = keys();
    let id = b"abcdefghijklmnopqrstuvwxyz012345";
    let with_id = |id: &[u8], file: &[u8]| {
        let mut v = vec![id.len() as u8];
        v.extend_from_slice(id);
        v.extend_from_slice(file);
        v
    };
    let good = envelope::seal(
        keys.current(),
        id,
        1_700_000_000,
        b"n|i:42;user|s:5:\"alice\";",
        0,
    )
    .unwrap();
    let padded = envelope::seal(keys.current(), id, 5, b"a|i:1;", 64).unwrap();
    let empty = envelope::seal(keys.current(), id, 5, b"", 0).unwrap();
    let old = envelope::seal(&keys.previous()[0], b"x", 5, b"a|b:1;", 0).unwrap();
    let inner = |len: u64, tail: &[u8]| {
        let mut v = vec![0x5a; 16 + 12];
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(tail);
        v
    };
    let mut tamper = vec![id.len() as u8];
    tamper.extend_from_slice(id);
    tamper.extend_from_slice(&[2, 0, 5, 1, 0, 40, 0x80, 0]);
    tamper.extend_from_slice(b"n|i:1;");
    let mut v = vec![
        ("envelope_open", "valid", with_id(id, &good)),
        ("envelope_open", "valid-empty", with_id(id, &empty)),
        ("envelope_open", "valid-padded", with_id(id, &padded)),
        ("envelope_open", "retired-key", with_id(b"x", &old)),
        ("envelope_open", "other-id", with_id(b"abc", &good)),
        (
            "envelope_open",
            "truncated",
            with_id(id, &good[..HEADER_LEN + 3]),
        ),
        (
            "envelope_open",
            "plaintext",
            with_id(id, b"n|i:42;user|s:5:\"alice\";............"),
        ),
        ("envelope_peek", "valid", good.clone()),
        ("envelope_peek", "magic-only", b"RENC".to_vec()),
        ("envelope_peek", "version-3", {
            let mut f = good.clone();
            f[4] = 3;
            f
        }),
        ("envelope_peek", "version-1-short", {
            let mut f = good[..60].to_vec();
            f[4] = 1;
            f
        }),
        ("envelope_peek", "version-2-short", good[..60].to_vec()),
        ("envelope_tamper", "padded", {
            let mut t = with_id(id, &[0, 0x41]);
            t.extend_from_slice(b"n|i:1;");
            t
        }),
        ("envelope_v2_inner", "exact", inner(3, b"abc")),
        ("envelope_v2_inner", "padded", inner(3, b"abc\0\0\0\0")),
        ("envelope_v2_inner", "empty", inner(0, b"")),
        ("envelope_v2_inner", "too-long", inner(4, b"abc")),
        ("envelope_v2_inner", "huge", inner(u64::MAX, b"abc")),
        ("envelope_v2_inner", "dirty-padding", inner(1, b"ab\0")),
        ("envelope_v2_inner", "short", vec![0x5a; 16 + 12 + 7]),
        ("envelope_tamper", "no-change", {
            let mut t = with_id(id, &[0, 0]);
            t.extend_from_slice(b"n|i:1;");
            t
        }),
        ("envelope_tamper", "two-flips", tamper),
        ("save_path", "plain", b"/var/lib/php/rustenc".to_vec()),
        ("save_path", "depth", b"2;/var/lib/php/rustenc".to_vec()),
        (
            "save_path",
            "depth-mode",
            b"3;0640;/var/lib/php/rustenc/".to_vec(),
        ),
        ("save_path", "empty", b"".to_vec()),
        ("save_path", "relative", b"1;600;var/./x/../y".to_vec()),
        (
            "session_id",
            "php-default",
            b"0123456789abcdef0123456789abcdef".to_vec(),
        ),
        ("session_id", "comma-dash", b"a,b-C".to_vec()),
        ("session_id", "dot-dot", b"../../etc/passwd".to_vec()),
        ("session_id", "nul", b"abc\0def".to_vec()),
        (
            "key_parse",
            "base64",
            b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n".to_vec(),
        ),
        (
            "key_parse",
            "hex",
            b" 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1F".to_vec(),
        ),
        (
            "key_parse",
            "base64-noncanonical",
            b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=".to_vec(),
        ),
    ];
    let slot_id = b"fuzzslotfile";
    let first = envelope::seal_bound(
        keys.current(),
        slot_id,
        &slots::binding(1),
        5,
        b"n|i:1;",
        0,
    )
    .unwrap();
    let (mut two, laid) = slots::lay_out(1, &first);
    let second = envelope::seal_bound(
        keys.current(),
        slot_id,
        &slots::binding(2),
        5,
        b"n|i:2;",
        0,
    )
    .unwrap();
    let record = slots::record(2, &second);
    let at = laid.offset(1) as usize;
    two[at..at + record.len()].copy_from_slice(&record);
    let mut torn = two.clone();
    torn[at + record.len() - 1] ^= 1;
    v.push(("slot_file", "one-record", slots::lay_out(1, &first).0));
    v.push(("slot_file", "two-records", two.clone()));
    v.push(("slot_file", "second-torn", torn));
    v.push(("slot_file", "cut-in-slot-1", two[..at + 40].to_vec()));
    v.push(("slot_file", "superblock-only", two[..16].to_vec()));
    v.push(("slot_file", "envelope-not-slots", first));
    v.push(("session_id", "max-len", vec![b'z'; MAX_ID_LEN]));
    v.push(("session_id", "too-long", vec![b'z'; MAX_ID_LEN + 1]));
    v
}
