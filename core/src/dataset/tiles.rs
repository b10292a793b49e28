//! `#` tiled grids: records that are tiles of one full grid, reassembled into it.
//!
//! librmn's `#` grid: ig1/ig2 are the ip1/ip2 of the `>>`/`^^` records that describe
//! the *full* grid (as for a Z grid: their lengths are its ni and nj, their grtyp and
//! ig1..ig4 its reference grid), ig3/ig4 the 1-based i/j of the tile's first point in it.
//! fstd2nc groups the tiles of a variable (ignoring ni, nj, ig3, ig4) and lays them out
//! by their ig3/ig4; so does the plan, checking that each tile fits in the full grid
//! and that no two overlap (refused: which one holds the point would be a guess).

use super::{Tile, VarPlan};
use crate::array::{OutSlice, Values};
use crate::error::{Error, FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::record::RecordHeader;

/// Whether a record is a tile of a `#` grid.
pub(super) fn is_tile(h: &RecordHeader) -> bool {
    h.grtyp == b'#'
}

/// The tile of a record: 0-based start and size.
pub(super) fn tile_of(h: &RecordHeader) -> Tile {
    Tile {
        i0: usize::try_from(h.ig3.saturating_sub(1)).unwrap_or(usize::MAX),
        j0: usize::try_from(h.ig4.saturating_sub(1)).unwrap_or(usize::MAX),
        ni: h.ni as usize,
        nj: h.nj as usize,
    }
}

/// The header of the full grid a tile belongs to, as a Z grid (`grtyp` Z, ni/nj of its
/// `>>`/`^^`, ig1..ig3 their ip1..ip3), so the Z grid code gives its coordinates; `None`
/// when no `>>`/`^^` pair carries the tile's ig1/ig2 (the first file first).
pub(super) fn full_grid_header(
    files: &[&File],
    file: usize,
    h: &RecordHeader,
) -> Option<RecordHeader> {
    let order = std::iter::once(file).chain((0..files.len()).filter(|&f| f != file));
    for f in order {
        let file = files.get(f)?;
        let find = |name: &str| {
            file.records().iter().find(|r| {
                r.header.nomvar.trimmed() == name && r.header.ip1 == h.ig1 && r.header.ip2 == h.ig2
            })
        };
        if let (Some(x), Some(y)) = (find(">>"), find("^^")) {
            if x.header.ip3 != y.header.ip3 {
                continue;
            }
            let mut full = *h;
            full.grtyp = b'Z';
            full.ni = x.header.ni.saturating_mul(x.header.nj);
            full.nj = y.header.ni.saturating_mul(y.header.nj);
            full.ig3 = x.header.ip3;
            full.ig4 = 0;
            return Some(full);
        }
    }
    None
}

/// Checks that `tiles` lie inside an `ni`×`nj` grid without overlapping; `records` name
/// the record of each tile for the error.
///
/// # Errors
/// A format error naming the first tile that does not fit or overlaps another.
pub(super) fn check_layout(
    nomvar: &str,
    tiles: &[Tile],
    records: &[usize],
    ni: usize,
    nj: usize,
) -> Result<()> {
    let bad = |k: usize, what: String| -> Error {
        FormatError::new(FormatErrorKind::Inconsistent(format!(
            "{nomvar}: `#` tile {what}"
        )))
        .record(records[k])
        .into()
    };
    for (k, t) in tiles.iter().enumerate() {
        let fits = t.i0.checked_add(t.ni).is_some_and(|e| e <= ni)
            && t.j0.checked_add(t.nj).is_some_and(|e| e <= nj);
        if !fits {
            return Err(bad(
                k,
                format!(
                    "at i {}, j {} of {}x{} points does not fit its {ni}x{nj} grid",
                    t.i0.saturating_add(1),
                    t.j0.saturating_add(1),
                    t.ni,
                    t.nj
                ),
            ));
        }
        for (other, u) in tiles.iter().enumerate().take(k) {
            let apart = t.i0 >= u.i0 + u.ni
                || u.i0 >= t.i0 + t.ni
                || t.j0 >= u.j0 + u.nj
                || u.j0 >= t.j0 + t.nj;
            if !apart {
                return Err(bad(
                    k,
                    format!(
                        "at i {}, j {} overlaps the tile at i {}, j {} (record {})",
                        t.i0 + 1,
                        t.j0 + 1,
                        u.i0 + 1,
                        u.j0 + 1,
                        records[other]
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// `(nk, nj, ni)` of one record of tiled `var`'s full grid (its dims after the outer
/// ones are `[k], [y], x`; y is absent only for a one-row grid).
pub(super) fn full_shape(var: &VarPlan) -> (usize, usize, usize) {
    let inner = &var.shape[var.outer_ndim.min(var.shape.len())..];
    let ni = inner.last().copied().unwrap_or(1);
    let rows = var.tiles.iter().map(|t| t.j0 + t.nj).max().unwrap_or(1);
    match *inner {
        [nk, nj, _] => (nk, nj, ni),
        [n, _] if rows > 1 => (1, n, ni),
        [n, _] => (n, 1, ni),
        _ => (1, 1, ni),
    }
}

/// Copies the decoded `tile` (C order `(nk, nj, ni)` of the tile) into `out`, one record
/// of the full grid of `var` (C order `(nk, NJ, NI)`).
pub(super) fn place(var: &VarPlan, tile: &Tile, values: &Values, out: &mut OutSlice<'_>) {
    let (nk, full_nj, full_ni) = full_shape(var);
    macro_rules! copy {
        ($dst:expr, $src:expr, $per:expr) => {{
            let per = $per;
            for k in 0..nk {
                for j in 0..tile.nj {
                    let from = ((k * tile.nj + j) * tile.ni) * per;
                    let to = ((k * full_nj + tile.j0 + j) * full_ni + tile.i0) * per;
                    let n = tile.ni * per;
                    if let (Some(d), Some(s)) = ($dst.get_mut(to..to + n), $src.get(from..from + n))
                    {
                        d.copy_from_slice(s);
                    }
                }
            }
        }};
    }
    match (out, values) {
        (OutSlice::F32(d), Values::F32(s)) => copy!(d, s, 1),
        (OutSlice::F64(d), Values::F64(s)) => copy!(d, s, 1),
        (OutSlice::C64(d), Values::C64(s)) => copy!(d, s, 2),
        (OutSlice::C128(d), Values::C128(s)) => copy!(d, s, 2),
        (OutSlice::I8(d), Values::I8(s)) => copy!(d, s, 1),
        (OutSlice::I16(d), Values::I16(s)) => copy!(d, s, 1),
        (OutSlice::I32(d), Values::I32(s)) => copy!(d, s, 1),
        (OutSlice::I64(d), Values::I64(s)) => copy!(d, s, 1),
        (OutSlice::U8(d), Values::U8(s)) => copy!(d, s, 1),
        (OutSlice::U16(d), Values::U16(s)) => copy!(d, s, 1),
        (OutSlice::U32(d), Values::U32(s)) => copy!(d, s, 1),
        (OutSlice::U64(d), Values::U64(s)) => copy!(d, s, 1),
        (OutSlice::Chars(d), Values::Chars(s)) => copy!(d, s, 1),
        (OutSlice::Words(d), Values::Words(s)) => copy!(d, s, 1),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(i0: usize, j0: usize, ni: usize, nj: usize) -> Tile {
        Tile { i0, j0, ni, nj }
    }

    #[test]
    fn layouts() {
        let quad = [t(0, 0, 2, 2), t(2, 0, 2, 2), t(0, 2, 2, 1), t(2, 2, 2, 1)];
        check_layout("X", &quad, &[0, 1, 2, 3], 4, 3).unwrap();
        assert!(check_layout("X", &quad, &[0, 1, 2, 3], 3, 3).is_err());
        let overlap = [t(0, 0, 2, 2), t(1, 1, 2, 2)];
        let e = check_layout("X", &overlap, &[5, 6], 4, 4).unwrap_err();
        assert!(e.to_string().contains("overlaps"), "{e}");
    }
}
