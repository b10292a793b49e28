//! datyp 2 ("U", unsigned) and 4 ("I", signed): `nbits`-bit tokens, MSB first from word 0,
//! no header (`compact_integer.c`). Signed tokens are offset binary: `value + 2^(nbits−1)`.
//! 64-bit integers (RSF only) are a raw little-endian copy: low word first.
//!
//! Spec: `shared/spec/xdf.md` §4.3, §4.5; `rsf.md` §3.1.

use super::bits::BitWriter;
use super::convert::Int;
use super::{need_words, packed_words};
use crate::error::Result;

/// Calls `put(i, token)` for the `out.len()` tokens of `nbits` (1..=32) bits in `words`.
///
/// The widths librmn writes most (8, 16, 32) read whole words; others stream through a
/// 64-bit accumulator. `words` must hold `⌈len·nbits/32⌉` words (checked by the caller);
/// a short slice yields zero tokens rather than a panic.
#[inline(always)]
pub(crate) fn unpack<T>(words: &[u32], nbits: u32, out: &mut [T], map: impl Fn(u32) -> T) {
    match nbits {
        32 => {
            for (o, &w) in out.iter_mut().zip(words) {
                *o = map(w);
            }
        }
        16 => {
            let len = out.len();
            let mut chunks = out.chunks_exact_mut(2);
            for (pair, &w) in (&mut chunks).zip(words) {
                pair[0] = map(w >> 16);
                pair[1] = map(w & 0xFFFF);
            }
            if let [last] = chunks.into_remainder() {
                *last = map(words.get(len / 2).map_or(0, |w| w >> 16));
            }
        }
        8 => {
            let len = out.len();
            let mut chunks = out.chunks_exact_mut(4);
            for (quad, &w) in (&mut chunks).zip(words) {
                quad[0] = map(w >> 24);
                quad[1] = map((w >> 16) & 0xFF);
                quad[2] = map((w >> 8) & 0xFF);
                quad[3] = map(w & 0xFF);
            }
            let w = words.get(len / 4).copied().unwrap_or(0);
            for (k, o) in chunks.into_remainder().iter_mut().enumerate() {
                *o = map((w >> (24 - 8 * k)) & 0xFF);
            }
        }
        12 => unpack_blocks::<12, T>(words, out, &map),
        24 => unpack_blocks::<24, T>(words, out, &map),
        _ => unpack_stream(words, nbits, out, &map),
    }
}

/// Any width 1..=32: a 64-bit accumulator refilled a word at a time.
#[inline(always)]
fn unpack_stream<T>(words: &[u32], nbits: u32, out: &mut [T], map: &impl Fn(u32) -> T) {
    let mask = u32::MAX >> (32 - nbits);
    let mut source = words.iter();
    let mut acc = 0u64;
    let mut have = 0u32;
    for o in out.iter_mut() {
        if have < nbits {
            acc = acc << 32 | u64::from(source.next().copied().unwrap_or(0));
            have += 32;
        }
        have -= nbits;
        *o = map((acc >> have) as u32 & mask);
    }
}

/// 32 tokens of `NB` bits fill exactly `NB` words: whole blocks run the accumulator loop
/// with the width known at compile time (fully unrolled, no refill branch), the tail
/// streams.
#[inline(always)]
fn unpack_blocks<const NB: u32, T>(words: &[u32], out: &mut [T], map: &impl Fn(u32) -> T) {
    let nb = NB as usize;
    let blocks = (out.len() / 32).min(words.len() / nb);
    let (head, tail) = out.split_at_mut(blocks * 32);
    for (block, w) in head.chunks_exact_mut(32).zip(words.chunks_exact(nb)) {
        let mut acc = 0u64;
        let mut have = 0u32;
        let mut next = 0;
        for o in block.iter_mut() {
            if have < NB {
                acc = acc << 32 | u64::from(w[next]);
                next += 1;
                have += 32;
            }
            have -= NB;
            *o = map((acc >> have) as u32 & (u32::MAX >> (32 - NB)));
        }
    }
    unpack_stream(words.get(blocks * nb..).unwrap_or(&[]), NB, tail, map);
}

fn check_nbits(nbits: u8) -> Result<u32> {
    match nbits {
        1..=32 | 64 => Ok(u32::from(nbits)),
        _ => Err(super::bad_nbits()),
    }
}

/// Decodes `out.len()` unsigned values of `nbits` bits.
///
/// # Errors
/// Format errors for a short area; unsupported nbits (33..63).
pub(crate) fn decode_unsigned<T: Int>(words: &[u32], nbits: u8, out: &mut [T]) -> Result<()> {
    let nbits = check_nbits(nbits)?;
    need_words(words, packed_words(out.len() as u64, nbits))?;
    if nbits == 64 {
        for (o, pair) in out.iter_mut().zip(words.chunks_exact(2)) {
            *o = T::from_u64(u64::from(pair[1]) << 32 | u64::from(pair[0]));
        }
    } else {
        unpack(words, nbits, out, T::from_u32);
    }
    Ok(())
}

/// Decodes `out.len()` signed (offset binary) values of `nbits` bits.
///
/// # Errors
/// As [`decode_unsigned`].
pub(crate) fn decode_signed<T: Int>(words: &[u32], nbits: u8, out: &mut [T]) -> Result<()> {
    let nbits = check_nbits(nbits)?;
    need_words(words, packed_words(out.len() as u64, nbits))?;
    match nbits {
        64 => {
            for (o, pair) in out.iter_mut().zip(words.chunks_exact(2)) {
                *o = T::from_i64((u64::from(pair[1]) << 32 | u64::from(pair[0])) as i64);
            }
        }
        // Removing the offset 2^31 is flipping the top bit.
        32 => unpack(words, 32, out, |t| T::from_i32((t ^ 0x8000_0000) as i32)),
        _ => {
            let offset = 1i32 << (nbits - 1);
            unpack(words, nbits, out, |t| T::from_i32(t as i32 - offset));
        }
    }
    Ok(())
}

/// Packs unsigned values (`value mod 2^nbits`) as librmn does; 64 bits = raw LE words.
pub(crate) fn encode_unsigned(values: &[u64], nbits: u32) -> Vec<u32> {
    if nbits == 64 {
        return values
            .iter()
            .flat_map(|&v| [v as u32, (v >> 32) as u32])
            .collect();
    }
    let mut w = BitWriter::new();
    for &v in values {
        w.write(v as u32, nbits);
    }
    w.finish()
}

/// Packs signed values as offset binary tokens; 64 bits = raw LE words.
pub(crate) fn encode_signed(values: &[i64], nbits: u32) -> Vec<u32> {
    if nbits == 64 {
        return values
            .iter()
            .flat_map(|&v| [v as u32, (v as u64 >> 32) as u32])
            .collect();
    }
    let offset = 1i64 << (nbits - 1);
    let mut w = BitWriter::new();
    for &v in values {
        w.write(v.wrapping_add(offset) as u32, nbits);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_vector_i12() {
        // xdf.md §4.5: I12 {100, −200, 300, −400} → 86473892 c6700000.
        let words = [0x8647_3892, 0xc670_0000];
        let mut out = [0i32; 4];
        decode_signed(&words, 12, &mut out).unwrap();
        assert_eq!(out, [100, -200, 300, -400]);
        assert_eq!(encode_signed(&[100, -200, 300, -400], 12), words);
    }

    #[test]
    fn i32_offset_binary() {
        // rsf.md appendix B: I32 100 −200 300 −400.
        let words = [0x8000_0064, 0x7fff_ff38, 0x8000_012c, 0x7fff_fe70];
        let mut out = [0i64; 4];
        decode_signed(&words, 32, &mut out).unwrap();
        assert_eq!(out, [100, -200, 300, -400]);
    }

    #[test]
    fn short_area_is_an_error() {
        let mut out = [0u16; 5];
        assert!(decode_unsigned(&[0xabc0_abc1, 0xabc2_abc3], 16, &mut out).is_err());
        let mut out = [0u32; 4];
        assert!(decode_unsigned(&[0], 33, &mut out).is_err());
    }

    fn widths() -> impl Strategy<Value = u32> {
        prop_oneof![
            1u32..=32,
            Just(8),
            Just(12),
            Just(16),
            Just(24),
            Just(32),
            Just(64)
        ]
    }

    proptest! {
        #[test]
        fn unsigned_round_trip(nbits in widths(), raw in prop::collection::vec(any::<u64>(), 0..140)) {
            let values: Vec<u64> = raw.iter().map(|&v| if nbits == 64 { v } else { v & ((1u64 << nbits) - 1) }).collect();
            let words = encode_unsigned(&values, nbits);
            let mut out = vec![0u64; values.len()];
            decode_unsigned(&words, nbits as u8, &mut out).unwrap();
            prop_assert_eq!(out, values);
        }

        #[test]
        fn signed_round_trip(nbits in widths(), raw in prop::collection::vec(any::<i64>(), 0..140)) {
            let values: Vec<i64> = raw.iter().map(|&v| if nbits == 64 { v } else { v >> (64 - nbits) }).collect();
            let words = encode_signed(&values, nbits);
            let mut out = vec![0i64; values.len()];
            decode_signed(&words, nbits as u8, &mut out).unwrap();
            prop_assert_eq!(out, values);
        }
    }
}
