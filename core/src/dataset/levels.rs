//! Vertical axes of the plan: one dimension per distinct level set, its a/b/ap/c
//! coordinates (same suffix as the axis) and the scalars its formula needs.

use std::collections::HashMap;

use super::attrs::s;
use super::plan::Builder;
use super::Coord;
use crate::vertical::VerticalCoord;
use crate::Values;

impl Builder<'_> {
    pub(super) fn vertical_axis(&mut self, coord: &VerticalCoord) -> String {
        let aux_id: Vec<(&str, &Vec<f64>)> = coord
            .aux
            .iter()
            .map(|a| (a.name.as_str(), &a.values))
            .collect();
        let identity = format!(
            "{:?}{:?}{aux_id:?}{:?}",
            coord.values, coord.attrs, coord.scalars
        );
        let id = format!("{}|{identity}", coord.name);
        if let Some(name) = self.names.axes.get(&id) {
            return name.clone();
        }
        let name = self.axis(coord.name, &identity, coord.values.len(), None);
        let suffix = name.strip_prefix(coord.name).unwrap_or("").to_string();
        // Names used in formula_terms: axis, aux (same suffix as the axis) and scalars.
        let mut renamed: HashMap<String, String> = HashMap::new();
        renamed.insert(coord.name.to_string(), name.clone());
        for a in &coord.aux {
            let n = self.names.fresh(&format!("{}{suffix}", a.name));
            renamed.insert(a.name.clone(), n.clone());
            self.plan.coords.push(Coord {
                name: n,
                dims: vec![name.clone()],
                values: Values::F64(a.values.clone()),
                attrs: a.attrs.clone(),
            });
        }
        for (sname, value, sattrs) in &coord.scalars {
            let id = format!("scalar|{sname}|{value}");
            let n = match self.names.axes.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let n = self.names.fresh(sname);
                    self.names.axes.insert(id, n.clone());
                    self.plan.coords.push(Coord {
                        name: n.clone(),
                        dims: vec![],
                        values: Values::F64(vec![*value]),
                        attrs: sattrs.clone(),
                    });
                    n
                }
            };
            renamed.insert(sname.clone(), n);
        }
        let mut attrs = coord.attrs.clone();
        if !coord.formula_terms.is_empty() {
            let terms: Vec<String> = coord
                .formula_terms
                .iter()
                .map(|(term, var)| format!("{term}: {}", renamed.get(var).unwrap_or(var)))
                .collect();
            attrs.push(s("formula_terms", &terms.join(" ")));
        }
        self.plan.coords.push(Coord {
            name: name.clone(),
            dims: vec![name.clone()],
            values: Values::F64(coord.values.clone()),
            attrs,
        });
        name
    }
}
