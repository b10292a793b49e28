//! [`describe`]: a grid in words, for people reading a record (inspectors, `info`).

use super::{cigaxg, GridParams};

/// One sentence saying what the grid of a record with these keys is: its family, size
/// and, when ig1..ig4 carry them, its parameters (spacing, origin, pole).
pub fn describe(grtyp: char, ni: u32, nj: u32, ig: [i32; 4]) -> String {
    let size = format!("{ni}×{nj} points");
    let hemisphere = |h: f32| match h as i32 {
        1 => "northern hemisphere",
        2 => "southern hemisphere",
        _ => "global",
    };
    let params = cigaxg(grtyp, ig[0], ig[1], ig[2], ig[3]);
    match (grtyp, params) {
        ('A', Ok(GridParams::Global { hemisphere: h, .. })) => {
            format!("A grid: {} regular latitude–longitude grid without poles, {size}", hemisphere(h))
        }
        ('B', Ok(GridParams::Global { hemisphere: h, .. })) => {
            format!("B grid: {} regular latitude–longitude grid including poles, {size}", hemisphere(h))
        }
        (_, Ok(GridParams::Gaussian { hemisphere: h, .. })) => {
            format!("G grid: {} Gaussian grid, {size}", hemisphere(h))
        }
        (_, Ok(GridParams::LatLon { xlat0, xlon0, dlat, dlon })) => format!(
            "L grid: regular latitude–longitude, {size}, {dlon}° × {dlat}° (lon × lat), first point {} {xlon0}° E",
            latitude(xlat0)
        ),
        (g, Ok(GridParams::Polar { pi, pj, d60, dgrw })) => format!(
            "{g} grid: {} polar stereographic, {size}, {} km at 60°, pole at grid point ({pi}, {pj}), x axis {dgrw}° from Greenwich",
            if g == 'N' { "north" } else { "south" },
            d60 / 1000.0
        ),
        (_, Ok(GridParams::Rotated { xlat1, xlon1, xlat2, xlon2 })) => format!(
            "E grid: rotated latitude–longitude, {size}, equator through ({}, {xlon1}° E) and ({}, {xlon2}° E)",
            latitude(xlat1),
            latitude(xlat2)
        ),
        (_, Ok(GridParams::Point { lat, lon })) => format!("single point at {} {lon}° E", latitude(lat)),
        ('Z', _) => format!(
            "Z grid: {size} on the axes of positional records >> and ^^ (ip1..ip3 = {} {} {})",
            ig[0], ig[1], ig[2]
        ),
        ('Y', _) => format!(
            "Y grid: {size}, latitude and longitude of every point in positional records (ip1..ip3 = {} {} {})",
            ig[0], ig[1], ig[2]
        ),
        ('U', _) => format!("U grid: {size}, a composite (Yin-Yang) grid in a ^> record"),
        ('X', _) => format!("X grid: {size}, not geo-referenced"),
        (g, Err(e)) => format!("{g} grid: {size} ({e})"),
        (g, Ok(_)) => format!("{g} grid: {size}"),
    }
}

/// `45° N`, `30° S`, `0°`.
fn latitude(lat: f32) -> String {
    match lat {
        l if l > 0.0 => format!("{l}° N"),
        l if l < 0.0 => format!("{}° S", -l),
        _ => "0°".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latlon_and_z_grids_in_words() {
        let l = describe('L', 41, 21, [50, 25, 10050, 25975]);
        assert_eq!(
            l,
            "L grid: regular latitude–longitude, 41×21 points, 0.25° × 0.5° (lon × lat), first point 10.5° N 259.75° E"
        );
        assert!(describe('Z', 3, 2, [1, 2, 3, 0]).contains(">> and ^^ (ip1..ip3 = 1 2 3)"));
        assert!(describe('X', 3, 2, [0; 4]).contains("not geo-referenced"));
    }
}
