//! fst24 record metadata: the 19 search words every directory entry and data record
//! carry, followed by the optional extended JSON metadata (spec rsf.md §2.1-2.2).
//!
//! Words 3..18 are bit for bit the XDF primary keys, so they become a [`SearchKeys`] and
//! decode with the same code as XDF.

use crate::container::DirEntry;
use crate::error::{FormatErrorKind, Result, Unsupported};
use crate::record::SearchKeys;

use super::frame::{error_at, le32, record_type};

/// Number of search words written by fst24 (3 reserved words + 16 keys).
pub const SEARCH_WORDS: usize = 19;
/// Newest RSF record version this reader knows.
const RSF_VERSION: u8 = 1;
/// Newest fst24 metadata version this reader knows.
const FST_VERSION: u8 = 1;

/// The decoded reserved words and keys of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordMeta {
    /// Record type from word 0 (1 data, 0x80 deleted).
    pub rec_type: u8,
    /// Record class from word 0 (1 data).
    pub rec_class: u8,
    /// RSF record version from word 0 (0 for librmn 20.1.0-a3..a8 files).
    pub rsf_version: u8,
    /// fst24 metadata version.
    pub fst_version: u8,
    /// Number of search words; the JSON starts right after them.
    pub num_keys: u16,
    /// Number of extended-metadata words.
    pub ext_words: u16,
    /// Words 3..18.
    pub keys: SearchKeys,
}

impl RecordMeta {
    /// Decodes the first 19 words of `meta` (the metadata of the record whose directory
    /// entry is at `offset`).
    ///
    /// # Errors
    /// Fewer than 19 words, or a version newer than this reader knows.
    pub fn parse(meta: &[u8], offset: u64) -> Result<Self> {
        let word = |i: usize| le32(meta, 4 * i);
        let Some(w0) = word(0) else {
            return Err(too_few_words(0, offset));
        };
        let rsf_version = (w0 >> 16) as u8;
        if rsf_version > RSF_VERSION {
            return Err(Unsupported::Version {
                what: "RSF record",
                version: u32::from(rsf_version),
            }
            .into());
        }
        // Version 0 had the fst24 word at index 1 and the (always empty) data map at 2.
        let fst_word = if rsf_version == 0 { word(1) } else { word(2) };
        let (Some(fst_word), Some(_)) = (fst_word, word(SEARCH_WORDS - 1)) else {
            return Err(too_few_words(meta.len() / 4, offset));
        };
        let fst_version = (fst_word >> 24) as u8;
        if fst_version > FST_VERSION {
            return Err(Unsupported::Version {
                what: "fst24 record metadata",
                version: u32::from(fst_version),
            }
            .into());
        }
        let mut keys = [0u32; 16];
        for (i, k) in keys.iter_mut().enumerate() {
            *k = word(3 + i).unwrap_or(0);
        }
        Ok(RecordMeta {
            rec_type: (w0 & 0xFF) as u8,
            rec_class: (w0 >> 8) as u8,
            rsf_version,
            fst_version,
            num_keys: u16::from((fst_word >> 16) as u8),
            ext_words: (fst_word & 0xFFFF) as u16,
            keys: SearchKeys(keys),
        })
    }

    /// True for a live data record.
    pub fn is_data(&self) -> bool {
        self.rec_type == record_type::DATA
    }

    /// True for an entry marked deleted.
    pub fn is_deleted(&self) -> bool {
        self.rec_type == record_type::DELETED
    }

    /// Byte range of the JSON inside the metadata words, when a JSON is announced.
    pub fn json_range(&self) -> Option<std::ops::Range<usize>> {
        if self.ext_words == 0 {
            return None;
        }
        let start = 4 * usize::from(self.num_keys);
        Some(start..start + 4 * usize::from(self.ext_words))
    }
}

fn too_few_words(found: usize, offset: u64) -> crate::Error {
    error_at(
        FormatErrorKind::InvalidValue {
            what: "directory metadata words (fewer than the 19 search words)",
            value: found as u64,
        },
        offset,
    )
}

/// The stored JSON text of `bytes`: everything up to the first NUL (a shorter document
/// rewritten in place leaves stale bytes after its NUL).
pub fn json_text(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    std::str::from_utf8(&bytes[..end])
}

/// Parses extended metadata as JSON, tolerating the bare `NaN`, `Infinity` and
/// `-Infinity` json-c writes for non-finite numbers: they become `null`.
///
/// # Errors
/// The document is not JSON even with that allowance.
pub fn parse_extended_metadata(raw: &str) -> serde_json::Result<serde_json::Value> {
    match serde_json::from_str(raw) {
        Ok(v) => Ok(v),
        Err(first) => {
            let cleaned = null_non_finite(raw);
            if cleaned == raw {
                return Err(first);
            }
            serde_json::from_str(&cleaned)
        }
    }
}

/// Replaces the non-finite number tokens outside strings by `null`.
fn null_non_finite(raw: &str) -> String {
    const TOKENS: [&str; 4] = ["-Infinity", "Infinity", "-NaN", "NaN"];
    let mut out = String::with_capacity(raw.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if let Some(t) = TOKENS.iter().find(|t| rest.starts_with(**t)) {
            out.push_str("null");
            rest = &rest[t.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

impl DirEntry {
    /// The extended metadata parsed as JSON (bare `NaN` and infinities become `null`);
    /// `None` when the record has none. Only with `internals`: serde_json's types are no part
    /// of the supported API (callers parse [`DirEntry::extended_metadata`] themselves).
    #[cfg(feature = "internals")]
    pub fn extended_metadata_json(&self) -> Option<serde_json::Result<serde_json::Value>> {
        self.extended_metadata
            .as_deref()
            .map(parse_extended_metadata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 19 words of record `E32` of the datatypes vector (spec rsf.md §2.1).
    const E32: [u32; 19] = [
        0x0001_0101,
        0,
        0x0113_0000,
        0x0001_2c20,
        0x0000_0258,
        0x0000_0205,
        0x0000_1000,
        0x0000_0300,
        0x0000_2812,
        0x0000_0a34,
        0x0000_1e56,
        0xd25c_f4d8,
        0x963d_2fc8,
        0x452c_0000,
        0x9534_8020,
        0x0000_3e80,
        0x0000_0060,
        0x0000_0000,
        0x19bf_ced0,
    ];

    fn bytes(words: &[u32]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    #[test]
    fn decodes_the_spec_example() {
        let m = RecordMeta::parse(&bytes(&E32), 0).unwrap();
        assert!(m.is_data());
        assert_eq!(
            (m.rsf_version, m.fst_version, m.num_keys, m.ext_words),
            (1, 1, 19, 0)
        );
        let k = m.keys;
        assert_eq!((k.nbits(), k.deet(), k.grtyp()), (32, 300, b'X'));
        assert_eq!(k.nomvar().as_str(), "E32 ");
        assert_eq!(k.etiket().as_str(), "TESTVECTOR12");
        assert_eq!(k.igs(), [10, 0x12_3456, 30, 40]);
        assert_eq!(k.ips(), [1000, 6, 0]);
        assert_eq!(k.date_word(), 0x19BF_CED0);
        assert_eq!(m.json_range(), None);
    }

    #[test]
    fn rejects_short_metadata_and_newer_versions() {
        assert!(RecordMeta::parse(&bytes(&E32[..18]), 8).is_err());
        let mut newer = E32;
        newer[2] |= 2 << 24;
        let err = RecordMeta::parse(&bytes(&newer), 0).unwrap_err();
        assert!(matches!(err, crate::Error::Unsupported(_)), "{err}");
    }

    #[test]
    fn json_stops_at_nul_and_tolerates_nan() {
        assert_eq!(json_text(b"{\"a\":1}\0{\"stale").unwrap(), "{\"a\":1}");
        let raw = r#"{"step":-1,"value":NaN,"lo":-Infinity,"s":"NaN \"NaN\""}"#;
        let v = parse_extended_metadata(raw).unwrap();
        assert!(v["value"].is_null() && v["lo"].is_null());
        assert_eq!(v["step"], -1);
        assert_eq!(v["s"], "NaN \"NaN\"");
        assert!(parse_extended_metadata("{\"a\":}").is_err());
    }
}
