//! Decoding straight into numpy memory: the output arrays are allocated (or supplied by the
//! caller) while the GIL is held, then filled by the parallel decoders with the GIL released.
//!
//! The values are written once, in place: `File.read` decodes into a fresh array and
//! `read_many` carves its outputs out of a few large blocks (see `BLOCK_BYTES`), all
//! allocated by the binding's one policy ([`output_memory::empty`]); `read_many`'s blocks
//! are reused by later calls once their arrays are dropped ([`output_pool`]).

use std::sync::Arc;

use numpy::{Element, PyArrayDyn, PyArrayMethods, PyReadwriteArrayDyn, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

use fst24::{output_len, DecodeOptions, ElementType, OutSlice, RecordHeader};

use crate::arrays;
use crate::errors::{for_file, usage};
use crate::output_memory;
use crate::output_pool;

/// Element types numpy holds natively and that decode one scalar per grid point.
fn direct(header: &RecordHeader) -> Option<ElementType> {
    let et = header.element_type()?;
    let numeric = matches!(
        et,
        ElementType::F32
            | ElementType::F64
            | ElementType::I8
            | ElementType::I16
            | ElementType::I32
            | ElementType::I64
            | ElementType::U8
            | ElementType::U16
            | ElementType::U32
            | ElementType::U64
    );
    // Binary and complex records fill a different number of scalars than grid points.
    (numeric && output_len(header) == header.num_values()).then_some(et)
}

/// A numpy array borrowed for writing, of one of the [`direct`] element types.
enum Target<'py> {
    F32(PyReadwriteArrayDyn<'py, f32>),
    F64(PyReadwriteArrayDyn<'py, f64>),
    I8(PyReadwriteArrayDyn<'py, i8>),
    I16(PyReadwriteArrayDyn<'py, i16>),
    I32(PyReadwriteArrayDyn<'py, i32>),
    I64(PyReadwriteArrayDyn<'py, i64>),
    U8(PyReadwriteArrayDyn<'py, u8>),
    U16(PyReadwriteArrayDyn<'py, u16>),
    U32(PyReadwriteArrayDyn<'py, u32>),
    U64(PyReadwriteArrayDyn<'py, u64>),
}

/// The Rust element types of [`Target`]'s variants.
trait Direct: Element {
    fn wrap(rw: PyReadwriteArrayDyn<'_, Self>) -> Target<'_>;
}

macro_rules! direct_types {
    ($($t:ty => $v:ident),*) => {
        $(impl Direct for $t {
            fn wrap(rw: PyReadwriteArrayDyn<'_, Self>) -> Target<'_> {
                Target::$v(rw)
            }
        })*
    };
}
direct_types!(f32 => F32, f64 => F64, i8 => I8, i16 => I16, i32 => I32, i64 => I64,
    u8 => U8, u16 => U16, u32 => U32, u64 => U64);

/// Calls `$f::<T>($args)` with `T` the Rust type of element type `$et`, else `$other`.
macro_rules! with_type {
    ($et:expr, $f:ident($($arg:expr),*), $other:expr) => {
        match $et {
            ElementType::F32 => $f::<f32>($($arg),*),
            ElementType::F64 => $f::<f64>($($arg),*),
            ElementType::I8 => $f::<i8>($($arg),*),
            ElementType::I16 => $f::<i16>($($arg),*),
            ElementType::I32 => $f::<i32>($($arg),*),
            ElementType::I64 => $f::<i64>($($arg),*),
            ElementType::U8 => $f::<u8>($($arg),*),
            ElementType::U16 => $f::<u16>($($arg),*),
            ElementType::U32 => $f::<u32>($($arg),*),
            ElementType::U64 => $f::<u64>($($arg),*),
            _ => $other,
        }
    };
}

/// An uninitialised Fortran-order array of shape `dims` ([`output_memory::empty`]): every
/// value is written by the decoder before the caller sees it, so zero-filling here (a
/// serial memset while holding the GIL) would be wasted.
fn alloc<'py, T: Direct>(
    py: Python<'py>,
    dims: &[usize],
) -> PyResult<(Target<'py>, Bound<'py, PyAny>)> {
    let array = output_memory::empty(py, dims, &numpy::dtype::<T>(py), true)?;
    let typed = array.cast::<PyArrayDyn<T>>()?;
    Ok((T::wrap(typed.readwrite()), array))
}

/// Borrows a caller's array for writing if its dtype is `T` (`None` otherwise).
fn borrow<'py, T: Direct>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Target<'py>>> {
    let Ok(a) = obj.cast::<PyArrayDyn<T>>() else {
        return Ok(None);
    };
    check_layout(a)?;
    let rw = a
        .try_readwrite()
        .map_err(|e| usage(format!("out array cannot be written: {e}")))?;
    Ok(Some(T::wrap(rw)))
}

impl Target<'_> {
    /// The writable slice, in the record's (Fortran) order.
    fn out(&mut self) -> PyResult<OutSlice<'_>> {
        let bad = |e: numpy::AsSliceError| usage(format!("out array is not contiguous: {e}"));
        Ok(match self {
            Target::F32(a) => OutSlice::F32(a.as_slice_mut().map_err(bad)?),
            Target::F64(a) => OutSlice::F64(a.as_slice_mut().map_err(bad)?),
            Target::I8(a) => OutSlice::I8(a.as_slice_mut().map_err(bad)?),
            Target::I16(a) => OutSlice::I16(a.as_slice_mut().map_err(bad)?),
            Target::I32(a) => OutSlice::I32(a.as_slice_mut().map_err(bad)?),
            Target::I64(a) => OutSlice::I64(a.as_slice_mut().map_err(bad)?),
            Target::U8(a) => OutSlice::U8(a.as_slice_mut().map_err(bad)?),
            Target::U16(a) => OutSlice::U16(a.as_slice_mut().map_err(bad)?),
            Target::U32(a) => OutSlice::U32(a.as_slice_mut().map_err(bad)?),
            Target::U64(a) => OutSlice::U64(a.as_slice_mut().map_err(bad)?),
        })
    }
}

/// A caller's array must lay values out in the record's order: `i` fastest.
fn check_layout<T: Element>(a: &Bound<'_, PyArrayDyn<T>>) -> PyResult<()> {
    if a.ndim() > 1 && !a.is_fortran_contiguous() {
        return Err(usage(
            "out arrays with more than one dimension must be Fortran-ordered \
             (numpy.empty(shape, dtype, order=\"F\")), as fst24.File.read returns them",
        ));
    }
    Ok(())
}

/// `numpy.ndarray`, looked up once per process.
static NUMPY_NDARRAY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Decodes the record at `key` into a new numpy array, with the GIL released.
pub(crate) fn read_one<'py>(
    py: Python<'py>,
    file: &Arc<fst24::File>,
    key: usize,
    options: &DecodeOptions,
) -> PyResult<Bound<'py, PyAny>> {
    let header = &file.record(key).map_err(for_file(file))?.header;
    if let (Some(et), Some(dims)) = (direct(header), header_dims(header)) {
        // Limits and the packed-size floor are checked before numpy allocates.
        file.check_read(key, Some(et)).map_err(for_file(file))?;
        let dims = arrays::shape(dims);
        let (mut target, array) = with_type!(et, alloc(py, &dims), unreachable_type())?;
        let out = target.out()?;
        py.detach(|| file.read_into(key, out, options))
            .map_err(for_file(file))?;
        return Ok(array);
    }
    let decoded = py
        .detach(|| file.read_with(key, options))
        .map_err(for_file(file))?;
    arrays::to_numpy(py, decoded)
}

/// `read_many` carves its outputs out of blocks of at most this many bytes: one allocation
/// and one page population per block rather than per record; the cap bounds how much
/// memory one array kept from a call holds alive. Blocks are kept for the next call
/// ([`output_pool`]) once all their arrays are gone.
const BLOCK_BYTES: usize = 32 << 20;

/// Start of each output inside its block (cache line; more than any element needs).
const ALIGN: usize = 64;

/// Where one record's output goes.
struct Slot {
    key: usize,
    et: ElementType,
    dims: Vec<usize>,
    block: usize,
    offset: usize,
    bytes: usize,
}

/// Cuts a block into the `&mut` slices of its slots (in offset order) as decoder outputs.
fn carve<'a>(mut rest: &'a mut [u8], slots: &[&Slot]) -> PyResult<Vec<(usize, OutSlice<'a>)>> {
    let mut at = 0;
    let mut jobs = Vec::with_capacity(slots.len());
    let internal = || usage("internal: output block layout");
    for slot in slots {
        let skip = slot.offset.checked_sub(at).ok_or_else(internal)?;
        let (_, tail) = rest.split_at_mut_checked(skip).ok_or_else(internal)?;
        let (mine, tail) = tail.split_at_mut_checked(slot.bytes).ok_or_else(internal)?;
        rest = tail;
        at = slot.offset + slot.bytes;
        if slot.bytes == 0 {
            jobs.push((slot.key, empty_out(slot.et).ok_or_else(internal)?));
            continue;
        }
        jobs.push((slot.key, typed_out(slot.et, mine)?));
    }
    Ok(jobs)
}

/// Raw output bytes as the decoder's slice for element type `et` (complex values as
/// scalar pairs, characters as bytes, words as `u32`); a usage error when the bytes are
/// misaligned or not a whole number of elements.
pub(crate) fn typed_out(et: ElementType, bytes: &mut [u8]) -> PyResult<OutSlice<'_>> {
    fn cast<T: bytemuck::Pod>(bytes: &mut [u8]) -> PyResult<&mut [T]> {
        bytemuck::try_cast_slice_mut(bytes)
            .map_err(|e| usage(format!("output buffer does not fit its element type: {e}")))
    }
    if bytes.is_empty() {
        return empty_out(et).ok_or_else(|| usage("internal: output element type"));
    }
    Ok(match et {
        ElementType::F32 => OutSlice::F32(cast(bytes)?),
        ElementType::C64 => OutSlice::C64(cast(bytes)?),
        ElementType::F64 => OutSlice::F64(cast(bytes)?),
        ElementType::C128 => OutSlice::C128(cast(bytes)?),
        ElementType::I8 => OutSlice::I8(cast(bytes)?),
        ElementType::I16 => OutSlice::I16(cast(bytes)?),
        ElementType::I32 => OutSlice::I32(cast(bytes)?),
        ElementType::I64 => OutSlice::I64(cast(bytes)?),
        ElementType::U8 => OutSlice::U8(bytes),
        ElementType::Char => OutSlice::Chars(bytes),
        ElementType::U16 => OutSlice::U16(cast(bytes)?),
        ElementType::U32 => OutSlice::U32(cast(bytes)?),
        ElementType::Word => OutSlice::Words(cast(bytes)?),
        ElementType::U64 => OutSlice::U64(cast(bytes)?),
        _ => return Err(usage("internal: output element type")),
    })
}

/// An empty destination of element type `et` (a record with no values).
fn empty_out(et: ElementType) -> Option<OutSlice<'static>> {
    Some(match et {
        ElementType::F32 => OutSlice::F32(&mut []),
        ElementType::F64 => OutSlice::F64(&mut []),
        ElementType::C64 => OutSlice::C64(&mut []),
        ElementType::C128 => OutSlice::C128(&mut []),
        ElementType::Char => OutSlice::Chars(&mut []),
        ElementType::Word => OutSlice::Words(&mut []),
        ElementType::I8 => OutSlice::I8(&mut []),
        ElementType::I16 => OutSlice::I16(&mut []),
        ElementType::I32 => OutSlice::I32(&mut []),
        ElementType::I64 => OutSlice::I64(&mut []),
        ElementType::U8 => OutSlice::U8(&mut []),
        ElementType::U16 => OutSlice::U16(&mut []),
        ElementType::U32 => OutSlice::U32(&mut []),
        ElementType::U64 => OutSlice::U64(&mut []),
        _ => return None,
    })
}

/// The numpy dtype of element type `et` (one of [`direct`]'s).
fn dtype<'py>(py: Python<'py>, et: ElementType) -> PyResult<Bound<'py, numpy::PyArrayDescr>> {
    fn of<T: Element>(py: Python<'_>) -> PyResult<Bound<'_, numpy::PyArrayDescr>> {
        Ok(numpy::dtype::<T>(py))
    }
    with_type!(et, of(py), unreachable_type())
}

/// Decodes the records at `keys` into new numpy arrays, in parallel with the GIL released.
/// Numeric records are decoded in place into views of a few large numpy blocks (see
/// [`BLOCK_BYTES`]); binary, complex and character records take the copying path.
pub(crate) fn read_many<'py>(
    py: Python<'py>,
    file: &Arc<fst24::File>,
    keys: &[usize],
    options: &DecodeOptions,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut slots: Vec<Option<Slot>> = Vec::with_capacity(keys.len());
    let mut block_lens: Vec<usize> = Vec::new();
    let mut other_keys = Vec::new();
    let too_big = || usage("decoded batch does not fit in memory");
    for &k in keys {
        let header = &file.record(k).map_err(for_file(file))?.header;
        let (Some(et), Some(dims)) = (direct(header), header_dims(header)) else {
            other_keys.push(k);
            slots.push(None);
            continue;
        };
        file.check_read(k, Some(et)).map_err(for_file(file))?;
        let bytes = usize::try_from(header.num_values())
            .ok()
            .and_then(|n| n.checked_mul(et.size()))
            .ok_or_else(too_big)?;
        let start = match block_lens.last() {
            Some(&len) if len > 0 && len.saturating_add(bytes) > BLOCK_BYTES => None,
            Some(&len) => Some(len.checked_next_multiple_of(ALIGN).ok_or_else(too_big)?),
            None => None,
        };
        let offset = match start {
            Some(offset) => offset,
            None => {
                block_lens.push(0);
                0
            }
        };
        let block = block_lens.len() - 1;
        block_lens[block] = offset.checked_add(bytes).ok_or_else(too_big)?;
        slots.push(Some(Slot {
            key: k,
            et,
            dims: arrays::shape(dims),
            block,
            offset,
            bytes,
        }));
    }
    let blocks = output_pool::blocks(py, &block_lens)?;
    let mut guards = blocks
        .iter()
        .map(|b| {
            b.try_readwrite()
                .map_err(|e| usage(format!("internal: output block: {e}")))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let mut jobs = Vec::with_capacity(keys.len());
    for (i, guard) in guards.iter_mut().enumerate() {
        let mine: Vec<&Slot> = slots.iter().flatten().filter(|s| s.block == i).collect();
        let bytes = guard
            .as_slice_mut()
            .map_err(|e| usage(format!("internal: output block: {e}")))?;
        jobs.extend(carve(bytes, &mine)?);
    }
    let (filled, others) = py.detach(|| {
        (
            file.read_many_into(jobs, options),
            file.read_many(&other_keys, options),
        )
    });
    drop(guards);
    for r in filled {
        r.map_err(for_file(file))?;
    }
    let mut others = others.into_iter();
    // One call per record: numpy.ndarray(shape, dtype, buffer=block, offset, order="F").
    let ndarray = NUMPY_NDARRAY.import(py, "numpy", "ndarray")?;
    slots
        .into_iter()
        .map(|slot| match slot {
            // A view must cover exactly its own bytes, never a neighbour's.
            Some(slot) if slot.dims.iter().product::<usize>() * slot.et.size() != slot.bytes => {
                Err(usage("internal: output shape does not match its bytes"))
            }
            Some(slot) => ndarray.call1((
                PyTuple::new(py, &slot.dims)?,
                dtype(py, slot.et)?,
                &blocks[slot.block],
                slot.offset,
                py.None(),
                "F",
            )),
            None => {
                let decoded = others
                    .next()
                    .ok_or_else(|| usage("internal: fewer decoded records than requested"))?;
                arrays::to_numpy(py, decoded.map_err(for_file(file))?)
            }
        })
        .collect()
}

/// Decodes the records at `keys` into the caller's arrays `outs` (one per key, of the
/// record's element type and number of values), in parallel with the GIL released.
pub(crate) fn read_into(
    py: Python<'_>,
    file: &Arc<fst24::File>,
    keys: &[usize],
    outs: &[Bound<'_, PyAny>],
    options: &DecodeOptions,
) -> PyResult<()> {
    if keys.len() != outs.len() {
        return Err(usage(format!(
            "{} records but {} out arrays",
            keys.len(),
            outs.len()
        )));
    }
    let mut targets = Vec::with_capacity(keys.len());
    for (&k, obj) in keys.iter().zip(outs) {
        let header = &file.record(k).map_err(for_file(file))?.header;
        let et = direct(header).ok_or_else(|| {
            usage(format!(
                "record {k} (datyp {}) cannot be decoded into an array; use File.read",
                header.datyp.raw()
            ))
        })?;
        let target = with_type!(et, borrow(obj), Ok(None))?.ok_or_else(|| {
            usage(format!(
                "record {k} decodes to {}; the out array has another dtype",
                numpy_name(et)
            ))
        })?;
        targets.push(target);
    }
    let jobs = keys
        .iter()
        .zip(targets.iter_mut())
        .map(|(&k, t)| Ok((k, t.out()?)))
        .collect::<PyResult<Vec<_>>>()?;
    let results = py.detach(|| file.read_many_into(jobs, options));
    results
        .into_iter()
        .try_for_each(|r| r.map_err(for_file(file)))
}

/// [`direct`] only admits the types [`with_type`] lists.
fn unreachable_type<T>() -> PyResult<T> {
    Err(usage("internal: element type without a numpy array path"))
}

/// `(ni, nj, nk)` as sizes, `None` if they do not fit (never on 64-bit targets).
fn header_dims(h: &RecordHeader) -> Option<[usize; 3]> {
    Some([
        usize::try_from(h.ni).ok()?,
        usize::try_from(h.nj).ok()?,
        usize::try_from(h.nk).ok()?,
    ])
}

/// numpy's name of an element type, for error messages.
fn numpy_name(et: ElementType) -> &'static str {
    crate::dataset::dtype_name(et).unwrap_or("a type numpy does not hold directly")
}
