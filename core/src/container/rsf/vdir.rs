//! The directory record (type 6) closing each data segment: an entry count then
//! variable-length entries, one per record written in that segment (spec rsf.md §1.6).

use crate::container::DirEntry;
use crate::error::{FormatErrorKind, LimitsExceeded, Result};
use crate::Limits;

use super::entry::{VdirEntry, ENTRY_HEAD_LEN};
use super::frame::{
    error_at, expect, le32, record_type, short, EndOfRecord, StartOfRecord, EOR_LEN, SOR_LEN,
};
use super::segment::SegmentHeader;

/// Bytes before the first entry: the start-of-record and the entry count.
const HEAD_LEN: usize = SOR_LEN + 4;

/// Parses the directory of `segment` (`bytes` are its `vdirs` bytes) and appends its
/// entries to `out`, numbering them from `out.len()`.
///
/// # Errors
/// Bad framing, an entry count that cannot fit, bad entries, or more entries than
/// `limits` allow.
pub fn parse_into(
    bytes: &[u8],
    segment: &SegmentHeader,
    limits: &Limits,
    out: &mut Vec<DirEntry>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let offset = segment.offset + segment.vdir;
    if bytes.len() < HEAD_LEN + EOR_LEN {
        return Err(short(
            "directory record",
            offset,
            HEAD_LEN + EOR_LEN,
            bytes.len(),
        ));
    }
    let sor = StartOfRecord::parse(bytes, offset)?;
    sor.expect_type("directory record type", record_type::VDIR, offset)?;
    expect(
        "directory record length",
        bytes.len() as u64,
        sor.rl,
        offset,
    )?;
    let eor_at = bytes.len() - EOR_LEN;
    let eor = EndOfRecord::parse(&bytes[eor_at..], offset + eor_at as u64)?;
    eor.expect_matches(&sor, offset + eor_at as u64)?;

    let count = u64::from(le32(bytes, SOR_LEN).unwrap_or(0));
    let body = &bytes[HEAD_LEN..eor_at];
    if count.saturating_mul(ENTRY_HEAD_LEN as u64) > body.len() as u64 {
        return Err(error_at(
            FormatErrorKind::InvalidValue {
                what: "directory entry count (more than the directory can hold)",
                value: count,
            },
            offset + SOR_LEN as u64,
        ));
    }
    let total = out.len() as u64 + count;
    if total > limits.max_directory_entries {
        return Err(
            LimitsExceeded::new("directory entries", total, limits.max_directory_entries).into(),
        );
    }
    out.reserve(count as usize);
    let mut pos = 0usize;
    for _ in 0..count {
        let at = offset + (HEAD_LEN + pos) as u64;
        let (raw, len) =
            VdirEntry::parse(&body[pos..], at).map_err(|e| e.at(Some(out.len()), None))?;
        out.push(raw.to_dir_entry(out.len(), segment, at, limits, warnings)?);
        pos += len;
    }
    if pos != body.len() {
        warnings.push(format!(
            "RSF: directory at byte offset {offset} has {} unused bytes after its {count} entries",
            body.len() - pos
        ));
    }
    Ok(())
}
