//! `!!` vertical grid descriptors written by vgrid (`Cvgd_write_desc`): a table of
//! doubles, `ni` columns by `nj` rows, Fortran order. Row 0 is `(kind, version, skip)`;
//! rows 1..skip hold scalars (ptop, pref, rcoef…); every later row describes one level:
//! `(ip1, A, B)` or, with 4 columns (SLEVE, hybrid height), `(ip1, A, B, C)`.

use std::collections::HashMap;

use crate::error::{Error, FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::Values;

/// Coefficients of one level of a vertical descriptor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelCoefficients {
    /// A (log-pressure in ln Pa for LOGP vcodes, pressure in Pa for 5001, metres for
    /// 21001/21002).
    pub a: f64,
    /// B (dimensionless).
    pub b: f64,
    /// C (SLEVE second B), when the table has it.
    pub c: Option<f64>,
}

/// A decoded `!!` record.
#[derive(Debug, Clone, PartialEq)]
pub struct VgridTable {
    /// `kind·1000 + version` (5005, 5002, 1001, 21001…).
    pub vcode: i32,
    /// Tag: the record's ip1 and ip2 (matched against the fields' ig1, ig2).
    pub tag: (i32, i32),
    /// Reference pressure in Pa (hybrid vcodes), when the table has one.
    pub pref_pa: Option<f64>,
    /// Whether the coordinate is SLEVE (5100, and 21001/21002 with distinct large-scale
    /// rcoef3/rcoef4): pressure or height also depends on a large-scale surface field.
    pub sleve: bool,
    /// Coefficients of every level, by ip1.
    pub levels: HashMap<i32, LevelCoefficients>,
}

impl VgridTable {
    /// Whether pressure is `exp(A + B·ln(ps/pref))` (vgrid's LOGP flag).
    pub fn is_log_pressure(&self) -> bool {
        matches!(self.vcode, 5002..=5005 | 5100)
    }

    /// Whether the coordinate is SLEVE (its C column is used).
    pub fn is_sleve(&self) -> bool {
        self.sleve
    }

    /// Whether the descriptor lists diagnostic levels (vgrid's `dhm_valid`).
    pub fn has_diagnostic_levels(&self) -> bool {
        matches!(self.vcode, 5005 | 5100 | 21001 | 21002)
    }
}

fn bad(index: usize, what: &str) -> Error {
    Error::from(
        FormatError::new(FormatErrorKind::Inconsistent(format!("!! record: {what}"))).record(index),
    )
}

/// Decodes the `!!` record at `index`.
///
/// # Errors
/// Not float64, fewer than 3 columns, a skip count outside the table, or an ip1 that
/// is not an integer.
pub fn read_vgrid(file: &File, index: usize) -> Result<VgridTable> {
    let rec = file.record(index)?;
    let (ni, nj) = (rec.header.ni as usize, rec.header.nj as usize);
    let tag = (rec.header.ip1, rec.header.ip2);
    let values = match file.read(index)?.values {
        Values::F64(v) => v,
        Values::F32(v) => v.into_iter().map(f64::from).collect(),
        _ => return Err(bad(index, "not real-valued")),
    };
    if !(3..=4).contains(&ni) || values.len() < ni.saturating_mul(nj) || nj < 1 {
        return Err(bad(index, "not a 3- or 4-column table"));
    }
    let row = |r: usize| &values[r * ni..(r + 1) * ni];
    let kind = row(0)[0];
    let version = row(0)[1];
    let skip = row(0)[2];
    if !(kind.is_finite() && version.is_finite() && (1.0..=nj as f64).contains(&skip)) {
        return Err(bad(index, "bad (kind, version, skip) header"));
    }
    let vcode = (kind as i32)
        .saturating_mul(1000)
        .saturating_add(version as i32);
    let skip = skip as usize;
    // The table's scalars, flat from index 3: hybrid pressure tables keep (ptop, pref,
    // rcoef1…), hybrid height ones (rcoef1, rcoef2, rcoef3, rcoef4…).
    let scalar = |k: usize| (k < skip.saturating_mul(ni)).then(|| values[k]);
    let pref_pa = matches!(vcode, 5001..=5005 | 5100 | 5999)
        .then(|| scalar(4))
        .flatten();
    // SLEVE: 5100 always; 21001/21002 when rcoef3/rcoef4 are set and differ from
    // rcoef1/rcoef2 (vgrid then names a large-scale reference field, MELS).
    let sleve = match vcode {
        5100 => true,
        21001 | 21002 => match (scalar(3), scalar(4), scalar(5), scalar(6)) {
            (Some(r1), Some(r2), Some(r3), Some(r4)) => {
                r3 >= 0.0 && r4 >= 0.0 && ((r3 - r1).abs() >= 1e-6 || (r4 - r2).abs() >= 1e-6)
            }
            _ => false,
        },
        _ => false,
    };
    let mut levels = HashMap::new();
    for r in skip..nj {
        let v = row(r);
        let ip1 = v[0];
        if ip1.fract() != 0.0 || !(0.0..=f64::from(i32::MAX)).contains(&ip1) {
            return Err(bad(index, "level ip1 is not an integer"));
        }
        let coefficients = LevelCoefficients {
            a: v[1],
            b: v[2],
            c: v.get(3).copied(),
        };
        // The first occurrence wins (momentum levels come before thermodynamic ones and
        // shared ip1s carry the same coefficients).
        levels.entry(ip1 as i32).or_insert(coefficients);
    }
    Ok(VgridTable {
        vcode,
        tag,
        pref_pa,
        sleve,
        levels,
    })
}
