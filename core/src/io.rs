//! Where bytes come from (a positional, shareable read trait and its implementations) and
//! the file-system pieces writers share: whole-file locks and temporary siblings; fresh
//! output memory populated before the decoders fill it.

pub(crate) mod lock;
#[cfg(feature = "mmap")]
mod mmap;
mod populate;
// Public as `writer::sibling` (its only public path); io holds it so containers need not
// use writer.
pub mod sibling;
mod source;

#[cfg(feature = "mmap")]
pub use mmap::MmapSource;
pub use populate::{populate_pages, POPULATE_BYTES};
pub use source::{FileSource, ReadAt, SeekSource};
