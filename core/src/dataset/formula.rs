//! `formula_terms` that only name variables of the dataset (CF 4.3.3): a formula one of
//! whose fields (`P0`, `ME`, `PT`…) is not in the files is left out with the parametric
//! standard name that needs it, and a `comment` says so.

use std::collections::HashSet;

use super::attrs::s;
use super::{AttrValue, DatasetPlan};

/// CF's parametric vertical coordinates (Appendix D): their standard name requires a
/// complete `formula_terms`.
const PARAMETRIC: &[&str] = &[
    "atmosphere_ln_pressure_coordinate",
    "atmosphere_sigma_coordinate",
    "atmosphere_hybrid_sigma_pressure_coordinate",
    "atmosphere_hybrid_height_coordinate",
    "atmosphere_sleve_coordinate",
    "ocean_sigma_coordinate",
    "ocean_s_coordinate",
    "ocean_sigma_z_coordinate",
    "ocean_double_sigma_coordinate",
];

/// Whether a coordinate's standard name is parametric.
fn parametric(attrs: &[(String, AttrValue)]) -> Option<String> {
    attrs.iter().find_map(|(k, v)| match v {
        AttrValue::Str(t) if k == "standard_name" && PARAMETRIC.contains(&t.as_str()) => {
            Some(t.clone())
        }
        _ => None,
    })
}

/// Leaves out every `formula_terms` one of whose variables does not exist (an
/// incomplete formula is not CF 4.3.3), and then the parametric standard name that
/// requires it; a `comment` says what is missing.
pub(super) fn drop_missing_terms(plan: &mut DatasetPlan) {
    let names: HashSet<String> = plan
        .variables
        .iter()
        .map(|v| v.name.clone())
        .chain(plan.coords.iter().map(|c| c.name.clone()))
        .collect();
    for coord in &mut plan.coords {
        let mut missing = Vec::new();
        for (key, value) in &coord.attrs {
            if let (true, AttrValue::Str(text)) = (key == "formula_terms", value) {
                let tokens: Vec<&str> = text.split_whitespace().collect();
                for pair in tokens.chunks(2) {
                    if pair.len() != 2 || !names.contains(pair[1]) {
                        missing.push(pair.join(" "));
                    }
                }
            }
        }
        let has_terms = coord.attrs.iter().any(|(k, _)| k == "formula_terms");
        let Some(standard) = parametric(&coord.attrs) else {
            if !missing.is_empty() {
                coord.attrs.retain(|(k, _)| k != "formula_terms");
                coord.attrs.push(s(
                    "comment",
                    &format!("no formula_terms: {} not in the files", missing.join(", ")),
                ));
            }
            continue;
        };
        if has_terms && missing.is_empty() {
            continue;
        }
        coord
            .attrs
            .retain(|(k, _)| k != "formula_terms" && k != "standard_name");
        let why = if missing.is_empty() {
            "the files do not give its coefficients".to_string()
        } else {
            format!("{} not in the files", missing.join(", "))
        };
        coord.attrs.push(s(
            "comment",
            &format!("{standard} without formula_terms: {why}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Coord, DatasetPlan};
    use crate::Values;

    #[test]
    fn incomplete_formulas_are_dropped_and_noted() {
        let coord = |name: &str, attrs| Coord {
            name: name.into(),
            dims: vec![],
            values: Values::F64(vec![0.0]),
            attrs,
        };
        let mut plan = DatasetPlan::default();
        let sigma = "atmosphere_hybrid_sigma_pressure_coordinate";
        plan.coords.push(coord(
            "level",
            vec![
                s("standard_name", sigma),
                s("formula_terms", "ap: ap b: b ps: P0"),
            ],
        ));
        plan.coords.push(coord("ap", vec![]));
        plan.coords.push(coord("b", vec![]));
        plan.coords.push(coord(
            "level_1",
            vec![s("standard_name", sigma), s("formula_terms", "ap: ap b: b")],
        ));
        plan.coords
            .push(coord("level_2", vec![s("standard_name", sigma)]));
        drop_missing_terms(&mut plan);
        assert_eq!(
            plan.coords[0].attrs,
            vec![s(
                "comment",
                &format!("{sigma} without formula_terms: ps: P0 not in the files")
            )]
        );
        assert_eq!(plan.coords[3].attrs.len(), 2);
        assert!(
            matches!(&plan.coords[4].attrs[0].1, AttrValue::Str(t) if t.contains("coefficients"))
        );
    }
}
