//! `fst24.Record`: one record's keys, with `.data` decoded on first access.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use fst24::record::RecordInfo;
use fst24::{Record, RecordHeader};

use crate::file::{decode_options, read_one, PyFile, MISSING_DEFAULT};

/// One record of a File: its keys as attributes, `.data` decoded lazily and cached.
#[pyclass(module = "fst24", name = "Record", frozen)]
pub(crate) struct PyRecord {
    file: Py<PyFile>,
    key: usize,
    header: RecordHeader,
    offset: u64,
    length: u64,
    metadata: Option<String>,
    data: OnceLock<Py<PyAny>>,
}

impl PyRecord {
    pub(crate) fn new(file: Py<PyFile>, rec: &Record) -> Self {
        PyRecord {
            file,
            key: rec.index,
            header: rec.header,
            offset: rec.file_offset(),
            length: rec.stored_bytes(),
            metadata: rec.extended_metadata().map(str::to_string),
            data: OnceLock::new(),
        }
    }

    pub(crate) fn key(&self) -> usize {
        self.key
    }
}

#[pymethods]
impl PyRecord {
    /// Directory position in its file (librmn's handle; the frame's `key`).
    #[getter(key)]
    fn py_key(&self) -> usize {
        self.key
    }
    /// Variable name (trailing blanks stripped: they are padding; leading ones are kept).
    #[getter]
    fn nomvar(&self) -> &str {
        self.header.nomvar.trimmed()
    }
    /// Type of field.
    #[getter]
    fn typvar(&self) -> &str {
        self.header.typvar.trimmed()
    }
    /// Label.
    #[getter]
    fn etiket(&self) -> &str {
        self.header.etiket.trimmed()
    }
    /// Grid type.
    #[getter]
    fn grtyp(&self) -> String {
        self.header.grtyp_char().to_string()
    }
    #[getter]
    fn ni(&self) -> u32 {
        self.header.ni
    }
    #[getter]
    fn nj(&self) -> u32 {
        self.header.nj
    }
    #[getter]
    fn nk(&self) -> u32 {
        self.header.nk
    }
    #[getter]
    fn dateo(&self) -> i32 {
        self.header.dateo
    }
    #[getter]
    fn datev(&self) -> i32 {
        self.header.datev
    }
    #[getter]
    fn deet(&self) -> i32 {
        self.header.deet
    }
    #[getter]
    fn npas(&self) -> i32 {
        self.header.npas
    }
    #[getter]
    fn ip1(&self) -> i32 {
        self.header.ip1
    }
    #[getter]
    fn ip2(&self) -> i32 {
        self.header.ip2
    }
    #[getter]
    fn ip3(&self) -> i32 {
        self.header.ip3
    }
    #[getter]
    fn ig1(&self) -> i32 {
        self.header.ig1
    }
    #[getter]
    fn ig2(&self) -> i32 {
        self.header.ig2
    }
    #[getter]
    fn ig3(&self) -> i32 {
        self.header.ig3
    }
    #[getter]
    fn ig4(&self) -> i32 {
        self.header.ig4
    }
    /// Stored datyp, +64/+128 flags included.
    #[getter]
    fn datyp(&self) -> u8 {
        self.header.datyp.raw()
    }
    /// Packed bits per value.
    #[getter]
    fn nbits(&self) -> u8 {
        self.header.nbits
    }
    /// Byte offset of the record in the file.
    #[getter]
    fn offset(&self) -> u64 {
        self.offset
    }
    /// Stored size in bytes.
    #[getter]
    fn length(&self) -> u64 {
        self.length
    }
    /// Extended JSON metadata as stored (RSF), or None; `json.loads` it (json-c writes
    /// non-finite numbers as bare `NaN`, which Python's json accepts).
    #[getter]
    fn metadata(&self) -> Option<&str> {
        self.metadata.as_deref()
    }
    /// numpy shape of `.data`, a tuple.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let h = &self.header;
        PyTuple::new(
            py,
            crate::arrays::shape([h.ni as usize, h.nj as usize, h.nk as usize]),
        )
    }

    /// Path of the record's file.
    #[getter]
    fn path(&self) -> String {
        self.file.get().path_str().to_owned()
    }

    /// Records are equal when they are the same record of the same file (path and key)
    /// with the same keys.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyRecord>().is_ok_and(|o| {
            let o = o.get();
            o.key == self.key
                && o.header == self.header
                && o.file.get().path_str() == self.file.get().path_str()
        })
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.file.get().path_str().hash(&mut h);
        self.key.hash(&mut h);
        h.finish()
    }

    /// Pickles by path and key: unpickling opens the file again.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, usize))> {
        let rebuild = py.import("fst24")?.getattr("_record_at")?;
        Ok((rebuild, (self.file.get().path_str().to_owned(), self.key)))
    }

    /// Jupyter's view: the keys as a table.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        slf.py()
            .import("fst24._html")?
            .call_method1("record_html", (slf,))?
            .extract()
    }

    /// The decoded array (Fortran order, shape `(ni, nj[, nk])`), decoded on first access.
    #[getter]
    fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Some(d) = self.data.get() {
            return Ok(d.clone_ref(py));
        }
        let array = self.read(py, MISSING_DEFAULT)?;
        // Two threads may race to decode; both results are identical, keep the first.
        let _ = self.data.set(array.clone().unbind());
        Ok(self
            .data
            .get()
            .map_or_else(|| array.unbind(), |d| d.clone_ref(py)))
    }

    /// Decodes the data again into a new array (not cached); `missing` as in `File.read`.
    #[pyo3(signature = (missing=MISSING_DEFAULT))]
    fn read<'py>(&self, py: Python<'py>, missing: &str) -> PyResult<Bound<'py, PyAny>> {
        let file = self.file.get().core()?;
        read_one(py, &file, self.key, &decode_options(missing)?)
    }

    /// The record as a dict: the core's `RecordInfo`, the same fields (and names) as the
    /// Node and WASM record objects (fstprm's keys, names trimmed, plus packing, decoded
    /// levels and dates).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let backend = self.file.get().core()?.backend();
        let info = RecordInfo::new(
            self.key,
            &self.header,
            self.offset,
            self.length,
            self.metadata.as_deref(),
            backend,
        );
        let json = py.import("json")?;
        Ok(json
            .call_method1("loads", (info.to_json(),))?
            .cast_into::<PyDict>()?)
    }

    fn __repr__(&self) -> String {
        let h = &self.header;
        format!(
            "<fst24.Record key={} {:4} {:2} {:12} {}x{}x{} ip1={} ip2={} ip3={} datev={} {}>",
            self.key,
            h.nomvar.as_str(),
            h.typvar.as_str(),
            h.etiket.as_str(),
            h.ni,
            h.nj,
            h.nk,
            h.ip1,
            h.ip2,
            h.ip3,
            h.datev,
            h.datyp.label(h.nbits)
        )
    }
}
