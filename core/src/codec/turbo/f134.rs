//! datyp 134: the "F" quantiser (xdf.md §4.7, librmn `float_packer.c`) whose 16-bit tokens
//! are compressed by [`armn16`](super::armn16).
//!
//! Data area: word 0 = `D`; words 1–3 = F header (`0xEFF<<20 | (nbits−1)<<16 |
//! MaxExp<<8 | Shift2`, `Minimum`, count); word 4.. = the compressed tokens.

use crate::error::Result;

use super::{corrupt, too_short};

/// Header words after `D`.
pub(super) const HEADER_WORDS: usize = 3;
/// Marker in the top 12 bits of the first header word.
const MARKER: u32 = 0xEFF;

/// What the F header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FHeader {
    /// Largest biased exponent of the field (0: all values are zero).
    pub max_exp: u32,
    /// Right shift applied to the mantissas.
    pub shift: u32,
    /// Mantissa subtracted before quantising.
    pub minimum: i32,
    /// Number of values.
    pub count: u32,
}

impl FHeader {
    /// Parses the 3 header words.
    ///
    /// # Errors
    /// Format errors for a wrong marker.
    pub(super) fn parse(w: &[u32]) -> Result<FHeader> {
        let &[w0, w1, w2] = w else {
            return Err(too_short(HEADER_WORDS as u64, w.len() as u64));
        };
        if w0 >> 20 != MARKER {
            return Err(corrupt("134 F header marker is not 0xEFF"));
        }
        Ok(FHeader {
            max_exp: (w0 >> 8) & 0xFF,
            shift: w0 & 0xFF,
            minimum: w1 as i32,
            count: w2,
        })
    }

    /// librmn's `float_unpacker_1` value of one token.
    ///
    /// Written without branches on the token (selects, not jumps) so that a loop over
    /// tokens vectorises; the header's cases are the same for every token.
    #[inline(always)]
    pub(super) fn value(&self, token: u16) -> f32 {
        if self.max_exp == 0 {
            return 0.0;
        }
        let shifted = if self.shift >= 32 {
            0
        } else {
            i32::from(token) << self.shift
        };
        let m = shifted.wrapping_add(self.minimum);
        let sign = (m as u32) & 0x8000_0000;
        // Signed: i32::MIN stays itself (no bit of the mantissa), as librmn's int does.
        let mag = m.wrapping_abs().min(0xFF_FFFF) as u32;
        let exp = self.max_exp << 23;
        let with_hidden = f32::from_bits(sign | exp | (mag & 0x7F_FFFF));
        // Without its leading 1 the hidden bit is not genuine: subtract it (exact float
        // subtraction). Both are computed and one selected, so a NaN keeps its bits.
        let without = with_hidden - f32::from_bits(sign | exp);
        if mag & 0x80_0000 != 0 {
            with_hidden
        } else {
            without
        }
    }
}

/// Biased exponent and signed mantissa of `x` aligned to exponent `max_exp`
/// (librmn's per-value transform; subnormals keep their bits shifted left once).
fn aligned_mantissa(bits: u32, max_exp: u32, hidden_always: bool) -> i32 {
    let exp = (bits >> 23) & 0xFF;
    let frac = (bits & 0x7F_FFFF) as i32;
    let mantissa = if exp > 0 || hidden_always {
        0x80_0000 | frac
    } else {
        frac << 1
    };
    let shift = (max_exp - exp.min(max_exp)).min(31);
    let m = mantissa >> shift;
    if bits >> 31 == 1 {
        -m
    } else {
        m
    }
}

/// Quantises `values` (1 ≤ nbits ≤ 16) as librmn's `c_float_packer`: header words and one
/// token per value.
pub(super) fn quantise(values: &[f32], nbits: u32) -> ([u32; HEADER_WORDS], Vec<u16>) {
    let (mut fmin, mut fmax) = (values[0], values[0]);
    for &v in values {
        if fmin > v {
            fmin = v;
        }
        if fmax < v {
            fmax = v;
        }
    }
    let (min_bits, max_bits) = (fmin.to_bits(), fmax.to_bits());
    let max_exp = ((max_bits >> 23) & 0xFF).max((min_bits >> 23) & 0xFF);
    let endpoint = |bits: u32| {
        if (bits >> 23) & 0xFF < 1 {
            0
        } else {
            aligned_mantissa(bits, max_exp, true)
        }
    };
    let minimum = endpoint(min_bits);
    let mut range = endpoint(max_bits).wrapping_sub(minimum);
    let mask = ((1u32 << nbits) - 1) as i32;
    let mut shift = 0;
    while range > mask {
        range >>= 1;
        shift += 1;
    }
    let round = if shift == 0 { 0 } else { 1i32 << (shift - 1) };
    let tokens = values
        .iter()
        .map(|v| {
            let m = aligned_mantissa(v.to_bits(), max_exp, false)
                .wrapping_sub(minimum)
                .wrapping_add(round)
                >> shift;
            m.clamp(0, mask) as u16
        })
        .collect();
    let w0 = MARKER << 20 | (nbits - 1) << 16 | max_exp << 8 | shift;
    ([w0, minimum as u32, values.len() as u32], tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vectors() {
        // xdf.md §4.7: F16 {1.5, 1.75, −8, 2.25, 2.5} → efff8208 ff800000 00000005 9800 9c00 0000 a400 a800.
        let (h, tokens) = quantise(&[1.5, 1.75, -8.0, 2.25, 2.5], 16);
        assert_eq!(h, [0xEFFF_8208, 0xFF80_0000, 5]);
        assert_eq!(tokens, [0x9800, 0x9C00, 0, 0xA400, 0xA800]);
        let f = FHeader::parse(&h).unwrap();
        let back: Vec<f32> = tokens.iter().map(|&t| f.value(t)).collect();
        assert_eq!(back, [1.5, 1.75, -8.0, 2.25, 2.5]);
        let (h8, t8) = quantise(&[1.5, 1.75, -8.0, 2.25, 2.5], 8);
        assert_eq!(h8, [0xEFF7_8210, 0xFF80_0000, 5]);
        assert_eq!(t8, [0x98, 0x9C, 0, 0xA4, 0xA8]);
        let (hz, tz) = quantise(&[0.0; 4], 16);
        assert_eq!(hz, [0xEFFF_0000, 0, 4]);
        assert!(tz.iter().all(|&t| t == 0));
        assert_eq!(FHeader::parse(&hz).unwrap().value(0), 0.0);
    }

    /// The value as first written, with branches (the model the branch-free form is
    /// checked against, bit for bit, NaN payloads included).
    fn value_model(h: &FHeader, token: u16) -> f32 {
        if h.max_exp == 0 {
            return 0.0;
        }
        let shifted = if h.shift >= 32 {
            0
        } else {
            i32::from(token) << h.shift
        };
        let m = shifted.wrapping_add(h.minimum);
        let negative = m < 0;
        let mut mag = m.wrapping_abs();
        if mag > 0xFF_FFFF {
            mag = 0xFF_FFFF;
        }
        let sign = u32::from(negative) << 31;
        let with_hidden = f32::from_bits(sign | h.max_exp << 23 | (mag as u32 & 0x7F_FFFF));
        if mag & 0x80_0000 != 0 {
            with_hidden
        } else {
            with_hidden - f32::from_bits(sign | h.max_exp << 23)
        }
    }

    #[test]
    fn branch_free_value_is_the_model() {
        let minimums = [
            0,
            1,
            -1,
            -0x40_0000,
            0x7F_FFFF,
            i32::MIN,
            i32::MIN + 5,
            i32::MAX,
            -0x100_0000,
        ];
        for max_exp in [0u32, 1, 100, 127, 130, 254, 255] {
            for shift in [0u32, 1, 7, 8, 15, 16, 23, 31, 32, 40] {
                for &minimum in &minimums {
                    let h = FHeader {
                        max_exp,
                        shift,
                        minimum,
                        count: 0,
                    };
                    for token in (0..=u16::MAX).step_by(7).chain([u16::MAX, 1, 0x8000]) {
                        let (got, want) = (h.value(token), value_model(&h, token));
                        assert_eq!(got.to_bits(), want.to_bits(), "{h:?} token {token}");
                    }
                }
            }
        }
    }

    #[test]
    fn bad_header() {
        assert!(FHeader::parse(&[0xEFE0_0000, 0, 4]).is_err());
        assert!(FHeader::parse(&[0xEFF0_0000, 0]).is_err());
    }
}
