//! Records as columns (`fst24::record::RecordColumns`): index.js builds the record
//! objects from them with the core's own builder function, without JSON.

use napi::bindgen_prelude::{Either, Float64Array, Int32Array};
use napi_derive::napi;

use fst24::record::RecordColumns;

/// Every live record as columns.
#[napi(object)]
pub struct RecordTable {
    /// Number of records.
    pub length: u32,
    /// JSON array of the distinct names, dates and decoded levels; interned columns
    /// hold indices into it. `resolver` makes it the values records hold.
    pub values: String,
    /// One column per leaf field, in the core's order: an Int32Array when every value
    /// is a 32-bit integer (V8 reads those as small integers; a Float64Array gives a heap
    /// number per value, kept by the record objects), else a Float64Array.
    pub columns: Vec<Either<Int32Array, Float64Array>>,
    /// Body of the JavaScript function `(c, v, i)` building record `i` (written by the
    /// core: `RecordColumns::js_record_function`).
    pub builder: String,
    /// Body of the JavaScript function `(v)` that turns the parsed `values` into the
    /// shared, frozen values records hold (`RecordColumns::js_values_function`).
    pub resolver: String,
}

impl RecordTable {
    pub(crate) fn new(c: RecordColumns) -> Self {
        let columns = (0..c.columns.len())
            .map(|at| match c.column_i32(at) {
                Some(ints) => Either::A(Int32Array::new(ints)),
                None => Either::B(Float64Array::new(c.columns[at].clone())),
            })
            .collect();
        RecordTable {
            length: c.len as u32,
            values: c.values_json,
            columns,
            builder: RecordColumns::js_record_function(),
            resolver: RecordColumns::js_values_function(),
        }
    }
}
