//! The datyp-1 packer's hot loops, written so the compiler vectorises them (safe code,
//! no intrinsics): the extreme scan runs on independent lanes; tokens are computed a
//! block at a time into a stack array; 8- and 16-bit tokens are gathered into whole
//! 32-bit groups and shifted into place with a two-word window instead of a per-token
//! bit writer; the area is appended to a reserved vector (not zero-filled first). The result is bit for bit the reference packer's (`tests` check it for
//! every width on arbitrary floats, NaN and infinities included).

use crate::codec::missing::is_missing;
use crate::codec::simd::vectorized;

/// Values per block of tokens.
pub(super) const BLOCK: usize = 512;

/// Independent lanes of the extreme scan (a vector register or two of floats).
const LANES: usize = 16;

/// The field's smallest and largest value as librmn's scan finds them: a NaN never
/// replaces an extreme (a NaN first value stays both). On equal values the lanes may keep
/// a different zero sign than a sequential scan; the packed words do not depend on it.
pub(super) fn extremes(values: &[f32]) -> (f32, f32) {
    vectorized(
        #[inline(always)]
        || extremes_in_lanes(values),
    )
}

/// [`extremes`], inlined into the vector build pulp picks.
#[inline(always)]
fn extremes_in_lanes(values: &[f32]) -> (f32, f32) {
    let Some(&first) = values.first() else {
        return (0.0, 0.0);
    };
    let (mut lo, mut hi) = ([first; LANES], [first; LANES]);
    let mut chunks = values.chunks_exact(LANES);
    for c in &mut chunks {
        for k in 0..LANES {
            lo[k] = if c[k] < lo[k] { c[k] } else { lo[k] };
            hi[k] = if c[k] > hi[k] { c[k] } else { hi[k] };
        }
    }
    let (mut min, mut max) = (first, first);
    for &v in lo.iter().chain(chunks.remainder()) {
        min = if v < min { v } else { min };
    }
    for &v in hi.iter().chain(chunks.remainder()) {
        max = if v > max { v } else { max };
    }
    (min, max)
}

/// An MSB-first token stream appended to a word vector (reserved by the caller, so it
/// never reallocates and no word is zero-filled before it is written).
pub(super) struct Sink {
    words: Vec<u32>,
    /// Bits not yet written, in the low `pending` bits (higher bits are stale).
    acc: u64,
    pending: u32,
}

impl Sink {
    /// A stream continuing `words` with `pending` bits of `acc` already in it.
    pub(super) fn new(words: Vec<u32>, acc: u64, pending: u32) -> Self {
        debug_assert!(pending < 32);
        Sink {
            words,
            acc,
            pending,
        }
    }

    /// Appends the `nbits` (1..=32) low bits of `token` (higher bits must be zero).
    #[inline(always)]
    fn put(&mut self, token: u32, nbits: u32) {
        self.acc = self.acc << nbits | u64::from(token);
        self.pending += nbits;
        if self.pending >= 32 {
            self.pending -= 32;
            self.words.push((self.acc >> self.pending) as u32);
        }
    }

    /// Appends tokens of `NBITS` bits, a divisor of 32: every `32 / NBITS` tokens make
    /// one 32-bit group, and each output word is a window over two consecutive groups.
    #[inline(always)]
    pub(super) fn put_grouped<const NBITS: u32>(&mut self, tokens: &[u32]) {
        let per_word = (32 / NBITS) as usize;
        let mut groups = [0u32; BLOCK];
        let whole = tokens.chunks_exact(per_word);
        let rest = whole.remainder();
        let n = whole.len();
        for (g, c) in groups.iter_mut().zip(whole) {
            *g = c.iter().fold(0, |g, &t| g << NBITS | t);
        }
        self.put_groups(&groups[..n]);
        for &t in rest {
            self.put(t, NBITS);
        }
    }

    /// Appends whole 32-bit groups of tokens: each output word is a window over two
    /// consecutive groups (the stream is `pending` bits ahead of the word boundary).
    #[inline(always)]
    pub(super) fn put_groups(&mut self, groups: &[u32]) {
        let (Some(&first), Some(&last)) = (groups.first(), groups.last()) else {
            return;
        };
        let shift = self.pending;
        if shift == 0 {
            self.words.extend_from_slice(groups);
        } else {
            // 32-bit lanes (not a 64-bit window): twice the values per vector.
            let keep = 32 - shift;
            self.words.push((self.acc as u32) << keep | first >> shift);
            self.words.extend(
                groups
                    .iter()
                    .zip(&groups[1..])
                    .map(|(&hi, &lo)| hi << keep | lo >> shift),
            );
        }
        self.acc = u64::from(last);
    }

    /// Hands the complete words so far to `f` and forgets them (pending bits stay).
    pub(super) fn drain<E>(
        &mut self,
        f: &mut impl FnMut(&[u32]) -> Result<(), E>,
    ) -> Result<(), E> {
        f(&self.words)?;
        self.words.clear();
        Ok(())
    }

    /// The words, with the last partial word (zero bits after the stream).
    pub(super) fn finish(mut self) -> Vec<u32> {
        if self.pending > 0 {
            self.words.push((self.acc << (32 - self.pending)) as u32);
        }
        self.words
    }
}

/// Appends the tokens of `values` (`token` of each, masked to `nbits`) to `sink`.
#[inline(always)]
fn pack_with(values: &[f32], sink: &mut Sink, nbits: u32, token: impl Fn(f32) -> u32) {
    let mask = u32::MAX >> (32 - nbits);
    let mut buf = [0u32; BLOCK];
    for block in values.chunks(BLOCK) {
        let tokens = &mut buf[..block.len()];
        for (t, &v) in tokens.iter_mut().zip(block) {
            *t = token(v) & mask;
        }
        match nbits {
            16 => sink.put_grouped::<16>(tokens),
            8 => sink.put_grouped::<8>(tokens),
            _ => tokens.iter().for_each(|&t| sink.put(t, nbits)),
        }
    }
}

/// Appends the tokens `⌊(v − min)·scale⌋` of `values` on `nbits` (1..=32) bits, the
/// truncation of librmn's `(int64_t)` cast, low `nbits` kept; with `plug`, missing points
/// are packed as the plug.
pub(super) fn pack_tokens(
    values: &[f32],
    sink: &mut Sink,
    nbits: u32,
    min: f64,
    scale: f64,
    plug: Option<f32>,
) {
    #[cfg(target_arch = "x86_64")]
    if nbits == 16 {
        if let Some(simd) = pulp::x86::V3::try_new() {
            return super::pack16::pack(simd, values, sink, min, scale, plug);
        }
    }
    pack_tokens_portable(values, sink, nbits, min, scale, plug);
}

/// [`pack_tokens`] without the explicit AVX2 kernel of 16-bit tokens: the loop every
/// other width and CPU runs (the kernel's tests compare the two).
#[inline]
pub(super) fn pack_tokens_portable(
    values: &[f32],
    sink: &mut Sink,
    nbits: u32,
    min: f64,
    scale: f64,
    plug: Option<f32>,
) {
    vectorized(
        #[inline(always)]
        || pack_tokens_inlined(values, sink, nbits, min, scale, plug),
    );
}

/// The token of one value on at most 30 bits (before masking), as [`pack_tokens`]
/// computes it: for the values an explicit vector kernel leaves over.
#[cfg(target_arch = "x86_64")] // only the x86-64 kernel (`pack16`) leaves values over
#[inline(always)]
pub(super) fn small_token(v: f32, min: f64, scale: f64, plug: Option<f32>) -> u32 {
    let v = match plug {
        Some(p) if is_missing(v) => p,
        _ => v,
    };
    truncate_small((f64::from(v) - min) * scale)
}

/// [`pack_tokens`], inlined into the vector build pulp picks.
#[inline(always)]
fn pack_tokens_inlined(
    values: &[f32],
    sink: &mut Sink,
    nbits: u32,
    min: f64,
    scale: f64,
    plug: Option<f32>,
) {
    let x = move |v: f32| (f64::from(v) - min) * scale;
    match (plug, nbits <= 30) {
        // x is NaN or in [0, 2^nbits) (the scale maps the range below 2^nbits).
        (None, true) => pack_with(values, sink, nbits, move |v| truncate_small(x(v))),
        (None, false) => pack_with(values, sink, nbits, move |v| x(v) as i64 as u32),
        (Some(p), true) => pack_with(values, sink, nbits, move |v| {
            truncate_small(x(if is_missing(v) { p } else { v }))
        }),
        (Some(p), false) => pack_with(values, sink, nbits, move |v| {
            x(if is_missing(v) { p } else { v }) as i64 as u32
        }),
    }
}

/// `x as i64 as u32` for `x` NaN or in [0, 2^51), in operations that vectorise without
/// AVX-512 (`as` conversions of doubles compile to scalar code with saturation fix-ups):
/// adding 2^52 rounds `x` to the nearest integer in the low mantissa bits; one less when
/// that rounded up; 0 for NaN, as `as` gives.
#[inline(always)]
fn truncate_small(x: f64) -> u32 {
    const MAGIC: f64 = 4_503_599_627_370_496.0; // 2^52
    let y = x + MAGIC;
    let rounded = y.to_bits() as u32;
    let up = u32::from(y - MAGIC > x);
    if x >= 0.0 {
        rounded.wrapping_sub(up)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_small_is_the_cast() {
        let mut cases = vec![
            0.0,
            -0.0,
            0.5,
            1.0,
            1.5,
            2.5,
            0.999_999_999_9,
            65535.999,
            1e9 + 0.5,
        ];
        cases.extend([
            (1u64 << 30) as f64 - 0.25,
            (1u64 << 31) as f64 + 0.75,
            f64::NAN,
        ]);
        cases.extend((0..2000).map(|i| f64::from(i) * 0.173_2));
        for x in cases {
            assert_eq!(truncate_small(x), x as i64 as u32, "{x}");
        }
    }
}
