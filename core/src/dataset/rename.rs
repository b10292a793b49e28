//! Gives the unsuffixed axis names (`time`, `level`, …) to the axes most variables use.
//!
//! Axes are named in the order variables are met, so a lone surface field read first
//! would otherwise take `time` and leave `time_1` to every other variable.

use std::collections::HashMap;

use super::{AttrValue, DatasetPlan};

/// Bases whose axes are renumbered, with the names that carry the axis' suffix along.
const FAMILIES: &[(&str, &[&str])] = &[
    ("time", &["leadtime", "reftime"]),
    ("forecast", &[]),
    ("level", &["a", "b", "c", "ap", "az", "b1", "b2"]),
    ("pres", &[]),
    ("height", &[]),
    ("depth", &[]),
    ("theta", &[]),
    ("sfclevel", &[]),
    ("k", &[]),
];

/// `base` and the numeric suffix of `name` (`level_2` → 2, `level` → 0).
fn suffix_of(name: &str, base: &str) -> Option<usize> {
    let rest = name.strip_prefix(base)?;
    if rest.is_empty() {
        return Some(0);
    }
    rest.strip_prefix('_')?.parse().ok().filter(|&n| n > 0)
}

fn with_suffix(base: &str, n: usize) -> String {
    if n == 0 {
        base.to_string()
    } else {
        format!("{base}_{n}")
    }
}

/// Renumbers each family's axes by decreasing number of variables using them.
pub(super) fn prefer_common_axes(plan: &mut DatasetPlan) {
    let mut map: HashMap<String, String> = HashMap::new();
    for &(base, companions) in FAMILIES {
        let mut axes: Vec<(usize, usize)> = plan
            .dims
            .iter()
            .filter_map(|d| suffix_of(&d.name, base).map(|n| (n, 0)))
            .collect();
        if axes.len() < 2 {
            continue;
        }
        for axis in &mut axes {
            let name = with_suffix(base, axis.0);
            axis.1 = plan
                .variables
                .iter()
                .filter(|v| v.dims.contains(&name))
                .count();
        }
        let mut ranked = axes.clone();
        ranked.sort_by_key(|&(n, uses)| (std::cmp::Reverse(uses), n));
        let mut old_suffixes: Vec<usize> = axes.iter().map(|a| a.0).collect();
        old_suffixes.sort_unstable();
        for (&(old, _), &new) in ranked.iter().zip(&old_suffixes) {
            if old == new {
                continue;
            }
            for name in std::iter::once(base).chain(companions.iter().copied()) {
                map.insert(with_suffix(name, old), with_suffix(name, new));
            }
        }
    }
    if map.is_empty() {
        return;
    }
    let rename = |s: &mut String| {
        if let Some(n) = map.get(s.as_str()) {
            *s = n.clone();
        }
    };
    let rename_tokens = |s: &mut String| {
        *s = s
            .split(' ')
            .map(|t| map.get(t).cloned().unwrap_or_else(|| t.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
    };
    for d in &mut plan.dims {
        rename(&mut d.name);
    }
    for c in &mut plan.coords {
        rename(&mut c.name);
        c.dims.iter_mut().for_each(rename);
        for (k, v) in &mut c.attrs {
            if let (true, AttrValue::Str(s)) = (k == "formula_terms", v) {
                rename_tokens(s);
            }
        }
    }
    for v in &mut plan.variables {
        v.dims.iter_mut().for_each(rename);
    }
}
