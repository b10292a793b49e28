//! datyp 129: "R" quantisation (xdf.md §4.2) with 16-bit token slots, compressed by
//! [`armn16`](super::armn16).
//!
//! Data area: word 0 = `D`; words 1–4 = R header in "style 2" (marker 0xFFF, 28-bit count:
//! low 20 bits in word 1, high 8 bits in word 4 below `nbits << 8`); word 5.. = the
//! compressed tokens. Tokens keep `nbits` precision in 16-bit slots: librmn's reader
//! unpacks them `nbits` wide and is wrong for nbits < 16; we read the slots.

use crate::error::Result;

use super::{corrupt, too_short};

/// Marker of a style-2 R header (0xFEF would flag missing values, which FST never writes).
const MARKER_STYLE2: u32 = 0xFFF;
/// Header words after `D`.
pub(super) const HEADER_WORDS: usize = 4;

/// What the R header says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RHeader {
    /// Number of values.
    pub count: u32,
    /// Token precision.
    pub nbits: u32,
    /// Value of one token step, `2^(E − nbits)`.
    pub step: f64,
    /// Field minimum (float precision).
    pub min: f32,
}

impl RHeader {
    /// Parses the 4 header words.
    ///
    /// # Errors
    /// Format errors for a wrong marker.
    pub(super) fn parse(w: &[u32]) -> Result<RHeader> {
        let &[w0, w1, w2, w3] = w else {
            return Err(too_short(HEADER_WORDS as u64, w.len() as u64));
        };
        if w0 >> 20 != MARKER_STYLE2 {
            return Err(corrupt("129 R header marker is not 0xFFF"));
        }
        let count = (w3 & 0xFF) << 20 | (w0 & 0xF_FFFF);
        let nbits = (w3 >> 8) & 0xFF;
        let exponent = (w1 >> 16) as i32 - 4096;
        let min_expo = (w1 >> 4) & 0xFFF;
        let min = if w2 == 0 || min_expo < 849 {
            0.0
        } else {
            f32::from_bits((w1 & 1) << 31 | ((min_expo - 849) & 0xFF) << 23 | (w2 >> 8) & 0x7F_FFFF)
        };
        Ok(RHeader {
            count,
            nbits,
            step: 2f64.powi(exponent),
            min,
        })
    }

    /// librmn's `compact_u_float` value of one token, in double.
    #[inline]
    pub(super) fn value(&self, token: u16) -> f64 {
        if token == 0 {
            f64::from(self.min)
        } else {
            (f64::from(token) * self.step) * 1.000_000_000_000_1 + f64::from(self.min)
        }
    }
}

/// Quantises `values` as librmn's `compact_p_float` does: the 4 header words (style 2) and
/// one token per value (< 2^nbits).
pub(super) fn quantise(values: &[f32], nbits: u32) -> ([u32; HEADER_WORDS], Vec<u16>) {
    let n = values.len() as u32;
    let (mut min, mut max) = (f64::from(values[0]), f64::from(values[0]));
    for &v in &values[1..] {
        let v = f64::from(v);
        if v < min {
            min = v;
        } else if v > max {
            max = v;
        }
    }
    let range2 = (max - min) * 2.0;
    let exponent = if range2 == 0.0 {
        0
    } else {
        ((range2.to_bits() >> 52) & 0x7FF) as i32 - 1023
    };
    let scale = 2f64.powi(nbits as i32 - exponent);
    let tokens = values
        .iter()
        .map(|&v| ((f64::from(v) - min) * scale) as u16)
        .collect();
    let min_bits = min.to_bits();
    let min_expo = if min == 0.0 {
        0x111
    } else {
        (((min_bits >> 52) & 0x7FF) as u32).wrapping_sub(47) & 0xFFF
    };
    let sign = u32::from(min < 0.0);
    let w0 = MARKER_STYLE2 << 20 | (n & 0xF_FFFF);
    let w1 = ((exponent - nbits as i32 + 4096) as u32) << 16 | min_expo << 4 | sign;
    let w2 = if min == 0.0 {
        0
    } else {
        0x8000_0000 | (((min_bits >> 29) & 0x7F_FFFF) as u32) << 8
    };
    let w3 = nbits << 8 | (n >> 20) & 0xFF;
    ([w0, w1, w2, w3], tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vector_header() {
        // xdf.md §4.2: R16 of {1.5, 1.75, −8, 2.25, 2.5}: word 1 = 0x0ff43d31, word 2 = 0x80000000.
        let (h, tokens) = quantise(&[1.5, 1.75, -8.0, 2.25, 2.5], 16);
        assert_eq!(h[0], 0xFFF0_0005);
        assert_eq!(h[1], 0x0FF4_3D31);
        assert_eq!(h[2], 0x8000_0000);
        assert_eq!(h[3], 0x1000);
        assert_eq!(tokens, [0x9800, 0x9C00, 0, 0xA400, 0xA800]);
        let r = RHeader::parse(&h).unwrap();
        assert_eq!((r.count, r.nbits, r.min), (5, 16, -8.0));
        assert_eq!(r.value(0x9800) as f32, 1.5);
    }

    #[test]
    fn zero_minimum_and_constant_field() {
        let (h, tokens) = quantise(&[0.0, 1.0, 2.0, 3.0], 16);
        assert_eq!(h[1], 0x0FF2_1110);
        assert_eq!(h[2], 0);
        assert_eq!(tokens, [0, 0x4000, 0x8000, 0xC000]);
        let (h, tokens) = quantise(&[3.25; 4], 16);
        let r = RHeader::parse(&h).unwrap();
        assert!(tokens.iter().all(|&t| t == 0));
        assert_eq!(r.value(0) as f32, 3.25);
    }

    #[test]
    fn bad_marker() {
        assert!(RHeader::parse(&[0x7FF0_0005, 0, 0, 0x1000]).is_err());
        assert!(RHeader::parse(&[0xFFF0_0005]).is_err());
    }
}
