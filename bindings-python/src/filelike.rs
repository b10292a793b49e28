//! Files read through a Python file-like object (an fsspec file over HTTP, S3, ...).
//!
//! The core reads through [`ReadAt`]; this source turns each positional read into
//! `seek` + `read` calls on the Python object under a lock (file objects keep one
//! cursor), taking the GIL only for those calls. Caching and request sizes are the
//! object's business (fsspec's block cache): the core only asks for what it needs.
//!
//! A source that can fetch many byte ranges at once (`fst24.remote`'s URL files:
//! `prefetch(ranges)` fetches them concurrently and returns keys, `forget(keys)`
//! releases them) is a [`Prefetcher`]: reads of many records fetch each batch of
//! records in one concurrent round instead of one request after another.

use std::io;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::file::PyFile;
use crate::memory;

/// A seekable binary Python object seen as positional reads.
struct PyReadAt {
    object: Mutex<Py<PyAny>>,
    len: u64,
}

fn py_io(e: PyErr) -> io::Error {
    io::Error::other(e.to_string())
}

impl PyReadAt {
    fn new(py: Python<'_>, object: Py<PyAny>) -> PyResult<Self> {
        let len: u64 = object.bind(py).call_method1("seek", (0, 2))?.extract()?;
        Ok(PyReadAt {
            object: Mutex::new(object),
            len,
        })
    }
}

impl fst24::ReadAt for PyReadAt {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        if offset
            .checked_add(buf.len() as u64)
            .is_none_or(|end| end > self.len)
        {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let object = self
            .object
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Python::attach(|py| {
            let object = object.bind(py);
            object.call_method1("seek", (offset,)).map_err(py_io)?;
            let mut filled = 0;
            while filled < buf.len() {
                let chunk = object
                    .call_method1("read", (buf.len() - filled,))
                    .map_err(py_io)?;
                let bytes = chunk
                    .cast::<PyBytes>()
                    .map_err(|_| {
                        io::Error::other("read() of the file object did not return bytes")
                    })?
                    .as_bytes();
                if bytes.is_empty() || bytes.len() > buf.len() - filled {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                buf[filled..filled + bytes.len()].copy_from_slice(bytes);
                filled += bytes.len();
            }
            Ok(())
        })
    }
}

/// Largest sum of stored record sizes fetched ahead in one round, unless the object's
/// `batch_bytes` says otherwise: bounds the memory the fetched bytes take beside the
/// decoded arrays. A larger record is read on its own.
const PREFETCH_BATCH_BYTES: u64 = 64 << 20;

/// A file object that fetches byte ranges ahead (`prefetch`/`forget`, see the module).
pub(crate) struct Prefetcher(Py<PyAny>);

impl Prefetcher {
    /// Calls `read` on consecutive runs of positions in `keys`; before each run, the
    /// object fetches the run's records (at most its `batch_bytes`, else
    /// [`PREFETCH_BATCH_BYTES`]) concurrently, and releases them after, whether `read`
    /// succeeded or not.
    pub(crate) fn in_batches(
        &self,
        py: Python<'_>,
        file: &fst24::File,
        keys: &[usize],
        mut read: impl FnMut(Range<usize>) -> PyResult<()>,
    ) -> PyResult<()> {
        let budget = self
            .0
            .bind(py)
            .getattr("batch_bytes")
            .and_then(|v| v.extract::<u64>())
            .unwrap_or(PREFETCH_BATCH_BYTES);
        let mut start = 0;
        while start < keys.len() {
            let mut end = start;
            let mut ranges: Vec<(u64, u64)> = Vec::new();
            let mut bytes = 0u64;
            while end < keys.len() {
                let rec = file
                    .record(keys[end])
                    .map_err(crate::errors::for_file(file))?;
                let len = rec.stored_bytes();
                if bytes.saturating_add(len) > budget {
                    if ranges.is_empty() {
                        end += 1; // too large to fetch ahead: read alone, as without prefetch
                    }
                    break;
                }
                bytes += len;
                let offset = rec.file_offset();
                ranges.push((offset, offset.saturating_add(len)));
                end += 1;
            }
            let object = self.0.bind(py);
            let fetched = if ranges.is_empty() {
                None
            } else {
                Some(object.call_method1("prefetch", (ranges,))?)
            };
            let result = read(start..end);
            if let Some(fetched) = fetched {
                object.call_method1("forget", (fetched,))?;
            }
            result?;
            start = end;
        }
        Ok(())
    }
}

/// Opens the standard file read through `object` (binary, seekable: `seek`, `read`);
/// `name` labels it in errors, tables and reprs (its URL). Only the directory is read.
/// `prefetch`: the object fetches byte ranges ahead (see [`Prefetcher`]).
#[pyfunction]
#[pyo3(signature = (object, name, prefetch=false))]
pub(crate) fn _open_filelike(
    py: Python<'_>,
    object: Py<PyAny>,
    name: String,
    prefetch: bool,
) -> PyResult<PyFile> {
    let prefetcher = prefetch.then(|| Prefetcher(object.clone_ref(py)));
    let source = PyReadAt::new(py, object)?;
    let mut limits = fst24::Limits::default();
    limits.max_alloc_bytes = memory::limit();
    let opened = py.detach(|| fst24::File::from_source(Arc::new(source), limits));
    let file = opened.map_err(|e| crate::errors::in_file(&name, e))?;
    Ok(PyFile::from_core(file, name, prefetcher))
}
