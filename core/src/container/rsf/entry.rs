//! One entry of a segment directory (`vdir_entry`): where the record is, its length, and
//! a copy of its metadata words (spec rsf.md §1.6).

use crate::container::DirEntry;
use crate::error::{FormatErrorKind, LimitsExceeded, Result};
use crate::Limits;

use super::frame::{error_at, le32, short, u64hl, EOR_LEN, SOR_LEN};
use super::meta::{json_text, RecordMeta, SEARCH_WORDS};
use super::segment::{SegmentHeader, SOS_LEN};

/// Fixed part of an entry, before its metadata words.
pub const ENTRY_HEAD_LEN: usize = 32;

/// A raw directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VdirEntry<'a> {
    /// Segment-relative offset of the record (absolute in entries librmn rewrote when
    /// deleting them: never use it for a deleted entry).
    pub wa: u64,
    /// Record length in bytes.
    pub rl: u64,
    /// File offset of this entry (0 unless librmn rewrote it in place).
    pub entry_offset: u64,
    /// `directory words << 16 | record words`.
    pub ml: u32,
    /// Metadata words copied from the record.
    pub meta: &'a [u8],
}

impl<'a> VdirEntry<'a> {
    /// Parses the entry at `bytes[0..]`, which sits at file `offset`; returns it and its
    /// length.
    ///
    /// # Errors
    /// The entry or its metadata passes the end of the directory.
    pub fn parse(bytes: &'a [u8], offset: u64) -> Result<(Self, usize)> {
        let (Some(wa), Some(rl), Some(entry_offset), Some(ml)) = (
            u64hl(bytes, 0),
            u64hl(bytes, 8),
            u64hl(bytes, 16),
            le32(bytes, 24),
        ) else {
            return Err(short(
                "directory entry",
                offset,
                ENTRY_HEAD_LEN,
                bytes.len(),
            ));
        };
        // librmn's DIR_ML: the directory width when set, else the record width.
        let dir_words = match ml >> 16 {
            0 => ml & 0xFFFF,
            w => w,
        };
        let len = ENTRY_HEAD_LEN + 4 * dir_words as usize;
        let Some(meta) = bytes.get(ENTRY_HEAD_LEN..len) else {
            return Err(short("directory entry metadata", offset, len, bytes.len()));
        };
        Ok((
            VdirEntry {
                wa,
                rl,
                entry_offset,
                ml,
                meta,
            },
            len,
        ))
    }

    /// Metadata words stored in the record itself.
    pub fn record_words(&self) -> u32 {
        self.ml & 0xFFFF
    }

    /// Builds the directory entry number `index` of segment `segment`; `offset` is where
    /// this entry sits in the file. Live records are checked to lie inside the segment,
    /// before its directory.
    ///
    /// # Errors
    /// Bad metadata, or a live record outside its segment or too short for its metadata.
    pub fn to_dir_entry(
        self,
        index: usize,
        segment: &SegmentHeader,
        offset: u64,
        limits: &Limits,
        warnings: &mut Vec<String>,
    ) -> Result<DirEntry> {
        let located = |e: crate::Error| e.at(Some(index), Some(offset));
        let meta = RecordMeta::parse(self.meta, offset).map_err(located)?;
        let deleted = !meta.is_data();
        // Other record types (embedded files) keep their index but are never read.
        if !meta.is_data() && !meta.is_deleted() {
            warnings.push(format!(
                "RSF: directory entry {index} at byte offset {offset} is a record of type {:#x}, not a standard-file record; it is skipped",
                meta.rec_type
            ));
        }
        let rec_words = u64::from(self.record_words());
        let overhead = (SOR_LEN + EOR_LEN) as u64 + 4 * rec_words;
        let mut entry = DirEntry {
            index,
            deleted,
            keys: meta.keys,
            record_offset: 0,
            record_len: self.rl,
            data_offset: 0,
            data_len: 0,
            meta_words: self.record_words(),
            extended_metadata: None,
        };
        if deleted {
            // A deleted entry's `wa` may be absolute (librmn bug): never follow it.
            return Ok(entry);
        }
        let bad = |what, value| {
            located(error_at(
                FormatErrorKind::InvalidValue { what, value },
                offset,
            ))
        };
        if rec_words < SEARCH_WORDS as u64 {
            return Err(bad("record metadata words", rec_words));
        }
        if self.rl < overhead || self.rl % 4 != 0 {
            return Err(bad("record length", self.rl));
        }
        if usize::from(meta.num_keys) < SEARCH_WORDS {
            return Err(bad("number of search words", u64::from(meta.num_keys)));
        }
        // Records of a segment lie between its header and its directory.
        let inside = self.wa >= SOS_LEN as u64
            && self
                .wa
                .checked_add(self.rl)
                .is_some_and(|end| end <= segment.vdir);
        if !inside {
            return Err(bad("record offset in its segment", self.wa));
        }
        entry.record_offset = segment.offset + self.wa;
        entry.data_offset = entry.record_offset + SOR_LEN as u64 + 4 * rec_words;
        entry.data_len = self.rl - overhead;
        entry.extended_metadata = self.json(&meta, index, offset, limits, warnings)?;
        Ok(entry)
    }

    fn json(
        &self,
        meta: &RecordMeta,
        index: usize,
        offset: u64,
        limits: &Limits,
        warnings: &mut Vec<String>,
    ) -> Result<Option<String>> {
        let Some(range) = meta.json_range() else {
            return Ok(None);
        };
        let len = range.len() as u64;
        if len > limits.max_json_bytes {
            let mut e = LimitsExceeded::new("extended metadata bytes", len, limits.max_json_bytes);
            e.record = Some(index);
            return Err(e.into());
        }
        let Some(bytes) = self.meta.get(range) else {
            // Version-0 records kept their JSON in the record only.
            warnings.push(format!(
                "RSF: record {index} (directory entry at byte offset {offset}) announces {} words of extended metadata that its directory entry does not hold; it is not listed",
                meta.ext_words
            ));
            return Ok(None);
        };
        Ok(Some(match json_text(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                warnings.push(format!(
                    "RSF: extended metadata of record {index} is not valid UTF-8; invalid bytes were replaced"
                ));
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                String::from_utf8_lossy(&bytes[..end]).into_owned()
            }
        }))
    }
}
