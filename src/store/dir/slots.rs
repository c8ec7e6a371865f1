//! The two-slot layout of a session file (docs/FORMAT.md, "Slot files"):
//! pure parsing and building, no I/O.
//!
//! ```text
//! offset      size field
//!      0         4 magic "RENS"
//!      4         1 layout version, 1
//!      5         3 zero
//!      8         4 capacity C of each slot, big-endian
//!     12         4 zero
//!     16         C slot 0
//!   16+C         C slot 1
//!
//! a slot: seq (8) | len (4) | envelope (len) | seq again (8) | anything up to C
//! ```
//!
//! A writer puts each new envelope into the slot that does not hold the
//! newest record, with the next sequence number, in one `pwritev`; the
//! superblock is written once, when the file is laid out (a temporary file
//! renamed into place). A write cut short (kill -9, full disk) leaves a slot
//! whose trailing copy of the sequence number is missing or stale, so it is
//! not a record and the other slot, untouched, is read. The sequence number
//! is also bound into the envelope's associated data ([`binding`]), so a
//! record cannot be given another one without the key.

use std::ops::Range;

/// The first four bytes of a slot file (an envelope starts `RENC`).
pub const MAGIC: [u8; 4] = *b"RENS";
/// The layout version this code writes and reads.
pub const VERSION: u8 = 1;
/// Bytes of the superblock, before slot 0.
pub const SUPER_LEN: usize = 16;
/// A record's sequence number and length, before its envelope.
const HEAD_LEN: usize = 12;
/// The sequence number again, after the envelope.
const TRAILER_LEN: usize = 8;
/// What a record adds to its envelope.
pub const RECORD_OVERHEAD: usize = HEAD_LEN + TRAILER_LEN;
/// Sequence numbers from here on are not records (no writer gets there:
/// 2^63 writes), so a planted one cannot make the next write overflow.
const SEQ_LIMIT: u64 = 1 << 63;
/// Slot files are laid out in whole multiples of this.
const BLOCK: usize = 4096;
/// The smallest slot capacity that can hold a record (an empty envelope).
const MIN_CAPACITY: usize = RECORD_OVERHEAD + crate::envelope::OVERHEAD;

/// One record found in a slot file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Which slot holds it (0 or 1).
    pub slot: usize,
    pub seq: u64,
    /// Where its envelope lies in the file.
    pub envelope: Range<usize>,
}

/// What a slot file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slots {
    /// Bytes of each slot (0 if the superblock is not one this code wrote).
    pub capacity: usize,
    /// The record with the highest sequence number, if any slot holds one.
    pub newest: Option<Record>,
}

impl Slots {
    /// The sequence number the next record gets.
    pub fn next_seq(&self) -> u64 {
        self.newest.as_ref().map_or(1, |r| r.seq + 1)
    }

    /// Whether an envelope of `len` bytes fits in a slot.
    pub fn fits(&self, len: usize) -> bool {
        self.capacity != 0 && len + RECORD_OVERHEAD <= self.capacity
    }

    /// The slot the next record goes to: never the one holding the newest.
    pub fn target(&self) -> usize {
        self.newest.as_ref().map_or(0, |r| 1 - r.slot)
    }

    /// The file offset of `slot`.
    pub fn offset(&self, slot: usize) -> u64 {
        (SUPER_LEN + slot * self.capacity) as u64
    }
}

/// Whether `file` starts like a slot file (else it is an envelope, or garbage).
pub fn is_slot_file(file: &[u8]) -> bool {
    file.starts_with(&MAGIC)
}

/// Parses a slot file (one that [`is_slot_file`]). Any damage (a torn
/// record, a truncated file, a superblock not written by this code) only
/// means fewer records; nothing here is trusted until the envelope opens.
pub fn parse(file: &[u8]) -> Slots {
    let capacity = file.get(..SUPER_LEN).map_or(0, capacity);
    let mut slots = Slots {
        capacity,
        newest: None,
    };
    if capacity == 0 {
        return slots;
    }
    let heads = (0..2).map(|slot| {
        let at = slots.offset(slot) as usize;
        file.get(at..at + HEAD_LEN)
    });
    for head in candidates(capacity, heads) {
        let end = head.envelope.end;
        if file.get(end..end + TRAILER_LEN) == Some(&head.seq.to_be_bytes()[..]) {
            slots.newest = Some(head);
            break;
        }
    }
    slots
}

/// The slot capacity a superblock (its 16 bytes) names; 0 if it is not one
/// this code wrote.
pub fn capacity(sb: &[u8]) -> usize {
    if sb.len() != SUPER_LEN
        || sb[..4] != MAGIC
        || sb[4] != VERSION
        || sb[5..8] != [0; 3]
        || sb[12..] != [0; 4]
    {
        return 0;
    }
    let c = u32::from_be_bytes(sb[8..12].try_into().expect("4 bytes")) as usize;
    if c >= MIN_CAPACITY {
        c
    } else {
        0
    }
}

/// The bytes of a record's head (sequence number and length).
pub const HEAD: usize = HEAD_LEN;
/// The bytes of a record's trailer (its sequence number again).
pub const TRAILER: usize = TRAILER_LEN;

/// The records the heads of slots 0 and 1 (`None`: cut off) announce, newest
/// first: each is a record if its trailer, at `envelope.end`, repeats its
/// sequence number (checked by the caller, who may read only that far).
pub fn candidates<'a>(
    capacity: usize,
    heads: impl IntoIterator<Item = Option<&'a [u8]>>,
) -> Vec<Record> {
    let mut found: Vec<Record> = heads
        .into_iter()
        .enumerate()
        .filter_map(|(slot, head)| {
            let head = head?;
            let seq = u64::from_be_bytes(head[..8].try_into().expect("8 bytes"));
            let len = u32::from_be_bytes(head[8..HEAD_LEN].try_into().expect("4 bytes")) as usize;
            if seq == 0 || seq >= SEQ_LIMIT || len + RECORD_OVERHEAD > capacity {
                return None;
            }
            let body = SUPER_LEN + slot * capacity + HEAD_LEN;
            Some(Record {
                slot,
                seq,
                envelope: body..body + len,
            })
        })
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.seq));
    found
}

/// What a record with sequence number `seq` puts before and after its
/// envelope of `len` bytes: head (sequence number, length) and trailer (the
/// sequence number again). Written around the envelope, not copied with it.
pub fn record_frame(seq: u64, len: usize) -> ([u8; HEAD_LEN], [u8; TRAILER_LEN]) {
    let mut head = [0u8; HEAD_LEN];
    head[..8].copy_from_slice(&seq.to_be_bytes());
    head[8..].copy_from_slice(&(len as u32).to_be_bytes());
    (head, seq.to_be_bytes())
}

/// A record of `envelope` with sequence number `seq`, as it is written into
/// a slot.
pub fn record(seq: u64, envelope: &[u8]) -> Vec<u8> {
    let (head, trailer) = record_frame(seq, envelope.len());
    [&head[..], envelope, &trailer].concat()
}

/// The slot capacity of a file laid out for an envelope of `len` bytes: at
/// least twice its record, so it can grow before the file is laid out again,
/// and such that the file is a whole number of 4 KiB blocks.
pub fn capacity_for(len: usize) -> usize {
    let want = (2 * (len + RECORD_OVERHEAD)).max(MIN_CAPACITY);
    let blocks = (want * 2 + SUPER_LEN).div_ceil(BLOCK);
    (blocks * BLOCK - SUPER_LEN) / 2
}

/// A whole new slot file holding `envelope` in slot 0 with `seq`, slot 1
/// zero-filled (written, not a hole, so a later write into it needs no new
/// disk blocks and cannot fail half-way for want of space).
pub fn lay_out(seq: u64, envelope: &[u8]) -> (Vec<u8>, Slots) {
    let capacity = capacity_for(envelope.len());
    let mut file = vec![0u8; SUPER_LEN + 2 * capacity];
    file[..4].copy_from_slice(&MAGIC);
    file[4] = VERSION;
    file[8..12].copy_from_slice(&(capacity as u32).to_be_bytes());
    let rec = record(seq, envelope);
    file[SUPER_LEN..SUPER_LEN + rec.len()].copy_from_slice(&rec);
    let slots = Slots {
        capacity,
        newest: Some(Record {
            slot: 0,
            seq,
            envelope: SUPER_LEN + HEAD_LEN..SUPER_LEN + HEAD_LEN + envelope.len(),
        }),
    };
    (file, slots)
}

/// The bytes a record's envelope is bound to, after its session id, in its
/// associated data (see [`crate::envelope::seal_bound`]): a zero byte (never
/// in a session id, so id and binding cannot be shifted into each other), the
/// magic, and the sequence number.
pub fn binding(seq: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(13);
    b.push(0);
    b.extend_from_slice(&MAGIC);
    b.extend_from_slice(&seq.to_be_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_fills_whole_blocks_and_doubles_the_record() {
        for len in [0, 73, 1000, 2000, 4000, 300_000] {
            let c = capacity_for(len);
            assert_eq!((SUPER_LEN + 2 * c) % BLOCK, 0, "{len}");
            assert!(c >= 2 * (len + RECORD_OVERHEAD), "{len}");
            assert!(c < 2 * (len + RECORD_OVERHEAD) + BLOCK, "{len}");
        }
        // A 1 KiB session fits the file a new (empty) session is laid out in.
        assert_eq!(capacity_for(73), 2040);
        assert!(capacity_for(73) >= 1024 + 73 + RECORD_OVERHEAD);
    }

    #[test]
    fn newest_valid_record_wins_and_a_torn_one_is_skipped() {
        let (mut file, slots) = lay_out(7, b"first envelope");
        assert_eq!(parse(&file), slots);
        assert_eq!(slots.target(), 1);
        let rec = record(8, b"second");
        let at = slots.offset(1) as usize;
        file[at..at + rec.len()].copy_from_slice(&rec);
        let now = parse(&file);
        let newest = now.newest.clone().unwrap();
        assert_eq!((newest.slot, newest.seq), (1, 8));
        assert_eq!(&file[newest.envelope], b"second");
        assert_eq!(now.target(), 0);
        // Tear the second record's trailer: the first is the newest again.
        file[at + rec.len() - 1] ^= 1;
        assert_eq!(parse(&file).newest.unwrap().seq, 7);
    }

    #[test]
    fn damaged_superblocks_hold_no_records() {
        let (file, _) = lay_out(1, b"x");
        for at in 0..SUPER_LEN {
            let mut bad = file.clone();
            bad[at] ^= 0x40;
            let parsed = parse(&bad);
            // Only a capacity changed to another valid one can still find
            // something, and then not where the record is.
            if (8..12).contains(&at) {
                continue;
            }
            assert_eq!(parsed.newest, None, "byte {at}");
        }
        assert_eq!(parse(&file[..SUPER_LEN - 1]).capacity, 0);
    }
}
