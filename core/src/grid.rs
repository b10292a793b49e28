//! Grid descriptors: grtyp letters, ig1..ig4 ↔ real parameters (`cxgaig`/`cigaxg`).
//!
//! Grids A, B, G, L, N, S, E and `+` carry their parameters in ig1..ig4. Z, Y, #, U and M
//! grids instead point with ig1..ig3 at positional records (`>>`, `^^`, `^>`, `##`), and
//! X grids are not geo-referenced. Spec: `shared/spec/xdf.md` §6; librmn
//! `src/base/cxgaig.F90`, `src/base/igaxg.f90`.
//!
//! ```
//! use fst24::grid::{cigaxg, cxgaig, GridParams};
//! let params = cigaxg('L', 50, 25, 10050, 25975)?;
//! let expected = GridParams::LatLon { xlat0: 10.5, xlon0: 259.75, dlat: 0.5, dlon: 0.25 };
//! assert_eq!(params, expected);
//! assert_eq!(cxgaig('L', &params)?, [50, 25, 10050, 25975]);
//! # Ok::<(), fst24::grid::GridError>(())
//! ```

mod coords;
mod describe;
mod gaussian;
mod horizontal;
mod igaxg;
mod polar;
mod positional;
mod rotation;
mod yinyang;

pub use coords::horizontal_grid;
pub(crate) use coords::horizontal_grid_with;
pub use describe::describe;
pub use horizontal::{GridMapping, HorizontalGrid, EARTH_RADIUS};
pub use igaxg::{cigaxg, cxgaig};
pub use polar::POLAR_EARTH_RADIUS;
pub use rotation::Rotation;

/// Real grid parameters of a grid described by ig1..ig4, one variant per family.
///
/// Values are single precision, as librmn computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GridParams {
    /// A, B: global or hemispheric regular lat-lon grids (B includes poles and 360°).
    Global {
        /// 0 global, 1 northern hemisphere, 2 southern hemisphere.
        hemisphere: f32,
        /// 0 rows south to north, 1 north to south.
        ordering: f32,
    },
    /// G: global or hemispheric Gaussian grid (latitudes at Gaussian roots).
    Gaussian {
        /// 0 global, 1 northern hemisphere, 2 southern hemisphere.
        hemisphere: f32,
        /// 0 rows south to north, 1 north to south.
        ordering: f32,
    },
    /// L: regular lat-lon grid.
    LatLon {
        /// Latitude of the first (south-west) point, degrees.
        xlat0: f32,
        /// Longitude of the first point, degrees.
        xlon0: f32,
        /// Latitude spacing, degrees.
        dlat: f32,
        /// Longitude spacing, degrees.
        dlon: f32,
    },
    /// N, S: polar stereographic grid (north or south).
    Polar {
        /// Pole position along i, grid units (1-based).
        pi: f32,
        /// Pole position along j, grid units (1-based).
        pj: f32,
        /// Grid length at 60° latitude, metres.
        d60: f32,
        /// Angle between the Greenwich meridian and the grid's x axis, degrees.
        dgrw: f32,
    },
    /// E: rotated lat-lon grid, given by two points of its equator.
    Rotated {
        /// Latitude of the first point (the rotated origin), degrees.
        xlat1: f32,
        /// Longitude of the first point, degrees.
        xlon1: f32,
        /// Latitude of the second point, degrees.
        xlat2: f32,
        /// Longitude of the second point, degrees.
        xlon2: f32,
    },
    /// `+`: a single point.
    Point {
        /// Latitude, degrees.
        lat: f32,
        /// Longitude, degrees (0..360).
        lon: f32,
    },
}

impl GridParams {
    /// librmn's `xg1..xg4` (unused ones 0), in `cigaxg` order.
    pub fn xg(&self) -> [f32; 4] {
        match *self {
            GridParams::Global {
                hemisphere,
                ordering,
            }
            | GridParams::Gaussian {
                hemisphere,
                ordering,
            } => [hemisphere, ordering, 0.0, 0.0],
            GridParams::LatLon {
                xlat0,
                xlon0,
                dlat,
                dlon,
            } => [xlat0, xlon0, dlat, dlon],
            GridParams::Polar { pi, pj, d60, dgrw } => [pi, pj, d60, dgrw],
            GridParams::Rotated {
                xlat1,
                xlon1,
                xlat2,
                xlon2,
            } => [xlat1, xlon1, xlat2, xlon2],
            GridParams::Point { lat, lon } => [lat, lon, 0.0, 0.0],
        }
    }
}

/// Why grid parameters could not be converted.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GridError {
    /// The grid type keeps its geometry in positional records (`>>`/`^^`, `^>`, `##`),
    /// or has none (X): ig1..ig4 are links or free, not parameters.
    #[error("grid type {0:?} is not described by ig1..ig4 (positional records or no geometry)")]
    NotIgEncoded(char),
    /// A grid type this crate does not convert (C, H, !, T, …) or an unknown letter.
    #[error("grid type {0:?} is not supported by cigaxg/cxgaig")]
    Unsupported(char),
    /// The parameters do not belong to the grid type's family.
    #[error("parameters do not match grid type {0:?}")]
    Mismatch(char),
    /// A parameter is out of range or not finite.
    #[error("invalid parameter for grid type {grtyp:?}: {what}")]
    InvalidParameter {
        /// The grid type.
        grtyp: char,
        /// Which parameter.
        what: &'static str,
    },
}
