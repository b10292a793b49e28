//! [`FstDirectory`]: the listed records of a scanned file, and on-demand decoding.

use wasm_bindgen::prelude::*;

use fst24::record::{records_json, RecordInfo};
use fst24::select::Selection;
use fst24::{
    decode_packed, Backend, DecodeOptions, DirEntry, Directory, Limits, MissingMode, PackingKeys,
    RecordHeader,
};

use crate::errors::{to_js, usage};
use crate::grid::grid_object;
use crate::values::array_object;

/// One live record: decoded keys and where its bytes are.
struct Entry {
    header: RecordHeader,
    entry: DirEntry,
}

/// The live records of a file, in directory order. Records are addressed by their `key`
/// (directory position, deleted entries counted), as in every fst24 binding.
#[wasm_bindgen]
pub struct FstDirectory {
    backend: Backend,
    entries: Vec<Entry>,
    warnings: Vec<String>,
    file_len: u64,
}

impl FstDirectory {
    pub(crate) fn new(backend: Backend, directory: Directory, file_len: u64) -> Self {
        let entries = directory
            .entries
            .into_iter()
            .filter(|e| !e.deleted)
            .map(|entry| Entry {
                header: RecordHeader::from_keys(&entry.keys, backend),
                entry,
            })
            .collect();
        FstDirectory {
            backend,
            entries,
            warnings: directory.warnings,
            file_len,
        }
    }

    fn get(&self, key: usize) -> Result<&Entry, JsError> {
        self.entries
            .binary_search_by_key(&key, |e| e.entry.index)
            .map(|i| &self.entries[i])
            .map_err(|_| {
                usage(&format!(
                    "record key {key} is not the key of a live record (the file has {} records)",
                    self.entries.len()
                ))
            })
    }

    fn info(&self, e: &Entry) -> RecordInfo {
        RecordInfo::new(
            e.entry.index,
            &e.header,
            e.entry.record_offset,
            e.entry.record_len,
            e.entry.extended_metadata.as_deref(),
            self.backend,
        )
    }
}

#[wasm_bindgen]
impl FstDirectory {
    /// `"xdf"` or `"rsf"`.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.backend.to_string()
    }

    /// Number of live records.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.entries.len()
    }

    /// Size of the scanned file in bytes.
    #[wasm_bindgen(getter, js_name = fileSize)]
    pub fn file_size(&self) -> f64 {
        self.file_len as f64
    }

    /// Things librmn would only log (bad checksums, unclosed files, ...).
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Metadata of every live record as the core's JSON array (`fst24::RecordInfo`, the
    /// record shape every binding shares), for one `JSON.parse`.
    #[wasm_bindgen(js_name = recordsJson)]
    pub fn records_json(&self) -> String {
        let infos: Vec<RecordInfo> = self.entries.iter().map(|e| self.info(e)).collect();
        records_json(&infos)
    }

    /// Keys of the records that `expression`, in the core's selection language (the CLI's
    /// and Python's: `nomvar=TT,UU etiket=G1* ip1=850mb datev=2020-01-01T06..`), selects,
    /// in directory order. A bad expression is an `Error` naming the clause.
    pub fn select(&self, expression: &str) -> Result<Vec<u32>, JsError> {
        let selection = Selection::parse(expression).map_err(|e| usage(&e.to_string()))?;
        Ok(self
            .entries
            .iter()
            .filter(|e| selection.matches(&e.header))
            .map(|e| e.entry.index as u32)
            .collect())
    }

    /// The grid of record `key`: `{ description, lat, lon }` (words from the core; the
    /// latitude and longitude of every point, `i` fastest, as Float64Arrays, or null when
    /// they need positional records or the grid has no geography).
    pub fn grid(&self, key: usize) -> Result<js_sys::Object, JsError> {
        let e = self.get(key)?;
        grid_object(&e.header, key, &wasm_limits())
    }

    /// The byte range `[offset, length]` holding the record's packed data, for
    /// `blob.slice(offset, offset + length)`.
    #[wasm_bindgen(js_name = dataRange)]
    pub fn data_range(&self, key: usize) -> Result<Vec<f64>, JsError> {
        let e = self.get(key)?;
        Ok(vec![e.entry.data_offset as f64, e.entry.data_len as f64])
    }

    /// Decodes the record `key` from the bytes of its `dataRange`, into
    /// `{ shape: [ni, nj, nk], dtype, data }` where `data` is a typed array in Fortran
    /// order (`i` fastest); complex values are interleaved (re, im). `missing` chooses what
    /// missing points of +64 records become: `"plug"` (default, librmn's default),
    /// `"marker"` (librmn's missing-value mode) or `"nan"`.
    pub fn decode(
        &self,
        key: usize,
        bytes: &[u8],
        missing: Option<String>,
    ) -> Result<js_sys::Object, JsError> {
        let options = decode_options(missing.as_deref())?;
        let e = self.get(key)?;
        let at = |err: fst24::Error| to_js(err.at(Some(e.entry.index), Some(e.entry.data_offset)));
        if bytes.len() as u64 != e.entry.data_len {
            return Err(usage(&format!(
                "record {} at byte offset {}: expected its {} data bytes, got {}",
                e.entry.index,
                e.entry.data_offset,
                e.entry.data_len,
                bytes.len()
            )));
        }
        let keys = PackingKeys::of(&e.header, self.backend);
        let array = decode_packed(&keys, bytes, &options, &wasm_limits()).map_err(at)?;
        Ok(array_object(array))
    }
}

/// Allocation ceilings for wasm32, whose whole memory is 4 GiB: a record claiming more
/// than 1 GiB of decoded values is refused with an error instead of trapping.
fn wasm_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc_bytes = 1 << 30;
    limits
}

/// The core's options for a `missing` argument (the core parses the name).
fn decode_options(missing: Option<&str>) -> Result<DecodeOptions, JsError> {
    let mut options = DecodeOptions::default();
    if let Some(name) = missing {
        options.missing = name.parse::<MissingMode>().map_err(to_js)?;
    }
    Ok(options)
}
