//! WebAssembly binding of fst24 for browsers (and Node): lists the records of an XDF or
//! RSF file without loading it whole, and decodes one record on demand.
//!
//! The directory is read "sans I/O": JavaScript asks [`FstScanner::next_read`] which byte
//! range it wants, reads it from a `Blob` (`blob.slice(a, b).arrayBuffer()`), and hands the
//! bytes to [`FstScanner::feed`]. `www/fst24.js` holds that loop (`openBlob`). The binding
//! only converts arguments, calls the core and wraps results; errors become JS `Error`s
//! whose message names the offset and record.

mod directory;
mod errors;
mod grid;
mod plan;
mod scanner;
mod sparse;
mod table;
mod values;

pub use directory::FstDirectory;
pub use scanner::FstScanner;
pub use table::RecordTable;
