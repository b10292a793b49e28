//! Node.js binding of fst24 (napi-rs), the native half: `FstFile` opens a file (on the
//! calling thread or the libuv pool), hands its records over as columns (the core's
//! `RecordColumns`, rebuilt into the shape every binding shares by the core's builder) and decodes records into typed arrays.
//! `index.js` wraps it in the public API (errors, `close`/`Symbol.dispose`, iterators).
//! The binding only converts arguments, calls the core and wraps results.

mod array;
mod columns;
mod errors;
mod file;
mod options;

pub use array::DecodedArray;
pub use columns::RecordTable;
pub use file::FstFile;
pub use options::ReadOptions;
