//! Horizontal coordinates against ezscint's `gdll` output stored with the librmn 019.5
//! corpus (`grids.fst`: L, N, S, E, G, A, B, Z on E and L, Y).

mod dataset_common;

use dataset_common::{corpus, npy_fortran, read_npy_f64};
use fst24::grid::{horizontal_grid, GridMapping};
use fst24::File;

/// Largest |difference| in degrees, longitudes compared modulo 360.
fn max_diff(ours: &[f64], theirs: &[f64], periodic: bool) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    ours.iter()
        .zip(theirs)
        .map(|(a, b)| {
            let d = (a - b).abs();
            if periodic {
                d.min((d - 360.0).abs())
            } else {
                d
            }
        })
        .fold(0.0, f64::max)
}

#[test]
fn latlon_of_every_geographic_grid_matches_ezscint() {
    let file = File::open(corpus("librmn019", "grids.fst")).unwrap();
    let files = [&file];
    let mut checked = Vec::new();
    for rec in file.records() {
        let lat_path = corpus("librmn019", &format!("grids/r{:04}_lat.npy", rec.index));
        if !lat_path.exists() {
            continue;
        }
        let grid = horizontal_grid(&files, 0, &rec.header, rec.index)
            .unwrap()
            .unwrap_or_else(|| panic!("no grid for record {}", rec.index));
        assert!(npy_fortran(&lat_path) || rec.header.nj == 1 || rec.header.ni == 1);
        let lat = read_npy_f64(&lat_path);
        let lon = read_npy_f64(&lat_path.with_file_name(format!("r{:04}_lon.npy", rec.index)));
        let dlat = max_diff(&grid.lat, &lat, false);
        let dlon = max_diff(&grid.lon, &lon, true);
        let name = format!("{}{}", rec.header.nomvar.trimmed(), rec.header.grtyp_char());
        eprintln!("{name}: max |dlat| {dlat:.2e}, max |dlon| {dlon:.2e}");
        // ezscint rotates in single precision: E-based grids agree to 6e-5°, others to
        // 2e-5° (Gaussian roots rounded to f32) or exactly.
        let tol = if matches!(grid.mapping, GridMapping::Rotated { .. }) {
            6e-5
        } else {
            2e-5
        };
        assert!(dlat <= tol && dlon <= tol, "{name}: {dlat} {dlon}");
        checked.push(name);
    }
    assert!(checked.len() >= 12, "{checked:?}");
}

#[test]
fn rotated_grids_carry_cf_pole_parameters() {
    let file = File::open(corpus("librmn019", "grids.fst")).unwrap();
    let rec = file
        .records()
        .iter()
        .find(|r| r.header.nomvar.trimmed() == "TT")
        .unwrap();
    let grid = horizontal_grid(&[&file], 0, &rec.header, rec.index)
        .unwrap()
        .unwrap();
    let GridMapping::Rotated {
        grid_north_pole_latitude,
        grid_north_pole_longitude,
        north_pole_grid_longitude,
    } = grid.mapping
    else {
        panic!("Z on E should be rotated: {:?}", grid.mapping)
    };
    // Equator through (57.5N 250E) and (57.5N 310E): it peaks at 280E, latitude
    // atan(tan 57.5° / cos 30°), so the rotated pole is 90° away at 100E.
    let peak = (57.5f64.to_radians().tan() / 30f64.to_radians().cos())
        .atan()
        .to_degrees();
    assert!((grid_north_pole_latitude - (90.0 - peak)).abs() < 1e-9);
    assert!((grid_north_pole_longitude - 100.0).abs() < 1e-9);
    assert_eq!(north_pole_grid_longitude, 0.0);
    let rlon = grid.x.as_ref().unwrap();
    assert!(rlon.iter().all(|v| (-180.0..180.0).contains(v)), "{rlon:?}");
}

#[test]
fn yin_yang_latlon_matches_ezscint_per_subgrid() {
    // Written with librmn by tests/fstd2nc_compare/make_yinyang.py.
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    let file = File::open(dir.join("data/yinyang.fst")).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected/yinyang_latlon.json")).unwrap(),
    )
    .unwrap();
    let rec = file
        .records()
        .iter()
        .find(|r| r.header.grtyp == b'U')
        .unwrap();
    let grid = horizontal_grid(&[&file], 0, &rec.header, rec.index)
        .unwrap()
        .unwrap();
    assert_eq!((grid.ni, grid.nj), (19, 14));
    assert_eq!(grid.mapping, GridMapping::Curvilinear);
    let values = |k: &str| -> Vec<f64> {
        json[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let dlat = max_diff(&grid.lat, &values("lat"), false);
    let dlon = max_diff(&grid.lon, &values("lon"), true);
    eprintln!("U: max |dlat| {dlat:.2e}, max |dlon| {dlon:.2e}");
    // 7 significant digits of ezscint's float32 values.
    assert!(dlat <= 1e-4 && dlon <= 1e-4, "{dlat} {dlon}");
}

#[test]
fn z_grid_on_polar_reference_matches_ezscint() {
    // Written with librmn by tests/fstd2nc_compare/make_zpolar.py: >>/^^ hold positions
    // in the N reference grid's units.
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    let file = File::open(dir.join("data/zpolar.fst")).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected/zpolar_latlon.json")).unwrap(),
    )
    .unwrap();
    let rec = file
        .records()
        .iter()
        .find(|r| r.header.grtyp == b'Z')
        .unwrap();
    let grid = horizontal_grid(&[&file], 0, &rec.header, rec.index)
        .unwrap()
        .unwrap();
    assert!(matches!(
        grid.mapping,
        GridMapping::PolarStereographic { north: true, .. }
    ));
    let values = |k: &str| -> Vec<f64> {
        json[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let dlat = max_diff(&grid.lat, &values("lat"), false);
    let dlon = max_diff(&grid.lon, &values("lon"), true);
    eprintln!("Z on N: max |dlat| {dlat:.2e}, max |dlon| {dlon:.2e}");
    assert!(dlat <= 1e-4 && dlon <= 1e-4, "{dlat} {dlon}");
}
