//! Writing RSF files (spec rsf.md §1.3-1.10, §7 "Writer").
//!
//! Each session appends its own segment at the end of the file; records go into it and
//! `flush`/`close` write the segment's directory and trailer, then rewrite the segment
//! header *last* in one 72-byte write. Until then readers (librmn's and ours) stop at an
//! open compact segment or skip an open parallel reservation, so they see only complete
//! segments, and a crash keeps every record up to the last flush.
//!
//! A record's metadata is its 19 search words followed by any extended JSON metadata
//! (NUL-terminated, zero-padded words, spec rsf.md §2.2); the directory entry carries the
//! same words, so entries have variable sizes.
//!
//! Creating a file writes its segment 0 to a temporary sibling renamed over the path, so
//! a replaced file is never seen truncated; a file another writer holds is not replaced.
//! A new file that must not replace anything is hard-linked into place instead, so of two
//! creators of one name the second is refused at open.
//!
//! A session that fails or is abandoned (`discard`, or an error closing its segment, e.g.
//! a full disk) rolls back what was not flushed: an exclusive writer cuts the file back to
//! the start of its open segment, a parallel one turns its reservation into a filler
//! segment; then the write flag is given back, so the file stays appendable. A new file
//! with nothing flushed is removed. A killed writer cannot do this: `writer::repair`
//! does it afterwards.
//!
//! Exclusive mode marks segment 0 with 0xFFFF; parallel mode counts writers there and each
//! writer reserves a sparse region (`SEGMENT_SIZE_MB`, default 1000 MiB, rounded up to a
//! MiB boundary) under the file lock, so writers in several threads or processes never
//! interleave. Segment 0 changes and reservations happen under an OFD write lock on the
//! whole file, the lock librmn takes (`RSF_File_lock`).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::segment::{SegmentHeader, APP_STDF, EOS_LEN, SOS_LEN};
use crate::container::word_stream::{push_words, write_record, AreaSource, Order};
use crate::container::Backend;
use crate::error::{FormatError, FormatErrorKind, Result, UsageError};
use crate::io::{lock, sibling};
use crate::record::SearchKeys;
use crate::LimitsExceeded;

mod close;
mod framing;
use framing::{eor, eos_hi, eos_lo, le, read_hl, sor, sos};

/// Search words of an fst24 record; extended metadata words follow them.
const META_WORDS: u32 = 19;
const RT_DATA: u8 = 1;
const RT_SOS: u8 = 3;
const RT_EOS: u8 = 4;
const RT_VDIR: u8 = 6;
const RT_DELETED: u8 = 0x80;
/// meta0 of a live fst24 data record: type 1, class 1, RSF version 1.
const META0: u32 = 0x0001_0101;
/// Word 2 without its extended-metadata word count: fst24 version 1, 19 keys.
const META2: u32 = 0x0113_0000;
const EXCLUSIVE: u16 = 0xFFFF;
const SOR_LEN: u64 = 16;
const EOR_LEN: u64 = 12;
const MIB: u64 = 1 << 20;

/// One directory entry known to the writer.
#[derive(Debug, Clone)]
struct Entry {
    /// The record's metadata words: 19 search words, then any extended metadata.
    meta: Vec<u32>,
    /// Absolute offset of the record's start-of-record.
    offset: u64,
    rl: u64,
    deleted: bool,
    /// Absolute offset of the entry in an on-disk directory (closed segments).
    entry_offset: Option<u64>,
}

#[derive(Debug)]
struct Segment {
    start: u64,
    next_write: u64,
    /// End of the reservation (parallel mode).
    top: Option<u64>,
    /// Index of the first entry written in this segment.
    first: usize,
}

/// An RSF file open for writing.
#[derive(Debug)]
pub(crate) struct RsfWriter {
    file: File,
    path: std::path::PathBuf,
    /// This session created the file.
    created: bool,
    /// Bytes reserved per parallel segment (0 = exclusive mode).
    parallel_hint: u64,
    entries: Vec<Entry>,
    segment: Option<Segment>,
}

fn corrupt(offset: u64, what: &'static str, value: u64) -> crate::Error {
    FormatError::new(FormatErrorKind::InvalidValue { what, value })
        .backend(Backend::Rsf)
        .offset(offset)
        .into()
}

fn busy(why: &str) -> crate::Error {
    UsageError::InvalidArgument(format!("RSF file {why}")).into()
}

impl RsfWriter {
    /// Opens (`create`: makes a new empty file, replacing one only if `replace`) an RSF
    /// file for writing. `parallel_mb` > 0 selects parallel mode with that reservation size.
    pub(crate) fn open(
        path: &Path,
        create: bool,
        replace: bool,
        parallel_mb: u64,
    ) -> Result<RsfWriter> {
        if create && parallel_mb == 0 {
            return RsfWriter::replace(path, replace);
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(parallel_mb > 0)
            .truncate(false)
            .open(path)?;
        let mut w = RsfWriter {
            file,
            path: path.to_path_buf(),
            created: false,
            parallel_hint: parallel_mb.saturating_mul(MIB),
            entries: Vec::new(),
            segment: None,
        };
        lock::lock(&w.file, true)?;
        let r = w.start();
        let u = lock::unlock(&w.file);
        r.and(u)?;
        Ok(w)
    }

    /// Segment 0 of a new file, with write flag `flag`.
    fn segment_zero(flag: u16) -> Vec<u8> {
        let mut b = sos(flag, 19, APP_STDF, 72, 140, 0, 0);
        b.extend(eos_lo(0, EOS_LEN as u64));
        b.extend(eos_hi(0, EOS_LEN as u64, 72, 140, 0, 0));
        b
    }

    /// A new file replacing `path` atomically: segment 0 (exclusive flag) is written to a
    /// temporary sibling that is renamed over the path, so readers see the old file or a
    /// valid empty one, never a truncated one.
    fn replace(path: &Path, replace: bool) -> Result<RsfWriter> {
        if !replace && sibling::has_content(path) {
            return Err(sibling::exists_error(path));
        }
        if let Ok(mut old) = File::open(path) {
            // Replacing a file another writer is using would lose its records.
            let mut head = [0u8; SOS_LEN];
            if old.read_exact(&mut head).is_ok() {
                if let Ok(sos0) = SegmentHeader::parse(&head, 0) {
                    if sos0.write_flag != 0 && &sos0.app == APP_STDF {
                        return Err(busy("is open by another writer; not replaced"));
                    }
                }
            }
        }
        let tmp = sibling::temp_sibling(path);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let published = file
            .write_all(&RsfWriter::segment_zero(EXCLUSIVE))
            .and_then(|()| file.sync_data())
            .map_err(crate::Error::from)
            .and_then(|()| sibling::publish(&tmp, path, replace));
        if let Err(e) = published {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(RsfWriter {
            file,
            path: path.to_path_buf(),
            created: true,
            parallel_hint: 0,
            entries: Vec::new(),
            segment: None,
        })
    }

    /// Under the file lock: create (empty file, parallel mode) or check segment 0, take
    /// the write flag, load the directory.
    fn start(&mut self) -> Result<()> {
        let parallel = self.parallel_hint > 0;
        let len = self.file.metadata()?.len();
        if len == 0 {
            self.created = true;
            let flag = if parallel { 1 } else { EXCLUSIVE };
            return self.write_at(0, &RsfWriter::segment_zero(flag));
        }
        let head = self.read_at(0, SOS_LEN)?;
        let sos0 = SegmentHeader::parse(&head, 0)?;
        if &sos0.app != APP_STDF {
            return Err(corrupt(20, "RSF application code (not a standard file)", 0));
        }
        let flag = match (sos0.write_flag, parallel) {
            (EXCLUSIVE, _) => {
                return Err(busy(
                    "is open by an exclusive writer (or one crashed: force-close it)",
                ))
            }
            (0, false) => EXCLUSIVE,
            (_, false) => return Err(busy("is open by parallel writers")),
            (n, true) if n >= EXCLUSIVE - 1 => return Err(busy("has too many parallel writers")),
            (n, true) => n + 1,
        };
        self.check_tail()?;
        // Refuse what the reader refuses, then load what the writer needs.
        let source = crate::io::FileSource::new(self.file.try_clone()?)?;
        crate::container::scan(&source, &crate::Limits::default())?;
        self.load_directory()?;
        self.set_flag(flag)
    }

    fn set_flag(&mut self, flag: u16) -> Result<()> {
        let word = u32::from(RT_SOS) | u32::from(flag) << 8 | 0xFE << 24;
        self.write_at(0, &word.to_le_bytes())
    }

    /// The file must end with an end-of-segment (librmn appends only then).
    fn check_tail(&mut self) -> Result<()> {
        let len = self.file.metadata()?.len();
        if len < 140 {
            return Err(corrupt(len, "RSF file length", len));
        }
        let hi = self.read_at(len - 48, 48)?;
        if le(&hi, 0) != 0xCAFE_FADE || hi[47] != 0xFF || hi[44] != RT_EOS {
            return Err(corrupt(
                len - 48,
                "end of file (no closed segment trailer: an exclusive writer crashed; repair needed)",
                u64::from(le(&hi, 0)),
            ));
        }
        Ok(())
    }

    fn load_directory(&mut self) -> Result<()> {
        let len = self.file.metadata()?.len();
        let mut off = 0u64;
        while len.saturating_sub(off) >= SOS_LEN as u64 {
            let head = self.read_at(off, SOS_LEN)?;
            let s = SegmentHeader::parse(&head, off)?;
            if s.sseg == 0 {
                return Err(corrupt(
                    off,
                    "segment size (open compact segment: crashed exclusive writer)",
                    0,
                ));
            }
            if s.vdir > 0 && s.vdirs > 0 && &s.app == APP_STDF {
                self.load_vdir(off, &s, len)?;
            }
            off = off
                .checked_add(s.sseg)
                .filter(|&o| o <= len)
                .ok_or_else(|| corrupt(off + 36, "segment size", s.sseg))?;
        }
        Ok(())
    }

    fn load_vdir(&mut self, seg: u64, s: &SegmentHeader, len: u64) -> Result<()> {
        let at = seg
            .checked_add(s.vdir)
            .filter(|&a| a.saturating_add(s.vdirs) <= len);
        let at = at.ok_or_else(|| corrupt(seg + 44, "directory offset", s.vdir))?;
        if s.vdirs > (1 << 31) || s.vdirs < 32 {
            return Err(corrupt(seg + 52, "directory size", s.vdirs));
        }
        let b = self.read_at(at, s.vdirs as usize)?;
        if b[0] != RT_VDIR {
            return Err(corrupt(at, "directory record type", u64::from(b[0])));
        }
        let n = le(&b, 16) as usize;
        let mut p = 20usize;
        for _ in 0..n {
            let bad = || corrupt(at + p as u64, "directory entry", 0);
            let head = b.get(p..p + 32).ok_or_else(bad)?;
            let ml = le(head, 24);
            let words = if ml >> 16 != 0 { ml >> 16 } else { ml & 0xFFFF } as usize;
            if words < META_WORDS as usize {
                return Err(bad());
            }
            let meta_bytes = b.get(p + 32..p + 32 + 4 * words).ok_or_else(bad)?;
            let meta: Vec<u32> = (0..words).map(|k| le(meta_bytes, 4 * k)).collect();
            let deleted = meta[0] & 0xFF == u32::from(RT_DELETED);
            self.entries.push(Entry {
                meta,
                offset: seg.saturating_add(read_hl(&head[0..8])),
                rl: read_hl(&head[8..16]),
                deleted,
                entry_offset: Some(at + p as u64),
            });
            p += 32 + 4 * words;
        }
        Ok(())
    }

    fn read_at(&mut self, offset: u64, len: usize) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(&mut buf)?;
        Ok(buf)
    }

    fn write_at(&mut self, offset: u64, bytes: &[u8]) -> Result<()> {
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.write_all(bytes)?;
        Ok(())
    }

    /// Bytes a directory holding the current segment's entries plus one of `extra`
    /// metadata words needs.
    fn dir_size(&self, extra: Option<usize>) -> u64 {
        let mine = self
            .segment
            .as_ref()
            .map_or(&[][..], |s| &self.entries[s.first..]);
        let words = mine.iter().map(|e| e.meta.len()).chain(extra);
        SOR_LEN + 4 + words.map(|w| 32 + 4 * w as u64).sum::<u64>() + EOR_LEN
    }

    /// Opens a segment at the end of the file able to take a record of `need` bytes.
    /// `need_meta` is the record's metadata word count (its directory entry's size).
    fn open_segment(&mut self, need: u64, need_meta: usize) -> Result<()> {
        lock::lock(&self.file, true)?;
        let r = self.open_segment_locked(need, need_meta);
        let u = lock::unlock(&self.file);
        r.and(u)
    }

    fn open_segment_locked(&mut self, need: u64, need_meta: usize) -> Result<()> {
        self.check_tail()?;
        let start = self.file.metadata()?.len();
        let first = self.entries.len();
        if self.parallel_hint == 0 {
            // The provisional trailer is overwritten by the first record (librmn does the
            // same); sseg = 0 makes readers stop here until the segment is closed.
            let mut b = sos(19, 19, APP_STDF, 0, 0, 0, 0);
            b.extend(eos_lo(0, EOS_LEN as u64));
            b.extend(eos_hi(0, EOS_LEN as u64, 0, 0, 0, 0));
            self.write_at(start, &b)?;
            self.segment = Some(Segment {
                start,
                next_write: start + SOS_LEN as u64,
                top: None,
                first,
            });
            return Ok(());
        }
        // Room for the record, its directory entry, our trailer and a filler segment.
        let margin = need + self.dir_size(Some(need_meta)) + 2 * (SOS_LEN + EOS_LEN) as u64 + 4096;
        let size = self.parallel_hint.max(margin);
        let end = start
            .checked_add(size)
            .ok_or_else(|| corrupt(start, "file size", start))?;
        // Reservations end on a MiB boundary, as librmn's do.
        let top = ((end - 1) | (MIB - 1)) + 1;
        let sseg = top - start;
        self.write_at(start, &sos(19, 19, APP_STDF, 0, sseg, 0, 0))?;
        self.write_at(start + SOS_LEN as u64, &eos_lo(0, sseg - SOS_LEN as u64))?;
        self.write_at(top - 48, &eos_hi(0, sseg - SOS_LEN as u64, 0, sseg, 0, 0))?;
        self.segment = Some(Segment {
            start,
            next_write: start + SOS_LEN as u64,
            top: Some(top),
            first,
        });
        Ok(())
    }

    /// Appends a record with extended metadata words `ext` (empty: none; at most
    /// 2^16 - 1 - 19, checked by the caller); returns its index in this writer's directory.
    /// `padding` zero words follow `data` in the data area.
    pub(crate) fn write(
        &mut self,
        keys: &SearchKeys,
        data: &(impl AreaSource + ?Sized),
        padding: usize,
        ext: &[u32],
    ) -> Result<usize> {
        let meta_words = META_WORDS as usize + ext.len();
        let rlm = u16::try_from(meta_words).map_err(|_| {
            LimitsExceeded::new("RSF record metadata words", meta_words as u64, 0xFFFF)
        })?;
        let rl = (data.word_count() as u64 + padding as u64)
            .checked_mul(4)
            .and_then(|d| d.checked_add(SOR_LEN + EOR_LEN + 4 * meta_words as u64))
            .filter(|&rl| rl < 1 << 48)
            .ok_or_else(|| LimitsExceeded::new("RSF record length", u64::MAX, 1 << 48))?;
        let fits = |s: &Segment, w: &RsfWriter| match s.top {
            None => true,
            Some(top) => {
                s.next_write
                    + rl
                    + w.dir_size(Some(meta_words))
                    + 2 * (SOS_LEN + EOS_LEN) as u64
                    + 4096
                    <= top
            }
        };
        match &self.segment {
            Some(s) if fits(s, self) => {}
            Some(_) => {
                self.close_segment()?;
                self.open_segment(rl, meta_words)?;
            }
            None => self.open_segment(rl, meta_words)?,
        }
        let mut meta = vec![0u32; META_WORDS as usize];
        meta[0] = META0;
        // rlm fits 16 bits, so the extension's word count does too.
        meta[2] = META2 | ext.len() as u32;
        meta[3..].copy_from_slice(&keys.0);
        meta.extend_from_slice(ext);
        let mut head = Vec::with_capacity(SOR_LEN as usize + 4 * meta.len());
        sor(&mut head, RT_DATA, rlm, rl, rlm, 4);
        push_words(&mut head, &meta, Order::Little);
        let mut tail = Vec::with_capacity(EOR_LEN as usize);
        eor(&mut tail, RT_DATA, rlm, rl);
        let seg = self.segment.as_mut().expect("segment opened above");
        let offset = seg.next_write;
        seg.next_write += rl;
        // The data area is streamed between its framing (no copy of the record).
        self.file.seek(SeekFrom::Start(offset))?;
        write_record(
            &mut self.file,
            &head,
            data,
            Order::Little,
            4 * padding,
            &tail,
        )?;
        self.entries.push(Entry {
            meta,
            offset,
            rl,
            deleted: false,
            entry_offset: None,
        });
        Ok(self.entries.len() - 1)
    }

    /// Number of directory entries (deleted ones included): the next record's index.
    pub(crate) fn directory_len(&self) -> usize {
        self.entries.len()
    }

    /// Search keys of every live entry, with their index.
    pub(crate) fn live(&self) -> impl Iterator<Item = (usize, SearchKeys)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.deleted)
            .map(|(i, e)| {
                let mut k = [0u32; 16];
                k.copy_from_slice(&e.meta[3..META_WORDS as usize]);
                (i, SearchKeys(k))
            })
    }

    /// Deletes entry `index`: the record's type byte becomes 0x80 and so does the meta0
    /// of its directory entry (on disk now for closed segments, at close otherwise; the
    /// entry's offset stays segment-relative, unlike librmn's).
    pub(crate) fn erase(&mut self, index: usize) -> Result<()> {
        let len = self.entries.len();
        let e = self
            .entries
            .get_mut(index)
            .ok_or(UsageError::IndexOutOfRange { index, len })?;
        if e.deleted {
            return Err(UsageError::Deleted(index).into());
        }
        let (offset, rl) = (e.offset, e.rl);
        // The entry may come from the file: check its record's framing before writing.
        let len = self.file.metadata()?.len();
        let sor_ok = offset
            .checked_add(rl)
            .is_some_and(|end| end <= len && rl >= SOR_LEN)
            && {
                let b = self.read_at(offset, SOR_LEN as usize)?;
                b[0] == RT_DATA && b[3] == 0xFE && read_hl(&b[4..12]) == rl
            };
        if !sor_ok {
            return Err(corrupt(offset, "record framing of the entry to erase", rl));
        }
        let e = &mut self.entries[index];
        e.deleted = true;
        e.meta[0] = (e.meta[0] & !0xFF) | u32::from(RT_DELETED);
        let (entry_offset, meta0) = (e.entry_offset, e.meta[0]);
        self.write_at(offset, &[RT_DELETED])?;
        if let Some(at) = entry_offset {
            self.write_at(at + 32, &meta0.to_le_bytes())?;
        }
        Ok(())
    }
}
