//! An XDF directory page (`xdf_dir_page`): 8 header words then 256 entries of 18 words.

use crate::container::{Backend, DirEntry};
use crate::error::{FormatError, FormatErrorKind, Result};

use super::{addr_to_offset, entry_from_words, XdfHeader};

/// Entries per directory page.
pub const ENTRIES_PER_PAGE: u32 = 256;

/// Header of a directory page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirPage {
    /// Address of this page.
    pub addr: u32,
    /// Address of the next page (0 = last).
    pub next_addr: u32,
    /// Number of used entries.
    pub nent: u32,
}

fn word(bytes: &[u8], i: usize) -> u32 {
    u32::from_be_bytes([
        bytes[4 * i],
        bytes[4 * i + 1],
        bytes[4 * i + 2],
        bytes[4 * i + 3],
    ])
}

impl DirPage {
    /// Parses and checks the page header; a checksum mismatch is only a warning, as in
    /// librmn (`c_xdfopn` logs it and goes on).
    ///
    /// # Errors
    /// Format errors for a page of the wrong type, size, self address or entry count.
    pub fn parse(
        bytes: &[u8],
        addr: u32,
        header: &XdfHeader,
        warnings: &mut Vec<String>,
    ) -> Result<DirPage> {
        let offset = addr_to_offset(addr);
        let err = |kind| -> crate::Error {
            FormatError::new(kind)
                .backend(Backend::Xdf)
                .offset(offset)
                .into()
        };
        let page_words = header.page_bytes() / 4;
        if bytes.len() < page_words * 4 {
            return Err(err(FormatErrorKind::Truncated {
                what: "directory page",
                needed: offset + bytes.len() as u64,
                available: offset,
            }));
        }
        let expected_w0 = (header.page_bytes() / 8) as u32;
        if word(bytes, 0) != expected_w0 {
            return Err(err(FormatErrorKind::Mismatch {
                what: "directory page header (type<<24 | length)",
                expected: u64::from(expected_w0),
                found: u64::from(word(bytes, 0)),
            }));
        }
        if word(bytes, 1) != addr {
            return Err(err(FormatErrorKind::Mismatch {
                what: "directory page self address",
                expected: u64::from(addr),
                found: u64::from(word(bytes, 1)),
            }));
        }
        let nent = word(bytes, 5);
        if nent > ENTRIES_PER_PAGE {
            return Err(err(FormatErrorKind::InvalidValue {
                what: "directory page entry count",
                value: u64::from(nent),
            }));
        }
        // XOR of words 4.. (byte order does not matter to a XOR: swap once at the end).
        let xor = u32::from_be(
            bytes[16..page_words * 4]
                .chunks_exact(4)
                .fold(0u32, |acc, w| {
                    acc ^ u32::from_ne_bytes([w[0], w[1], w[2], w[3]])
                }),
        );
        if xor != 0 {
            warnings.push(format!("XDF: directory page at byte {offset} has a bad checksum (xor {xor:#010x}); librmn only logs this"));
        }
        Ok(DirPage {
            addr,
            next_addr: word(bytes, 4),
            nent,
        })
    }

    /// Appends this page's used entries to `out`.
    ///
    /// # Errors
    /// Format errors for live entries pointing outside the file.
    pub fn push_entries(
        &self,
        bytes: &[u8],
        page_number: u32,
        file_len: u64,
        out: &mut Vec<DirEntry>,
    ) -> Result<()> {
        let _ = page_number;
        let page_offset = addr_to_offset(self.addr);
        let used = &bytes[32..32 + 72 * self.nent as usize];
        out.reserve(self.nent as usize);
        for (e, entry) in used.chunks_exact(72).enumerate() {
            let first = 8 + e * 18;
            let mut words = [0u32; 18];
            for (w, b) in words.iter_mut().zip(entry.chunks_exact(4)) {
                *w = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            }
            let index = out.len();
            out.push(entry_from_words(
                &words,
                index,
                file_len,
                page_offset + 4 * first as u64,
            )?);
        }
        Ok(())
    }
}
