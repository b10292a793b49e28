//! Python extension `fst24._fst24`: thin wrappers converting arguments, calling the `fst24`
//! core and wrapping results (numpy arrays, Arrow tables). The public API is the pure-Python
//! package `fst24`, which re-exports these.

mod arrays;
mod cli;
mod dataset;
mod decode_into;
mod errors;
mod file;
mod filelike;
mod memory;
mod packed;
mod query;
mod record;
mod table;
mod write_values;
mod writer;

use std::path::PathBuf;

use pyo3::prelude::*;

use fst24::table::{Table, TableOptions};
use fst24::{OpenOptions, SourceKind};

/// Opens `path`: mode "r" gives a read-only File, "w" (new file) or "a" (append) a Writer;
/// `backend` ("rsf" or "xdf") chooses a new file's format, else `FST_OPTIONS`, else XDF;
/// `recover` (mode "r") lists the intact records of a file whose directory is unusable.
/// `parallel` (RSF): several writers (threads, processes) append to one file at once,
/// each reserving `segment_size_mb` MiB (else `FST_OPTIONS` `SEGMENT_SIZE_MB`, else 1000).
#[pyfunction]
#[pyo3(signature = (path, mode="r", backend=None, recover=false, *, parallel=false, segment_size_mb=None))]
fn open(
    py: Python<'_>,
    path: PathBuf,
    mode: &str,
    backend: Option<&str>,
    recover: bool,
    parallel: bool,
    segment_size_mb: Option<u64>,
) -> PyResult<Py<PyAny>> {
    if mode.starts_with('r') {
        if backend.is_some() || parallel || segment_size_mb.is_some() {
            return Err(errors::usage(
                "backend=, parallel= and segment_size_mb= only apply to mode \"w\" or \"a\"",
            ));
        }
        return Ok(Py::new(py, file::PyFile::open(py, path, mode, recover)?)?.into_any());
    }
    if recover {
        return Err(errors::usage("recover= only applies to mode \"r\""));
    }
    let w = writer::PyWriter::open(py, path, mode, backend, parallel, segment_size_mb)?;
    Ok(Py::new(py, w)?.into_any())
}

/// Makes a file a crashed or disk-full writer left behind appendable again, keeping every
/// record it had flushed; returns what was done. Run it when no writer has the file open.
#[pyfunction]
fn repair(py: Python<'_>, path: PathBuf) -> PyResult<Py<PyAny>> {
    let report = py
        .detach(|| fst24::writer::repair(&path))
        .map_err(|e| errors::to_py(file::with_path(e, &path)))?;
    let d = pyo3::types::PyDict::new(py);
    d.set_item("backend", report.backend.map(|b| b.to_string()))?;
    d.set_item("truncated_bytes", report.truncated_bytes)?;
    d.set_item("write_flag", report.write_flag)?;
    d.set_item("fillers", report.fillers)?;
    let removed: Vec<String> = report
        .removed_temporaries
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    d.set_item("removed_temporaries", removed)?;
    d.set_item("changed", report.changed())?;
    Ok(d.into_any().unbind())
}

/// The metadata table of several files (opened in parallel, GIL released) as an Arrow object.
#[pyfunction]
#[pyo3(signature = (paths, decoded=true))]
fn _read_metadata(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    decoded: bool,
) -> PyResult<table::ArrowTable> {
    let mut open = OpenOptions::default();
    open.limits.max_alloc_bytes = memory::limit();
    // Only the directory is read: positional reads beat mapping a large file.
    open.source = SourceKind::Pread;
    let mut options = TableOptions::default();
    options.decoded = decoded;
    let result = py.detach(|| {
        Table::open_paths(&paths, open, &options)
            .map(|t| table::to_batch(t).map_err(|e| e.to_string()))
    });
    match result.map_err(errors::to_py)? {
        Ok(batch) => Ok(table::ArrowTable::new(batch)),
        Err(message) => Err(errors::usage(message)),
    }
}

#[pymodule]
fn _fst24(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<file::PyFile>()?;
    m.add_class::<record::PyRecord>()?;
    m.add_class::<table::ArrowTable>()?;
    m.add_class::<writer::PyWriter>()?;
    m.add_function(wrap_pyfunction!(open, m)?)?;
    m.add_function(wrap_pyfunction!(repair, m)?)?;
    m.add_function(wrap_pyfunction!(cli::cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(_read_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(dataset::_plan, m)?)?;
    m.add_function(wrap_pyfunction!(dataset::_read_records, m)?)?;
    m.add_function(wrap_pyfunction!(filelike::_open_filelike, m)?)?;
    m.add_function(wrap_pyfunction!(packed::_record_layout, m)?)?;
    m.add_function(wrap_pyfunction!(packed::_decode_packed, m)?)?;
    m.add_function(wrap_pyfunction!(memory::set_memory_limit, m)?)?;
    m.add_function(wrap_pyfunction!(memory::get_memory_limit, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
