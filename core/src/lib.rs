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

// No `pub` item outside the API, and no public signature naming a type callers cannot name.
#![warn(unreachable_pub, unnameable_types)]

// The supported API: the root re-exports below and these modules. `tests/public_api.txt`
// lists every public item; `tests/public_api.rs` fails when it changes unnoticed.
pub mod dataset;
pub mod error;
pub mod grid;
pub mod ip;
pub mod record;
pub mod select;
pub mod stats;
pub mod table;
pub mod time;
pub mod vertical;
pub mod writer;

// Wire level (packers, directory and segment structures): crate-private, public only with
// the `internals` feature for fuzz targets, benches and tests. Not a supported API.
#[cfg(feature = "internals")]
pub mod codec;
#[cfg(not(feature = "internals"))]
mod codec;
#[cfg(feature = "internals")]
pub mod container;
#[cfg(not(feature = "internals"))]
mod container;
#[cfg(feature = "internals")]
pub mod fuzzing;

mod array;
mod attr_value;
mod backend;
mod file;
mod io;
mod limits;
mod packed;
#[cfg(test)]
mod test_support;

pub use array::{Array, OutSlice, Values};
pub use backend::Backend;
pub use codec::{output_len, DecodeOptions, MissingMode};
pub use container::rsf::{read_layout as read_rsf_layout, RsfLayout, SegmentInfo, SegmentKind};
pub use container::{DirEntry, Directory, Scanner, DETECT_LEN, READ_AHEAD_MAX};
pub use error::{
    Error, FormatError, FormatErrorKind, LimitsExceeded, Result, Unsupported, UsageError,
};
pub use file::{File, OpenOptions, Record, SourceKind};
#[cfg(feature = "mmap")]
pub use io::MmapSource;
pub use io::{populate_pages, FileSource, ReadAt, SeekSource, POPULATE_BYTES};
pub use limits::Limits;
pub use packed::{decode_packed, decode_packed_into, PackingKeys};
pub use record::{DataType, ElementType, RecordHeader};
pub use writer::{RecordKeys, Writer, WriterOptions};
