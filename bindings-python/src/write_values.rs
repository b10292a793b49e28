//! numpy arrays → values the core writer takes: copied in Fortran order while the GIL is
//! held (so no Python thread can change them while they are packed without it).

use numpy::{Complex32, Complex64, Element, PyArrayDyn, PyArrayMethods};
use pyo3::prelude::*;

use fst24::writer::Data;
use fst24::Values;

use crate::errors::usage;

/// rpnpy's defaults for a dtype when the caller gives no datyp/nbits: floats go through
/// `FST_RDE_META_DEFAULT` (133 = compressed IEEE, 16 bits); integers and complex numbers
/// keep every bit (signed 4, unsigned 2, complex 8).
pub(crate) fn default_datyp_nbits(values: &Values) -> (u8, u8) {
    match values {
        Values::I8(_) | Values::I16(_) => (4, 16),
        Values::I32(_) => (4, 32),
        Values::I64(_) => (4, 64),
        Values::U8(_) | Values::Chars(_) => (2, 8),
        Values::U16(_) => (2, 16),
        Values::U32(_) | Values::Words(_) => (2, 32),
        Values::U64(_) => (2, 64),
        Values::C64(_) => (8, 32),
        Values::C128(_) => (8, 64),
        // F32 and F64 (the enum is non-exhaustive outside the core).
        _ => (133, 16),
    }
}

/// The core's view of `values`; `chars` stores uint8 as characters (datyp 3 or 7).
pub(crate) fn writer_data(values: &Values, chars: bool) -> Data<'_> {
    match values {
        Values::U8(v) if chars => Data::Chars(v),
        other => Data::from(other),
    }
}

/// Copies a Fortran-ordered array of element type `T`, if `array` is one.
fn copy_as<T: Element + Copy>(array: &Bound<'_, PyAny>) -> Option<Vec<T>> {
    let a = array.cast::<PyArrayDyn<T>>().ok()?;
    let ro = a.try_readonly().ok()?;
    ro.as_slice().ok().map(<[T]>::to_vec)
}

/// The values and `(ni, nj, nk)` of `data` (any array-like; copied in Fortran order).
pub(crate) fn owned_values(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
) -> PyResult<(Values, [u32; 3])> {
    let np = py.import("numpy")?;
    let array = np.call_method1("asfortranarray", (data,))?;
    let shape: Vec<usize> = array.getattr("shape")?.extract()?;
    if shape.len() > 3 {
        return Err(usage(format!(
            "data has {} dimensions; a record holds at most 3 (ni, nj, nk)",
            shape.len()
        )));
    }
    let mut dims = [1u32; 3];
    for (d, &s) in dims.iter_mut().zip(&shape) {
        *d = u32::try_from(s).map_err(|_| usage(format!("dimension {s} is too large")))?;
    }
    let values = if let Some(v) = copy_as::<f32>(&array) {
        Values::F32(v)
    } else if let Some(v) = copy_as::<f64>(&array) {
        Values::F64(v)
    } else if let Some(v) = copy_as::<i32>(&array) {
        Values::I32(v)
    } else if let Some(v) = copy_as::<i64>(&array) {
        Values::I64(v)
    } else if let Some(v) = copy_as::<i16>(&array) {
        Values::I16(v)
    } else if let Some(v) = copy_as::<i8>(&array) {
        Values::I8(v)
    } else if let Some(v) = copy_as::<u8>(&array) {
        Values::U8(v)
    } else if let Some(v) = copy_as::<u16>(&array) {
        Values::U16(v)
    } else if let Some(v) = copy_as::<u32>(&array) {
        Values::U32(v)
    } else if let Some(v) = copy_as::<u64>(&array) {
        Values::U64(v)
    } else if let Some(v) = copy_as::<Complex32>(&array) {
        Values::C64(v.iter().flat_map(|c| [c.re, c.im]).collect())
    } else if let Some(v) = copy_as::<Complex64>(&array) {
        Values::C128(v.iter().flat_map(|c| [c.re, c.im]).collect())
    } else {
        let dtype = array.getattr("dtype")?.str()?.to_string();
        return Err(usage(format!(
            "cannot write an array of dtype {dtype}: use float32/64, (u)int8..64 or complex"
        )));
    };
    Ok((values, dims))
}
