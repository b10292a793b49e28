//! [`ReadAt`]: positional reads through `&self`, so one open file serves many threads.
//!
//! Same idea as arrow-rs's `ChunkReader`: no shared cursor, `Send + Sync`, implemented for
//! in-memory bytes, `std::fs::File` (pread) and any `Read + Seek` behind a mutex.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::{Arc, Mutex};

/// A source of bytes addressed by absolute offset.
pub trait ReadAt: Send + Sync {
    /// Total length in bytes.
    fn len(&self) -> u64;

    /// True when the source holds no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills `buf` with the bytes starting at `offset`.
    ///
    /// # Errors
    /// `UnexpectedEof` when the range passes the end, or the underlying I/O error.
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()>;

    /// The whole content, when it is already in memory (bytes or a memory map).
    fn as_slice(&self) -> Option<&[u8]> {
        None
    }
}

fn slice_read(data: &[u8], buf: &mut [u8], offset: u64) -> io::Result<()> {
    let start = usize::try_from(offset).map_err(|_| io::ErrorKind::UnexpectedEof)?;
    let end = start
        .checked_add(buf.len())
        .ok_or(io::ErrorKind::UnexpectedEof)?;
    let src = data.get(start..end).ok_or(io::ErrorKind::UnexpectedEof)?;
    buf.copy_from_slice(src);
    Ok(())
}

macro_rules! impl_read_at_for_bytes {
    ($($t:ty),*) => {$(
        impl ReadAt for $t {
            fn len(&self) -> u64 {
                <[u8]>::len(self) as u64
            }
            fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
                slice_read(self, buf, offset)
            }
            fn as_slice(&self) -> Option<&[u8]> {
                Some(self)
            }
        }
    )*};
}

impl_read_at_for_bytes!(Vec<u8>, Box<[u8]>, Arc<[u8]>, &'static [u8]);

/// A file on disk read with positional reads (pread on Unix).
#[derive(Debug)]
pub struct FileSource {
    #[cfg(any(unix, windows))]
    file: std::fs::File,
    #[cfg(not(any(unix, windows)))]
    file: Mutex<std::fs::File>,
    len: u64,
}

impl FileSource {
    /// Wraps an open file; its length is taken once, now.
    ///
    /// # Errors
    /// When the file's metadata cannot be read.
    pub fn new(file: std::fs::File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        #[cfg(any(unix, windows))]
        return Ok(FileSource { file, len });
        #[cfg(not(any(unix, windows)))]
        return Ok(FileSource {
            file: Mutex::new(file),
            len,
        });
    }
}

impl ReadAt for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    #[cfg(unix)]
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, offset)
    }

    #[cfg(windows)]
    fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        use std::os::windows::fs::FileExt;
        while !buf.is_empty() {
            match self.file.seek_read(buf, offset) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    #[cfg(not(any(unix, windows)))]
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let mut f = self
            .file
            .lock()
            .map_err(|_| io::Error::other("poisoned file lock"))?;
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }
}

/// Any `Read + Seek` (a caller's reader) made positional by a mutex.
#[derive(Debug)]
pub struct SeekSource<R> {
    inner: Mutex<R>,
    len: u64,
}

impl<R: Read + Seek> SeekSource<R> {
    /// Wraps a reader; its length is found by seeking to the end.
    ///
    /// # Errors
    /// When seeking fails.
    pub fn new(mut inner: R) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(SeekSource {
            inner: Mutex::new(inner),
            len,
        })
    }

    /// Returns the wrapped reader.
    pub fn into_inner(self) -> R {
        self.inner
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<R: Read + Seek + Send> ReadAt for SeekSource<R> {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let mut r = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        r.seek(SeekFrom::Start(offset))?;
        r.read_exact(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_seek_sources_agree() {
        let data: Vec<u8> = (0..=255u8).collect();
        let seek = SeekSource::new(io::Cursor::new(data.clone())).unwrap();
        let mut a = [0u8; 10];
        let mut b = [0u8; 10];
        data.read_exact_at(&mut a, 100).unwrap();
        seek.read_exact_at(&mut b, 100).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0], 100);
        assert!(data.read_exact_at(&mut a, 250).is_err());
        assert!(seek.read_exact_at(&mut b, 250).is_err());
        assert!(data.read_exact_at(&mut a, u64::MAX).is_err());
    }
}
