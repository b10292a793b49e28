//! Polar stereographic point ↔ lat/lon. `xy_from_latlon`/`latlon_from_xy` reproduce
//! librmn's single-precision `xyfll`/`llfxy` (needed by the general N/S ig encoding);
//! `latlon_of_point` is the exact double-precision evaluation used for coordinates
//! (single-precision `asin` near the pole is off by up to 6e-4°).

const RDTODG: f32 = 57.295_78;
const DGTORD: f32 = 1.745_329_3e-2;

/// Earth radius times (1 + sin 60°) over d60: the projection's scale in grid units.
fn scale(d60: f32) -> f32 {
    1.866025 * 6.371e6 / d60
}

/// Grid position `(x, y)` relative to the pole of a point (librmn `xyfll`).
pub(super) fn xy_from_latlon(lat: f32, lon: f32, d60: f32, dgrw: f32, south: bool) -> (f32, f32) {
    let re = scale(d60);
    let (glat, glon) = if south { (-lat, -lon) } else { (lat, lon) };
    let rlon = DGTORD * (glon + dgrw);
    let sinlat = (DGTORD * glat).sin();
    let r = re * ((1.0 - sinlat) / (1.0 + sinlat)).sqrt();
    (r * rlon.cos(), r * rlon.sin())
}

/// Latitude and longitude of a grid position relative to the pole (librmn `llfxy`).
pub(super) fn latlon_from_xy(x: f32, y: f32, d60: f32, dgrw: f32, south: bool) -> (f32, f32) {
    let re = scale(d60);
    let re2 = re * re;
    let (mut lat, mut lon) = (90.0f32, 0.0f32);
    if x != 0.0 || y != 0.0 {
        lon = if x == 0.0 {
            90.0f32.copysign(y)
        } else {
            (y / x).atan() * RDTODG
        };
        if x < 0.0 {
            lon += 180.0f32.copysign(y);
        }
        lon -= dgrw;
        if lon > 180.0 {
            lon -= 360.0;
        }
        if lon < -180.0 {
            lon += 360.0;
        }
        let r2 = x * x + y * y;
        lat = ((re2 - r2) / (re2 + r2)).asin() * RDTODG;
    }
    if south {
        (-lat, -lon)
    } else {
        (lat, lon)
    }
}

/// Earth radius of librmn's polar stereographic grids (`xyfll`, `llfxy`), metres.
pub const POLAR_EARTH_RADIUS: f64 = 6.371e6;

/// Latitude and longitude (degrees, longitude in [0, 360)) of the point at grid
/// offset `(x, y)` from the pole, in double precision: the same projection as
/// `latlon_from_xy`, with `lat = 90° − 2·atan(r / re)` (exact at the pole, where the
/// `asin` form loses half the digits).
pub(super) fn latlon_of_point(x: f64, y: f64, d60: f64, dgrw: f64, south: bool) -> (f64, f64) {
    let re = (1.0 + 60f64.to_radians().sin()) * POLAR_EARTH_RADIUS / d60;
    let r = x.hypot(y);
    let lat = 90.0 - 2.0 * (r / re).atan().to_degrees();
    let lon = if r == 0.0 {
        0.0
    } else {
        y.atan2(x).to_degrees() - dgrw
    };
    let (lat, lon) = if south { (-lat, -lon) } else { (lat, lon) };
    let lon = lon.rem_euclid(360.0);
    // rem_euclid of a tiny negative value rounds to 360.
    (lat, if lon >= 360.0 { 0.0 } else { lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_the_projection() {
        for &(lat, lon) in &[(60.0f32, 10.0f32), (45.0, -100.0), (80.0, 170.0)] {
            let (x, y) = xy_from_latlon(lat, lon, 381000.0, 350.0, false);
            let (lat2, lon2) = latlon_from_xy(x, y, 381000.0, 350.0, false);
            assert!(
                (lat - lat2).abs() < 1e-3 && (lon - lon2).abs() < 1e-3,
                "{lat} {lon}"
            );
        }
        assert_eq!(latlon_from_xy(0.0, 0.0, 1.0, 0.0, true), (-90.0, -0.0));
    }

    #[test]
    fn double_precision_agrees_with_librmn_away_from_the_pole_and_is_exact_at_it() {
        for &(x, y) in &[(10.0f32, 3.0f32), (-40.0, 25.0), (0.0, -7.0), (3.5, 0.0)] {
            for south in [false, true] {
                let (la, lo) = latlon_from_xy(x, y, 381000.0, 350.0, south);
                let (la2, lo2) = latlon_of_point(x.into(), y.into(), 381000.0, 350.0, south);
                let dlon = (f64::from(lo).rem_euclid(360.0) - lo2).abs();
                assert!((f64::from(la) - la2).abs() < 2e-4, "{x} {y} {la} {la2}");
                assert!(dlon.min(360.0 - dlon) < 1e-4, "{x} {y} {lo} {lo2}");
            }
        }
        assert_eq!(
            latlon_of_point(0.0, 0.0, 381000.0, 10.0, false),
            (90.0, 0.0)
        );
        assert_eq!(
            latlon_of_point(0.0, 0.0, 381000.0, 10.0, true),
            (-90.0, 0.0)
        );
        // One metre from the pole: 90 − 1/(R·π/180)·… ≈ 9e-6° away, not 6e-4°.
        let (lat, _) = latlon_of_point(1.0 / 381000.0, 0.0, 381000.0, 0.0, false);
        let expected = 90.0
            - 2.0
                * (1.0f64 / (1.866_025_403_784_438_6 * 6.371e6))
                    .atan()
                    .to_degrees();
        assert!((lat - expected).abs() < 1e-12, "{lat} {expected}");
    }
}
