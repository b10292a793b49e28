//! Horizontal dimensions and coordinates of the plan: 1-D axes, 2-D lat/lon and the
//! grid-mapping variable, shared by every variable on the same grid.

use super::attrs::{grid_mapping_attrs, s};
use super::plan::Builder;
use super::{Attrs, Coord};
use crate::error::Result;
use crate::grid::{horizontal_grid_with, GridMapping};
use crate::record::RecordHeader;
use crate::Values;

/// Where a grid's i and j axes point, for vector components (winds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AxesOrientation {
    /// i eastward, j northward everywhere (regular lat-lon grids, Z on L).
    EastNorth,
    /// Along a rotated or projected grid (E, N, S, Z on those, Yin-Yang panels).
    Grid,
    /// No geography, or a Y cloud of points.
    Unknown,
}

impl Builder<'_> {
    /// Orientation of the axes of a record's grid; call after [`Builder::horizontal`].
    pub(super) fn axes_orientation(&self, file: usize, h: &RecordHeader) -> AxesOrientation {
        let key = (file, h.grtyp, h.ni, h.nj, [h.ig1, h.ig2, h.ig3, h.ig4]);
        match self.grids.get(&key) {
            Some(Some(grid)) => match grid.mapping {
                GridMapping::LatLon => AxesOrientation::EastNorth,
                GridMapping::Rotated { .. } | GridMapping::PolarStereographic { .. } => {
                    AxesOrientation::Grid
                }
                GridMapping::Curvilinear if grid.grtyp == 'U' => AxesOrientation::Grid,
                _ => AxesOrientation::Unknown,
            },
            _ => AxesOrientation::Unknown,
        }
    }

    /// `(y dim, x dim, attributes for the variable)` of a record's grid; no y dim for
    /// one-row fields without geography.
    pub(super) fn horizontal(
        &mut self,
        file: usize,
        h: &RecordHeader,
        index: usize,
    ) -> Result<(Option<String>, String, Attrs)> {
        let key = (file, h.grtyp, h.ni, h.nj, [h.ig1, h.ig2, h.ig3, h.ig4]);
        if !self.grids.contains_key(&key) {
            // Deferred lat/lon are recomputed from the record's own header: not for the
            // synthetic full-grid header of `#` tiles.
            let own_header = self
                .files
                .get(file)
                .and_then(|f| f.record(index).ok())
                .is_some_and(|r| r.header == *h);
            let points = !(self.options.defer_latlon && own_header);
            let grid = match horizontal_grid_with(self.files, file, h, index, points) {
                Ok(g) => g,
                Err(e) => {
                    self.plan.warnings.push(format!(
                        "{}: no horizontal coordinates ({e})",
                        h.nomvar.trimmed()
                    ));
                    None
                }
            };
            self.grids.insert(key, grid.map(std::rc::Rc::new));
        }
        // Shared, not copied: a grid holds every point's lat/lon.
        let grid = self.grids.get(&key).cloned().flatten();
        let (ni, nj) = (h.ni as usize, h.nj as usize);
        let identity = format!("{key:?}");
        let Some(grid) = grid else {
            // Like fstd2nc, a 1-row field without geography is 1-D along i.
            let y = (nj != 1).then(|| self.axis("j", &format!("{nj}"), nj, None));
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
        // Axes with the same values (bit for bit) and mapping are one axis, whatever
        // file or grid descriptor they come from; so are the 2-D lat/lon over them.
        let by_values = |v: &[f64]| {
            use std::fmt::Write;
            let mut id = format!("{:?}|", grid.mapping);
            for (k, x) in v.iter().enumerate() {
                let comma = if k == 0 { "" } else { "," };
                let _ = write!(id, "{comma}{:x}", x.to_bits());
            }
            id
        };
        let (y, x, latlon_id) = match (&grid.y, &grid.x) {
            (Some(yv), Some(xv)) => {
                // Once per grid: the identities of its axes.
                let (y_id, x_id) = self
                    .axis_ids
                    .entry(key)
                    .or_insert_with(|| (by_values(yv), by_values(xv)))
                    .clone();
                let y = self.axis(ybase, &y_id, nj, Some((Values::F64(yv.clone()), yatts)));
                let x = self.axis(xbase, &x_id, ni, Some((Values::F64(xv.clone()), xatts)));
                let id = format!("latlon2d|{y}|{x}|{:?}", grid.mapping);
                (y, x, id)
            }
            _ => (
                self.axis("j", &identity, nj, None),
                self.axis("i", &identity, ni, None),
                format!("latlon2d|{identity}"),
            ),
        };
        if !grid.is_regular_latlon() {
            let id = latlon_id;
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
                    if grid.lat.is_empty() && ni * nj > 0 {
                        // Left for `deferred_values` (PlanOptions::defer_latlon).
                        for (name, latitude) in [(&lon, false), (&lat, true)] {
                            self.plan.deferred.push(super::DeferredCoord {
                                name: name.clone(),
                                file,
                                record: index,
                                latitude,
                            });
                        }
                    }
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
        Ok((Some(y), x, attrs))
    }
}
