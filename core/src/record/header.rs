//! [`RecordHeader`]: every key librmn's `fstprm` reports, decoded.

use crate::backend::Backend;
use crate::time;

use super::{DataType, ElementType, Name, SearchKeys};

/// The decoded keys of one record.
///
/// Integer fields use librmn's signed `int` where librmn does (fstpy columns are signed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHeader {
    /// Variable name, 4 characters blank padded.
    pub nomvar: Name<4>,
    /// Type of field, 2 characters.
    pub typvar: Name<2>,
    /// Label, 12 characters.
    pub etiket: Name<12>,
    /// Grid type letter (raw byte; case kept).
    pub grtyp: u8,
    /// First dimension.
    pub ni: u32,
    /// Second dimension.
    pub nj: u32,
    /// Third dimension.
    pub nk: u32,
    /// Origin date stamp (derived from datev, deet and npas, as librmn does).
    pub dateo: i32,
    /// Valid date stamp (the one stored).
    pub datev: i32,
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
    /// Grid descriptor 1.
    pub ig1: i32,
    /// Grid descriptor 2.
    pub ig2: i32,
    /// Grid descriptor 3.
    pub ig3: i32,
    /// Grid descriptor 4.
    pub ig4: i32,
    /// Stored data type, flags included.
    pub datyp: DataType,
    /// Packed bits per value.
    pub nbits: u8,
    /// Stored element size of the writer's array (`dasiz`; 0 in pre-librmn-20 files).
    pub data_bits: u8,
    /// Unused bit count.
    pub ubc: u16,
}

impl RecordHeader {
    /// A header with only the packing and the shape set (blank names and grid type, zero
    /// keys): all that decoding reads.
    pub(crate) fn for_packing(
        datyp: DataType,
        nbits: u8,
        data_bits: u8,
        [ni, nj, nk]: [u32; 3],
    ) -> Self {
        RecordHeader {
            nomvar: Name::default(),
            typvar: Name::default(),
            etiket: Name::default(),
            grtyp: b' ',
            ni,
            nj,
            nk,
            dateo: 0,
            datev: 0,
            deet: 0,
            npas: 0,
            ip1: 0,
            ip2: 0,
            ip3: 0,
            ig1: 0,
            ig2: 0,
            ig3: 0,
            ig4: 0,
            datyp,
            nbits,
            data_bits,
            ubc: 0,
        }
    }

    /// Decodes the 16 search words; `backend` decides whether ni/nj use extension bits.
    pub fn from_keys(keys: &SearchKeys, backend: Backend) -> Self {
        RecordHeader::from_keys_with(keys, backend, time::origin_date)
    }

    /// [`RecordHeader::from_keys`] with the origin date given by `origin(datev, deet,
    /// npas)`: a caller listing many records can remember the last one (date arithmetic
    /// costs more than the rest of the keys).
    pub(crate) fn from_keys_with(
        keys: &SearchKeys,
        backend: Backend,
        origin: impl FnOnce(i32, i32, i32) -> i32,
    ) -> Self {
        let datev = time::date_from_word(keys.date_word());
        let deet = keys.deet() as i32;
        let npas = keys.npas() as i32;
        let [ip1, ip2, ip3] = keys.ips();
        let [ig1, ig2, ig3, ig4] = keys.igs();
        RecordHeader {
            nomvar: keys.nomvar(),
            typvar: keys.typvar(),
            etiket: keys.etiket(),
            grtyp: keys.grtyp(),
            ni: keys.ni(backend),
            nj: keys.nj(backend),
            nk: keys.nk(),
            dateo: origin(datev, deet, npas),
            datev,
            deet,
            npas,
            ip1: ip1 as i32,
            ip2: ip2 as i32,
            ip3: ip3 as i32,
            ig1: ig1 as i32,
            ig2: ig2 as i32,
            ig3: ig3 as i32,
            ig4: ig4 as i32,
            datyp: keys.datyp(),
            nbits: keys.nbits(),
            data_bits: keys.data_bits(),
            ubc: keys.ubc(),
        }
    }

    /// Number of values `ni·nj·nk` (64-bit: RSF sizes can overflow 32 bits).
    ///
    /// Saturates at `u64::MAX` for dimensions from a hostile file whose product does not
    /// fit; such a count then fails the allocation limits instead of wrapping.
    pub fn num_values(&self) -> u64 {
        u64::from(self.ni)
            .saturating_mul(u64::from(self.nj))
            .saturating_mul(u64::from(self.nk))
    }

    /// Grid type as a character.
    pub fn grtyp_char(&self) -> char {
        char::from(self.grtyp)
    }

    /// Element type the record decodes to, `None` for an undefined datyp.
    pub fn element_type(&self) -> Option<ElementType> {
        ElementType::natural(self.datyp, self.nbits, self.data_bits)
    }

    /// `data_bits` as fst24 reports it: a stored 0 means 64 when nbits > 32, else 32.
    pub fn effective_data_bits(&self) -> u8 {
        match self.data_bits {
            0 if self.nbits > 32 => 64,
            0 => 32,
            b => b,
        }
    }

    /// True for grid/vertical descriptor records (`>>`, `^^`, `^>`, `!!`, `##`, `HY`, ...),
    /// the list fst24 skips with `skip_grid_descriptors`.
    pub fn is_descriptor(&self) -> bool {
        Self::is_descriptor_name(self.nomvar.trimmed())
    }

    /// [`RecordHeader::is_descriptor`] for a (blank-trimmed) nomvar.
    pub fn is_descriptor_name(nomvar: &str) -> bool {
        matches!(
            nomvar,
            ">>" | "^^" | "^>" | "!!" | "##" | "#>>#" | "#^^#" | "####" | "HY" | "PROJ" | "MTRX"
        )
    }
}
