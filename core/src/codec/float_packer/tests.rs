//! Spec vectors and round trips for datyp 6.

use super::*;
use proptest::prelude::*;

use crate::test_support::float_field;

fn decode(words: &[u32], n: usize) -> Vec<f32> {
    let mut out = vec![f32::NAN; n];
    decode_f32(words, 16, &mut out).unwrap();
    out
}

const FIVE: [f32; 5] = [1.5, 1.75, -8.0, 2.25, 2.5];

#[test]
fn spec_vectors_encode_exactly() {
    // xdf.md §4.7, verified against librmn.
    assert_eq!(
        encode(&FIVE, 16),
        [0xefff8208, 0xff800000, 5, 0x98009c00, 0x0000a400, 0xa8000000]
    );
    assert_eq!(
        encode(&FIVE, 8),
        [0xeff78210, 0xff800000, 5, 0x0098009c, 0x000000a4, 0x00a80000]
    );
    assert_eq!(encode(&[0.0; 4], 16), [0xefff0000, 0, 4, 0, 0, 0]);
}

#[test]
fn spec_vectors_decode() {
    let words = [
        0xefff8208, 0xff800000, 5, 0x98009c00, 0x0000a400, 0xa8000000,
    ];
    assert_eq!(decode(&words, 5), FIVE);
    let mut d = vec![0f64; 5];
    decode_f64(&words, 16, &mut d).unwrap();
    assert_eq!(d, FIVE.map(f64::from));
    assert_eq!(decode(&[0xefff0000, 0, 4, 0, 0, 0], 4), [0.0; 4]);
}

#[test]
fn inconsistent_headers_are_errors() {
    let good = encode(&FIVE, 16);
    let mut out = vec![0f32; 5];
    let mut bad_marker = good.clone();
    bad_marker[0] ^= 0x1000_0000;
    assert!(decode_f32(&bad_marker, 16, &mut out).is_err());
    let mut bad_count = good.clone();
    bad_count[2] = 6;
    assert!(decode_f32(&bad_count, 16, &mut out).is_err());
    let mut bad_shift = good.clone();
    bad_shift[0] |= 0x40;
    assert!(decode_f32(&bad_shift, 16, &mut out).is_err());
    assert!(decode_f32(&good[..5], 16, &mut out).is_err());
    assert!(decode_f32(&good[..2], 16, &mut out).is_err());
}

#[test]
fn odd_and_even_lengths() {
    for n in 0..6usize {
        let v: Vec<f32> = (0..n).map(|i| i as f32 * 0.5 - 1.0).collect();
        let words = encode(&v, 16);
        assert_eq!(decode(&words, n), v, "n = {n}");
    }
}

proptest! {
    #[test]
    fn round_trip_within_one_step(values in float_field(), nbits in 1u32..=16) {
        let words = encode(&values, nbits);
        let mut out = vec![0f32; values.len()];
        decode_f32(&words, nbits as u8, &mut out).unwrap();
        let max_exp = ((words[0] >> 8) & 0xFF) as i32;
        let shift2 = (words[0] & 0xFF) as i32;
        // One mantissa unit at MaxExp is 2^(MaxExp − 150); tokens round to 2^Shift2 units
        // (half a step of error) except near the top, where rounding up can pass the mask
        // and the clip costs up to a whole step; aligning to MaxExp truncates one unit.
        let unit = 2f64.powi(max_exp - 150);
        let tol = unit * (2f64.powi(shift2) + 1.0);
        for (x, y) in values.iter().zip(&out) {
            let err = (f64::from(*x) - f64::from(*y)).abs();
            prop_assert!(err <= tol, "{x} -> {y}, tol {tol}");
        }
    }

    #[test]
    fn repacking_is_stable(values in float_field(), nbits in 1u32..=16) {
        // librmn's own test: unpack(pack(unpack(pack(x)))) == unpack(pack(x)).
        let words = encode(&values, nbits);
        let mut once = vec![0f32; values.len()];
        decode_f32(&words, nbits as u8, &mut once).unwrap();
        let mut twice = vec![0f32; values.len()];
        decode_f32(&encode(&once, nbits), nbits as u8, &mut twice).unwrap();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn representable_fields_are_exact(ks in prop::collection::vec(0u32..=65535, 1..200)) {
        // 16-bit integers with the extremes present are on the grid of an F16 record.
        let mut values: Vec<f32> = ks.iter().map(|&k| k as f32 + 65536.0).collect();
        values.push(65536.0);
        values.push(131071.0);
        let words = encode(&values, 16);
        prop_assert_eq!(decode(&words, values.len()), values);
    }
}

proptest! {
    #[test]
    fn arbitrary_areas_never_panic(
        words in prop::collection::vec(any::<u32>(), 0..40),
        n in 0usize..100,
    ) {
        let mut words = words;
        // A valid marker and count, so the token loop runs on arbitrary shifts/minimums.
        if let Some(w0) = words.first_mut() {
            *w0 = 0xEFF0_0000 | (*w0 & 0xF_FF3F);
        }
        if let Some(w2) = words.get_mut(2) {
            *w2 = n as u32;
        }
        let mut out = vec![0f32; n];
        let _ = decode_f32(&words, 16, &mut out);
        let mut out = vec![0f64; n];
        let _ = decode_f64(&words, 16, &mut out);
    }
}
