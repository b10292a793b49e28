//! The XDF file header (`file_header` in `qstdir.h`): the first 16 words of a 26-word header.

use crate::container::Backend;
use crate::error::{FormatError, FormatErrorKind, Result};

/// Bytes of the header we read (16 words; the 18 key descriptors after them are fixed).
pub(crate) const PREFIX_LEN: usize = 64;

/// Decoded XDF file header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XdfHeader {
    /// Header length in 8-byte units (26).
    pub lng: u32,
    /// File size in 8-byte units as recorded at the last close.
    pub fsiz: u32,
    /// Number of rewrites.
    pub nrwr: u32,
    /// Number of records appended (lifetime).
    pub nxtn: u32,
    /// Number of directory pages.
    pub nbd: u32,
    /// Address of the last directory page.
    pub plst: u32,
    /// Length of the largest record (8-byte units).
    pub nbig: u32,
    /// Number of primary keys (16).
    pub nprm: u32,
    /// Primary-key length in 8-byte units, record header included (9).
    pub lprm: u32,
    /// Number of auxiliary keys (2).
    pub naux: u32,
    /// Auxiliary-key length (1).
    pub laux: u32,
    /// Number of erasures (lifetime; rewrites count too).
    pub neff: u32,
    /// Number of valid records.
    pub nrec: u32,
    /// Write flag: 0 when closed.
    pub rwflg: u32,
}

impl XdfHeader {
    /// Parses the first 64 bytes and checks what librmn checks (`c_xdfcheck`, `c_xdfopn`).
    /// Deviations librmn would only log, or that a lenient reader can live with, become
    /// `warnings`.
    ///
    /// # Errors
    /// Format errors for a wrong signature, header type, key layout or an empty directory.
    pub fn parse(bytes: &[u8], file_len: u64, warnings: &mut Vec<String>) -> Result<XdfHeader> {
        let err = |kind| -> crate::Error {
            FormatError::new(kind)
                .backend(Backend::Xdf)
                .offset(0)
                .into()
        };
        if bytes.len() < PREFIX_LEN {
            return Err(err(FormatErrorKind::Truncated {
                what: "file header",
                needed: PREFIX_LEN as u64,
                available: file_len,
            }));
        }
        let w = |i: usize| {
            u32::from_be_bytes([
                bytes[4 * i],
                bytes[4 * i + 1],
                bytes[4 * i + 2],
                bytes[4 * i + 3],
            ])
        };
        if w(0) >> 24 != 0 {
            return Err(err(FormatErrorKind::Mismatch {
                what: "header record type",
                expected: 0,
                found: u64::from(w(0) >> 24),
            }));
        }
        let h = XdfHeader {
            lng: w(0) & 0x00FF_FFFF,
            fsiz: w(4),
            nrwr: w(5),
            nxtn: w(6),
            nbd: w(7),
            plst: w(8),
            nbig: w(9),
            nprm: w(10) >> 16,
            lprm: w(10) & 0xFFFF,
            naux: w(11) >> 16,
            laux: w(11) & 0xFFFF,
            neff: w(12),
            nrec: w(13),
            rwflg: w(14),
        };
        if h.lprm != 9 || h.nprm != 16 {
            return Err(err(FormatErrorKind::Mismatch {
                what: "primary key layout (nprm<<16 | lprm) of a standard file",
                expected: 0x0010_0009,
                found: u64::from(w(10)),
            }));
        }
        if h.lng < 8 {
            return Err(err(FormatErrorKind::InvalidValue {
                what: "header length (8-byte units)",
                value: u64::from(h.lng),
            }));
        }
        if h.nbd == 0 {
            return Err(err(FormatErrorKind::InvalidValue {
                what: "number of directory pages (0: the file was never closed, librmn refuses it too)",
                value: 0,
            }));
        }
        if h.nbd > super::MAX_DIR_PAGES {
            return Err(err(FormatErrorKind::InvalidValue {
                what: "number of directory pages",
                value: u64::from(h.nbd),
            }));
        }
        let recorded = u64::from(h.fsiz) * 8;
        if recorded != file_len {
            warnings.push(format!(
                "XDF: header records a file size of {recorded} bytes but the file has {file_len}; librmn refuses such a file (unclosed writer, truncation or trailing bytes)"
            ));
        }
        if h.rwflg != 0 {
            warnings.push(format!(
                "XDF: file is marked open for writing (flag {}): it was checkpointed or not closed",
                h.rwflg
            ));
        }
        Ok(h)
    }

    /// Address of the first directory page (right after the header).
    pub fn first_page_addr(&self) -> u32 {
        self.lng + 1
    }

    /// Size of a directory page in bytes (`256·lprm + 4` units of 8 bytes).
    pub fn page_bytes(&self) -> usize {
        (256 * self.lprm as usize + 4) * 8
    }
}
