//! +64: missing values. The file holds no mask: the writer replaced missing points by a
//! *plug* just above the field maximum; in librmn's missing-value mode the reader replaces
//! every value equal to the decoded maximum (over values that are not already markers) by
//! the marker.
//!
//! Spec: `shared/spec/xdf.md` §4.10; librmn `fst_missing.c`.

use super::convert::{Int, Real};
use super::MissingMode;
use crate::array::OutSlice;
use crate::record::ElementType;

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

fn reals<R: Real>(values: &mut [R], marker: R, mode: MissingMode) {
    let with = if mode == MissingMode::Nan {
        R::NAN
    } else {
        marker
    };
    replace(values, marker, with);
}

fn ints<T: Int>(values: &mut [T]) {
    replace(values, T::MARKER, T::MARKER);
}

/// Replaces the plug values of a decoded +64 record per `mode` ([`MissingMode::Plug`] keeps
/// them). Characters, raw words and complex values have no missing values.
///
/// librmn replaces before widening float records to double, so a record whose natural type
/// is f32 read as f64 gets the float marker widened (−1e38 rounded to float); integers are
/// unpacked at the output width and get that width's marker.
pub(crate) fn apply(out: OutSlice<'_>, mode: MissingMode, natural: ElementType) {
    if mode == MissingMode::Plug {
        return;
    }
    match out {
        OutSlice::F32(v) => reals(v, f32::MARKER, mode),
        OutSlice::F64(v) => {
            let marker = if natural == ElementType::F32 {
                f64::from(f32::MARKER)
            } else {
                f64::MARKER
            };
            reals(v, marker, mode);
        }
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
pub(crate) fn plug_real(min: f32, max: f32, nbits: u32) -> f32 {
    const FACTOR: [f64; 9] = [2.0, 1.1, 0.55, 0.28, 0.14, 0.07, 0.035, 0.017, 0.01];
    let factor = FACTOR.get(nbits as usize).copied().unwrap_or(0.01);
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
pub(crate) fn plug_signed(max: i64, nbits: u32) -> i64 {
    let p = (1i64 << (nbits.clamp(1, 63) - 1)) - 1;
    if p > max {
        max + 1
    } else {
        p
    }
}

/// The plug librmn writes for missing points of an unsigned field of `nbits` bits.
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

/// +64's missing points: the marker −1e38 or NaN.
#[inline(always)]
pub(crate) fn is_missing(v: f32) -> bool {
    // `|`, not `||`: no branch in the vectorised loops that call it.
    (v == MARKER) | v.is_nan()
}

const MARKER: f32 = -1.0e38;

/// Independent lanes of the scan (a vector register or two of floats).
const LANES: usize = 16;

/// The extremes of the points that are not missing (`None` when every point is) and
/// whether any point is missing, in one scan on independent lanes (librmn's +64 writer
/// scans once for the range of the present points, then the packer scans the plugged
/// field again; the plug only matters where a point is missing).
fn present_range(values: &[f32]) -> (Option<(f32, f32)>, bool) {
    super::simd::vectorized(
        #[inline(always)]
        || present_range_in_lanes(values),
    )
}

/// [`present_range`], inlined into the vector build pulp picks.
#[inline(always)]
fn present_range_in_lanes(values: &[f32]) -> (Option<(f32, f32)>, bool) {
    let (mut lo, mut hi) = ([f32::INFINITY; LANES], [f32::NEG_INFINITY; LANES]);
    // Masks as 32-bit lanes, like the floats, so the loop stays one vector width.
    let mut missing = [0u32; LANES];
    let mut chunks = values.chunks_exact(LANES);
    let step = |v: f32, lo: &mut f32, hi: &mut f32, missing: &mut u32| {
        // NaN compares false: only the marker needs excluding from the extremes.
        // Selects, not `&&`: branch-free, so the lanes vectorise.
        let present = v != MARKER;
        let low = if present { v } else { f32::INFINITY };
        let high = if present { v } else { f32::NEG_INFINITY };
        *lo = if low < *lo { low } else { *lo };
        *hi = if high > *hi { high } else { *hi };
        *missing |= u32::from(is_missing(v));
    };
    for c in &mut chunks {
        for k in 0..LANES {
            step(c[k], &mut lo[k], &mut hi[k], &mut missing[k]);
        }
    }
    let (mut min, mut max, mut any) = (f32::INFINITY, f32::NEG_INFINITY, 0u32);
    // The lanes hold present points or their starting infinities, which never move the
    // extreme of their own side.
    for k in 0..LANES {
        min = if lo[k] < min { lo[k] } else { min };
        max = if hi[k] > max { hi[k] } else { max };
        any |= missing[k];
    }
    for &v in chunks.remainder() {
        step(v, &mut min, &mut max, &mut any);
    }
    // Nothing present: no point updated either extreme (+∞ alone would set the maximum).
    let range = (min <= max).then_some((min, max));
    (range, any != 0)
}

/// +64 for reals in one scan of `values` (no copy): `None` when no point is missing
/// (librmn then drops the flag), else librmn's plug (`fst_float_encode_missing`, over
/// the present points; 1.0 when none is) and the extremes of the field once plugged —
/// what [`plug_reals`] then a scan of the result give.
pub(crate) fn plugged_range(values: &[f32], nbits: u32) -> Option<(f32, f32, f32)> {
    let (range, true) = present_range(values) else {
        return None;
    };
    let plug = range.map_or(1.0, |(lo, hi)| plug_real(lo, hi, nbits));
    // The plug is a point of the packed field too (below the minimum when the maximum
    // is negative and the range zero).
    let (lo, hi) = range.unwrap_or((plug, plug));
    let lo = if plug < lo { plug } else { lo };
    let hi = if plug > hi { plug } else { hi };
    Some((plug, lo, hi))
}

/// Appends the bit patterns of `values` with missing points replaced by `plug` (E32
/// with +64, plugged as it is written).
pub(crate) fn push_plugged_bits(out: &mut Vec<u32>, values: &[f32], plug: f32) {
    out.extend(
        values
            .iter()
            .map(|&v| if is_missing(v) { plug } else { v }.to_bits()),
    );
}

/// Write side of +64 for reals: replaces missing points (the marker −1e38, or NaN) by the
/// plug. Returns false when nothing was missing (librmn then drops the flag). A field with
/// no value at all gets the plug 1.0.
pub(crate) fn plug_reals(values: &mut [f32], nbits: u32) -> bool {
    let is_missing = |v: f32| v == f32::MARKER || v.is_nan();
    let mut range: Option<(f32, f32)> = None;
    let mut any = false;
    for &v in values.iter() {
        if is_missing(v) {
            any = true;
        } else {
            range = Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        }
    }
    if any {
        let plug = range.map_or(1.0, |(lo, hi)| plug_real(lo, hi, nbits));
        for v in values.iter_mut().filter(|v| is_missing(**v)) {
            *v = plug;
        }
    }
    any
}

/// Write side of +64 for integers of `nbits` bits, as librmn does it: replaces the markers
/// (INT_MIN of the type for signed, all ones for unsigned) by the plug. Returns false when
/// nothing was missing. A field with no value at all gets the plug 0. The model the read
/// side's tests pack with (the writer plugs its own, in `writer::encode`).
#[cfg(test)]
pub(crate) fn plug_integers<T: Int>(values: &mut [T], nbits: u32, signed: bool) -> bool {
    let max = values
        .iter()
        .filter(|&&v| v != T::MARKER)
        .map(|v| v.to_i128())
        .max();
    if !values.contains(&T::MARKER) {
        return false;
    }
    let plug = match (max, signed) {
        (None, _) => 0,
        (Some(m), true) => plug_signed(m as i64, nbits),
        (Some(m), false) => plug_unsigned(m as u64, nbits) as i64,
    };
    let plug = T::from_i64(plug);
    for v in values.iter_mut().filter(|v| **v == T::MARKER) {
        *v = plug;
    }
    true
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
        apply(OutSlice::F32(&mut v), MissingMode::Plug, ElementType::F32);
        assert_eq!(v, decoded);
        apply(OutSlice::F32(&mut v), MissingMode::Marker, ElementType::F32);
        assert_eq!(v, [1.5, -1.0e38, -8.0, -1.0e38]);
        let mut v = decoded;
        apply(OutSlice::F32(&mut v), MissingMode::Nan, ElementType::F32);
        assert!(v[1].is_nan() && v[3].is_nan() && v[0] == 1.5);
        let mut v = [5u16, 9, 9, 2];
        apply(OutSlice::U16(&mut v), MissingMode::Nan, ElementType::U16);
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
            // Point 0 is missing (else librmn drops the flag); values stay below the plug.
            let input: Vec<i32> = raw.iter().enumerate().map(|(i, &(v, miss))| {
                if i == 0 || miss { i32::MIN } else { (i64::from(v) >> (32 - nbits)).min(half - 2) as i32 }
            }).collect();
            let mut stored = input.clone();
            prop_assert!(plug_integers(&mut stored, nbits, true));
            let wide: Vec<i64> = stored.iter().map(|&v| i64::from(v)).collect();
            let words = integer::encode_signed(&wide, nbits);
            let mut out = vec![0i32; input.len()];
            integer::decode_signed(&words, nbits as u8, &mut out).unwrap();
            apply(OutSlice::I32(&mut out), MissingMode::Marker, ElementType::I32);
            prop_assert_eq!(out, input);
        }

        #[test]
        fn unsigned_round_trip(nbits in 1u32..=16, raw in prop::collection::vec((any::<u16>(), any::<bool>()), 1..60)) {
            // Values stay below the plug, and at 16 bits below 0xFFFE: a field whose maximum
            // is 0xFFFE gets the plug 0xFFFF, which is also the u16 marker, so librmn's reader
            // (like ours) skips it and turns the true maximum into the marker.
            let top = ((1u32 << nbits) - 2).min(0xFFFD);
            let input: Vec<u16> = raw.iter().enumerate().map(|(i, &(v, miss))| {
                if i == 0 || miss { u16::MAX } else { (u32::from(v) % (top + 1)) as u16 }
            }).collect();
            let mut stored = input.clone();
            prop_assert!(plug_integers(&mut stored, nbits, false));
            let wide: Vec<u64> = stored.iter().map(|&v| u64::from(v)).collect();
            let words = integer::encode_unsigned(&wide, nbits);
            let mut out = vec![0u16; input.len()];
            integer::decode_unsigned(&words, nbits as u8, &mut out).unwrap();
            apply(OutSlice::U16(&mut out), MissingMode::Marker, ElementType::U16);
            prop_assert_eq!(out, input);
        }

        #[test]
        fn real_round_trip(raw in prop::collection::vec((0f32..1e6, any::<bool>()), 1..60)) {
            let input: Vec<f32> = raw.iter().enumerate().map(|(i, &(v, miss))| {
                if i == 0 || miss { -1.0e38 } else { v }
            }).collect();
            let mut stored = input.clone();
            prop_assert!(plug_reals(&mut stored, 32));
            let mut out = vec![0f32; input.len()];
            ieee::decode(&ieee::encode_ieee32(&stored, 32), 32, &mut out).unwrap();
            apply(OutSlice::F32(&mut out), MissingMode::Marker, ElementType::F32);
            prop_assert_eq!(out, input);
        }
    }
}
