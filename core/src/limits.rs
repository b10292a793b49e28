//! Caps on what a file can make us allocate.
//!
//! Every size read from a file is checked against the file's own length before anything is
//! allocated; these limits add caller-chosen ceilings on top (the Python binding's
//! `set_memory_limit` sets [`Limits::max_alloc_bytes`]).

/// Allocation ceilings applied while reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest decoded array (bytes) one read may allocate, decoder scratch included.
    /// The default (4 GiB) is more than any record librmn writes in practice and leaves a
    /// laptop alive when a damaged header claims billions of points.
    pub max_alloc_bytes: u64,
    /// Largest number of directory entries accepted in one file.
    pub max_directory_entries: u64,
    /// Largest extended-metadata (JSON) document accepted per record, in bytes.
    pub max_json_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_alloc_bytes: 4 << 30,
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

/// An empty vector with room for `n` values, or a [`crate::Error::Limits`] when the system
/// refuses the memory (for outputs written once by appending, without a zero fill first).
pub(crate) fn try_with_capacity<T>(n: usize, what: &'static str) -> crate::Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| {
        let bytes = (n as u64).saturating_mul(std::mem::size_of::<T>() as u64);
        crate::error::LimitsExceeded::new(what, bytes, 0).refused_by_system()
    })?;
    Ok(v)
}

/// A vector of `n` copies of `value`, or a [`crate::Error::Limits`] when the system refuses
/// the memory (sizes come from files: never abort the process on them).
pub(crate) fn try_vec<T: Clone>(n: usize, value: T, what: &'static str) -> crate::Result<Vec<T>> {
    let mut v = try_with_capacity(n, what)?;
    v.resize(n, value);
    Ok(v)
}
