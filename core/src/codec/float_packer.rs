//! datyp 6 ("F"): the new quantiser (`c_float_packer`), 3 header words then 16-bit slots.
//!
//! Spec: `shared/spec/xdf.md` §4.7. Values are mantissas aligned to the field's largest
//! exponent, offset by the minimum mantissa and shifted right by `Shift2`; every token
//! sits in a 16-bit slot whatever `nbits` (≤ 16) is, two slots per word.

mod mantissa;

use self::mantissa::{aligned_mantissa, unpack_one};
use crate::error::{FormatError, FormatErrorKind, Result};

/// Marker in bits 31..20 of header word 0.
const MARKER: u32 = 0xEFF;
/// Header words before the token slots.
const HEADER_WORDS: usize = 3;

/// Decodes a datyp-6 data area into `out` (`out.len()` = ni·nj·nk values).
///
/// # Errors
/// Format errors when the area is short or its header inconsistent (marker, count, or a
/// shift no writer can produce).
pub(crate) fn decode_f32(words: &[u32], nbits: u8, out: &mut [f32]) -> Result<()> {
    let _ = nbits;
    decode_with(words, out, |v| v)
}

/// As [`decode_f32`], widened to double after unpacking (librmn unpacks F to float only).
///
/// # Errors
/// As [`decode_f32`].
pub(crate) fn decode_f64(words: &[u32], nbits: u8, out: &mut [f64]) -> Result<()> {
    let _ = nbits;
    decode_with(words, out, f64::from)
}

/// Decodes into `out`, converting each float with `widen`.
#[inline]
fn decode_with<T: Default + Copy>(
    words: &[u32],
    out: &mut [T],
    widen: impl Fn(f32) -> T,
) -> Result<()> {
    let Some((head, slots)) = split(words, out.len())? else {
        out.fill(T::default());
        return Ok(());
    };
    let mut pairs = out.chunks_exact_mut(2);
    for (pair, &w) in (&mut pairs).zip(slots) {
        pair[0] = widen(unpack_one(&head, w >> 16));
        pair[1] = widen(unpack_one(&head, w & 0xFFFF));
    }
    if let [last] = pairs.into_remainder() {
        // `split` returned ⌈n/2⌉ slot words: the odd last value is in the top half of the
        // last one.
        *last = widen(unpack_one(&head, slots.last().map_or(0, |w| w >> 16)));
    }
    Ok(())
}

/// Decoding parameters from the header.
#[derive(Debug, Clone, Copy)]
struct Head {
    /// Biased float exponent every value is aligned to.
    max_exp: u32,
    /// Right shift applied to (mantissa − minimum) at packing.
    shift2: u32,
    /// Minimum aligned mantissa (signed).
    minimum: i32,
}

/// Validates the header against `count` values and splits off the token words. `None`
/// when `MaxExp` is 0 (librmn then returns zeros without looking at the tokens).
fn split(words: &[u32], count: usize) -> Result<Option<(Head, &[u32])>> {
    let slot_words = count.div_ceil(2);
    let needed = HEADER_WORDS as u64 + slot_words as u64;
    let short = || {
        FormatError::new(FormatErrorKind::PayloadTooShort {
            needed,
            available: words.len() as u64,
        })
    };
    let [w0, w1, w2] = *words.get(..HEADER_WORDS).ok_or_else(short)? else {
        return Err(short().into());
    };
    if w0 >> 20 != MARKER {
        return Err(FormatError::new(FormatErrorKind::Mismatch {
            what: "datyp 6 header marker",
            expected: u64::from(MARKER),
            found: u64::from(w0 >> 20),
        })
        .into());
    }
    if u64::from(w2) != count as u64 {
        return Err(FormatError::new(FormatErrorKind::Mismatch {
            what: "datyp 6 value count",
            expected: count as u64,
            found: u64::from(w2),
        })
        .into());
    }
    let head = Head {
        max_exp: (w0 >> 8) & 0xFF,
        shift2: w0 & 0xFF,
        minimum: w1 as i32,
    };
    if head.max_exp == 0 {
        return Ok(None);
    }
    // The aligned mantissa range is below 2^25, so a packer never shifts by more than 25;
    // a larger shift would be undefined in librmn's C.
    if head.shift2 > 31 {
        return Err(FormatError::new(FormatErrorKind::InvalidValue {
            what: "datyp 6 shift",
            value: u64::from(head.shift2),
        })
        .into());
    }
    let slots = words
        .get(HEADER_WORDS..HEADER_WORDS + slot_words)
        .ok_or_else(short)?;
    Ok(Some((head, slots)))
}

/// Packs `values` as datyp 6 with `nbits` (1..=16, clamped) bits per token, the way
/// `c_float_packer` does, and returns the whole data area: 3 header words, one word per
/// two tokens, zero slack up to `2·⌈(12 + 4·⌈n/2⌉)/8⌉` words as `c_fstecr` sizes it.
///
/// Integer arithmetic on the float bit patterns throughout, as in librmn, so finite
/// inputs (subnormals included) give librmn's exact words; NaN inputs give a well-formed
/// area (librmn's shifts are undefined for them).
pub(crate) fn encode(values: &[f32], nbits: u32) -> Vec<u32> {
    let nbits = nbits.clamp(1, 16);
    let (mut fmin, mut fmax) = match values.first() {
        Some(&v) => (v, v),
        None => (0.0, 0.0),
    };
    for &v in values {
        // librmn's ternaries: a NaN never replaces the current extreme.
        fmin = if fmin > v { v } else { fmin };
        fmax = if fmax < v { v } else { fmax };
    }
    let exp = |x: f32| ((x.to_bits() >> 23) & 0xFF) as i32;
    let max_exp = exp(fmax).max(exp(fmin));
    // An extreme with exponent 0 counts as a zero mantissa.
    let extreme = |x: f32| {
        if exp(x) < 1 {
            0
        } else {
            aligned_mantissa(x, max_exp)
        }
    };
    let minimum = extreme(fmin);
    let mut range = extreme(fmax).wrapping_sub(minimum);
    let mask = !(-1i32 << nbits);
    let mut shift2 = 0u32;
    let mut round = 1i32;
    while range > mask {
        range >>= 1;
        round = round.wrapping_shl(1);
        shift2 += 1;
    }
    round >>= 1;

    let slot_words = values.len().div_ceil(2);
    let total = (12 + 4 * slot_words).div_ceil(8) * 2;
    let mut words = Vec::with_capacity(total.max(HEADER_WORDS + slot_words));
    words.push(MARKER << 20 | (nbits - 1) << 16 | (max_exp as u32 & 0xFF) << 8 | shift2 & 0xFF);
    words.push(minimum as u32);
    words.push(values.len() as u32);
    // librmn ORs each token into a shifted accumulator, so a negative token (possible only
    // with a subnormal negative minimum) spills into its neighbour; do the same.
    let mut accu = 0i32;
    for (i, &v) in values.iter().enumerate() {
        let mut t = aligned_mantissa(v, max_exp)
            .wrapping_sub(minimum)
            .wrapping_add(round)
            >> shift2;
        if t > mask {
            t = mask;
        }
        accu = accu.wrapping_shl(16) | t;
        if i % 2 == 1 {
            words.push(accu as u32);
        }
    }
    if values.len() % 2 == 1 {
        words.push(accu.wrapping_shl(16) as u32);
    }
    words.resize(words.len().max(total), 0);
    words
}

#[cfg(test)]
mod tests;
