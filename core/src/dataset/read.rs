//! Reading a planned variable (or a hyperslab of its record dimensions) into one
//! C-order buffer, one record per task (rayon when the `parallel` feature is on).

use std::ops::Range;

use super::VarPlan;
use crate::array::{OutSlice, Values};
use crate::codec::{reborrow, DecodeOptions, Int};
use crate::error::{Result, UsageError};
use crate::file::File;

/// Splits `out` into consecutive chunks of `chunk` scalars.
fn split(out: OutSlice<'_>, chunk: usize) -> Vec<OutSlice<'_>> {
    macro_rules! chunks {
        ($($variant:ident),*) => {
            match out {
                $(OutSlice::$variant(v) => v.chunks_mut(chunk).map(OutSlice::$variant).collect(),)*
            }
        };
    }
    chunks!(F32, F64, I8, I16, I32, I64, U8, U16, U32, U64, C64, C128, Chars, Words)
}

/// Fills a hole: NaN for reals; for integers librmn's marker (signed minimum, unsigned
/// maximum) when the variable has missing values (then `_FillValue`), else zero;
/// zero for characters and raw words.
fn fill_hole(out: OutSlice<'_>, missing: bool) {
    fn int<T: Int + Default>(v: &mut [T], missing: bool) {
        v.fill(if missing { T::MARKER } else { T::default() });
    }
    match out {
        OutSlice::F32(v) | OutSlice::C64(v) => v.fill(f32::NAN),
        OutSlice::F64(v) | OutSlice::C128(v) => v.fill(f64::NAN),
        OutSlice::I8(v) => int(v, missing),
        OutSlice::I16(v) => int(v, missing),
        OutSlice::I32(v) => int(v, missing),
        OutSlice::I64(v) => int(v, missing),
        OutSlice::U8(v) => int(v, missing),
        OutSlice::U16(v) => int(v, missing),
        OutSlice::U32(v) => int(v, missing),
        OutSlice::U64(v) => int(v, missing),
        OutSlice::Chars(v) => v.fill(0),
        OutSlice::Words(v) => v.fill(0),
    }
}

fn usage(msg: String) -> crate::Error {
    UsageError::InvalidArgument(msg).into()
}

/// Reads the records of `var` selected by `ranges` (one range per outer dimension,
/// `None` = all) into `out`, C order `(selected outer…, [k], y, x)`. Holes become NaN
/// (reals), the integer marker when [`VarPlan::missing`], else 0; points masked by the
/// record's mask ([`VarPlan::masks`]) become NaN or the integer marker.
///
/// # Errors
/// Usage errors for a bad selection or buffer (type or length); any record's decode
/// error (the first one found).
pub fn read_variable_into(
    files: &[&File],
    var: &VarPlan,
    ranges: Option<&[Range<usize>]>,
    out: OutSlice<'_>,
    options: &DecodeOptions,
) -> Result<()> {
    let outer = &var.shape[..var.outer_ndim];
    let all: Vec<Range<usize>> = outer.iter().map(|&n| 0..n).collect();
    let ranges = ranges.unwrap_or(&all);
    if ranges.len() != outer.len()
        || ranges
            .iter()
            .zip(outer)
            .any(|(r, &n)| r.start > r.end || r.end > n)
    {
        return Err(usage(format!(
            "selection {ranges:?} does not fit the outer shape {outer:?} of {}",
            var.name
        )));
    }
    // Slots of the selection, in C order.
    let mut slots = vec![0usize];
    for (r, &n) in ranges.iter().zip(outer) {
        slots = slots
            .iter()
            .flat_map(|&s| r.clone().map(move |k| s * n + k))
            .collect();
    }
    let per_record = var.record_len();
    let scalars_per_value = match out {
        OutSlice::C64(_) | OutSlice::C128(_) => 2,
        _ => 1,
    };
    let chunk = per_record.saturating_mul(scalars_per_value);
    let needed = slots.len().saturating_mul(chunk);
    if out.scalar_len() != needed {
        return Err(UsageError::BufferLength {
            needed,
            got: out.scalar_len(),
        }
        .into());
    }
    if chunk == 0 {
        return Ok(());
    }
    if let Some(d) = &var.derived {
        let OutSlice::F32(out) = out else {
            return Err(usage(format!("{} is computed as float32", var.name)));
        };
        return super::derived::read_derived(files, var, d, &slots, out);
    }
    let jobs: Vec<(usize, OutSlice<'_>)> = slots.iter().copied().zip(split(out, chunk)).collect();
    let file_of = |f: usize| {
        files
            .get(f)
            .copied()
            .ok_or_else(|| usage(format!("plan refers to file {f}, not given")))
    };
    // One record (or tile) into `dest`, then its mask.
    let decode = |at: usize, mut dest: OutSlice<'_>| -> Result<bool> {
        let Some((f, r)) = var.records.get(at).copied().flatten() else {
            return Ok(false);
        };
        file_of(f)?.read_into(r, reborrow(&mut dest), options)?;
        if let Some((mf, m)) = var.masks.get(at).copied().flatten() {
            super::masks::apply(file_of(mf)?, m, dest)?;
        }
        Ok(true)
    };
    let run = |(slot, mut dest): (usize, OutSlice<'_>)| -> Result<()> {
        if var.tiles.is_empty() {
            if !decode(slot, reborrow(&mut dest))? {
                fill_hole(dest, var.missing);
            }
            return Ok(());
        }
        // Points no tile covers stay missing.
        fill_hole(reborrow(&mut dest), var.missing);
        let (nk, _, _) = super::tiles::full_shape(var);
        for (t, tile) in var.tiles.iter().enumerate() {
            let scalars = tile.ni * tile.nj * nk * scalars_per_value;
            let mut part = Values::try_zeroed(var.dtype, scalars)?;
            if decode(slot * var.tiles.len() + t, part.as_out())? {
                super::tiles::place(var, tile, &part, &mut dest);
            }
        }
        Ok(())
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        jobs.into_par_iter().map(run).collect::<Result<()>>()
    }
    #[cfg(not(feature = "parallel"))]
    {
        jobs.into_iter().try_for_each(run)
    }
}

/// Scalars per element: complex elements count as two scalars of half their size.
fn scalar_factor(var: &VarPlan) -> u64 {
    match var.dtype {
        crate::ElementType::C64 | crate::ElementType::C128 => 2,
        _ => 1,
    }
}

/// Reads a whole variable into a new buffer of its element type.
///
/// # Errors
/// As [`read_variable_into`]; [`crate::Error::Limits`] when the buffer would exceed a
/// file's [`crate::Limits::max_alloc_bytes`].
pub fn read_variable(files: &[&File], var: &VarPlan, options: &DecodeOptions) -> Result<Values> {
    check_variable(files, var)?;
    let scalars = var.len().saturating_mul(scalar_factor(var) as usize);
    let mut values = Values::try_zeroed(var.dtype, scalars).map_err(|e| locate(files, var, e))?;
    read_variable_into(files, var, None, values.as_out(), options)?;
    Ok(values)
}

/// Checks, before a buffer for the whole of `var` is allocated (by [`read_variable`], or
/// by a caller that then uses [`read_variable_into`]), that it fits every file's
/// [`crate::Limits::max_alloc_bytes`] and that every record can be decoded into it
/// ([`check_records`]): dims come from headers, so a damaged one costs an error, not a
/// buffer sized from it.
///
/// # Errors
/// [`crate::Error::Limits`] naming the variable's first record; [`check_records`]'s.
pub fn check_variable(files: &[&File], var: &VarPlan) -> Result<()> {
    let scalars = (var.len() as u64).saturating_mul(scalar_factor(var));
    let bytes = scalars.saturating_mul(var.dtype.size() as u64 / scalar_factor(var));
    for file in files {
        file.limits()
            .check_alloc(bytes)
            .map_err(|e| locate(files, var, e))?;
    }
    check_records(files, var)
}

/// Names the first record of `var` (and its file) in an error about the whole variable,
/// so a refusal points at the record whose header claimed the size.
pub fn locate(files: &[&File], var: &VarPlan, e: crate::Error) -> crate::Error {
    let Some((f, r)) = var.records.iter().flatten().next().copied() else {
        return e;
    };
    let e = e.at(Some(r), None);
    match files.get(f).and_then(|file| file.path()) {
        Some(path) => e.in_file(path),
        None => e,
    }
}

/// Checks, before a buffer is allocated for `var`, that every record of it can be decoded
/// into the variable's element type within the limits and has the packed words its
/// dimensions need ([`File::check_read`]): a damaged header then costs an error, not a
/// buffer sized from it.
///
/// # Errors
/// The first record's limit or format error, naming it and its file.
pub fn check_records(files: &[&File], var: &VarPlan) -> Result<()> {
    // A computed variable's records are its surface field's, of their own type.
    let target = if var.derived.is_some() {
        None
    } else {
        Some(var.dtype)
    };
    for &(f, r) in var.records.iter().flatten() {
        let file = files
            .get(f)
            .ok_or_else(|| usage(format!("plan refers to file {f}, not given")))?;
        file.check_read(r, target)?;
    }
    Ok(())
}
