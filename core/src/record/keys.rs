//! The 16 packed search words shared by XDF directory entries (words 2..17) and RSF
//! record metadata (words 3..18), decoded field by field (`stdf_dir_keys`, `qstdir.h`).

use crate::backend::Backend;

use super::{DataType, Name};

/// The 16 primary key words of a record, as 32-bit word values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchKeys(pub [u32; 16]);

impl SearchKeys {
    /// Packed bits per value.
    pub fn nbits(&self) -> u8 {
        (self.0[0] & 0xFF) as u8
    }
    /// Time step length in seconds.
    pub fn deet(&self) -> u32 {
        self.0[0] >> 8
    }
    /// Grid type letter, raw 8-bit (case kept).
    pub fn grtyp(&self) -> u8 {
        (self.0[1] & 0xFF) as u8
    }
    /// Low 24 bits of ni.
    pub fn ni_low(&self) -> u32 {
        self.0[1] >> 8
    }
    /// Stored datyp, flags included.
    pub fn datyp(&self) -> DataType {
        DataType((self.0[2] & 0xFF) as u8)
    }
    /// Low 24 bits of nj.
    pub fn nj_low(&self) -> u32 {
        self.0[2] >> 8
    }
    /// Unused bit count (always 0 in files librmn writes).
    pub fn ubc(&self) -> u16 {
        (self.0[3] & 0xFFF) as u16
    }
    /// nk.
    pub fn nk(&self) -> u32 {
        self.0[3] >> 12
    }
    /// Time step number.
    pub fn npas(&self) -> u32 {
        self.0[4] >> 6
    }
    /// ig1..ig4 (ig2 reassembled from its three bytes).
    pub fn igs(&self) -> [u32; 4] {
        let ig2 = (self.0[5] & 0xFF) << 16 | (self.0[6] & 0xFF) << 8 | (self.0[7] & 0xFF);
        [self.0[6] >> 8, ig2, self.0[7] >> 8, self.0[5] >> 8]
    }
    /// etiket, 12 characters.
    pub fn etiket(&self) -> Name<12> {
        let e15 = u128::from(self.0[8] >> 2);
        let e6a = u128::from(self.0[9] >> 2);
        let ebc = u128::from(self.0[10] >> 20);
        Name::from_code6(e15 << 42 | e6a << 12 | ebc)
    }
    /// typvar, 2 characters.
    pub fn typvar(&self) -> Name<2> {
        Name::from_code6(u128::from((self.0[10] >> 8) & 0xFFF))
    }
    /// ni bits 24..31 (RSF only).
    pub fn ni_high(&self) -> u32 {
        self.0[10] & 0xFF
    }
    /// nomvar, 4 characters.
    pub fn nomvar(&self) -> Name<4> {
        Name::from_code6(u128::from(self.0[11] >> 8))
    }
    /// Element size of the writer's array (`dasiz`, 0 in files older than librmn 20).
    pub fn data_bits(&self) -> u8 {
        (self.0[11] & 0xFF) as u8
    }
    /// ip1, ip2, ip3.
    pub fn ips(&self) -> [u32; 3] {
        [self.0[12] >> 4, self.0[13] >> 4, self.0[14] >> 4]
    }
    /// Level type nibble (always 0).
    pub fn levtyp(&self) -> u8 {
        (self.0[12] & 0xF) as u8
    }
    /// nj bits 24..31 (RSF only).
    pub fn nj_high(&self) -> u32 {
        (self.0[13] & 0xF) << 24 | (self.0[14] & 0xF) << 28
    }
    /// The raw on-disk date word.
    pub fn date_word(&self) -> u32 {
        self.0[15]
    }
    /// ni, using the extension bits only where the backend defines them.
    pub fn ni(&self, backend: Backend) -> u32 {
        match backend {
            Backend::Xdf => self.ni_low(),
            Backend::Rsf => self.ni_low() | self.ni_high() << 24,
        }
    }
    /// nj, using the extension bits only where the backend defines them.
    pub fn nj(&self, backend: Backend) -> u32 {
        match backend {
            Backend::Xdf => self.nj_low(),
            Backend::Rsf => self.nj_low() | self.nj_high(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tiny_d001_r16_xdf.fst` directory entry, words 2..17 (spec xdf.md §2).
    const TINY_R16: [u32; 16] = [
        0x0002_5810, // deet 600, nbits 16
        0x0000_0858, // ni 8, grtyp 'X'
        0x0000_0401, // nj 4, datyp 1
        0x0000_1000, // nk 1
        0x0000_0180, // npas 6
        0x0000_2800, // ig4 40, ig2a 0
        0x0000_0a00, // ig1 10, ig2b 0
        0x0000_1e14, // ig3 30, ig2c 20
        0xd29b_b900, // etiket "TINY "
        0x0000_0000, // etiket chars 6-10
        0x000c_0000, // etiket 11-12, typvar "P ", ni_b
        0x9104_1120, // nomvar "D001", dasiz 32
        0x277a_1200, // ip1 41394464
        0x0000_0010, // ip2 1
        0x0000_0020, // ip3 2
        0x16ce_3040, // date word
    ];

    #[test]
    fn decodes_spec_entry() {
        let k = SearchKeys(TINY_R16);
        assert_eq!((k.deet(), k.nbits()), (600, 16));
        assert_eq!((k.ni(Backend::Xdf), k.grtyp()), (8, b'X'));
        assert_eq!((k.nj(Backend::Xdf), k.datyp().raw()), (4, 1));
        assert_eq!((k.nk(), k.npas()), (1, 6));
        assert_eq!(k.igs(), [10, 20, 30, 40]);
        assert_eq!(k.etiket().as_str(), "TINY        ");
        assert_eq!(k.typvar().as_str(), "P ");
        assert_eq!(k.nomvar().as_str(), "D001");
        assert_eq!(k.data_bits(), 32);
        assert_eq!(k.ips(), [41_394_464, 1, 2]);
        assert_eq!(k.date_word(), 0x16CE_3040);
    }
}
