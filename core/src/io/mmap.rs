//! Memory-mapped file source (feature `mmap`).

use std::io;

use super::ReadAt;

/// A read-only memory map of a whole file.
#[derive(Debug)]
pub struct MmapSource {
    map: memmap2::Mmap,
}

impl MmapSource {
    /// Maps `file` read-only.
    ///
    /// # Errors
    /// When the operating system refuses the mapping.
    pub fn new(file: &std::fs::File) -> io::Result<Self> {
        // SAFETY: the map is read-only. Another process truncating the file while it is
        // mapped would fault on access (SIGBUS); like every mmap reader we accept that risk,
        // and the binding only maps files above a size threshold where reads would be slow.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(file)? };
        Ok(MmapSource { map })
    }
}

impl ReadAt for MmapSource {
    fn len(&self) -> u64 {
        self.map.len() as u64
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let start = usize::try_from(offset).map_err(|_| io::ErrorKind::UnexpectedEof)?;
        let end = start
            .checked_add(buf.len())
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        let src = self
            .map
            .get(start..end)
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(src);
        Ok(())
    }

    fn as_slice(&self) -> Option<&[u8]> {
        Some(&self.map)
    }
}
