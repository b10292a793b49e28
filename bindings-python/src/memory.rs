//! `fst24.set_memory_limit`: a process-wide ceiling on what one read may allocate.

use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::prelude::*;

static LIMIT: AtomicU64 = AtomicU64::new(0);

/// The limit in bytes (core's default until set).
pub(crate) fn limit() -> u64 {
    match LIMIT.load(Ordering::Relaxed) {
        0 => fst24::Limits::default().max_alloc_bytes,
        n => n,
    }
}

/// Raises `LimitError` when a read of `file` would allocate `bytes` past the limit.
pub(crate) fn check(file: Option<&fst24::File>, bytes: u64, key: Option<usize>) -> PyResult<()> {
    let max = limit();
    if bytes <= max {
        return Ok(());
    }
    let mut what = key.map_or_else(|| "this read".to_owned(), |k| format!("record {k}"));
    if let Some(p) = file.and_then(|f| f.path()) {
        what = format!("{}: {what}", p.display());
    }
    Err(crate::errors::limit(format!(
        "{what} needs {bytes} bytes of decoded data, above the memory limit of {max} bytes \
         (see fst24.set_memory_limit)"
    )))
}

/// Sets the largest number of bytes one read may allocate (`None` restores the default).
#[pyfunction]
#[pyo3(signature = (limit))]
pub(crate) fn set_memory_limit(limit: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let bad = || {
        crate::errors::usage(format!(
            "the memory limit must be a positive number of bytes below 2**64, or None; got {}",
            limit.map_or_else(|| "None".to_owned(), std::string::ToString::to_string)
        ))
    };
    let limit = match limit {
        None => None,
        Some(l) if l.is_instance_of::<pyo3::types::PyBool>() => return Err(bad()),
        Some(l) => Some(l.extract::<u64>().map_err(|_| bad())?),
    };
    match limit {
        Some(0) => Err(bad()),
        Some(n) => {
            LIMIT.store(n, Ordering::Relaxed);
            Ok(())
        }
        None => {
            LIMIT.store(0, Ordering::Relaxed);
            Ok(())
        }
    }
}

/// The current per-read memory limit in bytes.
#[pyfunction]
pub(crate) fn get_memory_limit() -> u64 {
    limit()
}
