//! fst24 errors as JavaScript `Error`s (the core's messages already name offset and record).

use wasm_bindgen::JsError;

/// Converts a core error; its `Display` says what is wrong, where, and in which record.
pub(crate) fn to_js(err: fst24::Error) -> JsError {
    JsError::new(&err.to_string())
}

/// An error for a bad argument coming from JavaScript.
pub(crate) fn usage(message: &str) -> JsError {
    JsError::new(message)
}
