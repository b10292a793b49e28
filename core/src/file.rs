//! [`File`]: an open standard file of either backend, listing its records and decoding them.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::array::{Array, OutSlice};
use crate::codec::{self, DecodeOptions};
use crate::container::{self, Backend, DirEntry};
use crate::error::{Result, UsageError};
use crate::io::{FileSource, ReadAt, SeekSource};
use crate::record::{ElementType, RecordHeader, RecordInfo};
use crate::Limits;

mod area;

/// A live record: decoded keys plus where its bytes are.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Directory position (librmn's `file_index`); stable across deletions.
    pub index: usize,
    /// Decoded keys.
    pub header: RecordHeader,
    /// Raw directory entry (offsets, lengths, extended metadata).
    pub entry: DirEntry,
}

impl Record {
    /// Byte offset of the record in the file (fst24's `file_offset`).
    pub fn file_offset(&self) -> u64 {
        self.entry.record_offset
    }

    /// Stored record size in bytes (fst24's `total_stored_bytes`).
    pub fn stored_bytes(&self) -> u64 {
        self.entry.record_len
    }

    /// Extended JSON metadata (RSF), as stored.
    pub fn extended_metadata(&self) -> Option<&str> {
        self.entry.extended_metadata.as_deref()
    }
}

/// How [`File::open_with`] reads a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SourceKind {
    /// Memory-map files of at least this many bytes, read smaller ones with pread.
    ///
    /// Opt-in only: if another process truncates a mapped file, touching the lost pages
    /// kills this process with SIGBUS, which no error handling can catch. Positional reads
    /// turn the same truncation into an error.
    MmapAbove(u64),
    /// Always positional reads (the default).
    #[default]
    Pread,
    /// Read the whole file into memory.
    InMemory,
}

/// Options of [`File::open_with`].
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct OpenOptions {
    /// How the bytes are read.
    pub source: SourceKind,
    /// Allocation ceilings.
    pub limits: Limits,
    /// Recovery mode, for files librmn refuses (never closed, zero or damaged directory
    /// pages, an RSF segment never closed): when the directory cannot be used, list the
    /// records whose own bytes are intact by walking the file (with a warning saying so).
    pub recover: bool,
}

/// An open RPN standard file (read-only).
///
/// `File` is `Send + Sync`: many threads may decode records of one file at once.
pub struct File {
    source: Arc<dyn ReadAt>,
    backend: Backend,
    records: Vec<Record>,
    /// Directory position → position in `records` (`u32::MAX` for deleted entries).
    by_index: Vec<u32>,
    warnings: Vec<String>,
    limits: Limits,
    /// `limits.max_alloc_bytes`, changeable through a shared reference (bindings adjust
    /// it on files already open, and the dataset plan sees the change).
    max_alloc_bytes: AtomicU64,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File")
            .field("path", &self.path)
            .field("backend", &self.backend)
            .field("records", &self.records.len())
            .finish_non_exhaustive()
    }
}

/// Opens `path` for reading if it is a regular file. Anything else is refused before the
/// open: opening a FIFO with no writer blocks forever, a device never ends.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let not_regular = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a directory, FIFO, socket or device cannot be a standard file)",
        )
    };
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path)?;
    // The path may have been replaced between the two calls.
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The byte source of the regular file at `path`, read as `kind` says; errors name the path.
pub(crate) fn open_source(path: &Path, kind: SourceKind) -> Result<Arc<dyn ReadAt>> {
    let file = open_regular(path).map_err(|e| crate::Error::from(e).in_file(path))?;
    let len = file
        .metadata()
        .map_err(|e| crate::Error::from(e).in_file(path))?
        .len();
    #[cfg(not(feature = "mmap"))]
    let _ = len; // only the mmap threshold looks at the length
    Ok(match kind {
        #[cfg(feature = "mmap")]
        SourceKind::MmapAbove(threshold) if len >= threshold => {
            Arc::new(crate::io::MmapSource::new(&file)?)
        }
        SourceKind::InMemory => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut &file, &mut bytes)
                .map_err(|e| crate::Error::from(e).in_file(path))?;
            Arc::new(bytes)
        }
        _ => Arc::new(FileSource::new(file).map_err(|e| crate::Error::from(e).in_file(path))?),
    })
}

/// Scratch bytes a thread keeps between reads (larger buffers are freed after the read).
const SCRATCH_KEEP: usize = 64 << 20;

thread_local! {
    /// Per-thread scratch for packed bytes and words, so repeated reads do not allocate.
    static SCRATCH: RefCell<(Vec<u8>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl File {
    /// Opens a file on disk with default options.
    ///
    /// # Errors
    /// I/O errors, and format errors naming the offset of the bad structure.
    pub fn open(path: impl AsRef<Path>) -> Result<File> {
        File::open_with(path, OpenOptions::default())
    }

    /// Opens a file on disk.
    ///
    /// # Errors
    /// As [`File::open`].
    pub fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<File> {
        let path = path.as_ref();
        let source = open_source(path, options.source)?;
        let opened = if options.recover {
            File::recover_source(source, options.limits)
        } else {
            File::from_source(source, options.limits)
        };
        let mut f = opened.map_err(|e| e.in_file(path))?;
        f.path = Some(path.to_path_buf());
        Ok(f)
    }

    /// Reads a file held in memory.
    ///
    /// # Errors
    /// Format errors naming the offset of the bad structure.
    pub fn from_bytes(bytes: impl Into<Arc<[u8]>>) -> Result<File> {
        File::from_source(Arc::new(bytes.into()), Limits::default())
    }

    /// Reads through any `Read + Seek` (wrapped in a mutex).
    ///
    /// # Errors
    /// As [`File::open`].
    pub fn from_reader<R: std::io::Read + std::io::Seek + Send + 'static>(
        reader: R,
    ) -> Result<File> {
        File::from_source(Arc::new(SeekSource::new(reader)?), Limits::default())
    }

    /// Reads through a positional source.
    ///
    /// # Errors
    /// As [`File::open`].
    pub fn from_source(source: Arc<dyn ReadAt>, limits: Limits) -> Result<File> {
        let (backend, directory) = container::scan(source.as_ref(), &limits)?;
        File::from_directory(source, backend, directory, limits)
    }

    /// [`File::from_source`] in recovery mode ([`OpenOptions::recover`]): the directory
    /// when it can be used whole, else the records found by walking the file.
    ///
    /// # Errors
    /// I/O errors, a file of neither format, or limit errors.
    pub fn recover_source(source: Arc<dyn ReadAt>, limits: Limits) -> Result<File> {
        let scanned = container::scan(source.as_ref(), &limits);
        // An RSF segment never closed hides its records from the directory.
        let usable = match &scanned {
            Ok((_, d)) => !d.warnings.iter().any(|w| w.contains("never closed")),
            Err(_) => false,
        };
        if let (true, Ok((backend, directory))) = (usable, scanned) {
            return File::from_directory(source, backend, directory, limits);
        }
        let len = source.len().min(container::DETECT_LEN as u64) as usize;
        let mut prefix = vec![0u8; len];
        source.read_exact_at(&mut prefix, 0)?;
        let backend = Backend::detect(&prefix)?;
        let directory = container::recover::recover(source.as_ref(), backend, &limits)?;
        File::from_directory(source, backend, directory, limits)
    }

    /// A file over `source` whose directory was read already, e.g. by the sans-I/O
    /// scanner (`container::Scanner`) of a browser that fetches byte ranges itself; its
    /// reads go to `source`, which may hold only the ranges a caller fetched (a read
    /// of anything else is the source's I/O error).
    ///
    /// # Errors
    /// None today; kept fallible like the other constructors.
    pub fn from_directory(
        source: Arc<dyn ReadAt>,
        backend: Backend,
        directory: container::Directory,
        limits: Limits,
    ) -> Result<File> {
        let mut records = Vec::with_capacity(directory.entries.len());
        let mut by_index = vec![u32::MAX; directory.entries.len()];
        for entry in directory.entries {
            if entry.deleted {
                continue;
            }
            by_index[entry.index] = records.len() as u32;
            records.push(Record {
                index: entry.index,
                header: RecordHeader::from_keys(&entry.keys, backend),
                entry,
            });
        }
        Ok(File {
            source,
            backend,
            records,
            by_index,
            warnings: directory.warnings,
            limits,
            max_alloc_bytes: AtomicU64::new(limits.max_alloc_bytes),
            path: None,
        })
    }

    /// Backend of the file.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Path given to [`File::open`], if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Live records in directory order (what a wildcard `fstinl` lists).
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The metadata every binding shows for `rec` (one of [`File::records`]).
    pub fn record_info(&self, rec: &Record) -> RecordInfo {
        RecordInfo::new(
            rec.index,
            &rec.header,
            rec.file_offset(),
            rec.stored_bytes(),
            rec.extended_metadata(),
            self.backend,
        )
    }

    /// [`File::record_info`] of every live record as one JSON array (see
    /// [`RecordInfo::to_json`]): what the Node and WASM bindings hand to `JSON.parse`.
    pub fn records_json(&self) -> String {
        let infos: Vec<RecordInfo> = self.records.iter().map(|r| self.record_info(r)).collect();
        crate::record::records_json(&infos)
    }

    /// [`File::record_info`] of every live record as columns ([`crate::record::RecordColumns`]): what
    /// the Node binding turns into record objects without JSON.
    pub fn records_columns(&self) -> crate::record::RecordColumns {
        crate::record::RecordColumns::from_rows(self.backend, self.record_rows(&self.records))
    }

    /// The columns of the live records at positions `range` (directory order), continuing
    /// `builder`'s earlier batches (see [`crate::record::ColumnsBuilder`]; make it with this
    /// file's [`File::backend`]); `None` when `range` is not within the live records.
    pub fn records_columns_batch(
        &self,
        builder: &mut crate::record::ColumnsBuilder,
        range: std::ops::Range<usize>,
    ) -> Option<crate::record::RecordColumns> {
        let records = self.records.get(range)?;
        Some(builder.batch(self.record_rows(records)))
    }

    fn record_rows<'a>(
        &self,
        records: &'a [Record],
    ) -> impl ExactSizeIterator<Item = crate::record::RecordRow<'a>> {
        records.iter().map(|r| crate::record::RecordRow {
            key: r.index,
            header: &r.header,
            offset: r.file_offset(),
            length: r.stored_bytes(),
            metadata: r.extended_metadata(),
        })
    }

    /// Number of directory entries, deleted ones included (`c_fstnbr`).
    pub fn directory_len(&self) -> usize {
        self.by_index.len()
    }

    /// Things librmn would only log while opening (bad checksums, unclosed files, ...).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Limits in force.
    pub fn limits(&self) -> Limits {
        let mut limits = self.limits;
        limits.max_alloc_bytes = self.max_alloc_bytes.load(Ordering::Relaxed);
        limits
    }

    /// Changes the limits for later reads.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.set_max_alloc_bytes(limits.max_alloc_bytes);
    }

    /// Changes [`Limits::max_alloc_bytes`] for later reads, also on a shared file.
    pub fn set_max_alloc_bytes(&self, bytes: u64) {
        self.max_alloc_bytes.store(bytes, Ordering::Relaxed);
    }

    /// The byte source (shared).
    pub fn source(&self) -> &Arc<dyn ReadAt> {
        &self.source
    }

    /// The live record at directory position `index`.
    ///
    /// # Errors
    /// [`UsageError::IndexOutOfRange`] or [`UsageError::Deleted`].
    pub fn record(&self, index: usize) -> Result<&Record> {
        match self.by_index.get(index) {
            None => Err(UsageError::IndexOutOfRange {
                index,
                len: self.by_index.len(),
            }
            .into()),
            Some(&u32::MAX) => Err(UsageError::Deleted(index).into()),
            Some(&pos) => Ok(&self.records[pos as usize]),
        }
    }

    /// Byte offset and length of what a read of `rec` takes from the file: RSF, the
    /// whole record, so its framing is checked before its data is trusted; XDF, the data
    /// area, shortened to the whole words there are when the end of the file cuts it
    /// (such a record is listed with a warning; the decoder refuses it if it needs more).
    fn stored_range(&self, rec: &Record) -> Result<(u64, u64)> {
        let entry = &rec.entry;
        let (offset, size) = match self.backend {
            Backend::Rsf => (entry.record_offset, entry.record_len),
            Backend::Xdf => (entry.data_offset, entry.data_len),
        };
        let size = match self.backend {
            Backend::Xdf if offset.saturating_add(size) > self.source.len() => {
                let there = self.source.len().saturating_sub(offset);
                if there == 0 {
                    return Err(crate::Error::from(crate::FormatError::new(
                        crate::FormatErrorKind::Truncated {
                            what: "record data",
                            needed: offset.saturating_add(size),
                            available: self.source.len(),
                        },
                    ))
                    .at(Some(rec.index), Some(offset)));
                }
                there - there % 4
            }
            _ => size,
        };
        Ok((offset, size))
    }

    /// Decodes a record of a streamed packing (`codec::stream`) with `decode`, reading
    /// its data area a window at a time into the thread's word scratch.
    fn streamed<T>(
        &self,
        rec: &Record,
        decode: impl FnOnce(&mut dyn codec::stream::AreaWords) -> Result<T>,
    ) -> Result<T> {
        let (_, size) = self.stored_range(rec)?;
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let words = &mut guard.1;
            let result = area::Area::new(&*self.source, self.backend, &rec.entry, size, words)
                .and_then(|mut area| decode(&mut area))
                .map_err(|e| e.at(Some(rec.index), Some(rec.entry.data_offset)));
            if words.capacity() > SCRATCH_KEEP / 4 {
                *words = Vec::new();
            }
            result
        })
    }

    /// Runs `f` on the record's data area as word values (per-thread scratch, no allocation
    /// after the first call on a thread).
    fn with_words<T>(&self, rec: &Record, f: impl FnOnce(&[u32]) -> Result<T>) -> Result<T> {
        let entry = &rec.entry;
        let (offset, size) = self.stored_range(rec)?;
        let len = usize::try_from(size).map_err(|_| {
            crate::LimitsExceeded::new("packed record bytes", size, usize::MAX as u64)
        })?;
        self.limits()
            .check_alloc(size)
            .map_err(|e| e.at(Some(rec.index), None))?;
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (bytes, words) = &mut *guard;
            let area = if let Some(all) = self.source.as_slice() {
                let start = offset as usize;
                all.get(start..start + len).ok_or_else(|| {
                    crate::Error::from(crate::FormatError::new(crate::FormatErrorKind::Truncated {
                        what: "record data",
                        needed: offset + size,
                        available: all.len() as u64,
                    }))
                    .at(Some(rec.index), Some(offset))
                })?
            } else {
                bytes.resize(len, 0);
                self.source.read_exact_at(bytes, offset)?;
                &bytes[..]
            };
            if self.backend == Backend::Rsf {
                let data = container::rsf::frame::record_payload(entry, area)
                    .map_err(|e| e.at(Some(rec.index), None))?;
                container::words_from_bytes(self.backend, data, words);
            } else {
                container::words_from_bytes(self.backend, area, words);
            }
            let result = f(words).map_err(|e| e.at(Some(rec.index), Some(entry.data_offset)));
            // Keep small scratch for the next read, but do not hold a huge record's
            // bytes and words on every thread after it is decoded.
            if words.capacity() > SCRATCH_KEEP / 4 {
                *words = Vec::new();
            }
            if bytes.capacity() > SCRATCH_KEEP {
                *bytes = Vec::new();
            }
            result
        })
    }

    /// The record's packed data area as 32-bit word values (no decoding).
    ///
    /// # Errors
    /// I/O errors and usage errors for a bad index.
    pub fn read_words(&self, index: usize) -> Result<Vec<u32>> {
        let rec = self.record(index)?;
        self.with_words(rec, |w| Ok(w.to_vec()))
            .map_err(|e| self.located(e))
    }

    /// Checks, before anything is allocated, that decoding record `index` into a buffer of
    /// type `out` (its natural type when `None`) stays within the limits (output and decoder
    /// scratch) and that its stored data is long enough for its dimensions. Every read
    /// calls it; a binding that allocates the output itself calls it first.
    ///
    /// # Errors
    /// Usage errors for a bad index; limit and format errors naming record, offset and file.
    pub fn check_read(&self, index: usize, out: Option<ElementType>) -> Result<&Record> {
        let rec = self.record(index)?;
        let h = &rec.header;
        let natural = h.element_type().ok_or_else(|| {
            crate::Error::from(crate::FormatError::new(
                crate::FormatErrorKind::InvalidDatyp {
                    datyp: h.datyp.raw(),
                    nbits: h.nbits,
                },
            ))
        });
        let checked = natural.and_then(|natural| {
            codec::check_sizes(
                h,
                out.unwrap_or(natural),
                rec.entry.data_len / 4,
                &self.limits(),
            )
        });
        checked.map_err(|e| self.located(e.at(Some(index), Some(rec.entry.data_offset))))?;
        Ok(rec)
    }

    /// Adds this file's path to an error (record and offset are added where they arise).
    pub(crate) fn located(&self, e: crate::Error) -> crate::Error {
        match &self.path {
            Some(p) => e.in_file(p),
            None => e,
        }
    }

    /// Decodes the record at directory position `index` with default options.
    ///
    /// # Errors
    /// I/O, format (naming the record and its offset), limit and usage errors.
    pub fn read(&self, index: usize) -> Result<Array> {
        self.read_with(index, &DecodeOptions::default())
    }

    /// Decodes the record at directory position `index`.
    ///
    /// # Errors
    /// As [`File::read`].
    pub fn read_with(&self, index: usize, options: &DecodeOptions) -> Result<Array> {
        let rec = self.check_read(index, None)?;
        if codec::stream::streamable(&rec.header) {
            return self
                .streamed(rec, |area| {
                    codec::stream::decode(&rec.header, area, options)
                })
                .map_err(|e| self.located(e));
        }
        self.with_words(rec, |w| {
            codec::decode(&rec.header, w, options, &self.limits())
        })
        .map_err(|e| self.located(e))
    }

    /// Decodes the record at directory position `index` into a caller-provided buffer.
    ///
    /// # Errors
    /// As [`File::read`], plus usage errors for a buffer of the wrong type or length.
    pub fn read_into(
        &self,
        index: usize,
        out: OutSlice<'_>,
        options: &DecodeOptions,
    ) -> Result<()> {
        let rec = self.check_read(index, Some(out.element_type()))?;
        if codec::stream::streamable(&rec.header) {
            return self
                .streamed(rec, |area| {
                    codec::stream::decode_into(&rec.header, area, out, options)
                })
                .map_err(|e| self.located(e));
        }
        self.with_words(rec, |w| codec::decode_into(&rec.header, w, out, options))
            .map_err(|e| self.located(e))
    }

    /// Decodes several records into caller-provided buffers, one `(index, buffer)` pair per
    /// record, in parallel when the `parallel` feature is on. Decoding into memory the caller
    /// already owns avoids allocating (and page-faulting) fresh outputs on the decode path.
    ///
    /// Returns one result per pair, in order; see [`File::read_into`] for the errors.
    pub fn read_many_into(
        &self,
        jobs: Vec<(usize, OutSlice<'_>)>,
        options: &DecodeOptions,
    ) -> Vec<Result<()>> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            jobs.into_par_iter()
                .map(|(i, out)| self.read_into(i, out, options))
                .collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            jobs.into_iter()
                .map(|(i, out)| self.read_into(i, out, options))
                .collect()
        }
    }

    /// Decodes several records, in parallel when the `parallel` feature is on.
    pub fn read_many(&self, indices: &[usize], options: &DecodeOptions) -> Vec<Result<Array>> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            indices
                .par_iter()
                .map(|&i| self.read_with(i, options))
                .collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            indices
                .iter()
                .map(|&i| self.read_with(i, options))
                .collect()
        }
    }
}
