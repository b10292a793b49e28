//! datyp 1 ("R"): the old quantiser, a 120-bit header then `nbits` tokens
//! (`compact_p_float`/`compact_u_float`).
//!
//! Spec: `shared/spec/xdf.md` §4.2. A token `t` decodes to the minimum when `t = 0`, else
//! to `(t·2^(E−nbits))·1.0000000000001 + min` in double — librmn's exact expression,
//! factor included, so results match it bit for bit.

mod header;
mod pack;
mod tokens;

use self::header::{Header, HEADER_BITS};
use crate::error::Result;

/// librmn's decoder nudges every non-zero token up by this factor (against truncation
/// on re-packing); keeping it is what makes our values identical to librmn's.
const NUDGE: f64 = 1.000_000_000_000_1;

/// Decodes a datyp-1 data area into `out` (`out.len()` = ni·nj·nk values).
///
/// The token width comes from the data header, as in librmn; `nbits` (the entry's) is
/// not needed. Unlike librmn, 1-bit records decode (librmn refuses them, §4.2).
///
/// # Errors
/// Format errors when the area is short or its header inconsistent.
pub(crate) fn decode_f32(words: &[u32], nbits: u8, out: &mut [f32]) -> Result<()> {
    let _ = nbits;
    let h = prepare(words, out.len())?;
    unpack_f32(&h, words, HEADER_BITS, out);
    Ok(())
}

/// As [`decode_f32`], keeping double precision (librmn's `compact_u_double`).
///
/// # Errors
/// As [`decode_f32`].
pub(crate) fn decode_f64(words: &[u32], nbits: u8, out: &mut [f64]) -> Result<()> {
    let _ = nbits;
    let h = prepare(words, out.len())?;
    unpack_f64(&h, words, HEADER_BITS, out);
    Ok(())
}

/// Token width of the area whose first four words are `head` (for streamed reads).
///
/// # Errors
/// As [`decode_f32`] for a bad header.
pub(crate) fn piece_bits(head: &[u32]) -> Result<u32> {
    Ok(Header::parse(head)?.token_bits)
}

/// Decodes `out.len()` tokens starting at bit `start_bit` of `words`, a window of the
/// area whose first four words are `head`: a piece of [`decode_f32`] / [`decode_f64`]
/// (the caller checked the window holds them).
///
/// # Errors
/// As [`decode_f32`] for a bad header; an internal error for an integer `out`.
pub(crate) fn decode_piece(
    head: &[u32],
    words: &[u32],
    start_bit: u64,
    out: crate::array::OutSlice<'_>,
) -> Result<()> {
    use crate::array::OutSlice;
    let h = Header::parse(head)?;
    match out {
        OutSlice::F32(o) => unpack_f32(&h, words, start_bit, o),
        OutSlice::F64(o) => unpack_f64(&h, words, start_bit, o),
        _ => return Err(crate::Unsupported::Other("internal: datyp 1 decodes to reals").into()),
    }
    Ok(())
}

fn unpack_f32(h: &Header, words: &[u32], start_bit: u64, out: &mut [f32]) {
    let (step, min) = (h.step, h.min);
    let min32 = min as f32;
    tokens::unpack(words, start_bit, h.token_bits, out, |t| {
        let v = (f64::from(t) * step * NUDGE + min) as f32;
        if t == 0 {
            min32
        } else {
            v
        }
    });
}

fn unpack_f64(h: &Header, words: &[u32], start_bit: u64, out: &mut [f64]) {
    let (step, min) = (h.step, h.min);
    tokens::unpack(words, start_bit, h.token_bits, out, |t| {
        let v = f64::from(t) * step * NUDGE + min;
        if t == 0 {
            min
        } else {
            v
        }
    });
}

/// Parses the header and checks the area holds `count` tokens. The header's 20-bit count
/// is not checked: librmn ignores it (it wraps for fields above 2^20 points).
fn prepare(words: &[u32], count: usize) -> Result<Header> {
    let h = Header::parse(words)?;
    tokens::check_len(words, HEADER_BITS, h.token_bits, count)?;
    Ok(h)
}

/// Packs `values` as datyp 1 with `nbits` (1..=32, clamped) bits per token, the way
/// `compact_p_float` does, and returns the whole data area: `2·⌈(n·nbits + 120)/64⌉` words
/// with zero slack, as `c_fstecr` sizes it.
///
/// Values must be finite (librmn aborts on larger than ~1e38); NaN or infinite inputs give
/// a well-formed area with meaningless values. librmn 20 packs a double field by
/// converting it to float first and calling this; see [`encode_f64`] for librmn 019.
pub(crate) fn encode(values: &[f32], nbits: u32) -> Vec<u32> {
    let nbits = nbits.clamp(1, 32);
    let (min, max) = pack::extremes(values);
    let (min, max) = (f64::from(min), f64::from(max));
    let (head, e) = header::build(values.len(), min, max, nbits);
    // 2^nbits / 2^E, both exact powers of two.
    let scale = header::pow2(nbits as i32) / header::pow2(e);
    let total = area_words(values.len(), nbits);
    let mut words = Vec::with_capacity(total);
    words.extend_from_slice(&head);
    // Word 3 starts with nbits on 24 bits; the tokens follow from bit 120.
    let mut sink = pack::Sink::new(words, u64::from(nbits), 24);
    pack::pack_tokens(values, &mut sink, nbits, min, scale);
    let mut words = sink.finish();
    // Zero slack to the area's size.
    words.resize(total, 0);
    words
}

/// `2·⌈(n·nbits + 120)/64⌉`: the data area's words.
fn area_words(count: usize, nbits: u32) -> usize {
    ((count as u64 * u64::from(nbits) + HEADER_BITS).div_ceil(64) * 2) as usize
}

/// Packs a double field directly (`compact_p_double`, what librmn 019 does with 64-bit
/// input): the minimum is truncated to 24 significant bits from the double and tokens are
/// computed from the doubles. Same layout and limits as [`encode`].
#[cfg(test)] // librmn 019's double path: the corpus checks it; the writer packs as librmn 20
pub(crate) fn encode_f64(values: &[f64], nbits: u32) -> Vec<u32> {
    reference_encode(values.len(), || values.iter().copied(), nbits)
}

/// The packer written plainly, over the values as doubles (`values` is walked twice):
/// librmn 019's double packer, and the model [`encode`] is checked against.
#[cfg(test)]
fn reference_encode<I: Iterator<Item = f64>>(
    count: usize,
    values: impl Fn() -> I,
    nbits: u32,
) -> Vec<u32> {
    use crate::codec::bits::BitWriter;
    let nbits = nbits.clamp(1, 32);
    let mut all = values();
    let first = all.next().unwrap_or(0.0);
    let (mut min, mut max) = (first, first);
    for v in all {
        if v < min {
            min = v;
        } else if v > max {
            max = v;
        }
    }
    let (head, e) = header::build(count, min, max, nbits);
    let scale = header::pow2(nbits as i32) / header::pow2(e);
    let mut w = BitWriter::new();
    for word in head {
        w.write(word, 32);
    }
    w.write(nbits, 24);
    for v in values() {
        // Truncation toward zero, like librmn's (int64_t) cast; `as` saturates NaN to 0.
        let t = ((v - min) * scale) as i64 as u32;
        w.write(t, nbits);
    }
    let mut words = w.finish();
    words.resize(area_words(count, nbits), 0);
    words
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod corpus_tests;
