//! Decoding a plain packing a window of its data area at a time, so a read holds its
//! output and at most a couple of MiB of packed words, never the whole record's packed
//! words beside the output (issue 18: a read peaks at its output size).
//!
//! Streamed: R (datyp 1), E (5) and the integers (2, 4), with or without missing values
//! (+64), not turbo. Each value of these packings sits at a fixed bit of the area, so a
//! piece of the output needs only the words holding its bits; the whole-area decoders
//! decode the pieces (an R piece gets the area's header words too).

use std::ops::Range;

use super::{check_destination, check_nbits, compact_float, convert, decode_plain, finish};
use crate::array::{Array, OutSlice};
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::record::{BaseType, RecordHeader};
use crate::DecodeOptions;

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
    let needed = (first_bit + n as u64 * u64::from(bits)).div_ceil(32);
    if needed > area_len {
        return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
            needed,
            available: area_len,
        })
        .into());
    }
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
    super::decode_to_array(header, natural, |out| {
        decode_into(header, area, out, options)
    })
}
