//! +64: missing values. The file holds no mask: the writer replaced missing points by a
//! *plug* just above the field maximum; in librmn's missing-value mode the reader replaces
//! every value equal to the decoded maximum (over values that are not already markers) by
//! the marker.
//!
//! Spec: `shared/spec/xdf.md` §4.10; librmn `fst_missing.c`.

use super::convert::{Int, Real};
use super::MissingMode;
use crate::array::OutSlice;

/// Largest value that is not `marker`, or `None` when every value is the marker (or the
/// slice is empty); comparisons as librmn's (`>`, so NaN never becomes the maximum).
fn max_not<T: Copy + PartialOrd>(values: &[T], marker: T) -> Option<T> {
    let mut max: Option<T> = None;
    for &v in values {
        if v != marker && max.is_none_or(|m| v > m) {
            max = Some(v);
        }
    }
    max
}

fn replace<T: Copy + PartialOrd>(values: &mut [T], marker: T, with: T) {
    if let Some(max) = max_not(values, marker) {
        for v in values.iter_mut() {
            if *v == max {
                *v = with;
            }
        }
    }
}

fn reals<R: Real>(values: &mut [R], mode: MissingMode) {
    let with = if mode == MissingMode::Nan {
        R::NAN
    } else {
        R::MARKER
    };
    replace(values, R::MARKER, with);
}

fn ints<T: Int>(values: &mut [T]) {
    replace(values, T::MARKER, T::MARKER);
}

/// Replaces the plug values of a decoded +64 record per `mode` ([`MissingMode::Plug`] keeps
/// them). Characters, raw words and complex values have no missing values.
pub(crate) fn apply(out: OutSlice<'_>, mode: MissingMode) {
    if mode == MissingMode::Plug {
        return;
    }
    match out {
        OutSlice::F32(v) => reals(v, mode),
        OutSlice::F64(v) => reals(v, mode),
        OutSlice::I8(v) => ints(v),
        OutSlice::I16(v) => ints(v),
        OutSlice::I32(v) => ints(v),
        OutSlice::I64(v) => ints(v),
        OutSlice::U8(v) => ints(v),
        OutSlice::U16(v) => ints(v),
        OutSlice::U32(v) => ints(v),
        OutSlice::U64(v) => ints(v),
        OutSlice::C64(_) | OutSlice::C128(_) | OutSlice::Chars(_) | OutSlice::Words(_) => {}
    }
}

/// The plug librmn writes for missing points of a real field (`fst_float_encode_missing`):
/// `max` and `min` are over the non-missing values.
#[cfg_attr(not(test), allow(dead_code))] // the writer's packers; only tests call them yet
pub(crate) fn plug_real(min: f32, max: f32, nbits: u32) -> f32 {
    const FACTOR: [f64; 9] = [2.0, 1.1, 0.55, 0.28, 0.14, 0.07, 0.035, 0.017, 0.01];
    let factor = if nbits > 8 {
        0.01
    } else {
        FACTOR[nbits as usize]
    };
    let plug = (f64::from(max) + (f64::from(max) - f64::from(min)) * factor) as f32;
    if plug != max {
        plug
    } else if max == 0.0 {
        1.0
    } else {
        2.0 * max
    }
}

/// The plug librmn writes for missing points of a signed field of `nbits` bits.
#[cfg_attr(not(test), allow(dead_code))] // the writer's packers; only tests call them yet
pub(crate) fn plug_signed(max: i64, nbits: u32) -> i64 {
    let p = (1i64 << (nbits.clamp(1, 63) - 1)) - 1;
    if p > max {
        max + 1
    } else {
        p
    }
}

/// The plug librmn writes for missing points of an unsigned field of `nbits` bits.
#[cfg_attr(not(test), allow(dead_code))] // the writer's packers; only tests call them yet
pub(crate) fn plug_unsigned(max: u64, nbits: u32) -> u64 {
    let p = if nbits >= 64 {
        u64::MAX
    } else {
        (1u64 << nbits) - 1
    };
    if p > max {
        max + 1
    } else {
        p
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ieee, integer};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn modes() {
        let decoded = [1.5f32, 3.0, -8.0, 3.0];
        let mut v = decoded;
        apply(OutSlice::F32(&mut v), MissingMode::Plug);
        assert_eq!(v, decoded);
        apply(OutSlice::F32(&mut v), MissingMode::Marker);
        assert_eq!(v, [1.5, -1.0e38, -8.0, -1.0e38]);
        let mut v = decoded;
        apply(OutSlice::F32(&mut v), MissingMode::Nan);
        assert!(v[1].is_nan() && v[3].is_nan() && v[0] == 1.5);
        let mut v = [5u16, 9, 9, 2];
        apply(OutSlice::U16(&mut v), MissingMode::Nan);
        assert_eq!(v, [5, u16::MAX, u16::MAX, 2]);
    }

    #[test]
    fn plugs_as_librmn() {
        assert_eq!(plug_unsigned(9, 8), 10);
        assert_eq!(plug_unsigned(255, 8), 255);
        assert_eq!(plug_signed(100, 16), 101);
        assert_eq!(plug_signed(32767, 16), 32767);
        assert_eq!(plug_real(0.0, 0.0, 16), 1.0);
        assert_eq!(plug_real(3.0, 3.0, 16), 6.0);
        assert_eq!(plug_real(0.0, 100.0, 16), 101.0);
        assert_eq!(plug_real(0.0, 100.0, 2), 155.0);
    }

    proptest! {
        /// Write side as librmn (plug, pack) then read side in marker mode gives the markers
        /// back exactly where the input was missing.
        #[test]
        fn signed_round_trip(nbits in 2u32..=32, raw in prop::collection::vec((any::<i32>(), any::<bool>()), 1..60)) {
            let half = 1i64 << (nbits - 1);
            // Keep values below the plug so the plug stays above the field maximum.
            // At least one point missing, or librmn would not have set the flag.
            let values: Vec<Option<i64>> = raw.iter().enumerate().map(|(i, &(v, miss))| (i > 0 && !miss).then(|| (i64::from(v) >> (32 - nbits)).min(half - 2))).collect();
            let max = values.iter().flatten().copied().max().unwrap_or(-half);
            let plug = plug_signed(max, nbits);
            let stored: Vec<i64> = values.iter().map(|v| v.unwrap_or(plug)).collect();
            let words = integer::encode_signed(&stored, nbits);
            let mut out = vec![0i32; stored.len()];
            integer::decode_signed(&words, nbits as u8, &mut out).unwrap();
            apply(OutSlice::I32(&mut out), MissingMode::Marker);
            let want: Vec<i32> = values.iter().map(|v| v.map_or(i32::MIN, |x| x as i32)).collect();
            prop_assert_eq!(out, want);
        }

        #[test]
        fn real_round_trip(raw in prop::collection::vec((0f32..1e6, any::<bool>()), 1..60)) {
            let values: Vec<Option<f32>> = raw.iter().enumerate().map(|(i, &(v, miss))| (i > 0 && !miss).then_some(v)).collect();
            let present: Vec<f32> = values.iter().flatten().copied().collect();
            let min = present.iter().copied().fold(f32::MAX, f32::min);
            let max = present.iter().copied().fold(f32::MIN, f32::max);
            let plug = if present.is_empty() { 1.0 } else { plug_real(min, max, 32) };
            let stored: Vec<f32> = values.iter().map(|v| v.unwrap_or(plug)).collect();
            let mut out = vec![0f32; stored.len()];
            ieee::decode(&ieee::encode_ieee32(&stored, 32), 32, &mut out).unwrap();
            apply(OutSlice::F32(&mut out), MissingMode::Marker);
            let want: Vec<f32> = values.iter().map(|v| v.unwrap_or(-1.0e38)).collect();
            prop_assert_eq!(out, want);
        }
    }
}
