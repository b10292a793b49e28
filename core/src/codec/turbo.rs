//! +128 "turbo" compression (`armn_compress`, `armn_compress32`): datyp 129, 130, 133, 134.
//!
//! Every turbo data area starts with word 0 = `D` (its length in words); then
//! 129 = R header + compressed 16-bit tokens, 130 = compressed tokens, 134 = F header +
//! compressed tokens, 133 = the `armn_compress32` stream.
//! Spec: `shared/spec/xdf.md` §4.11; librmn `src/compresseur/`.

mod armn16;
mod armn32;
mod bitstream;
mod f134;
mod in_place;
mod minimum;
mod parallelogram;
mod r129;
mod rle;
mod u130;
mod zip_header;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod round_trip_tests;

use crate::array::OutSlice;
use crate::error::{Error, FormatError, FormatErrorKind, Result, UsageError};
use crate::record::RecordHeader;

/// A format error for an inconsistent turbo stream.
fn corrupt(what: &'static str) -> Error {
    FormatError::new(FormatErrorKind::CorruptPayload { what }).into()
}

/// A format error for a stream shorter than it needs to be.
fn too_short(needed: u64, available: u64) -> Error {
    FormatError::new(FormatErrorKind::PayloadTooShort { needed, available }).into()
}

/// A usage error for an output buffer of the wrong element type.
fn wrong_output(natural: &'static str, out: &OutSlice<'_>) -> Error {
    UsageError::ElementType {
        natural,
        requested: out.element_type().name(),
    }
    .into()
}

/// Decodes a turbo record (`datyp & 128` set; the +64 flag is handled by the caller) into
/// `out`, which has the record's natural element type and exactly `ni·nj·nk` slots.
///
/// # Errors
/// Format errors for streams that are short or inconsistent; unsupported for turbo types
/// librmn never writes.
pub(crate) fn decode_into(header: &RecordHeader, words: &[u32], out: OutSlice<'_>) -> Result<()> {
    let datyp = header.datyp.raw() & !64;
    if !matches!(datyp, 129 | 130 | 133 | 134) {
        return Err(crate::Unsupported::Datyp {
            datyp: header.datyp.raw(),
            nbits: header.nbits,
        }
        .into());
    }
    let n = header.num_values();
    if out.scalar_len() as u64 != n {
        return Err(UsageError::BufferLength {
            needed: usize::try_from(n).unwrap_or(usize::MAX),
            got: out.scalar_len(),
        }
        .into());
    }
    // librmn never writes turbo with nk > 1 (it turns such requests into datyp 0).
    if header.nk != 1 {
        return Err(corrupt("turbo record with nk > 1"));
    }
    let (ni, nj) = (header.ni as usize, header.nj as usize);
    let area = data_area(words)?;
    // Every stream is decoded into the caller's memory (one 32-bit slot per point, widened
    // in place), so a decode peaks at its output size plus the packed bytes.
    match datyp {
        129 => decode_129(area, ni, nj, out),
        130 => {
            let stream = &area[1..];
            let decode = |t: &mut [u32]| armn16::decompress(stream, ni, nj, t);
            match out {
                OutSlice::U32(o) => decode(o),
                OutSlice::U64(o) => in_place::decode_widen(o, decode, u64::from),
                OutSlice::U16(o) => in_place::decode_narrow(o, decode, |t| t as u16),
                // Narrow buffers only arise when the writer's data was 8 bits wide (tokens
                // < 256, or librmn's sign-extended bytes, which this cast turns back).
                OutSlice::U8(o) => in_place::decode_narrow(o, decode, |t| t as u8),
                other => Err(wrong_output("U32", &other)),
            }
        }
        133 => {
            let stream = &area[1..];
            let decode = |b: &mut [u32]| armn32::decompress(stream, ni, nj, b);
            match out {
                OutSlice::F32(o) => in_place::decode_widen(o, decode, f32::from_bits),
                OutSlice::F64(o) => {
                    in_place::decode_widen(o, decode, |b| f64::from(f32::from_bits(b)))
                }
                other => Err(wrong_output("F32", &other)),
            }
        }
        _ => decode_134(area, ni, nj, out),
    }
}

/// The words of the data area that belong to the stream: word 0 holds their count `D`
/// (RSF 129 records store `D − 1`, still within the area).
fn data_area(words: &[u32]) -> Result<&[u32]> {
    let Some(&d) = words.first() else {
        return Err(too_short(1, 0));
    };
    let d = d as usize;
    if d < 2 {
        return Err(corrupt("turbo length word below 2"));
    }
    words
        .get(..d)
        .ok_or_else(|| too_short(d as u64, words.len() as u64))
}

fn decode_129(area: &[u32], ni: usize, nj: usize, out: OutSlice<'_>) -> Result<()> {
    let header_end = 1 + r129::HEADER_WORDS;
    let h = r129::RHeader::parse(area.get(1..header_end).unwrap_or(&[]))?;
    check_count(h.count, ni, nj, "129 header count differs from ni·nj")?;
    let decode = |t: &mut [u32]| armn16::decompress(&area[header_end..], ni, nj, t);
    match out {
        // `move`: the header's copy lives in the loop's registers, not behind a pointer the
        // output stores might alias.
        OutSlice::F32(o) => in_place::decode_widen(o, decode, move |t| h.value(t as u16) as f32),
        OutSlice::F64(o) => in_place::decode_widen(o, decode, move |t| h.value(t as u16)),
        other => Err(wrong_output("F32", &other)),
    }
}

fn decode_134(area: &[u32], ni: usize, nj: usize, out: OutSlice<'_>) -> Result<()> {
    let header_end = 1 + f134::HEADER_WORDS;
    let h = f134::FHeader::parse(area.get(1..header_end).unwrap_or(&[]))?;
    check_count(h.count, ni, nj, "134 header count differs from ni·nj")?;
    let decode = |t: &mut [u32]| armn16::decompress(&area[header_end..], ni, nj, t);
    // librmn unpacks F to float only; doubles are widened afterwards.
    match out {
        OutSlice::F32(o) => in_place::decode_widen(o, decode, move |t| h.value(t as u16)),
        OutSlice::F64(o) => {
            in_place::decode_widen(o, decode, move |t| f64::from(h.value(t as u16)))
        }
        other => Err(wrong_output("F32", &other)),
    }
}

/// The count a 129/134 header claims must be `ni·nj` (else `mismatch` is the error).
fn check_count(count: u32, ni: usize, nj: usize, mismatch: &'static str) -> Result<()> {
    if count as usize != ni * nj {
        return Err(corrupt(mismatch));
    }
    Ok(())
}

/// Checks the writer's arguments and returns `ni·nj`.
fn grid_len(len: usize, ni: u32, nj: u32) -> Result<usize> {
    let n = (ni as usize)
        .checked_mul(nj as usize)
        .filter(|&n| n == len && n > 0)
        .ok_or_else(|| UsageError::InvalidArgument(format!("{len} values for a {ni}×{nj} grid")))?;
    Ok(n)
}

/// Assembles a data area: `D`, `header`, `stream`, zero slack up to `D` words where
/// `D = 2·⌈(prefix_bytes + reported)/8⌉` as librmn computes it.
fn assemble(header: &[u32], stream: &[u32], prefix_bytes: usize, reported: usize) -> Vec<u32> {
    let d = 2 * (prefix_bytes + reported).div_ceil(8);
    let mut area = Vec::with_capacity(d);
    area.push(d as u32);
    area.extend_from_slice(header);
    area.extend_from_slice(stream);
    area.resize(d.max(area.len()), 0);
    area
}

/// Encodes a 129 (R + turbo) data area as librmn writes it, for an `ni × nj` field.
///
/// All four encoders return the XDF data area: word 0 = `D` = the area's length, the
/// stream, zero slack (librmn leaves stale bytes there). librmn's RSF writer stores the same
/// words, except that for 129 it reserves one extra word after them (word 0 unchanged).
///
/// `Ok(None)` where librmn would store plain R instead (nbits > 16, a 1-wide grid, or no
/// gain); the caller then writes datyp 1.
///
/// # Errors
/// Usage error when `values.len() ≠ ni·nj` or nbits is 0.
pub(crate) fn encode_129(values: &[f32], nbits: u8, ni: u32, nj: u32) -> Result<Option<Vec<u32>>> {
    let n = grid_len(values.len(), ni, nj)?;
    let nbits = u32::from(nbits);
    if nbits == 0 || n >= 1 << 28 {
        return Err(
            UsageError::InvalidArgument(format!("129 with {nbits} bits and {n} values")).into(),
        );
    }
    if nbits > 16 {
        return Ok(None);
    }
    let (header, tokens) = r129::quantise(values, nbits);
    // librmn compresses the 16-bit slots with the record's nbits (tokens are < 2^nbits).
    Ok(armn16::compress(&tokens, ni as usize, nj as usize, nbits)
        .map(|s| assemble(&header, &s, 16, armn16::reported_bytes(s.len()))))
}

/// Encodes a 130 (unsigned + turbo) data area; values are masked to `nbits` (≤ 16).
///
/// `Ok(None)` where librmn would store plain datyp 2 instead.
///
/// # Errors
/// Usage error when `values.len() ≠ ni·nj` or nbits is 0.
pub(crate) fn encode_130(values: &[u32], nbits: u8, ni: u32, nj: u32) -> Result<Option<Vec<u32>>> {
    grid_len(values.len(), ni, nj)?;
    let nbits = u32::from(nbits);
    if nbits == 0 {
        return Err(UsageError::InvalidArgument("130 with 0 bits".into()).into());
    }
    if nbits > 16 {
        return Ok(None);
    }
    let tokens = u130::tokens(values, nbits);
    Ok(armn16::compress(&tokens, ni as usize, nj as usize, nbits)
        .map(|s| assemble(&[], &s, 4, armn16::reported_bytes(s.len()))))
}

/// Encodes a 133 (IEEE + turbo) data area keeping `nbits` (16..=32) bits per value.
///
/// `Ok(None)` where librmn would store plain E instead (ni or nj below 16, no gain).
///
/// # Errors
/// Usage error when `values.len() ≠ ni·nj` or nbits is outside 16..=32.
pub(crate) fn encode_133(values: &[f32], nbits: u8, ni: u32, nj: u32) -> Result<Option<Vec<u32>>> {
    grid_len(values.len(), ni, nj)?;
    if !(16..=32).contains(&nbits) {
        return Err(UsageError::InvalidArgument(format!("133 with {nbits} bits")).into());
    }
    Ok(
        armn32::compress(values, ni as usize, nj as usize, u32::from(nbits))
            .map(|s| assemble(&[], &s, 16, 4 * s.len())),
    )
}

/// Encodes a 134 (F + turbo) data area with `nbits` (1..=16) token bits.
///
/// `Ok(None)` where librmn would store plain F instead.
///
/// # Errors
/// Usage error when `values.len() ≠ ni·nj` or nbits is outside 1..=16.
pub(crate) fn encode_134(values: &[f32], nbits: u8, ni: u32, nj: u32) -> Result<Option<Vec<u32>>> {
    grid_len(values.len(), ni, nj)?;
    if !(1..=16).contains(&nbits) {
        return Err(UsageError::InvalidArgument(format!("134 with {nbits} bits")).into());
    }
    let (header, tokens) = f134::quantise(values, u32::from(nbits));
    Ok(
        armn16::compress(&tokens, ni as usize, nj as usize, u32::from(nbits))
            .map(|s| assemble(&header, &s, 28, armn16::reported_bytes(s.len()))),
    )
}
