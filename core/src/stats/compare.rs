//! `fstcomp`'s measures between two decodings of the same record.

use crate::array::Values;

use super::{for_each, missing_test};

/// How record B differs from record A, over the points present in both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Points compared.
    pub count: u64,
    /// Points missing in A or B (left out).
    pub missing: u64,
    /// Largest `|B − A|` (fstcomp `E-MAX`).
    pub max_abs: f64,
    /// Mean `|B − A|` (`E-MOY`).
    pub mean_abs: f64,
    /// Largest relative error `|1 − A/B|` (B ≠ 0; else `|1 − B/A|`; 0 when both are 0)
    /// (`E-REL-MAX`).
    pub max_rel: f64,
    /// Mean relative error (`E-REL-MOY`).
    pub mean_rel: f64,
    /// Flat index of the largest absolute error.
    pub argmax_abs: usize,
    /// Mean of A (`MOY-A`).
    pub mean_a: f64,
    /// Population variance of A (`VAR-A`).
    pub var_a: f64,
    /// Mean of B − A (`BIAIS`).
    pub bias: f64,
    /// Root mean square of B − A.
    pub rmse: f64,
    /// Pearson correlation of A and B (`C-COR`; 1 when both are the same constant).
    pub correlation: f64,
    /// Range of A (max − min), for tolerances relative to the packing step.
    pub range_a: f64,
}

fn relative(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else if b != 0.0 {
        (1.0 - a / b).abs()
    } else {
        (1.0 - b / a).abs()
    }
}

/// Compares two records of the same size (each decoded with
/// [`MissingMode::Nan`](crate::MissingMode::Nan); `*_missing` are their +64 flags).
/// `None` when the sizes differ or either is not real/integer data.
pub fn compare(a: &Values, a_missing: bool, b: &Values, b_missing: bool) -> Option<Comparison> {
    let mut bv = Vec::with_capacity(b.scalar_len());
    if !for_each(b, |_, x| bv.push(x)) || bv.len() != a.scalar_len() {
        return None;
    }
    let (miss_a, miss_b) = (missing_test(a, a_missing), missing_test(b, b_missing));
    let mut c = Comparison {
        count: 0,
        missing: 0,
        max_abs: 0.0,
        mean_abs: 0.0,
        max_rel: 0.0,
        mean_rel: 0.0,
        argmax_abs: 0,
        mean_a: f64::NAN,
        var_a: f64::NAN,
        bias: f64::NAN,
        rmse: f64::NAN,
        correlation: f64::NAN,
        range_a: f64::NAN,
    };
    let (mut sa, mut sb, mut sabs, mut srel, mut sd2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    if !for_each(a, |i, x| {
        let y = bv[i];
        if miss_a(x) || miss_b(y) {
            c.missing += 1;
            return;
        }
        let d = (y - x).abs();
        if d > c.max_abs {
            c.max_abs = d;
            c.argmax_abs = i;
        }
        let r = relative(x, y);
        c.max_rel = c.max_rel.max(r);
        sa += x;
        sb += y;
        sabs += d;
        srel += r;
        sd2 += d * d;
        lo = lo.min(x);
        hi = hi.max(x);
        c.count += 1;
    }) {
        return None;
    }
    if c.count == 0 {
        return Some(c);
    }
    let n = c.count as f64;
    let (ma, mb) = (sa / n, sb / n);
    let (mut vaa, mut vbb, mut vab) = (0.0, 0.0, 0.0);
    for_each(a, |i, x| {
        let y = bv[i];
        if !(miss_a(x) || miss_b(y)) {
            vaa += (x - ma) * (x - ma);
            vbb += (y - mb) * (y - mb);
            vab += (x - ma) * (y - mb);
        }
    });
    c.mean_abs = sabs / n;
    c.mean_rel = srel / n;
    c.mean_a = ma;
    c.var_a = vaa / n;
    c.bias = mb - ma;
    c.rmse = (sd2 / n).sqrt();
    c.range_a = hi - lo;
    c.correlation = if vaa > 0.0 && vbb > 0.0 {
        vab / (vaa * vbb).sqrt()
    } else if c.max_abs == 0.0 {
        1.0
    } else {
        0.0
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_and_shifted_fields() {
        let a = Values::F32(vec![1.0, 2.0, 3.0, f32::NAN]);
        let c = compare(&a, true, &a, true).unwrap();
        assert_eq!((c.count, c.missing, c.max_abs, c.max_rel), (3, 1, 0.0, 0.0));
        assert_eq!((c.correlation, c.bias), (1.0, 0.0));
        let b = Values::F64(vec![1.5, 2.5, 3.5, 0.0]);
        let c = compare(&a, true, &b, false).unwrap();
        assert_eq!((c.max_abs, c.bias, c.argmax_abs), (0.5, 0.5, 0));
        assert!((c.correlation - 1.0).abs() < 1e-12);
        assert!((c.max_rel - 1.0 / 3.0).abs() < 1e-12);
        assert!(compare(&a, false, &Values::F32(vec![1.0]), false).is_none());
    }
}
