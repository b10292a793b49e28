//! Data decoding: one dispatch over the stored datyp, one module per packing.
//!
//! Input is the record's data area as 32-bit word *values* (the container has already
//! undone its byte order: big-endian for XDF, little-endian for RSF), starting at the
//! first data word. Output goes into a caller-provided [`OutSlice`] of the record's
//! natural element type ([`crate::RecordHeader::element_type`]) or a permitted conversion
//! (any integer type of the same signedness with at least `nbits` bits, either float width,
//! either complex width, raw words as `u32`, characters as `u8`).
//!
//! Spec: `shared/spec/xdf.md` §4 (packers), §4.10 (+64), §4.11 (+128).

// Public only with the `internals` feature (lib.rs); otherwise reached through the
// root re-exports, and the rest of its `pub` items are crate-internal.
#![cfg_attr(not(feature = "internals"), allow(unreachable_pub))]

mod binary;
pub(crate) mod bits;
mod chars;
mod compact_float;
mod complex;
mod convert;
mod float_packer;
mod ieee;
mod integer;
mod missing;
pub(crate) mod simd;
pub(crate) mod stream;
mod swap;
mod turbo;

/// Integer element types and their missing-value markers (for masks and holes).
pub(crate) use convert::{reborrow, Int};

#[cfg(test)]
mod tests;

use crate::array::{Array, OutSlice, Values};
use crate::error::{FormatError, FormatErrorKind, Result, UsageError};
use crate::record::{BaseType, ElementType, RecordHeader};
use crate::{Limits, LimitsExceeded, Unsupported};

pub(crate) use self::{
    chars::{encode_chars, encode_string},
    complex::{encode_complex128, encode_complex64},
    ieee::{encode_ieee32, encode_ieee64},
    integer::{encode_signed, encode_unsigned},
    missing::{plug_reals, plug_signed, plug_unsigned, plugged_range, push_plugged_bits},
};
// The writer's packers (crate::writer::encode).
pub(crate) use self::{
    compact_float::Encoder as RealEncoder,
    float_packer::encode as encode_float,
    turbo::{encode_129, encode_130, encode_133, encode_134},
};

/// What to return for points of a +64 (missing value) record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MissingMode {
    /// librmn's default: the plug value the writer stored (just above the field maximum).
    #[default]
    Plug,
    /// librmn's missing-value mode: the markers of the output type (-1e38 for reals, the
    /// minimum for signed, all ones for unsigned). As in librmn, a float record read as
    /// f64 gets -1e38 rounded to float.
    Marker,
    /// NaN for real types, the markers for integer types.
    Nan,
}

impl MissingMode {
    /// `"plug"`, `"marker"` or `"nan"`: the names every binding accepts.
    pub fn name(self) -> &'static str {
        match self {
            MissingMode::Plug => "plug",
            MissingMode::Marker => "marker",
            MissingMode::Nan => "nan",
        }
    }
}

impl std::fmt::Display for MissingMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for MissingMode {
    type Err = crate::Error;

    /// `plug`, `marker` or `nan` (lower case, as written by `Display`).
    fn from_str(s: &str) -> Result<Self> {
        [MissingMode::Plug, MissingMode::Marker, MissingMode::Nan]
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                crate::UsageError::UnknownName {
                    what: "missing",
                    expected: "\"plug\", \"marker\" or \"nan\"",
                    got: s.to_owned(),
                }
                .into()
            })
    }
}

/// Options of one decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// Treatment of missing points in +64 records.
    pub missing: MissingMode,
}

/// `⌈n·nbits/32⌉`, saturating (sizes come from hostile files).
pub(crate) fn packed_words(n: u64, nbits: u32) -> u64 {
    n.saturating_mul(u64::from(nbits)).div_ceil(32)
}

/// The first `needed` words of the area, or the error naming both lengths.
pub(crate) fn need_words(words: &[u32], needed: u64) -> Result<&[u32]> {
    usize::try_from(needed)
        .ok()
        .and_then(|n| words.get(..n))
        .ok_or_else(|| {
            FormatError::new(FormatErrorKind::PayloadTooShort {
                needed,
                available: words.len() as u64,
            })
            .into()
        })
}

/// Fallback for a width a packer cannot handle (the dispatch refuses those first).
pub(crate) fn bad_nbits() -> crate::Error {
    Unsupported::Other("packed width not supported by this packing").into()
}

/// Number of scalar slots the decoded record fills: `ni·nj·nk` values, twice that for
/// complex, `⌈n·nbits/32⌉` words for binary (datyp 0). Saturates at `u64::MAX` for
/// dimensions no real record has (decoding such a record then fails on limits).
pub fn output_len(header: &RecordHeader) -> u64 {
    let n = header.num_values();
    match header.datyp.base() {
        Some(BaseType::Binary) => packed_words(n, u32::from(header.nbits)),
        Some(BaseType::Complex) => n.saturating_mul(2),
        _ => n,
    }
}

fn invalid_datyp(header: &RecordHeader) -> crate::Error {
    FormatError::new(FormatErrorKind::InvalidDatyp {
        datyp: header.datyp.raw(),
        nbits: header.nbits,
    })
    .into()
}

fn unsupported(header: &RecordHeader) -> crate::Error {
    Unsupported::Datyp {
        datyp: header.datyp.raw(),
        nbits: header.nbits,
    }
    .into()
}

/// Checks the packed width a plain (non-quantised, non-turbo) packer accepts.
fn check_nbits(header: &RecordHeader, base: BaseType) -> Result<()> {
    let ok = match base {
        BaseType::Unsigned | BaseType::Signed | BaseType::Ieee => {
            matches!(header.nbits, 1..=32 | 64)
        }
        BaseType::Complex => matches!(header.nbits, 32 | 64),
        _ => true,
    };
    match (ok, header.nbits) {
        (true, _) => Ok(()),
        (false, 0) => Err(invalid_datyp(header)),
        (false, _) => Err(unsupported(header)),
    }
}

/// Fewest data words a record can have, to refuse absurd sizes before allocating.
///
/// Exact for the plain packings; a floor for the quantisers (header words not counted) and
/// for the 16-bit turbo streams (never more than 256 points per word: a constant 5×5 tile
/// costs at least 5 bits). 133 with `nbits` ≤ 9 keeps no mantissa bits, so a constant
/// field could be stored in a few words whatever its size: no floor there.
pub(crate) fn min_words(header: &RecordHeader) -> u64 {
    let n = header.num_values();
    let nbits = u32::from(header.nbits);
    if header.datyp.is_turbo() {
        let no_mantissa = header.datyp.base() == Some(BaseType::Ieee) && nbits <= 9;
        return if no_mantissa { 0 } else { n / 256 };
    }
    match header.datyp.base() {
        Some(BaseType::Real) => n.saturating_mul(u64::from(nbits)) / 32,
        Some(BaseType::Float) => n / 2,
        Some(BaseType::Chars | BaseType::String) => n.div_ceil(4),
        Some(BaseType::Complex) => packed_words(n.saturating_mul(2), nbits),
        Some(_) => packed_words(n, nbits),
        None => 0,
    }
}

/// Decodes `words` (the record's data area) into `out`.
///
/// # Errors
/// Format errors when the data area is too short or inconsistent; usage errors when `out`
/// has the wrong element type or length; unsupported for undecodable datyps.
pub fn decode_into(
    header: &RecordHeader,
    words: &[u32],
    mut out: OutSlice<'_>,
    options: &DecodeOptions,
) -> Result<()> {
    let (base, _) = check_destination(header, &out, words.len() as u64)?;
    if header.datyp.is_turbo() {
        turbo::decode_into(header, words, convert::reborrow(&mut out))?;
    } else {
        decode_plain(header, base, words, convert::reborrow(&mut out))?;
    }
    finish(header, out, options)
}

/// The checks of every decode before it touches `out`: a defined datyp, an output type
/// and length the record can fill, and at least the words any encoding of its size needs
/// (`area_words` stored). Returns the record's base type and natural element type.
fn check_destination(
    header: &RecordHeader,
    out: &OutSlice<'_>,
    area_words: u64,
) -> Result<(BaseType, ElementType)> {
    let (Some(base), Some(natural)) = (header.datyp.base(), header.element_type()) else {
        return Err(invalid_datyp(header));
    };
    convert::check_target(header, natural, out.element_type())?;
    let needed = output_len(header);
    if out.scalar_len() as u64 != needed {
        return Err(UsageError::BufferLength {
            needed: usize::try_from(needed).unwrap_or(usize::MAX),
            got: out.scalar_len(),
        }
        .into());
    }
    let floor = min_words(header);
    if area_words < floor {
        return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
            needed: floor,
            available: area_words,
        })
        .into());
    }
    Ok((base, natural))
}

/// The pass after decoding: missing points (+64) as `options` asks.
fn finish(header: &RecordHeader, out: OutSlice<'_>, options: &DecodeOptions) -> Result<()> {
    let (Some(base), Some(natural)) = (header.datyp.base(), header.element_type()) else {
        return Err(invalid_datyp(header));
    };
    if header.datyp.has_missing()
        && !matches!(
            base,
            BaseType::Binary | BaseType::Chars | BaseType::String | BaseType::Complex
        )
    {
        missing::apply(out, options.missing, natural);
    }
    Ok(())
}

/// Every non-turbo packing, straight into the caller's slice.
fn decode_plain(
    header: &RecordHeader,
    base: BaseType,
    words: &[u32],
    out: OutSlice<'_>,
) -> Result<()> {
    check_nbits(header, base)?;
    let nbits = header.nbits;
    let wrong = || -> crate::Error {
        // check_target admitted a type this packing has no path for: an internal gap.
        Unsupported::Other("internal: no decoder path for this element type").into()
    };
    match base {
        BaseType::Binary => match out {
            OutSlice::Words(o) | OutSlice::U32(o) => binary::decode(words, o),
            _ => Err(wrong()),
        },
        BaseType::Real => match out {
            OutSlice::F32(o) => compact_float::decode_f32(words, nbits, o),
            OutSlice::F64(o) => compact_float::decode_f64(words, nbits, o),
            _ => Err(wrong()),
        },
        BaseType::Float => match out {
            OutSlice::F32(o) => float_packer::decode_f32(words, nbits, o),
            OutSlice::F64(o) => float_packer::decode_f64(words, nbits, o),
            _ => Err(wrong()),
        },
        BaseType::Ieee => match out {
            OutSlice::F32(o) => ieee::decode(words, nbits, o),
            OutSlice::F64(o) => ieee::decode(words, nbits, o),
            _ => Err(wrong()),
        },
        BaseType::Complex => match out {
            OutSlice::C64(o) => complex::decode(words, nbits, o),
            OutSlice::C128(o) => complex::decode(words, nbits, o),
            _ => Err(wrong()),
        },
        BaseType::Chars => match out {
            OutSlice::Chars(o) | OutSlice::U8(o) => chars::decode_chars(words, o),
            _ => Err(wrong()),
        },
        BaseType::String => match out {
            OutSlice::Chars(o) | OutSlice::U8(o) => chars::decode_string(words, o),
            _ => Err(wrong()),
        },
        BaseType::Unsigned => match out {
            OutSlice::U8(o) => integer::decode_unsigned(words, nbits, o),
            OutSlice::U16(o) => integer::decode_unsigned(words, nbits, o),
            OutSlice::U32(o) => integer::decode_unsigned(words, nbits, o),
            OutSlice::U64(o) => integer::decode_unsigned(words, nbits, o),
            _ => Err(wrong()),
        },
        BaseType::Signed => match out {
            OutSlice::I8(o) => integer::decode_signed(words, nbits, o),
            OutSlice::I16(o) => integer::decode_signed(words, nbits, o),
            OutSlice::I32(o) => integer::decode_signed(words, nbits, o),
            OutSlice::I64(o) => integer::decode_signed(words, nbits, o),
            _ => Err(wrong()),
        },
    }
}

/// Bytes a decode into an `out` buffer of element type `out` needs besides that buffer
/// (turbo streams narrower than their 32-bit slots, 133's compact signs and exponents).
pub fn scratch_bytes(header: &RecordHeader, out: ElementType) -> u64 {
    if !header.datyp.is_turbo() {
        return 0;
    }
    let n = header.num_values();
    match (header.datyp.raw() & !64, out) {
        (130, ElementType::U8 | ElementType::U16) => n.saturating_mul(4),
        (133, _) => n.saturating_add(n.div_ceil(8)),
        _ => 0,
    }
}

/// Refuses, before anything is allocated, a decode of `header` into a buffer of type `out`
/// that would pass `limits` (output plus scratch), or whose `stored_words` are fewer than
/// any encoding of its dimensions needs (a hostile header claiming billions of points).
///
/// # Errors
/// [`crate::Error::Limits`] or [`FormatErrorKind::PayloadTooShort`].
pub fn check_sizes(
    header: &RecordHeader,
    out: ElementType,
    stored_words: u64,
    limits: &Limits,
) -> Result<()> {
    let len = output_len(header);
    let per_scalar = match out {
        ElementType::C64 | ElementType::C128 => out.size() as u64 / 2,
        _ => out.size() as u64,
    };
    let bytes = len
        .saturating_mul(per_scalar)
        .saturating_add(scratch_bytes(header, out));
    limits.check_alloc(bytes)?;
    let floor = min_words(header);
    if stored_words < floor {
        return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
            needed: floor,
            available: stored_words,
        })
        .into());
    }
    Ok(())
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
    let natural = header.element_type().ok_or_else(|| invalid_datyp(header))?;
    check_sizes(header, natural, words.len() as u64, limits)?;
    decode_to_array(header, natural, |out| {
        decode_into(header, words, out, options)
    })
}

/// A new array of the record's shape and `natural` type, filled by `fill` (the callers
/// checked the sizes against their limits).
pub(crate) fn decode_to_array(
    header: &RecordHeader,
    natural: ElementType,
    fill: impl FnOnce(OutSlice<'_>) -> Result<()>,
) -> Result<Array> {
    let len = output_len(header);
    let len = usize::try_from(len)
        .map_err(|_| LimitsExceeded::new("decoded array elements", len, usize::MAX as u64))?;
    let mut values = Values::try_zeroed(natural, len)?;
    fill(values.as_out())?;
    Ok(shaped(header, values))
}

/// `values` as an array of the record's shape.
pub(crate) fn shaped(header: &RecordHeader, values: Values) -> Array {
    let dim = |d: u32| usize::try_from(d).unwrap_or(usize::MAX);
    Array {
        shape: [dim(header.ni), dim(header.nj), dim(header.nk)],
        values,
    }
}
