//! datyp 8 ("C"): `2n` IEEE values, real and imaginary interleaved, 32 bits each (complex64)
//! or 64 bits each, most significant word first (complex128). No +64 or +128 variants.
//!
//! Spec: `shared/spec/xdf.md` §4.9.

use super::convert::Real;
use super::ieee;
use crate::error::Result;

/// Decodes `out.len()` interleaved scalars (twice the number of complex values).
///
/// # Errors
/// Format errors for a short area; unsupported unless `nbits` is 32 or 64.
pub(crate) fn decode<R: Real>(words: &[u32], nbits: u8, out: &mut [R]) -> Result<()> {
    match nbits {
        32 | 64 => ieee::decode(words, nbits, out),
        _ => Err(super::bad_nbits()),
    }
}

/// Packs complex64 values given as interleaved (re, im) scalars.
pub(crate) fn encode_complex64(scalars: &[f32]) -> Vec<u32> {
    ieee::encode_ieee32(scalars, 32)
}

/// Packs complex128 values given as interleaved (re, im) scalars.
pub(crate) fn encode_complex128(scalars: &[f64]) -> Vec<u32> {
    ieee::encode_ieee64(scalars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn other_widths_are_refused() {
        let mut out = [0f32; 2];
        assert!(decode(&[0; 4], 16, &mut out).is_err());
    }

    proptest! {
        #[test]
        fn round_trip(pairs in prop::collection::vec((-1e30f64..1e30, -1e30f64..1e30), 0..30)) {
            let scalars: Vec<f64> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
            let mut out = vec![0f64; scalars.len()];
            decode(&encode_complex128(&scalars), 64, &mut out).unwrap();
            prop_assert_eq!(&out, &scalars);
            let narrow: Vec<f32> = scalars.iter().map(|&v| v as f32).collect();
            let mut out = vec![0f32; narrow.len()];
            decode(&encode_complex64(&narrow), 32, &mut out).unwrap();
            prop_assert_eq!(&out, &narrow);
        }
    }
}
