//! Field statistics with missing points left out (`fststat`), and record-by-record
//! comparison measures (`fstcomp`), shared by the CLI and the bindings.
//!
//! Values are taken in `f64`. A point is missing when it is NaN, or (records with the +64
//! flag) when it equals the marker [`MissingMode::Nan`](crate::MissingMode::Nan) decodes
//! integer missing points to. Decode with that mode before summarising.

mod compare;

pub use compare::{compare, Comparison};

use crate::array::Values;

/// Statistics of the present points of one record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Points counted.
    pub count: u64,
    /// Points left out as missing (or NaN).
    pub missing: u64,
    /// Smallest value (NaN when no point is present).
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Mean.
    pub mean: f64,
    /// Population standard deviation (fststat's `StDev`).
    pub std: f64,
    /// Flat index (Fortran order) of the first minimum.
    pub argmin: usize,
    /// Flat index of the first maximum.
    pub argmax: usize,
}

/// The integer marker a +64 record's missing points decode to in NaN mode, by type.
fn integer_marker(values: &Values) -> Option<f64> {
    Some(match values {
        Values::I8(_) => f64::from(i8::MIN),
        Values::I16(_) => f64::from(i16::MIN),
        Values::I32(_) => f64::from(i32::MIN),
        Values::I64(_) => i64::MIN as f64,
        Values::U8(_) => f64::from(u8::MAX),
        Values::U16(_) => f64::from(u16::MAX),
        Values::U32(_) => f64::from(u32::MAX),
        Values::U64(_) => u64::MAX as f64,
        _ => return None,
    })
}

/// Calls `f(index, value)` for every scalar of a real or integer array; `false` for the
/// other kinds (complex, characters, raw words), which have no single value per point.
pub(crate) fn for_each(values: &Values, mut f: impl FnMut(usize, f64)) -> bool {
    macro_rules! each {
        ($v:expr) => {
            for (i, &x) in $v.iter().enumerate() {
                #[allow(clippy::cast_lossless)]
                // one body for every type, 64-bit integers included
                f(i, x as f64);
            }
        };
    }
    match values {
        Values::F32(v) => each!(v),
        Values::F64(v) => each!(v),
        Values::I8(v) => each!(v),
        Values::I16(v) => each!(v),
        Values::I32(v) => each!(v),
        Values::I64(v) => each!(v),
        Values::U8(v) => each!(v),
        Values::U16(v) => each!(v),
        Values::U32(v) => each!(v),
        Values::U64(v) => each!(v),
        _ => return false,
    }
    true
}

/// Predicate for missing points of a record decoded with NaN mode.
pub(crate) fn missing_test(values: &Values, has_missing: bool) -> impl Fn(f64) -> bool {
    let marker = if has_missing {
        integer_marker(values)
    } else {
        None
    };
    move |x: f64| x.is_nan() || marker == Some(x)
}

/// Summarises `values` (decoded with [`MissingMode::Nan`](crate::MissingMode::Nan));
/// `has_missing` is the record's +64 flag. `None` for complex, character and binary data.
pub fn summarize(values: &Values, has_missing: bool) -> Option<Summary> {
    let is_missing = missing_test(values, has_missing);
    let mut s = Summary {
        count: 0,
        missing: 0,
        min: f64::NAN,
        max: f64::NAN,
        mean: f64::NAN,
        std: f64::NAN,
        argmin: 0,
        argmax: 0,
    };
    let mut sum = 0.0;
    let numeric = for_each(values, |i, x| {
        if is_missing(x) {
            s.missing += 1;
            return;
        }
        if s.count == 0 || x < s.min {
            s.min = x;
            s.argmin = i;
        }
        if s.count == 0 || x > s.max {
            s.max = x;
            s.argmax = i;
        }
        sum += x;
        s.count += 1;
    });
    if !numeric {
        return None;
    }
    if s.count > 0 {
        let mean = sum / s.count as f64;
        // Second pass: the variance about the mean, as fststat (no cancellation).
        let mut squares = 0.0;
        for_each(values, |_, x| {
            if !is_missing(x) {
                squares += (x - mean) * (x - mean);
            }
        });
        s.mean = mean;
        s.std = (squares / s.count as f64).sqrt();
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_points_are_left_out() {
        let v = Values::F32(vec![1.0, f32::NAN, 3.0, -1.0, 5.0]);
        let s = summarize(&v, true).unwrap();
        assert_eq!((s.count, s.missing), (4, 1));
        assert_eq!((s.min, s.argmin, s.max, s.argmax), (-1.0, 3, 5.0, 4));
        assert_eq!(s.mean, 2.0);
        assert!((s.std - 5f64.sqrt()).abs() < 1e-12);
        let v = Values::I32(vec![i32::MIN, 4, 2]);
        let s = summarize(&v, true).unwrap();
        assert_eq!((s.count, s.min, s.max), (2, 2.0, 4.0));
        // Without the +64 flag the same value is data.
        assert_eq!(summarize(&v, false).unwrap().count, 3);
        assert!(summarize(&Values::Chars(vec![b'a']), false).is_none());
        let none = summarize(&Values::F64(vec![f64::NAN]), true).unwrap();
        assert!(none.count == 0 && none.mean.is_nan());
    }
}
