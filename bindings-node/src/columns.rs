//! Records as columns (`fst24::record::RecordColumns`): index.js builds the record
//! objects from them with the core's own builder function, without JSON.

use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use fst24::record::RecordColumns;

/// Every live record as columns.
#[napi(object)]
pub struct RecordTable {
    /// Number of records.
    pub length: u32,
    /// JSON array of the distinct names, dates and decoded levels; interned columns
    /// hold indices into it.
    pub values: String,
    /// One column per leaf field, in the core's order.
    pub columns: Vec<Float64Array>,
    /// Body of the JavaScript function `(c, v, i)` building record `i` (written by the
    /// core: `RecordColumns::js_record_function`).
    pub builder: String,
}

impl RecordTable {
    pub(crate) fn new(c: RecordColumns) -> Self {
        RecordTable {
            length: c.len as u32,
            values: c.values_json,
            columns: c.columns.into_iter().map(Float64Array::new).collect(),
            builder: RecordColumns::js_record_function(),
        }
    }
}
