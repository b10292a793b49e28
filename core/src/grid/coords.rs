//! Horizontal coordinates of a record's grid: latitude/longitude of every point and,
//! where the grid has them, 1-D projection axes (lat/lon, rlat/rlon, xc/yc) with the CF
//! grid mapping. Follows ezscint (`ez_calclatlon`, `ez_defxg`) for the point positions
//! and fstd2nc (`mixins/xycoords.py`) for the CF layout. Spec: `shared/spec/xdf.md` §6.

use crate::error::{Error, Result};
use crate::file::File;
use crate::record::RecordHeader;

use super::gaussian::gaussian_latitudes;
use super::horizontal::{regular, GridMapping, HorizontalGrid};
use super::polar;
use super::positional::{format_error, positional_axes};
use super::rotation::Rotation;
use super::{cigaxg, GridParams};

/// Most rows of a Gaussian grid: root finding costs O(nj²), and real grids stay far
/// below (T1279 has 1280 rows).
const MAX_GAUSSIAN_ROWS: usize = 8192;

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
    horizontal_grid_with(files, file_idx, header, index, true)
}

/// [`horizontal_grid`]; without `with_points`, the lat/lon of rotated grids' points are left
/// empty (the caller computes them later, or never).
pub(crate) fn horizontal_grid_with(
    files: &[&File],
    file_idx: usize,
    header: &RecordHeader,
    index: usize,
    with_points: bool,
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
            Ok(Some(from_params(
                grtyp,
                &params,
                ni,
                nj,
                None,
                index,
                with_points,
            )?))
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
                from_params(rg, &params, ni, nj, Some((ax, ay)), index, with_points)?
                    .with_grtyp('Z'),
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

/// Grids whose geometry is ig-encoded, or Z grids (`axes` given) on such a reference.
fn from_params(
    grtyp: char,
    params: &GridParams,
    ni: usize,
    nj: usize,
    axes: Option<(Vec<f64>, Vec<f64>)>,
    index: usize,
    points: bool,
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
            let (mut lat, mut lon) = (Vec::new(), Vec::new());
            if points {
                lat.reserve(ni * nj);
                lon.reserve(ni * nj);
                rot.grid_to_geographic(&ay, &ax, &mut lat, &mut lon);
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
