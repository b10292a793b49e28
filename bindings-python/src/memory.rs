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

/// Raises `LimitError` when a read would allocate `bytes` past the limit.
pub(crate) fn check(bytes: u64, key: Option<usize>) -> PyResult<()> {
    let max = limit();
    if bytes <= max {
        return Ok(());
    }
    let what = key.map_or_else(|| "this read".to_owned(), |k| format!("record {k}"));
    Err(crate::errors::limit(format!(
        "{what} needs {bytes} bytes of decoded data, above the memory limit of {max} bytes \
         (see fst24.set_memory_limit)"
    )))
}

/// Sets the largest number of bytes one read may allocate (`None` restores the default).
#[pyfunction]
#[pyo3(signature = (limit))]
pub(crate) fn set_memory_limit(limit: Option<u64>) -> PyResult<()> {
    match limit {
        Some(0) => Err(crate::errors::usage("the memory limit must be positive")),
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
