//! RSF (librmn 20 "Random Segmented File") container.
//!
//! Spec: `shared/spec/rsf.md`. PLACEHOLDER: implemented by the RSF work package.

use crate::container::Directory;
use crate::error::Result;
use crate::Limits;

/// Sans-I/O reader of an RSF directory (see [`crate::container::Scanner`]).
#[derive(Debug)]
pub struct RsfScanner {
    file_len: u64,
    limits: Limits,
}

impl RsfScanner {
    /// A scanner for a file of `file_len` bytes.
    pub fn new(file_len: u64, limits: Limits) -> Self {
        RsfScanner { file_len, limits }
    }

    /// See [`crate::container::Scanner::next_read`].
    pub fn next_read(&self) -> Option<(u64, usize)> {
        None
    }

    /// See [`crate::container::Scanner::feed`].
    ///
    /// # Errors
    /// Format errors.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        let _ = (bytes, self.file_len, self.limits);
        Err(crate::Unsupported::Other("RSF files are not supported yet").into())
    }

    /// See [`crate::container::Scanner::finish`].
    ///
    /// # Errors
    /// Always, until RSF is implemented.
    pub fn finish(self) -> Result<Directory> {
        Err(crate::Unsupported::Other("RSF files are not supported yet").into())
    }
}
