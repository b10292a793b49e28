//! Vertical coordinates: what a variable's ip1 levels mean, as a CF coordinate.
//!
//! One axis per ip1 kind (pressure → `pres` in hPa, heights → `height` in m, sigma,
//! hybrid and hybrid-height → `level` with `formula_terms`, θ → `theta`, depth →
//! `depth`, arbitrary → `sfclevel`), following fstd2nc's `mixins/vcoords.py`. Hybrid
//! coefficients come from the `!!` descriptor (`vgrid` tables, see [`VgridTable`]) whose
//! ip1/ip2 match the field's ig1/ig2, else from a legacy `HY` record, else from the
//! only `!!` of the files (see [`VerticalDescriptors::table_for`]). Spec:
//! `shared/spec/xdf.md` §5 and §6.2.

mod hybrid;
mod pressure;
mod vgrid;

pub use hybrid::HyDescriptor;
pub use pressure::{level_formula, LevelFormula, SurfaceField};
pub use vgrid::{read_vgrid, LevelCoefficients, VgridTable};

use crate::attr_value::{AttrValue, Attrs};
use crate::error::{Error, Result};
use crate::file::File;
use crate::ip::{decode_ip, LevelKind};

/// The vertical descriptors found in a set of files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerticalDescriptors {
    /// Every `!!` record, in file order.
    pub tables: Vec<VgridTable>,
    /// The first legacy `HY` record.
    pub hy: Option<HyDescriptor>,
    /// `!!` records that could not be decoded (kept in `tables` with their vcode and no
    /// levels), and why.
    pub warnings: Vec<String>,
}

impl VerticalDescriptors {
    /// Reads every `!!` and the first `HY` of `files`.
    ///
    /// # Errors
    /// I/O errors; malformed `!!` tables are skipped and listed in `warnings`.
    pub fn scan(files: &[&File]) -> Result<VerticalDescriptors> {
        let mut out = VerticalDescriptors::default();
        for file in files {
            for rec in file.records() {
                match rec.header.nomvar.trimmed() {
                    // A table that does not decode keeps only its vcode (ig1): the axis
                    // gets the vcode's standard_name but no coefficients, as fstd2nc
                    // does when vgrid fails.
                    "!!" => match read_vgrid(file, rec.index) {
                        Ok(t) => out.tables.push(t),
                        Err(Error::Format(e)) => {
                            out.warnings.push(e.to_string());
                            out.tables.push(VgridTable {
                                vcode: rec.header.ig1,
                                tag: (rec.header.ip1, rec.header.ip2),
                                pref_pa: None,
                                sleve: rec.header.ig1 == 5100,
                                levels: Default::default(),
                            });
                        }
                        Err(e) => return Err(e),
                    },
                    "HY" if out.hy.is_none() => {
                        let h = &rec.header;
                        if let Some(top) = decode_ip(h.ip1) {
                            out.hy = Some(HyDescriptor {
                                ptop: f64::from(top.value),
                                pref: f64::from(h.ig1),
                                rcoef: f64::from(h.ig2) / 1000.0,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// The `!!` a field with these ig1/ig2 uses, as fstd2nc picks it: the one tagged
    /// with them; else, when the files have an `HY`, none (the `HY` is used); else the
    /// only one (or several identical ones). Without `strict_vcoord_match`.
    pub fn table_for(&self, ig1: i32, ig2: i32) -> Option<&VgridTable> {
        if let Some(t) = self.tables.iter().find(|t| t.tag == (ig1, ig2)) {
            return Some(t);
        }
        if self.hy.is_some() {
            return None;
        }
        let first = self.tables.first()?;
        self.tables
            .iter()
            .all(|t| t.vcode == first.vcode && t.levels == first.levels)
            .then_some(first)
    }

    /// The ip1s of diagnostic levels (vgrid's `DIPM`, `DIPT`, `DIPW`: heights above
    /// ground such as 10 m and 1.5 m) of the descriptors that have them (5005, 5100,
    /// 21001, 21002), sorted. fstd2nc files records on them as hybrid level 1.0.
    pub fn diagnostic_ip1s(&self) -> Vec<i32> {
        let mut out: Vec<i32> = self
            .tables
            .iter()
            .filter(|t| t.has_diagnostic_levels())
            .flat_map(|t| t.levels.keys().copied())
            .filter(|&ip1| decode_ip(ip1).is_some_and(|l| l.kind == LevelKind::HeightGround))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A 1-D coordinate along a vertical axis besides the axis itself (`a`, `b`, `ap`, `c`).
#[derive(Debug, Clone, PartialEq)]
pub struct AuxCoord {
    /// Base name (the dataset plan may add a suffix).
    pub name: String,
    /// One value per level.
    pub values: Vec<f64>,
    /// Attributes.
    pub attrs: Attrs,
}

/// A vertical axis of one variable.
#[derive(Debug, Clone, PartialEq)]
pub struct VerticalCoord {
    /// Base dimension name: `pres`, `height`, `depth`, `level`, `theta`, `sfclevel`.
    pub name: &'static str,
    /// Axis values (ascending, as fstd2nc sorts them).
    pub values: Vec<f64>,
    /// CF attributes of the axis (`formula_terms` is kept apart, see below).
    pub attrs: Attrs,
    /// `a`/`b`/`ap`/`c` coordinates along the axis.
    pub aux: Vec<AuxCoord>,
    /// Scalar coordinates the formula needs (`pref` in hPa).
    pub scalars: Vec<(String, f64, Attrs)>,
    /// `formula_terms` as `(term, variable)`; variables named by base name (`a`,
    /// `pref`) or by field (`P0`, `ME`).
    pub formula_terms: Vec<(String, String)>,
}

fn s(name: &str, value: &str) -> (String, AttrValue) {
    (name.to_string(), AttrValue::Str(value.to_string()))
}

/// The vertical coordinate of levels `(value, ip1)` (sorted ascending) of `kind`, for a
/// field with `typvar`, `ig1`, `ig2`.
pub fn vertical_coordinate(
    kind: LevelKind,
    levels: &[(f64, i32)],
    typvar: &str,
    ig: (i32, i32),
    descriptors: &VerticalDescriptors,
) -> VerticalCoord {
    let values: Vec<f64> = levels.iter().map(|l| l.0).collect();
    let mut coord = VerticalCoord {
        name: "level",
        values,
        attrs: vec![s("axis", "Z")],
        aux: Vec::new(),
        scalars: Vec::new(),
        formula_terms: Vec::new(),
    };
    let table = descriptors.table_for(ig.0, ig.1);
    let attrs = &mut coord.attrs;
    match kind {
        LevelKind::HeightSea if typvar == "P@" => {
            coord.name = "depth";
            attrs.extend([
                s("standard_name", "depth"),
                s("units", "m"),
                s("positive", "down"),
            ]);
        }
        LevelKind::HeightSea | LevelKind::HeightGround => {
            // Diagnostic levels are folded into hybrid level 1.0 before this, when
            // records are grouped (see `crate::dataset`).
            coord.name = "height";
            attrs.extend([
                s("standard_name", "height"),
                s("units", "m"),
                s("positive", "up"),
            ]);
        }
        LevelKind::Sigma => {
            attrs.extend([
                s("standard_name", "atmosphere_sigma_coordinate"),
                s("units", "1"),
                s("positive", "down"),
            ]);
            if table.is_some_and(|t| t.vcode == 1002) || descriptors.hy.is_some() {
                attrs.push(s("formula", "p = sigma * (ps-ptop) + ptop"));
                coord.formula_terms = terms(&[("sigma", "level"), ("ps", "P0"), ("ptop", "PT")]);
            } else {
                attrs.push(s("formula", "p = sigma * ps"));
                coord.formula_terms = terms(&[("sigma", "level"), ("ps", "P0")]);
            }
        }
        LevelKind::Pressure => {
            coord.name = "pres";
            attrs.extend([
                s("standard_name", "air_pressure"),
                s("units", "hPa"),
                s("positive", "down"),
            ]);
        }
        LevelKind::Arbitrary => {
            coord.name = "sfclevel";
            attrs.extend([
                s("standard_name", "model_level_number"),
                s("units", "1"),
                s("positive", "down"),
            ]);
        }
        LevelKind::Hybrid => {
            coord.attrs.push(s("positive", "down"));
            match (table, descriptors.hy) {
                (Some(t), _) => hybrid_from_table(&mut coord, levels, t, false),
                (None, Some(hy)) => {
                    let (ap, b): (Vec<f64>, Vec<f64>) =
                        coord.values.iter().map(|&eta| hy.coefficients(eta)).unzip();
                    coord.attrs.extend([
                        s(
                            "standard_name",
                            "atmosphere_hybrid_sigma_pressure_coordinate",
                        ),
                        s("units", "1"),
                        s("formula", "p = ap + b*ps"),
                        ("ptop".into(), AttrValue::F64(hy.ptop)),
                        ("pref".into(), AttrValue::F64(hy.pref)),
                        ("rcoef".into(), AttrValue::F64(hy.rcoef)),
                    ]);
                    coord.aux = vec![aux("ap", ap, Some("hPa")), aux("b", b, None)];
                    coord.formula_terms = terms(&[("ap", "ap"), ("b", "b"), ("ps", "P0")]);
                }
                (None, None) => coord.attrs.extend([
                    s(
                        "standard_name",
                        "atmosphere_hybrid_sigma_pressure_coordinate",
                    ),
                    s("units", "1"),
                ]),
            }
        }
        LevelKind::Theta => {
            coord.name = "theta";
            attrs.extend([
                s("standard_name", "air_potential_temperature"),
                s("units", "K"),
                s("positive", "up"),
            ]);
        }
        LevelKind::DepthSea => {
            coord.name = "depth";
            attrs.extend([
                s("standard_name", "depth"),
                s("units", "m"),
                s("positive", "down"),
            ]);
        }
        LevelKind::PressureMetres => {
            attrs.push(s("positive", "up"));
            if let Some(t) = table {
                hybrid_from_table(&mut coord, levels, t, true);
            } else {
                attrs.extend([
                    s("standard_name", "atmosphere_hybrid_height_coordinate"),
                    s("units", "m"),
                ]);
            }
        }
        // Times and codes used as ip1 (kinds 10, 15, 17): a plain, unitless axis, not
        // a vertical one (CF 4.3 would want units and a direction).
        _ => coord.attrs.retain(|(k, _)| k != "axis"),
    }
    coord
}

fn terms(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn aux(name: &str, values: Vec<f64>, units: Option<&str>) -> AuxCoord {
    AuxCoord {
        name: name.to_string(),
        values,
        attrs: units.map(|u| vec![s("units", u)]).unwrap_or_default(),
    }
}

/// Hybrid axis attributes and coefficients from a `!!` table, as fstd2nc: the ip1 kind
/// decides the family (`height`: kind 21, hybrid height; else kind 5, hybrid pressure),
/// the table its variant (SLEVE, ln p or p = ap + b·ps). The formula and its a/b/c
/// come only when the table has every level.
fn hybrid_from_table(
    coord: &mut VerticalCoord,
    levels: &[(f64, i32)],
    t: &VgridTable,
    height: bool,
) {
    let rows: Option<Vec<LevelCoefficients>> =
        levels.iter().map(|l| t.levels.get(&l.1).copied()).collect();
    let standard_name = match (height, t.is_sleve()) {
        (true, true) => "atmosphere_sleve_coordinate",
        (true, false) => "atmosphere_hybrid_height_coordinate",
        // CF has no name for GEM's log-pressure hybrid (fstd2nc's
        // atmosphere_hybrid_sigma_ln_pressure_coordinate is not in the table): a
        // long_name, with the formula and its terms for whoever computes it.
        (false, _) if t.is_log_pressure() => "",
        (false, _) => "atmosphere_hybrid_sigma_pressure_coordinate",
    };
    if standard_name.is_empty() {
        coord.attrs.push(s(
            "long_name",
            "hybrid sigma ln-pressure coordinate (GEM, not a CF standard name)",
        ));
    } else {
        coord.attrs.push(s("standard_name", standard_name));
    }
    // Dimensionless like CF's parametric pressure coordinates; kind 21 values are
    // heights in metres (CF's hybrid height and SLEVE coordinates are lengths).
    coord.attrs.push(s("units", if height { "m" } else { "1" }));
    let Some(rows) = rows else { return };
    let a: Vec<f64> = rows.iter().map(|r| r.a).collect();
    let b: Vec<f64> = rows.iter().map(|r| r.b).collect();
    let c: Option<Vec<f64>> = rows.iter().map(|r| r.c).collect();
    let family = if height {
        if t.is_sleve() {
            21002
        } else {
            21001
        }
    } else if matches!(t.vcode, 21001 | 21002) {
        // A height table for pressure-kind levels: only its a and b apply.
        5001
    } else {
        t.vcode
    };
    match family {
        21001 => {
            coord.attrs.push(s("formula", "z = a + b*orog"));
            coord.aux = vec![aux("a", a, Some("m")), aux("b", b, None)];
            coord.formula_terms = terms(&[("a", "a"), ("b", "b"), ("orog", "ME")]);
        }
        21002 => {
            // SLEVE height: fstd2nc names A, B, C az, b2, b1 after the CF formula.
            let Some(c) = c else { return };
            coord
                .attrs
                .push(s("formula", "z = az + b1*zsurf1 + b2*zsurf2"));
            coord.aux = vec![
                aux("az", a, Some("m")),
                aux("b2", b, None),
                aux("b1", c, None),
            ];
            coord.formula_terms = terms(&[
                ("az", "az"),
                ("b1", "b1"),
                ("zsurf1", "MELS"),
                ("b2", "b2"),
                ("zsurf2", "ME"),
            ]);
        }
        _ if t.is_log_pressure() => {
            if let Some(pref) = t.pref_pa {
                coord.scalars = vec![("pref".to_string(), pref / 100.0, vec![s("units", "hPa")])];
            }
            if let (true, Some(c)) = (t.is_sleve(), c) {
                coord.attrs.push(s(
                    "formula",
                    "p = exp(a+b*log(ps/pref)+c*log(psl/pref)) / 100.0",
                ));
                coord.aux = vec![aux("a", a, None), aux("b", b, None), aux("c", c, None)];
                coord.formula_terms = terms(&[
                    ("a", "a"),
                    ("b", "b"),
                    ("c", "c"),
                    ("ps", "P0"),
                    ("psl", "P0LS"),
                    ("pref", "pref"),
                ]);
            } else {
                coord
                    .attrs
                    .push(s("formula", "p = exp(a+b*log(ps/pref)) / 100.0"));
                coord.aux = vec![aux("a", a, None), aux("b", b, None)];
                coord.formula_terms =
                    terms(&[("a", "a"), ("b", "b"), ("ps", "P0"), ("pref", "pref")]);
            }
        }
        _ => {
            // 5001 and others: A in Pa, shown in hPa.
            coord.attrs.push(s("formula", "p = ap + b*ps"));
            let ap = a.iter().map(|v| v / 100.0).collect();
            coord.aux = vec![aux("ap", ap, Some("hPa")), aux("b", b, None)];
            coord.formula_terms = terms(&[("ap", "ap"), ("b", "b"), ("ps", "P0")]);
        }
    }
}
