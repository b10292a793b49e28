//! [`RecordTable`]: the core's [`RecordColumns`] held on the WebAssembly side, handed to
//! JavaScript one column at a time (fst24.js times building and transferring apart).

use wasm_bindgen::prelude::*;

use fst24::record::RecordColumns;

/// Every live record as columns (`fst24::record::RecordColumns`): `column(k)` one
/// typed array per field, in the core's order; `values` the JSON of the distinct names,
/// dates and decoded levels the interned columns index; `builder()` the body of the core's
/// `(c, v, i)` function that builds record `i` (fst24.js's `records()`).
#[wasm_bindgen]
pub struct RecordTable {
    columns: RecordColumns,
    /// Position of the first record (`FstDirectory.nextRecordTable` builds batches).
    start: usize,
}

impl RecordTable {
    pub(crate) fn new(columns: RecordColumns, start: usize) -> Self {
        RecordTable { columns, start }
    }
}

#[wasm_bindgen]
impl RecordTable {
    /// Number of records (the length of every column).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.columns.len
    }

    /// Position of the first record (directory order): 0 but for the later batches of
    /// `FstDirectory.nextRecordTable`.
    #[wasm_bindgen(getter)]
    pub fn start(&self) -> usize {
        self.start
    }

    /// Index of `values`' first entry among the values of every batch so far (0 for the
    /// first batch or a whole table).
    #[wasm_bindgen(getter, js_name = valuesStart)]
    pub fn values_start(&self) -> usize {
        self.columns.values_start
    }

    /// Number of columns.
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> usize {
        self.columns.columns.len()
    }

    /// Column `k` (a copy out of WebAssembly memory), or an error past the last one: an
    /// Int32Array when every value is a 32-bit integer (JavaScript engines read those as
    /// small integers, not as a heap number each), else a Float64Array.
    pub fn column(&self, k: usize) -> Result<JsValue, JsError> {
        let column = self.columns.columns.get(k).ok_or_else(|| {
            JsError::new(&format!(
                "column {k} does not exist (the table has {})",
                self.columns.columns.len()
            ))
        })?;
        Ok(match self.columns.column_i32(k) {
            Some(ints) => js_sys::Int32Array::from(ints.as_slice()).into(),
            None => js_sys::Float64Array::from(column.as_slice()).into(),
        })
    }

    /// JSON array of the distinct values the interned columns index.
    #[wasm_bindgen(getter)]
    pub fn values(&self) -> String {
        self.columns.values_json.clone()
    }

    /// Body of the JavaScript function `(c, v, i)` that builds record `i`
    /// (`RecordColumns::js_record_function`).
    pub fn builder() -> String {
        RecordColumns::js_record_function()
    }

    /// Body of the JavaScript function `(v)` that turns the parsed `values` into the
    /// shared, frozen values records hold (`RecordColumns::js_values_function`).
    pub fn resolver() -> String {
        RecordColumns::js_values_function()
    }
}
