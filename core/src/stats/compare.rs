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

/// `|1 − a/b|` = `|b − a|/|b|` (`d` is `|b − a|`), or `|1 − b/a|` when `b` is 0.
fn relative(a: f64, b: f64, d: f64) -> f64 {
    if d == 0.0 {
        0.0
    } else if b != 0.0 {
        d / b.abs()
    } else {
        d / a.abs()
    }
}

/// Compares two records of the same size (each decoded with
/// [`MissingMode::Nan`](crate::MissingMode::Nan); `*_missing` are their +64 flags).
/// `None` when the sizes differ or either is not real/integer data.
pub fn compare(a: &Values, a_missing: bool, b: &Values, b_missing: bool) -> Option<Comparison> {
    if a.scalar_len() != b.scalar_len() {
        return None;
    }
    let (miss_a, miss_b) = (missing_test(a, a_missing), missing_test(b, b_missing));
    // The common cases without copies; other type pairs through f64 vectors.
    match (a, b) {
        (Values::F32(x), Values::F32(y)) => Some(kernel(x, y, &miss_a, &miss_b)),
        (Values::F64(x), Values::F64(y)) => Some(kernel(x, y, &miss_a, &miss_b)),
        _ => {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            if !(for_each(a, |_, v| x.push(v)) && for_each(b, |_, v| y.push(v))) {
                return None;
            }
            Some(kernel(&x, &y, &miss_a, &miss_b))
        }
    }
}

/// Element types the kernel reads as `f64`.
trait Real: Copy {
    fn real(self) -> f64;
}

impl Real for f32 {
    fn real(self) -> f64 {
        f64::from(self)
    }
}

impl Real for f64 {
    fn real(self) -> f64 {
        self
    }
}

/// Two passes over the pairs present in both: sums and extremes, then (co)variances.
fn kernel<A: Real, B: Real>(
    a: &[A],
    b: &[B],
    miss_a: &impl Fn(f64) -> bool,
    miss_b: &impl Fn(f64) -> bool,
) -> Comparison {
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
    // One pass. Moments are taken about the first pair present (a shift that keeps the
    // sums of squares from cancelling when values are far from zero).
    let present = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x.real(), y.real()))
        .enumerate()
        .filter(|(_, (x, y))| !(miss_a(*x) || miss_b(*y)));
    let (mut x0, mut y0) = (f64::NAN, f64::NAN);
    let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut sabs, mut srel, mut sd2) = (0.0, 0.0, 0.0);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, (x, y)) in present {
        if c.count == 0 {
            (x0, y0) = (x, y);
        }
        let d = (y - x).abs();
        if d > c.max_abs {
            c.max_abs = d;
            c.argmax_abs = i;
        }
        let r = relative(x, y, d);
        c.max_rel = c.max_rel.max(r);
        let (u, v) = (x - x0, y - y0);
        sa += u;
        sb += v;
        saa += u * u;
        sbb += v * v;
        sab += u * v;
        sabs += d;
        srel += r;
        sd2 += d * d;
        lo = lo.min(x);
        hi = hi.max(x);
        c.count += 1;
    }
    c.missing = a.len() as u64 - c.count;
    if c.count == 0 {
        return c;
    }
    let n = c.count as f64;
    let (mu, mv) = (sa / n, sb / n);
    let (ma, mb) = (x0 + mu, y0 + mv);
    let vaa = (saa - n * mu * mu).max(0.0);
    let vbb = (sbb - n * mv * mv).max(0.0);
    let vab = sab - n * mu * mv;
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
    c
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
