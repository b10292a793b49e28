//! [`Writer`]: writing standard files of either backend.
//!
//! ```no_run
//! use fst24::writer::{RecordKeys, Writer, WriterOptions};
//! let mut w = Writer::create("out.fst", WriterOptions::default())?;
//! let mut keys = RecordKeys::new("TT", 4, 3, 1);
//! keys.datyp = 5;
//! keys.nbits = 32;
//! let values: Vec<f32> = (0..12).map(|i| i as f32).collect();
//! w.write(&keys, &values)?;
//! w.close()?;
//! # Ok::<(), fst24::Error>(())
//! ```
//!
//! Backend of a new file: [`WriterOptions::backend`], else `FST_OPTIONS` `BACKEND=RSF` or
//! `BACKEND=XDF` (first three letters, case-insensitive, as librmn's `c_fst_env_var`
//! reads it), else **XDF** — librmn 20's default for new files (`fst24_open`, spec rsf.md
//! §4.2; librmn's `src/fst/README.md`: a new file is RSF only with the `RSF` option or
//! `BACKEND=RSF` in `FST_OPTIONS`). An existing file keeps its format. How each backend keeps readers from seeing a
//! half-written file is described in `container::xdf::write` and `container::rsf::write`
//! (XDF: temporary file renamed at close; RSF: segment header rewritten last).

mod batch;
mod data;
mod encode;
mod keys;
mod metadata;
mod packed;
mod repair;

pub use crate::io::sibling::{self, clean_stale_temporaries};
pub use batch::{pack, PackedRecord};
pub use data::Data;
use encode::PackedData;
pub use keys::RecordKeys;
pub use repair::{repair, Repaired};

use std::path::{Path, PathBuf};

use crate::container::rsf::write::RsfWriter;
use crate::container::xdf::write::XdfWriter;
use crate::container::Backend;
use crate::error::{Result, UsageError};
use crate::record::SearchKeys;

/// How to open a file for writing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriterOptions {
    /// Backend of a new file; `None` = `FST_OPTIONS`, else XDF.
    pub backend: Option<Backend>,
    /// RSF parallel mode: several writers (threads with their own [`Writer`], or
    /// processes) append to the same file at once, each in its own reserved segment.
    pub parallel: bool,
    /// Reservation size of a parallel segment in MiB; `None` = `FST_OPTIONS`
    /// `SEGMENT_SIZE_MB`, else 1000 (librmn's default).
    pub segment_size_mb: Option<u64>,
    /// XDF append: write into the file itself instead of a copy renamed at close. Saves
    /// copying a large file, but librmn cannot read the file until it is closed (see
    /// `container::xdf::write`).
    pub xdf_in_place: bool,
    /// [`Writer::create`] makes a new file only: refused when the path holds a file with
    /// content or another writer (thread or process) is creating it, and never replacing
    /// a file that appears meanwhile (Python's `"w"`). Default: replace at close.
    pub create_new: bool,
}

impl WriterOptions {
    /// Options selecting `backend`.
    pub fn backend(backend: Backend) -> Self {
        WriterOptions {
            backend: Some(backend),
            ..Self::default()
        }
    }
}

/// The value of `key` in an `FST_OPTIONS`-style string (`KEY=value;KEY=value`).
fn fst_option(options: &str, key: &str) -> Option<String> {
    options.split(';').find_map(|item| {
        let (k, v) = item.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().to_string())
    })
}

/// The backend `FST_OPTIONS` asks for, if any.
fn env_backend(options: &str) -> Option<Backend> {
    let v = fst_option(options, "BACKEND")?;
    let head: String = v.chars().take(3).collect::<String>().to_ascii_uppercase();
    match head.as_str() {
        "RSF" => Some(Backend::Rsf),
        "XDF" => Some(Backend::Xdf),
        _ => None,
    }
}

fn segment_mb(options: &WriterOptions) -> u64 {
    options
        .segment_size_mb
        .or_else(|| {
            let env = std::env::var("FST_OPTIONS").ok()?;
            fst_option(&env, "SEGMENT_SIZE_MB")?.parse().ok()
        })
        .unwrap_or(1000)
        .max(1)
}

/// Segment size for a parallel RSF writer; 0 (one segment, no split) otherwise.
fn parallel_segment_mb(options: &WriterOptions) -> u64 {
    if options.parallel {
        segment_mb(options)
    } else {
        0
    }
}

#[derive(Debug)]
enum Inner {
    Xdf(XdfWriter),
    Rsf(RsfWriter),
}

/// A standard file open for writing. Close it with [`Writer::close`] to see errors;
/// dropping it closes it too, ignoring them (or rolls it back, as [`Writer::discard`],
/// when a write failed with an I/O error).
#[derive(Debug)]
pub struct Writer {
    inner: Option<Inner>,
    path: PathBuf,
    /// An I/O error happened while writing: the session is not published (see `close`).
    failed: bool,
}

impl Writer {
    /// The writer of an opened backend for `path`.
    fn over(inner: Inner, path: &Path) -> Writer {
        Writer {
            inner: Some(inner),
            path: path.to_path_buf(),
            failed: false,
        }
    }

    /// Remembers an I/O failure of the session (a full disk, a file-size limit...).
    fn watch<T>(&mut self, r: Result<T>) -> Result<T> {
        if matches!(r, Err(crate::Error::Io(_))) {
            self.failed = true;
        }
        r
    }

    /// Creates (or replaces, unless [`WriterOptions::create_new`]) the file at `path`;
    /// through a symbolic link, the file it points to. Temporaries that killed writers
    /// left beside `path` are removed first ([`clean_stale_temporaries`]).
    ///
    /// # Errors
    /// I/O errors (`AlreadyExists` for [`WriterOptions::create_new`] when the file
    /// exists); a usage error when another writer is creating the same file or `path` is
    /// a dangling symbolic link.
    pub fn create(path: impl AsRef<Path>, options: WriterOptions) -> Result<Writer> {
        let user_path = path.as_ref();
        let path = &sibling::resolve(user_path)?;
        clean_stale_temporaries(path);
        let replace = !options.create_new;
        let backend = options.backend.unwrap_or_else(|| {
            std::env::var("FST_OPTIONS")
                .ok()
                .and_then(|o| env_backend(&o))
                .unwrap_or(Backend::Xdf)
        });
        let inner = match backend {
            Backend::Xdf if options.parallel => {
                return Err(UsageError::InvalidArgument(
                    "parallel writing needs the RSF backend".into(),
                )
                .into())
            }
            Backend::Xdf => Inner::Xdf(XdfWriter::create(path, replace)?),
            Backend::Rsf => Inner::Rsf(RsfWriter::open(
                path,
                !options.parallel,
                replace,
                parallel_segment_mb(&options),
            )?),
        };
        Ok(Writer::over(inner, user_path))
    }

    /// Opens an existing file to add records; it keeps its format.
    ///
    /// # Errors
    /// I/O errors, a file that is not a closed standard file, or one open by a writer.
    pub fn append(path: impl AsRef<Path>) -> Result<Writer> {
        Writer::append_with(path, WriterOptions::default())
    }

    /// [`Writer::append`] with options (parallel RSF mode, which also creates a missing
    /// file; the backend option only applies then).
    ///
    /// # Errors
    /// As [`Writer::append`].
    pub fn append_with(path: impl AsRef<Path>, options: WriterOptions) -> Result<Writer> {
        let user_path = path.as_ref();
        let path = &sibling::resolve(user_path)?;
        clean_stale_temporaries(path);
        if !sibling::has_content(path) {
            if options.parallel {
                let inner = Inner::Rsf(RsfWriter::open(path, false, false, segment_mb(&options))?);
                return Ok(Writer::over(inner, user_path));
            }
            // Never replace a file another creator publishes meanwhile.
            let options = WriterOptions {
                create_new: true,
                ..options
            };
            return Writer::create(user_path, options);
        }
        let mut prefix = [0u8; 24];
        {
            use std::io::Read;
            let mut f = std::fs::File::open(path)?;
            f.read_exact(&mut prefix)?;
        }
        let inner = match Backend::detect(&prefix)? {
            Backend::Xdf if options.parallel => {
                return Err(UsageError::InvalidArgument(
                    "parallel writing needs an RSF file".into(),
                )
                .into())
            }
            Backend::Xdf => Inner::Xdf(XdfWriter::append(path, options.xdf_in_place)?),
            Backend::Rsf => Inner::Rsf(RsfWriter::open(
                path,
                false,
                false,
                parallel_segment_mb(&options),
            )?),
        };
        Ok(Writer::over(inner, user_path))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Backend of the file.
    pub fn backend(&self) -> Option<Backend> {
        match self.inner.as_ref()? {
            Inner::Xdf(_) => Some(Backend::Xdf),
            Inner::Rsf(_) => Some(Backend::Rsf),
        }
    }

    /// Number of directory entries this writer knows (deleted ones included; in RSF
    /// parallel mode, of its own view): the index the next record gets. After a failed
    /// [`Writer::write_many`], the growth since the call is the number of records written.
    pub fn directory_len(&self) -> usize {
        match &self.inner {
            Some(Inner::Xdf(w)) => w.directory_len(),
            Some(Inner::Rsf(w)) => w.directory_len(),
            None => 0,
        }
    }

    fn inner(&mut self) -> Result<&mut Inner> {
        self.inner.as_mut().ok_or_else(|| UsageError::Closed.into())
    }

    /// Packs and appends a record; returns its directory index (for [`Writer::erase`];
    /// in RSF parallel mode it numbers this writer's view of the file only).
    /// `keys.metadata` is stored as the record's extended metadata in RSF and dropped in
    /// XDF, which cannot hold it (librmn drops it with a warning).
    ///
    /// # Errors
    /// Usage errors for keys out of range, a datyp/nbits/value type combination librmn
    /// cannot store or read back, a value count that does not match `ni·nj·nk`, or
    /// metadata that is not JSON.
    pub fn write<'a>(&mut self, keys: &RecordKeys, data: impl Into<Data<'a>>) -> Result<usize> {
        let record = batch::prepare(keys, data.into(), self.is_xdf()?)?;
        self.store_prepared(&record.search, &record.data, &record.ext)
    }

    /// True for an XDF file; a usage error once closed.
    fn is_xdf(&mut self) -> Result<bool> {
        Ok(matches!(self.inner()?, Inner::Xdf(_)))
    }

    /// Appends a record with its search words, data area and extended metadata words.
    fn store_prepared(
        &mut self,
        search: &SearchKeys,
        data: &PackedData<'_>,
        ext: &[u32],
    ) -> Result<usize> {
        let r = match self.inner()? {
            Inner::Xdf(w) => w.write(search, &data.words, data.padding),
            Inner::Rsf(w) => w.write(search, &data.words, data.padding, ext),
        };
        self.watch(r)
    }

    /// Appends a record whose data area is already packed (`words`, as
    /// [`crate::File::read_words`] returns them, from a file of either backend) with the
    /// keys, datyp, nbits and data size of `header`: a lossless copy, no decoding or
    /// re-quantising. Returns the record's directory index.
    ///
    /// # Errors
    /// Usage errors for keys the target backend cannot hold (ni/nj above 24 bits or 64-bit
    /// integers in XDF) or an undefined datyp; a format error when `words` is shorter than
    /// the packing of `ni·nj·nk` values needs.
    pub fn write_packed(&mut self, header: &crate::RecordHeader, words: &[u32]) -> Result<usize> {
        self.write_packed_with_metadata(header, words, None)
    }

    /// [`Writer::write_packed`] with extended JSON metadata (stored in RSF, dropped in
    /// XDF, as in [`Writer::write`]).
    ///
    /// # Errors
    /// As [`Writer::write_packed`]; usage error for metadata that is not JSON.
    pub fn write_packed_with_metadata(
        &mut self,
        header: &crate::RecordHeader,
        words: &[u32],
        metadata: Option<&str>,
    ) -> Result<usize> {
        let xdf = self.is_xdf()?;
        let ext = metadata::stored_words(metadata, xdf)?;
        let (search, data) = packed::passthrough(header, words, xdf)?;
        self.store_prepared(&search, &PackedData::from(data), &ext)
    }

    /// Copies record `index` of `file` as it is stored ([`Writer::write_packed`]), with
    /// its extended metadata when both files are RSF.
    ///
    /// # Errors
    /// As [`crate::File::read_words`] and [`Writer::write_packed`], naming the record.
    pub fn copy_record(&mut self, file: &crate::File, index: usize) -> Result<usize> {
        let rec = file.record(index)?;
        let words = file.read_words(index)?;
        self.write_packed_with_metadata(&rec.header, &words, rec.extended_metadata())
            .map_err(|e| e.at(Some(index), Some(rec.entry.data_offset)))
    }

    /// Writes librmn's file-level metadata record (`Meta_WriteFile`): nomvar `META`,
    /// typvar `X`, etiket `FILE_JSON`, grid `L` with ig1 = ig2 = 100, a 360×180 1-bit
    /// binary field (all zero here) and `json` as its extended metadata. XDF drops the
    /// metadata, as for any record (librmn writes this record to RSF files).
    ///
    /// # Errors
    /// As [`Writer::write`]; usage error for text that is not JSON.
    pub fn write_file_metadata(&mut self, json: &str) -> Result<usize> {
        const NI: u32 = 360;
        const NJ: u32 = 180;
        let mut k = RecordKeys::new("META", NI, NJ, 1);
        k.typvar = crate::record::Name::new("X");
        k.etiket = crate::record::Name::new("FILE_JSON");
        k.grtyp = b'L';
        k.ig1 = 100;
        k.ig2 = 100;
        k.datyp = 0;
        k.nbits = 1;
        k.metadata = Some(json.to_string());
        let bitmap = vec![0u32; (NI * NJ).div_ceil(32) as usize];
        self.write(&k, Data::Words(&bitmap))
    }

    /// Deletes the record at directory `index`.
    ///
    /// # Errors
    /// Usage error for an index out of range or already deleted; I/O errors.
    pub fn erase(&mut self, index: usize) -> Result<()> {
        let r = match self.inner()? {
            Inner::Xdf(w) => w.erase(index),
            Inner::Rsf(w) => w.erase(index),
        };
        self.watch(r)
    }

    /// fst24's `fst24_write(..., FST_YES)`: deletes the live record with the same keys
    /// (every key except the data type and widths; the valid date included), then appends.
    /// Returns the new record's index.
    ///
    /// # Errors
    /// As [`Writer::write`].
    pub fn rewrite<'a>(&mut self, keys: &RecordKeys, data: impl Into<Data<'a>>) -> Result<usize> {
        let record = batch::prepare(keys, data.into(), self.is_xdf()?)?;
        self.replace_prepared(&record)
    }

    /// Deletes the live record with the keys of `record` (as [`Writer::rewrite`]), then
    /// appends `record`.
    fn replace_prepared(&mut self, record: &batch::Prepared<'_>) -> Result<usize> {
        let search = record.search;
        let found = match self.inner()? {
            Inner::Xdf(w) => w.live().find(|(_, k)| keys::same_record(k, &search)),
            Inner::Rsf(w) => w.live().find(|(_, k)| keys::same_record(k, &search)),
        }
        .map(|(i, _)| i);
        if let Some(index) = found {
            self.erase(index)?;
            if let Inner::Xdf(w) = self.inner()? {
                w.count_rewrite();
            }
        }
        self.store_prepared(&search, &record.data, &record.ext)
    }

    /// RSF: closes the current segment so its records survive a crash (librmn's
    /// `fst24_flush`). XDF: nothing to do, the file is published at close.
    ///
    /// # Errors
    /// I/O errors.
    pub fn flush(&mut self) -> Result<()> {
        if self.failed {
            return Err(failed_session());
        }
        let r = match self.inner()? {
            Inner::Xdf(_) => Ok(()),
            Inner::Rsf(w) => w.close_segment(),
        };
        self.watch(r)
    }

    /// Finishes the file: afterwards it is a valid, closed standard file.
    ///
    /// # Errors
    /// I/O errors; the XDF file then keeps its previous content. After a write that
    /// failed with an I/O error (full disk...) nothing is published: the session is rolled
    /// back as by [`Writer::discard`] and an error returned.
    pub fn close(mut self) -> Result<()> {
        self.finish()
    }

    /// Abandons the session instead of publishing it (an error while writing, an
    /// exception in a `with` block). XDF: the file keeps its previous content (a new file
    /// is not created). RSF: records flushed before stay (flush published them), later
    /// ones are rolled back; a new file with nothing flushed is removed.
    ///
    /// # Errors
    /// I/O errors while rolling back.
    pub fn discard(mut self) -> Result<()> {
        match self.inner.take() {
            None => Ok(()),
            Some(Inner::Xdf(mut w)) => {
                w.discard();
                Ok(())
            }
            Some(Inner::Rsf(w)) => w.discard(),
        }
    }

    fn finish(&mut self) -> Result<()> {
        if self.failed {
            // Never publish a session that lost records to an I/O error.
            return match self.inner.take() {
                None => Ok(()),
                Some(inner) => Writer::over(inner, &self.path)
                    .discard()
                    .and(Err(failed_session())),
            };
        }
        match self.inner.take() {
            None => Ok(()),
            Some(Inner::Xdf(w)) => w.close(),
            Some(Inner::Rsf(w)) => w.close(),
        }
    }
}

/// Packs a record as [`Writer::write`] would store it in a file of `backend`, without
/// writing it: the record's header (as a reader lists it) and its data area (as
/// [`crate::File::read_words`] returns it; [`crate::decode_packed_into`] decodes it).
///
/// # Errors
/// As [`Writer::write`].
pub fn pack_record<'a>(
    keys: &RecordKeys,
    data: impl Into<Data<'a>>,
    backend: Backend,
) -> Result<(crate::RecordHeader, Vec<u32>)> {
    let record = batch::prepare(keys, data.into(), backend == Backend::Xdf)?;
    let words = record.data.into_area();
    Ok((
        crate::RecordHeader::from_keys(&record.search, backend),
        words,
    ))
}

fn failed_session() -> crate::Error {
    std::io::Error::other(
        "an earlier write failed: the session was rolled back (XDF: the file keeps its \
         previous content; RSF: records up to the last flush are kept)",
    )
    .into()
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fst_options_backend() {
        assert_eq!(env_backend("BACKEND=RSF"), Some(Backend::Rsf));
        assert_eq!(
            env_backend("segment_size_mb=5; backend=xdf"),
            Some(Backend::Xdf)
        );
        assert_eq!(env_backend("BACKEND=rsf_please"), Some(Backend::Rsf));
        assert_eq!(env_backend("TURBOCOMP=FAST"), None);
        assert_eq!(
            fst_option("A=1;SEGMENT_SIZE_MB=7", "segment_size_mb").as_deref(),
            Some("7")
        );
    }
}
