//! ig1..ig4 ↔ grid parameters for the grid types that store them there.
//!
//! Conversions reproduce librmn's arithmetic: single precision unless librmn uses
//! double (E decode, `+` both ways), Fortran `nint` (round half away from zero), each
//! operation rounded separately. librmn builds that let the compiler fuse `ig·0.01 − 90`
//! into one FMA differ by an ulp (e.g. 10.4999981 instead of 10.5); librmn 019.5's
//! reference values (`shared/data/librmn019`) are the unfused ones and are matched.

use super::polar::{latlon_from_xy, xy_from_latlon};
use super::{GridError, GridParams};

/// ig4 values from here on mark the general polar stereographic encoding.
const POLAR_GENERAL: i32 = 32768;

/// Fortran `nint` of a single-precision value.
fn nint(x: f32) -> i32 {
    x.round() as i32
}

/// Fortran `nint` of a double-precision value.
fn nint8(x: f64) -> i32 {
    x.round() as i32
}

/// Fortran `ishft(v, -2)`: a logical (unsigned) right shift.
fn shr2(v: i32) -> i32 {
    ((v as u32) >> 2) as i32
}

/// Why a grid letter has no ig-encoded parameters, or `None` if it has.
fn check_type(grtyp: char) -> Result<(), GridError> {
    match grtyp {
        'A' | 'B' | 'G' | 'L' | 'N' | 'S' | 'E' | '+' => Ok(()),
        'Z' | 'Y' | '#' | 'U' | 'M' | 'X' | 'O' => Err(GridError::NotIgEncoded(grtyp)),
        _ => Err(GridError::Unsupported(grtyp)),
    }
}

/// Real grid parameters from ig1..ig4 (librmn `cigaxg`).
///
/// # Errors
/// [`GridError::NotIgEncoded`] for Z, Y, #, U, M, X, O; [`GridError::Unsupported`] for
/// other letters.
pub fn cigaxg(
    grtyp: char,
    ig1: i32,
    ig2: i32,
    ig3: i32,
    ig4: i32,
) -> Result<GridParams, GridError> {
    check_type(grtyp)?;
    Ok(match grtyp {
        'N' | 'S' if ig4 < POLAR_GENERAL => GridParams::Polar {
            pi: ig2 as f32 * 0.1,
            pj: ig1 as f32 * 0.1,
            d60: ig4 as f32 * 100.0,
            dgrw: ig3 as f32 * 0.01,
        },
        'N' | 'S' => polar_general(grtyp == 'S', ig1, ig2, ig3, ig4),
        'L' => GridParams::LatLon {
            xlat0: ig3 as f32 * 0.01 - 90.0,
            xlon0: ig4 as f32 * 0.01,
            dlat: ig1 as f32 * 0.01,
            dlon: ig2 as f32 * 0.01,
        },
        'E' => {
            // Each angle is 40ths of a degree split over two igs (2 low bits moved).
            let lg1 = ig1 << 2 | (ig3 & 3);
            let lg3 = shr2(ig3);
            let mut lg2 = ig2 << 2 | (ig4 & 3);
            let lg4 = shr2(ig4);
            if lg2 > 3600 {
                lg2 -= 7201;
            }
            // The +90 of the encoder can overflow 14 bits; undo the wrap.
            let lg3 = if lg3 < 3559 { lg3 + 16384 } else { lg3 };
            GridParams::Rotated {
                xlat1: ((f64::from(lg1) - 3600.0) / 40.0) as f32,
                xlon1: ((f64::from(lg3) - 3600.0) / 40.0) as f32,
                xlat2: (f64::from(lg2) / 40.0) as f32,
                xlon2: (f64::from(lg4) / 40.0) as f32,
            }
        }
        '+' => {
            let mut lat = f64::from(ig3) * 0.01 - 100.0;
            if ig1 != 0 {
                lat += (f64::from(ig1) - 1000.0) * 0.00001;
            }
            let mut lon = f64::from(ig4) * 0.01;
            if ig2 != 0 {
                lon += (f64::from(ig2) - 1000.0) * 0.00001;
            }
            GridParams::Point {
                lat: lat as f32,
                lon: lon as f32,
            }
        }
        'G' => GridParams::Gaussian {
            hemisphere: ig1 as f32,
            ordering: ig2 as f32,
        },
        // A, B
        _ => GridParams::Global {
            hemisphere: ig1 as f32,
            ordering: ig2 as f32,
        },
    })
}

/// General N/S encoding: d60 in hm (or km), |dgrw| in 0.1°, and the lat/lon of grid
/// point (1, 1) folded into ig3/ig4.
fn polar_general(south: bool, ig1: i32, ig2: i32, ig3: i32, ig4: i32) -> GridParams {
    let mut jg3 = ig3;
    let mut jg4 = ig4 - POLAR_GENERAL;
    let mut d60 = ig1 as f32 * 100.0;
    if ig3 > 32767 {
        d60 *= 10.0;
        jg3 -= 32768;
    }
    let mut dgrw = ig2 as f32 * 0.1;
    if jg4 > 16383 {
        dgrw = 360.0 - dgrw;
        jg4 -= 16384;
    }
    let lat = 90.0 - jg4 as f32 * 180.0 / 16383.0;
    let lon = jg3 as f32 * 360.0 / 32767.0;
    let (x, y) = xy_from_latlon(lat, lon, d60, dgrw, south);
    GridParams::Polar {
        pi: 1.0 - x,
        pj: 1.0 - y,
        d60,
        dgrw,
    }
}

/// ig1..ig4 from real grid parameters (librmn `cxgaig`).
///
/// # Errors
/// As [`cigaxg`] for the letter; [`GridError::Mismatch`] if `params` is not of the
/// letter's family; [`GridError::InvalidParameter`] for values librmn flags as wrong
/// (hemisphere/ordering codes, latitudes beyond ±90, non-finite values).
pub fn cxgaig(grtyp: char, params: &GridParams) -> Result<[i32; 4], GridError> {
    check_type(grtyp)?;
    let invalid = |what| GridError::InvalidParameter { grtyp, what };
    if params.xg().iter().any(|v| !v.is_finite() || v.abs() > 1e9) {
        return Err(invalid("non-finite or huge value"));
    }
    match (grtyp, *params) {
        ('N' | 'S', GridParams::Polar { pi, pj, d60, dgrw }) => {
            encode_polar(grtyp == 'S', pi, pj, d60, dgrw)
                .ok_or_else(|| invalid("polar grid parameters out of the encodable range"))
        }
        (
            'A' | 'B',
            GridParams::Global {
                hemisphere,
                ordering,
            },
        )
        | (
            'G',
            GridParams::Gaussian {
                hemisphere,
                ordering,
            },
        ) => {
            let (ig1, ig2) = (nint(hemisphere), nint(ordering));
            if !(0..=2).contains(&ig1) || !(0..=1).contains(&ig2) {
                return Err(invalid("hemisphere must be 0..2 and ordering 0..1"));
            }
            Ok([ig1, ig2, 0, 0])
        }
        (
            'L',
            GridParams::LatLon {
                xlat0,
                xlon0,
                dlat,
                dlon,
            },
        ) => {
            let ig3 = nint((90.0 + xlat0) * 100.0);
            if ig3 < 0 {
                return Err(invalid("xlat0 below -90"));
            }
            let ig4 = nint(xlon0 * 100.0);
            Ok([
                nint(dlat * 100.0),
                nint(dlon * 100.0),
                ig3,
                wrap(ig4, 36000),
            ])
        }
        (
            'E',
            GridParams::Rotated {
                xlat1,
                xlon1,
                xlat2,
                xlon2,
            },
        ) => {
            if nint(xlat1).abs() > 90 || nint(xlat2).abs() > 90 {
                return Err(invalid("latitudes must be within -90..90"));
            }
            // librmn adds 360 until positive; bound the loops.
            if xlon1 < -3600.0 || xlon2 < -3600.0 {
                return Err(invalid("longitudes must be above -3600"));
            }
            let mut lon1 = xlon1;
            while lon1 < 0.0 {
                lon1 += 360.0;
            }
            let mut lon2 = xlon2;
            while lon2 < 0.0 {
                lon2 += 360.0;
            }
            let a = nint((xlat1 + 90.0) * 40.0);
            let mut b = nint(xlat2 * 40.0);
            let mut c = nint((lon1 + 90.0) * 40.0);
            if c >= 16384 {
                c -= 16384;
            }
            let d = nint(lon2 * 40.0);
            if b < 0 {
                b += 7201;
            }
            Ok([shr2(a), shr2(b), c << 2 | (a & 3), d << 2 | (b & 3)])
        }
        ('+', GridParams::Point { lat, lon }) => {
            let lat = f64::from(lat);
            let mut lon = f64::from(lon);
            if nint8(lat).abs() > 90 {
                return Err(invalid("latitude must be within -90..90"));
            }
            if lon < 0.0 {
                lon += 360.0;
            }
            let ig3 = nint8((lat + 100.0) * 100.0);
            let ig4 = nint8(lon * 100.0);
            let ig1 = nint8((lat + 100.0) * 100000.0) - ig3 * 1000 + 1000;
            let ig2 = nint8(lon * 100000.0) - ig4 * 1000 + 1000;
            Ok([ig1, ig2, ig3, ig4])
        }
        _ => Err(GridError::Mismatch(grtyp)),
    }
}

/// librmn's `do while (v < 0) v = v + period`.
fn wrap(v: i32, period: i32) -> i32 {
    if v < 0 {
        v.rem_euclid(period)
    } else {
        v
    }
}

/// `None` when the general encoding's sums leave the 32-bit range (garbage parameters).
fn encode_polar(south: bool, pi: f32, pj: f32, d60: f32, dgrw: f32) -> Option<[i32; 4]> {
    let ig1 = nint(pj * 10.0);
    let ig2 = nint(pi * 10.0);
    let ig3 = wrap(nint(dgrw * 100.0), 36000);
    let ig4 = nint(d60 * 0.01);
    if (0..=2047).contains(&ig1) && (0..=2047).contains(&ig2) && ig4 <= 32000 {
        return Some([ig1, ig2, ig3, ig4]);
    }
    // General encoding: position of grid point (1, 1) instead of the pole.
    let (mut ig3, mut ig4): (i32, i32) = (0, POLAR_GENERAL);
    let ig1 = if d60 > 204700.0 {
        ig3 = 32768;
        nint(d60 * 0.001)
    } else {
        nint(d60 * 0.01)
    };
    let mut ig2 = nint(dgrw * 10.0);
    if ig2 < 0 {
        ig2 = ig2.checked_abs()?;
        ig4 += 16384;
    }
    if ig2 > 1800 {
        ig2 = (ig2 - 3600).abs();
        ig4 += 16384;
    }
    let (lat, mut lon) = latlon_from_xy(1.0 - pi, 1.0 - pj, d60, dgrw, south);
    let colat = 90.0 - lat;
    if lon < 0.0 {
        lon += 360.0;
    }
    let ig3 = ig3.checked_add(nint(lon * 32767.0 / 360.0))?;
    let ig4 = ig4.checked_add(nint(colat * 16383.0 / 180.0))?;
    Some([ig1, ig2, ig3, ig4])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn xg(grtyp: char, ig: [i32; 4]) -> [f32; 4] {
        cigaxg(grtyp, ig[0], ig[1], ig[2], ig[3]).unwrap().xg()
    }

    #[test]
    fn spec_vectors() {
        // Spec §6.1: librmn cxgaig → ig, then cigaxg.
        let l = |a, b, c, d| GridParams::LatLon {
            xlat0: a,
            xlon0: b,
            dlat: c,
            dlon: d,
        };
        assert_eq!(cxgaig('L', &l(-90.0, 0.0, 1.0, 1.0)), Ok([100, 100, 0, 0]));
        assert_eq!(
            cxgaig('L', &l(10.5, -100.25, 0.5, 0.25)),
            Ok([50, 25, 10050, 25975])
        );
        // The spec's 10.4999981 comes from a librmn build that fuses `ig3·0.01 − 90` into
        // one FMA; librmn 019.5 (and plain IEEE single precision) rounds twice: 10.5.
        assert_eq!(xg('L', [50, 25, 10050, 25975]), [10.5, 259.75, 0.5, 0.25]);
        assert_eq!(
            xg('L', [10, 10, 13550, 28625]),
            [45.5, 286.25, 0.099999994, 0.099999994]
        );
        let p = |a, b, c, d| GridParams::Polar {
            pi: a,
            pj: b,
            d60: c,
            dgrw: d,
        };
        assert_eq!(
            cxgaig('N', &p(51.0, 51.0, 60000.0, 350.0)),
            Ok([510, 510, 35000, 600])
        );
        assert_eq!(
            cxgaig('S', &p(26.0, 21.0, 150000.0, -10.0)),
            Ok([210, 260, 35000, 1500])
        );
        assert_eq!(xg('S', [210, 260, 35000, 1500])[3], 350.0);
        let e = |a, b, c, d| GridParams::Rotated {
            xlat1: a,
            xlon1: b,
            xlat2: c,
            xlon2: d,
        };
        assert_eq!(
            cxgaig('E', &e(35.0, 230.0, 0.0, 320.0)),
            Ok([1250, 0, 51200, 51200])
        );
        assert_eq!(xg('E', [1250, 0, 51200, 51200]), [35.0, 230.0, 0.0, 320.0]);
        assert_eq!(
            cxgaig('E', &e(-12.5, 10.0, 30.0, -20.0)),
            Ok([775, 300, 16000, 54400])
        );
        assert_eq!(xg('E', [775, 300, 16000, 54400])[3], 340.0);
        let pt = GridParams::Point {
            lat: 45.123456,
            lon: -73.654_32,
        };
        assert_eq!(cxgaig('+', &pt), Ok([1346, 568, 14512, 28635]));
        assert_eq!(
            xg('+', [1346, 568, 14512, 28635]),
            [45.12346, 286.34567, 0.0, 0.0]
        );
        let g = GridParams::Gaussian {
            hemisphere: 1.0,
            ordering: 1.0,
        };
        assert_eq!(cxgaig('G', &g), Ok([1, 1, 0, 0]));
        let a = GridParams::Global {
            hemisphere: 1.0,
            ordering: 1.0,
        };
        assert_eq!(cxgaig('G', &a), Err(GridError::Mismatch('G')));
        let b = GridParams::Global {
            hemisphere: 0.0,
            ordering: 1.0,
        };
        assert_eq!(cigaxg('B', 0, 1, 0, 0), Ok(b));
    }

    #[test]
    fn general_polar_encoding_round_trips() {
        // pi far outside 0..204.7 forces the general encoding.
        let p = GridParams::Polar {
            pi: -500.0,
            pj: 300.0,
            d60: 10000.0,
            dgrw: 21.0,
        };
        let ig = cxgaig('N', &p).unwrap();
        assert!(ig[3] >= POLAR_GENERAL);
        let GridParams::Polar { pi, pj, d60, dgrw } =
            cigaxg('N', ig[0], ig[1], ig[2], ig[3]).unwrap()
        else {
            panic!("not polar");
        };
        assert_eq!((d60, dgrw), (10000.0, 21.0));
        // Point (1,1) is stored to 1/32767 of a turn: a few grid lengths at 10 km.
        assert!(
            (pi + 500.0).abs() < 5.0 && (pj - 300.0).abs() < 5.0,
            "{pi} {pj}"
        );
    }

    #[test]
    fn other_types_are_errors() {
        assert_eq!(cigaxg('Z', 1, 2, 3, 0), Err(GridError::NotIgEncoded('Z')));
        assert_eq!(cigaxg('U', 1, 2, 3, 0), Err(GridError::NotIgEncoded('U')));
        assert_eq!(cigaxg('H', 1, 2, 3, 0), Err(GridError::Unsupported('H')));
        let g = GridParams::Global {
            hemisphere: 0.0,
            ordering: 0.0,
        };
        assert_eq!(cxgaig('L', &g), Err(GridError::Mismatch('L')));
        let g = GridParams::Global {
            hemisphere: 3.0,
            ordering: 0.0,
        };
        assert!(cxgaig('A', &g).is_err());
    }

    proptest! {
        /// Integer descriptors of L and old-style N/S grids survive decode + encode.
        #[test]
        fn latlon_ig_round_trip(ig1 in 1i32..=9000, ig2 in 1i32..=9000, ig3 in 0i32..=18000, ig4 in 0i32..36000) {
            let p = cigaxg('L', ig1, ig2, ig3, ig4).unwrap();
            prop_assert_eq!(cxgaig('L', &p), Ok([ig1, ig2, ig3, ig4]));
        }

        #[test]
        fn polar_ig_round_trip(ig1 in 0i32..=2047, ig2 in 0i32..=2047, ig3 in 0i32..36000, ig4 in 1i32..=32000, south: bool) {
            let t = if south { 'S' } else { 'N' };
            let p = cigaxg(t, ig1, ig2, ig3, ig4).unwrap();
            prop_assert_eq!(cxgaig(t, &p), Ok([ig1, ig2, ig3, ig4]));
        }

        /// Rotated grids on librmn's 1/40° lattice come back to the same angles.
        #[test]
        fn rotated_round_trip(a in 0i32..=7200, b in -3600i32..=3600, c in 0i32..14400, d in 0i32..14400) {
            let given = [a as f32 / 40.0 - 90.0, c as f32 / 40.0, b as f32 / 40.0, d as f32 / 40.0];
            let p = GridParams::Rotated { xlat1: given[0], xlon1: given[1], xlat2: given[2], xlon2: given[3] };
            let ig = cxgaig('E', &p).unwrap();
            let back = cigaxg('E', ig[0], ig[1], ig[2], ig[3]).unwrap().xg();
            for (g, r) in given.iter().zip(back) {
                prop_assert!((g - r).abs() < 1e-4, "{:?} -> {:?} -> {:?}", given, ig, back);
            }
        }

        /// Hostile descriptors never panic, whatever the letter.
        #[test]
        fn any_descriptor_is_safe(t in prop::sample::select(vec!['A', 'B', 'G', 'L', 'N', 'S', 'E', '+', 'Z', '?']),
                                  ig1: i32, ig2: i32, ig3: i32, ig4: i32) {
            if let Ok(p) = cigaxg(t, ig1, ig2, ig3, ig4) {
                let _ = cxgaig(t, &p);
            }
        }
    }
}
