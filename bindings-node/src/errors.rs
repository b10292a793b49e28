//! Core errors as JS errors tagged with what kind they are: the message starts with
//! `CODE|` (napi-rs's own `code` is a fixed status, also on the thread pool); `index.js`
//! strips the tag and makes Node-style errors of them (`code: 'ENOENT'` with `errno`,
//! `syscall` and `path`; `RangeError` for a bad key; `ERR_FST24_*` codes for the rest).

use napi::{Error, Status};

/// The `code` of a core error: `FST24_IO:<errno>` or `FST24_IO:<ENAME>` for an OS error
/// (index.js names it and sets `errno`), else `ERR_FST24_FORMAT`, `ERR_FST24_UNSUPPORTED`,
/// `ERR_FST24_LIMIT`, `ERR_FST24_USAGE`.
fn code(err: &fst24::Error) -> String {
    match err {
        fst24::Error::Io(io) => match (io.raw_os_error(), errno_name(io.kind())) {
            (Some(errno), _) => format!("FST24_IO:{errno}"),
            // The core re-wraps OS errors to name the file: the kind survives, the number not.
            (None, Some(name)) => format!("FST24_IO:{name}"),
            (None, None) => "ERR_FST24_IO".to_owned(),
        },
        fst24::Error::Format(_) => "ERR_FST24_FORMAT".to_owned(),
        fst24::Error::Unsupported(_) => "ERR_FST24_UNSUPPORTED".to_owned(),
        fst24::Error::Limits(_) => "ERR_FST24_LIMIT".to_owned(),
        _ => "ERR_FST24_USAGE".to_owned(),
    }
}

/// A core error (its message names offset and record).
pub(crate) fn js_error(err: fst24::Error) -> Error {
    tagged(&code(&err), &err.to_string())
}

/// The POSIX name of an I/O error kind that has one.
fn errno_name(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind::*;
    Some(match kind {
        NotFound => "ENOENT",
        PermissionDenied => "EACCES",
        AlreadyExists => "EEXIST",
        IsADirectory => "EISDIR",
        NotADirectory => "ENOTDIR",
        Interrupted => "EINTR",
        OutOfMemory => "ENOMEM",
        _ => return None,
    })
}

/// A core error met while opening `path`: the message starts with the path.
pub(crate) fn open_error(path: &str, err: fst24::Error) -> Error {
    let message = err.to_string();
    if message.starts_with(path) {
        tagged(&code(&err), &message)
    } else {
        tagged(&code(&err), &format!("{path}: {message}"))
    }
}

/// A key that names no live record (index.js throws a `RangeError`).
pub(crate) fn out_of_range(message: String) -> Error {
    tagged("ERR_OUT_OF_RANGE", &message)
}

/// Use of a closed file.
pub(crate) fn closed() -> Error {
    tagged("ERR_FST24_CLOSED", "the file is closed")
}

/// `CODE|message`, the form index.js unpacks.
fn tagged(code: &str, message: &str) -> Error {
    Error::new(Status::GenericFailure, format!("{code}|{message}"))
}
