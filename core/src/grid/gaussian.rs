//! Gaussian latitudes: the roots of the Legendre polynomial `P_n`, found by Newton
//! iteration like librmn's `dgauss` (used by ezscint's `ez_glat` for G grids).

use std::f64::consts::PI;

/// `(P_n(x), P_n'(x))` by the three-term recurrence.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0f64, x);
    for k in 2..=n {
        let k = k as f64;
        let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
    }
    if n == 0 {
        return (1.0, 0.0);
    }
    let n = n as f64;
    // P_n'(x) = n (x P_n − P_{n−1}) / (x² − 1); roots are never at ±1.
    (p1, n * (x * p1 - p0) / (x * x - 1.0))
}

/// The `n` roots of `P_n` (sines of the Gaussian latitudes), ascending.
pub(crate) fn legendre_roots(n: usize) -> Vec<f64> {
    let mut roots = Vec::with_capacity(n);
    for k in 1..=n {
        // Classic first guess; Newton converges in a handful of steps from it.
        let mut x = -(PI * (k as f64 - 0.25) / (n as f64 + 0.5)).cos();
        for _ in 0..100 {
            let (p, dp) = legendre(n, x);
            let step = p / dp;
            x -= step;
            if step.abs() < 1e-15 {
                break;
            }
        }
        roots.push(x);
    }
    roots
}

/// Latitudes (degrees, south to north) of the `nj` rows of a G grid on `hemisphere`
/// (0 global, 1 north, 2 south): hemispheric grids take one half of `P_{2nj}`'s roots.
pub(crate) fn gaussian_latitudes(nj: usize, hemisphere: i32) -> Vec<f64> {
    let degree = if hemisphere == 0 { nj } else { 2 * nj };
    let lats = legendre_roots(degree)
        .into_iter()
        .map(|x| x.asin().to_degrees());
    match hemisphere {
        0 => lats.collect(),
        1 => lats.skip(nj).collect(),
        _ => lats.take(nj).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_of_p2_are_plus_minus_one_over_sqrt3() {
        let r = legendre_roots(2);
        let s = 1.0 / 3f64.sqrt();
        assert!((r[0] + s).abs() < 1e-14 && (r[1] - s).abs() < 1e-14);
    }

    #[test]
    fn latitudes_are_symmetric_and_inside_the_sphere() {
        let lats = gaussian_latitudes(16, 0);
        assert_eq!(lats.len(), 16);
        for j in 0..16 {
            assert!((lats[j] + lats[15 - j]).abs() < 1e-12);
        }
        assert!(lats.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(gaussian_latitudes(8, 1), lats[8..].to_vec());
    }
}
