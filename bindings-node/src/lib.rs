//! Node.js binding of fst24 (napi-rs): `open(path)` lists a file's records as plain
//! objects, `readRecord(i)` decodes one into a typed array, `readRecordAsync(i)` does the
//! same on the libuv thread pool. The binding only converts arguments, calls the core and
//! wraps results; core errors become JS `Error`s whose message names offset and record.

mod array;
mod file;
mod meta;
mod options;

pub use array::DecodedArray;
pub use file::{open, FstFile};
pub use meta::{DecodedIp, DecodedPk, RecordMeta};
pub use options::ReadOptions;
