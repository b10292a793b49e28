//! Decoded records → numpy arrays, in librmn's Fortran order (ni fastest).

use numpy::npyffi::NPY_ORDER;
use numpy::{Complex32, Complex64, Element, IxDyn, PyArray1, PyArrayMethods};
use pyo3::prelude::*;

use fst24::{Array, ElementType, RecordHeader, Values};

/// rpnpy's shape: `(ni, nj, nk)` without trailing unit dimensions (at least one axis).
pub(crate) fn shape(dims: [usize; 3]) -> Vec<usize> {
    let [ni, nj, nk] = dims;
    // Dropping a 0 would change the number of values (an nj = 0 record is not ni long).
    if nk != 1 {
        vec![ni, nj, nk]
    } else if nj != 1 {
        vec![ni, nj]
    } else {
        vec![ni]
    }
}

/// Bytes the decoded array of `h` will take (for the memory limit; 0 when unknown).
pub(crate) fn decoded_bytes(h: &RecordHeader) -> u64 {
    let size = h.element_type().map_or(0, ElementType::size) as u64;
    h.num_values().saturating_mul(size)
}

fn shaped<'py, T: Element>(
    py: Python<'py>,
    v: Vec<T>,
    dims: &[usize],
) -> PyResult<Bound<'py, PyAny>> {
    // Binary records hold packed words, not ni·nj·nk values: keep them flat.
    let want: usize = dims.iter().product();
    let exact = v.len() == want;
    let flat = PyArray1::from_vec(py, v);
    if !exact {
        return Ok(flat.into_any());
    }
    Ok(flat
        .reshape_with_order(IxDyn(dims), NPY_ORDER::NPY_FORTRANORDER)?
        .into_any())
}

/// Moves a decoded array into numpy (no copy except for complex pairs).
pub(crate) fn to_numpy(py: Python<'_>, array: Array) -> PyResult<Bound<'_, PyAny>> {
    let dims = shape(array.shape);
    match array.values {
        Values::F32(v) => shaped(py, v, &dims),
        Values::F64(v) => shaped(py, v, &dims),
        Values::I8(v) => shaped(py, v, &dims),
        Values::I16(v) => shaped(py, v, &dims),
        Values::I32(v) => shaped(py, v, &dims),
        Values::I64(v) => shaped(py, v, &dims),
        Values::U8(v) | Values::Chars(v) => shaped(py, v, &dims),
        Values::U16(v) => shaped(py, v, &dims),
        Values::U32(v) | Values::Words(v) => shaped(py, v, &dims),
        Values::U64(v) => shaped(py, v, &dims),
        Values::C64(v) => {
            let c: Vec<Complex32> = v
                .chunks_exact(2)
                .map(|p| Complex32::new(p[0], p[1]))
                .collect();
            shaped(py, c, &dims)
        }
        Values::C128(v) => {
            let c: Vec<Complex64> = v
                .chunks_exact(2)
                .map(|p| Complex64::new(p[0], p[1]))
                .collect();
            shaped(py, c, &dims)
        }
        _ => Err(crate::errors::usage(
            "record decoded to an element type numpy cannot hold",
        )),
    }
}
