//! Where bytes come from: a positional, shareable read trait and its implementations.

#[cfg(feature = "mmap")]
pub(crate) mod lock;
mod mmap;
mod source;

#[cfg(feature = "mmap")]
pub use mmap::MmapSource;
pub use source::{FileSource, ReadAt, SeekSource};
