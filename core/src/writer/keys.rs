//! [`RecordKeys`]: what the caller describes a record with, and its packing into the 16
//! search words shared by XDF entries and RSF metadata (spec xdf.md §2, rsf.md §2.1).

use crate::error::{Result, UsageError};
use crate::record::{Name, SearchKeys};
use crate::time;

/// The keys of a record to write (librmn's `fst_record` fields).
///
/// `datyp` is the *requested* data type (flags +64 missing, +128 turbo allowed) and
/// `nbits` the requested packed width; the writer normalises both as librmn does.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordKeys {
    /// Variable name (up to 4 characters).
    pub nomvar: Name<4>,
    /// Type of field (up to 2 characters).
    pub typvar: Name<2>,
    /// Label (up to 12 characters).
    pub etiket: Name<12>,
    /// First dimension.
    pub ni: u32,
    /// Second dimension.
    pub nj: u32,
    /// Third dimension.
    pub nk: u32,
    /// Origin date stamp; the file stores `dateo + deet·npas`.
    pub dateo: i32,
    /// Time step length in seconds.
    pub deet: i32,
    /// Time step number.
    pub npas: i32,
    /// Level code.
    pub ip1: i32,
    /// Time code.
    pub ip2: i32,
    /// Free code.
    pub ip3: i32,
    /// Grid type letter (raw byte).
    pub grtyp: u8,
    /// Grid descriptor 1.
    pub ig1: i32,
    /// Grid descriptor 2.
    pub ig2: i32,
    /// Grid descriptor 3.
    pub ig3: i32,
    /// Grid descriptor 4.
    pub ig4: i32,
    /// Requested data type, flags included.
    pub datyp: u8,
    /// Requested packed bits per value.
    pub nbits: u8,
    /// Extended JSON metadata (RSF only; must be a JSON document). XDF files cannot hold
    /// it and the writer drops it there, as librmn does.
    pub metadata: Option<String>,
}

impl RecordKeys {
    /// Keys of an `ni × nj × nk` field named `nomvar`, packed R16 (librmn's classic
    /// default), every other key 0 or blank, grid `X`.
    pub fn new(nomvar: &str, ni: u32, nj: u32, nk: u32) -> Self {
        RecordKeys {
            nomvar: Name::new(nomvar),
            typvar: Name::new(""),
            etiket: Name::new(""),
            ni,
            nj,
            nk,
            dateo: 0,
            deet: 0,
            npas: 0,
            ip1: 0,
            ip2: 0,
            ip3: 0,
            grtyp: b'X',
            ig1: 0,
            ig2: 0,
            ig3: 0,
            ig4: 0,
            datyp: 1,
            nbits: 16,
            metadata: None,
        }
    }

    /// Number of values `ni·nj·nk`, saturating (RSF dimensions can exceed 64 bits in
    /// product; no array that large exists, so the length check then refuses it).
    pub fn num_values(&self) -> u64 {
        u64::from(self.ni)
            .saturating_mul(u64::from(self.nj))
            .saturating_mul(u64::from(self.nk))
    }

    /// The valid date librmn stores (`get_valid_date32`): `dateo` moved by `deet·npas`.
    ///
    /// # Errors
    /// Usage error when the date arithmetic fails (invalid stamp).
    pub fn datev(&self) -> Result<i32> {
        let seconds = i64::from(self.deet) * i64::from(self.npas);
        if seconds <= 0 {
            return Ok(self.dateo);
        }
        time::incdatr(self.dateo, seconds as f64 / 3600.0).map_err(|e| {
            UsageError::InvalidArgument(format!("dateo {} + {seconds} s: {e}", self.dateo)).into()
        })
    }

    /// Checks every key against librmn's limits (`qstdir.h` `*_MAX`, checked by both
    /// `c_fstecr_xdf` and `fst24_record_validate_params`); `xdf` also limits ni and nj to
    /// 24 bits (RSF: `NI_EXTENDED_MAX`, 31 bits).
    ///
    /// # Errors
    /// Usage error naming the first key out of range.
    pub fn validate(&self, xdf: bool) -> Result<()> {
        let dim_max: u64 = if xdf { (1 << 24) - 1 } else { (1 << 31) - 1 };
        let checks: [(&str, i64, i64, i64); 14] = [
            ("ni", i64::from(self.ni), 1, dim_max as i64),
            ("nj", i64::from(self.nj), 1, dim_max as i64),
            ("nk", i64::from(self.nk), 1, (1 << 20) - 1),
            ("deet", i64::from(self.deet), 0, (1 << 24) - 1),
            // The field has 26 bits, but librmn (NPAS_MAX) refuses more than 24.
            ("npas", i64::from(self.npas), 0, (1 << 24) - 1),
            ("ip1", i64::from(self.ip1), 0, (1 << 28) - 1),
            ("ip2", i64::from(self.ip2), 0, (1 << 28) - 1),
            ("ip3", i64::from(self.ip3), 0, (1 << 28) - 1),
            ("ig1", i64::from(self.ig1), 0, (1 << 24) - 1),
            ("ig2", i64::from(self.ig2), 0, (1 << 24) - 1),
            ("ig3", i64::from(self.ig3), 0, (1 << 24) - 1),
            ("ig4", i64::from(self.ig4), 0, (1 << 24) - 1),
            ("nbits", i64::from(self.nbits), 1, 64),
            ("datyp base", i64::from(self.datyp & 63), 0, 8),
        ];
        for (what, value, lo, hi) in checks {
            if !(lo..=hi).contains(&value) {
                return Err(UsageError::InvalidArgument(format!(
                    "{what} = {value} is outside {lo}..={hi}"
                ))
                .into());
            }
        }
        Ok(())
    }
}

impl From<&crate::RecordHeader> for RecordKeys {
    /// The keys of a record read from a file, to write it again (its stored datyp and
    /// nbits become the requested ones).
    fn from(h: &crate::RecordHeader) -> Self {
        RecordKeys {
            nomvar: h.nomvar,
            typvar: h.typvar,
            etiket: h.etiket,
            ni: h.ni,
            nj: h.nj,
            nk: h.nk,
            dateo: h.dateo,
            deet: h.deet,
            npas: h.npas,
            ip1: h.ip1,
            ip2: h.ip2,
            ip3: h.ip3,
            grtyp: h.grtyp,
            ig1: h.ig1,
            ig2: h.ig2,
            ig3: h.ig3,
            ig4: h.ig4,
            datyp: h.datyp.raw(),
            nbits: h.nbits,
            metadata: None,
        }
    }
}

/// What the packer decided for a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredType {
    pub datyp: u8,
    pub nbits: u8,
    pub data_bits: u8,
}

/// Packs the 16 search words. XDF leaves ni/nj extension bits 0, RSF fills them.
pub(crate) fn search_keys(k: &RecordKeys, stored: StoredType, datev: i32, xdf: bool) -> SearchKeys {
    // Every field was range-checked by `validate`, so the casts below keep all bits.
    let (ni_b, nj_b, nj_c) = if xdf {
        (0, 0, 0)
    } else {
        ((k.ni >> 24) & 0xFF, (k.nj >> 24) & 0xF, (k.nj >> 28) & 0xF)
    };
    let ig2 = k.ig2 as u32;
    let etiket = k.etiket.to_code6();
    let e15 = ((etiket >> 42) & 0x3FFF_FFFF) as u32;
    let e6a = ((etiket >> 12) & 0x3FFF_FFFF) as u32;
    let ebc = (etiket & 0xFFF) as u32;
    SearchKeys([
        (k.deet as u32) << 8 | u32::from(stored.nbits),
        (k.ni & 0xFF_FFFF) << 8 | u32::from(k.grtyp),
        (k.nj & 0xFF_FFFF) << 8 | u32::from(stored.datyp),
        k.nk << 12,
        (k.npas as u32) << 6,
        (k.ig4 as u32) << 8 | (ig2 >> 16) & 0xFF,
        (k.ig1 as u32) << 8 | (ig2 >> 8) & 0xFF,
        (k.ig3 as u32) << 8 | ig2 & 0xFF,
        e15 << 2,
        e6a << 2,
        ebc << 20 | (k.typvar.to_code6() as u32) << 8 | ni_b,
        (k.nomvar.to_code6() as u32) << 8 | u32::from(stored.data_bits),
        (k.ip1 as u32) << 4,
        (k.ip2 as u32) << 4 | nj_b,
        (k.ip3 as u32) << 4 | nj_c,
        time::word_from_date(datev),
    ])
}

/// True when `a` and `b` describe the same record for fst24's rewrite (`FST_YES`): every
/// key but the data type and widths.
pub(crate) fn same_record(a: &SearchKeys, b: &SearchKeys) -> bool {
    // Words 0..15 with nbits (w0 bits 0-7), datyp (w2 bits 0-7), dasiz (w11 bits 0-7)
    // and the date's run digit (w15 bits 0-2) masked out.
    const MASK: [u32; 16] = [
        !0xFF, !0, !0xFF, !0, !0, !0, !0, !0, !0, !0, !0, !0xFF, !0, !0, !0, !7,
    ];
    (0..16).all(|i| a.0[i] & MASK[i] == b.0[i] & MASK[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::Backend;
    use crate::record::RecordHeader;

    #[test]
    fn spec_entry_round_trip() {
        // xdf.md §2 worked example (tiny_d001_r16_xdf.fst).
        let mut k = RecordKeys::new("D001", 8, 4, 1);
        k.typvar = Name::new("P");
        k.etiket = Name::new("TINY");
        k.deet = 600;
        k.npas = 6;
        k.dateo = 478263500;
        k.ip1 = 41394464;
        k.ip2 = 1;
        k.ip3 = 2;
        k.ig1 = 10;
        k.ig2 = 20;
        k.ig3 = 30;
        k.ig4 = 40;
        let stored = StoredType {
            datyp: 1,
            nbits: 16,
            data_bits: 32,
        };
        let keys = search_keys(&k, stored, k.datev().unwrap(), true);
        assert_eq!(
            keys.0,
            [
                0x0002_5810,
                0x0000_0858,
                0x0000_0401,
                0x0000_1000,
                0x0000_0180,
                0x0000_2800,
                0x0000_0a00,
                0x0000_1e14,
                0xd29b_b900,
                0,
                0x000c_0000,
                0x9104_1120,
                0x277a_1200,
                0x10,
                0x20,
                0x16ce_3040
            ]
        );
        let h = RecordHeader::from_keys(&keys, Backend::Xdf);
        assert_eq!(h.dateo, 478263500);
    }

    #[test]
    fn huge_dimensions_do_not_wrap() {
        let k = RecordKeys::new("BIG", (1 << 31) - 1, (1 << 31) - 1, (1 << 20) - 1);
        assert_eq!(k.num_values(), u64::MAX);
    }

    #[test]
    fn rsf_extension_bits() {
        let k = RecordKeys::new("BIG", 0x1234_5678, 0x7654_3210, 1);
        let s = StoredType {
            datyp: 5,
            nbits: 32,
            data_bits: 32,
        };
        let keys = search_keys(&k, s, 0, false);
        let h = RecordHeader::from_keys(&keys, Backend::Rsf);
        assert_eq!((h.ni, h.nj), (0x1234_5678, 0x7654_3210));
        assert!(k.validate(true).is_err() && k.validate(false).is_ok());
    }
}
