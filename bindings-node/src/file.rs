//! [`FstFile`]: an open file, and [`open`].

use std::sync::Arc;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::array::DecodedArray;
use crate::meta::RecordMeta;
use crate::options::{decode_options, ReadOptions};

/// A core error as a JS `Error` (the core's message names offset and record).
fn js_error(err: fst24::Error) -> napi::Error {
    napi::Error::from_reason(err.to_string())
}

/// An open RPN standard file (read-only, XDF or RSF).
#[napi]
pub struct FstFile {
    inner: Arc<fst24::File>,
}

/// Opens the file at `path` and reads its directory.
#[napi]
pub fn open(path: String) -> napi::Result<FstFile> {
    FstFile::open(path)
}

#[napi]
impl FstFile {
    /// Opens the file at `path` and reads its directory.
    #[napi(factory)]
    pub fn open(path: String) -> napi::Result<FstFile> {
        let file = fst24::File::open(&path)
            .map_err(|e| napi::Error::from_reason(format!("{path}: {e}")))?;
        Ok(FstFile {
            inner: Arc::new(file),
        })
    }

    /// `"XDF"` or `"RSF"`.
    #[napi(getter)]
    pub fn backend(&self) -> String {
        self.inner.backend().to_string()
    }

    /// Number of live records.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.inner.records().len() as u32
    }

    /// Metadata of every live record, in directory order.
    #[napi]
    pub fn records(&self) -> Vec<RecordMeta> {
        self.inner
            .records()
            .iter()
            .enumerate()
            .map(|(position, rec)| RecordMeta::new(position, rec))
            .collect()
    }

    /// Things librmn would only log while opening (bad checksums, unclosed files, ...).
    #[napi]
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings().to_vec()
    }

    /// Decodes the record at `position` (an index into `records()`).
    #[napi]
    pub fn read_record(
        &self,
        position: u32,
        options: Option<ReadOptions>,
    ) -> napi::Result<DecodedArray> {
        let index = directory_index(&self.inner, position)?;
        let options = decode_options(options.as_ref())?;
        let array = self.inner.read_with(index, &options).map_err(js_error)?;
        Ok(DecodedArray::new(array))
    }

    /// Like `readRecord`, decoding on the libuv thread pool; resolves to the same object.
    #[napi(ts_return_type = "Promise<DecodedArray>")]
    pub fn read_record_async(
        &self,
        position: u32,
        options: Option<ReadOptions>,
    ) -> napi::Result<AsyncTask<ReadTask>> {
        let index = directory_index(&self.inner, position)?;
        let options = decode_options(options.as_ref())?;
        Ok(AsyncTask::new(ReadTask {
            file: Arc::clone(&self.inner),
            index,
            options,
        }))
    }
}

/// Directory index of the record at `position`, or a RangeError-style message.
fn directory_index(file: &fst24::File, position: u32) -> napi::Result<usize> {
    let records = file.records();
    records
        .get(position as usize)
        .map(|r| r.index)
        .ok_or_else(|| {
            napi::Error::from_reason(format!(
                "record position {position} out of range (the file has {} records)",
                records.len()
            ))
        })
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
