//! Rotated lat-lon ("E") grids: the rotation taking rotated coordinates to geographic
//! ones, built from the two points of the rotated equator (librmn `ez_crot`).

/// Unit vector of a point on the sphere.
fn unit(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// `(sin, cos)` of an angle in degrees, as [`unit`] computes them.
fn sin_cos(deg: f64) -> (f64, f64) {
    let r = deg.to_radians();
    (r.sin(), r.cos())
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn scaled(a: [f64; 3], s: f64) -> [f64; 3] {
    [a[0] * s, a[1] * s, a[2] * s]
}

/// `(lat, lon)` in degrees of a unit vector, lon in [0, 360).
fn latlon(v: [f64; 3]) -> (f64, f64) {
    // atan2, not asin: asin loses half the digits near the poles.
    let lat = v[2].atan2(v[0].hypot(v[1])).to_degrees();
    let lon = v[1].atan2(v[0]).to_degrees().rem_euclid(360.0);
    (lat, lon)
}

/// Orthonormal rows: rotated x, y and z (pole) axes in geographic Cartesian space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rotation {
    rows: [[f64; 3]; 3],
}

impl Rotation {
    /// The rotation of an E grid whose equator passes through `(lat1, lon1)` (the point
    /// of rotated longitude 180°) and `(lat2, lon2)`. `None` if the points coincide or
    /// are antipodal (no plane through them).
    pub fn from_equator_points(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> Option<Rotation> {
        let p1 = unit(lat1, lon1);
        let p2 = unit(lat2, lon2);
        let a = dot(p1, p2);
        let pole = cross(p1, p2);
        let b = dot(pole, pole).sqrt();
        if b.is_nan() || b <= 1e-12 {
            return None;
        }
        let row2 = [a * p1[0] - p2[0], a * p1[1] - p2[1], a * p1[2] - p2[2]];
        let norm2 = dot(row2, row2).sqrt();
        Some(Rotation {
            rows: [
                scaled(p1, -1.0),
                scaled(row2, 1.0 / norm2),
                scaled(pole, 1.0 / b),
            ],
        })
    }

    /// Geographic `(lat, lon)` (lon in [0, 360)) of rotated `(rlat, rlon)`.
    pub fn to_geographic(&self, rlat: f64, rlon: f64) -> (f64, f64) {
        self.rotate_back(unit(rlat, rlon))
    }

    fn rotate_back(&self, v: [f64; 3]) -> (f64, f64) {
        let r = &self.rows;
        latlon([
            r[0][0] * v[0] + r[1][0] * v[1] + r[2][0] * v[2],
            r[0][1] * v[0] + r[1][1] * v[1] + r[2][1] * v[2],
            r[0][2] * v[0] + r[1][2] * v[1] + r[2][2] * v[2],
        ])
    }

    /// Appends the geographic `(lat, lon)` of every point of the rotated grid with
    /// axes `rlat` (slow) and `rlon` (fast) to `lat` and `lon`: the same values as
    /// [`Rotation::to_geographic`] point by point, with each axis' sines and cosines
    /// taken once.
    pub fn grid_to_geographic(
        &self,
        rlat: &[f64],
        rlon: &[f64],
        lat: &mut Vec<f64>,
        lon: &mut Vec<f64>,
    ) {
        let xs: Vec<(f64, f64)> = rlon.iter().map(|&x| sin_cos(x)).collect();
        for &y in rlat {
            let (sin_y, cos_y) = sin_cos(y);
            for &(sin_x, cos_x) in &xs {
                let (la, lo) = self.rotate_back([cos_y * cos_x, cos_y * sin_x, sin_y]);
                lat.push(la);
                lon.push(lo);
            }
        }
    }

    /// Rotated `(rlat, rlon)` (rlon in [0, 360)) of geographic `(lat, lon)`.
    pub fn to_rotated(&self, lat: f64, lon: f64) -> (f64, f64) {
        let v = unit(lat, lon);
        latlon([
            dot(self.rows[0], v),
            dot(self.rows[1], v),
            dot(self.rows[2], v),
        ])
    }

    /// Whether the rotation is the identity (an E grid that is not rotated).
    pub fn is_identity(&self) -> bool {
        let id = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        self.rows
            .iter()
            .flatten()
            .zip(id.iter().flatten())
            .all(|(a, b)| (a - b).abs() < 1e-9)
    }

    /// Geographic `(lat, lon)` of the rotated grid's north pole (CF
    /// `grid_north_pole_latitude/longitude`; lon in (−180, 180]).
    pub fn grid_north_pole(&self) -> (f64, f64) {
        let (lat, lon) = latlon(self.rows[2]);
        (lat, if lon > 180.0 { lon - 360.0 } else { lon })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_on_the_equator_map_back() {
        let r = Rotation::from_equator_points(57.5, 250.0, 57.5, 310.0).unwrap();
        let (lat, lon) = r.to_geographic(0.0, 180.0);
        assert!((lat - 57.5).abs() < 1e-9 && (lon - 250.0).abs() < 1e-9);
        let (rlat, rlon) = r.to_rotated(57.5, 310.0);
        assert!(rlat.abs() < 1e-9, "{rlat} {rlon}");
        let (rlat, rlon) = r.to_rotated(12.0, 33.0);
        let (lat, lon) = r.to_geographic(rlat, rlon);
        assert!((lat - 12.0).abs() < 1e-9 && (lon - 33.0).abs() < 1e-9);
        assert!(Rotation::from_equator_points(10.0, 20.0, 10.0, 20.0).is_none());
    }

    #[test]
    fn a_whole_grid_matches_point_by_point_bit_for_bit() {
        let r = Rotation::from_equator_points(57.5, 250.0, 57.5, 310.0).unwrap();
        let rlat: Vec<f64> = (0..37)
            .map(|k| -90.0 + 5.0 * f64::from(k) + 0.013)
            .collect();
        let rlon: Vec<f64> = (0..73)
            .map(|k| -180.0 + 5.0 * f64::from(k) + 0.007)
            .collect();
        let (mut lat, mut lon) = (Vec::new(), Vec::new());
        r.grid_to_geographic(&rlat, &rlon, &mut lat, &mut lon);
        let mut at = 0;
        for &y in &rlat {
            for &x in &rlon {
                let (la, lo) = r.to_geographic(y, x);
                assert_eq!(
                    (la.to_bits(), lo.to_bits()),
                    (lat[at].to_bits(), lon[at].to_bits())
                );
                at += 1;
            }
        }
        assert_eq!(at, lat.len());
    }
}
