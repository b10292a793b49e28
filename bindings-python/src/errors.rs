//! Maps core errors onto the exception classes of `fst24/errors.py`.
//!
//! The classes live in Python so they can inherit from both `fst24.Error` and a builtin
//! (`OSError`, `ValueError`, `MemoryError`); Rust only looks them up and raises them.
//! Every error that concerns a file names it: [`in_file`] is the one place that adds the
//! path (and, for OS errors, `errno` and `filename`) at the binding boundary.

use std::io::ErrorKind;

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

/// The fst24 class of an OS error kind and the errno it stands for when the OS gave none.
fn os_class(kind: ErrorKind) -> (&'static str, Option<i32>) {
    match kind {
        ErrorKind::NotFound => ("NotFoundError", Some(2)),
        ErrorKind::PermissionDenied => ("PermissionDeniedError", Some(13)),
        ErrorKind::AlreadyExists => ("ExistsError", Some(17)),
        ErrorKind::NotADirectory => ("NotDirectoryError", Some(20)),
        ErrorKind::IsADirectory => ("IsDirectoryError", Some(21)),
        _ => ("IoError", None),
    }
}

/// An OS error as `OSError(errno, strerror, filename)`: `errno` and `filename` set, and
/// `str()` naming the file.
pub(crate) fn os_error(py: Python<'_>, io: &std::io::Error, path: Option<&str>) -> PyErr {
    let (name, default_errno) = os_class(io.kind());
    let errno = io.raw_os_error().or(default_errno);
    let mut text = io.to_string();
    // The core may already have prefixed the path; `filename` carries it once.
    if let Some(p) = path {
        if let Some(rest) = text.strip_prefix(&format!("{p}: ")) {
            text = rest.to_owned();
        }
    }
    match class(py, name) {
        Ok(cls) => match (errno, path) {
            (Some(n), Some(p)) => PyErr::from_type(cls, (n, text, p.to_owned())),
            (Some(n), None) => PyErr::from_type(cls, (n, text)),
            (None, Some(p)) => PyErr::from_type(cls, format!("{p}: {text}")),
            (None, None) => PyErr::from_type(cls, text),
        },
        Err(e) => e,
    }
}

fn class_name(e: &fst24::Error) -> &'static str {
    match e {
        fst24::Error::Io(_) => "IoError",
        fst24::Error::Format(_) => "FormatError",
        fst24::Error::Unsupported(_) => "UnsupportedError",
        fst24::Error::Limits(_) => "LimitError",
        fst24::Error::Usage(_) => "UsageError",
        _ => "Error",
    }
}

/// The core refuses a directory as "not a regular file" (`InvalidInput`); Python callers
/// expect `IsADirectoryError` for it.
pub(crate) fn directory_kind(e: fst24::Error, path: &std::path::Path) -> fst24::Error {
    match e {
        fst24::Error::Io(io) if io.kind() == ErrorKind::InvalidInput && path.is_dir() => {
            fst24::Error::Io(std::io::Error::new(ErrorKind::IsADirectory, io.to_string()))
        }
        other => other,
    }
}

/// The message of a non-OS core error; limits of memory point to the setting.
fn message(e: &fst24::Error) -> String {
    let mut message = e.to_string();
    if let fst24::Error::Limits(l) = e {
        if l.limit != 0 && l.what != "directory entries" && l.what != "extended metadata bytes" {
            message.push_str(" (the memory limit: see fst24.set_memory_limit)");
        }
    }
    message
}

/// Converts a core error that concerns no particular file.
pub(crate) fn to_py(e: fst24::Error) -> PyErr {
    Python::attach(|py| match &e {
        fst24::Error::Io(io) => os_error(py, io, None),
        _ => raise(py, class_name(&e), message(&e)),
    })
}

/// Converts a core error met while working on the file at `path`; the message names it.
pub(crate) fn in_file(path: &str, e: fst24::Error) -> PyErr {
    Python::attach(|py| match &e {
        fst24::Error::Io(io) => os_error(py, io, Some(path)),
        _ => {
            let text = message(&e);
            let text = if text.contains(path) {
                text
            } else {
                format!("{path}: {text}")
            };
            raise(py, class_name(&e), text)
        }
    })
}

/// A `UsageError` with `message`.
pub(crate) fn usage(message: impl Into<String>) -> PyErr {
    Python::attach(|py| raise(py, "UsageError", message.into()))
}

/// A `LimitError` with `message`.
pub(crate) fn limit(message: impl Into<String>) -> PyErr {
    Python::attach(|py| raise(py, "LimitError", message.into()))
}

/// `in_file` for errors of an open core file (named by its path when it has one).
pub(crate) fn for_file(file: &fst24::File) -> impl Fn(fst24::Error) -> PyErr + '_ {
    move |e| match file.path() {
        Some(p) => in_file(&p.to_string_lossy(), e),
        None => to_py(e),
    }
}
