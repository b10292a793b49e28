//! [`FstFile`]: an open file, opened and listed on the calling thread or the libuv pool.

use std::sync::Arc;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::array::DecodedArray;
use crate::columns::RecordTable;
use crate::errors::{closed, js_error, open_error, out_of_range};
use crate::options::{decode_options, ReadOptions};

/// An open RPN standard file (read-only, XDF or RSF); the native half of index.js's class.
#[napi]
pub struct FstFile {
    /// `None` after `close()`.
    inner: Option<Arc<fst24::File>>,
}

#[napi]
impl FstFile {
    /// Opens the file at `path` and reads its directory.
    #[napi(factory)]
    pub fn open(path: String) -> napi::Result<FstFile> {
        open_file(&path)
    }

    /// Like `open`, on the libuv thread pool.
    #[napi(ts_return_type = "Promise<FstFile>")]
    pub fn open_async(path: String) -> AsyncTask<OpenTask> {
        AsyncTask::new(OpenTask { path })
    }

    /// `"xdf"` or `"rsf"`.
    #[napi(getter)]
    pub fn backend(&self) -> napi::Result<String> {
        Ok(self.file()?.backend().to_string())
    }

    /// Number of live records.
    #[napi(getter)]
    pub fn length(&self) -> napi::Result<u32> {
        Ok(self.file()?.records().len() as u32)
    }

    /// True after `close()`.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner.is_none()
    }

    /// Releases the file (its descriptor closes once pending async reads finish).
    #[napi]
    pub fn close(&mut self) {
        self.inner = None;
    }

    /// The core's JSON array of every live record (`fst24::RecordInfo`), directory order.
    #[napi]
    pub fn records_json(&self) -> napi::Result<String> {
        Ok(self.file()?.records_json())
    }

    /// Like `recordsJson`, on the libuv thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn records_json_async(&self) -> napi::Result<AsyncTask<RecordsTask>> {
        Ok(AsyncTask::new(RecordsTask {
            file: Arc::clone(self.file()?),
        }))
    }

    /// Every live record as columns, directory order (what index.js builds records
    /// from: no JSON to write or parse).
    #[napi]
    pub fn records_columns(&self) -> napi::Result<RecordTable> {
        Ok(RecordTable::new(self.file()?.records_columns()))
    }

    /// Like `recordsColumns`, on the libuv thread pool.
    #[napi(ts_return_type = "Promise<RecordTable>")]
    pub fn records_columns_async(&self) -> napi::Result<AsyncTask<ColumnsTask>> {
        Ok(AsyncTask::new(ColumnsTask {
            file: Arc::clone(self.file()?),
        }))
    }

    /// Things librmn would only log while opening (bad checksums, unclosed files, ...).
    #[napi]
    pub fn warnings(&self) -> napi::Result<Vec<String>> {
        Ok(self.file()?.warnings().to_vec())
    }

    /// Decodes the record whose `key` (directory position) is given.
    #[napi]
    pub fn read_record(
        &self,
        key: f64,
        options: Option<ReadOptions>,
    ) -> napi::Result<DecodedArray> {
        let file = self.file()?;
        let index = live_key(file, key)?;
        let options = decode_options(options.as_ref())?;
        let array = file.read_with(index, &options).map_err(js_error)?;
        Ok(DecodedArray::new(array))
    }

    /// Like `readRecord`, decoding on the libuv thread pool.
    #[napi(ts_return_type = "Promise<DecodedArray>")]
    pub fn read_record_async(
        &self,
        key: f64,
        options: Option<ReadOptions>,
    ) -> napi::Result<AsyncTask<ReadTask>> {
        let file = self.file()?;
        let index = live_key(file, key)?;
        let options = decode_options(options.as_ref())?;
        Ok(AsyncTask::new(ReadTask {
            file: Arc::clone(file),
            index,
            options,
        }))
    }
}

impl FstFile {
    fn file(&self) -> napi::Result<&Arc<fst24::File>> {
        self.inner.as_ref().ok_or_else(closed)
    }
}

fn open_file(path: &str) -> napi::Result<FstFile> {
    let file = fst24::File::open(path).map_err(|e| open_error(path, e))?;
    Ok(FstFile {
        inner: Some(Arc::new(file)),
    })
}

/// `key` if it is the directory position of a live record, else a range error.
fn live_key(file: &fst24::File, key: f64) -> napi::Result<usize> {
    let records = file.records();
    let found = (key.fract() == 0.0 && key >= 0.0 && key <= usize::MAX as f64)
        .then(|| {
            records
                .binary_search_by_key(&(key as usize), |r| r.index)
                .ok()
        })
        .flatten();
    found.map(|_| key as usize).ok_or_else(|| {
        out_of_range(format!(
            "record key {key} is not the key of a live record (the file has {} records, keys 0..{})",
            records.len(),
            file.directory_len()
        ))
    })
}

/// An open on the libuv pool.
pub struct OpenTask {
    path: String,
}

impl Task for OpenTask {
    type Output = FstFile;
    type JsValue = FstFile;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        open_file(&self.path)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// The records' JSON, built on the libuv pool.
pub struct RecordsTask {
    file: Arc<fst24::File>,
}

impl Task for RecordsTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.file.records_json())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// The records' columns, built on the libuv pool.
pub struct ColumnsTask {
    file: Arc<fst24::File>,
}

impl Task for ColumnsTask {
    type Output = fst24::record::RecordColumns;
    type JsValue = RecordTable;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.file.records_columns())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(RecordTable::new(output))
    }
}

/// A decode run on the libuv pool.
pub struct ReadTask {
    file: Arc<fst24::File>,
    index: usize,
    options: fst24::DecodeOptions,
}

impl Task for ReadTask {
    type Output = fst24::Array;
    type JsValue = DecodedArray;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        self.file
            .read_with(self.index, &self.options)
            .map_err(js_error)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(DecodedArray::new(output))
    }
}
