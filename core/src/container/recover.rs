//! Recovery mode: list the records of a file whose directory cannot be used (never closed,
//! zero directory pages, damaged pages, an RSF segment never closed) by walking the file
//! for records whose own framing is intact. Beyond librmn, which refuses such files.
//!
//! XDF: a record starts with a copy of its directory entry whose address word is the
//! record's own address (spec xdf.md §1.4); RSF: a data record is framed by a start and an
//! end marker that agree on its type and length (rsf.md §1.1, §1.5). A record is listed only
//! if all its bytes are in the file.

use crate::error::Result;
use crate::io::ReadAt;
use crate::Limits;

use super::rsf::frame::{record_type, EndOfRecord, StartOfRecord, EOR_LEN, SOR_LEN};
use super::rsf::meta::{json_text, RecordMeta, SEARCH_WORDS};
use super::{Backend, DirEntry, Directory};

/// Bytes read at a time while walking the file.
const WINDOW: usize = 4 << 20;

/// Positional reads through a sliding window (the walk moves forward a few bytes at a time).
struct Window<'a> {
    source: &'a dyn ReadAt,
    start: u64,
    buf: Vec<u8>,
}

impl Window<'_> {
    /// The `n` bytes at `offset`, or `None` past the end of the file.
    fn at(&mut self, offset: u64, n: usize) -> Result<Option<&[u8]>> {
        let len = self.source.len();
        let Some(end) = offset.checked_add(n as u64).filter(|&e| e <= len) else {
            return Ok(None);
        };
        if offset < self.start || end > self.start + self.buf.len() as u64 {
            let size = (len - offset).min(WINDOW.max(n) as u64) as usize;
            self.buf.resize(size, 0);
            self.source.read_exact_at(&mut self.buf, offset)?;
            self.start = offset;
        }
        let from = (offset - self.start) as usize;
        Ok(Some(&self.buf[from..from + n]))
    }
}

/// Lists the intact records of the file by walking it (see the module docs).
///
/// # Errors
/// I/O errors, or more records than [`Limits::max_directory_entries`].
pub fn recover(source: &dyn ReadAt, backend: Backend, limits: &Limits) -> Result<Directory> {
    let mut w = Window {
        source,
        start: 0,
        buf: Vec::new(),
    };
    let entries = match backend {
        Backend::Xdf => walk_xdf(&mut w, limits)?,
        Backend::Rsf => walk_rsf(&mut w, limits)?,
    };
    let warnings = vec![format!(
        "{backend}: recovery mode: the directory was not used; {} records with intact bytes were found by walking the file",
        entries.len()
    )];
    Ok(Directory { entries, warnings })
}

fn push(entries: &mut Vec<DirEntry>, entry: DirEntry, limits: &Limits) -> Result<()> {
    if entries.len() as u64 >= limits.max_directory_entries {
        return Err(crate::LimitsExceeded::new(
            "directory entries",
            entries.len() as u64 + 1,
            limits.max_directory_entries,
        )
        .into());
    }
    entries.push(entry);
    Ok(())
}

/// XDF: records and directory pages are whole 8-byte units after the 208-byte header.
fn walk_xdf(w: &mut Window<'_>, limits: &Limits) -> Result<Vec<DirEntry>> {
    const ENTRY_BYTES: usize = 80; // 18 entry words + 2 info words
    let len = w.source.len();
    let mut entries = Vec::new();
    let mut p: u64 = 208;
    while let Some(head) = w.at(p, ENTRY_BYTES)? {
        let word = |i: usize| u32::from_be_bytes(head[4 * i..4 * i + 4].try_into().unwrap());
        let (idtyp, lng, addr) = (word(0) >> 24, u64::from(word(0) & 0xFF_FFFF), word(1));
        let own = p / 8 + 1;
        let end = p.saturating_add(lng * 8);
        let framed = u64::from(addr) == own && end <= len;
        let live = (1..=125).contains(&idtyp) && lng >= 10 && word(18) == 0 && word(19) == 0;
        if framed && live {
            let mut words = [0u32; 18];
            for (i, v) in words.iter_mut().enumerate() {
                *v = word(i);
            }
            let entry = super::xdf::entry_from_words(&words, entries.len(), len, p)?;
            push(&mut entries, entry, limits)?;
            p = end;
        } else if framed && lng > 0 && (idtyp == 0 || idtyp >= 126) {
            // A directory page or a deleted record: skip it whole.
            p = end;
        } else {
            p += 8;
        }
    }
    Ok(entries)
}

/// RSF: every object is framed; data records are skipped into, others over.
fn walk_rsf(w: &mut Window<'_>, limits: &Limits) -> Result<Vec<DirEntry>> {
    let len = w.source.len();
    let mut entries = Vec::new();
    let mut p: u64 = 0;
    while let Some(head) = w.at(p, SOR_LEN)? {
        let Ok(sor) = StartOfRecord::parse(head, p) else {
            p += 4;
            continue;
        };
        let end = p.saturating_add(sor.rl);
        let framed = sor.rl >= (SOR_LEN + EOR_LEN) as u64
            && sor.rl % 4 == 0
            && end <= len
            && match w.at(end - EOR_LEN as u64, EOR_LEN)? {
                Some(tail) => EndOfRecord::parse(tail, end - EOR_LEN as u64)
                    .and_then(|eor| eor.expect_matches(&sor, end - EOR_LEN as u64))
                    .is_ok(),
                None => false,
            };
        if !framed {
            p += 4;
            continue;
        }
        if sor.rt == record_type::DATA {
            if let Some(entry) = rsf_entry(w, p, &sor, entries.len(), limits)? {
                push(&mut entries, entry, limits)?;
            }
            p = end;
        } else if matches!(sor.rt, record_type::VDIR | record_type::DELETED) {
            p = end;
        } else {
            // Segment markers: their lengths may span a whole sparse segment.
            p += SOR_LEN as u64;
        }
    }
    Ok(entries)
}

/// The directory entry of the data record at `p`, from its own metadata words.
fn rsf_entry(
    w: &mut Window<'_>,
    p: u64,
    sor: &StartOfRecord,
    index: usize,
    limits: &Limits,
) -> Result<Option<DirEntry>> {
    let rlm = usize::from(sor.rlm);
    let overhead = (SOR_LEN + EOR_LEN + 4 * rlm) as u64;
    if rlm < SEARCH_WORDS || sor.rl < overhead {
        return Ok(None);
    }
    let Some(meta) = w.at(p + SOR_LEN as u64, 4 * rlm)? else {
        return Ok(None);
    };
    let Ok(parsed) = RecordMeta::parse(meta, p) else {
        return Ok(None);
    };
    if !parsed.is_data() {
        return Ok(None);
    }
    let extended_metadata = parsed
        .json_range()
        .filter(|r| r.len() as u64 <= limits.max_json_bytes)
        .and_then(|r| meta.get(r))
        .and_then(|b| json_text(b).ok())
        .map(str::to_owned);
    Ok(Some(DirEntry {
        index,
        deleted: false,
        keys: parsed.keys,
        record_offset: p,
        record_len: sor.rl,
        data_offset: p + (SOR_LEN + 4 * rlm) as u64,
        data_len: sor.rl - overhead,
        meta_words: sor.rlm.into(),
        extended_metadata,
    }))
}
