//! Maps core errors onto the exception classes of `fst24/errors.py`.
//!
//! The classes live in Python so they can inherit from both `fst24.Error` and a builtin
//! (`OSError`, `ValueError`, `MemoryError`); Rust only looks them up and raises them.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static ERRORS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The exception class `name` of `fst24.errors`.
fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let module = ERRORS.get_or_try_init(py, || {
        py.import("fst24.errors").map(|m| m.into_any().unbind())
    })?;
    Ok(module.bind(py).getattr(name)?.cast_into::<PyType>()?)
}

/// Builds the exception of class `name` with `message`.
pub(crate) fn raise(py: Python<'_>, name: &str, message: String) -> PyErr {
    match class(py, name) {
        Ok(cls) => PyErr::from_type(cls, message),
        Err(e) => e,
    }
}

/// Converts a core error into the matching Python exception.
pub(crate) fn to_py(e: fst24::Error) -> PyErr {
    let name = match &e {
        fst24::Error::Io(_) => "IoError",
        fst24::Error::Format(_) => "FormatError",
        fst24::Error::Unsupported(_) => "UnsupportedError",
        fst24::Error::Limits(_) => "LimitError",
        fst24::Error::Usage(_) => "UsageError",
        _ => "Error",
    };
    let mut message = e.to_string();
    if let fst24::Error::Limits(l) = &e {
        if l.limit != 0 && l.what != "directory entries" && l.what != "extended metadata bytes" {
            message.push_str(" (the memory limit: see fst24.set_memory_limit)");
        }
    }
    Python::attach(|py| raise(py, name, message))
}

/// A `UsageError` with `message`.
pub(crate) fn usage(message: impl Into<String>) -> PyErr {
    Python::attach(|py| raise(py, "UsageError", message.into()))
}

/// A `LimitError` with `message`.
pub(crate) fn limit(message: impl Into<String>) -> PyErr {
    Python::attach(|py| raise(py, "LimitError", message.into()))
}
