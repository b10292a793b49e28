//! Spec vectors and round trips for datyp 1.

use super::*;
use proptest::prelude::*;

use crate::test_support::float_field;

fn decode(words: &[u32], n: usize) -> Vec<f32> {
    let mut out = vec![f32::NAN; n];
    decode_f32(words, 16, &mut out).unwrap();
    out
}

#[test]
fn spec_vectors_encode_exactly() {
    // xdf.md §4.2, verified against librmn.
    let a = encode(&[1.5, 1.75, -8.0, 2.25, 2.5], 16);
    assert_eq!(
        a,
        [0x7ff00005, 0x0ff43d31, 0x80000000, 0x00001098, 0x009c0000, 0x00a400a8, 0, 0]
    );
    let b = encode(&[3.25; 4], 16);
    assert_eq!(b, [0x7ff00004, 0x0ff03d10, 0xd0000000, 0x00001000, 0, 0]);
    let c = encode(&[0.0, 1.0, 2.0, 3.0], 16);
    assert_eq!(
        c,
        [0x7ff00004, 0x0ff21110, 0, 0x00001000, 0x00400080, 0x00c00000]
    );
}

#[test]
fn spec_vectors_decode() {
    let words = [
        0x7ff00005, 0x0ff43d31, 0x80000000, 0x00001098, 0x009c0000, 0x00a400a8, 0,
    ];
    let got = decode(&words, 5);
    // Exact up to the 1e-13 nudge, which float rounding absorbs here.
    assert_eq!(got, [1.5, 1.75, -8.0, 2.25, 2.5]);
    assert_eq!(
        decode(&[0x7ff00004, 0x0ff03d10, 0xd0000000, 0x1000, 0, 0], 4),
        [3.25; 4]
    );
    let mut d = vec![0f64; 4];
    decode_f64(
        &[0x7ff00004, 0x0ff21110, 0, 0x1000, 0x00400080, 0x00c00000],
        16,
        &mut d,
    )
    .unwrap();
    assert_eq!(d[0], 0.0);
    assert_eq!(d[3], 3.0 * NUDGE);
}

#[test]
fn one_bit_records_decode() {
    let v = [0.0f32, 1.0, 1.0, 0.0, 1.0];
    let words = encode(&v, 1);
    assert_eq!(decode(&words, 5), v);
}

#[test]
fn short_area_is_an_error() {
    let words = encode(&[1.0, 2.0, 3.0, 4.0, 5.0], 16);
    let mut out = vec![0f32; 5];
    assert!(decode_f32(&words[..5], 16, &mut out).is_err());
    assert!(decode_f32(&words[..2], 16, &mut out).is_err());
    let mut big = vec![0f32; 100];
    assert!(decode_f32(&words, 16, &mut big).is_err());
}

proptest! {
    #[test]
    fn round_trip_within_one_step(values in float_field(), nbits in 1u32..=32) {
        let words = encode(&values, nbits);
        let mut out = vec![0f32; values.len()];
        decode_f32(&words, nbits as u8, &mut out).unwrap();
        let min = f64::from(values.iter().copied().fold(f32::INFINITY, f32::min));
        let max = f64::from(values.iter().copied().fold(f32::NEG_INFINITY, f32::max));
        // Tokens truncate: error below one step 2^(E−nbits) ≤ 2·range/2^nbits, plus float
        // rounding of the result and of the stored minimum (24 bits).
        let step = 2.0 * (max - min) / 2f64.powi(nbits as i32);
        let ulp = max.abs().max(min.abs()) * 2f64.powi(-22);
        for (x, y) in values.iter().zip(&out) {
            let err = (f64::from(*x) - f64::from(*y)).abs();
            prop_assert!(err <= step + ulp, "{x} -> {y}, step {step}");
        }
    }

    #[test]
    fn representable_fields_are_exact(base in 0i32..100_000, ks in prop::collection::vec(0u32..4096, 1..200)) {
        // Values on the token grid of a 16-bit record: min + k/16, a multiple of the step 2^(E−16) = 2^−8 (E = 8). The
        // minimum is non-negative: librmn's 1e-13 nudge survives float rounding only when
        // min and the token term cancel (a result near zero).
        let mut values: Vec<f32> = ks.iter().map(|&k| base as f32 + k as f32 / 16.0).collect();
        values[0] = base as f32;
        values.push(base as f32 + 4095.0 / 16.0 + 0.001);
        let words = encode(&values, 16);
        let mut out = vec![0f32; values.len()];
        decode_f32(&words, 16, &mut out).unwrap();
        for (x, y) in values.iter().zip(&out).take(ks.len()) {
            prop_assert_eq!(x, y);
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_areas_never_panic(
        words in prop::collection::vec(any::<u32>(), 0..40),
        marker in prop::bool::ANY,
        n in 0usize..100,
    ) {
        let mut words = words;
        if marker && !words.is_empty() {
            // Reach the token loop more often: a valid marker and a sane width.
            words[0] = 0x7FF0_0000 | (words[0] & 0xF_FFFF);
            if let Some(w3) = words.get_mut(3) {
                *w3 = (*w3 & 0xFFFF_00FF) | ((*w3 >> 8) % 32 + 1) << 8;
            }
        }
        let mut out = vec![0f32; n];
        let _ = decode_f32(&words, 16, &mut out);
        let mut out = vec![0f64; n];
        let _ = decode_f64(&words, 16, &mut out);
    }
}

/// `encode` (vectorised loops) against the plain reference packer.
fn same_as_reference(values: &[f32], nbits: u32) -> bool {
    let fast = encode(values, nbits);
    let reference = reference_encode(values.len(), || values.iter().map(|&v| f64::from(v)), nbits);
    fast == reference
}

#[test]
fn encoder_matches_the_reference_at_every_width_and_block_edge() {
    let specials = [
        0.0f32,
        -0.0,
        f32::MIN_POSITIVE,
        -1e-45,
        1e-40,
        3.0e38,
        -3.0e38,
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
    ];
    for nbits in 1..=32 {
        for len in [
            0usize, 1, 2, 3, 15, 16, 17, 31, 33, 511, 512, 513, 1024, 1537,
        ] {
            let smooth: Vec<f32> = (0..len)
                .map(|i| (i as f32 * 0.01).sin() * 30.0 + 270.0)
                .collect();
            assert!(
                same_as_reference(&smooth, nbits),
                "smooth nbits {nbits} len {len}"
            );
            for (s, &special) in specials.iter().enumerate() {
                for at in [0, len / 2, len.saturating_sub(1)] {
                    let mut v = smooth.clone();
                    if let Some(x) = v.get_mut(at) {
                        *x = special;
                    }
                    assert!(
                        same_as_reference(&v, nbits),
                        "special {s} at {at}, nbits {nbits} len {len}"
                    );
                }
            }
            let zeros: Vec<f32> = (0..len)
                .map(|i| if i % 3 == 0 { -0.0 } else { 0.0 })
                .collect();
            assert!(
                same_as_reference(&zeros, nbits),
                "signed zeros nbits {nbits} len {len}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encoder_matches_the_reference_on_arbitrary_floats(
        values in prop::collection::vec(any::<f32>(), 0..700),
        nbits in 1u32..=32,
    ) {
        prop_assert!(same_as_reference(&values, nbits));
    }

    #[test]
    fn encoder_matches_the_reference_on_fields(values in float_field(), nbits in 1u32..=32) {
        prop_assert!(same_as_reference(&values, nbits));
    }
}

/// The +64 encoder (plug on the fly, one scan) against librmn's order of work as the
/// model: plug a copy of the field, then pack it.
fn missing_same_as_plugged(values: &[f32], nbits: u32) -> bool {
    let mut plugged = values.to_vec();
    let any = crate::codec::plug_reals(&mut plugged, nbits);
    let fused = Encoder::new(std::borrow::Cow::Borrowed(values), nbits, true);
    let mut words = fused.to_words();
    words.resize(fused.area_words(), 0);
    fused.plugs() == any && words == encode(&plugged, nbits)
}

/// Windows of every size give the words of one packing.
fn windows_same_as_whole(values: &[f32], nbits: u32, missing: bool) -> bool {
    let e = Encoder::new(std::borrow::Cow::Borrowed(values), nbits, missing);
    let whole = e.to_words();
    [1u64, 31, 32, 33, 512 * 16, 4096].iter().all(|&bits| {
        let mut got = Vec::new();
        let mut calls = 0;
        e.windows_of(bits, |w| {
            got.extend_from_slice(w);
            calls += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        got.len() == e.token_words() && got[..] == whole[..e.token_words()] && calls >= 1
    })
}

#[test]
fn missing_encoder_matches_plug_then_pack() {
    let marker = -1.0e38f32;
    for nbits in 1..=32 {
        for len in [0usize, 1, 2, 15, 16, 17, 33, 511, 513, 1100] {
            let smooth: Vec<f32> = (0..len)
                .map(|i| (i as f32 * 0.01).sin() * 30.0 - 270.0)
                .collect();
            assert!(
                missing_same_as_plugged(&smooth, nbits),
                "none {nbits} {len}"
            );
            for missing in [marker, f32::NAN] {
                for at in [0, len / 2, len.saturating_sub(1)] {
                    let mut v = smooth.clone();
                    if let Some(x) = v.get_mut(at) {
                        *x = missing;
                    }
                    assert!(missing_same_as_plugged(&v, nbits), "{nbits} {len} {at}");
                }
                // Every point missing; one point left (negative max, zero range: the
                // plug goes below it); infinities among the present points.
                let all = vec![missing; len];
                assert!(missing_same_as_plugged(&all, nbits), "all {nbits} {len}");
                let mut one = all.clone();
                if let Some(x) = one.get_mut(len / 3) {
                    *x = -3.0;
                }
                assert!(missing_same_as_plugged(&one, nbits), "one {nbits} {len}");
                for inf in [f32::INFINITY, f32::NEG_INFINITY] {
                    let mut v = one.clone();
                    if let Some(x) = v.last_mut() {
                        *x = inf;
                    }
                    assert!(missing_same_as_plugged(&v, nbits), "inf {nbits} {len}");
                }
            }
        }
    }
}

#[test]
fn windows_give_the_words_of_one_packing() {
    let v: Vec<f32> = (0..3000)
        .map(|i| {
            if i % 7 == 0 {
                f32::NAN
            } else {
                (i as f32 * 0.3).cos()
            }
        })
        .collect();
    for nbits in [1, 7, 8, 12, 16, 24, 31, 32] {
        assert!(windows_same_as_whole(&v, nbits, false), "{nbits}");
        assert!(windows_same_as_whole(&v, nbits, true), "{nbits} +64");
        assert!(windows_same_as_whole(&v[..5], nbits, true), "{nbits} short");
        assert!(windows_same_as_whole(&[], nbits, false), "{nbits} empty");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn missing_encoder_matches_plug_then_pack_on_arbitrary_floats(
        values in prop::collection::vec(
            prop_oneof![any::<f32>(), Just(-1.0e38f32), Just(f32::NAN), -50f32..50.0],
            0..700,
        ),
        nbits in 1u32..=32,
    ) {
        prop_assert!(missing_same_as_plugged(&values, nbits));
    }
}
