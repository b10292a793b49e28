//! datyp 1 ("R"): the old quantiser, a 120-bit header then `nbits` tokens
//! (`compact_p_float`/`compact_u_float`).
//!
//! Spec: `shared/spec/xdf.md` §4.2. A token `t` decodes to the minimum when `t = 0`, else
//! to `(t·2^(E−nbits))·1.0000000000001 + min` in double — librmn's exact expression,
//! factor included, so results match it bit for bit.

mod header;
mod pack;
#[cfg(target_arch = "x86_64")]
mod pack16;
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
#[cfg(test)] // the writer streams the area through `Encoder`
pub(crate) fn encode(values: &[f32], nbits: u32) -> Vec<u32> {
    let e = Encoder::new(std::borrow::Cow::Borrowed(values), nbits, false);
    let mut words = e.to_words();
    words.resize(e.area_words(), 0);
    words
}

/// Values per window of [`Encoder::each_window`]: 2^23 token bits, 1 MiB of packed words.
const WINDOW_BITS: u64 = 1 << 23;

/// A datyp-1 data area packed a window at a time, so a writer never holds the whole
/// packed field: one scan of the extremes gives the header (the area's size follows from
/// the count and width), the tokens are packed when the container asks for them.
#[derive(Debug, Clone)]
pub(crate) struct Encoder<'a> {
    values: std::borrow::Cow<'a, [f32]>,
    nbits: u32,
    head: [u32; 3],
    min: f64,
    scale: f64,
    /// +64: what the missing points (−1e38 or NaN) are packed as.
    plug: Option<f32>,
}

impl<'a> Encoder<'a> {
    /// The encoder of `values` on `nbits` (1..=32, clamped) bits. With `missing` (+64),
    /// points that are −1e38 or NaN are packed as librmn's plug (`fst_float_encode_missing`:
    /// just above the maximum of the other points), plugged on the fly, not copied;
    /// [`Encoder::plugs`] tells whether any was (librmn drops the flag otherwise).
    pub(crate) fn new(values: std::borrow::Cow<'a, [f32]>, nbits: u32, missing: bool) -> Self {
        let nbits = nbits.clamp(1, 32);
        let plugged = if missing {
            super::missing::plugged_range(&values, nbits)
        } else {
            None
        };
        let (min, max, plug) = match plugged {
            Some((plug, lo, hi)) => (lo, hi, Some(plug)),
            None => {
                let (lo, hi) = pack::extremes(&values);
                (lo, hi, None)
            }
        };
        let (min, max) = (f64::from(min), f64::from(max));
        let (head, e) = header::build(values.len(), min, max, nbits);
        // 2^nbits / 2^E, both exact powers of two.
        let scale = header::pow2(nbits as i32) / header::pow2(e);
        Encoder {
            values,
            nbits,
            head,
            min,
            scale,
            plug,
        }
    }

    /// True when missing points were plugged (the record keeps its +64 flag).
    pub(crate) fn plugs(&self) -> bool {
        self.plug.is_some()
    }

    /// Words of the data area as `c_fstecr` sizes it (tokens, then zero slack).
    #[cfg(test)]
    pub(crate) fn area_words(&self) -> usize {
        area_words(self.values.len(), self.nbits)
    }

    /// Words holding the header and the tokens (the rest of the area is zero).
    pub(crate) fn token_words(&self) -> usize {
        (self.values.len() as u64 * u64::from(self.nbits) + HEADER_BITS).div_ceil(32) as usize
    }

    /// Calls `f` with the [`Encoder::token_words`] words, in order, about 1 MiB at a time
    /// (the same words as one packing of the whole field: the token stream carries over).
    ///
    /// # Errors
    /// The first error of `f`.
    pub(crate) fn each_window<E>(
        &self,
        f: impl FnMut(&[u32]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.windows_of(WINDOW_BITS, f)
    }

    /// [`Encoder::each_window`] with windows of about `window_bits` token bits.
    fn windows_of<E>(
        &self,
        window_bits: u64,
        mut f: impl FnMut(&[u32]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let per_window = (window_bits / u64::from(self.nbits)).max(1) as usize;
        let window_words = (window_bits / 32) as usize + 4;
        let mut words = Vec::with_capacity(window_words.min(self.token_words()));
        words.extend_from_slice(&self.head);
        // Word 3 starts with nbits on 24 bits; the tokens follow from bit 120.
        let mut sink = pack::Sink::new(words, u64::from(self.nbits), 24);
        for window in self.values.chunks(per_window) {
            pack::pack_tokens(
                window, &mut sink, self.nbits, self.min, self.scale, self.plug,
            );
            sink.drain(&mut f)?;
        }
        f(&sink.finish())
    }

    /// The [`Encoder::token_words`] in one vector (batch writes pack before the
    /// container asks).
    #[cfg(test)]
    pub(crate) fn to_words(&self) -> Vec<u32> {
        self.to_words_in(Vec::new())
    }

    /// [`Encoder::to_words`] packed straight into `words` (cleared first; a batch hands
    /// back the vectors it has written, so their memory is not faulted in again).
    pub(crate) fn to_words_in(&self, mut words: Vec<u32>) -> Vec<u32> {
        words.clear();
        words.reserve_exact(self.token_words());
        words.extend_from_slice(&self.head);
        // Word 3 starts with nbits on 24 bits; the tokens follow from bit 120.
        let mut sink = pack::Sink::new(words, u64::from(self.nbits), 24);
        pack::pack_tokens(
            &self.values,
            &mut sink,
            self.nbits,
            self.min,
            self.scale,
            self.plug,
        );
        sink.finish()
    }

    /// True when the encoder reads the caller's values (not a converted copy).
    pub(crate) fn borrows_values(&self) -> bool {
        matches!(self.values, std::borrow::Cow::Borrowed(_))
    }
}

/// `2·⌈(n·nbits + 120)/64⌉`: the data area's words.
#[cfg(test)]
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
