//! Each variable's `coordinates` attribute lists all its auxiliary coordinates (CF 5):
//! `lat lon`, `leadtime`, `reftime`, `ensemble`, its level formula's `a`/`b`/`pref`…,
//! so that netCDF and zarr readers see them as coordinates, not data.

use std::collections::{HashMap, HashSet};

use super::attrs::s;
use super::{AttrValue, Coord, DatasetPlan};

/// Coordinates named by a formula (`a`, `b`, `ap`, `pref`…) → the axes whose
/// `formula_terms` name them.
fn formula_names(plan: &DatasetPlan) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for c in &plan.coords {
        for (k, v) in &c.attrs {
            if let (true, AttrValue::Str(text)) = (k == "formula_terms", v) {
                for name in text.split_whitespace().skip(1).step_by(2) {
                    out.entry(name.to_string())
                        .or_default()
                        .push(c.name.clone());
                }
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
        .filter(|c| !is_gridmap(c))
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
            // A formula's terms go with the variables on its axis (xarray then keeps
            // them as coordinates); other fields named by it (P0) are data.
            let wanted = match formula.get(&c.name) {
                Some(axes) => axes.iter().any(|a| v.dims.contains(a)),
                None => describes(c, &v.dims, &chars),
            };
            if wanted && !listed.contains(&c.name) {
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
