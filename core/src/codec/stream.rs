//! Decoding a plain packing a window of its data area at a time, so a read holds its
//! output and at most a couple of MiB of packed words, never the whole record's packed
//! words beside the output (issue 18: a read peaks at its output size).
//!
//! Streamed: R (datyp 1), E (5) and the integers (2, 4), with or without missing values
//! (+64), not turbo. Each value of these packings sits at a fixed bit of the area, so a
//! piece of the output needs only the words holding its bits; the whole-area decoders
//! decode the pieces (an R piece gets the area's header words too).

use std::ops::Range;

use super::swap::Swap;
use super::{check_destination, check_nbits, compact_float, convert, decode_plain, finish};
use crate::array::{Array, OutSlice, Values};
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::record::{BaseType, ElementType, RecordHeader};
use crate::{DecodeOptions, LimitsExceeded, Unsupported};

/// Values per piece: a multiple of 32, so the pieces of an E or integer stream start on
/// word boundaries; at most 2 MiB of packed words (64-bit values).
const PIECE: usize = 1 << 18;

/// The words of a record's data area, handed out a window at a time.
pub(crate) trait AreaWords {
    /// Number of words in the area.
    fn len(&self) -> u64;
    /// Words `range` of the area (within `0..len()`).
    ///
    /// # Errors
    /// I/O errors, or a format error when the file is shorter than the area.
    fn words(&mut self, range: Range<u64>) -> Result<&[u32]>;
    /// True when the stored words are big-endian (XDF), false for little-endian (RSF).
    fn big_endian(&self) -> bool;
    /// True when [`AreaWords::stored`] lends the file's own bytes (mapped or in memory).
    fn in_memory(&self) -> bool;
    /// The stored bytes of words `range` (within `0..len()`), byte order untouched: the
    /// file's own bytes when it is in memory, else read into the window.
    ///
    /// # Errors
    /// As [`AreaWords::words`].
    fn stored(&mut self, range: Range<u64>) -> Result<&[u8]>;
    /// Reads the stored bytes of the words from `first` (within the area) into `dest`, a
    /// whole number of words, byte order untouched.
    ///
    /// # Errors
    /// As [`AreaWords::words`].
    fn read_stored(&mut self, first: u64, dest: &mut [u8]) -> Result<()>;
}

/// True when records of `header` decode a window at a time.
pub(crate) fn streamable(header: &RecordHeader) -> bool {
    !header.datyp.is_turbo()
        && matches!(
            header.datyp.base(),
            Some(BaseType::Real | BaseType::Ieee | BaseType::Unsigned | BaseType::Signed)
        )
}

/// [`super::decode_into`] reading the area through `area`: same checks, same errors,
/// same values.
///
/// # Errors
/// As [`super::decode_into`], plus those of `area`.
pub(crate) fn decode_into(
    header: &RecordHeader,
    area: &mut dyn AreaWords,
    mut out: OutSlice<'_>,
    options: &DecodeOptions,
) -> Result<()> {
    let area_len = area.len();
    let (base, _) = check_destination(header, &out, area_len)?;
    check_nbits(header, base)?;
    let n = out.scalar_len();
    if let Some(swap) = Swap::of(header, out.element_type(), area.big_endian()) {
        check_area(n as u64 * swap.words_per_value(), area_len)?;
        swap_into(swap, area, convert::reborrow(&mut out))?;
        return finish(header, out, options);
    }
    // An R area starts with its header: 120 bits, the token width in the last 8 of them.
    let (head, first_bit, bits) = if base == BaseType::Real {
        let words = area.words(0..area_len.min(4))?;
        let bits = compact_float::piece_bits(words)?;
        let mut head = [0u32; 4];
        head.copy_from_slice(&words[..4]);
        (Some(head), 120u64, bits)
    } else {
        (None, 0, u32::from(header.nbits))
    };
    check_area(
        (first_bit + n as u64 * u64::from(bits)).div_ceil(32),
        area_len,
    )?;
    let mut start = 0;
    while start < n {
        let end = (start + PIECE).min(n);
        let bit0 = first_bit + start as u64 * u64::from(bits);
        let bit1 = first_bit + end as u64 * u64::from(bits);
        let first_word = bit0 / 32;
        let words = area.words(first_word..bit1.div_ceil(32))?;
        let piece = convert::piece(&mut out, start..end);
        match &head {
            Some(head) => compact_float::decode_piece(head, words, bit0 - 32 * first_word, piece)?,
            None => decode_plain(header, base, words, piece)?,
        }
        start = end;
    }
    finish(header, out, options)
}

/// The error of an area shorter than the `needed` words.
fn check_area(needed: u64, area_len: u64) -> Result<()> {
    if needed > area_len {
        return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
            needed,
            available: area_len,
        })
        .into());
    }
    Ok(())
}

/// A whole-word record into `out`, a cache-sized piece at a time: from a file in memory,
/// converted from its bytes; otherwise read straight into `out` and fixed there while the
/// piece is still in cache.
fn swap_into(swap: Swap, area: &mut dyn AreaWords, mut out: OutSlice<'_>) -> Result<()> {
    let n = out.scalar_len();
    let per = swap.words_per_value();
    let mut start = 0;
    while start < n {
        let end = (start + SWAP_PIECE).min(n);
        let words = start as u64 * per..end as u64 * per;
        let mut piece = convert::piece(&mut out, start..end);
        if area.in_memory() {
            swap.convert(area.stored(words)?, piece);
        } else {
            area.read_stored(words.start, Swap::bytes_of(&mut piece))?;
            swap.fix_in_place(piece);
        }
        start = end;
    }
    Ok(())
}

/// Values per piece of [`swap_into`] and [`swap_new`]: 256 KiB of 32-bit values, half a
/// core's L2 here.
const SWAP_PIECE: usize = 1 << 16;

/// A whole-word record as a new vector: each piece's stored bytes (the file's own, or read
/// into the window) are converted and appended, so the output is written once (no zero
/// fill first).
fn swap_new<T: bytemuck::Pod + Default>(
    swap: Swap,
    area: &mut dyn AreaWords,
    n: usize,
) -> Result<Vec<T>> {
    let mut values = crate::limits::try_with_capacity(n, "decoded array")?;
    let per = swap.words_per_value();
    let mut start = 0;
    while start < n {
        let end = (start + SWAP_PIECE).min(n);
        swap.extend(
            area.stored(start as u64 * per..end as u64 * per)?,
            &mut values,
        );
        start = end;
    }
    Ok(values)
}

/// [`super::decode`] reading the area through `area` (the caller checked the limits).
///
/// # Errors
/// As [`decode_into`].
pub(crate) fn decode(
    header: &RecordHeader,
    area: &mut dyn AreaWords,
    options: &DecodeOptions,
) -> Result<Array> {
    let natural = header
        .element_type()
        .ok_or_else(|| super::invalid_datyp(header))?;
    if let Some(swap) = Swap::of(header, natural, area.big_endian()) {
        let len = super::output_len(header);
        let n = usize::try_from(len)
            .map_err(|_| LimitsExceeded::new("decoded array elements", len, usize::MAX as u64))?;
        check_area(len.saturating_mul(swap.words_per_value()), area.len())?;
        let mut values = match natural {
            ElementType::F32 => Values::F32(swap_new(swap, area, n)?),
            ElementType::U32 => Values::U32(swap_new(swap, area, n)?),
            ElementType::I32 => Values::I32(swap_new(swap, area, n)?),
            ElementType::F64 => Values::F64(swap_new(swap, area, n)?),
            ElementType::U64 => Values::U64(swap_new(swap, area, n)?),
            ElementType::I64 => Values::I64(swap_new(swap, area, n)?),
            _ => {
                return Err(Unsupported::Other("internal: no byte-order path for this type").into())
            }
        };
        finish(header, values.as_out(), options)?;
        return Ok(super::shaped(header, values));
    }
    super::decode_to_array(header, natural, |out| {
        decode_into(header, area, out, options)
    })
}
