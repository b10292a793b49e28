//! A record's data area read a window at a time for the streamed decoders
//! (`codec::stream`): from a mapped or in-memory file, words are converted straight
//! from its bytes; otherwise each window is read into the word buffer itself and its
//! byte order fixed in place. Either way the read holds one window (about 1 MiB), not a
//! copy of the record's bytes plus one of its words.

use std::ops::Range;

use crate::codec::stream::AreaWords;
use crate::container::rsf::frame::{payload_bounds, EOR_LEN, SOR_LEN};
use crate::container::{Backend, DirEntry};
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::io::ReadAt;

/// Words read at least per window (1 MiB).
const WINDOW_WORDS: u64 = 1 << 18;

/// The data area of one record in `source`.
pub(super) struct Area<'a> {
    source: &'a dyn ReadAt,
    backend: Backend,
    /// Byte offset of the area's first word in the file.
    start: u64,
    /// Words in the area.
    words: u64,
    /// The window: words `have` of the area (other content is stale).
    buf: &'a mut Vec<u32>,
    have: Range<u64>,
}

impl<'a> Area<'a> {
    /// The area of `entry`, `buf` its window's storage. RSF: the record's framing is
    /// checked first (its start and end markers, as a whole-record read checks them).
    /// XDF: `len` bytes from the entry's data offset (the caller shortened a record cut
    /// by the end of the file).
    pub(super) fn new(
        source: &'a dyn ReadAt,
        backend: Backend,
        entry: &DirEntry,
        len: u64,
        buf: &'a mut Vec<u32>,
    ) -> Result<Self> {
        let (start, len) = match backend {
            Backend::Xdf => (entry.data_offset, len),
            Backend::Rsf => {
                let offset = entry.record_offset;
                let size = usize::try_from(entry.record_len).unwrap_or(usize::MAX);
                let mut head = [0u8; SOR_LEN];
                let mut tail = [0u8; EOR_LEN];
                read_bytes(source, &mut head, offset)?;
                let bounds = match size.checked_sub(EOR_LEN) {
                    // Too short to hold its markers: payload_bounds says so.
                    None => payload_bounds(entry, &head, size, &[])?,
                    Some(at) => {
                        read_bytes(source, &mut tail, offset + at as u64)?;
                        payload_bounds(entry, &head, size, &tail)?
                    }
                };
                (
                    offset + bounds.start as u64,
                    (bounds.end - bounds.start) as u64,
                )
            }
        };
        Ok(Area {
            source,
            backend,
            start,
            words: len / 4,
            buf,
            have: 0..0,
        })
    }

    /// Reads words `first..end` of the area into the window.
    fn fill(&mut self, first: u64, end: u64) -> Result<()> {
        let count = usize::try_from(end - first).unwrap_or(usize::MAX);
        let offset = self.start + 4 * first;
        if let Some(all) = self.source.as_slice() {
            self.buf.clear();
            let bytes = usize::try_from(offset)
                .ok()
                .and_then(|at| all.get(at..at.checked_add(4 * count)?))
                .ok_or_else(|| truncated(offset + 4 * count as u64, all.len() as u64))?;
            let words = bytes.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]]);
            match self.backend {
                Backend::Xdf => self.buf.extend(words.map(u32::from_be_bytes)),
                Backend::Rsf => self.buf.extend(words.map(u32::from_le_bytes)),
            }
        } else {
            // The read overwrites every word: only growth is zero-filled (the previous
            // window's words are not cleared first).
            self.buf.truncate(count);
            self.buf.resize(count, 0);
            read_bytes(
                self.source,
                bytemuck::cast_slice_mut(self.buf.as_mut_slice()),
                offset,
            )?;
            match self.backend {
                Backend::Xdf => self.buf.iter_mut().for_each(|w| *w = u32::from_be(*w)),
                Backend::Rsf => self.buf.iter_mut().for_each(|w| *w = u32::from_le(*w)),
            }
        }
        self.have = first..end;
        Ok(())
    }
}

impl AreaWords for Area<'_> {
    fn len(&self) -> u64 {
        self.words
    }

    fn words(&mut self, range: Range<u64>) -> Result<&[u32]> {
        if range.start < self.have.start || range.end > self.have.end {
            // At least a window, so the small pieces of a record are read at once.
            let end = range
                .end
                .max(range.start.saturating_add(WINDOW_WORDS).min(self.words));
            self.fill(range.start, end)?;
        }
        let from = (range.start - self.have.start) as usize;
        let to = (range.end - self.have.start) as usize;
        Ok(&self.buf[from..to])
    }

    fn big_endian(&self) -> bool {
        self.backend == Backend::Xdf
    }

    fn in_memory(&self) -> bool {
        self.source.as_slice().is_some()
    }

    fn stored(&mut self, range: Range<u64>) -> Result<&[u8]> {
        let offset = self.start + 4 * range.start;
        let count = usize::try_from(range.end - range.start).unwrap_or(usize::MAX);
        if let Some(all) = self.source.as_slice() {
            return usize::try_from(offset)
                .ok()
                .and_then(|at| all.get(at..at.checked_add(count.checked_mul(4)?)?))
                .ok_or_else(|| truncated(offset + 4 * count as u64, all.len() as u64));
        }
        // The window's words are overwritten with bytes in the file's order.
        self.have = 0..0;
        self.buf.truncate(count);
        self.buf.resize(count, 0);
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(self.buf.as_mut_slice());
        read_bytes(self.source, bytes, offset)?;
        Ok(bytes)
    }

    fn read_stored(&mut self, first: u64, dest: &mut [u8]) -> Result<()> {
        read_bytes(self.source, dest, self.start + 4 * first)
    }
}

/// Fills `buf` from `offset` of `source`: from its slice when it has one (a format error
/// past its end, as the whole-record read gives), else by a read.
fn read_bytes(source: &dyn ReadAt, buf: &mut [u8], offset: u64) -> Result<()> {
    if let Some(all) = source.as_slice() {
        let bytes = usize::try_from(offset)
            .ok()
            .and_then(|at| all.get(at..at.checked_add(buf.len())?))
            .ok_or_else(|| truncated(offset + buf.len() as u64, all.len() as u64))?;
        buf.copy_from_slice(bytes);
        return Ok(());
    }
    source.read_exact_at(buf, offset)?;
    Ok(())
}

fn truncated(needed: u64, available: u64) -> crate::Error {
    FormatError::new(FormatErrorKind::Truncated {
        what: "record data",
        needed,
        available,
    })
    .into()
}
