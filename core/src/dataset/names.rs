//! Unique variable names: the nomvar, suffixed only when several variables share it.

use std::collections::{HashMap, HashSet};

use super::plan::Builder;

/// Whether every id in `ids` is different.
fn all_distinct(ids: &[Vec<&str>]) -> bool {
    let set: HashSet<&Vec<&str>> = ids.iter().collect();
    set.len() == ids.len()
}

/// fstd2nc's suffixes for variables sharing a name: the id parts that vary, minus as
/// many as possible from the right while the rest still tells them apart; `None` when
/// even all of them do not (the variables differ only by element type).
fn fstd2nc_suffixes(ids: &[&Vec<String>]) -> Option<Vec<String>> {
    let nparts = ids.first()?.len();
    let mut columns: Vec<usize> = (0..nparts)
        .filter(|&c| ids.iter().any(|id| id[c] != ids[0][c]))
        .collect();
    let pick = |cols: &[usize]| -> Vec<Vec<&str>> {
        ids.iter()
            .map(|id| cols.iter().map(|&c| id[c].as_str()).collect())
            .collect()
    };
    if columns.is_empty() || !all_distinct(&pick(&columns)) {
        return None;
    }
    for j in (0..columns.len()).rev() {
        let mut test = columns.clone();
        test.remove(j);
        if !test.is_empty() && all_distinct(&pick(&test)) {
            columns = test;
        }
    }
    Some(pick(&columns).into_iter().map(|p| p.join("_")).collect())
}

impl Builder<'_> {
    /// Gives variables unique names: the nomvar, then for variables sharing it the
    /// suffix fstd2nc gives (`TT_P`, `LV_vgrid5`, `UU_diag_level`…), else `_1`, `_2`….
    pub(super) fn disambiguate_names(&mut self) {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, v) in self.plan.variables.iter().enumerate() {
            by_name.entry(v.name.clone()).or_default().push(k);
        }
        let mut names: Vec<String> = self.plan.variables.iter().map(|v| v.name.clone()).collect();
        for (base, idx) in by_name {
            if idx.len() < 2 {
                continue;
            }
            let ids: Vec<&Vec<String>> = idx.iter().map(|&k| &self.human_ids[k]).collect();
            let tags = fstd2nc_suffixes(&ids)
                .unwrap_or_else(|| (1..=idx.len()).map(|n| n.to_string()).collect());
            for (&k, tag) in idx.iter().zip(tags) {
                names[k] = format!("{base}_{}", tag.replace(' ', "_"));
            }
        }
        for (v, n) in self.plan.variables.iter_mut().zip(names) {
            v.name = n;
        }
    }
}
