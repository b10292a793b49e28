//! The one error type of the crate.
//!
//! Split as image-tiff does it: the file is wrong ([`FormatError`]), the file is valid but
//! not supported ([`Unsupported`]), I/O, a configured limit was hit ([`LimitsExceeded`]),
//! or the caller misused the API ([`UsageError`]). Format errors carry the byte offset and
//! the record index where they were found, so a user can locate the damage.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::backend::Backend;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error the crate returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system failed to read or write.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes do not follow the format (truncated, corrupted or hostile file).
    #[error(transparent)]
    Format(#[from] FormatError),
    /// The file is valid but uses something this crate does not implement.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    /// A configured limit (see [`crate::Limits`]) would be exceeded.
    #[error(transparent)]
    Limits(#[from] LimitsExceeded),
    /// The caller passed an argument that cannot work.
    #[error(transparent)]
    Usage(#[from] UsageError),
}

impl Error {
    /// Fills in the record index and byte offset of a format error that lacks them.
    ///
    /// Decoders know nothing about where their bytes came from; the file layer calls this
    /// on the way out so the message names the record and where it sits in the file.
    #[must_use]
    pub fn at(self, record: Option<usize>, offset: Option<u64>) -> Self {
        match self {
            Error::Format(mut e) => {
                e.record = e.record.or(record);
                e.offset = e.offset.or(offset);
                Error::Format(e)
            }
            Error::Limits(mut e) => {
                e.record = e.record.or(record);
                Error::Limits(e)
            }
            other => other,
        }
    }

    /// Names the file an error came from, so every binding's message says which file is
    /// damaged (format and limit errors get the path as a field, I/O errors in their text).
    #[must_use]
    pub fn in_file(self, path: &Path) -> Self {
        match self {
            Error::Format(mut e) => {
                e.file.get_or_insert_with(|| path.to_path_buf());
                Error::Format(e)
            }
            Error::Limits(mut e) => {
                e.file.get_or_insert_with(|| path.to_path_buf());
                Error::Limits(e)
            }
            Error::Io(e) => {
                let prefix = format!("{}: ", path.display());
                if e.to_string().starts_with(&prefix) {
                    Error::Io(e)
                } else {
                    Error::Io(std::io::Error::new(e.kind(), format!("{prefix}{e}")))
                }
            }
            other => other,
        }
    }
}

/// The file does not follow the format.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormatError {
    /// What is wrong.
    pub kind: FormatErrorKind,
    /// Which container the error was found in, when known.
    pub backend: Option<Backend>,
    /// Byte offset in the file where the bad structure starts, when known.
    pub offset: Option<u64>,
    /// Record index (directory position) concerned, when known.
    pub record: Option<usize>,
    /// File the error was found in, when read from a path.
    pub file: Option<PathBuf>,
}

impl FormatError {
    /// A format error with no location yet.
    pub fn new(kind: FormatErrorKind) -> Self {
        FormatError {
            kind,
            backend: None,
            offset: None,
            record: None,
            file: None,
        }
    }

    /// Sets the byte offset.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Sets the backend.
    #[must_use]
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = Some(backend);
        self
    }

    /// Sets the record index.
    #[must_use]
    pub fn record(mut self, record: usize) -> Self {
        self.record = Some(record);
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(b) = self.backend {
            // The format's name in prose (the value spelling is `b.name()`).
            write!(f, "{}: ", b.name().to_ascii_uppercase())?;
        }
        write!(f, "{}", self.kind)?;
        if let Some(r) = self.record {
            write!(f, " (record {r})")?;
        }
        if let Some(o) = self.offset {
            write!(f, " at byte offset {o}")?;
        }
        if let Some(p) = &self.file {
            write!(f, " in {}", p.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for FormatError {}

/// The ways a file can be malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatErrorKind {
    /// Neither an XDF nor an RSF signature.
    #[error("not an RPN standard file (no XDF `STDR` or RSF `RSF0STDF` signature)")]
    NotFst,
    /// The file ends before a structure that must be there.
    #[error("file truncated: {what} needs bytes up to {needed} but the file has {available}")]
    Truncated {
        /// Structure being read.
        what: &'static str,
        /// End offset of the structure.
        needed: u64,
        /// File length.
        available: u64,
    },
    /// A field holds a value the format does not allow.
    #[error("invalid {what}: {value}")]
    InvalidValue {
        /// Field name.
        what: &'static str,
        /// Value found.
        value: u64,
    },
    /// A field differs from the value the format requires.
    #[error("bad {what}: expected {expected:#x}, found {found:#x}")]
    Mismatch {
        /// Field name.
        what: &'static str,
        /// Required value.
        expected: u64,
        /// Value found.
        found: u64,
    },
    /// XOR checksum of an XDF directory page is not zero.
    #[error("directory page checksum mismatch (xor of checked words is {xor:#010x})")]
    BadChecksum {
        /// XOR of the covered words (0 when valid).
        xor: u32,
    },
    /// A chain of pages or segments points back at itself.
    #[error("{what} chain loops back to byte offset {target}")]
    ChainLoop {
        /// Chain being walked.
        what: &'static str,
        /// Offset visited twice.
        target: u64,
    },
    /// The packed data area is shorter than its keys imply.
    #[error("packed data too short: {needed} 32-bit words needed, {available} stored")]
    PayloadTooShort {
        /// Words the packer needs.
        needed: u64,
        /// Words stored in the record.
        available: u64,
    },
    /// The packed data is internally inconsistent.
    #[error("corrupt packed data: {what}")]
    CorruptPayload {
        /// What is inconsistent.
        what: &'static str,
    },
    /// The data type code is not one librmn defines.
    #[error("invalid data type {datyp} with {nbits} bits")]
    InvalidDatyp {
        /// Stored datyp.
        datyp: u8,
        /// Stored nbits.
        nbits: u8,
    },
    /// Records that depend on each other do not agree (grid or vertical descriptors
    /// missing or of the wrong size, variables that do not form a hypercube).
    #[error("inconsistent records: {0}")]
    Inconsistent(String),
}

/// Valid but unimplemented input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unsupported {
    /// Sequential XDF (`STDS`) files.
    #[error("sequential XDF files (STDS) are not supported")]
    SequentialXdf,
    /// Pre-1990 standard files.
    #[error("1989-format standard files are not supported")]
    Legacy1989,
    /// An RSF file whose application code is not `STDF`.
    #[error("RSF file with application code {0:?} is not a standard file")]
    RsfApplication(String),
    /// A record written with a newer format version than this crate knows.
    #[error("{what} version {version} is newer than supported")]
    Version {
        /// Which version field.
        what: &'static str,
        /// Version found.
        version: u32,
    },
    /// A (datyp, nbits) pair that is valid on disk but not decodable here.
    #[error("data type {datyp} with {nbits} bits is not supported")]
    Datyp {
        /// Stored datyp.
        datyp: u8,
        /// Stored nbits.
        nbits: u8,
    },
    /// Something else, described.
    #[error("{0}")]
    Other(&'static str),
}

/// A limit of [`crate::Limits`] would be exceeded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LimitsExceeded {
    /// Which limit.
    pub what: &'static str,
    /// Amount requested.
    pub requested: u64,
    /// Configured limit.
    pub limit: u64,
    /// Record concerned, when known.
    pub record: Option<usize>,
    /// File concerned, when read from a path.
    pub file: Option<PathBuf>,
}

impl LimitsExceeded {
    /// A new limit error.
    pub fn new(what: &'static str, requested: u64, limit: u64) -> Self {
        LimitsExceeded {
            what,
            requested,
            limit,
            record: None,
            file: None,
        }
    }

    /// The allocation was within the limits but the system refused it (shown as such).
    #[must_use]
    pub(crate) fn refused_by_system(mut self) -> Self {
        self.limit = 0;
        self
    }
}

impl fmt::Display for LimitsExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.limit == 0 {
            write!(
                f,
                "out of memory: {} needs {} bytes that the system refused",
                self.what, self.requested
            )?;
        } else {
            write!(
                f,
                "limit exceeded: {} needs {} but the limit is {}",
                self.what, self.requested, self.limit
            )?;
        }
        if let Some(r) = self.record {
            write!(f, " (record {r})")?;
        }
        if let Some(p) = &self.file {
            write!(f, " in {}", p.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for LimitsExceeded {}

/// The caller misused the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// Record index past the end of the directory.
    #[error("record index {index} out of range (the file has {len} directory entries)")]
    IndexOutOfRange {
        /// Index asked for.
        index: usize,
        /// Number of entries.
        len: usize,
    },
    /// The record at this index was deleted.
    #[error("record {0} is deleted")]
    Deleted(usize),
    /// Output buffer of the wrong element type.
    #[error("cannot decode a {natural} record into a {requested} buffer")]
    ElementType {
        /// Natural element type of the record.
        natural: &'static str,
        /// Element type of the buffer.
        requested: &'static str,
    },
    /// Output buffer of the wrong length.
    #[error("output buffer holds {got} elements but the record has {needed}")]
    BufferLength {
        /// Elements needed.
        needed: usize,
        /// Elements given.
        got: usize,
    },
    /// The file was closed.
    #[error("file is closed")]
    Closed,
    /// A write on a read-only file.
    #[error("file is open read-only")]
    ReadOnly,
    /// Any other bad argument.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A name that is not one of the accepted spellings (`FromStr` of the core's enums).
    #[error("{what} must be {expected}, not {got:?}")]
    UnknownName {
        /// What was being named (`missing`, `backend`, `element type`).
        what: &'static str,
        /// The accepted names, for the message.
        expected: &'static str,
        /// What was given.
        got: String,
    },
}
