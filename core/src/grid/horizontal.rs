//! The horizontal coordinates of a grid as the rest of the crate sees them: the CF grid
//! mapping and the axes or point positions (`coords` computes them).

use std::borrow::Cow;

/// fstd2nc's `earth_radius` (metres) for every grid mapping.
pub const EARTH_RADIUS: f64 = 6_370_997.0;

/// How a grid's axes relate to the Earth (one CF grid mapping each).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum GridMapping {
    /// Plain latitude/longitude (A, B, G, L, Z on L or unrotated E): 1-D `lat`, `lon`.
    LatLon,
    /// Rotated pole (E, Z on E): 1-D `rlat`, `rlon` and 2-D `lat`, `lon`.
    Rotated {
        /// Geographic latitude of the rotated north pole, degrees.
        grid_north_pole_latitude: f64,
        /// Geographic longitude of the rotated north pole, degrees.
        grid_north_pole_longitude: f64,
        /// Rotated longitude of the geographic north pole (0 after fstd2nc's rlon shift).
        north_pole_grid_longitude: f64,
    },
    /// Polar stereographic (N, S): 1-D `xc`, `yc` in metres from point (1, 1) (the pole
    /// at false easting/northing `(pi−1)·d60`, `(pj−1)·d60`) and 2-D `lat`, `lon`.
    PolarStereographic {
        /// True for N grids (pole at +90°).
        north: bool,
        /// Pole position along i (1-based grid units).
        pi: f64,
        /// Pole position along j.
        pj: f64,
        /// Grid length at 60° latitude, metres.
        d60: f64,
        /// Angle between the Greenwich meridian and the grid's x axis, degrees.
        dgrw: f64,
    },
    /// No projection axes: 2-D `lat`, `lon` given point by point (Y grids, U grids
    /// stacked yin over yang).
    Curvilinear,
}

/// Horizontal coordinates of one grid.
#[derive(Debug, Clone, PartialEq)]
pub struct HorizontalGrid {
    /// Points along i (x).
    pub ni: usize,
    /// Points along j (y).
    pub nj: usize,
    /// The grid's grtyp letter (of the data record).
    pub grtyp: char,
    /// What the 1-D axes mean.
    pub mapping: GridMapping,
    /// Values along i: lon (degrees east), rlon (degrees) or xc (metres); `None` when
    /// the grid has no separable x axis.
    pub x: Option<Vec<f64>>,
    /// Values along j: lat, rlat or yc.
    pub y: Option<Vec<f64>>,
    /// Latitude of every point, i fastest (`ni·nj`); empty for separable grids
    /// ([`HorizontalGrid::is_regular_latlon`]): use [`HorizontalGrid::points`].
    pub lat: Vec<f64>,
    /// Longitude of every point (degrees east, as ezscint: [0, 360) except L/B edges);
    /// empty for separable grids, as `lat`.
    pub lon: Vec<f64>,
}

impl HorizontalGrid {
    /// Whether `lat`/`lon` are separable so `y`/`x` are the lat/lon themselves.
    pub fn is_regular_latlon(&self) -> bool {
        self.mapping == GridMapping::LatLon && self.x.is_some() && self.y.is_some()
    }

    /// Latitude and longitude of every point, i fastest: the stored arrays, or computed
    /// now from the axes of a separable grid (which does not store them).
    pub fn points(&self) -> (Cow<'_, [f64]>, Cow<'_, [f64]>) {
        match (&self.y, &self.x) {
            (Some(y), Some(x)) if self.lat.is_empty() && self.is_regular_latlon() => {
                let lat = y
                    .iter()
                    .flat_map(|&la| std::iter::repeat_n(la, x.len()))
                    .collect();
                let lon = y.iter().flat_map(|_| x.iter().copied()).collect();
                (Cow::Owned(lat), Cow::Owned(lon))
            }
            _ => (Cow::Borrowed(&self.lat), Cow::Borrowed(&self.lon)),
        }
    }
}

impl HorizontalGrid {
    pub(super) fn with_grtyp(mut self, grtyp: char) -> Self {
        self.grtyp = grtyp;
        self
    }
}

/// A separable lat/lon grid: its 2-D lat and lon are not stored (a 300-million-point
/// field would need 4.8 GB for them), see [`HorizontalGrid::points`].
pub(super) fn regular(
    ni: usize,
    nj: usize,
    x: Vec<f64>,
    y: Vec<f64>,
    grtyp: char,
) -> HorizontalGrid {
    HorizontalGrid {
        ni,
        nj,
        grtyp,
        mapping: GridMapping::LatLon,
        x: Some(x),
        y: Some(y),
        lat: Vec::new(),
        lon: Vec::new(),
    }
}
