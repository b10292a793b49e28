//! Caps on what a file can make us allocate.
//!
//! Every size read from a file is checked against the file's own length before anything is
//! allocated; these limits add caller-chosen ceilings on top (the Python binding's
//! `set_memory_limit` sets [`Limits::max_alloc_bytes`]).

/// Allocation ceilings applied while reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest decoded array (bytes) one read may allocate.
    pub max_alloc_bytes: u64,
    /// Largest number of directory entries accepted in one file.
    pub max_directory_entries: u64,
    /// Largest extended-metadata (JSON) document accepted per record, in bytes.
    pub max_json_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_alloc_bytes: 16 << 30,
            max_directory_entries: 1 << 26,
            max_json_bytes: 1 << 20,
        }
    }
}

impl Limits {
    /// No caller-imposed ceiling (sizes are still checked against the file length).
    pub fn unlimited() -> Self {
        Limits {
            max_alloc_bytes: u64::MAX,
            max_directory_entries: u64::MAX,
            max_json_bytes: u64::MAX,
        }
    }

    /// Checks an allocation request of `bytes`.
    ///
    /// # Errors
    /// [`crate::Error::Limits`] when `bytes` exceeds [`Limits::max_alloc_bytes`].
    pub fn check_alloc(&self, bytes: u64) -> crate::Result<()> {
        if bytes > self.max_alloc_bytes {
            return Err(crate::error::LimitsExceeded::new(
                "decoded array bytes",
                bytes,
                self.max_alloc_bytes,
            )
            .into());
        }
        Ok(())
    }
}
