//! Pressure and height on model levels, as vgrid's `vgd_levels` computes them from a
//! descriptor's per-level coefficients and the surface fields:
//!
//! | vcode | quantity | formula |
//! |---|---|---|
//! | 1001, 1002, 2001, 5001, `HY` | pressure | `p = A + B·ps` |
//! | 5002–5005 | pressure | `p = exp(A + B·ln(ps/pref))` |
//! | 5100 (SLEVE) | pressure | `p = exp(A + B·ln(ps/pref) + C·ln(psl/pref))` |
//! | 21001, 21002 | height | `z = A + B·zs (+ C·zsl when SLEVE)` |
//!
//! with `ps` = P0 and `psl` = P0LS (stored in hPa, used in Pa), `zs` = ME and `zsl` =
//! MELS (m). A is in Pa (ln Pa for the log forms) or m. Without a `!!`, sigma levels are
//! `p = σ·ps` (1001), pressure levels their own value, and hybrid levels follow the
//! legacy `HY` record. Checked against rpnpy's `vgd_levels` (bindings-python tests).

use super::{HyDescriptor, LevelCoefficients, VerticalDescriptors, VgridTable};
use crate::ip::LevelKind;

/// How one level's value follows from its coefficients and the surface fields.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum LevelFormula {
    /// `p = A + B·ps`, Pa (sigma, eta, pressure levels, 5001, `HY`).
    Pressure,
    /// `p = exp(A + B·ln(ps/pref) [+ C·ln(psl/pref)])`, Pa (5002–5005, 5100).
    LogPressure {
        /// Reference pressure, Pa.
        pref: f64,
        /// Whether the C term (large-scale surface pressure P0LS) applies (5100).
        sleve: bool,
    },
    /// `z = A + B·zs [+ C·zsl]`, m (21001, 21002).
    Height {
        /// Whether the C term (large-scale orography MELS) applies.
        sleve: bool,
    },
}

/// A surface field a formula needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurfaceField {
    /// Its nomvar (`P0`, `P0LS`, `ME`, `MELS`).
    pub nomvar: &'static str,
    /// Factor from its stored unit to the formula's (100 for hPa → Pa).
    pub scale: f64,
    /// Whether it does not vary in time (orography), so one record serves every time.
    pub static_field: bool,
}

const P0: SurfaceField = SurfaceField {
    nomvar: "P0",
    scale: 100.0,
    static_field: false,
};
const P0LS: SurfaceField = SurfaceField {
    nomvar: "P0LS",
    scale: 100.0,
    static_field: false,
};
const ME: SurfaceField = SurfaceField {
    nomvar: "ME",
    scale: 1.0,
    static_field: true,
};
const MELS: SurfaceField = SurfaceField {
    nomvar: "MELS",
    scale: 1.0,
    static_field: true,
};

impl LevelFormula {
    /// Whether the formula gives a height (m) rather than a pressure (Pa).
    pub fn is_height(&self) -> bool {
        matches!(self, LevelFormula::Height { .. })
    }

    /// The surface field (B term) and the large-scale one (C term, SLEVE).
    pub fn surface_fields(&self) -> (SurfaceField, Option<SurfaceField>) {
        match *self {
            LevelFormula::Pressure | LevelFormula::LogPressure { sleve: false, .. } => (P0, None),
            LevelFormula::LogPressure { sleve: true, .. } => (P0, Some(P0LS)),
            LevelFormula::Height { sleve } => (ME, sleve.then_some(MELS)),
        }
    }

    /// The level's value (Pa or m) at a point with surface value `surface` and
    /// large-scale value `large` (both in the formula's units; `large` is only read by
    /// SLEVE formulas). A level with `B = 0` (and no C) needs no surface value.
    pub fn evaluate(&self, c: &LevelCoefficients, surface: f64, large: f64) -> f64 {
        // A zero coefficient drops its term, so a level that needs no surface field
        // (pressure levels, a model top) has a value where the field is absent.
        let term = |coef: f64, x: f64| if coef == 0.0 { 0.0 } else { coef * x };
        let cc = if self.is_sleve() {
            c.c.unwrap_or(0.0)
        } else {
            0.0
        };
        match *self {
            LevelFormula::Pressure => c.a + term(c.b, surface),
            LevelFormula::LogPressure { pref, .. } => {
                (c.a + term(c.b, (surface / pref).ln()) + term(cc, (large / pref).ln())).exp()
            }
            LevelFormula::Height { .. } => c.a + term(c.b, surface) + term(cc, large),
        }
    }

    /// Whether the large-scale term (C) applies.
    pub fn is_sleve(&self) -> bool {
        matches!(
            self,
            LevelFormula::LogPressure { sleve: true, .. } | LevelFormula::Height { sleve: true }
        )
    }

    /// Whether level `c` needs the surface field (`B ≠ 0`) or the large-scale one
    /// (`C ≠ 0`, SLEVE).
    pub fn needs(&self, c: &LevelCoefficients) -> (bool, bool) {
        (c.b != 0.0, self.is_sleve() && c.c.is_some_and(|v| v != 0.0))
    }

    /// Factor from the formula's unit to the computed variable's: pressure in hPa (as
    /// FST's `PX` and fstd2nc's `add_px`), height in m.
    pub fn output_scale(&self) -> f64 {
        if self.is_height() {
            1.0
        } else {
            0.01
        }
    }
}

/// The formula and per-level coefficients of levels `(value, ip1)` of `kind` for a
/// field with ig1/ig2 `ig`, or `None` when the descriptors do not define them (no
/// `!!` or `HY` for hybrid levels, a table missing one of the levels, kinds without
/// a model coordinate).
pub fn level_formula(
    kind: LevelKind,
    levels: &[(f64, i32)],
    ig: (i32, i32),
    descriptors: &VerticalDescriptors,
) -> Option<(LevelFormula, Vec<LevelCoefficients>)> {
    // As vgrid's vgd_read: the `!!` tagged with the field's ig1/ig2, else one that lists
    // every level (vgrid prefers any `!!` to a legacy HY; the axis' a/b follow fstd2nc,
    // which prefers the HY to an untagged `!!`), else the axis' choice.
    let listing = |t: &&VgridTable| levels.iter().all(|l| t.levels.contains_key(&l.1));
    let table = descriptors
        .tables
        .iter()
        .find(|t| t.tag == ig)
        .or_else(|| descriptors.tables.iter().find(listing))
        .or_else(|| descriptors.table_for(ig.0, ig.1));
    let plain = |f: &dyn Fn(f64) -> (f64, f64)| {
        let rows = levels
            .iter()
            .map(|&(v, _)| {
                let (a, b) = f(v);
                LevelCoefficients { a, b, c: None }
            })
            .collect();
        Some((LevelFormula::Pressure, rows))
    };
    match kind {
        // Pressure levels (2001): the level itself, hPa.
        LevelKind::Pressure => plain(&|p| (p * 100.0, 0.0)),
        LevelKind::Sigma => match (table, descriptors.hy) {
            (Some(t), _) if t.vcode == 1002 => from_table(t, levels),
            // Sigma with a legacy HY: p = σ·(ps − ptop) + ptop, as the axis' formula.
            (None, Some(HyDescriptor { ptop, .. })) => plain(&|s| (ptop * 100.0 * (1.0 - s), s)),
            _ => plain(&|s| (0.0, s)),
        },
        LevelKind::Hybrid => match (table, descriptors.hy) {
            // A height table here only lists the diagnostic heights filed as level 1.0.
            (Some(t), _) => from_table(t, levels),
            (None, Some(hy)) => plain(&|eta| {
                let (ap_hpa, b) = hy.coefficients(eta);
                (ap_hpa * 100.0, b)
            }),
            _ => None,
        },
        LevelKind::PressureMetres => match table {
            Some(t) if matches!(t.vcode, 21001 | 21002) => from_table(t, levels),
            _ => None,
        },
        _ => None,
    }
}

/// The table's formula and the coefficients of every level, or `None` when one is
/// not in the table.
fn from_table(
    t: &VgridTable,
    levels: &[(f64, i32)],
) -> Option<(LevelFormula, Vec<LevelCoefficients>)> {
    let rows: Vec<LevelCoefficients> = levels
        .iter()
        .map(|l| t.levels.get(&l.1).copied())
        .collect::<Option<_>>()?;
    let formula = match t.vcode {
        1001 | 1002 | 2001 | 5001 => LevelFormula::Pressure,
        5002..=5005 | 5100 => LevelFormula::LogPressure {
            pref: t.pref_pa.filter(|p| p.is_finite() && *p > 0.0)?,
            sleve: t.vcode == 5100,
        },
        21001 | 21002 => LevelFormula::Height {
            sleve: t.is_sleve(),
        },
        _ => return None,
    };
    Some((formula, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: f64, b: f64, c: Option<f64>) -> LevelCoefficients {
        LevelCoefficients { a, b, c }
    }

    #[test]
    fn linear_pressure_and_eta() {
        // 1002, eta 0.1 with ptop 1000 Pa: A = ptop·(1 − η) = 900 Pa, B = η.
        let p = LevelFormula::Pressure.evaluate(&row(900.0, 0.1, None), 100_000.0, 0.0);
        assert!((p - 10_900.0).abs() < 1e-9);
    }

    #[test]
    fn log_pressure_at_surface_and_sleve() {
        let f = LevelFormula::LogPressure {
            pref: 100_000.0,
            sleve: true,
        };
        // The surface level (A = ln pref, B = 1, C = 0) is ps itself.
        let surface = row(100_000f64.ln(), 1.0, Some(0.0));
        assert!((f.evaluate(&surface, 90_000.0, 95_000.0) - 90_000.0).abs() < 1e-6);
        // A pure C level follows the large-scale pressure.
        let large = row(100_000f64.ln(), 0.0, Some(1.0));
        assert!((f.evaluate(&large, 90_000.0, 95_000.0) - 95_000.0).abs() < 1e-6);
    }

    #[test]
    fn height_adds_orography() {
        let f = LevelFormula::Height { sleve: false };
        assert_eq!(f.evaluate(&row(10.0, 1.0, Some(0.0)), 1000.0, 0.0), 1010.0);
        assert_eq!(f.surface_fields().0.nomvar, "ME");
    }

    #[test]
    fn pressure_levels_need_no_descriptor() {
        let d = VerticalDescriptors::default();
        let (f, rows) = level_formula(LevelKind::Pressure, &[(850.0, 0)], (0, 0), &d).unwrap();
        assert_eq!(f, LevelFormula::Pressure);
        assert_eq!(f.evaluate(&rows[0], f64::NAN, 0.0), 85_000.0);
        assert!(level_formula(LevelKind::Hybrid, &[(0.5, 0)], (0, 0), &d).is_none());
    }
}
