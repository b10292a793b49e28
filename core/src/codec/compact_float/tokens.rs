//! Fast unpacking of a run of equal-width tokens from an MSB-first word stream that starts
//! at an arbitrary bit (datyp 1 tokens start at bit 120).
//!
//! The stream is first viewed as *aligned* words (each built from two stored words), so
//! the common widths (8, 12, 16) split whole words without a per-token bit reader.

use crate::error::{FormatError, FormatErrorKind, Result};

/// Checks that `words` hold `count` tokens of `nbits` bits after `start_bit`.
pub(super) fn check_len(words: &[u32], start_bit: u64, nbits: u32, count: usize) -> Result<()> {
    let needed_bits = (count as u64)
        .checked_mul(u64::from(nbits))
        .and_then(|b| b.checked_add(start_bit));
    let available = words.len() as u64;
    match needed_bits {
        Some(bits) if bits.div_ceil(32) <= available => Ok(()),
        _ => Err(FormatError::new(FormatErrorKind::PayloadTooShort {
            needed: needed_bits.map_or(u64::MAX, |b| b.div_ceil(32)),
            available,
        })
        .into()),
    }
}

/// The stream from `start_bit` on, 32 bits at a time (zero bits past the end).
fn aligned(words: &[u32], start_bit: u64) -> impl Iterator<Item = u32> + '_ {
    let first = usize::try_from(start_bit / 32).unwrap_or(usize::MAX);
    let rest = words.get(first..).unwrap_or(&[]);
    let next = rest.get(1..).unwrap_or(&[]);
    let shift = 32 - (start_bit % 32) as u32;
    rest.iter()
        .zip(next.iter().chain(std::iter::once(&0)))
        .map(move |(&a, &b)| ((u64::from(a) << 32 | u64::from(b)) >> shift) as u32)
}

/// Unpacks `out.len()` tokens of `nbits` (1..=32) bits starting at `start_bit`, storing
/// `map(token)`. The caller has checked the length with [`check_len`]; missing words read
/// as zero bits.
#[inline]
pub(super) fn unpack<T>(
    words: &[u32],
    start_bit: u64,
    nbits: u32,
    out: &mut [T],
    map: impl Fn(u32) -> T,
) {
    let mut stream = aligned(words, start_bit);
    match nbits {
        16 => {
            let mut chunks = out.chunks_exact_mut(2);
            for (c, s) in (&mut chunks).zip(&mut stream) {
                c[0] = map(s >> 16);
                c[1] = map(s & 0xFFFF);
            }
            if let [last] = chunks.into_remainder() {
                *last = map(stream.next().unwrap_or(0) >> 16);
            }
        }
        8 => {
            let mut chunks = out.chunks_exact_mut(4);
            for (c, s) in (&mut chunks).zip(&mut stream) {
                c[0] = map(s >> 24);
                c[1] = map(s >> 16 & 0xFF);
                c[2] = map(s >> 8 & 0xFF);
                c[3] = map(s & 0xFF);
            }
            generic(&mut stream, 8, chunks.into_remainder(), &map);
        }
        12 => {
            let mut chunks = out.chunks_exact_mut(8);
            for c in &mut chunks {
                let a = stream.next().unwrap_or(0);
                let b = stream.next().unwrap_or(0);
                let d = stream.next().unwrap_or(0);
                c[0] = map(a >> 20);
                c[1] = map(a >> 8 & 0xFFF);
                c[2] = map((a << 4 | b >> 28) & 0xFFF);
                c[3] = map(b >> 16 & 0xFFF);
                c[4] = map(b >> 4 & 0xFFF);
                c[5] = map((b << 8 | d >> 24) & 0xFFF);
                c[6] = map(d >> 12 & 0xFFF);
                c[7] = map(d & 0xFFF);
            }
            generic(&mut stream, 12, chunks.into_remainder(), &map);
        }
        _ => generic(&mut stream, nbits, out, &map),
    }
}

/// Any width 1..=32, through a 64-bit accumulator refilled one aligned word at a time.
fn generic<T>(
    stream: &mut impl Iterator<Item = u32>,
    nbits: u32,
    out: &mut [T],
    map: &impl Fn(u32) -> T,
) {
    let mask = (1u64 << nbits) - 1;
    let mut acc = 0u64;
    let mut have = 0u32;
    for o in out {
        if have < nbits {
            acc = acc << 32 | u64::from(stream.next().unwrap_or(0));
            have += 32;
        }
        have -= nbits;
        *o = map(((acc >> have) & mask) as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::bits::BitWriter;

    #[test]
    fn every_width_and_start_matches_the_bit_writer() {
        for nbits in 1..=32u32 {
            for start in [0u64, 7, 32, 120] {
                for count in [0usize, 1, 2, 3, 7, 8, 9, 17, 33] {
                    let mut w = BitWriter::new();
                    for _ in 0..start {
                        w.write(1, 1);
                    }
                    let mask = ((1u64 << nbits) - 1) as u32;
                    let tokens: Vec<u32> = (0..count as u32)
                        .map(|i| i.wrapping_mul(0x9E37_79B9).rotate_left(i) & mask)
                        .collect();
                    for &t in &tokens {
                        w.write(t, nbits);
                    }
                    let words = w.finish();
                    check_len(&words, start, nbits, count).unwrap();
                    let mut out = vec![0u32; count];
                    unpack(&words, start, nbits, &mut out, |t| t);
                    assert_eq!(out, tokens, "nbits {nbits} start {start} count {count}");
                }
            }
        }
    }

    #[test]
    fn short_stream_is_rejected() {
        assert!(check_len(&[0; 4], 120, 16, 1).is_err());
        assert!(check_len(&[0; 4], 120, 8, 1).is_ok());
        assert!(check_len(&[0; 4], 120, 32, usize::MAX).is_err());
    }
}
