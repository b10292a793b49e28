//! Node.js binding of fst24 (napi-rs), the native half: `FstFile` opens a file (on the
//! calling thread or the libuv pool), hands its records over as the core's JSON (one
//! `JSON.parse`, the shape every binding shares) and decodes records into typed arrays.
//! `index.js` wraps it in the public API (errors, `close`/`Symbol.dispose`, iterators).
//! The binding only converts arguments, calls the core and wraps results.

mod array;
mod errors;
mod file;
mod options;

pub use array::DecodedArray;
pub use file::FstFile;
pub use options::ReadOptions;
