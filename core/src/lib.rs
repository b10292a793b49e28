//! fst24: a pure-Rust reader for ECCC's RPN standard files ("FST"), both backends:
//! classic XDF (fstd98) and RSF (fst24, librmn 20).
//!
//! ```no_run
//! let file = fst24::File::open("sample.fst")?;
//! for rec in file.records() {
//!     println!("{} {} {}x{}", rec.header.nomvar, rec.header.ip1, rec.header.ni, rec.header.nj);
//! }
//! let first = file.read(file.records()[0].index)?;
//! # Ok::<(), fst24::Error>(())
//! ```

pub mod array;
mod attr_value;
mod backend;
pub mod codec;
pub mod container;
pub mod dataset;
pub mod error;
mod file;
#[doc(hidden)]
pub mod fuzzing;
pub mod grid;
pub mod io;
pub mod ip;
mod limits;
mod packed;
pub mod record;
pub mod select;
pub mod stats;
pub mod table;
#[cfg(test)]
mod test_support;
pub mod time;
pub mod vertical;
pub mod writer;

pub use array::{Array, OutSlice, Values};
pub use backend::Backend;
pub use codec::{DecodeOptions, MissingMode};
pub use error::{
    Error, FormatError, FormatErrorKind, LimitsExceeded, Result, Unsupported, UsageError,
};
pub use file::{File, OpenOptions, Record, SourceKind};
pub use limits::Limits;
pub use packed::{decode_packed_into, PackingKeys};
pub use record::{DataType, ElementType, RecordHeader};
pub use writer::{RecordKeys, Writer, WriterOptions};
