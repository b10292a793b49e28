//! The 120-bit header of a datyp-1 data area (xdf.md §4.2): marker and count, range
//! exponent, minimum (sign, exponent, mantissa) and token width.

use crate::error::{FormatError, FormatErrorKind, Result};

/// Markers librmn's `compact_float` accepts: 0x7FF (what FST writes), 0x7EF (missing-value
/// variant) and the 28-bit-count styles 0xFFF/0xFEF; the FST reader treats all four alike.
const MARKERS: [u32; 4] = [0x7FF, 0x7EF, 0xFFF, 0xFEF];

/// Bias of the 16-bit range-exponent field.
const RANGE_BIAS: i32 = 4096;

/// The stored minimum's exponent field is the double's biased exponent minus 47; values
/// below this (float exponent 0) decode as a zero minimum, as librmn does.
const MIN_EXPO_FLOAT_ZERO: u32 = 849;

/// Bits of the data area taken by the header; tokens start right after.
pub(super) const HEADER_BITS: u64 = 120;

/// The decoded header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Header {
    /// `2^(E − nbits)`: the value of one token step.
    pub(super) step: f64,
    /// Field minimum (a float widened to double, like librmn's template).
    pub(super) min: f64,
    /// Token width in bits, from the header (librmn trusts the header, not the entry).
    pub(super) token_bits: u32,
}

impl Header {
    /// Parses the first four words of a data area.
    pub(super) fn parse(words: &[u32]) -> Result<Header> {
        let &[w0, w1, w2, w3, ..] = words else {
            return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
                needed: 4,
                available: words.len() as u64,
            })
            .into());
        };
        let marker = w0 >> 20;
        if !MARKERS.contains(&marker) {
            return Err(FormatError::new(FormatErrorKind::Mismatch {
                what: "datyp 1 header marker",
                expected: 0x7FF,
                found: u64::from(marker),
            })
            .into());
        }
        let token_bits = (w3 >> 8) & 0xFF;
        if !(1..=32).contains(&token_bits) {
            return Err(FormatError::new(FormatErrorKind::InvalidValue {
                what: "datyp 1 token width",
                value: u64::from(token_bits),
            })
            .into());
        }
        let range_expo = (w1 >> 16) as i32 - RANGE_BIAS;
        let min_expo = (w1 >> 4) & 0xFFF;
        let min = if w2 == 0 || min_expo < MIN_EXPO_FLOAT_ZERO {
            0.0
        } else {
            // librmn writes these three fields into a float's bit fields: the exponent
            // keeps its low 8 bits, the sign its low bit.
            let sign = (w1 & 1) << 31;
            let expo = ((min_expo - MIN_EXPO_FLOAT_ZERO) & 0xFF) << 23;
            let mantissa = (w2 >> 8) & 0x7F_FFFF;
            f64::from(f32::from_bits(sign | expo | mantissa))
        };
        Ok(Header {
            step: pow2(range_expo),
            min,
            token_bits,
        })
    }
}

/// Exactly `2^k` as a double: subnormal below −1022, zero below −1074, infinite above 1023.
pub(super) fn pow2(k: i32) -> f64 {
    match k {
        1024.. => f64::INFINITY,
        -1022..=1023 => f64::from_bits(((k + 1023) as u64) << 52),
        -1074..=-1023 => f64::from_bits(1u64 << (k + 1074)),
        _ => 0.0,
    }
}

/// Builds header words 0..=2 for an encoded field and returns them with the range
/// exponent `E` (word 3 is `nbits` in its top 24 bits, then the token stream).
///
/// `min`/`max` are the field extremes as doubles; follows `compact_p_float` field by field.
pub(super) fn build(count: usize, min: f64, max: f64, nbits: u32) -> ([u32; 3], i32) {
    let range2 = (max - min) * 2.0;
    let biased = |x: f64| ((x.to_bits() >> 52) & 0x7FF) as i32;
    // Unbiased exponent of 2·(max − min): 2^E > max − min ≥ 2^(E−1).
    let e = if range2 == 0.0 {
        0
    } else {
        biased(range2) - 1023
    };
    let mut min_expo = (biased(min) - 47) as u32;
    if min == 0.0 {
        min_expo &= 0x111;
    }
    let sign = u32::from(min < 0.0);
    let w0 = 0x7FF << 20 | (count as u32 & 0xF_FFFF);
    let w1 = ((e - nbits as i32 + RANGE_BIAS) as u32) << 16 | min_expo << 4 | sign;
    let w2 = if min == 0.0 {
        0
    } else {
        // Top 23 bits of the 52-bit fraction: min truncated to 24 significant bits.
        let frac23 = ((min.to_bits() >> 29) & 0x7F_FFFF) as u32;
        0x8000_0000 | frac23 << 8
    };
    ([w0, w1, w2], e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow2_is_exact_across_ranges() {
        assert_eq!(pow2(0), 1.0);
        assert_eq!(pow2(-16), 1.0 / 65536.0);
        assert_eq!(pow2(1023), 2f64.powi(1023));
        assert_eq!(pow2(-1074), f64::from_bits(1));
        assert_eq!(pow2(-1075), 0.0);
        assert_eq!(pow2(1024), f64::INFINITY);
    }

    #[test]
    fn parses_spec_vector_header() {
        // R16 of {1.5, 1.75, −8, 2.25, 2.5} (xdf.md §4.2).
        let h = Header::parse(&[0x7ff0_0005, 0x0ff4_3d31, 0x8000_0000, 0x0000_1098]).unwrap();
        assert_eq!(h.min, -8.0);
        assert_eq!(h.token_bits, 16);
        assert_eq!(h.step, pow2(4 - 16));
    }

    #[test]
    fn rejects_bad_marker_and_width() {
        assert!(Header::parse(&[0x1230_0005, 0, 0, 0x1000]).is_err());
        assert!(Header::parse(&[0x7ff0_0005, 0, 0, 0x0000]).is_err());
        assert!(Header::parse(&[0x7ff0_0005, 0, 0, 0x2100]).is_err());
        assert!(Header::parse(&[0x7ff0_0005, 0, 0]).is_err());
    }
}
