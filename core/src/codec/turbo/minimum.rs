//! The MINIMUM tile coder of `armn_compress` (16-bit tokens): per `step × step` tile, a
//! 4-bit width `k` of `max − min`, then the minimum in `nbits` bits and every offset in `k`
//! bits; `k = 0` stores only the minimum, `k = 15` (or 16) every token raw in 16 bits
//! (xdf.md §4.11; librmn `packTokensMinimum`). Used for small grids and nbits ≤ 4.

use crate::codec::bits::BitWriter;
use crate::error::Result;

use super::bitstream::Bits;
use super::corrupt;

/// Decodes an `ni × nj` grid of 16-bit tokens from `r` into `out` (one token per word, so
/// callers can decode straight into a 32-bit output and widen in place).
///
/// # Errors
/// Format errors for a zero step or a stream that ends early.
pub(super) fn decode(
    r: &mut Bits<'_>,
    ni: usize,
    nj: usize,
    step: usize,
    nbits: u32,
    out: &mut [u32],
) -> Result<()> {
    if step == 0 || nbits > 32 || out.len() != ni * nj {
        return Err(corrupt("minimum stream parameters"));
    }
    for j0 in (0..nj).step_by(step) {
        let j1 = (j0 + step).min(nj);
        for i0 in (0..ni).step_by(step) {
            let i1 = (i0 + step).min(ni);
            let k = r.read(4);
            match k {
                0 => {
                    let min = u32::from(r.read(nbits) as u16);
                    for j in j0..j1 {
                        out[j * ni + i0..j * ni + i1].fill(min);
                    }
                }
                15 | 16 => {
                    for j in j0..j1 {
                        for v in &mut out[j * ni + i0..j * ni + i1] {
                            *v = u32::from(r.read(16) as u16);
                        }
                    }
                }
                _ => {
                    let min = r.read(nbits);
                    for j in j0..j1 {
                        for v in &mut out[j * ni + i0..j * ni + i1] {
                            *v = u32::from(r.read(k).wrapping_add(min) as u16);
                        }
                    }
                }
            }
        }
        if r.overrun() {
            return Err(corrupt("minimum stream ends early"));
        }
    }
    Ok(())
}

/// Encodes an `ni × nj` grid of tokens (each < 2^`nbits`) into `w`.
pub(super) fn encode(
    w: &mut BitWriter,
    tokens: &[u16],
    ni: usize,
    nj: usize,
    step: usize,
    nbits: u32,
) {
    debug_assert_eq!(tokens.len(), ni * nj);
    for j0 in (0..nj).step_by(step) {
        let j1 = (j0 + step).min(nj);
        for i0 in (0..ni).step_by(step) {
            let i1 = (i0 + step).min(ni);
            let tile =
                || (j0..j1).flat_map(move |j| tokens[j * ni + i0..j * ni + i1].iter().copied());
            let min = tile().min().unwrap_or(0);
            let max = tile().max().unwrap_or(0);
            let range = u32::from(max - min);
            let k = match 32 - range.leading_zeros() {
                16 => 15,
                k => k,
            };
            w.write(k, 4);
            match k {
                0 => w.write(u32::from(min), nbits),
                15 => tile().for_each(|t| w.write(u32::from(t), 16)),
                _ => {
                    w.write(u32::from(min), nbits);
                    tile().for_each(|t| w.write(u32::from(t - min), k));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_ragged_tiles() {
        let (ni, nj) = (13, 7);
        for nbits in [1u32, 4, 12, 16] {
            let mask = ((1u32 << nbits) - 1) as u16;
            let tokens: Vec<u16> = (0..ni * nj)
                .map(|k| match k % 3 {
                    0 => 0,
                    1 => (k as u16).wrapping_mul(40503) & mask,
                    _ => (k as u16 / 5) & mask,
                })
                .collect();
            let mut w = BitWriter::new();
            encode(&mut w, &tokens, ni, nj, 5, nbits);
            let words = w.finish();
            let mut out = vec![0u32; ni * nj];
            decode(&mut Bits::new(&words), ni, nj, 5, nbits, &mut out).unwrap();
            let wide: Vec<u32> = tokens.iter().map(|&t| u32::from(t)).collect();
            assert_eq!(out, wide, "nbits {nbits}");
        }
    }

    #[test]
    fn truncated_stream_is_an_error() {
        let mut out = vec![0u32; 100];
        let words = [0xFFFF_FFFFu32];
        assert!(decode(&mut Bits::new(&words), 10, 10, 5, 16, &mut out).is_err());
    }
}
