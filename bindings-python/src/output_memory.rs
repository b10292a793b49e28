//! The one allocation policy for the numpy arrays the decoders fill: `File.read`,
//! `read_many`'s blocks and the xarray loads all take their memory from [`empty`].
//!
//! - `numpy.empty` (the allocator can hand back memory a freed array held; `read_many`'s
//!   blocks are kept for its next call by [`crate::output_pool`], since glibc unmaps
//!   freed blocks this large and each batch then faulted fresh pages in);
//! - without numpy's huge-page hint: numpy asks for transparent huge pages for arrays of
//!   4 MiB or more, overriding the host's `madvise` setting; on the bench host (a VM whose
//!   free memory the hypervisor reclaims) a fresh huge page cost 3–6 ms, 3× to 7× the
//!   4 KiB pages of the same bytes. Hosts set to `always` still get huge pages;
//! - then the array's pages are populated in one system call
//!   ([`fst24::populate_pages`]) before the decoders write them.

use numpy::{PyArray1, PyArrayDescr, PyArrayDescrMethods, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

use crate::errors::usage;

/// `numpy.empty`, looked up once per process.
static NUMPY_EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// numpy's switch of its huge-page hint (`_set_madvise_hugepage`; `None` when this numpy
/// has none), looked up once per process.
static HUGEPAGE_SWITCH: PyOnceLock<Option<Py<PyAny>>> = PyOnceLock::new();

/// numpy hints huge pages from this size on.
const NUMPY_HUGEPAGE_BYTES: usize = 4 << 20;

fn hugepage_switch(py: Python<'_>) -> Option<&Bound<'_, PyAny>> {
    HUGEPAGE_SWITCH
        .get_or_init(py, || {
            ["numpy._core.multiarray", "numpy.core.multiarray"]
                .iter()
                .find_map(|m| {
                    let module = py.import(*m).ok()?;
                    module.getattr("_set_madvise_hugepage").ok()
                })
                .map(Bound::unbind)
        })
        .as_ref()
        .map(|f| f.bind(py))
}

/// An uninitialised array of `shape` and `dtype` (Fortran order when `fortran`, else C),
/// allocated by the policy above, for a decoder to fill.
pub(crate) fn empty<'py>(
    py: Python<'py>,
    shape: &[usize],
    dtype: &Bound<'py, PyArrayDescr>,
    fortran: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = shape
        .iter()
        .try_fold(dtype.itemsize(), |acc, &n| acc.checked_mul(n))
        .ok_or_else(|| usage(format!("shape {shape:?} overflows")))?;
    let order = if fortran { "F" } else { "C" };
    let numpy_empty = NUMPY_EMPTY.import(py, "numpy", "empty")?;
    if bytes < NUMPY_HUGEPAGE_BYTES {
        return numpy_empty.call1((PyTuple::new(py, shape)?, dtype, order));
    }
    let flat = populated_bytes(py, bytes)?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("order", order)?;
    flat.call_method1("view", (dtype,))?.call_method(
        "reshape",
        (PyTuple::new(py, shape)?,),
        Some(&kwargs),
    )
}

/// An uninitialised `uint8` array of `len` bytes, allocated by the policy above, that owns
/// its memory: views made of it (`numpy.ndarray(buffer=...)`) have it as their `base`.
pub(crate) fn bytes(py: Python<'_>, len: usize) -> PyResult<Bound<'_, PyArray1<u8>>> {
    if len < NUMPY_HUGEPAGE_BYTES {
        let numpy_empty = NUMPY_EMPTY.import(py, "numpy", "empty")?;
        return Ok(numpy_empty
            .call1((len, numpy::dtype::<u8>(py)))?
            .cast_into::<PyArray1<u8>>()?);
    }
    populated_bytes(py, len)
}

/// `len` (≥ 4 MiB) bytes from `numpy.empty` without the huge-page hint, pages populated.
fn populated_bytes(py: Python<'_>, len: usize) -> PyResult<Bound<'_, PyArray1<u8>>> {
    let numpy_empty = NUMPY_EMPTY.import(py, "numpy", "empty")?;
    let flat = without_hugepage_hint(py, || numpy_empty.call1((len, numpy::dtype::<u8>(py))))?
        .cast_into::<PyArray1<u8>>()?;
    {
        let mut guard = flat.readwrite();
        let buf = guard
            .as_slice_mut()
            .map_err(|e| usage(format!("internal: fresh output: {e}")))?;
        py.detach(|| fst24::populate_pages(buf));
    }
    Ok(flat)
}

/// Runs `f` (an allocation) with numpy's huge-page hint off, then restores it. The GIL
/// is held throughout, so no other Python thread allocates in between.
fn without_hugepage_hint<'py, T>(py: Python<'py>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let Some(switch) = hugepage_switch(py) else {
        return f();
    };
    let previous = switch.call1((false,))?;
    let result = f();
    switch.call1((previous,))?;
    result
}
