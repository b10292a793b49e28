//! Generic RSF record framing: every object (segment header and trailer, data record,
//! directory) starts with a 16-byte start-of-record and ends with a 12-byte end-of-record,
//! both carrying the record type and its total length (spec rsf.md §1.1).
//!
//! Words are little-endian; 64-bit quantities are two words, most significant first.

use crate::container::{Backend, DirEntry};
use crate::error::{Error, FormatError, FormatErrorKind, Result};

/// Length of a start-of-record.
pub const SOR_LEN: usize = 16;
/// Length of an end-of-record.
pub const EOR_LEN: usize = 12;

/// Marker byte of a start-of-record.
const SOR_MARK: u8 = 0xFE;
/// Marker byte of an end-of-record.
const EOR_MARK: u8 = 0xFF;

/// Record types (`rsf_rec_type`; 7, an embedded file of generic RSF, never occurs in FST).
pub mod record_type {
    /// A data record.
    pub const DATA: u8 = 1;
    /// Start of segment.
    pub const SOS: u8 = 3;
    /// End of segment.
    pub const EOS: u8 = 4;
    /// Segment directory.
    pub const VDIR: u8 = 6;
    /// A deleted data record.
    pub const DELETED: u8 = 0x80;
}

/// Little-endian word at byte `at`; `None` past the end.
pub(crate) fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// 64-bit value stored as two little-endian words, most significant first.
pub(crate) fn u64hl(bytes: &[u8], at: usize) -> Option<u64> {
    let hi = le32(bytes, at)?;
    let lo = le32(bytes, at.checked_add(4)?)?;
    Some(u64::from(hi) << 32 | u64::from(lo))
}

/// A format error of the RSF backend at `offset`.
pub(crate) fn error_at(kind: FormatErrorKind, offset: u64) -> Error {
    FormatError::new(kind)
        .backend(Backend::Rsf)
        .offset(offset)
        .into()
}

/// Error for a structure of `what` that needs `needed` bytes but only `got` are there.
pub(crate) fn short(what: &'static str, offset: u64, needed: usize, got: usize) -> Error {
    error_at(
        FormatErrorKind::Truncated {
            what,
            needed: offset.saturating_add(needed as u64),
            available: offset.saturating_add(got as u64),
        },
        offset,
    )
}

/// A start-of-record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartOfRecord {
    /// Record type (see [`record_type`]).
    pub rt: u8,
    /// Record metadata length in 32-bit words (segment 0: the file's write flag).
    pub rlm: u16,
    /// Total record length in bytes, markers included.
    pub rl: u64,
    /// Directory metadata length in 32-bit words.
    pub rlmd: u16,
    /// Unused bit count.
    pub ubc: u8,
    /// Data unit length in bytes.
    pub dul: u8,
}

impl StartOfRecord {
    /// Parses the 16 bytes at the start of `bytes`, which sit at file `offset`.
    ///
    /// # Errors
    /// Too few bytes, or a missing start marker.
    pub fn parse(bytes: &[u8], offset: u64) -> Result<Self> {
        let (Some(w0), Some(rl), Some(w3)) = (le32(bytes, 0), u64hl(bytes, 4), le32(bytes, 12))
        else {
            return Err(short("start of record", offset, SOR_LEN, bytes.len()));
        };
        if (w0 >> 24) as u8 != SOR_MARK {
            return Err(error_at(
                FormatErrorKind::Mismatch {
                    what: "start-of-record marker",
                    expected: u64::from(SOR_MARK),
                    found: u64::from(w0 >> 24),
                },
                offset,
            ));
        }
        Ok(StartOfRecord {
            rt: (w0 & 0xFF) as u8,
            rlm: (w0 >> 8) as u16,
            rl,
            rlmd: (w3 & 0xFFFF) as u16,
            ubc: (w3 >> 16) as u8,
            dul: (w3 >> 24) as u8,
        })
    }

    /// Checks the record type.
    ///
    /// # Errors
    /// [`FormatErrorKind::Mismatch`] naming `what` when the type differs.
    pub fn expect_type(&self, what: &'static str, rt: u8, offset: u64) -> Result<()> {
        expect(what, u64::from(rt), u64::from(self.rt), offset)
    }
}

/// An end-of-record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndOfRecord {
    /// Total record length (same as the start-of-record's).
    pub rl: u64,
    /// Record type.
    pub rt: u8,
    /// Record metadata length in words.
    pub rlm: u16,
}

impl EndOfRecord {
    /// Parses the 12 bytes at the start of `bytes`, which sit at file `offset`.
    ///
    /// # Errors
    /// Too few bytes, or a missing end marker.
    pub fn parse(bytes: &[u8], offset: u64) -> Result<Self> {
        let (Some(rl), Some(w2)) = (u64hl(bytes, 0), le32(bytes, 8)) else {
            return Err(short("end of record", offset, EOR_LEN, bytes.len()));
        };
        if (w2 >> 24) as u8 != EOR_MARK {
            return Err(error_at(
                FormatErrorKind::Mismatch {
                    what: "end-of-record marker",
                    expected: u64::from(EOR_MARK),
                    found: u64::from(w2 >> 24),
                },
                offset,
            ));
        }
        Ok(EndOfRecord {
            rl,
            rt: (w2 & 0xFF) as u8,
            rlm: (w2 >> 8) as u16,
        })
    }

    /// Checks that this end-of-record closes `sor` (same type and length).
    ///
    /// # Errors
    /// [`FormatErrorKind::Mismatch`] on a different type or length.
    pub fn expect_matches(&self, sor: &StartOfRecord, offset: u64) -> Result<()> {
        expect(
            "end-of-record type",
            u64::from(sor.rt),
            u64::from(self.rt),
            offset,
        )?;
        expect("end-of-record length", sor.rl, self.rl, offset)
    }
}

/// Error unless `found == expected`.
pub(crate) fn expect(what: &'static str, expected: u64, found: u64, offset: u64) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(error_at(
            FormatErrorKind::Mismatch {
                what,
                expected,
                found,
            },
            offset,
        ))
    }
}

/// The data area of the live record of `entry`, given the record's bytes from its
/// start-of-record to its end-of-record, once its framing agrees with the directory (so a
/// directory pointing at the wrong place is an error, not wrong data).
///
/// The record's metadata words are not compared with the directory's: librmn can leave
/// them different (an in-place metadata rewrite that failed, spec rsf.md pitfall P5).
///
/// # Errors
/// Missing markers, or a type, length or metadata size other than the directory's.
pub fn record_payload<'a>(entry: &DirEntry, record: &'a [u8]) -> Result<&'a [u8]> {
    let tail = record
        .get(record.len().saturating_sub(EOR_LEN)..)
        .unwrap_or(&[]);
    let bounds = payload_bounds(entry, record, record.len(), tail)?;
    Ok(&record[bounds])
}

/// [`record_payload`] from the record's first bytes (`head`, its start-of-record at
/// least) and last [`EOR_LEN`] bytes (`tail`) of its `len` bytes: where its data area
/// lies in it, once the framing agrees with the directory.
///
/// # Errors
/// As [`record_payload`].
pub fn payload_bounds(
    entry: &DirEntry,
    head: &[u8],
    len: usize,
    tail: &[u8],
) -> Result<std::ops::Range<usize>> {
    let offset = entry.record_offset;
    let record = head;
    let sor = StartOfRecord::parse(record, offset)?;
    sor.expect_type("data record type", record_type::DATA, offset)?;
    expect("data record length", entry.record_len, sor.rl, offset)?;
    expect(
        "data record metadata words",
        u64::from(entry.meta_words),
        u64::from(sor.rlm),
        offset,
    )?;
    let start = SOR_LEN + 4 * usize::from(sor.rlm);
    let Some(eor_at) = len.checked_sub(EOR_LEN).filter(|&e| e >= start) else {
        return Err(short("data record", offset, start + EOR_LEN, len));
    };
    let eor = EndOfRecord::parse(tail, offset + eor_at as u64)?;
    eor.expect_matches(&sor, offset + eor_at as u64)?;
    Ok(start..eor_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_markers_of_a_data_record() {
        // SOR and EOR of the one-record vector (spec rsf.md appendix A.2).
        let sor = [
            0x01, 0x13, 0x00, 0xFE, 0, 0, 0, 0, 0x88, 0, 0, 0, 0x13, 0, 0, 0x04,
        ];
        let s = StartOfRecord::parse(&sor, 0xD4).unwrap();
        assert_eq!(
            (s.rt, s.rlm, s.rl, s.rlmd, s.ubc, s.dul),
            (1, 19, 0x88, 19, 0, 4)
        );
        let eor = [0, 0, 0, 0, 0x88, 0, 0, 0, 0x01, 0x13, 0x00, 0xFF];
        let e = EndOfRecord::parse(&eor, 0x150).unwrap();
        assert_eq!((e.rl, e.rt, e.rlm), (0x88, 1, 19));
        e.expect_matches(&s, 0x150).unwrap();
    }

    #[test]
    fn rejects_missing_marker_and_short_input() {
        let mut sor = [0u8; 16];
        sor[3] = 0xFF;
        let err = StartOfRecord::parse(&sor, 40).unwrap_err();
        assert!(
            matches!(err, Error::Format(ref f) if f.offset == Some(40)),
            "{err}"
        );
        assert!(StartOfRecord::parse(&sor[..15], 0).is_err());
        assert!(EndOfRecord::parse(&[0u8; 12], 0).is_err());
    }
}
