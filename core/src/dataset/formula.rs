//! `formula_terms` that only name variables of the dataset (CF 4.3.3): a term whose
//! field (`P0`, `ME`, `PT`…) is not in the files is left out, and a `comment` says so.

use std::collections::HashSet;

use super::attrs::s;
use super::{AttrValue, DatasetPlan};

/// Removes the terms of every `formula_terms` attribute whose variable does not exist.
pub(super) fn drop_missing_terms(plan: &mut DatasetPlan) {
    let names: HashSet<String> = plan
        .variables
        .iter()
        .map(|v| v.name.clone())
        .chain(plan.coords.iter().map(|c| c.name.clone()))
        .collect();
    for coord in &mut plan.coords {
        let mut missing = Vec::new();
        for (key, value) in &mut coord.attrs {
            let (true, AttrValue::Str(text)) = (key == "formula_terms", &mut *value) else {
                continue;
            };
            let tokens: Vec<&str> = text.split_whitespace().collect();
            let kept: Vec<String> = tokens
                .chunks(2)
                .filter(|pair| {
                    let exists = pair.len() == 2 && names.contains(pair[1]);
                    if !exists {
                        missing.push(pair.join(" "));
                    }
                    exists
                })
                .map(|pair| pair.join(" "))
                .collect();
            *text = kept.join(" ");
        }
        if !missing.is_empty() {
            coord.attrs.retain(|(k, v)| {
                k != "formula_terms" || !matches!(v, AttrValue::Str(t) if t.is_empty())
            });
            coord.attrs.push(s(
                "comment",
                &format!(
                    "formula_terms without {} (no such field in the files)",
                    missing.join(", ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Coord, DatasetPlan};
    use crate::Values;

    #[test]
    fn terms_naming_absent_fields_are_dropped_and_noted() {
        let coord = |name: &str, attrs| Coord {
            name: name.into(),
            dims: vec![],
            values: Values::F64(vec![0.0]),
            attrs,
        };
        let mut plan = DatasetPlan::default();
        plan.coords.push(coord(
            "level",
            vec![s("formula_terms", "ap: ap b: b ps: P0")],
        ));
        plan.coords.push(coord("ap", vec![]));
        plan.coords.push(coord("b", vec![]));
        drop_missing_terms(&mut plan);
        assert_eq!(
            plan.coords[0].attrs,
            vec![
                s("formula_terms", "ap: ap b: b"),
                s(
                    "comment",
                    "formula_terms without ps: P0 (no such field in the files)"
                )
            ]
        );
    }
}
