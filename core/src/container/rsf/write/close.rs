//! Ending an RSF writing session: closing the open segment (its directory and end of
//! segment), publishing or discarding the file, rolling a failed segment back.

use super::framing::{eor, eos_hi, eos_lo, hl, sor, sos};
use super::{RsfWriter, Segment, EOR_LEN, EXCLUSIVE, RT_VDIR, SOR_LEN};
use crate::container::rsf::segment::{SegmentHeader, APP_FILLER, APP_STDF, EOS_LEN, SOS_LEN};
use crate::error::Result;
use crate::io::lock;

impl RsfWriter {
    /// Closes the open segment (directory, trailer, then header last); a no-op when none.
    pub(crate) fn close_segment(&mut self) -> Result<()> {
        let Some(seg) = self.segment.take() else {
            return Ok(());
        };
        let closed = self.write_segment_end(&seg);
        if closed.is_err() {
            // Keep it: `close`/`discard` roll it back.
            self.segment = Some(seg);
        }
        closed
    }

    /// Writes directory, trailer (filler), then the header of segment `seg`.
    pub(super) fn write_segment_end(&mut self, seg: &Segment) -> Result<()> {
        let vdir_at = seg.next_write;
        let mine = &self.entries[seg.first..];
        let vdirs = SOR_LEN
            + 4
            + mine
                .iter()
                .map(|e| 32 + 4 * e.meta.len() as u64)
                .sum::<u64>()
            + EOR_LEN;
        let mut b = Vec::with_capacity(vdirs as usize + EOS_LEN);
        sor(&mut b, RT_VDIR, 1, vdirs, 0, 0);
        b.extend_from_slice(&(mine.len() as u32).to_le_bytes());
        for e in mine {
            b.extend_from_slice(&hl(e.offset - seg.start));
            b.extend_from_slice(&hl(e.rl));
            b.extend_from_slice(&hl(0));
            // Record and directory carry the same words (fst24 format v1).
            let words = e.meta.len() as u32;
            b.extend_from_slice(&(words << 16 | words).to_le_bytes());
            b.extend_from_slice(&0u32.to_le_bytes());
            e.meta
                .iter()
                .for_each(|m| b.extend_from_slice(&m.to_le_bytes()));
        }
        eor(&mut b, RT_VDIR, 1, vdirs);
        let s = vdir_at + vdirs + EOS_LEN as u64 - seg.start;
        let vdir = vdir_at - seg.start;
        b.extend(eos_lo(19, EOS_LEN as u64));
        b.extend(eos_hi(
            19,
            EOS_LEN as u64,
            s - EOS_LEN as u64,
            s,
            vdir,
            vdirs,
        ));
        self.write_at(vdir_at, &b)?;
        let mut entry_at = vdir_at + SOR_LEN + 4;
        for e in &mut self.entries[seg.first..] {
            e.entry_offset = Some(entry_at);
            entry_at += 32 + 4 * e.meta.len() as u64;
        }
        if let Some(top) = seg.top {
            // The unused rest of the reservation becomes a filler segment.
            let end = seg.start + s;
            let rest = top - end;
            self.write_at(end, &sos(0, 0, APP_FILLER, 0, rest, 0, 0))?;
            self.write_at(end + SOS_LEN as u64, &eos_lo(0, rest - SOS_LEN as u64))?;
            self.write_at(top - 48, &eos_hi(0, rest - SOS_LEN as u64, 0, rest, 0, 0))?;
        }
        // Everything above must be on disk before the header makes the segment visible.
        self.file.sync_data()?;
        self.write_at(
            seg.start,
            &sos(0, 19, APP_STDF, s - EOS_LEN as u64, s, vdir, vdirs),
        )?;
        self.file.sync_data()?;
        Ok(())
    }

    /// Closes the segment and gives back the write flag. If the segment cannot be closed
    /// (full disk...), its records are rolled back and the error returned.
    pub(crate) fn close(mut self) -> Result<()> {
        let closed = self.close_segment();
        if closed.is_err() {
            self.rollback_segment();
        }
        self.release(closed)
    }

    /// Abandons the session: records written since the last flush are rolled back (a new
    /// file with nothing flushed is removed) and the write flag is given back.
    pub(crate) fn discard(mut self) -> Result<()> {
        self.rollback_segment();
        let nothing_flushed = self.entries.is_empty();
        let created = self.created && self.parallel_hint == 0;
        self.release(Ok(()))?;
        if created && nothing_flushed {
            std::fs::remove_file(&self.path)?;
        }
        Ok(())
    }

    /// Makes the open segment's records (if any) disappear: exclusive mode cuts the file
    /// back to the segment's start, parallel mode turns the reservation into a filler.
    pub(super) fn rollback_segment(&mut self) {
        let Some(seg) = self.segment.take() else {
            return;
        };
        self.entries.truncate(seg.first);
        let _ = match seg.top {
            None => self.file.set_len(seg.start).map_err(crate::Error::from),
            Some(top) => {
                let rest = top - seg.start;
                self.write_at(
                    seg.start + SOS_LEN as u64,
                    &eos_lo(0, rest - SOS_LEN as u64),
                )
                .and_then(|()| {
                    self.write_at(top - 48, &eos_hi(0, rest - SOS_LEN as u64, 0, rest, 0, 0))
                })
                .and_then(|()| self.write_at(seg.start, &sos(0, 0, APP_FILLER, 0, rest, 0, 0)))
            }
        };
        let _ = self.file.sync_data();
    }

    /// Gives back the write flag (under the file lock), then returns `closed`.
    pub(super) fn release(&mut self, closed: Result<()>) -> Result<()> {
        lock::lock(&self.file, true)?;
        let r = (|| {
            let head = self.read_at(0, SOS_LEN)?;
            let flag = SegmentHeader::parse(&head, 0)?.write_flag;
            let next = if self.parallel_hint == 0 || flag == EXCLUSIVE {
                0
            } else {
                flag.saturating_sub(1)
            };
            self.set_flag(next)?;
            self.file.sync_data()?;
            Ok(())
        })();
        let u = lock::unlock(&self.file);
        closed.and(r).and(u)
    }
}
