//! Grouping records into variables and building their dimensions and coordinates.

use std::collections::HashMap;

use super::attrs::{grid_mapping_attrs, i, nomvar_metadata, s};
use super::time_axis::{hours_since, iso, stamp_seconds};
use super::{AttrValue, Attrs, Coord, DatasetPlan, Dim, PlanOptions, VarPlan};
use crate::error::Result;
use crate::file::File;
use crate::grid::{horizontal_grid, GridMapping, HorizontalGrid};
use crate::ip::{decode_ip, LevelKind};
use crate::record::{BaseType, ElementType, RecordHeader};
use crate::vertical::{vertical_coordinate, VerticalCoord, VerticalDescriptors};
use crate::Values;

/// What makes records one variable (fstd2nc's `_var_id`, plus the element type).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct VarKey {
    nomvar: String,
    typvar: String,
    etiket: String,
    shape: [u32; 3],
    kind: Option<i32>,
    grtyp: u8,
    ig: [i32; 4],
    dtype: ElementType,
}

/// A record taking part in the plan.
struct Member {
    file: usize,
    index: usize,
    header: RecordHeader,
    /// Validity (or origin, with the forecast axis) date in seconds.
    time: Option<i64>,
    /// Lead time in seconds (`deet·npas`).
    lead: i64,
    /// Decoded ip1 value (f32 precision, as librmn).
    level: f64,
}

/// Names handed out so far, and the name given to each distinct axis.
#[derive(Default)]
struct Names {
    used: std::collections::HashSet<String>,
    axes: HashMap<String, String>,
}

impl Names {
    /// `base`, or `base_1`, `base_2`… if taken.
    fn fresh(&mut self, base: &str) -> String {
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
type GridKey = (usize, u8, u32, u32, [i32; 4]);

/// Index of a record along one outer dimension.
type AxisIndex = Box<dyn Fn(&Member) -> usize>;

/// A tag telling variables of one nomvar apart.
type Tagger<'a> = Box<dyn Fn(&VarPlan) -> String + 'a>;

struct Builder<'a> {
    files: &'a [&'a File],
    options: PlanOptions,
    names: Names,
    plan: DatasetPlan,
    descriptors: VerticalDescriptors,
    grids: HashMap<GridKey, Option<HorizontalGrid>>,
}

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
    };
    b.plan.attrs.push(s("Conventions", "CF-1.8"));
    let mut order: Vec<VarKey> = Vec::new();
    let mut groups: HashMap<VarKey, Vec<Member>> = HashMap::new();
    for (fi, file) in files.iter().enumerate() {
        for rec in file.records() {
            let h = rec.header;
            if h.is_descriptor() || matches!(h.nomvar.trimmed(), "META" | "PROJ") {
                continue;
            }
            let (Some(base), Some(dtype)) = (h.datyp.base(), h.element_type()) else {
                continue;
            };
            if matches!(base, BaseType::Chars | BaseType::String) {
                continue;
            }
            let level = decode_ip(h.ip1);
            let key = VarKey {
                nomvar: h.nomvar.trimmed().to_string(),
                typvar: if options.ignore_typvar {
                    String::new()
                } else {
                    h.typvar.trimmed().to_string()
                },
                etiket: if options.ignore_etiket {
                    String::new()
                } else {
                    h.etiket.trimmed().to_string()
                },
                shape: [h.ni, h.nj, h.nk],
                kind: level.map(|l| l.kind.code()),
                grtyp: h.grtyp,
                ig: [h.ig1, h.ig2, h.ig3, h.ig4],
                dtype,
            };
            let lead = i64::from(h.deet).saturating_mul(i64::from(h.npas));
            let time = if options.forecast_axis {
                stamp_seconds(h.dateo)
            } else {
                stamp_seconds(h.datev)
            };
            let member = Member {
                file: fi,
                index: rec.index,
                header: h,
                time,
                lead,
                level: level.map_or(f64::from(h.ip1), |l| f64::from(l.value)),
            };
            if !groups.contains_key(&key) {
                order.push(key.clone());
            }
            groups.entry(key).or_default().push(member);
        }
    }
    for key in order {
        let members = groups.remove(&key).unwrap_or_default();
        b.add_variable(&key, members)?;
    }
    super::rename::prefer_common_axes(&mut b.plan);
    b.disambiguate_names();
    Ok(b.plan)
}

/// Sorted distinct values of `f` over `members` (by bit pattern for floats).
fn distinct<T: PartialOrd + Copy>(members: &[Member], f: impl Fn(&Member) -> T) -> Vec<T> {
    let mut v: Vec<T> = members.iter().map(f).collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.dedup_by(|a, b| a.partial_cmp(&b) == Some(std::cmp::Ordering::Equal));
    v
}

fn position<T: PartialOrd>(values: &[T], x: &T) -> usize {
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

        // Vertical.
        let levels = distinct(&members, |m| m.level);
        let kind = key.kind.and_then(LevelKind::from_code);
        let degenerate = levels.len() == 1
            && levels[0] == 0.0
            && matches!(kind, Some(LevelKind::Pressure | LevelKind::Hybrid) | None);
        let mut vertical_name = None;
        if !degenerate {
            let pairs: Vec<(f64, i32)> = levels
                .iter()
                .map(|&l| {
                    let ip1 = members
                        .iter()
                        .find(|m| m.level == l)
                        .map_or(0, |m| m.header.ip1);
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
            let name = self.vertical_axis(&coord);
            vertical_name = Some(coord.name);
            dims.push(name);
            shape.push(levels.len());
            strides_of.push(Box::new(move |m| position(&levels, &m.level)));
        }
        let outer_ndim = dims.len();

        // Record table.
        let slots: usize = shape.iter().product();
        let mut records = vec![None; slots];
        let mut duplicates = 0usize;
        let mut missing = false;
        for m in &members {
            let mut slot = 0usize;
            for (d, f) in strides_of.iter().enumerate() {
                slot = slot * shape[d] + f(m);
            }
            if records[slot].replace((m.file, m.index)).is_some() {
                duplicates += 1;
            }
            missing |= m.header.datyp.has_missing();
        }
        let holes = records.iter().filter(|r| r.is_none()).count();
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
        let [ni, nj, nk] = key.shape.map(|v| v as usize);
        if nk > 1 {
            dims.push(self.axis("k", &format!("k{nk}"), nk, None));
            shape.push(nk);
        }
        let (ydim, xdim, mut var_attrs) =
            self.horizontal(first_file, &first_header, first_index)?;
        dims.push(ydim);
        shape.push(nj);
        dims.push(xdim);
        shape.push(ni);

        // Attributes.
        let mut attrs: Attrs = Vec::new();
        if let Some((standard, long, units)) = nomvar_metadata(&key.nomvar) {
            if !standard.is_empty() {
                attrs.push(s("standard_name", standard));
            }
            attrs.push(s("long_name", long));
            attrs.push(s("units", units));
        }
        attrs.append(&mut var_attrs);
        attrs.extend(fst_keys(&members));
        let _ = vertical_name;
        self.plan.variables.push(VarPlan {
            name: key.nomvar.clone(),
            dims,
            shape,
            outer_ndim,
            dtype: key.dtype,
            records,
            attrs,
            missing,
        });
        Ok(())
    }

    /// A dimension with coordinate, shared with any earlier axis of the same `identity`.
    fn axis(
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

    fn time_axis(&mut self, times: &[i64], members: &[Member]) -> String {
        let known: Vec<i64> = times.iter().copied().filter(|&t| t != i64::MIN).collect();
        let reference = known.first().copied().unwrap_or(0);
        let values: Vec<f64> = times
            .iter()
            .map(|&t| hours_since((t != i64::MIN).then_some(t), reference))
            .collect();
        let (standard, long) = if self.options.forecast_axis {
            ("forecast_reference_time", "Date of origin")
        } else {
            ("time", "Validity time")
        };
        let attrs = vec![
            s("standard_name", standard),
            s("long_name", long),
            s("axis", "T"),
            s("units", &format!("hours since {}", iso(reference))),
            s("calendar", "gregorian"),
        ];
        let identity = format!("{}{times:?}", self.options.forecast_axis);
        let before = self.plan.dims.len();
        let name = self.axis(
            "time",
            &identity,
            times.len(),
            Some((Values::F64(values), attrs)),
        );
        if self.plan.dims.len() > before && !self.options.forecast_axis {
            self.lead_and_reference(&name, times, members, reference);
        }
        name
    }

    /// `leadtime(time)` and `reftime` (scalar if unique) when every validity time has
    /// one lead time.
    fn lead_and_reference(
        &mut self,
        time: &str,
        times: &[i64],
        members: &[Member],
        reference: i64,
    ) {
        let mut leads: Vec<Option<i64>> = vec![None; times.len()];
        for m in members {
            let t = position(times, &m.time.unwrap_or(i64::MIN));
            match leads[t] {
                Some(l) if l != m.lead => return,
                _ => leads[t] = Some(m.lead),
            }
        }
        let lead_hours: Vec<f64> = leads
            .iter()
            .map(|l| l.map_or(f64::NAN, |l| l as f64 / 3600.0))
            .collect();
        let refs: Vec<f64> = times
            .iter()
            .zip(&leads)
            .map(|(&t, l)| {
                if t == i64::MIN {
                    f64::NAN
                } else {
                    hours_since(Some(t - l.unwrap_or(0)), reference)
                }
            })
            .collect();
        let suffix = time.strip_prefix("time").unwrap_or("");
        let lead_name = self.names.fresh(&format!("leadtime{suffix}"));
        self.plan.coords.push(Coord {
            name: lead_name,
            dims: vec![time.to_string()],
            values: Values::F64(lead_hours),
            attrs: vec![
                s("standard_name", "forecast_period"),
                s("long_name", "Lead time (since forecast_reference_time)"),
                s("units", "hours"),
            ],
        });
        let ref_name = self.names.fresh(&format!("reftime{suffix}"));
        let unique = refs.windows(2).all(|w| w[0] == w[1]);
        let ref_attrs = vec![
            s("standard_name", "forecast_reference_time"),
            s("units", &format!("hours since {}", iso(reference))),
            s("calendar", "gregorian"),
        ];
        self.plan.coords.push(Coord {
            name: ref_name,
            dims: if unique {
                vec![]
            } else {
                vec![time.to_string()]
            },
            values: Values::F64(if unique {
                refs[..1.min(refs.len())].to_vec()
            } else {
                refs
            }),
            attrs: ref_attrs,
        });
    }

    fn forecast_axis(&mut self, leads: &[i64]) -> String {
        let hours: Vec<f64> = leads.iter().map(|&l| l as f64 / 3600.0).collect();
        let attrs = vec![
            s("standard_name", "forecast_period"),
            s("long_name", "Lead time (since forecast_reference_time)"),
            s("units", "hours"),
        ];
        self.axis(
            "forecast",
            &format!("{leads:?}"),
            leads.len(),
            Some((Values::F64(hours), attrs)),
        )
    }

    fn vertical_axis(&mut self, coord: &VerticalCoord) -> String {
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

    /// `(y dim, x dim, attributes for the variable)` of a record's grid.
    fn horizontal(
        &mut self,
        file: usize,
        h: &RecordHeader,
        index: usize,
    ) -> Result<(String, String, Attrs)> {
        let key = (file, h.grtyp, h.ni, h.nj, [h.ig1, h.ig2, h.ig3, h.ig4]);
        if !self.grids.contains_key(&key) {
            let grid = match horizontal_grid(self.files, file, h, index) {
                Ok(g) => g,
                Err(e) => {
                    self.plan.warnings.push(format!(
                        "{}: no horizontal coordinates ({e})",
                        h.nomvar.trimmed()
                    ));
                    None
                }
            };
            self.grids.insert(key, grid);
        }
        let grid = self.grids.get(&key).cloned().flatten();
        let (ni, nj) = (h.ni as usize, h.nj as usize);
        let identity = format!("{key:?}");
        let Some(grid) = grid else {
            let y = self.axis("j", &format!("{nj}"), nj, None);
            let x = self.axis("i", &format!("{ni}"), ni, None);
            return Ok((y, x, Vec::new()));
        };
        let mut attrs = Vec::new();
        let mapping = grid_mapping_attrs(&grid.mapping);
        let (ybase, xbase, yatts, xatts) = match grid.mapping {
            GridMapping::LatLon => (
                "lat",
                "lon",
                vec![
                    s("standard_name", "latitude"),
                    s("long_name", "latitude"),
                    s("units", "degrees_north"),
                    s("axis", "Y"),
                ],
                vec![
                    s("standard_name", "longitude"),
                    s("long_name", "longitude"),
                    s("units", "degrees_east"),
                    s("axis", "X"),
                ],
            ),
            GridMapping::Rotated { .. } => (
                "rlat",
                "rlon",
                vec![
                    s("standard_name", "grid_latitude"),
                    s("long_name", "latitude in rotated pole grid"),
                    s("units", "degrees"),
                    s("axis", "Y"),
                ],
                vec![
                    s("standard_name", "grid_longitude"),
                    s("long_name", "longitude in rotated pole grid"),
                    s("units", "degrees"),
                    s("axis", "X"),
                ],
            ),
            GridMapping::PolarStereographic { .. } => (
                "yc",
                "xc",
                vec![
                    s("standard_name", "projection_y_coordinate"),
                    s(
                        "long_name",
                        "y-coordinate of polar-stereographic projection",
                    ),
                    s("units", "m"),
                    s("axis", "Y"),
                ],
                vec![
                    s("standard_name", "projection_x_coordinate"),
                    s(
                        "long_name",
                        "x-coordinate of polar-stereographic projection",
                    ),
                    s("units", "m"),
                    s("axis", "X"),
                ],
            ),
            GridMapping::Curvilinear => ("j", "i", vec![], vec![]),
        };
        let (y, x) = match (&grid.y, &grid.x) {
            (Some(yv), Some(xv)) => (
                self.axis(ybase, &identity, nj, Some((Values::F64(yv.clone()), yatts))),
                self.axis(xbase, &identity, ni, Some((Values::F64(xv.clone()), xatts))),
            ),
            _ => (
                self.axis("j", &identity, nj, None),
                self.axis("i", &identity, ni, None),
            ),
        };
        if !grid.is_regular_latlon() {
            let id = format!("latlon2d|{identity}");
            let (lat, lon) = match self.names.axes.get(&id) {
                Some(pair) => {
                    let mut it = pair.split(' ');
                    (
                        it.next().unwrap_or("lat").to_string(),
                        it.next().unwrap_or("lon").to_string(),
                    )
                }
                None => {
                    let lat = self.names.fresh("lat");
                    let lon = self.names.fresh("lon");
                    self.names.axes.insert(id, format!("{lat} {lon}"));
                    let dims = vec![y.clone(), x.clone()];
                    self.plan.coords.push(Coord {
                        name: lon.clone(),
                        dims: dims.clone(),
                        values: Values::F64(grid.lon.clone()),
                        attrs: vec![
                            s("standard_name", "longitude"),
                            s("long_name", "longitude"),
                            s("units", "degrees_east"),
                        ],
                    });
                    self.plan.coords.push(Coord {
                        name: lat.clone(),
                        dims,
                        values: Values::F64(grid.lat.clone()),
                        attrs: vec![
                            s("standard_name", "latitude"),
                            s("long_name", "latitude"),
                            s("units", "degrees_north"),
                        ],
                    });
                    (lat, lon)
                }
            };
            attrs.push(s("coordinates", &format!("{lat} {lon}")));
        }
        if let Some((gm_name, gm_attrs)) = mapping {
            let id = format!("gridmap|{gm_attrs:?}");
            let name = match self.names.axes.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let n = self.names.fresh(gm_name);
                    self.names.axes.insert(id, n.clone());
                    self.plan.coords.push(Coord {
                        name: n.clone(),
                        dims: vec![],
                        values: Values::I32(vec![0]),
                        attrs: gm_attrs,
                    });
                    n
                }
            };
            attrs.push(s("grid_mapping", &name));
        }
        Ok((y, x, attrs))
    }

    /// Gives variables unique names: nomvar, then the first suffix telling apart the
    /// variables that share it.
    fn disambiguate_names(&mut self) {
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

/// FST keys as attributes: identity keys always, the others when constant.
fn fst_keys(members: &[Member]) -> Attrs {
    let h = &members[0].header;
    let mut out = vec![
        s("nomvar", h.nomvar.trimmed()),
        s("typvar", h.typvar.trimmed()),
        s("etiket", h.etiket.trimmed()),
        i("datyp", i64::from(h.datyp.raw())),
        i("nbits", i64::from(h.nbits)),
        s("grtyp", &h.grtyp_char().to_string()),
        i("ig1", i64::from(h.ig1)),
        i("ig2", i64::from(h.ig2)),
        i("ig3", i64::from(h.ig3)),
        i("ig4", i64::from(h.ig4)),
    ];
    let constant = |g: fn(&RecordHeader) -> i32| members.iter().all(|m| g(&m.header) == g(h));
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
