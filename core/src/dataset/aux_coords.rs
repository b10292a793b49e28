//! Each variable's `coordinates` attribute lists all its auxiliary coordinates (CF 5):
//! `lat lon`, `leadtime`, `reftime`, `ensemble`… so that netCDF and zarr readers see
//! them as coordinates, not data.

use std::collections::HashSet;

use super::attrs::s;
use super::{AttrValue, Coord, DatasetPlan};

/// Names of coordinates that only serve a formula (`a`, `b`, `ap`, `pref`…).
fn formula_names(plan: &DatasetPlan) -> HashSet<String> {
    let mut out = HashSet::new();
    for c in &plan.coords {
        for (k, v) in &c.attrs {
            if let (true, AttrValue::Str(text)) = (k == "formula_terms", v) {
                out.extend(text.split_whitespace().skip(1).step_by(2).map(String::from));
            }
        }
    }
    out
}

/// Whether `coord` describes a variable with dimensions `dims`: its dimensions (but a
/// character-length one) are among them; a scalar reference time goes with the time
/// axis of the same suffix.
fn describes(coord: &Coord, dims: &[String], chars: &HashSet<&str>) -> bool {
    if coord.dims.is_empty() {
        return coord
            .name
            .strip_prefix("reftime")
            .is_some_and(|suffix| dims.iter().any(|d| *d == format!("time{suffix}")));
    }
    coord
        .dims
        .iter()
        .all(|d| dims.contains(d) || chars.contains(d.as_str()))
        && coord.dims.iter().any(|d| dims.contains(d))
}

/// Adds the missing auxiliary coordinates to each variable's `coordinates` attribute.
pub(super) fn list_auxiliary_coordinates(plan: &mut DatasetPlan) {
    let formula = formula_names(plan);
    let is_gridmap = |c: &Coord| c.attrs.iter().any(|(k, _)| k == "grid_mapping_name");
    // Character-length dimensions (of the ensemble labels): not the variables' own.
    let chars: HashSet<&str> = plan
        .coords
        .iter()
        .filter(|c| c.values.element_type() == crate::ElementType::Char)
        .filter_map(|c| c.dims.last().map(String::as_str))
        .collect();
    let aux: Vec<&Coord> = plan
        .coords
        .iter()
        .filter(|c| c.dims.len() != 1 || c.dims[0] != c.name)
        .filter(|c| !is_gridmap(c) && !formula.contains(&c.name))
        .collect();
    let mut updates = Vec::new();
    for (k, v) in plan.variables.iter().enumerate() {
        let mut listed: Vec<String> = v
            .attrs
            .iter()
            .find(|(name, _)| name == "coordinates")
            .and_then(|(_, value)| match value {
                AttrValue::Str(t) => Some(t.split_whitespace().map(String::from).collect()),
                _ => None,
            })
            .unwrap_or_default();
        let before = listed.len();
        for c in &aux {
            if describes(c, &v.dims, &chars) && !listed.contains(&c.name) {
                listed.push(c.name.clone());
            }
        }
        if listed.len() != before {
            updates.push((k, listed.join(" ")));
        }
    }
    for (k, text) in updates {
        let attrs = &mut plan.variables[k].attrs;
        attrs.retain(|(name, _)| name != "coordinates");
        attrs.push(s("coordinates", &text));
    }
}
