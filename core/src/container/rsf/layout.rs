//! The segment map of an RSF file, for `fst24 info` and for appending writers.

use crate::container::{Backend, DETECT_LEN};
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::io::ReadAt;
use crate::Limits;

use super::RsfScanner;

/// What a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// Segment 0: the empty segment every file starts with (it holds the write flag).
    Header,
    /// A closed segment of records (possibly none) with its directory.
    Data,
    /// A segment whose exclusive writer has not closed it (still writing, or crashed):
    /// it and everything after it are invisible to librmn, and to this reader.
    OpenCompact,
    /// A parallel writer's reservation that was never closed: skipped.
    OpenSparse,
    /// The unused rest of a closed parallel reservation (`RSF0<-->`).
    Filler,
}

/// One segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentInfo {
    /// File offset of the segment header.
    pub offset: u64,
    /// Size in bytes, trailer included (for an open compact segment: up to the end of
    /// the file).
    pub size: u64,
    /// Kind of segment.
    pub kind: SegmentKind,
    /// File offset and length of the directory record, when there is one.
    pub directory: Option<(u64, u64)>,
    /// Directory entries of the segment, deleted ones included.
    pub entries: usize,
    /// Entries marked deleted.
    pub deleted: usize,
}

/// The segment map of an RSF file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RsfLayout {
    /// File length in bytes.
    pub file_len: u64,
    /// Segment 0's write flag: 0 closed, 0xFFFF open by an exclusive writer (or one that
    /// crashed), 1..0xFFFE parallel writers.
    pub write_flag: u16,
    /// Segments in file order.
    pub segments: Vec<SegmentInfo>,
    /// Things librmn would only log (open segments, trailing bytes, ...).
    pub warnings: Vec<String>,
}

impl RsfLayout {
    /// File offset where the next segment would start: the end of the last segment
    /// (an open compact segment has no end and yields `None`).
    pub fn append_offset(&self) -> Option<u64> {
        match self.segments.last() {
            Some(s) if s.kind == SegmentKind::OpenCompact => None,
            Some(s) => Some(s.offset + s.size),
            None => Some(0),
        }
    }
}

/// Reads the segment map of an RSF file.
///
/// # Errors
/// Not an RSF standard file, I/O errors, and format errors naming the offset of the bad
/// structure.
pub fn read_layout(source: &dyn ReadAt, limits: &Limits) -> Result<RsfLayout> {
    let len = source.len();
    let mut prefix = [0u8; DETECT_LEN];
    let n = usize::try_from(len.min(DETECT_LEN as u64)).unwrap_or(DETECT_LEN);
    source.read_exact_at(&mut prefix[..n], 0)?;
    if Backend::detect(&prefix[..n])? != Backend::Rsf {
        return Err(FormatError::new(FormatErrorKind::NotFst)
            .backend(Backend::Rsf)
            .offset(0)
            .into());
    }
    let mut scanner = RsfScanner::new(len, *limits);
    let mut buf = Vec::new();
    while let Some((offset, size)) = scanner.next_read() {
        buf.resize(size, 0);
        source.read_exact_at(&mut buf, offset)?;
        scanner.feed(&buf)?;
    }
    let (directory, mut layout) = scanner.finish_with_layout()?;
    layout.warnings = directory.warnings;
    Ok(layout)
}
