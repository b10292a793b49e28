//! Decoded arrays as JavaScript typed arrays.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use fst24::{Array as FstArray, Values};

/// `{ shape, dtype, data }` for a decoded record; `data` is a typed array copied out of
/// WebAssembly memory (the record's natural element type, 64-bit integers as BigInt arrays).
pub(crate) fn array_object(array: FstArray) -> Object {
    let dtype = array.values.element_type().name();
    let data: JsValue = match &array.values {
        Values::F32(v) | Values::C64(v) => js_sys::Float32Array::from(v.as_slice()).into(),
        Values::F64(v) | Values::C128(v) => js_sys::Float64Array::from(v.as_slice()).into(),
        Values::I8(v) => js_sys::Int8Array::from(v.as_slice()).into(),
        Values::I16(v) => js_sys::Int16Array::from(v.as_slice()).into(),
        Values::I32(v) => js_sys::Int32Array::from(v.as_slice()).into(),
        Values::I64(v) => js_sys::BigInt64Array::from(v.as_slice()).into(),
        Values::U8(v) | Values::Chars(v) => js_sys::Uint8Array::from(v.as_slice()).into(),
        Values::U16(v) => js_sys::Uint16Array::from(v.as_slice()).into(),
        Values::U32(v) | Values::Words(v) => js_sys::Uint32Array::from(v.as_slice()).into(),
        Values::U64(v) => js_sys::BigUint64Array::from(v.as_slice()).into(),
        // A variant added to the core later: hand over its bytes rather than fail.
        other => js_sys::Uint8Array::from(other.as_bytes()).into(),
    };
    let shape: Array = array
        .shape
        .iter()
        .map(|&n| JsValue::from(n as f64))
        .collect();
    let out = Object::new();
    set(&out, "shape", shape.into());
    set(&out, "dtype", dtype.into());
    set(&out, "data", data);
    out
}

/// Sets a property on a fresh plain object (cannot fail on such an object).
pub(crate) fn set(obj: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}
