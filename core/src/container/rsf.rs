//! RSF (librmn 20 "Random Segmented File") container: a chain of self-describing
//! segments, each closed by a directory of the records written in it. Little-endian.
//!
//! Spec: `shared/spec/rsf.md` §1 (container) and §2 (record metadata); librmn `dev_alpha`
//! `src/fst/rsf.c` (`RSF_Read_directory`).
//!
//! The scan follows librmn's reader: segments are chained by their size; a segment that
//! was never closed by an exclusive writer ends the scan (a warning, not an error); open
//! parallel reservations and their fillers are skipped; deleted entries keep their index
//! but are never dereferenced.

pub mod entry;
pub mod frame;
pub mod layout;
pub mod meta;
pub mod segment;
pub mod vdir;
pub(crate) mod write;

pub use layout::{read_layout, RsfLayout, SegmentInfo, SegmentKind};

use crate::container::{check_in_file, Backend, Directory};
use crate::error::{FormatErrorKind, Result, UsageError};
use crate::Limits;

use frame::error_at;
use segment::{SegmentHeader, SegmentTrailer, EOS_LEN, MIN_SEGMENT_LEN, SOS_LEN};

#[derive(Debug, Clone, Copy)]
enum State {
    /// Next: the header of the segment at this offset.
    Header(u64),
    /// Next: the directory of this closed segment.
    Directory(SegmentHeader),
    /// Next: the trailer of this closed segment.
    Trailer(SegmentHeader),
    Done,
}

/// Sans-I/O reader of an RSF directory (see [`crate::container::Scanner`]).
#[derive(Debug)]
pub struct RsfScanner {
    file_len: u64,
    limits: Limits,
    state: State,
    directory: Directory,
    layout: RsfLayout,
}

impl RsfScanner {
    /// A scanner for a file of `file_len` bytes.
    pub fn new(file_len: u64, limits: Limits) -> Self {
        RsfScanner {
            file_len,
            limits,
            state: State::Header(0),
            directory: Directory::default(),
            layout: RsfLayout {
                file_len,
                ..RsfLayout::default()
            },
        }
    }

    /// See [`crate::container::Scanner::next_read`].
    pub fn next_read(&self) -> Option<(u64, usize)> {
        match self.state {
            // Only segment 0 may be short (a truncated file): ask for what is there, the
            // header check then reports the truncation.
            State::Header(offset) => Some((
                offset,
                SOS_LEN.min(usize::try_from(self.file_len - offset).unwrap_or(SOS_LEN)),
            )),
            // Sizes were checked against the file length, so they fit in usize here
            // unless the platform is 32-bit and the file huge; saturate, the read fails.
            State::Directory(s) => Some((
                s.offset + s.vdir,
                usize::try_from(s.vdirs).unwrap_or(usize::MAX),
            )),
            State::Trailer(s) => Some((s.offset + s.seg, EOS_LEN)),
            State::Done => None,
        }
    }

    /// See [`crate::container::Scanner::feed`].
    ///
    /// # Errors
    /// Format errors naming the offset of the bad segment header, directory or entry.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        match self.state {
            State::Header(offset) => self.segment_header(bytes, offset),
            State::Directory(s) => {
                let before = self.directory.entries.len();
                vdir::parse_into(
                    bytes,
                    &s,
                    &self.limits,
                    &mut self.directory.entries,
                    &mut self.directory.warnings,
                )?;
                let new = &self.directory.entries[before..];
                let deleted = new.iter().filter(|e| e.deleted).count();
                self.push_segment(&s, SegmentKind::Data, new.len(), deleted);
                self.state = State::Trailer(s);
                Ok(())
            }
            State::Trailer(s) => {
                let at = s.offset + s.seg;
                // librmn never reads trailers; a bad one is reported, not fatal.
                match SegmentTrailer::parse(bytes, at) {
                    Ok(t) if t.agrees_with(&s) => {}
                    Ok(_) => self.warn(format!(
                        "RSF: the trailer of the segment at byte offset {} disagrees with its header; the header was used",
                        s.offset
                    )),
                    Err(e) => self.warn(format!("RSF: bad segment trailer: {e}")),
                }
                if s.offset == 0 {
                    self.push_segment(&s, SegmentKind::Header, 0, 0);
                } else if s.vdir == 0 || s.vdirs == 0 {
                    self.push_segment(&s, SegmentKind::Data, 0, 0);
                }
                self.advance(&s);
                Ok(())
            }
            State::Done => Err(UsageError::InvalidArgument(
                "RSF scanner fed after the directory was complete".into(),
            )
            .into()),
        }
    }

    fn segment_header(&mut self, bytes: &[u8], offset: u64) -> Result<()> {
        if offset == 0 {
            check_in_file("segment 0", 0, MIN_SEGMENT_LEN, self.file_len, Backend::Rsf)?;
        }
        let s = SegmentHeader::parse(bytes, offset)?;
        if offset == 0 {
            self.layout.write_flag = s.write_flag;
            match s.write_flag {
                0 => {}
                0xFFFF => self.warn(
                    "RSF: the file is marked open by an exclusive writer (still writing, or it crashed)".into(),
                ),
                n => self.warn(format!(
                    "RSF: the file is marked open by {n} parallel writers (still writing, or they crashed)"
                )),
            }
        } else if !s.is_filler() && &s.app != segment::APP_STDF {
            return Err(error_at(
                FormatErrorKind::Mismatch {
                    what: "segment application code (\"STDF\")",
                    expected: u64::from(u32::from_le_bytes(*segment::APP_STDF)),
                    found: u64::from(u32::from_le_bytes(s.app)),
                },
                offset + 20,
            ));
        }
        if s.sseg == 0 {
            self.warn(format!(
                "RSF: the segment at byte offset {offset} was never closed (its writer is still active or crashed); its records and anything after it are not listed"
            ));
            self.layout.segments.push(SegmentInfo {
                offset,
                size: self.file_len - offset,
                kind: SegmentKind::OpenCompact,
                directory: None,
                entries: 0,
                deleted: 0,
            });
            self.state = State::Done;
            return Ok(());
        }
        let invalid = |what, value| error_at(FormatErrorKind::InvalidValue { what, value }, offset);
        if s.sseg < MIN_SEGMENT_LEN {
            return Err(invalid("segment size", s.sseg));
        }
        check_in_file("segment", offset, s.sseg, self.file_len, Backend::Rsf)?;
        if s.is_filler() || s.seg == 0 {
            if !s.is_filler() {
                self.warn(format!(
                    "RSF: the parallel segment at byte offset {offset} was never closed; its records are not listed"
                ));
            }
            let kind = if s.is_filler() {
                SegmentKind::Filler
            } else {
                SegmentKind::OpenSparse
            };
            self.push_segment(&s, kind, 0, 0);
            self.advance(&s);
            return Ok(());
        }
        if s.seg.checked_add(EOS_LEN as u64) != Some(s.sseg) {
            return Err(invalid("segment size without trailer", s.seg));
        }
        self.state = if s.vdir != 0 && s.vdirs != 0 {
            let fits = s.vdir >= SOS_LEN as u64
                && s.vdir.checked_add(s.vdirs).is_some_and(|end| end <= s.seg);
            if !fits {
                return Err(invalid("directory offset in its segment", s.vdir));
            }
            State::Directory(s)
        } else {
            State::Trailer(s)
        };
        Ok(())
    }

    fn push_segment(
        &mut self,
        s: &SegmentHeader,
        kind: SegmentKind,
        entries: usize,
        deleted: usize,
    ) {
        let directory = (kind == SegmentKind::Data && s.vdir != 0 && s.vdirs != 0)
            .then(|| (s.offset + s.vdir, s.vdirs));
        self.layout.segments.push(SegmentInfo {
            offset: s.offset,
            size: s.sseg,
            kind,
            directory,
            entries,
            deleted,
        });
    }

    /// Moves to the segment after `s` (its size was checked against the file length).
    fn advance(&mut self, s: &SegmentHeader) {
        let next = s.offset + s.sseg;
        let left = self.file_len - next;
        self.state = if left >= SOS_LEN as u64 {
            State::Header(next)
        } else {
            if left > 0 {
                self.warn(format!(
                    "RSF: {left} bytes after the last segment (at byte offset {next}) are too short for a segment and were ignored"
                ));
            }
            State::Done
        };
    }

    fn warn(&mut self, message: String) {
        self.directory.warnings.push(message);
    }

    /// See [`crate::container::Scanner::finish`].
    ///
    /// # Errors
    /// When the scan is not complete.
    pub fn finish(self) -> Result<Directory> {
        self.finish_with_layout().map(|(d, _)| d)
    }

    /// The directory and the segment map, once the scan is complete.
    ///
    /// # Errors
    /// When the scan is not complete.
    pub fn finish_with_layout(self) -> Result<(Directory, RsfLayout)> {
        match self.state {
            State::Done => Ok((self.directory, self.layout)),
            _ => Err(UsageError::InvalidArgument(
                "RSF directory scan finished before it was complete".into(),
            )
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_refuses_to_finish_early_or_be_fed_late() {
        let zero = segment::segment_zero();
        let scanner = RsfScanner::new(zero.len() as u64, Limits::default());
        assert!(scanner.finish().is_err());
        let mut scanner = RsfScanner::new(zero.len() as u64, Limits::default());
        while let Some((offset, len)) = scanner.next_read() {
            let start = offset as usize;
            scanner.feed(&zero[start..start + len]).unwrap();
        }
        assert!(scanner.feed(&zero).is_err());
        let (dir, layout) = scanner.finish_with_layout().unwrap();
        assert!(dir.entries.is_empty() && dir.warnings.is_empty());
        assert_eq!(layout.segments.len(), 1);
        assert_eq!(layout.segments[0].kind, SegmentKind::Header);
    }
}
