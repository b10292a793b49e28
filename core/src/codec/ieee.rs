//! datyp 5 ("E"): IEEE floats (`ieeepak`). 32 bits: one float32 pattern per word;
//! 64 bits: each double as two words, most significant first (also in RSF, whose words are
//! little-endian); 1..31 bits: the top `nbits` bits of each float32 pattern, MSB first,
//! the dropped low bits reading back as zero.
//!
//! Spec: `shared/spec/xdf.md` §4.6.

use super::bits::BitWriter;
use super::convert::Real;
use super::integer::unpack;
use super::{need_words, packed_words};
use crate::error::Result;

/// Decodes `out.len()` IEEE values of `nbits` bits (1..=32 or 64).
///
/// # Errors
/// Format errors for a short area; unsupported for 33..63 bits.
pub(crate) fn decode<R: Real>(words: &[u32], nbits: u8, out: &mut [R]) -> Result<()> {
    match nbits {
        64 => {
            let stored = need_words(words, packed_words(out.len() as u64, 64))?;
            for (o, pair) in out.iter_mut().zip(stored.chunks_exact(2)) {
                *o = R::from_f64(f64::from_bits(
                    u64::from(pair[0]) << 32 | u64::from(pair[1]),
                ));
            }
        }
        1..=32 => {
            let nbits = u32::from(nbits);
            need_words(words, packed_words(out.len() as u64, nbits))?;
            let shift = 32 - nbits;
            unpack(words, nbits, out, |t| {
                R::from_f32(f32::from_bits(t << shift))
            });
        }
        _ => return Err(super::bad_nbits()),
    }
    Ok(())
}

/// Packs float32 values on `nbits` (1..=32) bits: the top bits of each pattern.
pub(crate) fn encode_ieee32(values: &[f32], nbits: u32) -> Vec<u32> {
    let mut w = BitWriter::new();
    for &v in values {
        w.write(v.to_bits() >> (32 - nbits), nbits);
    }
    w.finish()
}

/// Packs doubles as pairs of words, most significant first.
pub(crate) fn encode_ieee64(values: &[f64]) -> Vec<u32> {
    values
        .iter()
        .flat_map(|v| {
            let b = v.to_bits();
            [(b >> 32) as u32, b as u32]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_vectors() {
        // xdf.md §4.6: E16 {1.5, 1.75, −8, 2.25, 2.5} → 3fc03fe0 c1004010 40200000.
        let words = [0x3fc0_3fe0, 0xc100_4010, 0x4020_0000];
        let mut out = [0f32; 5];
        decode(&words, 16, &mut out).unwrap();
        assert_eq!(out, [1.5, 1.75, -8.0, 2.25, 2.5]);
        assert_eq!(encode_ieee32(&out, 16), words);
        // rsf.md appendix B: E64 1.5 is 3ff80000 00000000.
        let mut out = [0f64; 1];
        decode(&[0x3ff8_0000, 0], 64, &mut out).unwrap();
        assert_eq!(out, [1.5]);
        let mut out = [0f32; 2];
        assert!(decode(&[0x3ff8_0000, 0, 0], 64, &mut out).is_err());
        assert!(decode(&[0; 4], 40, &mut out).is_err());
    }

    proptest! {
        #[test]
        fn round_trip_32(values in prop::collection::vec(any::<f32>(), 0..50)) {
            let mut out = vec![0f32; values.len()];
            decode(&encode_ieee32(&values, 32), 32, &mut out).unwrap();
            prop_assert_eq!(
                out.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }

        #[test]
        fn round_trip_truncated(nbits in 1u32..32, values in prop::collection::vec(any::<f32>(), 0..50)) {
            let mut out = vec![0f32; values.len()];
            decode(&encode_ieee32(&values, nbits), nbits as u8, &mut out).unwrap();
            let keep = u32::MAX << (32 - nbits);
            prop_assert_eq!(
                out.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                values.iter().map(|v| v.to_bits() & keep).collect::<Vec<_>>()
            );
        }

        #[test]
        fn round_trip_64(values in prop::collection::vec(any::<f64>(), 0..50)) {
            let mut out = vec![0f64; values.len()];
            decode(&encode_ieee64(&values), 64, &mut out).unwrap();
            prop_assert_eq!(
                out.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
    }
}
