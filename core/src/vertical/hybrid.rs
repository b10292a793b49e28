//! Legacy `HY` hybrid descriptor: ip1 = ptop (a pressure level), ig1 = pref in hPa,
//! ig2 = rcoef·1000. Coefficients follow librmn's `hybref`: with η the level and
//! ηtop = ptop/pref, `B = ((η − ηtop)/(1 − ηtop))^rcoef` and `A = pref·(η − B)` (hPa),
//! so `p = A + B·ps`. B is rounded to single precision like fstd2nc does.

/// The parameters of an `HY` record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HyDescriptor {
    /// Pressure at the model top, hPa.
    pub ptop: f64,
    /// Reference pressure, hPa.
    pub pref: f64,
    /// Exponent of the B profile.
    pub rcoef: f64,
}

impl HyDescriptor {
    /// `(A in hPa, B)` of hybrid level `eta`.
    pub fn coefficients(&self, eta: f64) -> (f64, f64) {
        let etatop = self.ptop / self.pref;
        let ratio = ((eta - etatop) / (1.0 - etatop)) as f32;
        let b = f64::from(ratio.powf(self.rcoef as f32));
        (self.pref * (eta - b), b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_and_surface_levels() {
        let hy = HyDescriptor {
            ptop: 10.0,
            pref: 800.0,
            rcoef: 1.6,
        };
        let (a, b) = hy.coefficients(1.0);
        assert_eq!((a, b), (0.0, 1.0));
        let (a, b) = hy.coefficients(10.0 / 800.0);
        assert!(b.abs() < 1e-12 && (a - 10.0).abs() < 1e-9);
    }
}
