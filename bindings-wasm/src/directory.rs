//! [`FstDirectory`]: the listed records of a scanned file, on-demand decoding, and the
//! core's grids and dataset plan over the descriptor records JavaScript fetched.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use fst24::dataset::PlanOptions;
use fst24::record::ColumnsBuilder;
use fst24::select::Selection;
use fst24::{
    decode_packed, Backend, DecodeOptions, Directory, File, Limits, MissingMode, PackingKeys,
    Record,
};

use crate::errors::{to_js, usage};
use crate::grid::grid_object;
use crate::plan::plan_object;
use crate::scanner::js_len;
use crate::sparse::SparseSource;
use crate::table::RecordTable;
use crate::values::array_object;

/// The live records of a file, in directory order, over the byte ranges fetched so far.
/// Records are addressed by their `key` (directory position, deleted entries counted),
/// as in every fst24 binding.
#[wasm_bindgen]
pub struct FstDirectory {
    /// The core's file over [`SparseSource`]: its grids and dataset plan read the
    /// descriptor records JavaScript fetched.
    file: File,
    source: Arc<SparseSource>,
    file_len: u64,
    /// The record columns built so far by `nextRecordTable`, and the position of the next.
    batches: Option<(ColumnsBuilder, usize)>,
}

impl FstDirectory {
    pub(crate) fn new(
        backend: Backend,
        directory: Directory,
        file_len: u64,
    ) -> Result<Self, JsError> {
        let source = Arc::new(SparseSource::new(file_len));
        let file = File::from_directory(source.clone(), backend, directory, wasm_limits())
            .map_err(to_js)?;
        Ok(FstDirectory {
            file,
            source,
            file_len,
            batches: None,
        })
    }

    fn get(&self, key: usize) -> Result<&Record, JsError> {
        self.file.record(key).map_err(|_| {
            usage(&format!(
                "record key {key} is not the key of a live record (the file has {} records)",
                self.file.records().len()
            ))
        })
    }
}

#[wasm_bindgen]
impl FstDirectory {
    /// `"xdf"` or `"rsf"`.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.file.backend().to_string()
    }

    /// Number of live records.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.file.records().len()
    }

    /// Size of the scanned file in bytes.
    #[wasm_bindgen(getter, js_name = fileSize)]
    pub fn file_size(&self) -> f64 {
        self.file_len as f64
    }

    /// Things librmn would only log (bad checksums, unclosed files, ...).
    pub fn warnings(&self) -> Vec<String> {
        self.file.warnings().to_vec()
    }

    /// Metadata of every live record as the core's JSON array (`fst24::RecordInfo`, the
    /// record shape every binding shares), for one `JSON.parse`.
    #[wasm_bindgen(js_name = recordsJson)]
    pub fn records_json(&self) -> String {
        self.file.records_json()
    }

    /// Metadata of every live record as columns (`fst24::RecordColumns`, see
    /// [`RecordTable`]): fst24.js builds the record objects from them, ~20 times cheaper
    /// than parsing `recordsJson()`.
    #[wasm_bindgen(js_name = recordTable)]
    pub fn record_table(&self) -> RecordTable {
        RecordTable::new(self.file.records_columns(), 0)
    }

    /// The columns of the next `count` records (fewer at the end; directory order) as a
    /// [`RecordTable`] whose `start` is the first one's position: the first call starts at
    /// 0, each later one where the previous ended. Its `values` hold only the values
    /// first met in these records, numbered on from `valuesStart` (the earlier tables'
    /// count): a page builds the rows it shows first, and the rest after painting them.
    #[wasm_bindgen(js_name = nextRecordTable)]
    pub fn next_record_table(&mut self, count: usize) -> Result<RecordTable, JsError> {
        let backend = self.file.backend();
        let (builder, next) = self
            .batches
            .get_or_insert_with(|| (ColumnsBuilder::new(backend), 0));
        let start = *next;
        let end = start.saturating_add(count).min(self.file.records().len());
        let columns = self
            .file
            .records_columns_batch(builder, start..end)
            .ok_or_else(|| usage(&format!("records {start}..{end} are not in the file")))?;
        *next = end;
        Ok(RecordTable::new(columns, start))
    }

    /// Keys of the records that `expression`, in the core's selection language (the CLI's
    /// and Python's: `nomvar=TT,UU etiket=G1* ip1=850mb datev=2020-01-01T06..`), selects,
    /// in directory order. A bad expression is an `Error` naming the clause.
    pub fn select(&self, expression: &str) -> Result<Vec<u32>, JsError> {
        let selection = Selection::parse(expression).map_err(|e| usage(&e.to_string()))?;
        Ok(self
            .file
            .records()
            .iter()
            .filter(|r| selection.matches(&r.header))
            .map(|r| r.index as u32)
            .collect())
    }

    /// The grid of record `key`: `{ description, lat, lon, note }`: words from the
    /// core; the latitude and longitude of every point, `i` fastest, as Float64Arrays,
    /// from the core (`grid::horizontal_grid`: Z, Y and U grids from their `>>`, `^^`
    /// and `^>` records, read from the fetched bytes), or null with `note` saying why.
    /// After a call, `takeMissing()` lists the byte ranges it lacked (fst24.js fetches
    /// them and calls again).
    pub fn grid(&self, key: usize) -> Result<js_sys::Object, JsError> {
        let r = self.get(key)?;
        grid_object(&self.file, &r.header, key, &wasm_limits())
    }

    /// Byte ranges `[offset, length, offset, length, ...]` holding every descriptor
    /// record (`>>`, `^^`, `^>`, `!!`, `HY`, ...: what the core's grids and dataset plan
    /// read), neighbours less than 16 KiB apart merged into reads of at most 4 MiB.
    #[wasm_bindgen(js_name = descriptorRanges)]
    pub fn descriptor_ranges(&self) -> Vec<f64> {
        let wanted = self
            .file
            .records()
            .iter()
            .filter(|r| r.header.is_descriptor())
            .map(|r| (r.file_offset(), r.stored_bytes()));
        merge_ranges(wanted)
            .into_iter()
            .flat_map(|(o, l)| [o as f64, l as f64])
            .collect()
    }

    /// Hands over the file's bytes at `offset` (fetched by JavaScript).
    #[wasm_bindgen(js_name = addBytes)]
    pub fn add_bytes(&self, offset: f64, bytes: Vec<u8>) -> Result<(), JsError> {
        let offset = js_len(offset)?;
        self.source.add(offset, bytes).map_err(|e| usage(&e))
    }

    /// The byte ranges `[offset, length, ...]` the last calls wanted and lacked.
    #[wasm_bindgen(js_name = takeMissing)]
    pub fn take_missing(&self) -> Vec<f64> {
        merge_ranges(self.source.take_missing().into_iter())
            .into_iter()
            .flat_map(|(o, l)| [o as f64, l as f64])
            .collect()
    }

    /// The core's dataset plan (`fst24::dataset::plan`, fstd2nc's grouping of records
    /// into variables) over this file: `{ dims, coords, variables, warnings }`, each
    /// variable with its `dims`, `shape`, `outer_ndim` and, for every index of its outer
    /// dimensions, the key of its record (-1 for a hole). Needs the descriptor records
    /// fetched (`descriptorRanges`); `takeMissing()` says what else it lacked.
    pub fn plan(&self) -> Result<js_sys::Object, JsError> {
        let plan = fst24::dataset::plan(&[&self.file], &PlanOptions::default()).map_err(to_js)?;
        Ok(plan_object(&plan))
    }

    /// The byte range `[offset, length]` holding the record's packed data, for
    /// `blob.slice(offset, offset + length)`.
    #[wasm_bindgen(js_name = dataRange)]
    pub fn data_range(&self, key: usize) -> Result<Vec<f64>, JsError> {
        let r = self.get(key)?;
        Ok(vec![r.entry.data_offset as f64, r.entry.data_len as f64])
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
        let at = |err: fst24::Error| to_js(err.at(Some(e.index), Some(e.entry.data_offset)));
        if bytes.len() as u64 != e.entry.data_len {
            return Err(usage(&format!(
                "record {} at byte offset {}: expected its {} data bytes, got {}",
                e.index,
                e.entry.data_offset,
                e.entry.data_len,
                bytes.len()
            )));
        }
        let keys = PackingKeys::of(&e.header, self.file.backend());
        let array = decode_packed(&keys, bytes, &options, &wasm_limits()).map_err(at)?;
        Ok(array_object(array))
    }
}

/// Sorted ranges, neighbours (gaps up to 16 KiB: a few requests fewer, at most 16 KiB
/// read and kept for nothing per range) merged while a read stays within 4 MiB.
fn merge_ranges(ranges: impl Iterator<Item = (u64, u64)>) -> Vec<(u64, u64)> {
    const GAP: u64 = 16 << 10;
    const MAX_READ: u64 = 4 << 20;
    let mut sorted: Vec<(u64, u64)> = ranges.collect();
    sorted.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::new();
    for (offset, len) in sorted {
        let end = offset.saturating_add(len);
        if let Some(last) = out.last_mut() {
            let last_end = last.0 + last.1;
            if offset <= last_end.saturating_add(GAP) && end.max(last_end) - last.0 <= MAX_READ {
                last.1 = end.max(last_end) - last.0;
                continue;
            }
        }
        out.push((offset, len));
    }
    out
}

/// Allocation ceilings for wasm32, whose whole memory is 4 GiB: a record claiming more
/// than 1 GiB of decoded values is refused with an error instead of trapping.
pub(crate) fn wasm_limits() -> Limits {
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

#[cfg(test)]
mod tests {
    use super::merge_ranges;

    #[test]
    fn ranges_merge_when_close_and_small() {
        let merged = merge_ranges(
            [
                (100, 10),
                (0, 50),
                (60_000, 10),
                (60_020, 5),
                (200_000, 5 << 20),
            ]
            .into_iter(),
        );
        assert_eq!(
            merged,
            vec![(0, 110), (60_000, 25), (200_000, 5 << 20)] // a big one stays alone
        );
        let far = merge_ranges([(0, 4 << 20), (4 << 20, 10)].into_iter());
        assert_eq!(far.len(), 2, "no read above 4 MiB");
    }
}
