//! Masks (`@@` records): which mask goes with which field record, the mask variables
//! that keep them reachable, and applying a mask to a decoded record.
//!
//! As fstd2nc's `Masks` mixin: a field whose typvar ends in `@` (`P@`) is masked by the
//! record of typvar `@@` (or `!@`) with the same file, nomvar, etiket, datev and
//! ip1..ip3; points where the mask is 0 are missing. Unlike fstd2nc, which drops the mask
//! records, each masked variable gets a mask variable on the same dimensions, named by
//! its `ancillary_variables` (CF 3.4), with `flag_values`/`flag_meanings` (CF 3.5). The
//! pairing also requires the same grid (ni, nj, nk, grtyp, ig1..ig4): fstd2nc does not
//! check it and would fail on a mask of another shape.

use std::collections::{HashMap, HashSet};

use super::attrs::s;
use super::{AttrValue, DatasetPlan, VarPlan};
use crate::array::{OutSlice, Values};
use crate::codec::Int;
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::file::File;
use crate::record::RecordHeader;
use crate::DecodeOptions;

/// `(file, record)`.
pub(super) type RecordRef = (usize, usize);

/// Whether `typvar` is a mask's (`@@`, `!@`).
fn is_mask_typvar(typvar: &str) -> bool {
    matches!(typvar, "@@" | "!@")
}

/// Whether a field of `typvar` is masked (second letter `@`), masks excluded.
fn uses_mask(typvar: &str) -> bool {
    typvar.len() == 2 && typvar.ends_with('@') && !is_mask_typvar(typvar)
}

/// What pairs a field with its mask: file, nomvar, etiket, datev, ip1..ip3.
type PairKey = (usize, String, String, i64, [i32; 3]);

fn pair_key(file: usize, h: &RecordHeader) -> PairKey {
    (
        file,
        h.nomvar.trimmed().to_string(),
        h.etiket.trimmed().to_string(),
        i64::from(h.datev),
        [h.ip1, h.ip2, h.ip3],
    )
}

/// Same grid and shape.
fn same_grid(a: &RecordHeader, b: &RecordHeader) -> bool {
    (a.ni, a.nj, a.nk, a.grtyp, a.ig1, a.ig2, a.ig3, a.ig4)
        == (b.ni, b.nj, b.nk, b.grtyp, b.ig1, b.ig2, b.ig3, b.ig4)
}

/// The mask of every masked field record, and the mask records so used (they make no
/// variable of their own; masks that fit no field stay ordinary records).
#[derive(Default)]
pub(super) struct MaskPairs {
    pub(super) mask_of: HashMap<RecordRef, RecordRef>,
    pub(super) used: HashSet<RecordRef>,
}

impl MaskPairs {
    /// Pairs the field records of `files` with their masks (the last mask in file order
    /// when several fit, as duplicates elsewhere).
    pub(super) fn scan(files: &[&File]) -> Self {
        let mut masks: HashMap<PairKey, (RecordRef, RecordHeader)> = HashMap::new();
        for (fi, file) in files.iter().enumerate() {
            for rec in file.records() {
                if is_mask_typvar(rec.header.typvar.trimmed()) {
                    masks.insert(pair_key(fi, &rec.header), ((fi, rec.index), rec.header));
                }
            }
        }
        let mut out = Self::default();
        if masks.is_empty() {
            return out;
        }
        for (fi, file) in files.iter().enumerate() {
            for rec in file.records() {
                let h = &rec.header;
                if !uses_mask(h.typvar.trimmed()) {
                    continue;
                }
                if let Some((mask, mh)) = masks.get(&pair_key(fi, h)) {
                    if same_grid(h, mh) {
                        out.mask_of.insert((fi, rec.index), *mask);
                        out.used.insert(*mask);
                    }
                }
            }
        }
        out
    }

    /// The masks of `records` (parallel), or empty when none has one.
    pub(super) fn masks_of(&self, records: &[Option<RecordRef>]) -> Vec<Option<RecordRef>> {
        let masks: Vec<Option<RecordRef>> = records
            .iter()
            .map(|r| r.and_then(|r| self.mask_of.get(&r).copied()))
            .collect();
        if masks.iter().any(Option::is_some) {
            masks
        } else {
            Vec::new()
        }
    }
}

/// Adds a mask variable beside every masked variable of `plan` (same dimensions, the mask
/// records as its records) and points the variable's `ancillary_variables` at it.
pub(super) fn add_mask_variables(files: &[&File], plan: &mut DatasetPlan) {
    let mut taken: HashSet<String> = plan
        .variables
        .iter()
        .map(|v| v.name.clone())
        .chain(plan.coords.iter().map(|c| c.name.clone()))
        .collect();
    let mut added = Vec::new();
    for var in &mut plan.variables {
        let Some(&(f, r)) = var.masks.iter().flatten().next() else {
            continue;
        };
        let Some(dtype) = files
            .get(f)
            .and_then(|file| file.record(r).ok())
            .and_then(|rec| rec.header.element_type())
        else {
            continue;
        };
        let mut name = format!("{}_mask", var.name);
        let mut n = 0;
        while taken.contains(&name) {
            n += 1;
            name = format!("{}_mask_{n}", var.name);
        }
        taken.insert(name.clone());
        var.attrs.push(s("ancillary_variables", &name));
        let mut attrs = vec![
            s("long_name", &format!("mask of {}", var.name)),
            ("flag_values".to_string(), AttrValue::I64s(vec![0, 1])),
            s("flag_meanings", "masked valid"),
            s(
                "comment",
                "the mask records (typvar @@) of the variable; 0 marks its missing points",
            ),
        ];
        let inherited = ["grid_mapping", "coordinates"];
        attrs.extend(
            var.attrs
                .iter()
                .filter(|(k, _)| inherited.contains(&k.as_str()))
                .cloned(),
        );
        added.push(VarPlan {
            name,
            dims: var.dims.clone(),
            shape: var.shape.clone(),
            outer_ndim: var.outer_ndim,
            dtype,
            records: var.masks.clone(),
            tiles: var.tiles.clone(),
            masks: Vec::new(),
            attrs,
            missing: false,
            derived: None,
        });
    }
    plan.variables.extend(added);
}

/// Which points a decoded mask keeps (value > 0, as fstd2nc).
fn kept(mask: &Values) -> Vec<bool> {
    macro_rules! positive {
        ($v:expr, $zero:expr) => {
            $v.iter().map(|&x| x > $zero).collect()
        };
    }
    match mask {
        Values::F32(v) => positive!(v, 0.0),
        Values::F64(v) => positive!(v, 0.0),
        Values::I8(v) => positive!(v, 0),
        Values::I16(v) => positive!(v, 0),
        Values::I32(v) => positive!(v, 0),
        Values::I64(v) => positive!(v, 0),
        Values::U8(v) | Values::Chars(v) => positive!(v, 0),
        Values::U16(v) => positive!(v, 0),
        Values::U32(v) | Values::Words(v) => positive!(v, 0),
        Values::U64(v) => positive!(v, 0),
        // Complex masks: by the real part.
        Values::C64(v) => v.iter().step_by(2).map(|&x| x > 0.0).collect(),
        Values::C128(v) => v.iter().step_by(2).map(|&x| x > 0.0).collect(),
    }
}

/// Decodes mask record `mask` of `file` and marks the points of `out` it masks as
/// missing: NaN for reals, librmn's marker (signed minimum, unsigned maximum) for
/// integers.
///
/// # Errors
/// The mask record's decode error; a format error when its length is not the field's.
pub(super) fn apply(file: &File, mask: usize, out: OutSlice<'_>) -> Result<()> {
    let decoded = file.read_with(mask, &DecodeOptions::default())?;
    let keep = kept(&decoded.values);
    let scalars = out.scalar_len();
    let per_value = match out {
        OutSlice::C64(_) | OutSlice::C128(_) => 2,
        _ => 1,
    };
    if keep.len().saturating_mul(per_value) != scalars {
        return Err(FormatError::new(FormatErrorKind::Inconsistent(format!(
            "mask record has {} values, its field {}",
            keep.len(),
            scalars / per_value
        )))
        .record(mask)
        .into());
    }
    blank(out, &keep);
    Ok(())
}

/// Sets the missing value wherever `keep` is false.
fn blank(out: OutSlice<'_>, keep: &[bool]) {
    macro_rules! set {
        ($v:expr, $missing:expr) => {
            for (x, &k) in $v.iter_mut().zip(keep) {
                if !k {
                    *x = $missing;
                }
            }
        };
    }
    match out {
        OutSlice::F32(v) => set!(v, f32::NAN),
        OutSlice::F64(v) => set!(v, f64::NAN),
        OutSlice::C64(v) => {
            for (pair, &k) in v.chunks_exact_mut(2).zip(keep) {
                if !k {
                    pair.fill(f32::NAN);
                }
            }
        }
        OutSlice::C128(v) => {
            for (pair, &k) in v.chunks_exact_mut(2).zip(keep) {
                if !k {
                    pair.fill(f64::NAN);
                }
            }
        }
        OutSlice::I8(v) => set!(v, <i8 as Int>::MARKER),
        OutSlice::I16(v) => set!(v, <i16 as Int>::MARKER),
        OutSlice::I32(v) => set!(v, <i32 as Int>::MARKER),
        OutSlice::I64(v) => set!(v, <i64 as Int>::MARKER),
        OutSlice::U8(v) => set!(v, <u8 as Int>::MARKER),
        OutSlice::U16(v) => set!(v, <u16 as Int>::MARKER),
        OutSlice::U32(v) => set!(v, <u32 as Int>::MARKER),
        OutSlice::U64(v) => set!(v, <u64 as Int>::MARKER),
        // Characters and raw words have no missing value.
        OutSlice::Chars(_) | OutSlice::Words(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typvars() {
        assert!(uses_mask("P@"));
        assert!(!uses_mask("@@"));
        assert!(!uses_mask("!@"));
        assert!(!uses_mask("P"));
        assert!(is_mask_typvar("!@"));
    }

    #[test]
    fn blanks_by_type() {
        let keep = [true, false, true];
        let mut f = [1.0f32, 2.0, 3.0];
        blank(OutSlice::F32(&mut f), &keep);
        assert!(f[1].is_nan() && f[0] == 1.0 && f[2] == 3.0);
        let mut i = [1i16, 2, 3];
        blank(OutSlice::I16(&mut i), &keep);
        assert_eq!(i, [1, i16::MIN, 3]);
        let mut u = [1u32, 2, 3];
        blank(OutSlice::U32(&mut u), &keep);
        assert_eq!(u, [1, u32::MAX, 3]);
        let mut c = [1.0f32, 1.0, 2.0, 2.0, 3.0, 3.0];
        blank(OutSlice::C64(&mut c), &keep);
        assert!(c[2].is_nan() && c[3].is_nan() && c[4] == 3.0);
    }

    #[test]
    fn mask_values_kept_above_zero() {
        assert_eq!(
            kept(&Values::I32(vec![0, 1, -1, 2])),
            [false, true, false, true]
        );
        assert_eq!(kept(&Values::F32(vec![0.0, 0.5])), [false, true]);
    }
}
