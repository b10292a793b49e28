//! The "parallelogram" (Lorenzo) predictor shared by every turbo stream: the first row and
//! column are stored raw, every other point as the residual
//! `t(i,j) − (t(i−1,j) + t(i,j−1) − t(i−1,j−1))`, coded per `step × step` tile with one bit
//! count per tile (xdf.md §4.11; librmn `packTokensParallelogram`, `…_8`, `…32`).
//!
//! Three flavours differ only in how the per-tile bit count is chosen and stored.

use crate::codec::bits::BitWriter;
use crate::error::Result;

use super::bitstream::Bits;
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

/// Decodes an `ni × nj` grid (i fastest) from `r` into `out`.
///
/// `first_bits` is the width of the raw first row and column. Values wrap like librmn's
/// arrays; the caller checks [`Bits::overrun`] afterwards.
///
/// # Errors
/// Format errors for residual widths above 32 bits or a zero tile step.
pub(super) fn decode(r: &mut Bits<'_>, layout: Layout, out: &mut [u32]) -> Result<()> {
    let Layout {
        ni,
        nj,
        step,
        first_bits,
        flavour,
    } = layout;
    if step == 0 || first_bits > 32 || out.len() != ni * nj {
        return Err(corrupt("parallelogram stream parameters"));
    }
    if out.is_empty() {
        // ni or nj is 0: nothing to decode (and no first column to index).
        return Ok(());
    }
    let mask = flavour.value_mask();
    let container = r.read(3);
    for v in out.iter_mut().take(ni) {
        *v = r.read(first_bits);
    }
    for j in 1..nj {
        out[j * ni] = r.read(first_bits);
    }
    // Residuals first, in tile order (a band of `step` rows at a time), then one
    // reconstruction sweep.
    let mut below = &mut out[ni..];
    for j0 in (1..nj).step_by(step) {
        let rows = step.min(nj - j0);
        let (band, rest) = below.split_at_mut(rows * ni);
        below = rest;
        for i0 in (1..ni).step_by(step) {
            let i1 = (i0 + step).min(ni);
            let k = r.read(container);
            let bits = if k == 0 { 0 } else { flavour.residual_bits(k) };
            if bits > 32 {
                return Err(corrupt("parallelogram residual wider than 32 bits"));
            }
            for row in band.chunks_exact_mut(ni) {
                let row = &mut row[i0..i1];
                if bits == 0 {
                    row.fill(0);
                } else {
                    r.read_signed_into(bits, row);
                }
            }
        }
        if r.overrun() {
            return Err(corrupt("parallelogram stream ends early"));
        }
    }
    for j in 1..nj {
        let (prev, cur) = out[(j - 1) * ni..(j + 1) * ni].split_at_mut(ni);
        reconstruct_row(prev, cur, mask);
    }
    Ok(())
}

/// Turns the residuals of row `cur` (its first value already final) into values, given the
/// finished row `prev` above: `cur[i] += cur[i−1] + prev[i] − prev[i−1]`, wrapped to `mask`.
///
/// The running value stays in a register and is masked only where it is stored (masking by
/// 2^k − 1 commutes with wrapping addition), so the loop's only serial dependency is one
/// addition per point; the old form reloaded `cur[i−1]` through memory on every point.
#[inline]
fn reconstruct_row(prev: &[u32], cur: &mut [u32], mask: u32) {
    let (Some(&first), Some(&first_up)) = (cur.first(), prev.first()) else {
        return;
    };
    let mut left = first;
    let mut up_left = first_up;
    for (c, &up) in cur[1..].iter_mut().zip(&prev[1..]) {
        left = left.wrapping_add(c.wrapping_add(up).wrapping_sub(up_left));
        *c = left & mask;
        up_left = up;
    }
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
    fn empty_stream_is_an_error() {
        let mut out = vec![0; 16];
        let mut r = Bits::new(&[]);
        // Reading past the end yields zero bits; the per-row check turns that into an error.
        assert!(decode(&mut r, layout(4, 4, 16, Flavour::Tokens16), &mut out).is_err());
    }
}
