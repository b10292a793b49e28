//! The "parallelogram" (Lorenzo) predictor shared by every turbo stream: the first row and
//! column are stored raw, every other point as the residual
//! `t(i,j) − (t(i−1,j) + t(i,j−1) − t(i−1,j−1))`, coded per `step × step` tile with one bit
//! count per tile (xdf.md §4.11; librmn `packTokensParallelogram`, `…_8`, `…32`).
//!
//! Three flavours differ only in how the per-tile bit count is chosen and stored.

use crate::codec::bits::BitWriter;
use crate::error::Result;

use super::bitstream::{Bits, Residuals};
use super::corrupt;

/// Which of librmn's three parallelogram coders a stream comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavour {
    /// 16-bit tokens (`armn_compress`): bit counts 15 and 16 both mean 17-bit residuals.
    Tokens16,
    /// 8-bit exponent differences of datyp 133.
    Exponents8,
    /// Truncated mantissas of datyp 133.
    Mantissas32,
}

impl Flavour {
    /// Values wrap to the width of librmn's array (`unsigned short`, `char`, `int`).
    fn value_mask(self) -> u32 {
        match self {
            Flavour::Tokens16 => 0xFFFF,
            Flavour::Exponents8 => 0xFF,
            Flavour::Mantissas32 => u32::MAX,
        }
    }

    /// Residual width for a stored per-tile count `k` (> 0).
    fn residual_bits(self, k: u32) -> u32 {
        match self {
            Flavour::Tokens16 if k == 15 || k == 16 => 17,
            _ => k + 1,
        }
    }

    /// Per-tile count for the largest absolute residual `max` (> 0), as the encoder stores it.
    fn tile_bits(self, max: u32) -> u32 {
        let bl = 32 - max.leading_zeros();
        match self {
            Flavour::Tokens16 if bl == 16 => 15,
            Flavour::Tokens16 | Flavour::Exponents8 => bl,
            // librmn takes the exponent of `(float)max`, which rounds up above 2^24.
            Flavour::Mantissas32 => ((max as f32).to_bits() >> 23) - 126,
        }
    }
}

/// Shape of one coded grid.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    /// First dimension (fastest).
    pub ni: usize,
    /// Second dimension.
    pub nj: usize,
    /// Tile side.
    pub step: usize,
    /// Width of the raw first row and column.
    pub first_bits: u32,
    /// Coder flavour.
    pub flavour: Flavour,
}

/// Space check of the 133 mantissa coder: it gives up (→ plain IEEE) once the stream
/// cannot fit in `remaining` words.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    /// Words still available (may be negative).
    pub remaining: i64,
    /// Mantissa width.
    pub m: u32,
}

/// One cell of a decoded grid: a 32-bit slot, or a byte for the exponent grid of datyp
/// 133 (its values wrap modulo 256 anyway, and a byte grid is a quarter of the memory).
pub(super) trait Slot: Copy {
    /// The low bits of `v` that the slot holds.
    fn from_u32(v: u32) -> Self;
    /// The slot's value.
    fn to_u32(self) -> u32;
}

impl Slot for u32 {
    #[inline(always)]
    fn from_u32(v: u32) -> Self {
        v
    }
    #[inline(always)]
    fn to_u32(self) -> u32 {
        self
    }
}

impl Slot for u8 {
    #[inline(always)]
    fn from_u32(v: u32) -> Self {
        v as u8
    }
    #[inline(always)]
    fn to_u32(self) -> u32 {
        u32::from(self)
    }
}

/// Largest tile side (the header stores it in a byte).
const MAX_STEP: usize = 256;

/// Decodes an `ni × nj` grid (i fastest) from `r` into `out`.
///
/// `first_bits` is the width of the raw first row and column. Values wrap like librmn's
/// arrays (to the flavour's width, and to the slot's); the caller checks
/// [`Bits::overrun`] afterwards.
///
/// # Errors
/// Format errors for residual widths above 32 bits or a tile step of 0 or above 256.
pub(super) fn decode<S: Slot>(r: &mut Bits<'_>, layout: Layout, out: &mut [S]) -> Result<()> {
    let Layout {
        ni,
        nj,
        step,
        first_bits,
        ..
    } = layout;
    if step == 0 || step > MAX_STEP || first_bits > 32 || out.len() != ni * nj {
        return Err(corrupt("parallelogram stream parameters"));
    }
    if out.is_empty() {
        // ni or nj is 0: nothing to decode (and no first column to index).
        return Ok(());
    }
    // librmn always writes 3×3 tiles: a constant step lets the tile loops unroll, and a
    // constant flavour folds its mask and widths into them.
    let mut fixed = layout;
    match (step, layout.flavour) {
        (3, Flavour::Tokens16) => {
            fixed.flavour = Flavour::Tokens16;
            decode_tiles(r, fixed, 3, out)
        }
        (3, Flavour::Exponents8) => {
            fixed.flavour = Flavour::Exponents8;
            decode_tiles(r, fixed, 3, out)
        }
        (3, Flavour::Mantissas32) => {
            fixed.flavour = Flavour::Mantissas32;
            decode_tiles(r, fixed, 3, out)
        }
        _ => decode_tiles(r, layout, step, out),
    }
}

/// [`decode`] after its checks. Each value is reconstructed as soon as its residual is
/// read, in tile order: with `d(i,j) = t(i,j) − t(i,j−1)`, the predictor gives
/// `d(i,j) = d(i−1,j) + residual(i,j)`, so every row of a band keeps one running `d`
/// (a one-add serial chain per row, the rows independent) and `t(i,j) = t(i,j−1) + d(i,j)`
/// reads the finished row above. All sums wrap modulo 2^32 and are masked where stored,
/// which equals wrapping at the array's width (2^k divides 2^32).
#[inline(always)]
fn decode_tiles<S: Slot>(
    r: &mut Bits<'_>,
    layout: Layout,
    step: usize,
    out: &mut [S],
) -> Result<()> {
    let Layout {
        ni,
        nj,
        first_bits,
        flavour,
        ..
    } = layout;
    let mask = flavour.value_mask();
    let container = r.read(3);
    for v in out.iter_mut().take(ni) {
        *v = S::from_u32(r.read(first_bits) & mask);
    }
    for j in 1..nj {
        out[j * ni] = S::from_u32(r.read(first_bits) & mask);
    }
    let mut diffs = [0u32; MAX_STEP];
    for j0 in (1..nj).step_by(step) {
        let rows = step.min(nj - j0);
        // The row above the band, then the band's rows.
        let region = &mut out[(j0 - 1) * ni..(j0 + rows) * ni];
        if step == 3 && rows == 3 {
            band_of_three(r, region, ni, container, flavour)?;
        } else {
            band(r, region, ni, step, container, flavour, &mut diffs[..rows])?;
        }
        if r.overrun() {
            return Err(corrupt("parallelogram stream ends early"));
        }
    }
    Ok(())
}

/// The residual width of the next tile (its stored count read from `r`).
#[inline(always)]
fn tile_bits(r: &mut Bits<'_>, container: u32, flavour: Flavour) -> Result<u32> {
    let k = r.read(container);
    let bits = if k == 0 { 0 } else { flavour.residual_bits(k) };
    if bits > 32 {
        return Err(corrupt("parallelogram residual wider than 32 bits"));
    }
    Ok(bits)
}

/// Decodes one band (any step, any number of rows): `region` holds the row above the
/// band and its `diffs.len()` rows; `diffs` is scratch for their running differences.
fn band<S: Slot>(
    r: &mut Bits<'_>,
    region: &mut [S],
    ni: usize,
    step: usize,
    container: u32,
    flavour: Flavour,
    diffs: &mut [u32],
) -> Result<()> {
    let mask = flavour.value_mask();
    for (row, d) in diffs.iter_mut().enumerate() {
        *d = region[(row + 1) * ni]
            .to_u32()
            .wrapping_sub(region[row * ni].to_u32());
    }
    for i0 in (1..ni).step_by(step) {
        let i1 = (i0 + step).min(ni);
        let bits = tile_bits(r, container, flavour)?;
        for (row, d) in diffs.iter_mut().enumerate() {
            let (upper, lower) = region.split_at_mut((row + 1) * ni);
            let above = &upper[row * ni + i0..row * ni + i1];
            fill_row(r, bits, mask, d, above, &mut lower[i0..i1]);
        }
    }
    Ok(())
}

/// [`band`] for a full band of 3×3 tiles (librmn's layout): its rows split once and
/// walked three cells at a time, so a tile costs little more than its count and its nine
/// values.
#[inline(always)]
fn band_of_three<S: Slot>(
    r: &mut Bits<'_>,
    region: &mut [S],
    ni: usize,
    container: u32,
    flavour: Flavour,
) -> Result<()> {
    let mask = flavour.value_mask();
    let (above, rest) = region.split_at_mut(ni);
    let (row0, rest) = rest.split_at_mut(ni);
    let (row1, row2) = rest.split_at_mut(ni);
    let (Some((&a, above)), Some((c0, row0)), Some((c1, row1)), Some((c2, row2))) = (
        above.split_first(),
        row0.split_first_mut(),
        row1.split_first_mut(),
        row2.split_first_mut(),
    ) else {
        return Ok(());
    };
    let mut d0 = c0.to_u32().wrapping_sub(a.to_u32());
    let mut d1 = c1.to_u32().wrapping_sub(c0.to_u32());
    let mut d2 = c2.to_u32().wrapping_sub(c1.to_u32());
    // Whole tiles, then the narrower last one.
    let whole = above.len() / 3 * 3;
    let (above, above_last) = above.split_at(whole);
    let (row0, row0_last) = row0.split_at_mut(whole);
    let (row1, row1_last) = row1.split_at_mut(whole);
    let (row2, row2_last) = row2.split_at_mut(whole);
    let tiles = above
        .chunks_exact(3)
        .zip(row0.chunks_exact_mut(3))
        .zip(row1.chunks_exact_mut(3).zip(row2.chunks_exact_mut(3)));
    for ((a, c0), (c1, c2)) in tiles {
        let bits = tile_bits(r, container, flavour)?;
        match r.tile() {
            // Away from the stream's end the nine residuals come from a fixed window.
            Some(mut t) if bits != 0 => {
                fill_row(&mut t, bits, mask, &mut d0, a, c0);
                fill_row(&mut t, bits, mask, &mut d1, c0, c1);
                fill_row(&mut t, bits, mask, &mut d2, c1, c2);
                r.resume_after(&t);
            }
            _ => {
                fill_row(r, bits, mask, &mut d0, a, c0);
                fill_row(r, bits, mask, &mut d1, c0, c1);
                fill_row(r, bits, mask, &mut d2, c1, c2);
            }
        }
    }
    if !above_last.is_empty() {
        let bits = tile_bits(r, container, flavour)?;
        fill_row(r, bits, mask, &mut d0, above_last, row0_last);
        fill_row(r, bits, mask, &mut d1, row0_last, row1_last);
        fill_row(r, bits, mask, &mut d2, row1_last, row2_last);
    }
    Ok(())
}

/// Reconstructs one tile row: `cells` from the finished `above` cells, the row's running
/// difference `diff` and `cells.len()` residuals of `bits` bits (none when 0).
#[inline(always)]
fn fill_row<S: Slot>(
    r: &mut impl Residuals,
    bits: u32,
    mask: u32,
    diff: &mut u32,
    above: &[S],
    cells: &mut [S],
) {
    let mut d = *diff;
    if bits == 0 {
        for (t, &up) in cells.iter_mut().zip(above) {
            *t = S::from_u32(up.to_u32().wrapping_add(d) & mask);
        }
    } else {
        for (t, &up) in cells.iter_mut().zip(above) {
            d = d.wrapping_add(r.signed(bits) as u32);
            *t = S::from_u32(up.to_u32().wrapping_add(d) & mask);
        }
    }
    *diff = d;
}

/// Encodes an `ni × nj` grid of values (each < 2^`first_bits`) into `w`.
///
/// Returns `false` when a `budget` is given and exceeded (librmn then stores the plain
/// type).
pub(super) fn encode(
    w: &mut BitWriter,
    values: &[u32],
    layout: Layout,
    budget: Option<Budget>,
) -> bool {
    let Layout {
        ni,
        nj,
        step,
        first_bits,
        flavour,
    } = layout;
    debug_assert_eq!(values.len(), ni * nj);
    let mut residual = vec![0i32; values.len()];
    for j in 1..nj {
        for i in 1..ni {
            let k = j * ni + i;
            let predicted = values[k - ni]
                .wrapping_add(values[k - 1])
                .wrapping_sub(values[k - 1 - ni]);
            residual[k] = values[k].wrapping_sub(predicted) as i32;
        }
    }
    let container = match flavour {
        Flavour::Tokens16
            if first_bits >= 15 && residual.iter().any(|r| r.unsigned_abs() > 65535) =>
        {
            5
        }
        Flavour::Tokens16 | Flavour::Exponents8 => 4,
        Flavour::Mantissas32 => 5,
    };
    w.write(container, 3);
    for &v in &values[..ni] {
        w.write(v, first_bits);
    }
    for j in 1..nj {
        w.write(values[j * ni], first_bits);
    }
    for j0 in (1..nj).step_by(step) {
        let j1 = (j0 + step).min(nj);
        for i0 in (1..ni).step_by(step) {
            let i1 = (i0 + step).min(ni);
            let mut max = 0u32;
            for j in j0..j1 {
                for &r in &residual[j * ni + i0..j * ni + i1] {
                    max = max.max(r.unsigned_abs());
                }
            }
            let k = if max == 0 { 0 } else { flavour.tile_bits(max) };
            w.write(k, container);
            if k == 0 {
                continue;
            }
            let bits = flavour.residual_bits(k);
            for j in j0..j1 {
                for &r in &residual[j * ni + i0..j * ni + i1] {
                    w.write(r as u32, bits);
                }
            }
            if let Some(b) = budget {
                // Words librmn has stored so far (it never stores the word being filled).
                let written = (w.bit_len().saturating_sub(1) / 32) as i64;
                if b.remaining < written + 1 + i64::from((k + 9 * b.m) >> 5) {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(ni: usize, nj: usize, first_bits: u32, flavour: Flavour) -> Layout {
        Layout {
            ni,
            nj,
            step: 3,
            first_bits,
            flavour,
        }
    }

    fn round_trip(values: &[u32], ni: usize, nj: usize, bits: u32, flavour: Flavour) {
        let mut w = BitWriter::new();
        assert!(encode(&mut w, values, layout(ni, nj, bits, flavour), None));
        let words = w.finish();
        let mut out = vec![0; values.len()];
        let mut r = Bits::new(&words);
        decode(&mut r, layout(ni, nj, bits, flavour), &mut out).unwrap();
        assert_eq!(out, values);
    }

    #[test]
    fn round_trips_each_flavour() {
        let (ni, nj) = (17, 11);
        let smooth: Vec<u32> = (0..ni * nj)
            .map(|k| ((k % ni) * 3 + (k / ni) * 7) as u32)
            .collect();
        round_trip(&smooth, ni, nj, 16, Flavour::Tokens16);
        let noisy: Vec<u32> = (0..ni * nj)
            .map(|k| (k as u32).wrapping_mul(0x9E37_79B9) >> 16)
            .collect();
        round_trip(&noisy, ni, nj, 16, Flavour::Tokens16);
        let bytes: Vec<u32> = noisy.iter().map(|v| v & 0xFF).collect();
        round_trip(&bytes, ni, nj, 8, Flavour::Exponents8);
        let mant: Vec<u32> = noisy
            .iter()
            .map(|v| v.wrapping_mul(977) & 0x7F_FFFF)
            .collect();
        round_trip(&mant, ni, nj, 23, Flavour::Mantissas32);
    }

    #[test]
    fn any_step_and_byte_slots() {
        // Steps other than librmn's 3 take the general band path; bands and tiles cut short
        // at the grid's edge take it too. Byte slots keep the low 8 bits of each value.
        for (ni, nj) in [(2, 2), (5, 9), (17, 11), (23, 4)] {
            let values: Vec<u32> = (0..ni * nj)
                .map(|k| (k as u32).wrapping_mul(0x9E37_79B9) >> 20)
                .collect();
            for step in [1usize, 2, 3, 4, 7] {
                for flavour in [Flavour::Tokens16, Flavour::Exponents8, Flavour::Mantissas32] {
                    let bits = if flavour == Flavour::Exponents8 {
                        8
                    } else {
                        12
                    };
                    let values: Vec<u32> = values
                        .iter()
                        .map(|v| v & flavour.value_mask() & ((1 << bits) - 1))
                        .collect();
                    let layout = Layout {
                        ni,
                        nj,
                        step,
                        first_bits: bits,
                        flavour,
                    };
                    let mut w = BitWriter::new();
                    assert!(encode(&mut w, &values, layout, None));
                    let words = w.finish();
                    let mut out = vec![0u32; values.len()];
                    decode(&mut Bits::new(&words), layout, &mut out).unwrap();
                    assert_eq!(out, values, "{ni}×{nj} step {step} {flavour:?}");
                    let mut bytes = vec![0u8; values.len()];
                    decode(&mut Bits::new(&words), layout, &mut bytes).unwrap();
                    let low: Vec<u8> = values.iter().map(|&v| v as u8).collect();
                    assert_eq!(bytes, low, "{ni}×{nj} step {step} {flavour:?} bytes");
                }
            }
        }
    }

    #[test]
    fn empty_stream_is_an_error() {
        let mut out = vec![0u32; 16];
        let mut r = Bits::new(&[]);
        // Reading past the end yields zero bits; the per-row check turns that into an error.
        assert!(decode(&mut r, layout(4, 4, 16, Flavour::Tokens16), &mut out).is_err());
    }
}
