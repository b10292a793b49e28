//! Files read through a Python file-like object (an fsspec file over HTTP, S3, ...).
//!
//! The core reads through [`ReadAt`]; this source turns each positional read into
//! `seek` + `read` calls on the Python object under a lock (file objects keep one
//! cursor), taking the GIL only for those calls. Caching and request sizes are the
//! object's business (fsspec's block cache): the core only asks for what it needs.

use std::io;
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

/// Opens the standard file read through `object` (binary, seekable: `seek`, `read`);
/// `name` labels it in errors, tables and reprs (its URL). Only the directory is read.
#[pyfunction]
pub(crate) fn _open_filelike(py: Python<'_>, object: Py<PyAny>, name: String) -> PyResult<PyFile> {
    let source = PyReadAt::new(py, object)?;
    let mut limits = fst24::Limits::default();
    limits.max_alloc_bytes = memory::limit();
    let opened = py.detach(|| fst24::File::from_source(Arc::new(source), limits));
    let file = opened.map_err(|e| crate::errors::in_file(&name, e))?;
    Ok(PyFile::from_core(file, name))
}
