//! Computed variables: pressure (`PX`, hPa) and height (`GZ`, m) on model levels,
//! from a vertical axis' descriptor (see [`crate::vertical::LevelFormula`]) and the
//! surface fields of the files (`P0`, `P0LS`, `ME`, `MELS`), as fstd2nc's `add_px` /
//! `add_gz` and vgrid's `vgd_levels`. One variable per set of dimensions (vertical
//! axis, times, grid) of the fields that have a formula; its values are computed when
//! read, one record of the surface field per time.

use std::collections::{HashMap, HashSet};

use super::attrs::s;
use super::plan::LevelValues;
use super::{DatasetPlan, Derived, PlanOptions, VarPlan};
use crate::codec::DecodeOptions;
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::record::ElementType;
use crate::vertical::{LevelCoefficients, LevelFormula, SurfaceField};
use crate::{MissingMode, Values};

/// Adds the computed variables `options` asks for, after the data variables. A field
/// whose surface field is not in the files (on its grid and at its times) gets none,
/// with a warning.
pub(super) fn add_derived(
    plan: &mut DatasetPlan,
    formulas: &[Option<LevelValues>],
    options: &PlanOptions,
) {
    if !options.pressure && !options.height {
        return;
    }
    let mut taken: HashSet<String> = plan
        .variables
        .iter()
        .map(|v| v.name.clone())
        .chain(plan.coords.iter().map(|c| c.name.clone()))
        .chain(plan.dims.iter().map(|d| d.name.clone()))
        .collect();
    // One computed variable per dims and coefficients (an axis' level 1.0 may stand for
    // different diagnostic heights), with the fields it serves.
    let mut groups: Vec<(&VarPlan, LevelFormula, &[LevelCoefficients], Vec<&str>)> = Vec::new();
    for (var, formula) in plan.variables.iter().zip(formulas) {
        let Some((formula, levels)) = formula else {
            continue;
        };
        // Tiled (`#`) variables: records are per tile, surface fields are not.
        if !var.tiles.is_empty() {
            continue;
        }
        let wanted = if formula.is_height() {
            options.height
        } else {
            options.pressure
        };
        if !wanted {
            continue;
        }
        let same = |g: &&mut (&VarPlan, LevelFormula, &[LevelCoefficients], Vec<&str>)| {
            g.0.dims == var.dims && g.1 == *formula && g.2 == levels.as_slice()
        };
        match groups.iter_mut().find(same) {
            Some(g) => g.3.push(&var.name),
            None => groups.push((var, *formula, levels, vec![&var.name])),
        }
    }
    let mut added = Vec::new();
    let mut warnings = Vec::new();
    for (var, formula, levels, fields) in groups {
        match derive(plan, var, formula, levels, &fields) {
            Ok(mut d) => {
                d.name = fresh(&mut taken, &d.name);
                added.push(d);
            }
            Err(why) => warnings.push(format!(
                "{}: no {} computed for its levels: {why}",
                fields.join(", "),
                if formula.is_height() { "GZ" } else { "PX" }
            )),
        }
    }
    plan.variables.extend(added);
    plan.warnings.extend(warnings);
}

fn fresh(taken: &mut HashSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 0;
    while taken.contains(&name) {
        n += 1;
        name = format!("{base}_{n}");
    }
    taken.insert(name.clone());
    name
}

/// Where a field's surface records are: the surface variable, and for each of its
/// outer dimensions the field's outer dimension that indexes it (`None`: length 1).
struct SurfaceMap<'a> {
    var: &'a VarPlan,
    from: Vec<Option<usize>>,
}

impl SurfaceMap<'_> {
    /// The surface record of the field's outer slot `index` (one index per dimension).
    fn record(&self, index: &[usize]) -> Option<(usize, usize)> {
        let outer = &self.var.shape[..self.var.outer_ndim];
        let slot = self
            .from
            .iter()
            .zip(outer)
            .fold(0usize, |acc, (f, &n)| acc * n + f.map_or(0, |d| index[d]));
        self.var.records.get(slot).copied().flatten()
    }
}

fn nomvar(var: &VarPlan) -> Option<&str> {
    var.attrs.iter().find_map(|(k, v)| match v {
        super::AttrValue::Str(t) if k == "nomvar" => Some(t.as_str()),
        _ => None,
    })
}

/// The variable holding `field` for `var`: same grid, and the same outer dimensions
/// but the vertical one (it may add length-1 ones, such as a single surface level).
/// A static field (orography) at a single time serves every time.
fn find_surface<'a>(
    plan: &'a DatasetPlan,
    var: &VarPlan,
    field: SurfaceField,
) -> Option<SurfaceMap<'a>> {
    // The vertical axis is the last outer dimension (see `plan`).
    let vertical = var.outer_ndim.checked_sub(1)?;
    let outer = &var.dims[..var.outer_ndim];
    let candidates = plan.variables.iter().filter(|s| {
        s.derived.is_none()
            && s.tiles.is_empty()
            && nomvar(s) == Some(field.nomvar)
            && matches!(s.dtype, ElementType::F32 | ElementType::F64)
            && s.dims[s.outer_ndim..] == var.dims[var.outer_ndim..]
    });
    for s in candidates {
        let mut from = Vec::new();
        let mut ok = true;
        for (d, &n) in s.dims[..s.outer_ndim].iter().zip(&s.shape) {
            match outer.iter().position(|o| o == d) {
                Some(p) if p != vertical => from.push(Some(p)),
                _ if n == 1 => from.push(None),
                _ => ok = false,
            }
        }
        // Every dimension of the field but the vertical one indexes the surface
        // field, unless it does not vary (then its single record serves all).
        let covered = (0..outer.len())
            .filter(|&p| p != vertical)
            .all(|p| from.contains(&Some(p)));
        if ok && (covered || field.static_field) {
            return Some(SurfaceMap { var: s, from });
        }
    }
    None
}

/// The computed variable of `var`'s levels.
fn derive(
    plan: &DatasetPlan,
    var: &VarPlan,
    formula: LevelFormula,
    levels: &[LevelCoefficients],
    fields: &[&str],
) -> std::result::Result<VarPlan, String> {
    let (field, large_field) = formula.surface_fields();
    if var.outer_ndim == 0 || levels.len() != var.shape[var.outer_ndim - 1] {
        return Err("its levels are not its last outer dimension".into());
    }
    let needs = |which: fn((bool, bool)) -> bool| levels.iter().any(|c| which(formula.needs(c)));
    let surface = match needs(|n| n.0) {
        true => Some(
            find_surface(plan, var, field)
                .ok_or_else(|| format!("no {} on its grid and times", field.nomvar))?,
        ),
        false => None,
    };
    let large = match (large_field, needs(|n| n.1)) {
        (Some(f), true) => Some(
            find_surface(plan, var, f)
                .ok_or_else(|| format!("no {} on its grid and times", f.nomvar))?,
        ),
        _ => None,
    };
    let outer = &var.shape[..var.outer_ndim];
    let vertical = var.outer_ndim - 1;
    let slots = var.records.len();
    let mut records = Vec::with_capacity(slots);
    let mut large_scale = Vec::new();
    let mut coefficients = Vec::with_capacity(slots);
    let mut index = vec![0usize; outer.len()];
    for _ in 0..slots {
        let c = levels[index[vertical]];
        let (s, l) = formula.needs(&c);
        records.push(
            surface
                .as_ref()
                .filter(|_| s)
                .and_then(|m| m.record(&index)),
        );
        if let Some(m) = &large {
            large_scale.push(if l { m.record(&index) } else { None });
        }
        coefficients.push(c);
        // Next index in C order.
        for d in (0..outer.len()).rev() {
            index[d] += 1;
            if index[d] < outer[d] {
                break;
            }
            index[d] = 0;
        }
    }
    let mut sources = vec![field.nomvar];
    sources.extend(large.as_ref().and(large_field).map(|f| f.nomvar));
    let mut attrs = if formula.is_height() {
        vec![
            s("standard_name", "geopotential_height"),
            s("long_name", "height of the model levels"),
            s("units", "m"),
        ]
    } else {
        vec![
            s("standard_name", "air_pressure"),
            s("long_name", "pressure of the model levels"),
            s("units", "hPa"),
        ]
    };
    let from = if surface.is_some() {
        format!(" and {}", sources.join(", "))
    } else {
        String::new()
    };
    attrs.push(s(
        "comment",
        &format!(
            "levels of {}: computed by fst24 from their vertical descriptor{from}, as \
             vgrid's vgd_levels",
            fields.join(", ")
        ),
    ));
    attrs.extend(
        var.attrs
            .iter()
            .filter(|(k, _)| k == "grid_mapping")
            .cloned(),
    );
    Ok(VarPlan {
        name: if formula.is_height() { "GZ" } else { "PX" }.to_string(),
        dims: var.dims.clone(),
        shape: var.shape.clone(),
        outer_ndim: var.outer_ndim,
        dtype: ElementType::F32,
        records,
        tiles: Vec::new(),
        masks: Vec::new(),
        attrs,
        missing: surface.as_ref().is_some_and(|m| m.var.missing)
            || large.as_ref().is_some_and(|m| m.var.missing),
        derived: Some(Derived {
            formula,
            levels: coefficients,
            large_scale,
        }),
    })
}

fn inconsistent(what: String) -> crate::Error {
    FormatError::new(FormatErrorKind::Inconsistent(what)).into()
}

/// A decoded surface record, with the factor to the formula's units.
struct Surface {
    values: Values,
    scale: f64,
}

impl Surface {
    /// Point `i` in the formula's units (NaN when missing).
    fn at(&self, i: usize) -> f64 {
        match &self.values {
            Values::F32(v) => f64::from(v[i]) * self.scale,
            Values::F64(v) => v[i] * self.scale,
            _ => f64::NAN,
        }
    }
}

/// Decodes surface record `r` (missing points NaN).
fn surface_values(files: &[&File], r: (usize, usize), scale: f64, len: usize) -> Result<Surface> {
    let file = files.get(r.0).ok_or_else(|| {
        crate::error::UsageError::InvalidArgument(format!("plan refers to file {}", r.0))
    })?;
    let options = DecodeOptions {
        missing: MissingMode::Nan,
    };
    let values = file.read_with(r.1, &options)?.values;
    if !matches!(values, Values::F32(_) | Values::F64(_)) {
        return Err(file
            .located(inconsistent("surface field is not real-valued".into()).at(Some(r.1), None)));
    }
    if values.scalar_len() != len {
        return Err(file.located(
            inconsistent(format!(
                "surface field has {} points, the levels {len}",
                values.scalar_len()
            ))
            .at(Some(r.1), None),
        ));
    }
    Ok(Surface { values, scale })
}

/// Computes the values of computed variable `var` at outer `slots` into `out` (one
/// record's worth per slot, C order). Each surface record is decoded once, and all
/// those of the selection must fit every file's allocation limit together.
///
/// # Errors
/// A surface record that does not decode, is not real-valued or is not on the
/// variable's grid; [`crate::Error::Limits`] when the surface records are too large.
pub(super) fn read_derived(
    files: &[&File],
    var: &VarPlan,
    d: &Derived,
    slots: &[usize],
    out: &mut [f32],
) -> Result<()> {
    let n = var.record_len();
    let (field, large_field) = d.formula.surface_fields();
    let mut wanted: Vec<((usize, usize), f64)> = Vec::new();
    let mut seen = HashSet::new();
    for &slot in slots {
        if let Some(r) = var.records.get(slot).copied().flatten() {
            if seen.insert(r) {
                wanted.push((r, field.scale));
            }
        }
        if let (Some(r), Some(f)) = (d.large_scale.get(slot).copied().flatten(), large_field) {
            if seen.insert(r) {
                wanted.push((r, f.scale));
            }
        }
    }
    // Surfaces are decoded before any value is computed: bound them as one buffer.
    let bytes = (wanted.len() as u64)
        .saturating_mul(n as u64)
        .saturating_mul(8);
    for file in files {
        file.limits()
            .check_alloc(bytes)
            .map_err(|e| super::read::locate(files, var, e))?;
    }
    let decode = |&(r, scale): &((usize, usize), f64)| -> Result<((usize, usize), Surface)> {
        Ok((r, surface_values(files, r, scale, n)?))
    };
    #[cfg(feature = "parallel")]
    let decoded: Vec<_> = {
        use rayon::prelude::*;
        wanted.par_iter().map(decode).collect::<Result<_>>()?
    };
    #[cfg(not(feature = "parallel"))]
    let decoded: Vec<_> = wanted.iter().map(decode).collect::<Result<_>>()?;
    let fields: HashMap<(usize, usize), Surface> = decoded.into_iter().collect();
    let scale = d.formula.output_scale();
    let field_of = |r: Option<(usize, usize)>| r.and_then(|r| fields.get(&r));
    let value = |s: Option<&Surface>, i: usize| s.map_or(f64::NAN, |s| s.at(i));
    for (&slot, chunk) in slots.iter().zip(out.chunks_mut(n.max(1))) {
        let Some(c) = d.levels.get(slot) else {
            chunk.fill(f32::NAN);
            continue;
        };
        let surface = field_of(var.records.get(slot).copied().flatten());
        let large = field_of(d.large_scale.get(slot).copied().flatten());
        for (i, o) in chunk.iter_mut().enumerate() {
            *o = (d.formula.evaluate(c, value(surface, i), value(large, i)) * scale) as f32;
        }
    }
    Ok(())
}
