//! numpy arrays → values the core writer takes: copied in Fortran order while the GIL is
//! held (so no Python thread can change them while they are packed without it).

use numpy::{Complex32, Complex64, Element, PyArrayDyn, PyArrayMethods};
use pyo3::prelude::*;

use crate::errors::usage;

/// Values copied out of a numpy array, in Fortran order, with the dimensions they fill.
pub(crate) enum Owned {
    F32(Vec<f32>),
    F64(Vec<f64>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    C64(Vec<f32>),
    C128(Vec<f64>),
}

impl Owned {
    /// rpnpy's defaults for a dtype when the caller gives no datyp/nbits: floats go
    /// through `FST_RDE_META_DEFAULT` (133 = compressed IEEE, 16 bits); integers and
    /// complex numbers keep every bit (signed 4, unsigned 2, complex 8).
    pub(crate) fn default_datyp_nbits(&self) -> (u8, u8) {
        match self {
            Owned::F32(_) | Owned::F64(_) => (133, 16),
            Owned::I8(_) | Owned::I16(_) => (4, 16),
            Owned::I32(_) => (4, 32),
            Owned::I64(_) => (4, 64),
            Owned::U8(_) => (2, 8),
            Owned::U16(_) => (2, 16),
            Owned::U32(_) => (2, 32),
            Owned::U64(_) => (2, 64),
            Owned::C64(_) => (8, 32),
            Owned::C128(_) => (8, 64),
        }
    }

    /// The core's view; `chars` stores uint8 as characters (datyp 3 or 7).
    pub(crate) fn data(&self, chars: bool) -> fst24::writer::Data<'_> {
        use fst24::writer::Data;
        match self {
            Owned::F32(v) => Data::F32(v),
            Owned::F64(v) => Data::F64(v),
            Owned::I8(v) => Data::I8(v),
            Owned::I16(v) => Data::I16(v),
            Owned::I32(v) => Data::I32(v),
            Owned::I64(v) => Data::I64(v),
            Owned::U8(v) if chars => Data::Chars(v),
            Owned::U8(v) => Data::U8(v),
            Owned::U16(v) => Data::U16(v),
            Owned::U32(v) => Data::U32(v),
            Owned::U64(v) => Data::U64(v),
            Owned::C64(v) => Data::C64(v),
            Owned::C128(v) => Data::C128(v),
        }
    }
}

/// Copies a Fortran-ordered array of element type `T`, if `array` is one.
fn copy_as<T: Element + Copy>(array: &Bound<'_, PyAny>) -> Option<Vec<T>> {
    let a = array.cast::<PyArrayDyn<T>>().ok()?;
    let ro = a.try_readonly().ok()?;
    ro.as_slice().ok().map(<[T]>::to_vec)
}

/// The values and `(ni, nj, nk)` of `data` (any array-like; copied in Fortran order).
pub(crate) fn owned_values(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<(Owned, [u32; 3])> {
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
        Owned::F32(v)
    } else if let Some(v) = copy_as::<f64>(&array) {
        Owned::F64(v)
    } else if let Some(v) = copy_as::<i32>(&array) {
        Owned::I32(v)
    } else if let Some(v) = copy_as::<i64>(&array) {
        Owned::I64(v)
    } else if let Some(v) = copy_as::<i16>(&array) {
        Owned::I16(v)
    } else if let Some(v) = copy_as::<i8>(&array) {
        Owned::I8(v)
    } else if let Some(v) = copy_as::<u8>(&array) {
        Owned::U8(v)
    } else if let Some(v) = copy_as::<u16>(&array) {
        Owned::U16(v)
    } else if let Some(v) = copy_as::<u32>(&array) {
        Owned::U32(v)
    } else if let Some(v) = copy_as::<u64>(&array) {
        Owned::U64(v)
    } else if let Some(v) = copy_as::<Complex32>(&array) {
        Owned::C64(v.iter().flat_map(|c| [c.re, c.im]).collect())
    } else if let Some(v) = copy_as::<Complex64>(&array) {
        Owned::C128(v.iter().flat_map(|c| [c.re, c.im]).collect())
    } else {
        let dtype = array.getattr("dtype")?.str()?.to_string();
        return Err(usage(format!(
            "cannot write an array of dtype {dtype}: use float32/64, (u)int8..64 or complex"
        )));
    };
    Ok((values, dims))
}
