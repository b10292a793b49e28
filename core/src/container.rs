//! Containers: how records are framed and listed, XDF or RSF, behind one directory type.
//!
//! Directory reading is written "sans I/O": a [`Scanner`] says which byte range it wants
//! next and is fed the bytes, so the same code runs over a synchronous [`ReadAt`] (here,
//! [`scan`]) and over asynchronous sources such as a browser `Blob` (the WASM binding).

// Public only with the `internals` feature (lib.rs); otherwise reached through the
// root re-exports, and the rest of its `pub` items are crate-internal.
#![cfg_attr(not(feature = "internals"), allow(unreachable_pub))]

pub mod recover;
pub mod rsf;
pub(crate) mod word_stream;
pub mod xdf;

pub use crate::backend::Backend;

use crate::error::{FormatError, FormatErrorKind, Result};
use crate::io::ReadAt;
use crate::record::SearchKeys;
use crate::Limits;

/// Bytes needed to recognise a file.
pub const DETECT_LEN: usize = 24;

impl Backend {
    /// Recognises a file from its first [`DETECT_LEN`] bytes (`c_wkoffit` rules).
    ///
    /// # Errors
    /// [`FormatErrorKind::NotFst`] for anything else; [`crate::Unsupported`] for sequential
    /// XDF and RSF files of another application.
    pub fn detect(prefix: &[u8]) -> Result<Backend> {
        if prefix.len() >= 24 && &prefix[16..20] == b"RSF0" {
            if &prefix[20..24] == b"STDF" {
                return Ok(Backend::Rsf);
            }
            let app = String::from_utf8_lossy(&prefix[20..24]).into_owned();
            return Err(crate::Unsupported::RsfApplication(app).into());
        }
        if prefix.len() >= 16 && (&prefix[8..12] == b"XDF0" || &prefix[8..12] == b"xdf0") {
            match &prefix[12..16] {
                b"STDR" => return Ok(Backend::Xdf),
                b"STDS" => return Err(crate::Unsupported::SequentialXdf.into()),
                _ => {}
            }
        }
        if prefix.len() >= 8 && prefix[..8] == [0x55; 8] {
            return Err(crate::Unsupported::Legacy1989.into());
        }
        Err(FormatError::new(FormatErrorKind::NotFst).offset(0).into())
    }
}

// Parsing a name needs the error types, so it lives here rather than in the leaf `backend`.
impl std::str::FromStr for Backend {
    type Err = crate::Error;

    /// `xdf` or `rsf`, in any letter case (`FST_OPTIONS` writes them upper case).
    fn from_str(s: &str) -> Result<Self> {
        [Backend::Xdf, Backend::Rsf]
            .into_iter()
            .find(|b| b.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                crate::UsageError::UnknownName {
                    what: "backend",
                    expected: "\"xdf\" or \"rsf\"",
                    got: s.to_owned(),
                }
                .into()
            })
    }
}

/// One directory entry: the record's keys and where its bytes are.
#[derive(Debug, Clone, PartialEq)]
pub struct DirEntry {
    /// Position in the directory, deleted entries included (librmn's record identity).
    pub index: usize,
    /// True for a deleted (erased) entry: never dereference its offsets.
    pub deleted: bool,
    /// The 16 packed key words.
    pub keys: SearchKeys,
    /// Byte offset of the whole record (XDF record header, RSF start-of-record).
    pub record_offset: u64,
    /// Length of the whole record in bytes.
    pub record_len: u64,
    /// Byte offset of the packed data area.
    pub data_offset: u64,
    /// Length of the packed data area in bytes (a multiple of 4).
    pub data_len: u64,
    /// Metadata words stored with the record (XDF: 0; RSF: 19 + extended words).
    pub meta_words: u32,
    /// Extended JSON metadata (RSF only), up to its NUL terminator, as stored.
    pub extended_metadata: Option<String>,
}

/// The listed content of a file.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Entries in directory order (deleted ones included, flagged).
    pub entries: Vec<DirEntry>,
    /// Things librmn would only log: bad checksums, unclosed files, ...
    pub warnings: Vec<String>,
}

/// A directory reader for either backend (sans I/O).
#[derive(Debug)]
pub struct Scanner {
    backend: BackendScanner,
    /// Bytes offered to [`Scanner::feed_ranges`] that the scan did not take: guesses that
    /// missed. Past [`READ_AHEAD_WASTE`], [`Scanner::next_reads`] stops guessing.
    wasted: u64,
}

/// The most bytes a round of [`Scanner::next_reads`] may guess, whatever the caller asks.
pub const READ_AHEAD_MAX: u64 = 4 << 20;

/// Bytes of missed guesses after which [`Scanner::next_reads`] guesses no more: a file
/// whose pages lie nowhere regular (or a hostile one) costs at most this much reading.
const READ_AHEAD_WASTE: u64 = 16 << 20;

/// The backend's own scanner, kept private: the wire-level scanners are no API.
#[derive(Debug)]
enum BackendScanner {
    Xdf(xdf::XdfScanner),
    Rsf(rsf::RsfScanner),
}

impl Scanner {
    /// Starts scanning a file of `file_len` bytes whose first bytes are `prefix`
    /// (at least [`DETECT_LEN`] bytes, or the whole file when shorter).
    ///
    /// # Errors
    /// As [`Backend::detect`].
    pub fn new(prefix: &[u8], file_len: u64, limits: &Limits) -> Result<Scanner> {
        let backend = match Backend::detect(prefix)? {
            Backend::Xdf => BackendScanner::Xdf(xdf::XdfScanner::new(file_len, *limits)),
            Backend::Rsf => BackendScanner::Rsf(rsf::RsfScanner::new(file_len, *limits)),
        };
        Ok(Scanner { backend, wasted: 0 })
    }

    /// Backend being scanned.
    pub fn backend(&self) -> Backend {
        match self.backend {
            BackendScanner::Xdf(_) => Backend::Xdf,
            BackendScanner::Rsf(_) => Backend::Rsf,
        }
    }

    /// The byte range `(offset, length)` to read next, or `None` when done.
    pub fn next_read(&self) -> Option<(u64, usize)> {
        match &self.backend {
            BackendScanner::Xdf(s) => s.next_read(),
            BackendScanner::Rsf(s) => s.next_read(),
        }
    }

    /// The ranges worth reading now, for a caller whose every read costs far more than its
    /// bytes (a browser reading a `Blob` or over HTTP): [`Scanner::next_read`]'s range
    /// first, then guesses of the ranges the scan will ask for after it (XDF directory
    /// pages lie at nearly regular strides), at most `budget` bytes of guesses (and never
    /// more than [`READ_AHEAD_MAX`]). Read them all in one request and hand them to
    /// [`Scanner::feed_ranges`]: 40 chained page reads become a few. Empty when done.
    pub fn next_reads(&self, budget: u64) -> Vec<(u64, usize)> {
        let budget = if self.wasted > READ_AHEAD_WASTE {
            0
        } else {
            budget.min(READ_AHEAD_MAX)
        };
        match &self.backend {
            BackendScanner::Xdf(s) => s.next_reads(budget),
            BackendScanner::Rsf(s) => s.next_read().into_iter().collect(),
        }
    }

    /// Feeds, from ranges read (`(offset, bytes)`, any order), every range the scan asks
    /// for in turn that one of them holds whole; stops at the first it asks for that none
    /// holds, or when done. The ranges [`Scanner::next_reads`] returned always hold the
    /// next one. A guess is only ever used at the offset the scan asks for, so the
    /// directory is the one [`Scanner::feed`] alone builds.
    ///
    /// # Errors
    /// As [`Scanner::feed`].
    pub fn feed_ranges(&mut self, ranges: &[(u64, &[u8])]) -> Result<()> {
        let offered: u64 = ranges.iter().map(|r| r.1.len() as u64).sum();
        let mut taken = 0u64;
        while let Some((offset, len)) = self.next_read() {
            let Some(bytes) = ranges.iter().find_map(|&(at, bytes)| {
                let start = usize::try_from(offset.checked_sub(at)?).ok()?;
                bytes.get(start..start.checked_add(len)?)
            }) else {
                break;
            };
            self.feed(bytes)?;
            taken += len as u64;
        }
        self.wasted = self.wasted.saturating_add(offered.saturating_sub(taken));
        Ok(())
    }

    /// Feeds the bytes of the range returned by [`Scanner::next_read`].
    ///
    /// # Errors
    /// Format errors naming the offset of the bad structure.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        match &mut self.backend {
            BackendScanner::Xdf(s) => s.feed(bytes),
            BackendScanner::Rsf(s) => s.feed(bytes),
        }
    }

    /// The directory, once [`Scanner::next_read`] returns `None`.
    ///
    /// # Errors
    /// When called before the scan is complete.
    pub fn finish(self) -> Result<Directory> {
        match self.backend {
            BackendScanner::Xdf(s) => s.finish(),
            BackendScanner::Rsf(s) => s.finish(),
        }
    }
}

/// Reads the whole directory of `source`.
///
/// # Errors
/// I/O errors, and format errors naming the offset of the bad structure.
pub fn scan(source: &dyn ReadAt, limits: &Limits) -> Result<(Backend, Directory)> {
    let len = source.len();
    let mut prefix = [0u8; DETECT_LEN];
    let n = usize::try_from(len.min(DETECT_LEN as u64)).unwrap_or(DETECT_LEN);
    source.read_exact_at(&mut prefix[..n], 0)?;
    let mut scanner = Scanner::new(&prefix[..n], len, limits)?;
    let backend = scanner.backend();
    let mut buf = Vec::new();
    while let Some((offset, size)) = scanner.next_read() {
        buf.resize(size, 0);
        source.read_exact_at(&mut buf, offset)?;
        scanner.feed(&buf)?;
    }
    Ok((backend, scanner.finish()?))
}

/// Error for a structure at `[offset, offset+size)` that passes the end of the file.
pub(crate) fn check_in_file(
    what: &'static str,
    offset: u64,
    size: u64,
    file_len: u64,
    backend: Backend,
) -> Result<()> {
    match offset.checked_add(size) {
        Some(end) if end <= file_len => Ok(()),
        end => Err(FormatError::new(FormatErrorKind::Truncated {
            what,
            needed: end.unwrap_or(u64::MAX),
            available: file_len,
        })
        .offset(offset)
        .backend(backend)
        .into()),
    }
}

/// Converts a data area to word values in the backend's byte order.
pub fn words_from_bytes(backend: Backend, bytes: &[u8], out: &mut Vec<u32>) {
    out.clear();
    out.reserve(bytes.len() / 4);
    let chunks = bytes.chunks_exact(4);
    match backend {
        Backend::Xdf => out.extend(chunks.map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))),
        Backend::Rsf => out.extend(chunks.map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
    }
}
