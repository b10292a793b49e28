//! The `_fstzip` word that opens every turbo stream: which predictor, tile step and token
//! width the compressor used (`src/compresseur/zfstlib.h`).
//!
//! librmn `memcpy`s a bit-field struct into the first stream word; on the little-endian
//! hosts that write these files the fields sit, from bit 0 up: predictor (4), degree (3),
//! step (3), nbits (5), levels (3), version (6).

/// Predictor codes of the `_fstzip` word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Predictor {
    /// Bicubic "sample" coding, withdrawn from librmn in 2006.
    Sample,
    /// Tiles of `step × step` coded as minimum plus offsets.
    Minimum,
    /// Lorenzo predictor `left + up − upleft`, residuals coded per tile (16-bit tokens).
    Parallelogram,
    /// The same predictor on the mantissas of `armn_compress32` (datyp 133).
    Parallelogram32,
    /// Any other code.
    Other(u8),
}

/// Decoded `_fstzip` word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ZipHeader {
    /// Prediction scheme.
    pub predictor: Predictor,
    /// Polynomial degree of the predictor (informative).
    pub degree: u8,
    /// Tile side.
    pub step: u8,
    /// Token width the stream was built with (mod 32).
    pub nbits: u8,
    /// Number of levels (informative).
    pub levels: u8,
    /// Format version (0 for the 16-bit compressor, 2 for the 32-bit one).
    pub version: u8,
}

impl ZipHeader {
    /// Splits a stream's first word into its fields.
    pub(super) fn from_word(w: u32) -> Self {
        let predictor = match w & 0xF {
            1 => Predictor::Sample,
            3 => Predictor::Minimum,
            4 => Predictor::Parallelogram,
            5 => Predictor::Parallelogram32,
            p => Predictor::Other(p as u8),
        };
        ZipHeader {
            predictor,
            degree: ((w >> 4) & 7) as u8,
            step: ((w >> 7) & 7) as u8,
            nbits: ((w >> 10) & 31) as u8,
            levels: ((w >> 15) & 7) as u8,
            version: ((w >> 18) & 63) as u8,
        }
    }

    /// The word as librmn stores it.
    pub(super) fn to_word(self) -> u32 {
        let p: u32 = match self.predictor {
            Predictor::Sample => 1,
            Predictor::Minimum => 3,
            Predictor::Parallelogram => 4,
            Predictor::Parallelogram32 => 5,
            Predictor::Other(p) => u32::from(p & 0xF),
        };
        p | u32::from(self.degree & 7) << 4
            | u32::from(self.step & 7) << 7
            | u32::from(self.nbits & 31) << 10
            | u32::from(self.levels & 7) << 15
            | u32::from(self.version & 63) << 18
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_values() {
        // xdf.md §4.11: PARALLELOGRAM 16 bits, MINIMUM 12 bits, armn_compress32 with m = 23.
        let par = ZipHeader {
            predictor: Predictor::Parallelogram,
            degree: 1,
            step: 3,
            nbits: 16,
            levels: 1,
            version: 0,
        };
        assert_eq!(par.to_word(), 0xC194);
        let min = ZipHeader {
            predictor: Predictor::Minimum,
            degree: 0,
            step: 5,
            nbits: 12,
            levels: 1,
            version: 0,
        };
        assert_eq!(min.to_word(), 0x8283 | 12 << 10);
        let e32 = ZipHeader {
            predictor: Predictor::Parallelogram32,
            degree: 1,
            step: 3,
            nbits: 23,
            levels: 1,
            version: 2,
        };
        assert_eq!(e32.to_word(), 0x8DD95);
        assert_eq!(ZipHeader::from_word(0x8DD95), e32);
        assert_eq!(ZipHeader::from_word(0xC194), par);
    }
}
