//! `armn_compress32`: datyp 133, IEEE float32 with the mantissa truncated to
//! `m = nbits − 9` bits and sign, exponent and mantissa coded as separate streams
//! (xdf.md §4.11; librmn `src/compresseur/armn_compress_32.c`).
//!
//! Layout in 32-bit words: the [`ZipHeader`] (predictor 5, version 2, nbits = m); an info
//! word `exp_base<<16 | ne<<8 | codes`; if signs differ, a byte length then the
//! [`rle`](super::rle) stream; if exponents differ, a byte length then the exponent
//! differences in 8-bit parallelogram coding; a length word (librmn stores a wrong value
//! there, so it is skipped) then the mantissas in 32-bit parallelogram coding.

use crate::codec::bits::BitWriter;
use crate::codec::simd::vectorized;
use crate::error::Result;
use crate::limits::try_vec;

use super::bitstream::Bits;
use super::parallelogram::{self, Budget, Flavour, Layout};
use super::zip_header::{Predictor, ZipHeader};
use super::{corrupt, too_short};

/// Tile side of every 133 sub-stream (librmn ignores the header's step when decoding).
const STEP: usize = 3;

/// Sign codes (bits 5..4 of the info word).
const SIGNS_POSITIVE: u32 = 0x00;
const SIGNS_NEGATIVE: u32 = 0x10;
const SIGNS_RLE: u32 = 0x20;
const SIGNS_MASK: u32 = 0x30;
/// Exponent codes (bits 3..2): anything but 0 means a coded stream.
const EXPONENTS_CONSTANT: u32 = 0x00;
const EXPONENTS_PACKED: u32 = 0x08;
/// Mantissa codes (bits 1..0): 0 = parallelogram, otherwise a plain m-bit stream.
const MANTISSAS_PACKED: u32 = 0x00;

/// The layout of a 133 sub-stream.
fn layout(ni: usize, nj: usize, first_bits: u32, flavour: Flavour) -> Layout {
    Layout {
        ni,
        nj,
        step: STEP,
        first_bits,
        flavour,
    }
}

/// Word cursor over the stream with checked access.
struct Words<'a> {
    words: &'a [u32],
    pos: usize,
}

impl<'a> Words<'a> {
    fn next(&mut self) -> Result<u32> {
        let w = *self
            .words
            .get(self.pos)
            .ok_or_else(|| too_short(self.pos as u64 + 1, self.words.len() as u64))?;
        self.pos += 1;
        Ok(w)
    }

    fn rest(&self) -> &'a [u32] {
        self.words.get(self.pos..).unwrap_or(&[])
    }

    /// Skips a sub-stream given its byte length.
    fn skip_bytes(&mut self, bytes: u32) {
        self.pos = self.pos.saturating_add((bytes >> 2) as usize);
    }
}

/// Decodes a 133 stream (starting at its header word) into float32 bit patterns.
///
/// # Errors
/// Format errors for inconsistent headers or streams that end early; unsupported for the
/// bit-mask sign coding librmn never reads back.
pub(super) fn decompress(words: &[u32], ni: usize, nj: usize, out: &mut [u32]) -> Result<()> {
    let n = out.len();
    if n != ni * nj {
        return Err(corrupt("133 grid size"));
    }
    let mut cur = Words { words, pos: 0 };
    let header = ZipHeader::from_word(cur.next()?);
    if header.predictor != Predictor::Parallelogram32 {
        return Err(corrupt("133 stream without PARALLELOGRAM32 header"));
    }
    let m = u32::from(header.nbits);
    if m > 23 {
        return Err(corrupt("133 mantissa wider than 23 bits"));
    }
    let info = cur.next()?;
    let exp_base = info >> 16;
    let ne = (info >> 8) & 0xFF;
    let codes = info & 0xFF;

    // Signs are decoded through `out` (refilled by the mantissas below) and kept as bits,
    // exponents as bytes, so the decode needs 1/8 + 1 byte per point besides its output.
    let negative: Option<Vec<u64>> = match codes & SIGNS_MASK {
        SIGNS_POSITIVE => None,
        SIGNS_NEGATIVE => Some(try_vec(n.div_ceil(64), u64::MAX, "133 sign bits")?),
        SIGNS_RLE => {
            let len = cur.next()?;
            let bytes = &mut bytemuck::cast_slice_mut::<u32, u8>(out)[..n];
            let mut r = Bits::new(cur.rest());
            super::rle::decode(&mut r, bytes)?;
            cur.skip_bytes(len);
            let mut bits = try_vec(n.div_ceil(64), 0u64, "133 sign bits")?;
            for (word, chunk) in bits.iter_mut().zip(bytes.chunks(64)) {
                *word = sign_bits(chunk);
            }
            Some(bits)
        }
        _ => {
            return Err(crate::Unsupported::Other(
                "133 sign bit mask (librmn cannot read it either)",
            )
            .into())
        }
    };

    // Only the low 8 bits of an exponent offset matter (the sum is taken modulo 256).
    let mut exps: Option<Vec<u8>> = None;
    if codes & 0x0C != EXPONENTS_CONSTANT {
        let len = cur.next()?;
        let mut r = Bits::new(cur.rest());
        let mut e8 = try_vec(n, 0u8, "133 exponents")?;
        parallelogram::decode(&mut r, layout(ni, nj, ne, Flavour::Exponents8), &mut e8)?;
        if r.overrun() {
            return Err(corrupt("133 exponent stream ends early"));
        }
        cur.skip_bytes(len);
        exps = Some(e8);
    }

    // librmn writes the sign length here instead of the mantissa length: skip it.
    cur.next()?;
    let mut r = Bits::new(cur.rest());
    if codes & 0x03 == MANTISSAS_PACKED {
        parallelogram::decode(&mut r, layout(ni, nj, m, Flavour::Mantissas32), out)?;
    } else {
        for v in out.iter_mut() {
            *v = r.read(m);
        }
    }
    if r.overrun() {
        return Err(corrupt("133 mantissa stream ends early"));
    }

    assemble(out, negative.as_deref(), exps.as_deref(), exp_base, m);
    Ok(())
}

/// Bit `k` = the low bit of `bytes[k]`, for up to 64 bytes.
fn sign_bits(bytes: &[u8]) -> u64 {
    // Eight bytes at a time: the multiply moves the low bit of byte k to bit 56 + k
    // (every other product bit lands elsewhere, without carries).
    const LOW_BITS: u64 = 0x0101_0101_0101_0101;
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut groups = bytes.chunks_exact(8);
    let mut word = 0u64;
    let mut at = 0;
    for group in groups.by_ref() {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(group);
        let gathered = (u64::from_le_bytes(eight) & LOW_BITS).wrapping_mul(GATHER) >> 56;
        word |= gathered << at;
        at += 8;
    }
    for &b in groups.remainder() {
        word |= u64::from(b & 1) << at;
        at += 1;
    }
    word
}

/// Puts sign (bit `i` of `negative`, else 0), exponent (`exps[i]` + `exp_base` modulo
/// 256) and the `m` mantissa bits in `out[i]` together as a float32 pattern. One loop per
/// case, each vectorised, instead of per-point checks of what the stream holds.
fn assemble(out: &mut [u32], negative: Option<&[u64]>, exps: Option<&[u8]>, exp_base: u32, m: u32) {
    let mant_mask = (1u32 << m) - 1;
    let shift = 23 - m;
    let pattern = move |sign: u32, e: u32, v: u32| {
        sign << 31 | (e.wrapping_add(exp_base) & 0xFF) << 23 | (v & mant_mask) << shift
    };
    vectorized(
        #[inline(always)]
        move || match (negative, exps) {
            (None, None) => out.iter_mut().for_each(|v| *v = pattern(0, 0, *v)),
            (None, Some(e)) => out
                .iter_mut()
                .zip(e)
                .for_each(|(v, &e)| *v = pattern(0, u32::from(e), *v)),
            (Some(b), e) => {
                let e = e.unwrap_or(&[]);
                for (k, (chunk, &bits)) in out.chunks_mut(64).zip(b).enumerate() {
                    let exps = e.get(64 * k..).unwrap_or(&[]);
                    if exps.is_empty() {
                        for (i, v) in chunk.iter_mut().enumerate() {
                            *v = pattern((bits >> i) as u32 & 1, 0, *v);
                        }
                    } else {
                        for (i, (v, &e)) in chunk.iter_mut().zip(exps).enumerate() {
                            *v = pattern((bits >> i) as u32 & 1, u32::from(e), *v);
                        }
                    }
                }
            }
        },
    );
}

/// Closes a sub-stream as librmn does (32 zero bits, completed words only) and appends
/// its byte length word and words, padded to librmn's rounded-up length.
fn push_substream(stream: &mut Vec<u32>, mut w: BitWriter) -> u32 {
    w.write(0, 16);
    w.write(0, 16);
    let complete = super::armn16::flushed_words(w.bit_len()) as usize;
    let mut words = w.finish();
    words.truncate(complete);
    // librmn reports 4·W + 1 bytes and rounds up to a multiple of 4: one spare word.
    words.push(0);
    let bytes = 4 * words.len() as u32;
    stream.push(bytes);
    stream.extend(words);
    bytes
}

/// Compresses an `ni × nj` float field with `nbits` (9..=32) kept bits per value.
///
/// Returns the stream words (header first), or `None` where librmn stores plain IEEE
/// instead: ni or nj below 16, nbits out of range, or no gain.
pub(super) fn compress(values: &[f32], ni: usize, nj: usize, nbits: u32) -> Option<Vec<u32>> {
    let n = ni.checked_mul(nj)?;
    if ni < 16 || nj < 16 || !(9..=32).contains(&nbits) || values.len() != n {
        return None;
    }
    let m = nbits - 9;
    let bits: Vec<u32> = values.iter().map(|v| v.to_bits()).collect();
    let exps: Vec<u32> = bits.iter().map(|b| (b >> 23) & 0xFF).collect();
    let exp_min = exps.iter().copied().min()?;
    let exp_max = exps.iter().copied().max()?;
    let range = exp_max - exp_min;
    let ne = if range == 0 {
        0
    } else {
        32 - range.leading_zeros()
    };

    let header = ZipHeader {
        predictor: Predictor::Parallelogram32,
        degree: 1,
        step: STEP as u8,
        nbits: m as u8,
        levels: 1,
        version: 2,
    };
    let mut stream = vec![header.to_word(), 0];

    let negative = bits.iter().filter(|b| *b >> 31 == 1).count();
    let mut sign_bytes = 0;
    let sign_code = if negative == 0 {
        SIGNS_POSITIVE
    } else if negative == n {
        SIGNS_NEGATIVE
    } else {
        let signs: Vec<u8> = bits.iter().map(|b| (b >> 31) as u8).collect();
        let mut w = BitWriter::new();
        super::rle::encode(&mut w, &signs);
        sign_bytes = push_substream(&mut stream, w);
        SIGNS_RLE
    };

    let exp_code = if ne == 0 {
        EXPONENTS_CONSTANT
    } else {
        let diffs: Vec<u32> = exps.iter().map(|e| e - exp_min).collect();
        let mut w = BitWriter::new();
        parallelogram::encode(
            &mut w,
            &diffs,
            layout(ni, nj, ne, Flavour::Exponents8),
            None,
        );
        let bytes = push_substream(&mut stream, w);
        // librmn's limit: the unrounded exponent stream may not exceed one byte per value.
        if (bytes - 3) as usize > n {
            return None;
        }
        EXPONENTS_PACKED
    };

    let mantissas: Vec<u32> = bits.iter().map(|b| (b & 0x7F_FFFF) >> (23 - m)).collect();
    let budget = Budget {
        remaining: (n as i64 * i64::from(nbits)) / 32 - (stream.len() as i64 + 1),
        m,
    };
    let mut w = BitWriter::new();
    if !parallelogram::encode(
        &mut w,
        &mantissas,
        layout(ni, nj, m, Flavour::Mantissas32),
        Some(budget),
    ) {
        return None;
    }
    let length_at = stream.len();
    push_substream(&mut stream, w);
    // librmn stores the sign stream's length in the mantissa length word (readers skip
    // it); do the same so files are byte-identical to librmn's.
    stream[length_at] = sign_bytes;
    stream[1] = exp_min << 16 | ne << 8 | sign_code | exp_code | MANTISSAS_PACKED;
    Some(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ni: usize, nj: usize) -> Vec<f32> {
        (0..ni * nj)
            .map(|k| {
                let (i, j) = ((k % ni) as f32, (k / ni) as f32);
                250.0 * (i / 9.0).sin() * (j / 13.0).cos() + 0.01 * i
            })
            .collect()
    }

    fn truncated(v: f32, m: u32) -> u32 {
        v.to_bits() & !((1u32 << (23 - m)) - 1)
    }

    #[test]
    fn round_trip_mixed_signs_and_exponents() {
        let (ni, nj) = (40, 30);
        let values = field(ni, nj);
        for nbits in [16u32, 24, 32] {
            let stream = compress(&values, ni, nj, nbits).expect("smooth field compresses");
            assert_eq!(stream[1] & SIGNS_MASK, SIGNS_RLE);
            let mut out = vec![0u32; ni * nj];
            decompress(&stream, ni, nj, &mut out).unwrap();
            let want: Vec<u32> = values.iter().map(|&v| truncated(v, nbits - 9)).collect();
            assert_eq!(out, want, "nbits {nbits}");
        }
    }

    #[test]
    fn sign_bits_gather_low_bits() {
        for len in 0..=64usize {
            let bytes: Vec<u8> = (0..len)
                .map(|k| (k as u8).wrapping_mul(37).rotate_left(3) | (0xF0 * (k % 2) as u8))
                .collect();
            let want = bytes
                .iter()
                .enumerate()
                .fold(0u64, |acc, (k, &b)| acc | u64::from(b & 1) << k);
            assert_eq!(sign_bits(&bytes), want, "{len} bytes");
        }
    }

    #[test]
    fn constant_sign_and_exponent() {
        let values = vec![-3.0f32; 16 * 16];
        let stream = compress(&values, 16, 16, 32).unwrap();
        assert_eq!(stream[1] & 0xFF, SIGNS_NEGATIVE);
        let mut out = vec![0u32; 256];
        decompress(&stream, 16, 16, &mut out).unwrap();
        assert!(out.iter().all(|&b| b == (-3.0f32).to_bits()));
    }

    #[test]
    fn ineligible_and_damaged() {
        assert!(compress(&field(15, 20), 15, 20, 32).is_none());
        let stream = compress(&field(20, 20), 20, 20, 32).unwrap();
        let mut out = vec![0u32; 400];
        for cut in [0, 1, 2, stream.len() / 2, stream.len() - 2] {
            assert!(
                decompress(&stream[..cut], 20, 20, &mut out).is_err(),
                "cut {cut}"
            );
        }
    }
}
