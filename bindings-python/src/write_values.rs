//! numpy arrays → values the core writer takes: copied in Fortran order while the GIL is
//! held (so no Python thread can change them while they are packed without it), or, for
//! `write_many`, borrowed in place ([`Held`]) for a pack that keeps the GIL.

use numpy::{
    Complex32, Complex64, Element, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::prelude::*;

use fst24::writer::Data;
use fst24::{ElementType, Values};

use crate::errors::usage;

/// rpnpy's defaults for a dtype when the caller gives no datyp/nbits: floats go through
/// `FST_RDE_META_DEFAULT` (133 = compressed IEEE, 16 bits); integers and complex numbers
/// keep every bit (signed 4, unsigned 2, complex 8).
pub(crate) fn default_datyp_nbits(element: ElementType) -> (u8, u8) {
    match element {
        ElementType::I8 | ElementType::I16 => (4, 16),
        ElementType::I32 => (4, 32),
        ElementType::I64 => (4, 64),
        ElementType::U8 | ElementType::Char => (2, 8),
        ElementType::U16 => (2, 16),
        ElementType::U32 | ElementType::Word => (2, 32),
        ElementType::U64 => (2, 64),
        ElementType::C64 => (8, 32),
        ElementType::C128 => (8, 64),
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
/// `data` as a Fortran-ordered numpy array, with its `(ni, nj, nk)`.
fn fortran<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, [u32; 3])> {
    // An array already in Fortran order is used as it is, its shape read from the array
    // object: what `asfortranarray` would return, without two Python calls per record.
    if let Ok(array) = data.cast::<PyUntypedArray>() {
        if array.ndim() >= 1 && array.is_fortran_contiguous() {
            return Ok((data.clone(), record_dims(array.shape())?));
        }
    }
    let np = py.import("numpy")?;
    let array = np.call_method1("asfortranarray", (data,))?;
    let shape: Vec<usize> = array.getattr("shape")?.extract()?;
    Ok((array, record_dims(&shape)?))
}

/// `(ni, nj, nk)` of an array of `shape` (at most 3 dimensions).
fn record_dims(shape: &[usize]) -> PyResult<[u32; 3]> {
    if shape.len() > 3 {
        return Err(usage(format!(
            "data has {} dimensions; a record holds at most 3 (ni, nj, nk)",
            shape.len()
        )));
    }
    let mut dims = [1u32; 3];
    for (d, &s) in dims.iter_mut().zip(shape) {
        *d = u32::try_from(s).map_err(|_| usage(format!("dimension {s} is too large")))?;
    }
    Ok(dims)
}

pub(crate) fn owned_values(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
) -> PyResult<(Values, [u32; 3])> {
    let (array, dims) = fortran(py, data)?;
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

/// A record's values for `write_many`: numpy's own buffer, read in place while the GIL
/// is held (no copy; `write_many` packs with the GIL held, so no Python thread can change
/// it meanwhile), or converted values (complex input is interleaved).
pub(crate) enum Held<'py> {
    /// A Fortran-ordered numpy array, borrowed read-only.
    F32(PyReadonlyArrayDyn<'py, f32>),
    /// As `F32`.
    F64(PyReadonlyArrayDyn<'py, f64>),
    /// As `F32`.
    I8(PyReadonlyArrayDyn<'py, i8>),
    /// As `F32`.
    I16(PyReadonlyArrayDyn<'py, i16>),
    /// As `F32`.
    I32(PyReadonlyArrayDyn<'py, i32>),
    /// As `F32`.
    I64(PyReadonlyArrayDyn<'py, i64>),
    /// As `F32`.
    U8(PyReadonlyArrayDyn<'py, u8>),
    /// As `F32`.
    U16(PyReadonlyArrayDyn<'py, u16>),
    /// As `F32`.
    U32(PyReadonlyArrayDyn<'py, u32>),
    /// As `F32`.
    U64(PyReadonlyArrayDyn<'py, u64>),
    /// Converted values.
    Owned(Values),
}

/// `array` borrowed as a contiguous numpy array of `T`, if it is one.
fn borrow_as<'py, T: Element>(array: &Bound<'py, PyAny>) -> Option<PyReadonlyArrayDyn<'py, T>> {
    let ro = array.cast::<PyArrayDyn<T>>().ok()?.try_readonly().ok()?;
    ro.as_slice().is_ok().then_some(ro)
}

/// The values and `(ni, nj, nk)` of `data` (any array-like) for `write_many`: borrowed
/// when `data` is (or converts to) a Fortran-ordered array of a real or integer dtype.
pub(crate) fn held_values<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<(Held<'py>, [u32; 3])> {
    let (array, dims) = fortran(py, data)?;
    macro_rules! try_borrow {
        ($($t:ty => $variant:ident),*) => {
            $(if let Some(ro) = borrow_as::<$t>(&array) {
                return Ok((Held::$variant(ro), dims));
            })*
        };
    }
    try_borrow!(f32 => F32, f64 => F64, i32 => I32, i64 => I64, i16 => I16, i8 => I8,
                u8 => U8, u16 => U16, u32 => U32, u64 => U64);
    let (values, dims) = owned_values(py, &array)?;
    Ok((Held::Owned(values), dims))
}

impl Held<'_> {
    /// Element type of the values (for write's default datyp and nbits).
    pub(crate) fn element_type(&self) -> ElementType {
        match self {
            Held::F32(_) => ElementType::F32,
            Held::F64(_) => ElementType::F64,
            Held::I8(_) => ElementType::I8,
            Held::I16(_) => ElementType::I16,
            Held::I32(_) => ElementType::I32,
            Held::I64(_) => ElementType::I64,
            Held::U8(_) => ElementType::U8,
            Held::U16(_) => ElementType::U16,
            Held::U32(_) => ElementType::U32,
            Held::U64(_) => ElementType::U64,
            Held::Owned(v) => v.element_type(),
        }
    }

    /// Bytes of the values.
    pub(crate) fn bytes(&self) -> usize {
        let n = |len: usize, size: usize| len * size;
        match self {
            Held::F32(a) => n(a.len(), 4),
            Held::F64(a) => n(a.len(), 8),
            Held::I8(a) => a.len(),
            Held::I16(a) => n(a.len(), 2),
            Held::I32(a) => n(a.len(), 4),
            Held::I64(a) => n(a.len(), 8),
            Held::U8(a) => a.len(),
            Held::U16(a) => n(a.len(), 2),
            Held::U32(a) => n(a.len(), 4),
            Held::U64(a) => n(a.len(), 8),
            Held::Owned(v) => v.as_bytes().len(),
        }
    }

    /// The core's view; `chars` stores uint8 as characters (datyp 3 or 7). A buffer
    /// that stopped being contiguous (it cannot while borrowed) gives no values, which
    /// the writer refuses as a length error.
    pub(crate) fn data(&self, chars: bool) -> Data<'_> {
        match self {
            Held::F32(a) => Data::F32(a.as_slice().unwrap_or(&[])),
            Held::F64(a) => Data::F64(a.as_slice().unwrap_or(&[])),
            Held::I8(a) => Data::I8(a.as_slice().unwrap_or(&[])),
            Held::I16(a) => Data::I16(a.as_slice().unwrap_or(&[])),
            Held::I32(a) => Data::I32(a.as_slice().unwrap_or(&[])),
            Held::I64(a) => Data::I64(a.as_slice().unwrap_or(&[])),
            Held::U8(a) if chars => Data::Chars(a.as_slice().unwrap_or(&[])),
            Held::U8(a) => Data::U8(a.as_slice().unwrap_or(&[])),
            Held::U16(a) => Data::U16(a.as_slice().unwrap_or(&[])),
            Held::U32(a) => Data::U32(a.as_slice().unwrap_or(&[])),
            Held::U64(a) => Data::U64(a.as_slice().unwrap_or(&[])),
            Held::Owned(v) => writer_data(v, chars),
        }
    }
}
