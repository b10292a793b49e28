//! [`SparseSource`]: the byte ranges of a file that JavaScript has fetched, as the core's
//! `ReadAt`, so the core's own grid and dataset-plan code run in the browser on a
//! directory plus the few descriptor records (`>>`, `^^`, `^>`, `!!`, ...) they read.
//! A read of bytes not fetched fails and is remembered, so the caller can fetch them
//! and ask again.

use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;

use fst24::ReadAt;

/// At most this many bytes are kept (the descriptor records of a file are small; a
/// caller feeding more gets an error rather than exhausting wasm32 memory).
pub(crate) const MAX_SPARSE_BYTES: usize = 256 << 20;

/// Fetched ranges of a file of `len` bytes.
#[derive(Debug, Default)]
pub(crate) struct SparseSource {
    len: u64,
    /// Start offset → bytes.
    chunks: Mutex<BTreeMap<u64, Vec<u8>>>,
    /// Ranges `(offset, length)` read but not fetched, since the last `take_missing`.
    missing: Mutex<Vec<(u64, u64)>>,
}

impl SparseSource {
    pub(crate) fn new(len: u64) -> Self {
        SparseSource {
            len,
            ..SparseSource::default()
        }
    }

    /// Keeps `bytes`, the content of the file at `offset`.
    pub(crate) fn add(&self, offset: u64, bytes: Vec<u8>) -> Result<(), String> {
        let end = offset.checked_add(bytes.len() as u64);
        if end.is_none_or(|e| e > self.len) {
            return Err(format!(
                "{} bytes at byte offset {offset} pass the end of the file ({} bytes)",
                bytes.len(),
                self.len
            ));
        }
        let mut chunks = self
            .chunks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let held: usize = chunks.values().map(Vec::len).sum();
        if held.saturating_add(bytes.len()) > MAX_SPARSE_BYTES {
            return Err(format!(
                "keeping {} more fetched bytes would pass {MAX_SPARSE_BYTES} bytes",
                bytes.len()
            ));
        }
        let longer = chunks
            .get(&offset)
            .is_none_or(|old| old.len() < bytes.len());
        if longer {
            chunks.insert(offset, bytes);
        }
        Ok(())
    }

    /// The ranges read but not fetched since the last call.
    pub(crate) fn take_missing(&self) -> Vec<(u64, u64)> {
        std::mem::take(
            &mut *self
                .missing
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl ReadAt for SparseSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let end = offset
            .checked_add(buf.len() as u64)
            .filter(|&e| e <= self.len)
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        let chunks = self
            .chunks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Any chunk starting at or before `offset` may hold the range.
        for (&start, bytes) in chunks.range(..=offset).rev() {
            if start + bytes.len() as u64 >= end {
                let from = (offset - start) as usize;
                buf.copy_from_slice(&bytes[from..from + buf.len()]);
                return Ok(());
            }
        }
        drop(chunks);
        self.missing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((offset, buf.len() as u64));
        Err(io::Error::other(format!(
            "bytes {offset}..{end} of the file have not been fetched"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_fetched_ranges_and_remembers_the_others() {
        let s = SparseSource::new(100);
        s.add(10, (10..30).collect()).unwrap();
        let mut buf = [0u8; 5];
        s.read_exact_at(&mut buf, 12).unwrap();
        assert_eq!(buf, [12, 13, 14, 15, 16]);
        assert!(s.read_exact_at(&mut buf, 27).is_err()); // passes the chunk's end
        assert!(s.read_exact_at(&mut buf, 96).is_err()); // passes the file's end
        assert_eq!(s.take_missing(), vec![(27, 5)]);
        assert!(s.take_missing().is_empty());
        assert!(s.add(98, vec![0; 5]).is_err());
    }
}
