//! Unique variable names: the nomvar, suffixed only when several variables share it.

use std::collections::HashMap;

use super::plan::{Builder, Tagger};
use super::{AttrValue, VarPlan};

impl Builder<'_> {
    /// Gives variables unique names: nomvar, then the first suffix telling apart the
    /// variables that share it.
    pub(super) fn disambiguate_names(&mut self) {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, v) in self.plan.variables.iter().enumerate() {
            by_name.entry(v.name.clone()).or_default().push(k);
        }
        let attr = |v: &VarPlan, key: &str| -> String {
            v.attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, a)| match a {
                    AttrValue::Str(t) => t.clone(),
                    AttrValue::I64(n) => n.to_string(),
                    other => format!("{other:?}"),
                })
                .unwrap_or_default()
        };
        let mut names: Vec<String> = self.plan.variables.iter().map(|v| v.name.clone()).collect();
        for (base, idx) in by_name {
            if idx.len() < 2 {
                continue;
            }
            let candidates: Vec<Tagger> = vec![
                Box::new(|v| attr(v, "typvar")),
                Box::new(|v| attr(v, "etiket")),
                Box::new(|v| {
                    let n = v.shape.len();
                    format!("{}x{}", v.shape[n - 1], v.shape[n - 2])
                }),
                Box::new(|v| {
                    if v.outer_ndim > 0 {
                        v.dims[v.outer_ndim - 1].clone()
                    } else {
                        String::new()
                    }
                }),
            ];
            let mut chosen = None;
            for c in &candidates {
                let tags: Vec<String> = idx.iter().map(|&k| c(&self.plan.variables[k])).collect();
                let mut sorted = tags.clone();
                sorted.sort();
                sorted.dedup();
                if sorted.len() == tags.len() && tags.iter().all(|t| !t.is_empty()) {
                    chosen = Some(tags);
                    break;
                }
            }
            let tags = chosen.unwrap_or_else(|| (1..=idx.len()).map(|n| n.to_string()).collect());
            for (&k, tag) in idx.iter().zip(tags) {
                names[k] = format!("{base}_{}", tag.replace(' ', "_"));
            }
        }
        for (v, n) in self.plan.variables.iter_mut().zip(names) {
            v.name = n;
        }
    }
}
