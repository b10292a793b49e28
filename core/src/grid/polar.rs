//! Polar stereographic point ↔ lat/lon (`xyfll`, `llfxy`), needed by the general N/S
//! ig encoding. Single precision, like librmn.

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
}
