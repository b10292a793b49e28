//! `fst24.File`: an open file shared safely by many Python threads.
//!
//! The core file is immutable and `Sync`; the binding holds it in an `Arc` behind a lock
//! that only `close()` writes, so readers never wait on each other and the GIL is released
//! (`py.detach`) while Rust reads and decodes.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySlice, PyTuple};

use fst24::table::{Table, TableOptions};
use fst24::{DecodeOptions, MissingMode, OpenOptions};

use crate::errors::{for_file, in_file, to_py, usage};
use crate::filelike::Prefetcher;
use crate::record::PyRecord;
use crate::table::ArrowTable;
use crate::{arrays, decode_into, memory};

/// An open RPN standard file (read-only); use it as a context manager.
#[pyclass(module = "fst24", name = "File", frozen)]
pub(crate) struct PyFile {
    inner: RwLock<Option<Arc<fst24::File>>>,
    path: String,
    /// The source fetches the records of a multi-record read ahead (URL files).
    prefetcher: Option<Prefetcher>,
}

impl PyFile {
    /// Opens `path` for reading without holding the GIL; `mode` must be "r" (a `Writer`
    /// handles "w" and "a"); `recover` lists the intact records of a damaged file.
    pub(crate) fn open(py: Python<'_>, path: PathBuf, mode: &str, recover: bool) -> PyResult<Self> {
        if mode != "r" && mode != "rb" {
            return Err(crate::bad_mode(mode));
        }
        let mut options = OpenOptions::default();
        options.limits.max_alloc_bytes = memory::limit();
        options.recover = recover;
        let opened = py.detach(|| fst24::File::open_with(&path, options));
        let text = path.to_string_lossy().into_owned();
        let file = opened.map_err(|e| in_file(&text, crate::errors::directory_kind(e, &path)))?;
        Ok(PyFile {
            inner: RwLock::new(Some(Arc::new(file))),
            path: text,
            prefetcher: None,
        })
    }

    /// The path the file was opened with.
    pub(crate) fn path_str(&self) -> &str {
        &self.path
    }

    /// A File over a core file opened elsewhere (through a file-like object); `path`
    /// labels it (its URL).
    pub(crate) fn from_core(
        file: fst24::File,
        path: String,
        prefetcher: Option<Prefetcher>,
    ) -> Self {
        PyFile {
            inner: RwLock::new(Some(Arc::new(file))),
            path,
            prefetcher,
        }
    }

    /// The core file, or a `UsageError` once closed.
    pub(crate) fn core(&self) -> PyResult<Arc<fst24::File>> {
        let guard = self
            .inner
            .read()
            .map_err(|_| usage("file lock poisoned by a panic"))?;
        let file = guard
            .clone()
            .ok_or_else(|| usage(format!("I/O operation on closed file {}", self.path)))?;
        // fst24.set_memory_limit applies to files already open too.
        file.set_max_alloc_bytes(memory::limit());
        Ok(file)
    }
}

/// Decodes the record at directory position `key` into a numpy array (GIL released).
pub(crate) fn read_one<'py>(
    py: Python<'py>,
    file: &Arc<fst24::File>,
    key: usize,
    options: &DecodeOptions,
) -> PyResult<Bound<'py, PyAny>> {
    // The core checks the memory limit (kept current by `core()`) and the packed size
    // before anything is allocated, naming the file, record and offset.
    file.check_read(key, None).map_err(for_file(file))?;
    decode_into::read_one(py, file, key, options)
}

/// The default of every `missing=` argument: NaN at the missing points of float records
/// (integer records, which cannot hold NaN, get librmn's markers).
pub(crate) const MISSING_DEFAULT: &str = "nan";

/// Decode options from the `missing=` argument: what +64 records return at missing points.
pub(crate) fn decode_options(missing: &str) -> PyResult<DecodeOptions> {
    let mut options = DecodeOptions::default();
    options.missing = missing.parse::<MissingMode>().map_err(to_py)?;
    Ok(options)
}

/// Directory keys named by `rows`: an int, a Record, a sequence of those, or a table
/// (Polars DataFrame or anything with a `key` column) whose `path` column, if any, names
/// this file.
fn keys_of(file: &PyFile, rows: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    if let Ok(rec) = rows.cast::<PyRecord>() {
        return Ok(vec![rec.get().key()]);
    }
    if let Ok(k) = rows.extract::<usize>() {
        return Ok(vec![k]);
    }
    if rows.hasattr("get_column")? && rows.hasattr("columns")? {
        let columns: Vec<String> = rows.getattr("columns")?.extract()?;
        if columns.iter().any(|c| c == "path") {
            let paths: Vec<String> = rows
                .call_method1("get_column", ("path",))?
                .call_method0("to_list")?
                .extract()?;
            if let Some(other) = paths.iter().find(|p| **p != file.path) {
                return Err(usage(format!(
                    "row from {other} passed to the File of {}; filter the frame by path first",
                    file.path
                )));
            }
        }
        if !columns.iter().any(|c| c == "key") {
            return Err(usage("the frame has no \"key\" column"));
        }
        return rows
            .call_method1("get_column", ("key",))?
            .call_method0("to_list")?
            .extract();
    }
    let mut keys = Vec::new();
    for item in rows.try_iter()? {
        let item = item?;
        if let Ok(rec) = item.cast::<PyRecord>() {
            keys.push(rec.get().key());
        } else {
            keys.push(
                item.extract::<usize>()
                    .map_err(|_| usage("rows must be ints (keys), Records or a DataFrame"))?,
            );
        }
    }
    Ok(keys)
}

#[pymethods]
impl PyFile {
    #[new]
    #[pyo3(signature = (path, mode="r", recover=false))]
    fn py_new(py: Python<'_>, path: PathBuf, mode: &str, recover: bool) -> PyResult<Self> {
        PyFile::open(py, path, mode, recover)
    }

    /// The path the file was opened with.
    #[getter]
    fn path(&self) -> &str {
        &self.path
    }

    /// "xdf" or "rsf".
    #[getter]
    fn backend(&self) -> PyResult<&'static str> {
        Ok(self.core()?.backend().name())
    }

    /// True after `close()`.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.read().map(|g| g.is_none()).unwrap_or(true)
    }

    /// What librmn would only have logged while opening (unclosed file, bad checksum...).
    #[getter]
    fn warnings(&self) -> PyResult<Vec<String>> {
        Ok(self.core()?.warnings().to_vec())
    }

    /// Closes the file; reads already running finish, later calls raise.
    fn close(&self) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = None;
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) -> bool {
        self.close();
        false
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.core()?.records().len())
    }

    fn __repr__(&self) -> String {
        match self.core() {
            Ok(f) => format!(
                "<fst24.File {:?} {} records={}>",
                self.path,
                f.backend(),
                f.records().len()
            ),
            Err(_) => format!("<fst24.File {:?} closed>", self.path),
        }
    }

    /// `f[key]`: the record with that key, as `f.record(key)` (negative keys count from
    /// the end of the directory); `f[a:b]`: the live records whose keys are in
    /// `range(a, b)`, deleted ones skipped. Keys are directory positions (the frame's
    /// `key` column, `Record.key`, what `Writer.write` returns): on a file without deleted
    /// records they are 0..len(f), so `f[i]` is the i-th record.
    fn __getitem__<'py>(
        slf: &Bound<'py, Self>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let file = slf.get().core()?;
        let n = file.directory_len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let ix = slice.indices(n as isize)?;
            let mut out = Vec::new();
            let mut k = ix.start;
            while (ix.step > 0 && k < ix.stop) || (ix.step < 0 && k > ix.stop) {
                if let Ok(rec) = file.record(k as usize) {
                    out.push(PyRecord::new(slf.clone().unbind(), rec));
                }
                k += ix.step;
            }
            return Ok(PyList::new(py, out)?.into_any());
        }
        let i: isize = index.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err("records are indexed by int keys or slices")
        })?;
        let key = if i < 0 { i + n as isize } else { i };
        let rec = usize::try_from(key)
            .ok()
            .filter(|&k| k < n)
            .ok_or_else(|| {
                pyo3::exceptions::PyIndexError::new_err(format!(
                    "record key {i} out of range for the {n} directory entries of {}",
                    slf.get().path
                ))
            })
            .and_then(|k| file.record(k).map_err(for_file(&file)))?;
        Ok(Bound::new(py, PyRecord::new(slf.clone().unbind(), rec))?.into_any())
    }

    /// Pickles by path: unpickling opens the file again.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let cls = slf.get_type().into_any();
        Ok((cls, (slf.get().path.clone(),)))
    }

    /// Jupyter's view: the path, backend and first records.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        slf.py()
            .import("fst24._html")?
            .call_method1("file_html", (slf,))?
            .extract()
    }

    /// Keys of the live records, in file order.
    fn keys(&self) -> PyResult<Vec<usize>> {
        Ok(self.core()?.records().iter().map(|r| r.index).collect())
    }

    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::iter_records(slf)
    }

    /// Iterates over the live records in file order; data is decoded only on access.
    fn iter_records<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let file = slf.get().core()?;
        let owner = slf.clone().unbind();
        let records: Vec<PyRecord> = file
            .records()
            .iter()
            .map(|r| PyRecord::new(owner.clone_ref(slf.py()), r))
            .collect();
        Ok(PyList::new(slf.py(), records)?
            .into_any()
            .try_iter()?
            .into_any())
    }

    /// The record at directory position `key` (the frame's `key` column).
    fn record(slf: &Bound<'_, Self>, key: usize) -> PyResult<PyRecord> {
        let file = slf.get().core()?;
        let rec = file.record(key).map_err(for_file(&file))?;
        Ok(PyRecord::new(slf.clone().unbind(), rec))
    }

    /// Records matching the selection language (`fst24::select`), in file order:
    /// `where="nomvar=TT ip1=850mb"` and/or keywords (`nomvar="TT"`, `etiket="G1*"`,
    /// `ip1=[...]` raw codes (-1: any), `level=500, kind="mb"`, `datev=datetime(...)`,
    /// ranges as `(low, high)` tuples or strings `"0.5:1.0hy"`).
    #[pyo3(signature = (**criteria))]
    fn find(
        slf: &Bound<'_, Self>,
        criteria: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Vec<PyRecord>> {
        let c = crate::query::selection(criteria)?;
        let file = slf.get().core()?;
        let keys = c.select(file.records());
        keys.into_iter()
            .map(|k| {
                let rec = file.record(k).map_err(for_file(&file))?;
                Ok(PyRecord::new(slf.clone().unbind(), rec))
            })
            .collect()
    }

    /// The metadata table as an Arrow stream object (see `File.to_polars`).
    #[pyo3(signature = (decoded=true))]
    fn _table(&self, py: Python<'_>, decoded: bool) -> PyResult<ArrowTable> {
        let file = self.core()?;
        let mut options = TableOptions::default();
        options.decoded = decoded;
        let path = self.path.clone();
        let batches = py.detach(|| {
            crate::table::to_batches(Table::from_files_in_parts(&[(&path, &file)], &options))
        });
        batches
            .map(ArrowTable::from_batches)
            .map_err(|e| usage(e.to_string()))
    }

    /// The metadata table as a Polars DataFrame (one row per record, fstpy's columns).
    #[pyo3(signature = (decoded=true))]
    fn to_polars<'py>(&self, py: Python<'py>, decoded: bool) -> PyResult<Bound<'py, PyAny>> {
        let table = self._table(py, decoded)?;
        py.import("polars")?.getattr("DataFrame")?.call1((table,))
    }

    /// This file as a lazy ``xarray.Dataset`` (see ``fst24.to_xarray``, same arguments).
    #[pyo3(signature = (**kwargs))]
    fn to_xarray<'py>(
        &self,
        py: Python<'py>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        py.import("fst24")?
            .getattr("to_xarray")?
            .call((self.path.as_str(),), kwargs)
    }

    /// Decodes records: an int key or a Record gives one array; a list of them or a
    /// (filtered) metadata DataFrame gives a list of arrays, decoded in parallel.
    ///
    /// `missing` chooses what +64 records hold at missing points: "nan" (the default;
    /// integer records get librmn's markers), "plug" (librmn's default, a value just
    /// above the maximum) or "marker" (librmn's missing-value mode).
    #[pyo3(signature = (rows, missing=MISSING_DEFAULT))]
    fn read<'py>(
        &self,
        py: Python<'py>,
        rows: &Bound<'py, PyAny>,
        missing: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let single = rows.extract::<usize>().is_ok() || rows.cast::<PyRecord>().is_ok();
        let keys = keys_of(self, rows)?;
        if single {
            return read_one(py, &self.core()?, keys[0], &decode_options(missing)?);
        }
        Ok(self.read_many(py, keys, missing)?.into_any())
    }

    /// Decodes the records at directory positions `keys` in parallel (GIL released).
    #[pyo3(signature = (keys, missing=MISSING_DEFAULT))]
    fn read_many<'py>(
        &self,
        py: Python<'py>,
        keys: Vec<usize>,
        missing: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let options = decode_options(missing)?;
        let file = self.core()?;
        let mut total = 0u64;
        for &k in &keys {
            let rec = file.record(k).map_err(for_file(&file))?;
            total = total.saturating_add(arrays::decoded_bytes(&rec.header));
        }
        memory::check(Some(&file), total, None)?;
        let Some(prefetcher) = &self.prefetcher else {
            return PyList::new(py, decode_into::read_many(py, &file, &keys, &options)?);
        };
        let mut arrays = Vec::with_capacity(keys.len());
        prefetcher.in_batches(py, &file, &keys, |run| {
            arrays.extend(decode_into::read_many(py, &file, &keys[run], &options)?);
            Ok(())
        })?;
        PyList::new(py, arrays)
    }

    /// Decodes records into arrays you own (reuse them across calls: no allocation, no
    /// fresh memory to page in). `rows` as for `read`; `out` is one array, or a list with
    /// one array per row, each Fortran-ordered (or 1-D) with the record's dtype and number
    /// of values, as `read` returns them. Decoded in parallel with the GIL released.
    #[pyo3(signature = (rows, out, missing=MISSING_DEFAULT))]
    fn read_into(
        &self,
        py: Python<'_>,
        rows: &Bound<'_, PyAny>,
        out: &Bound<'_, PyAny>,
        missing: &str,
    ) -> PyResult<()> {
        let options = decode_options(missing)?;
        let keys = keys_of(self, rows)?;
        let outs: Vec<Bound<'_, PyAny>> =
            if out.cast::<PyList>().is_ok() || out.cast::<PyTuple>().is_ok() {
                out.try_iter()?.collect::<PyResult<_>>()?
            } else {
                vec![out.clone()]
            };
        let file = self.core()?;
        let Some(prefetcher) = &self.prefetcher else {
            return decode_into::read_into(py, &file, &keys, &outs, &options);
        };
        if keys.len() != outs.len() {
            // read_into's own message, before any fetch.
            return decode_into::read_into(py, &file, &keys, &outs, &options);
        }
        prefetcher.in_batches(py, &file, &keys, |run| {
            decode_into::read_into(py, &file, &keys[run.clone()], &outs[run], &options)
        })
    }
}
