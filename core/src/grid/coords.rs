//! Horizontal coordinates of a record's grid: latitude/longitude of every point and,
//! where the grid has them, 1-D projection axes (lat/lon, rlat/rlon, xc/yc) with the CF
//! grid mapping. Follows ezscint (`ez_calclatlon`, `ez_defxg`) for the point positions
//! and fstd2nc (`mixins/xycoords.py`) for the CF layout. Spec: `shared/spec/xdf.md` §6.

use std::borrow::Cow;

use crate::error::{Error, FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::record::RecordHeader;
use crate::Values;

use super::gaussian::gaussian_latitudes;
use super::polar;
use super::rotation::Rotation;
use super::{cigaxg, GridParams};

/// Most rows of a Gaussian grid: root finding costs O(nj²), and real grids stay far
/// below (T1279 has 1280 rows).
const MAX_GAUSSIAN_ROWS: usize = 8192;

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

/// A format error about record `index` (directory position in its file).
pub(super) fn format_error(index: usize, what: String) -> Error {
    Error::from(FormatError::new(FormatErrorKind::Inconsistent(what)).record(index))
}

/// Horizontal coordinates of the grid of record `index` of `files[file_idx]`, looking
/// for positional records (`>>`, `^^`, `^>`) in that file first, then in the others.
/// `Ok(None)` for grids without geography (X) or not supported here.
///
/// # Errors
/// Positional records that are missing, of the wrong size or type, or grid parameters
/// that do not decode.
pub fn horizontal_grid(
    files: &[&File],
    file_idx: usize,
    header: &RecordHeader,
    index: usize,
) -> Result<Option<HorizontalGrid>> {
    let (ni, nj) = (header.ni as usize, header.nj as usize);
    let grtyp = header.grtyp_char();
    let ig = [header.ig1, header.ig2, header.ig3, header.ig4];
    // Sizes come from the (maybe hostile) header: the 1-D axes always, lat and lon of every
    // point (f64) for grids that are not separable (others compute them on demand).
    let check = |bytes: u64| -> Result<()> {
        match files.get(file_idx) {
            Some(file) => file
                .limits()
                .check_alloc(bytes)
                .map_err(|e| file_error(file, e.at(Some(index), None))),
            None => Ok(()),
        }
    };
    let (ni64, nj64) = (u64::from(header.ni), u64::from(header.nj));
    check(ni64.saturating_add(nj64).saturating_mul(8))?;
    let points = ni64.saturating_mul(nj64).saturating_mul(16);
    if !separable(grtyp) && grtyp != 'Z' {
        check(points)?;
    }
    if grtyp == 'G' && nj > MAX_GAUSSIAN_ROWS {
        return Err(format_error(
            index,
            format!("G grid with {nj} rows (at most {MAX_GAUSSIAN_ROWS} supported)"),
        ));
    }
    match grtyp {
        'A' | 'B' | 'G' | 'L' | 'N' | 'S' | 'E' => {
            let params = cigaxg(grtyp, ig[0], ig[1], ig[2], ig[3])
                .map_err(|e| format_error(index, format!("grid {grtyp}: {e}")))?;
            Ok(Some(from_params(grtyp, &params, ni, nj, None, index)?))
        }
        'Z' => {
            let axes = positional_axes(files, file_idx, header, index)?;
            let Some((ax, ay, refh)) = axes else {
                return Err(format_error(
                    index,
                    "Z grid without matching >>/^^ records".into(),
                ));
            };
            if ax.len() != ni || ay.len() != nj {
                return Err(format_error(
                    index,
                    "Z grid >>/^^ do not match ni, nj".into(),
                ));
            }
            let rg = refh.grtyp_char();
            if !separable(rg) {
                check(points)?;
            }
            let params = cigaxg(rg, refh.ig1, refh.ig2, refh.ig3, refh.ig4)
                .map_err(|e| format_error(index, format!("Z reference grid {rg}: {e}")))?;
            Ok(Some(
                from_params(rg, &params, ni, nj, Some((ax, ay)), index)?.with_grtyp('Z'),
            ))
        }
        'Y' => {
            let axes = positional_axes(files, file_idx, header, index)?;
            let Some((lon, lat, _)) = axes else {
                return Err(format_error(
                    index,
                    "Y grid without matching >>/^^ records".into(),
                ));
            };
            if lon.len() != ni * nj || lat.len() != ni * nj {
                return Err(format_error(index, "Y grid >>/^^ are not ni×nj".into()));
            }
            let lon = lon
                .into_iter()
                .map(|v| if v < 0.0 { v + 360.0 } else { v })
                .collect();
            Ok(Some(HorizontalGrid {
                ni,
                nj,
                grtyp,
                mapping: GridMapping::Curvilinear,
                x: None,
                y: None,
                lat,
                lon,
            }))
        }
        'U' => super::yinyang::yin_yang(files, file_idx, header, index),
        _ => Ok(None),
    }
}

impl HorizontalGrid {
    fn with_grtyp(mut self, grtyp: char) -> Self {
        self.grtyp = grtyp;
        self
    }
}

/// Decoded float values of a positional record.
pub(super) fn float_values(file: &File, index: usize) -> Result<Vec<f64>> {
    let array = file.read(index)?;
    match array.values {
        Values::F32(v) => Ok(v.into_iter().map(f64::from).collect()),
        Values::F64(v) => Ok(v),
        _ => Err(format_error(
            index,
            "positional record is not real-valued".into(),
        )),
    }
}

/// `>>` values, `^^` values and the `>>` header (its grtyp/igs give the reference grid).
type Axes = (Vec<f64>, Vec<f64>, RecordHeader);

/// `(>> values, ^^ values, >> header)` of the positional records whose ip1..ip3 equal
/// the data record's ig1..ig3 and whose sizes fit it.
fn positional_axes(
    files: &[&File],
    file_idx: usize,
    header: &RecordHeader,
    index: usize,
) -> Result<Option<Axes>> {
    let order = std::iter::once(file_idx).chain((0..files.len()).filter(|&f| f != file_idx));
    let tag = |h: &RecordHeader| h.ip1 == header.ig1 && h.ip2 == header.ig2 && h.ip3 == header.ig3;
    for f in order {
        let Some(file) = files.get(f) else {
            return Err(format_error(index, format!("no file {f}")));
        };
        let find = |name: &str, fits: &dyn Fn(&RecordHeader) -> bool| {
            file.records()
                .iter()
                .find(|r| r.header.nomvar.trimmed() == name && tag(&r.header) && fits(&r.header))
        };
        let y_grid = header.grtyp == b'Y';
        let (ni, nj) = (header.ni, header.nj);
        let x = find(">>", &|h| {
            if y_grid {
                h.ni == ni && h.nj == nj
            } else {
                h.ni == ni
            }
        });
        let y = find("^^", &|h| {
            if y_grid {
                h.ni == ni && h.nj == nj
            } else {
                h.nj == nj
            }
        });
        if let (Some(x), Some(y)) = (x, y) {
            let ax = float_values(file, x.index)?;
            let ay = float_values(file, y.index)?;
            return Ok(Some((ax, ay, x.header)));
        }
    }
    Ok(None)
}

/// Longitudes `lon0 + i·dlon`, lat `lat0 + j·dlat` as separable axes.
/// Grid letters whose points are the product of a lat axis and a lon axis.
fn separable(grtyp: char) -> bool {
    matches!(grtyp, 'A' | 'B' | 'G' | 'L')
}

/// Names the file of a limit error (plans report it as a warning naming the record).
fn file_error(file: &File, e: Error) -> Error {
    match file.path() {
        Some(p) => e.in_file(p),
        None => e,
    }
}

/// A separable lat/lon grid: its 2-D lat and lon are not stored (a 300-million-point
/// field would need 4.8 GB for them), see [`HorizontalGrid::points`].
fn regular(ni: usize, nj: usize, x: Vec<f64>, y: Vec<f64>, grtyp: char) -> HorizontalGrid {
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

/// Grids whose geometry is ig-encoded, or Z grids (`axes` given) on such a reference.
fn from_params(
    grtyp: char,
    params: &GridParams,
    ni: usize,
    nj: usize,
    axes: Option<(Vec<f64>, Vec<f64>)>,
    index: usize,
) -> Result<HorizontalGrid> {
    let steps = |n: usize, start: f64, step: f64| -> Vec<f64> {
        (0..n).map(|k| start + k as f64 * step).collect()
    };
    match (*params, axes) {
        (
            GridParams::Global {
                hemisphere,
                ordering,
            },
            None,
        ) => {
            let (hem, north_first) = (hemisphere as i32, ordering as i32 == 1);
            let span = if hem == 0 { 180.0 } else { 90.0 };
            let base = if hem == 1 { 0.0 } else { -90.0 };
            let (x, mut y) = if grtyp == 'A' {
                let dlat = span / nj as f64;
                (
                    steps(ni, 0.0, 360.0 / ni as f64),
                    steps(nj, base + dlat / 2.0, dlat),
                )
            } else {
                let per = |n: usize| if n > 1 { (n - 1) as f64 } else { 1.0 };
                (
                    steps(ni, 0.0, 360.0 / per(ni)),
                    steps(nj, base, span / per(nj)),
                )
            };
            if north_first {
                y.reverse();
            }
            Ok(regular(ni, nj, x, y, grtyp))
        }
        (
            GridParams::Gaussian {
                hemisphere,
                ordering,
            },
            None,
        ) => {
            let mut y = gaussian_latitudes(nj, hemisphere as i32);
            if ordering as i32 == 1 {
                y.reverse();
            }
            Ok(regular(ni, nj, steps(ni, 0.0, 360.0 / ni as f64), y, grtyp))
        }
        (
            GridParams::LatLon {
                xlat0,
                xlon0,
                dlat,
                dlon,
            },
            axes,
        ) => {
            let (lat0, lon0, dlat, dlon) = (
                f64::from(xlat0),
                f64::from(xlon0),
                f64::from(dlat),
                f64::from(dlon),
            );
            let (x, y) = match axes {
                None => (steps(ni, lon0, dlon), steps(nj, lat0, dlat)),
                // Z on L: axis values are positions in the reference's lat/lon units.
                Some((ax, ay)) => (
                    ax.iter()
                        .map(|&a| lon0 + a * dlon)
                        .map(|v| if v < 0.0 { v + 360.0 } else { v })
                        .collect(),
                    ay.iter().map(|&a| lat0 + a * dlat).collect(),
                ),
            };
            Ok(regular(ni, nj, x, y, grtyp))
        }
        (
            GridParams::Rotated {
                xlat1,
                xlon1,
                xlat2,
                xlon2,
            },
            axes,
        ) => {
            let rot = Rotation::from_equator_points(
                xlat1.into(),
                xlon1.into(),
                xlat2.into(),
                xlon2.into(),
            )
            .ok_or_else(|| format_error(index, "E grid: degenerate rotation".into()))?;
            let (ax, ay) = match axes {
                Some(a) => a,
                None => {
                    let dx = if ni > 1 { 360.0 / (ni - 1) as f64 } else { 0.0 };
                    let dy = 180.0 / nj as f64;
                    (steps(ni, 0.0, dx), steps(nj, -90.0 + dy / 2.0, dy))
                }
            };
            if rot.is_identity() {
                return Ok(regular(ni, nj, ax, ay, grtyp));
            }
            let mut lat = Vec::with_capacity(ni * nj);
            let mut lon = Vec::with_capacity(ni * nj);
            for &ry in &ay {
                for &rx in &ax {
                    let (la, lo) = rot.to_geographic(ry, rx);
                    lat.push(la);
                    lon.push(lo);
                }
            }
            let (pole_lat, pole_lon) = rot.grid_north_pole();
            // fstd2nc shifts rlon so that the geographic pole sits at rotated longitude 0.
            let (_, np_rlon) = rot.to_rotated(90.0, 0.0);
            let mut shift = np_rlon;
            let shifted_max = ax.iter().fold(f64::MIN, |m, &v| m.max(v - shift));
            let shifted_min = ax.iter().fold(f64::MAX, |m, &v| m.min(v - shift));
            if shifted_max >= 360.0 {
                shift += 360.0;
            }
            if shifted_min <= -180.0 {
                shift -= 360.0;
            }
            Ok(HorizontalGrid {
                ni,
                nj,
                grtyp,
                mapping: GridMapping::Rotated {
                    grid_north_pole_latitude: pole_lat,
                    grid_north_pole_longitude: pole_lon,
                    north_pole_grid_longitude: 0.0,
                },
                x: Some(ax.iter().map(|v| v - shift).collect()),
                y: Some(ay),
                lat,
                lon,
            })
        }
        (GridParams::Polar { pi, pj, d60, dgrw }, axes) => {
            let north = grtyp == 'N';
            let (ax, ay) = match axes {
                Some(a) => a,
                None => (steps(ni, 1.0, 1.0), steps(nj, 1.0, 1.0)),
            };
            let mut lat = Vec::with_capacity(ni * nj);
            let mut lon = Vec::with_capacity(ni * nj);
            for &j in &ay {
                for &i in &ax {
                    let (la, lo) = polar::latlon_of_point(
                        i - f64::from(pi),
                        j - f64::from(pj),
                        d60.into(),
                        dgrw.into(),
                        !north,
                    );
                    lat.push(la);
                    lon.push(lo);
                }
            }
            let d60 = f64::from(d60);
            Ok(HorizontalGrid {
                ni,
                nj,
                grtyp,
                mapping: GridMapping::PolarStereographic {
                    north,
                    pi: pi.into(),
                    pj: pj.into(),
                    d60,
                    dgrw: dgrw.into(),
                },
                // As fstd2nc: offsets from point (1, 1); the pole is at the false origin.
                x: Some(ax.iter().map(|i| (i - 1.0) * d60).collect()),
                y: Some(ay.iter().map(|j| (j - 1.0) * d60).collect()),
                lat,
                lon,
            })
        }
        (p, _) => Err(format_error(
            index,
            format!("grid {grtyp}: parameters {p:?} not usable here"),
        )),
    }
}
