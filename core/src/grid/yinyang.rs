//! Yin-yang (U) super grids: two rotated sub-grids described by one `^>` record.

use super::horizontal::{GridMapping, HorizontalGrid};
use super::positional::{float_values, format_error};
use super::rotation::Rotation;
use crate::error::Result;
use crate::file::File;
use crate::record::RecordHeader;

/// U (yin-yang) grids: the `^>` record holds two rotated Z sub-grids; the result is the
/// data record's `ni × 2nj` layout (yin rows, then yang rows) as 2-D lat/lon. Layout
/// (`Lire_enrUvercode1`): [5] ni, [6] nj, [7..11) bounds, [11..15) yin rotation, x axis,
/// y axis; the yang block follows with the same fields from ni on.
pub(super) fn yin_yang(
    files: &[&File],
    file_idx: usize,
    header: &RecordHeader,
    index: usize,
) -> Result<Option<HorizontalGrid>> {
    let order = std::iter::once(file_idx).chain((0..files.len()).filter(|&f| f != file_idx));
    for f in order {
        let Some(file) = files.get(f) else { continue };
        let found = file.records().iter().find(|r| {
            r.header.nomvar.trimmed() == "^>"
                && r.header.ip1 == header.ig1
                && r.header.ip2 == header.ig2
                && r.header.ip3 == header.ig3
        });
        let Some(rec) = found else { continue };
        let v = float_values(file, rec.index)?;
        let bad = || format_error(index, "U grid: ^> record too short or inconsistent".into());
        let get = |k: usize| v.get(k).copied().ok_or_else(bad);
        let (sni, snj) = (get(5)? as usize, get(6)? as usize);
        let yin_size = 15usize
            .checked_add(sni)
            .and_then(|s| s.checked_add(snj))
            .ok_or_else(bad)?;
        if sni != header.ni as usize || snj.checked_mul(2) != Some(header.nj as usize) {
            return Err(bad());
        }
        let mut lat = Vec::with_capacity(sni * snj * 2);
        let mut lon = Vec::with_capacity(sni * snj * 2);
        // The yang block repeats the yin layout minus its 5-word prefix: ni, nj, bounds,
        // rotation (xg1..xg4), x axis, y axis.
        for start in [0, yin_size - 5] {
            let xg: Vec<f64> = (start + 11..start + 15).map(get).collect::<Result<_>>()?;
            let axes_start = start + 15;
            let ax: Vec<f64> = (axes_start..axes_start + sni)
                .map(get)
                .collect::<Result<_>>()?;
            let ay: Vec<f64> = (axes_start + sni..axes_start + sni + snj)
                .map(get)
                .collect::<Result<_>>()?;
            let rot = Rotation::from_equator_points(xg[0], xg[1], xg[2], xg[3]).ok_or_else(bad)?;
            rot.grid_to_geographic(&ay, &ax, &mut lat, &mut lon);
        }
        return Ok(Some(HorizontalGrid {
            ni: sni,
            nj: snj * 2,
            grtyp: 'U',
            mapping: GridMapping::Curvilinear,
            x: None,
            y: None,
            lat,
            lon,
        }));
    }
    Err(format_error(
        index,
        "U grid without a matching ^> record".into(),
    ))
}
