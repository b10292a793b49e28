//! Writing XDF files (spec xdf.md §1.2-1.8, §7 "Writer").
//!
//! Atomicity: a session never modifies the file readers see. It works on a temporary
//! sibling (`.NAME.fst24-tmp-PID-N`, a copy of the file when appending), and `close`
//! writes the directory pages, then the header last, syncs and renames the temporary over
//! the path. A reader sees either the old file or the complete new one; a crash leaves
//! the old file untouched (plus a stale temporary, removed by the next writer of that name
//! once its process is dead: `writer::sibling`). Appending costs one copy of the file.
//! A new file that must not replace anything (`WriterOptions::create_new`) is published
//! with a hard link, which fails if the name appeared meanwhile, and a second creator of
//! the same name is refused at open (it sees the first one's live temporary).
//! While appending, the original is held under an OFD write lock so two writers cannot
//! both copy it and lose each other's records.
//!
//! In-place appending (`WriterOptions::xdf_in_place`) avoids the copy for large files, as
//! librmn does: the header is marked open for writing (`rwflg` 3, so librmn writers
//! refuse the file), records go after the old end, and `close` rewrites the directory
//! pages, then the header last. Readers see the old directory until then, but librmn's
//! readers refuse the file while it is longer than its header says, and a crash leaves it
//! so until repaired (librmn's `c_qdfrstr` truncates it back to the last close).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{addr_to_offset, DirPage, XdfHeader, ENTRIES_PER_PAGE, MAX_DIR_PAGES};
use crate::container::word_stream::{push_words, write_record, AreaSource, Order};
use crate::container::Backend;
use crate::error::{FormatError, FormatErrorKind, Result, UsageError};
use crate::io::{lock, sibling};
use crate::record::SearchKeys;
use crate::LimitsExceeded;

mod close;

/// Header length in 8-byte units.
const HEADER_W64: u32 = 26;
/// Directory page length in 8-byte units (`256·lprm + 4`).
const PAGE_W64: u32 = 256 * 9 + 4;
/// Largest record length in 8-byte units (24-bit field).
const MAX_RECORD_W64: u64 = (1 << 24) - 1;
/// librmn addresses 32-bit words with an `int`: files stop at 2^31 words.
const MAX_FILE_W64: u64 = (1 << 30) - 1;
const IDTYP_LIVE: u32 = 1;
const IDTYP_DELETED: u32 = 255;

/// An XDF file open for writing.
#[derive(Debug)]
pub(crate) struct XdfWriter {
    tmp: File,
    tmp_path: PathBuf,
    path: PathBuf,
    /// The original, locked while appending.
    original: Option<File>,
    /// Writing into the original itself (no temporary, no rename).
    in_place: bool,
    /// Publishing replaces whatever is at the path (else only a missing or empty file).
    replace: bool,
    /// Length of the file before an in-place session (what a discard restores).
    old_len: u64,
    /// The in-place file carries our open-for-writing flag (a discard clears it).
    marked_open: bool,
    fsiz: u32,
    nrwr: u32,
    nxtn: u32,
    nbig: u32,
    neff: u32,
    nrec: u32,
    pages: Vec<u32>,
    /// Every directory entry (18 words), deleted ones included.
    entries: Vec<[u32; 18]>,
}

fn be_words(words: &[u32]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(words.len() * 4);
    push_words(&mut bytes, words, Order::Big);
    bytes
}

fn corrupt(offset: u64, what: &'static str, value: u64) -> crate::Error {
    FormatError::new(FormatErrorKind::InvalidValue { what, value })
        .backend(Backend::Xdf)
        .offset(offset)
        .into()
}

impl XdfWriter {
    /// A writer over `tmp` with every count zero and no pages or entries yet.
    fn empty(
        tmp: File,
        tmp_path: PathBuf,
        path: &Path,
        original: Option<File>,
        in_place: bool,
    ) -> XdfWriter {
        XdfWriter {
            tmp,
            tmp_path,
            path: path.to_path_buf(),
            original,
            in_place,
            replace: true,
            old_len: 0,
            marked_open: false,
            fsiz: 0,
            nrwr: 0,
            nxtn: 0,
            nbig: 0,
            neff: 0,
            nrec: 0,
            pages: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// Starts a new file at `path`, replacing it at close if it exists (`replace`), else
    /// refused now (another writer is creating it) or at close (the name appeared).
    pub(crate) fn create(path: &Path, replace: bool) -> Result<XdfWriter> {
        if !replace && sibling::has_content(path) {
            return Err(sibling::exists_error(path));
        }
        let tmp_path = sibling::temp_sibling(path);
        let tmp = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp_path)?;
        let mut w = XdfWriter {
            fsiz: HEADER_W64,
            replace,
            ..XdfWriter::empty(tmp, tmp_path, path, None, false)
        };
        let started = w.start_new();
        if let Err(e) = started {
            w.discard();
            return Err(e);
        }
        Ok(w)
    }

    fn start_new(&mut self) -> Result<()> {
        if !self.replace {
            sibling::claim(&self.path, &self.tmp_path)?;
        }
        let header = self.header_words(0);
        self.write_at(0, &header)?;
        self.add_page()
    }

    /// Continues an existing, closed XDF file, in a copy (default) or `in_place`.
    pub(crate) fn append(path: &Path, in_place: bool) -> Result<XdfWriter> {
        let original = OpenOptions::new().read(true).write(true).open(path)?;
        if !lock::lock(&original, false)? {
            return Err(UsageError::InvalidArgument(format!(
                "{} is being written by another writer",
                path.display()
            ))
            .into());
        }
        let old_len = original.metadata()?.len();
        let (tmp, tmp_path) = if in_place {
            (original.try_clone()?, path.to_path_buf())
        } else {
            let tmp_path = sibling::temp_sibling(path);
            let copied = std::fs::copy(path, &tmp_path)
                .and_then(|_| OpenOptions::new().read(true).write(true).open(&tmp_path));
            match copied {
                Ok(tmp) => (tmp, tmp_path),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp_path);
                    return Err(e.into());
                }
            }
        };
        let mut w = XdfWriter::empty(tmp, tmp_path, path, Some(original), in_place);
        w.old_len = old_len;
        let loaded = w.load().and_then(|()| {
            if in_place {
                // librmn's R-W flag: other writers refuse the file until we close it.
                w.write_at(56, &[3])?;
                w.marked_open = true;
                w.tmp.sync_data()?;
            }
            Ok(())
        });
        if let Err(e) = loaded {
            w.discard();
            return Err(e);
        }
        Ok(w)
    }

    fn read_at(&mut self, offset: u64, len: usize) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        self.tmp.seek(SeekFrom::Start(offset))?;
        self.tmp.read_exact(&mut buf)?;
        Ok(buf)
    }

    fn write_at(&mut self, offset: u64, words: &[u32]) -> Result<()> {
        self.tmp.seek(SeekFrom::Start(offset))?;
        self.tmp.write_all(&be_words(words))?;
        Ok(())
    }

    /// Reads the header and every directory page of the copy.
    fn load(&mut self) -> Result<()> {
        let file_len = self.tmp.metadata()?.len();
        // Refuse what the reader refuses, then load what the writer needs.
        let source = crate::io::FileSource::new(self.tmp.try_clone()?)?;
        crate::container::scan(&source, &crate::Limits::default())?;
        let prefix = self.read_at(0, 64.min(file_len as usize))?;
        let mut warnings = Vec::new();
        let h = XdfHeader::parse(&prefix, file_len, &mut warnings)?;
        if h.rwflg != 0 {
            return Err(UsageError::InvalidArgument(format!(
                "{} is marked open for writing (flag {}); librmn refuses it too until it is closed or repaired",
                self.path.display(),
                h.rwflg
            ))
            .into());
        }
        if u64::from(h.fsiz) * 8 != file_len || h.lng != HEADER_W64 {
            return Err(corrupt(
                16,
                "file size in the header (8-byte units)",
                u64::from(h.fsiz),
            ));
        }
        let mut addr = h.first_page_addr();
        for number in 0..h.nbd {
            if addr == 0 || addr_to_offset(addr) + u64::from(PAGE_W64) * 8 > file_len {
                return Err(corrupt(
                    addr_to_offset(addr),
                    "directory page address",
                    u64::from(addr),
                ));
            }
            let bytes = self.read_at(addr_to_offset(addr), PAGE_W64 as usize * 8)?;
            let page = DirPage::parse(&bytes, addr, &h, &mut warnings)?;
            if number + 1 < h.nbd && page.nent != ENTRIES_PER_PAGE {
                return Err(corrupt(
                    addr_to_offset(addr),
                    "entries of a non-final directory page",
                    u64::from(page.nent),
                ));
            }
            for e in 0..page.nent as usize {
                let mut entry = [0u32; 18];
                for (k, w) in entry.iter_mut().enumerate() {
                    let i = 4 * (8 + e * 18 + k);
                    *w = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
                }
                self.entries.push(entry);
            }
            self.pages.push(addr);
            addr = page.next_addr;
        }
        self.fsiz = h.fsiz;
        self.nrwr = h.nrwr;
        self.nxtn = h.nxtn;
        self.nbig = h.nbig;
        self.neff = h.neff;
        self.nrec = h.nrec;
        Ok(())
    }

    /// Appends an empty directory page at the end of the file.
    fn add_page(&mut self) -> Result<()> {
        if self.pages.len() as u32 >= MAX_DIR_PAGES {
            return Err(LimitsExceeded::new(
                "XDF directory entries",
                u64::from(MAX_DIR_PAGES * ENTRIES_PER_PAGE) + 1,
                u64::from(MAX_DIR_PAGES * ENTRIES_PER_PAGE),
            )
            .into());
        }
        let addr = self.grow(PAGE_W64)?;
        let mut page = vec![0u32; PAGE_W64 as usize * 2];
        page[0] = PAGE_W64;
        page[1] = addr;
        self.write_at(addr_to_offset(addr), &page)?;
        self.pages.push(addr);
        Ok(())
    }

    /// Reserves `lng` units at the end of the file and returns their address.
    fn grow(&mut self, lng: u32) -> Result<u32> {
        let end = u64::from(self.fsiz) + u64::from(lng);
        if end > MAX_FILE_W64 {
            return Err(
                LimitsExceeded::new("XDF file size (8-byte units)", end, MAX_FILE_W64).into(),
            );
        }
        let addr = self.fsiz + 1;
        self.fsiz = end as u32;
        Ok(addr)
    }

    /// Appends a record; returns its directory index.
    /// `padding` zero words follow `data` in the data area.
    pub(crate) fn write(
        &mut self,
        keys: &SearchKeys,
        data: &(impl AreaSource + ?Sized),
        padding: usize,
    ) -> Result<usize> {
        let data_w64 = (data.word_count() as u64 + padding as u64).div_ceil(2);
        let lng = 10 + data_w64;
        if lng > MAX_RECORD_W64 {
            return Err(LimitsExceeded::new(
                "XDF record length (8-byte units)",
                lng,
                MAX_RECORD_W64,
            )
            .into());
        }
        let lng = lng as u32;
        if self.entries.len() == self.pages.len() * ENTRIES_PER_PAGE as usize {
            self.add_page()?;
        }
        let addr = self.grow(lng)?;
        let mut entry = [0u32; 18];
        entry[0] = IDTYP_LIVE << 24 | lng;
        entry[1] = addr;
        entry[2..].copy_from_slice(&keys.0);
        let mut head = Vec::with_capacity(80);
        push_words(&mut head, &entry, Order::Big);
        push_words(&mut head, &[0, 0], Order::Big);
        // The data area is streamed (no copy of the record), then zero slack to lng.
        let zeros = lng as usize * 8 - head.len() - data.word_count() * 4;
        self.tmp.seek(SeekFrom::Start(addr_to_offset(addr)))?;
        write_record(&mut self.tmp, &head, data, Order::Big, zeros, &[])?;
        self.entries.push(entry);
        self.nxtn += 1;
        self.nrec += 1;
        self.nbig = self.nbig.max(lng);
        Ok(self.entries.len() - 1)
    }

    /// Number of directory entries (deleted ones included): the next record's index.
    pub(crate) fn directory_len(&self) -> usize {
        self.entries.len()
    }

    /// Search keys of every live entry, with their index.
    pub(crate) fn live(&self) -> impl Iterator<Item = (usize, SearchKeys)> + '_ {
        self.entries.iter().enumerate().filter_map(|(i, e)| {
            let idtyp = e[0] >> 24;
            (1..=125).contains(&idtyp).then(|| {
                let mut k = [0u32; 16];
                k.copy_from_slice(&e[2..]);
                (i, SearchKeys(k))
            })
        })
    }

    /// Marks entry `index` deleted (entry and record header, as librmn's close does).
    pub(crate) fn erase(&mut self, index: usize) -> Result<()> {
        let len = self.entries.len();
        let entry = self
            .entries
            .get_mut(index)
            .ok_or(UsageError::IndexOutOfRange { index, len })?;
        if !(1..=125).contains(&(entry[0] >> 24)) {
            return Err(UsageError::Deleted(index).into());
        }
        let (word0, addr) = (entry[0], entry[1]);
        // The entry comes from the file: check that it points at its record before
        // writing there (the record starts with a copy of the entry's first two words).
        let lng = u64::from(word0 & 0xFF_FFFF);
        let offset = addr_to_offset(addr);
        if addr == 0 || u64::from(addr) - 1 + lng > u64::from(self.fsiz) {
            return Err(corrupt(
                offset,
                "record address of the entry to erase",
                u64::from(addr),
            ));
        }
        let b = self.read_at(offset, 8)?;
        let on_disk = [
            u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
            u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
        ];
        if on_disk[1] != addr || on_disk[0] & 0xFF_FFFF != word0 & 0xFF_FFFF {
            return Err(corrupt(
                offset,
                "record header (does not match its directory entry)",
                u64::from(on_disk[0]),
            ));
        }
        let entry = &mut self.entries[index];
        entry[0] = IDTYP_DELETED << 24 | (word0 & 0xFF_FFFF);
        let head = [entry[0], addr];
        self.write_at(offset, &head)?;
        self.neff += 1;
        self.nrec -= 1;
        Ok(())
    }

    /// Counts a rewrite (librmn's `nrwr`).
    pub(crate) fn count_rewrite(&mut self) {
        self.nrwr += 1;
    }
}
