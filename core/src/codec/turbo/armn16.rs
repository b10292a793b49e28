//! `armn_compress`: the lossless 16-bit token compressor behind datyps 129, 130 and 134.
//!
//! Stream = one [`ZipHeader`] word, then an MSB-first bit stream from the MINIMUM or
//! PARALLELOGRAM coder, closed by 32 zero bits of which only completed words are kept
//! (xdf.md §4.11; librmn `src/compresseur/c_zfstlib.c`).

use crate::codec::bits::BitWriter;
use crate::error::Result;

use super::bitstream::Bits;
use super::parallelogram::{self, Flavour, Layout};
use super::zip_header::{Predictor, ZipHeader};
use super::{corrupt, too_short};

/// Tile side of the MINIMUM coder as librmn writes it.
const MINIMUM_STEP: u8 = 5;
/// Tile side of the PARALLELOGRAM coder as librmn writes it.
const PARALLELOGRAM_STEP: u8 = 3;

/// Compresses `tokens` (an `ni × nj` grid, each < 2^`nbits`), as librmn's default
/// ("BEST") level does.
///
/// Returns the stream words (header word included), or `None` where librmn gives up and
/// stores the plain type: nbits > 16, a 1-wide grid, or no gain over 16 bits per token.
pub(super) fn compress(tokens: &[u16], ni: usize, nj: usize, nbits: u32) -> Option<Vec<u32>> {
    if nbits == 0 || nbits > 16 || ni <= 1 || nj <= 1 || tokens.len() != ni.checked_mul(nj)? {
        return None;
    }
    let minimum = ni < 16 || nj < 16 || nbits <= 4;
    let header = if minimum {
        ZipHeader {
            predictor: Predictor::Minimum,
            degree: 0,
            step: MINIMUM_STEP,
            nbits: nbits as u8,
            levels: 1,
            version: 0,
        }
    } else {
        ZipHeader {
            predictor: Predictor::Parallelogram,
            degree: 1,
            step: PARALLELOGRAM_STEP,
            nbits: nbits as u8,
            levels: 1,
            version: 0,
        }
    };
    let mut w = BitWriter::new();
    if minimum {
        super::minimum::encode(&mut w, tokens, ni, nj, usize::from(MINIMUM_STEP), nbits);
    } else {
        let values: Vec<u32> = tokens.iter().map(|&t| u32::from(t)).collect();
        let layout = Layout {
            ni,
            nj,
            step: usize::from(PARALLELOGRAM_STEP),
            first_bits: nbits,
            flavour: Flavour::Tokens16,
        };
        parallelogram::encode(&mut w, &values, layout, None);
    }
    w.write(0, 16);
    w.write(0, 16);
    let complete = usize::try_from(flushed_words(w.bit_len())).ok()?;
    let mut stream = Vec::with_capacity(complete + 1);
    stream.push(header.to_word());
    stream.extend(w.finish().into_iter().take(complete));
    // librmn's length check: 4·W + 1 bytes against 1 + 2 bytes per token.
    let compressed_bytes = 4 * stream.len() + 1;
    (compressed_bytes < 1 + 2 * tokens.len()).then_some(stream)
}

/// Words librmn's `stuff` macro has stored after `bits` bits: a word is written only
/// when a later token overflows it, so the last word never is, even when full.
pub(super) fn flushed_words(bits: u64) -> u64 {
    bits.saturating_sub(1) / 32
}

/// Byte count librmn reports for a stream of `words` words (`4·W + 1`), used in `D`.
pub(super) fn reported_bytes(words: usize) -> usize {
    4 * words + 1
}

/// Decompresses a stream (header word first) into the `ni × nj` grid `out`.
///
/// # Errors
/// Format errors for an unknown predictor, a zero step or a stream that ends early;
/// unsupported for the withdrawn SAMPLE predictor.
pub(super) fn decompress(words: &[u32], ni: usize, nj: usize, out: &mut [u32]) -> Result<()> {
    let Some((&first, rest)) = words.split_first() else {
        return Err(too_short(1, 0));
    };
    let header = ZipHeader::from_word(first);
    let step = usize::from(header.step);
    let nbits = u32::from(header.nbits);
    let mut r = Bits::new(rest);
    match header.predictor {
        Predictor::Minimum => super::minimum::decode(&mut r, ni, nj, step, nbits, out)?,
        Predictor::Parallelogram => {
            let layout = Layout {
                ni,
                nj,
                step,
                first_bits: nbits,
                flavour: Flavour::Tokens16,
            };
            // Tokens16 values wrap to 16 bits, as librmn's u16 store does.
            parallelogram::decode(&mut r, layout, out)?;
        }
        Predictor::Sample => {
            return Err(crate::Unsupported::Other(
                "turbo SAMPLE predictor (withdrawn from librmn in 2006)",
            )
            .into())
        }
        Predictor::Parallelogram32 | Predictor::Other(_) => {
            return Err(corrupt("unknown turbo predictor"));
        }
    }
    if r.overrun() {
        return Err(corrupt("turbo stream ends early"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ni: usize, nj: usize, nbits: u32) -> Vec<u16> {
        let top = f64::from((1u32 << nbits) - 1);
        (0..ni * nj)
            .map(|k| {
                let (i, j) = ((k % ni) as f64, (k / ni) as f64);
                let v = 0.5 + 0.25 * (i / 7.0).sin() + 0.2 * (j / 5.0).cos();
                (v * top) as u16
            })
            .collect()
    }

    #[test]
    fn round_trips_both_methods() {
        for (ni, nj, nbits) in [(48, 40, 16), (32, 24, 12), (12, 30, 16), (20, 20, 3)] {
            let tokens = field(ni, nj, nbits);
            let stream = compress(&tokens, ni, nj, nbits).expect("smooth data compresses");
            let h = ZipHeader::from_word(stream[0]);
            let expect_min = ni < 16 || nj < 16 || nbits <= 4;
            assert_eq!(h.predictor == Predictor::Minimum, expect_min);
            let mut out = vec![0u32; ni * nj];
            decompress(&stream, ni, nj, &mut out).unwrap();
            assert!(out.iter().zip(&tokens).all(|(&o, &t)| o == u32::from(t)));
        }
    }

    #[test]
    fn incompressible_and_ineligible() {
        let noise: Vec<u16> = (0..32 * 32u32)
            .map(|k| (k.wrapping_mul(0x9E37_79B9) >> 16) as u16)
            .collect();
        assert!(compress(&noise, 32, 32, 16).is_none());
        assert!(compress(&noise[..32], 32, 1, 16).is_none());
        assert!(compress(&noise, 32, 32, 17).is_none());
    }

    #[test]
    fn truncated_stream_is_an_error() {
        let tokens = field(48, 40, 16);
        let stream = compress(&tokens, 48, 40, 16).unwrap();
        let mut out = vec![0u32; 48 * 40];
        assert!(decompress(&stream[..stream.len() / 2], 48, 40, &mut out).is_err());
        assert!(decompress(&[], 48, 40, &mut out).is_err());
    }
}
