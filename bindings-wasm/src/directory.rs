//! [`FstDirectory`]: the listed records of a scanned file, and on-demand decoding.

use wasm_bindgen::prelude::*;

use fst24::codec::{self, DecodeOptions};
use fst24::container::{words_from_bytes, Backend, DirEntry, Directory};
use fst24::{Limits, MissingMode, RecordHeader};

use crate::errors::{to_js, usage};
use crate::meta::record_object;
use crate::values::array_object;

/// One live record: decoded keys and where its bytes are.
struct Entry {
    header: RecordHeader,
    entry: DirEntry,
}

/// The live records of a file, in directory order. Records are addressed by their
/// position `0..length` in this list (each record object also carries its directory
/// `index`, which counts deleted entries too).
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

    fn get(&self, position: usize) -> Result<&Entry, JsError> {
        self.entries.get(position).ok_or_else(|| {
            usage(&format!(
                "record position {position} out of range (the file has {} records)",
                self.entries.len()
            ))
        })
    }
}

#[wasm_bindgen]
impl FstDirectory {
    /// `"XDF"` or `"RSF"`.
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

    /// Metadata of every live record, as plain objects (see `record`).
    pub fn records(&self) -> js_sys::Array {
        self.entries
            .iter()
            .enumerate()
            .map(|(position, e)| JsValue::from(record_object(position, &e.header, &e.entry)))
            .collect()
    }

    /// Metadata of the record at `position`: every key (as librmn's `fstprm` names them),
    /// its data type label, byte offsets, and decoded dates and levels.
    pub fn record(&self, position: usize) -> Result<js_sys::Object, JsError> {
        let e = self.get(position)?;
        Ok(record_object(position, &e.header, &e.entry))
    }

    /// The byte range `[offset, length]` holding the record's packed data, for
    /// `blob.slice(offset, offset + length)`.
    #[wasm_bindgen(js_name = dataRange)]
    pub fn data_range(&self, position: usize) -> Result<Vec<f64>, JsError> {
        let e = self.get(position)?;
        Ok(vec![e.entry.data_offset as f64, e.entry.data_len as f64])
    }

    /// Decodes the record at `position` from the bytes of its `dataRange`, into
    /// `{ shape: [ni, nj, nk], dtype, data }` where `data` is a typed array in Fortran
    /// order (`i` fastest); complex values are interleaved (re, im). `missing` chooses what
    /// missing points of +64 records become: `"plug"` (default, librmn's default),
    /// `"marker"` (librmn's missing-value mode) or `"nan"`.
    pub fn decode(
        &self,
        position: usize,
        bytes: &[u8],
        missing: Option<String>,
    ) -> Result<js_sys::Object, JsError> {
        let options = decode_options(missing.as_deref())?;
        let e = self.get(position)?;
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
        let mut words = Vec::new();
        words_from_bytes(self.backend, bytes, &mut words);
        let array = codec::decode(&e.header, &words, &options, &wasm_limits()).map_err(at)?;
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

/// The core's options for a `missing` argument.
fn decode_options(missing: Option<&str>) -> Result<DecodeOptions, JsError> {
    let mut options = DecodeOptions::default();
    options.missing = match missing {
        None | Some("plug") => MissingMode::Plug,
        Some("marker") => MissingMode::Marker,
        Some("nan") => MissingMode::Nan,
        Some(other) => {
            return Err(usage(&format!(
                "missing must be \"plug\", \"marker\" or \"nan\", not {other:?}"
            )))
        }
    };
    Ok(options)
}
