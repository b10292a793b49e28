//! Grouping records into variables and building their dimensions and coordinates.

use std::collections::{HashMap, HashSet};

use super::attrs::{i, nomvar_metadata, s};
use super::grouping::{distinct, group_records, nomvars_to_unfold};
pub(super) use super::grouping::{Member, VarKey};
use super::horizontal::AxesOrientation;
use super::masks::MaskPairs;
use super::tiles::{check_layout, full_grid_header, is_tile, tile_of};
use super::Tile;
use super::{Attrs, Coord, DatasetPlan, Dim, PlanOptions, VarPlan};
use crate::error::{Error, FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::grid::HorizontalGrid;
use crate::ip::LevelKind;
use crate::record::RecordHeader;
use crate::vertical::{
    level_formula, vertical_coordinate, LevelCoefficients, LevelFormula, VerticalCoord,
    VerticalDescriptors,
};
use crate::Values;

/// Outer-slot count above which a table must be at least 1/8 full.
const MAX_SPARSE_SLOTS: usize = 1 << 20;

/// Names handed out so far, and the name given to each distinct axis.
#[derive(Default)]
pub(super) struct Names {
    pub(super) used: std::collections::HashSet<String>,
    pub(super) axes: HashMap<String, String>,
}

impl Names {
    /// `base`, or `base_1`, `base_2`… if taken.
    pub(super) fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 0;
        while self.used.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.used.insert(name.clone());
        name
    }
}

/// A grid's identity: file, grtyp, ni, nj, ig1..ig4.
pub(super) type GridKey = (usize, u8, u32, u32, [i32; 4]);

/// Index of a record along one outer dimension.
type AxisIndex = Box<dyn Fn(&Member) -> usize>;

/// State of one [`plan`] call.
pub(super) struct Builder<'a> {
    pub(super) files: &'a [&'a File],
    pub(super) options: PlanOptions,
    pub(super) names: Names,
    pub(super) plan: DatasetPlan,
    pub(super) descriptors: VerticalDescriptors,
    pub(super) grids: HashMap<GridKey, Option<std::rc::Rc<HorizontalGrid>>>,
    /// Identities of each grid's 1-D axes (their values, bit for bit), by grid.
    pub(super) axis_ids: HashMap<GridKey, (String, String)>,
    /// fstd2nc's human-readable id parts of each variable (see [`human_id`]), parallel
    /// to `plan.variables`.
    pub(super) human_ids: Vec<Vec<String>>,
    /// Sorted ip1s of diagnostic levels.
    pub(super) diagnostic: Vec<i32>,
    /// Mask records (`@@`) of masked field records.
    pub(super) masks: MaskPairs,
    /// The level formula of each variable's vertical axis (the last outer dimension)
    /// when its descriptor defines one, parallel to `plan.variables`.
    pub(super) level_formulas: Vec<Option<LevelValues>>,
}

/// A vertical axis' formula and the coefficients of each of its levels.
pub(super) type LevelValues = (LevelFormula, Vec<LevelCoefficients>);

/// Plans the dataset of `files` (see the [module docs](super)).
///
/// # Errors
/// Descriptor records (`>>`/`^^`, `^>`, `!!`) that are missing, truncated or
/// inconsistent with the fields that point at them, and I/O errors reading them.
pub fn plan(files: &[&File], options: &PlanOptions) -> Result<DatasetPlan> {
    let mut b = Builder {
        files,
        options: *options,
        names: Names::default(),
        plan: DatasetPlan::default(),
        descriptors: VerticalDescriptors::scan(files)?,
        grids: HashMap::new(),
        axis_ids: HashMap::new(),
        human_ids: Vec::new(),
        diagnostic: Vec::new(),
        masks: MaskPairs::scan(files),
        level_formulas: Vec::new(),
    };
    b.plan.attrs.push(s("Conventions", "CF-1.8"));
    b.plan
        .warnings
        .extend(b.descriptors.warnings.iter().cloned());
    b.diagnostic = b.descriptors.diagnostic_ip1s();
    let diagnostic = b.diagnostic.clone();
    let mut unfolded: HashSet<String> = HashSet::new();
    let (mut order, mut groups) =
        group_records(files, options, &diagnostic, &unfolded, &b.masks.used);
    // fstd2nc files diagnostic levels as hybrid 1.0, then takes that back for every
    // record of a nomvar one of whose variables is then a single record or has holes.
    unfolded.extend(nomvars_to_unfold(&groups, options));
    if !unfolded.is_empty() {
        (order, groups) = group_records(files, options, &diagnostic, &unfolded, &b.masks.used);
    }
    for key in order {
        let members = groups.remove(&key).unwrap_or_default();
        b.add_variable(&key, members)?;
    }
    super::rename::prefer_common_axes(&mut b.plan);
    b.disambiguate_names();
    super::derived::add_derived(&mut b.plan, &b.level_formulas, options);
    // After the derived variables: `level_formulas` is parallel to the planned fields.
    super::masks::add_mask_variables(files, &mut b.plan);
    super::formula::drop_missing_terms(&mut b.plan);
    super::aux_coords::list_auxiliary_coordinates(&mut b.plan);
    Ok(b.plan)
}

/// Integer element types (raw words excluded: they have no missing value).
fn is_integer(et: crate::ElementType) -> bool {
    use crate::ElementType::{I16, I32, I64, I8, U16, U32, U64, U8};
    matches!(et, I8 | I16 | I32 | I64 | U8 | U16 | U32 | U64)
}

pub(super) fn position<T: PartialOrd>(values: &[T], x: &T) -> usize {
    values
        .iter()
        .position(|v| v.partial_cmp(x) == Some(std::cmp::Ordering::Equal))
        .unwrap_or(0)
}

impl Builder<'_> {
    fn add_variable(&mut self, key: &VarKey, members: Vec<Member>) -> Result<()> {
        let Some(first) = members.first() else {
            return Ok(());
        };
        let first_header = first.header;
        let (first_file, first_index) = (first.file, first.index);
        let mut dims: Vec<String> = Vec::new();
        let mut shape: Vec<usize> = Vec::new();
        let mut strides_of: Vec<AxisIndex> = Vec::new();

        // Time (validity, or origin with the forecast axis).
        let times = distinct(&members, |m| m.time.unwrap_or(i64::MIN));
        dims.push(self.time_axis(&times, &members));
        shape.push(times.len());
        {
            let times = times.clone();
            strides_of.push(Box::new(move |m| {
                position(&times, &m.time.unwrap_or(i64::MIN))
            }));
        }
        if self.options.forecast_axis {
            let leads = distinct(&members, |m| m.lead);
            dims.push(self.forecast_axis(&leads));
            shape.push(leads.len());
            strides_of.push(Box::new(move |m| position(&leads, &m.lead)));
        }
        // Ensemble members (etikets), after the time axes as in fstd2nc.
        if self.options.ensembles {
            let mut etikets: Vec<String> = members
                .iter()
                .map(|m| m.etiket.trimmed().to_string())
                .collect();
            etikets.sort();
            etikets.dedup();
            dims.push(self.ensemble_axis(&etikets));
            shape.push(etikets.len());
            strides_of.push(Box::new(move |m| {
                etikets
                    .binary_search_by(|e| e.as_str().cmp(m.etiket.trimmed()))
                    .unwrap_or(0)
            }));
        }

        // Vertical.
        let levels = distinct(&members, |m| m.level);
        let kind = key.kind.and_then(LevelKind::from_code);
        let degenerate = levels.len() == 1
            && levels[0] == 0.0
            && matches!(kind, Some(LevelKind::Pressure | LevelKind::Hybrid) | None);
        let mut vertical_name = None;
        let mut formula = None;
        if !degenerate {
            let pairs: Vec<(f64, i32)> = levels
                .iter()
                .map(|&l| {
                    let ip1 = members.iter().find(|m| m.level == l).map_or(0, |m| m.ip1);
                    (l, ip1)
                })
                .collect();
            let coord = match kind {
                Some(kind) => vertical_coordinate(
                    kind,
                    &pairs,
                    &key.typvar,
                    (key.ig[0], key.ig[1]),
                    &self.descriptors,
                ),
                None => VerticalCoord {
                    name: "ip1",
                    values: levels.clone(),
                    attrs: vec![s("long_name", "undecodable ip1")],
                    aux: Vec::new(),
                    scalars: Vec::new(),
                    formula_terms: Vec::new(),
                },
            };
            // Computed pressure and height follow the records' own ip1s: a diagnostic
            // height filed as level 1.0 keeps its row (vgd_levels at that ip1), where
            // the axis' a/b (fstd2nc) are those of hybrid 1.0. A duplicate keeps the
            // last record, as the data do.
            let own: Vec<(f64, i32)> = levels
                .iter()
                .map(|&l| {
                    let ip1 = members
                        .iter()
                        .rev()
                        .find(|m| m.level == l)
                        .map_or(0, |m| m.header.ip1);
                    (l, ip1)
                })
                .collect();
            formula = kind.and_then(|kind| {
                level_formula(kind, &own, (key.ig[0], key.ig[1]), &self.descriptors)
            });
            let model = matches!(
                kind,
                Some(LevelKind::Sigma | LevelKind::Hybrid | LevelKind::PressureMetres)
            );
            if formula.is_none() && model && (self.options.pressure || self.options.height) {
                self.plan.warnings.push(format!(
                    "{}: no computed pressure or height: no vertical descriptor lists all \
                     its levels",
                    key.nomvar
                ));
            }
            let name = self.vertical_axis(&coord);
            vertical_name = Some(coord.name);
            dims.push(name);
            shape.push(levels.len());
            strides_of.push(Box::new(move |m| position(&levels, &m.level)));
        }
        let outer_ndim = dims.len();

        // `#` tiles: each slot holds one record per tile, in the order of `tiles`.
        let tiled = is_tile(&first_header);
        let mut tiles: Vec<Tile> = Vec::new();
        if tiled {
            tiles = members.iter().map(|m| tile_of(&m.header)).collect();
            tiles.sort_by_key(|t| (t.j0, t.i0, t.nj, t.ni));
            tiles.dedup();
        }
        let per_slot = tiles.len().max(1);
        let tile_index = |m: &Member| {
            if tiled {
                let t = tile_of(&m.header);
                tiles.iter().position(|u| *u == t).unwrap_or(0)
            } else {
                0
            }
        };

        // Record table. A sparse table means the records are not a hypercube (e.g. each
        // record at its own time and level): refuse rather than allocate for holes.
        let slots = shape
            .iter()
            .try_fold(per_slot, |acc, &n| acc.checked_mul(n));
        let slots = match slots {
            Some(n) if n <= MAX_SPARSE_SLOTS || n / 8 <= members.len() => n,
            _ => {
                return Err(Error::from(
                    FormatError::new(FormatErrorKind::Inconsistent(format!(
                        "{}: {} records spread over {shape:?} (time, level) slots do not \
                         form a hypercube",
                        key.nomvar,
                        members.len()
                    )))
                    .record(first_index),
                ))
            }
        };
        let mut records = vec![None; slots];
        let mut duplicates = 0usize;
        let mut missing = false;
        for m in &members {
            let mut slot = 0usize;
            for (d, f) in strides_of.iter().enumerate() {
                slot = slot * shape[d] + f(m);
            }
            let slot = slot * per_slot + tile_index(m);
            if records[slot].replace((m.file, m.index)).is_some() {
                duplicates += 1;
            }
            missing |= m.header.datyp.has_missing();
        }
        let holes = records.iter().filter(|r| r.is_none()).count();
        let masks = self.masks.masks_of(&records);
        // Masked points, and holes of integer variables, read as the type's marker.
        missing |= !masks.is_empty() || (holes > 0 && is_integer(key.dtype));
        if duplicates > 0 {
            self.plan.warnings.push(format!(
                "{}: {duplicates} duplicate record(s), the last in file order is used",
                key.nomvar
            ));
        }
        if holes > 0 {
            self.plan.warnings.push(format!(
                "{}: missing {holes} of {slots} records",
                key.nomvar
            ));
        }

        // Spatial.
        let grid_header = if tiled {
            self.full_grid(key, &tiles, &records, &members, &mut missing)?
        } else {
            first_header
        };
        let (ni, nj, nk) = (
            grid_header.ni as usize,
            grid_header.nj as usize,
            grid_header.nk as usize,
        );
        if nk > 1 {
            // Levels of 3-D records are not the vertical axis' levels.
            formula = None;
            dims.push(self.axis("k", &format!("k{nk}"), nk, None));
            shape.push(nk);
        }
        let (ydim, xdim, mut var_attrs) = self.horizontal(first_file, &grid_header, first_index)?;
        if let Some(ydim) = ydim {
            dims.push(ydim);
            shape.push(nj);
        }
        dims.push(xdim);
        shape.push(ni);

        // Attributes.
        let mut attrs: Attrs = Vec::new();
        if let Some(meta) = nomvar_metadata(&key.nomvar) {
            // Winds follow the grid's axes (CF x_wind/y_wind) unless those point east
            // and north; on Y clouds nobody says which, so no standard name.
            let standard = match self.axes_orientation(first_file, &grid_header) {
                AxesOrientation::EastNorth => meta.standard_name,
                AxesOrientation::Grid => meta.grid_relative_name,
                AxesOrientation::Unknown if meta.standard_name != meta.grid_relative_name => "",
                AxesOrientation::Unknown => meta.standard_name,
            };
            if !standard.is_empty() {
                attrs.push(s("standard_name", standard));
            }
            attrs.push(s("long_name", meta.long_name));
            attrs.push(s("units", meta.units));
        }
        attrs.append(&mut var_attrs);
        let mut keys = fst_keys(&members);
        if tiled {
            // Each tile has its own ig3/ig4 (its place): they are `tiles`, not one key.
            keys.retain(|(k, _)| k != "ig3" && k != "ig4");
        }
        attrs.extend(keys);
        let _ = vertical_name;
        let ip1 = members
            .iter()
            .all(|m| m.header.ip1 == first_header.ip1)
            .then_some(first_header.ip1);
        self.human_ids
            .push(human_id(key, &first_header, ip1, &self.diagnostic));
        self.plan.variables.push(VarPlan {
            name: key.nomvar.clone(),
            dims,
            shape,
            outer_ndim,
            dtype: key.dtype,
            records,
            tiles,
            masks,
            attrs,
            missing,
            derived: None,
        });
        self.level_formulas.push(formula);
        Ok(())
    }

    /// The header of the full grid of a tiled variable (see [`full_grid_header`]), or,
    /// without `>>`/`^^`, the extent of its tiles (no coordinates, with a warning). Sets
    /// `missing` for integer variables whose tiles leave points uncovered.
    ///
    /// # Errors
    /// Tiles that overlap or do not fit in the full grid.
    fn full_grid(
        &mut self,
        key: &VarKey,
        tiles: &[Tile],
        records: &[Option<(usize, usize)>],
        members: &[Member],
        missing: &mut bool,
    ) -> Result<RecordHeader> {
        let first = &members[0];
        let full = full_grid_header(self.files, first.file, &first.header).unwrap_or_else(|| {
            self.plan.warnings.push(format!(
                "{}: no >>/^^ records tagged {}/{} for its `#` tiles: the grid is their \
                 extent, without coordinates",
                key.nomvar, first.header.ig1, first.header.ig2
            ));
            let mut h = first.header;
            h.ni = tiles
                .iter()
                .map(|t| t.i0.saturating_add(t.ni))
                .max()
                .unwrap_or(0) as u32;
            h.nj = tiles
                .iter()
                .map(|t| t.j0.saturating_add(t.nj))
                .max()
                .unwrap_or(0) as u32;
            h
        });
        // The record of each tile (any slot), to name it in an error.
        let per_slot = tiles.len().max(1);
        let named: Vec<usize> = (0..tiles.len())
            .map(|k| {
                records
                    .iter()
                    .skip(k)
                    .step_by(per_slot)
                    .flatten()
                    .next()
                    .map_or(first.index, |r| r.1)
            })
            .collect();
        let (ni, nj) = (full.ni as usize, full.nj as usize);
        check_layout(&key.nomvar, tiles, &named, ni, nj)?;
        let covered: usize = tiles.iter().map(|t| t.ni * t.nj).sum();
        if covered < ni.saturating_mul(nj) && is_integer(key.dtype) {
            *missing = true;
        }
        Ok(full)
    }

    /// A dimension with coordinate, shared with any earlier axis of the same `identity`.
    pub(super) fn axis(
        &mut self,
        base: &str,
        identity: &str,
        len: usize,
        coord: Option<(Values, Attrs)>,
    ) -> String {
        let id = format!("{base}|{identity}");
        if let Some(name) = self.names.axes.get(&id) {
            return name.clone();
        }
        let name = self.names.fresh(base);
        self.names.axes.insert(id, name.clone());
        self.plan.dims.push(Dim {
            name: name.clone(),
            len,
        });
        if let Some((values, attrs)) = coord {
            self.plan.coords.push(Coord {
                name: name.clone(),
                dims: vec![name.clone()],
                values,
                attrs,
            });
        }
        name
    }
}

/// fstd2nc's human-readable variable id after the name (`_human_var_id`): etiket,
/// typvar, `<ni>x<nj>`, special level, level description, `vgrid<kind>`, grtyp and
/// `grid_<ig1>_<ig2>_<ig3>_<ig4>`. `ip1` is the variables' ip1 when constant.
fn human_id(key: &VarKey, h: &RecordHeader, ip1: Option<i32>, diagnostic: &[i32]) -> Vec<String> {
    let descr = match key.kind {
        Some(0) => "depth_levels",
        Some(1 | 5 | 21) => "model_levels",
        Some(2) => "pressure_levels",
        Some(3) => "generic_levels",
        Some(4) => "height_levels",
        _ => "unknown_levels",
    };
    let special = if ip1.is_some_and(|ip1| diagnostic.binary_search(&ip1).is_ok()) {
        "diag_level"
    } else if key.kind == Some(1) && ip1 == Some(26_314_400) {
        // fstd2nc singles out this sigma ip1 as the bottom level.
        "bottom_level"
    } else {
        descr
    };
    let kind = key
        .kind
        .map_or_else(|| "None".to_string(), |k| k.to_string());
    let [ig1, ig2, ig3, ig4] = key.ig;
    vec![
        key.etiket.clone(),
        key.typvar.clone(),
        format!("{}x{}", h.ni, h.nj),
        special.to_string(),
        descr.to_string(),
        format!("vgrid{kind}"),
        h.grtyp_char().to_string(),
        format!("grid_{ig1}_{ig2}_{ig3}_{ig4}"),
    ]
}

/// FST keys as attributes: identity keys always, the others when constant.
fn fst_keys(members: &[Member]) -> Attrs {
    let h = &members[0].header;
    let mut out = vec![
        s("nomvar", h.nomvar.trimmed()),
        s("typvar", h.typvar.trimmed()),
        i("datyp", i64::from(h.datyp.raw())),
        i("nbits", i64::from(h.nbits)),
        s("grtyp", &h.grtyp_char().to_string()),
        i("ig1", i64::from(h.ig1)),
        i("ig2", i64::from(h.ig2)),
        i("ig3", i64::from(h.ig3)),
        i("ig4", i64::from(h.ig4)),
    ];
    let constant = |g: fn(&RecordHeader) -> i32| members.iter().all(|m| g(&m.header) == g(h));
    // Ensemble members differ by etiket: keep it only when constant.
    if members.iter().all(|m| m.etiket == members[0].etiket) {
        out.insert(2, s("etiket", h.etiket.trimmed()));
    }
    for (name, g) in [
        (
            "ip1",
            (|h: &RecordHeader| h.ip1) as fn(&RecordHeader) -> i32,
        ),
        ("ip2", |h| h.ip2),
        ("ip3", |h| h.ip3),
        ("deet", |h| h.deet),
        ("npas", |h| h.npas),
    ] {
        if constant(g) {
            out.push(i(name, i64::from(g(h))));
        }
    }
    out
}
