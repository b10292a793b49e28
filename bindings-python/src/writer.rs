//! `fst24.Writer`: a standard file open for writing (`fst24.open(path, "w" | "a")`).
//!
//! `write`, `rewrite` and `write_many` pack numpy's buffer in place (Fortran order; no
//! copy) while the GIL is held, so no Python thread can change the values under the
//! encoder; the packed record is then written without the GIL, except when the area
//! reads the array as it is written (E32: the area is the array itself; R: packed a
//! window at a time), which is written with the GIL held. `write_many` packs on every
//! core. One core writer sits behind a mutex: calls from several threads are serialised,
//! as librmn serialises writes to one unit.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use fst24::record::Name;
use fst24::writer::{Data, RecordKeys, Writer, WriterOptions};
use fst24::Backend;

use crate::errors::{in_file, os_error, to_py, usage};
use crate::file::PyFile;
use crate::write_values::{default_datyp_nbits, held_values, Held};

/// A standard file open for writing; use it as a context manager (closing publishes it).
#[pyclass(module = "fst24", name = "Writer", frozen)]
pub(crate) struct PyWriter {
    inner: Mutex<Option<Writer>>,
    path: PathBuf,
}

/// A one-letter grid type.
fn grid_byte(grtyp: &str) -> PyResult<u8> {
    match grtyp.as_bytes() {
        [b] if b.is_ascii() => Ok(*b),
        [] => Ok(b' '),
        _ => Err(usage(format!(
            "grtyp must be one ASCII letter, not {grtyp:?}"
        ))),
    }
}

/// Refuses a name longer than the field holds instead of silently cutting it.
fn check_len(what: &str, value: &str, max: usize) -> PyResult<()> {
    if value.len() > max || !value.is_ascii() {
        return Err(usage(format!(
            "{what} {value:?} must be at most {max} ASCII characters"
        )));
    }
    Ok(())
}

/// A datyp or nbits argument as the byte the core takes.
fn small(what: &str, value: i64) -> PyResult<u8> {
    u8::try_from(value).map_err(|_| usage(format!("{what} = {value} is outside 0..=255")))
}

/// Keyword arguments of `write` (rpnpy's `FST_RDE_META_DEFAULT` where not given).
struct KeyArgs {
    nomvar: String,
    typvar: String,
    etiket: String,
    ip: [i32; 3],
    date: [i32; 3],
    grtyp: String,
    ig: [i32; 4],
}

impl PyWriter {
    /// Opens `path` for writing: `"w"` creates a new file, `"a"` appends to an existing
    /// one (creating it when missing, as librmn's `R/W` does).
    pub(crate) fn open(
        py: Python<'_>,
        path: PathBuf,
        mode: &str,
        backend: Option<&str>,
        parallel: bool,
        segment_size_mb: Option<u64>,
    ) -> PyResult<Self> {
        let mut options = WriterOptions::default();
        options.parallel = parallel;
        options.segment_size_mb = segment_size_mb;
        options.backend = backend
            .map(str::parse::<Backend>)
            .transpose()
            .map_err(to_py)?;
        let exists = std::fs::metadata(&path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        let writer = match mode {
            // librmn never truncates a file it opens: refuse rather than lose records.
            "w" | "wb" if exists => {
                let exists = std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "file exists; open it with mode \"a\" to add records, or remove it first",
                );
                return Err(os_error(py, &exists, Some(&path.to_string_lossy())));
            }
            "w" | "wb" => {
                // Also refuses a second creator of the same new file (thread or process).
                options.create_new = true;
                py.detach(|| Writer::create(&path, options))
            }
            "a" | "ab" if exists && backend.is_some() => {
                return Err(usage(
                    "backend= only applies to a new file; an existing file keeps its format",
                ))
            }
            "a" | "ab" => py.detach(|| Writer::append_with(&path, options)),
            other => return Err(crate::bad_mode(other)),
        };
        let writer = writer.map_err(|e| in_file(&path.to_string_lossy(), e))?;
        Ok(PyWriter {
            inner: Mutex::new(Some(writer)),
            path,
        })
    }

    /// Runs `f` on the open core writer without the GIL.
    fn with_writer<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Writer) -> fst24::Result<T> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut guard = self
                .inner
                .lock()
                .map_err(|_| "writer lock poisoned by a panic".to_string())?;
            match guard.as_mut() {
                None => Err(format!(
                    "I/O operation on closed file {}",
                    self.path.display()
                )),
                Some(w) => Ok(f(w)),
            }
        })
        .map_err(usage)?
        .map_err(|e| in_file(&self.path.to_string_lossy(), e))
    }

    /// Takes the core writer out (later calls see a closed file) and ends it with `end`
    /// (`Writer::close` or `Writer::discard`) without the GIL, errors naming the file;
    /// nothing to do when it was already taken.
    fn take_writer(
        &self,
        py: Python<'_>,
        end: impl FnOnce(Writer) -> fst24::Result<()> + Send,
    ) -> PyResult<()> {
        let writer = self
            .inner
            .lock()
            .map_err(|_| usage("writer lock poisoned"))?
            .take();
        match writer {
            None => Ok(()),
            Some(w) => py
                .detach(|| end(w))
                .map_err(|e| in_file(&self.path.to_string_lossy(), e)),
        }
    }

    /// Builds the keys and values of one record, then packs and writes it.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        k: KeyArgs,
        datyp: Option<u8>,
        nbits: Option<u8>,
        rewrite: bool,
        metadata: Option<String>,
        shape: Option<Vec<u32>>,
    ) -> PyResult<usize> {
        let backend = self.open_backend()?;
        check_names(&k)?;
        let (values, dims) = held_values(py, data)?;
        let keys = record_keys(
            k,
            dims,
            values.element_type(),
            datyp,
            nbits,
            metadata,
            shape,
        )?;
        let chars = matches!(keys.datyp & 63, 3 | 7);
        // Packed from numpy's buffer with the GIL held: no copy of the input.
        let packed = fst24::writer::pack(&keys, values.data(chars), backend)
            .map_err(|e| in_file(&self.path.to_string_lossy(), e))?;
        // rewrite: erase the live record with the same keys first.
        let store = move |w: &mut Writer, p: &fst24::writer::PackedRecord<'_>| {
            if rewrite {
                w.store_rewrite(p)
            } else {
                w.store(p)
            }
        };
        if packed.borrows_values() {
            // The area is the array itself (E32) or is packed from it as it is written
            // (R, a window at a time): written with the GIL held too, so no one changes
            // the array meanwhile and nothing is copied.
            return self.with_writer_holding_gil(|w| store(w, &packed));
        }
        let packed = packed.into_owned();
        drop(values);
        self.with_writer(py, |w| store(w, &packed))
    }

    /// The backend of the open file (a usage error once closed).
    fn open_backend(&self) -> PyResult<Backend> {
        let guard = self
            .inner
            .lock()
            .map_err(|_| usage("writer lock poisoned by a panic"))?;
        guard.as_ref().and_then(Writer::backend).ok_or_else(|| {
            usage(format!(
                "I/O operation on closed file {}",
                self.path.display()
            ))
        })
    }

    /// Runs `f` on the open core writer, keeping the GIL (for values read in place from
    /// numpy). Other threads release the lock before they take the GIL back, so waiting
    /// for it here cannot deadlock.
    fn with_writer_holding_gil<T>(
        &self,
        f: impl FnOnce(&mut Writer) -> fst24::Result<T>,
    ) -> PyResult<T> {
        let mut guard = self
            .inner
            .lock()
            .map_err(|_| usage("writer lock poisoned by a panic"))?;
        let Some(w) = guard.as_mut() else {
            return Err(usage(format!(
                "I/O operation on closed file {}",
                self.path.display()
            )));
        };
        f(w).map_err(|e| in_file(&self.path.to_string_lossy(), e))
    }

    /// Packs and writes `batch` (emptied) with the core's parallel batch write, the GIL
    /// held: the values are numpy's own buffers, which no Python thread may change while
    /// they are packed. On an error, also returns how many of its records were written.
    fn put_many(
        &self,
        batch: &mut Vec<(RecordKeys, Held<'_>)>,
    ) -> Result<Vec<usize>, (usize, PyErr)> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let mut written = 0;
        let done = self.with_writer_holding_gil(|w| {
            let pairs: Vec<(RecordKeys, Data<'_>)> = batch
                .iter()
                .map(|(k, v)| (k.clone(), v.data(matches!(k.datyp & 63, 3 | 7))))
                .collect();
            let before = w.directory_len();
            let r = w.write_many(&pairs);
            written = w.directory_len() - before;
            r
        });
        batch.clear();
        done.map_err(|e| (written, e))
    }
}

/// Refuses a name longer than its field.
fn check_names(k: &KeyArgs) -> PyResult<()> {
    check_len("nomvar", &k.nomvar, 4)?;
    check_len("typvar", &k.typvar, 2)?;
    check_len("etiket", &k.etiket, 12)
}

/// The core keys of a record of `dims` values of type `element`.
#[allow(clippy::too_many_arguments)]
fn record_keys(
    k: KeyArgs,
    mut dims: [u32; 3],
    element: fst24::ElementType,
    datyp: Option<u8>,
    nbits: Option<u8>,
    metadata: Option<String>,
    shape: Option<Vec<u32>>,
) -> PyResult<RecordKeys> {
    if let Some(shape) = shape {
        // The record's (ni, nj, nk) when the array is not the values themselves: the
        // packed words of a binary (datyp 0) record of nbits ≠ 32.
        if shape.is_empty() || shape.len() > 3 {
            return Err(usage("shape= takes 1 to 3 dimensions (ni, nj, nk)"));
        }
        dims = [1; 3];
        dims[..shape.len()].copy_from_slice(&shape);
    }
    let [ni, nj, nk] = dims;
    let (def_datyp, def_nbits) = default_datyp_nbits(element);
    let mut keys = RecordKeys::new(&k.nomvar, ni, nj, nk);
    keys.typvar = Name::new(&k.typvar);
    keys.etiket = Name::new(&k.etiket);
    [keys.ip1, keys.ip2, keys.ip3] = k.ip;
    [keys.dateo, keys.deet, keys.npas] = k.date;
    keys.grtyp = grid_byte(&k.grtyp)?;
    [keys.ig1, keys.ig2, keys.ig3, keys.ig4] = k.ig;
    keys.datyp = datyp.unwrap_or(def_datyp);
    keys.nbits = nbits.unwrap_or(def_nbits);
    keys.metadata = metadata;
    Ok(keys)
}

/// Input bytes gathered before each core batch write: bounds the arrays (and the Fortran
/// copies numpy makes of C-ordered input) `write_many` holds from a long iterable.
const PY_BATCH_BYTES: usize = 256 << 20;

/// The keyword arguments `write_many` accepts per record (`write`'s, except `rewrite`).
const RECORD_KEYS: [&str; 19] = [
    "nomvar", "typvar", "etiket", "ip1", "ip2", "ip3", "dateo", "deet", "npas", "grtyp", "ig1",
    "ig2", "ig3", "ig4", "datyp", "nbits", "metadata", "shape", "data",
];

/// The keys and values of one `write_many` item: `(data, {keyword: value})`, with
/// `write`'s defaults for the keywords not given.
fn record_of_item<'py>(
    py: Python<'py>,
    item: &Bound<'py, PyAny>,
) -> PyResult<(RecordKeys, Held<'py>)> {
    let (data, keys): (Bound<'_, PyAny>, Option<Bound<'_, PyDict>>) = item.extract().map_err(|_| {
        usage("write_many takes an iterable of (data, keys) pairs, keys a dict of write's keyword arguments")
    })?;
    let keys = keys.unwrap_or_else(|| PyDict::new(py));
    for name in keys.keys() {
        let name: String = name.extract()?;
        if name == "data" || !RECORD_KEYS.contains(&name.as_str()) {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "write_many: unexpected keyword {name:?} (write's keywords except rewrite)"
            )));
        }
    }
    fn get<'py, T: FromPyObjectOwned<'py>>(
        keys: &Bound<'py, PyDict>,
        name: &str,
        default: T,
    ) -> PyResult<T> {
        match keys.get_item(name)? {
            Some(v) if !v.is_none() => v.extract().map_err(Into::into),
            _ => Ok(default),
        }
    }
    let text = |name: &str, default: &str| get(&keys, name, default.to_string());
    let int = |name: &str| get(&keys, name, 0i32);
    let k = KeyArgs {
        nomvar: text("nomvar", " ")?,
        typvar: text("typvar", "P")?,
        etiket: text("etiket", " ")?,
        ip: [int("ip1")?, int("ip2")?, int("ip3")?],
        date: [int("dateo")?, int("deet")?, int("npas")?],
        grtyp: text("grtyp", "G")?,
        ig: [int("ig1")?, int("ig2")?, int("ig3")?, int("ig4")?],
    };
    let datyp: Option<i64> = get(&keys, "datyp", None)?;
    let nbits: Option<i64> = get(&keys, "nbits", None)?;
    let datyp = datyp.map(|v| small("datyp", v)).transpose()?;
    let nbits = nbits.map(|v| small("nbits", v)).transpose()?;
    let metadata = metadata_text(keys.get_item("metadata")?.as_ref())?;
    let shape: Option<Vec<u32>> = get(&keys, "shape", None)?;
    check_names(&k)?;
    let (values, dims) = held_values(py, &data)?;
    let keys = record_keys(
        k,
        dims,
        values.element_type(),
        datyp,
        nbits,
        metadata,
        shape,
    )?;
    Ok((keys, values))
}

/// The columns of a frame row `write_frame` passes on to `write`.
const FRAME_KEYS: [&str; 18] = [
    "nomvar", "typvar", "etiket", "ip1", "ip2", "ip3", "dateo", "deet", "npas", "grtyp", "ig1",
    "ig2", "ig3", "ig4", "datyp", "nbits", "rewrite", "metadata",
];

/// The JSON text of a `metadata=` argument: a str as given, anything else (a dict)
/// serialised compactly by Python's json module, as json-c writes it.
fn metadata_text(metadata: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(m) = metadata.filter(|m| !m.is_none()) else {
        return Ok(None);
    };
    if let Ok(text) = m.extract::<String>() {
        return Ok(Some(text));
    }
    let py = m.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("separators", (",", ":"))?;
    let text = py
        .import("json")?
        .call_method("dumps", (m,), Some(&kwargs))?
        .extract()?;
    Ok(Some(text))
}

#[pymethods]
impl PyWriter {
    /// The path the file was opened with.
    #[getter]
    fn path(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }

    /// "xdf" or "rsf".
    #[getter]
    fn backend(&self) -> PyResult<&'static str> {
        let guard = self
            .inner
            .lock()
            .map_err(|_| usage("writer lock poisoned"))?;
        match guard.as_ref().and_then(Writer::backend) {
            Some(Backend::Xdf) => Ok("xdf"),
            Some(Backend::Rsf) => Ok("rsf"),
            _ => Err(usage(format!(
                "I/O operation on closed file {}",
                self.path.display()
            ))),
        }
    }

    /// True after `close()`.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.lock().map(|g| g.is_none()).unwrap_or(true)
    }

    /// Packs and appends the array `data` as one record and returns its key (directory
    /// position, for `erase`). Shape `(ni[, nj[, nk]])` in Fortran order. Without
    /// `datyp`/`nbits`, floats are stored as rpnpy does (133 = compressed IEEE on 16
    /// bits, lossy: pass `datyp=5, nbits=32` to keep every bit) and integers/complex
    /// numbers exactly. `rewrite=True` first erases the record with the same keys.
    /// `metadata` (a dict, or a str holding JSON) is stored as the record's extended
    /// metadata in RSF files and dropped in XDF files, which cannot hold it.
    /// Binary records (`datyp=0`) of `nbits` other than 32 take the packed 32-bit words
    /// (`numpy.uint32`, ⌈ni·nj·nk·nbits/32⌉ of them) as `data` and the record's dimensions
    /// as `shape=(ni, nj, nk)`.
    #[pyo3(signature = (data, *, nomvar=" ", typvar="P", etiket=" ", ip1=0, ip2=0, ip3=0,
                        dateo=0, deet=0, npas=0, grtyp="G", ig1=0, ig2=0, ig3=0, ig4=0,
                        datyp=None, nbits=None, rewrite=false, metadata=None, shape=None))]
    #[allow(clippy::too_many_arguments)]
    fn write(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        nomvar: &str,
        typvar: &str,
        etiket: &str,
        ip1: i32,
        ip2: i32,
        ip3: i32,
        dateo: i32,
        deet: i32,
        npas: i32,
        grtyp: &str,
        ig1: i32,
        ig2: i32,
        ig3: i32,
        ig4: i32,
        datyp: Option<i64>,
        nbits: Option<i64>,
        rewrite: bool,
        metadata: Option<&Bound<'_, PyAny>>,
        shape: Option<Vec<u32>>,
    ) -> PyResult<usize> {
        let metadata = metadata_text(metadata)?;
        let datyp = datyp.map(|v| small("datyp", v)).transpose()?;
        let nbits = nbits.map(|v| small("nbits", v)).transpose()?;
        let k = KeyArgs {
            nomvar: nomvar.to_string(),
            typvar: typvar.to_string(),
            etiket: etiket.to_string(),
            ip: [ip1, ip2, ip3],
            date: [dateo, deet, npas],
            grtyp: grtyp.to_string(),
            ig: [ig1, ig2, ig3, ig4],
        };
        self.put(py, data, k, datyp, nbits, rewrite, metadata, shape)
    }

    /// Packs and appends several records, in parallel on every core, and returns their
    /// keys: `records` is an iterable of `(data, keys)` pairs, `keys` a dict of `write`'s
    /// keyword arguments except `rewrite`. The file gets the same bytes as `write` of
    /// each pair in order. The arrays are read in place (no copy), about 256 MB at a
    /// time, packed on every core while the GIL is held (other Python threads wait; no
    /// one can change an array while it is packed). On an error, the records before the
    /// failing one are written and the error says which record of the batch failed.
    fn write_many(&self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
        let mut out = Vec::new();
        let mut batch: Vec<(RecordKeys, Held<'_>)> = Vec::new();
        let mut bytes = 0usize;
        // Names the failing record in the exception (a note, as Python 3.11 shows them).
        let at = |position: usize, e: PyErr| {
            let note = format!("record {position} of the batch given to write_many; the records before it are written");
            let _ = e.value(py).call_method1("add_note", (note,));
            e
        };
        let flush = |batch: &mut Vec<(RecordKeys, Held<'_>)>, out: &mut Vec<usize>| {
            let first = out.len();
            self.put_many(batch)
                .map(|keys| out.extend(keys))
                .map_err(|(written, e)| at(first + written, e))
        };
        for (position, item) in records.try_iter()?.enumerate() {
            match item.and_then(|item| record_of_item(py, &item)) {
                Ok((keys, values)) => {
                    bytes += values.bytes();
                    batch.push((keys, values));
                }
                Err(e) => {
                    // The records before this one are written, as `write` in a loop would.
                    flush(&mut batch, &mut out)?;
                    return Err(at(position, e));
                }
            }
            if bytes >= PY_BATCH_BYTES {
                flush(&mut batch, &mut out)?;
                bytes = 0;
            }
        }
        flush(&mut batch, &mut out)?;
        Ok(out)
    }

    /// Writes librmn's file-level metadata record (`Meta_WriteFile`: nomvar `META`,
    /// typvar `X`, etiket `FILE_JSON`, 1-bit binary 360×180) carrying `metadata` (a
    /// dict, or a str holding JSON); stored in RSF files only, as librmn does.
    fn write_file_metadata(&self, py: Python<'_>, metadata: &Bound<'_, PyAny>) -> PyResult<usize> {
        let Some(json) = metadata_text(Some(metadata))? else {
            return Err(usage("metadata must be a dict or a JSON string"));
        };
        self.with_writer(py, |w| w.write_file_metadata(&json))
    }

    /// `write(..., rewrite=True)`: replaces the live record with the same keys (librmn's
    /// `fstecr` with rewrite), or adds it when there is none.
    #[pyo3(signature = (data, **keys))]
    fn rewrite(
        slf: &Bound<'_, Self>,
        data: &Bound<'_, PyAny>,
        keys: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<usize> {
        let kwargs = match keys {
            Some(k) => k.copy()?,
            None => PyDict::new(slf.py()),
        };
        kwargs.set_item("rewrite", true)?;
        slf.call_method("write", (data,), Some(&kwargs))?.extract()
    }

    /// Writes every row of a Polars DataFrame with fstpy's columns (`nomvar`, `typvar`,
    /// `etiket`, `ip1`..`ip3`, `dateo`, `deet`, `npas`, `grtyp`, `ig1`..`ig4`, `datyp`,
    /// `nbits`, `metadata`; missing ones take `write`'s defaults) and a `d` column holding
    /// each record's numpy array. Edited decoded columns (`level`/`ip1_kind`, `ip2_dec`,
    /// `ip3_dec`, `date_of_observation`, `run`/`label`/...) re-encode their keys, as
    /// fstpy's `reduce_columns`. Returns the new keys.
    fn write_frame(slf: &Bound<'_, Self>, df: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
        let py = slf.py();
        let columns: Vec<String> = df.getattr("columns")?.extract()?;
        if !columns.iter().any(|c| c == "d") {
            return Err(usage(
                "the frame has no \"d\" column (one numpy array per record)",
            ));
        }
        let named = PyDict::new(py);
        named.set_item("named", true)?;
        let mut keys = Vec::new();
        for row in df.call_method("iter_rows", (), Some(&named))?.try_iter()? {
            let row = row?.cast_into::<PyDict>()?;
            let data = row
                .get_item("d")?
                .ok_or_else(|| usage("row without \"d\""))?;
            if data.is_none() {
                return Err(usage(format!(
                    "row {} has no array in \"d\" (read the data first)",
                    keys.len()
                )));
            }
            let kwargs = PyDict::new(py);
            for name in FRAME_KEYS {
                if let Some(v) = row.get_item(name)? {
                    if !v.is_none() {
                        kwargs.set_item(name, v)?;
                    }
                }
            }
            crate::reduce::apply(&row, &kwargs, keys.len())?;
            keys.push(
                slf.call_method("write", (data,), Some(&kwargs))?
                    .extract()?,
            );
        }
        Ok(keys)
    }

    /// Deletes the record at `key` (as returned by `write`, or a reader's `key` column).
    fn erase(&self, py: Python<'_>, key: usize) -> PyResult<()> {
        self.with_writer(py, |w| w.erase(key))
    }

    /// RSF: makes the records written so far durable and visible to readers (librmn's
    /// `fst24_flush`). XDF files are published at close; flushing them does nothing.
    fn flush(&self, py: Python<'_>) -> PyResult<()> {
        self.with_writer(py, Writer::flush)
    }

    /// A read-only `File` of what is on disk now: an RSF file's flushed records, an XDF
    /// file's content before this writer (until it is closed).
    fn reader(&self, py: Python<'_>) -> PyResult<PyFile> {
        PyFile::open(py, self.path.clone(), "r", false)
    }

    /// Finishes the file (a valid, closed standard file); later writes raise.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.take_writer(py, Writer::close)
    }

    /// Abandons the file instead of publishing it: XDF keeps its previous content (a new
    /// file is not created); RSF keeps the records flushed before and rolls back the rest
    /// (a new file with nothing flushed is removed). Later writes raise.
    fn discard(&self, py: Python<'_>) -> PyResult<()> {
        self.take_writer(py, Writer::discard)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Publishes the file, or discards it when the block raised.
    #[pyo3(signature = (exc_type=None, _exc=None, _tb=None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        exc_type: Option<&Bound<'_, PyAny>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        match exc_type {
            Some(t) if !t.is_none() => self.discard(py)?,
            _ => self.close(py)?,
        }
        Ok(false)
    }

    fn __repr__(&self) -> String {
        let state = self.backend().unwrap_or("closed");
        format!(
            "<fst24.Writer {:?} {state}>",
            self.path.display().to_string()
        )
    }
}
