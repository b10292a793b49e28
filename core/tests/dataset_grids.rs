//! Horizontal coordinates against ezscint's `gdll` output stored with the librmn 019.5
//! corpus (`grids.fst`: L, N, S, E, G, A, B, Z on E and L, Y) and with the files written
//! by `tests/fstd2nc_compare/make_*.py` (Z on N and S, across the poles; U).

mod dataset_common;

use dataset_common::{corpus, npy_fortran, read_npy_f64};
use fst24::grid::{horizontal_grid, GridMapping, HorizontalGrid};
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

/// The grid of the first `grtyp` record of `tests/fstd2nc_compare/data/<name>.fst` (written
/// with librmn) and ezscint's latitudes and longitudes for it.
fn ezscint_case(name: &str, grtyp: u8) -> (HorizontalGrid, Vec<f64>, Vec<f64>) {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    let file = File::open(dir.join(format!("data/{name}.fst"))).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("expected/{name}_latlon.json"))).unwrap(),
    )
    .unwrap();
    let rec = file
        .records()
        .iter()
        .find(|r| r.header.grtyp == grtyp)
        .unwrap();
    let grid = horizontal_grid(&[&file], 0, &rec.header, rec.index)
        .unwrap()
        .unwrap();
    let values = |k: &str| -> Vec<f64> {
        json[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    (grid, values("lat"), values("lon"))
}

/// Within 1e-4 degrees: 7 significant digits of ezscint's float32 values.
fn assert_matches_ezscint(label: &str, grid: &HorizontalGrid, lat: &[f64], lon: &[f64]) {
    let (glat, glon) = grid.points();
    let dlat = max_diff(&glat, lat, false);
    let dlon = max_diff(&glon, lon, true);
    eprintln!("{label}: max |dlat| {dlat:.2e}, max |dlon| {dlon:.2e}");
    assert!(dlat <= 1e-4 && dlon <= 1e-4, "{dlat} {dlon}");
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
        let (glat, glon) = grid.points();
        let dlat = max_diff(&glat, &lat, false);
        let dlon = max_diff(&glon, &lon, true);
        let name = format!("{}{}", rec.header.nomvar.trimmed(), rec.header.grtyp_char());
        eprintln!("{name}: max |dlat| {dlat:.2e}, max |dlon| {dlon:.2e}");
        // ezscint rotates and projects in single precision: E, N and S grids agree to
        // 6e-5° (ours are exact in double precision, checked below for N/S), others to
        // 2e-5° (Gaussian roots rounded to f32) or exactly.
        let tol = match grid.mapping {
            GridMapping::Rotated { .. } => 6e-5,
            GridMapping::PolarStereographic { .. } => {
                let steps = |n: usize| (1..=n).map(|k| k as f64).collect::<Vec<_>>();
                assert_exact_polar(&grid, &steps(grid.ni), &steps(grid.nj));
                6e-5
            }
            _ => 2e-5,
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
    let (grid, lat, lon) = ezscint_case("yinyang", b'U');
    assert_eq!((grid.ni, grid.nj), (19, 14));
    assert_eq!(grid.mapping, GridMapping::Curvilinear);
    assert_matches_ezscint("U", &grid, &lat, &lon);
}

/// Longitudes compared where they are defined: not at a pole, where ezscint's value is
/// arbitrary.
fn without_poles(grid: &HorizontalGrid, lon: &[f64], theirs: &[f64]) -> (Vec<f64>, Vec<f64>) {
    grid.lat
        .iter()
        .zip(lon.iter().zip(theirs))
        .filter(|(la, _)| la.abs() != 90.0)
        .map(|(_, (a, b))| (*a, *b))
        .unzip()
}

/// Exact double-precision check of a polar stereographic grid: projecting each point's
/// lat/lon forward (`r = re·tan((90° − |lat|)/2)`) must land on its grid position
/// within 0.05 m, i.e. 5e-7° of latitude.
fn assert_exact_polar(grid: &HorizontalGrid, ax: &[f64], ay: &[f64]) {
    let GridMapping::PolarStereographic {
        north,
        pi,
        pj,
        d60,
        dgrw,
    } = grid.mapping
    else {
        panic!("not polar: {:?}", grid.mapping)
    };
    let re = (1.0 + 60f64.to_radians().sin()) * 6.371e6;
    let mut worst = 0.0f64;
    for (k, (&lat, &lon)) in grid.lat.iter().zip(&grid.lon).enumerate() {
        let (i, j) = (ax[k % grid.ni], ay[k / grid.ni]);
        let (glat, glon) = if north { (lat, lon) } else { (-lat, -lon) };
        let r = re * ((90.0 - glat) / 2.0).to_radians().tan();
        let angle = (glon + dgrw).to_radians();
        let (x, y) = (r * angle.cos(), r * angle.sin());
        let err = (x - (i - pi) * d60).hypot(y - (j - pj) * d60);
        worst = worst.max(err);
    }
    eprintln!("exact check: worst position error {worst:.2e} m");
    assert!(worst < 0.05, "{worst} m");
}

#[test]
fn z_grid_on_polar_reference_matches_ezscint() {
    // Written with librmn by tests/fstd2nc_compare/make_zpolar.py: >>/^^ hold positions
    // in the N reference grid's units.
    let (grid, lat, lon) = ezscint_case("zpolar", b'Z');
    assert!(matches!(
        grid.mapping,
        GridMapping::PolarStereographic { north: true, .. }
    ));
    assert_matches_ezscint("Z on N", &grid, &lat, &lon);
    assert_exact_polar(
        &grid,
        &[3.0, 4.5, 6.0, 7.5, 9.0, 10.5],
        &[2.0, 4.0, 6.0, 8.0, 10.0],
    );
}

#[test]
fn z_grids_across_the_north_and_south_poles_are_exact() {
    // make_zpolar.py ... N|S pole: axes straddle the pole (pi = 11, pj = 13) down to
    // 0.001 grid unit (381 m) from it, where single precision was off by 6e-4°.
    let ax = [8.0, 10.5, 10.999, 11.0, 11.001, 11.5, 14.0];
    let ay = [10.0, 12.5, 12.999, 13.0, 13.001, 13.5, 16.0];
    for (name, north) in [("zpolar_pole_n", true), ("zpolar_pole_s", false)] {
        let (grid, lat, lon) = ezscint_case(name, b'Z');
        assert!(
            matches!(grid.mapping, GridMapping::PolarStereographic { north: n, .. } if n == north)
        );
        // The axes are stored as float32: use the values librmn wrote.
        let ax: Vec<f64> = ax.iter().map(|&v: &f64| f64::from(v as f32)).collect();
        let ay: Vec<f64> = ay.iter().map(|&v: &f64| f64::from(v as f32)).collect();
        assert_exact_polar(&grid, &ax, &ay);
        let pole = if north { 90.0 } else { -90.0 };
        assert_eq!(grid.lat[3 * grid.ni + 3], pole);
        // ezscint (float32, printed to 7 digits) agrees to its noise.
        let dlat = max_diff(&grid.lat, &lat, false);
        let (ours, theirs) = without_poles(&grid, &grid.lon, &lon);
        let dlon = max_diff(&ours, &theirs, true);
        eprintln!("{name}: max |dlat| {dlat:.2e}, max |dlon| {dlon:.2e}");
        assert!(dlat <= 2e-5, "{name}: {dlat}");
        assert!(dlon <= 2e-3, "{name}: {dlon}");
    }
}

#[test]
fn deferred_latlon_equal_the_planned_ones_bit_for_bit() {
    // Every sample file and the librmn 019 grids file: a plan with deferred lat/lon is the
    // eager plan but for the deferred coordinates' (empty) values, and
    // `deferred_values` gives those values exactly.
    use fst24::dataset::{deferred_values, plan, PlanOptions};
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare/data");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "fst"))
        .collect();
    paths.sort();
    paths.push(corpus("librmn019", "grids.fst"));
    let mut deferred = 0;
    for path in &paths {
        let file = File::open(path).unwrap();
        let files = [&file];
        let Ok(eager) = plan(&files, &PlanOptions::default()) else {
            continue;
        };
        let lazy = plan(&files, &PlanOptions::default().with_deferred_latlon(true)).unwrap();
        assert!(eager.deferred.is_empty());
        assert_eq!(eager.variables, lazy.variables, "{path:?}");
        assert_eq!(eager.coords.len(), lazy.coords.len(), "{path:?}");
        for (e, l) in eager.coords.iter().zip(&lazy.coords) {
            match lazy.deferred.iter().find(|d| d.name == l.name) {
                Some(d) => {
                    assert_eq!((&e.name, &e.dims, &e.attrs), (&l.name, &l.dims, &l.attrs));
                    assert_eq!(l.values.scalar_len(), 0, "{path:?} {}", l.name);
                    let values = deferred_values(&files, d).unwrap();
                    assert_eq!(
                        values.as_bytes(),
                        e.values.as_bytes(),
                        "{path:?} {}",
                        l.name
                    );
                    deferred += 1;
                }
                // By bytes: NaN values (a time without date) are not equal to themselves.
                None => {
                    assert_eq!((&e.name, &e.dims, &e.attrs), (&l.name, &l.dims, &l.attrs));
                    assert_eq!(e.values.as_bytes(), l.values.as_bytes(), "{path:?}");
                }
            }
        }
    }
    assert!(deferred >= 2, "no rotated grid among the samples");
}
