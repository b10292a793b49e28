//! Positional records (`>>`, `^^`): the axes of Z and Y grids, found by their ip1..ip3 tag.

use crate::error::{Error, FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::record::RecordHeader;
use crate::Values;

/// A format error about record `index` (directory position in its file).
pub(super) fn format_error(index: usize, what: String) -> Error {
    Error::from(FormatError::new(FormatErrorKind::Inconsistent(what)).record(index))
}

/// Decoded float values of a positional record.
pub(super) fn float_values(file: &File, index: usize) -> Result<Vec<f64>> {
    let array = file.read(index)?;
    match array.values {
        Values::F32(v) => Ok(v.into_iter().map(f64::from).collect()),
        Values::F64(v) => Ok(v),
        _ => Err(format_error(
            index,
            "positional record is not real-valued".into(),
        )),
    }
}

/// `>>` values, `^^` values and the `>>` header (its grtyp/igs give the reference grid).
pub(super) type Axes = (Vec<f64>, Vec<f64>, RecordHeader);

/// `(>> values, ^^ values, >> header)` of the positional records whose ip1..ip3 equal
/// the data record's ig1..ig3 and whose sizes fit it.
pub(super) fn positional_axes(
    files: &[&File],
    file_idx: usize,
    header: &RecordHeader,
    index: usize,
) -> Result<Option<Axes>> {
    let order = std::iter::once(file_idx).chain((0..files.len()).filter(|&f| f != file_idx));
    let tag = |h: &RecordHeader| h.ip1 == header.ig1 && h.ip2 == header.ig2 && h.ip3 == header.ig3;
    for f in order {
        let Some(file) = files.get(f) else {
            return Err(format_error(index, format!("no file {f}")));
        };
        let find = |name: &str, fits: &dyn Fn(&RecordHeader) -> bool| {
            file.records()
                .iter()
                .find(|r| r.header.nomvar.trimmed() == name && tag(&r.header) && fits(&r.header))
        };
        let y_grid = header.grtyp == b'Y';
        let (ni, nj) = (header.ni, header.nj);
        let x = find(">>", &|h| {
            if y_grid {
                h.ni == ni && h.nj == nj
            } else {
                h.ni == ni
            }
        });
        let y = find("^^", &|h| {
            if y_grid {
                h.ni == ni && h.nj == nj
            } else {
                h.nj == nj
            }
        });
        if let (Some(x), Some(y)) = (x, y) {
            let ax = float_values(file, x.index)?;
            let ay = float_values(file, y.index)?;
            return Ok(Some((ax, ay, x.header)));
        }
    }
    Ok(None)
}
