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
mod output_memory;
mod output_pool;
mod packed;
mod query;
mod record;
mod reduce;
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
    let writer_only = backend.is_some() || parallel || segment_size_mb.is_some();
    match mode {
        "r" | "rb" if writer_only => Err(errors::usage(
            "backend=, parallel= and segment_size_mb= only apply to mode \"w\" or \"a\"",
        )),
        "r" | "rb" => Ok(Py::new(py, file::PyFile::open(py, path, mode, recover)?)?.into_any()),
        "w" | "wb" | "a" | "ab" if recover => {
            Err(errors::usage("recover= only applies to mode \"r\""))
        }
        "w" | "wb" | "a" | "ab" => {
            let w = writer::PyWriter::open(py, path, mode, backend, parallel, segment_size_mb)?;
            Ok(Py::new(py, w)?.into_any())
        }
        other => Err(bad_mode(other)),
    }
}

/// The error for a mode `open` does not know, listing the ones it does.
pub(crate) fn bad_mode(mode: &str) -> PyErr {
    errors::usage(format!(
        "invalid mode {mode:?}: use \"r\" to read, \"w\" to create a new file or \"a\" \
         to add records to a file (created when missing)"
    ))
}

/// Makes a file a crashed or disk-full writer left behind appendable again, keeping every
/// record it had flushed; returns what was done. Run it when no writer has the file open.
#[pyfunction]
fn repair(py: Python<'_>, path: PathBuf) -> PyResult<Py<PyAny>> {
    let report = py
        .detach(|| fst24::writer::repair(&path))
        .map_err(|e| errors::in_file(&path.to_string_lossy(), e))?;
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
        Table::open_paths_in_parts(&paths, open, &options)
            .map(|parts| table::to_batches(parts).map_err(|e| e.to_string()))
            .map_err(|e| (failing_path(&paths, open), e))
    });
    let result = result.map_err(|(path, e)| match path {
        Some(p) => errors::in_file(&p.to_string_lossy(), e),
        None => errors::to_py(e),
    });
    match result? {
        Ok(batches) => Ok(table::ArrowTable::from_batches(batches)),
        Err(message) => Err(errors::usage(message)),
    }
}

/// Which of `paths` fails to open (the table's error may not say): only run on failure.
fn failing_path(paths: &[PathBuf], open: OpenOptions) -> Option<&PathBuf> {
    match paths {
        [one] => Some(one),
        _ => paths
            .iter()
            .find(|p| fst24::File::open_with(p, open).is_err()),
    }
}

/// Whether the file at `path` starts like a standard file (XDF or RSF); unreadable or
/// short files are not.
#[pyfunction]
fn _looks_like_fst(path: PathBuf) -> bool {
    use std::io::Read;
    let mut prefix = [0u8; fst24::DETECT_LEN];
    std::fs::File::open(&path)
        .and_then(|mut f| f.read_exact(&mut prefix))
        .is_ok_and(|()| fst24::Backend::detect(&prefix).is_ok())
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
    m.add_function(wrap_pyfunction!(_looks_like_fst, m)?)?;
    m.add_function(wrap_pyfunction!(dataset::_plan, m)?)?;
    m.add_function(wrap_pyfunction!(dataset::_read_records, m)?)?;
    m.add_function(wrap_pyfunction!(dataset::_read_derived, m)?)?;
    m.add_function(wrap_pyfunction!(dataset::_deferred_coord, m)?)?;
    m.add_function(wrap_pyfunction!(filelike::_open_filelike, m)?)?;
    m.add_function(wrap_pyfunction!(packed::_record_layout, m)?)?;
    m.add_function(wrap_pyfunction!(packed::_decode_packed, m)?)?;
    m.add_function(wrap_pyfunction!(memory::set_memory_limit, m)?)?;
    m.add_function(wrap_pyfunction!(memory::get_memory_limit, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
