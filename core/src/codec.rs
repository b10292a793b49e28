//! Data decoding: one dispatch over the stored datyp, one module per packing.
//!
//! Input is the record's data area as 32-bit word *values* (the container has already
//! undone its byte order: big-endian for XDF, little-endian for RSF), starting at the
//! first data word. Output goes into a caller-provided [`OutSlice`] of the record's
//! natural element type ([`crate::RecordHeader::element_type`]) or a permitted conversion.
//!
//! Spec: `shared/spec/xdf.md` §4 (packers), §4.10 (+64), §4.11 (+128).
//! PLACEHOLDER: implemented by the codec work package.

pub(crate) mod bits;
mod compact_float;
mod float_packer;
mod turbo;

use crate::array::{Array, OutSlice};
use crate::error::Result;
use crate::record::RecordHeader;
use crate::Limits;

/// What to return for points of a +64 (missing value) record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MissingMode {
    /// librmn's default: the plug value the writer stored (just above the field maximum).
    #[default]
    Plug,
    /// librmn's missing-value mode: the markers (-1e38 for reals, INT_MIN for signed,
    /// all ones for unsigned).
    Marker,
    /// NaN for real types, the markers for integer types.
    Nan,
}

/// Options of one decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// Treatment of missing points in +64 records.
    pub missing: MissingMode,
}

/// Number of scalar slots the decoded record fills: `ni·nj·nk` values, twice that for
/// complex, `⌈n·nbits/32⌉` words for binary (datyp 0).
pub fn output_len(header: &RecordHeader) -> u64 {
    let _ = header;
    todo!("codec work package")
}

/// Decodes `words` (the record's data area) into `out`.
///
/// # Errors
/// Format errors when the data area is too short or inconsistent; usage errors when `out`
/// has the wrong element type or length; unsupported for undecodable datyps.
pub fn decode_into(
    header: &RecordHeader,
    words: &[u32],
    out: OutSlice<'_>,
    options: &DecodeOptions,
) -> Result<()> {
    let _ = (header, words, out, options);
    todo!("codec work package")
}

/// Decodes `words` into a new array of the record's natural element type.
///
/// # Errors
/// As [`decode_into`], plus [`crate::Error::Limits`] when the array exceeds `limits`.
pub fn decode(
    header: &RecordHeader,
    words: &[u32],
    options: &DecodeOptions,
    limits: &Limits,
) -> Result<Array> {
    let _ = (header, words, options, limits);
    todo!("codec work package")
}
