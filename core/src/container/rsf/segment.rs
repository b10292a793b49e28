//! Segment header (start-of-segment, 72 bytes) and trailer (end-of-segment, 68 bytes when
//! compact), spec rsf.md §1.2-1.3 and §1.7.

use crate::error::{FormatErrorKind, Result};

use super::frame::{
    error_at, expect, le32, record_type, short, u64hl, EndOfRecord, StartOfRecord, EOR_LEN, SOR_LEN,
};

/// Length of a start-of-segment.
pub const SOS_LEN: usize = 72;
/// Length of a compact end-of-segment (low and high parts together).
pub const EOS_LEN: usize = 68;
/// Smallest closed segment: a header and a trailer (segment 0 is exactly this).
pub const MIN_SEGMENT_LEN: u64 = (SOS_LEN + EOS_LEN) as u64;

/// `RSF0` signature at the start of every segment.
pub const SIGNATURE: &[u8; 4] = b"RSF0";
/// Application code of standard files.
pub const APP_STDF: &[u8; 4] = b"STDF";
/// Application code of the dummy segments that fill the unused part of a parallel
/// writer's reservation.
pub const APP_FILLER: &[u8; 4] = b"<-->";

const SOS_SIGN: u32 = 0xDEAD_BEEF;
const EOS_LO_MARK: u32 = 0xBEBE_FADA;
const EOS_HI_MARK: u32 = 0xCAFE_FADE;

/// A parsed start-of-segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentHeader {
    /// File offset of the segment.
    pub offset: u64,
    /// Segment 0: the write flag (0 closed, 0xFFFF exclusive writer, n parallel writers);
    /// other segments: non-zero while open for writing.
    pub write_flag: u16,
    /// Directory metadata width of the file (19 for standard files, 0 in fillers).
    pub meta_width: u16,
    /// Application code (bytes 20..24): `STDF`, or `<-->` for fillers.
    pub app: [u8; 4],
    /// Segment size without its trailer (0 while open).
    pub seg: u64,
    /// Segment size with its trailer (0 for an open compact segment).
    pub sseg: u64,
    /// Segment-relative offset of the directory record (0 = none).
    pub vdir: u64,
    /// Size of the directory record in bytes (0 = none).
    pub vdirs: u64,
}

impl SegmentHeader {
    /// Parses the 72 bytes of a start-of-segment that sits at file `offset`.
    ///
    /// # Errors
    /// Too few bytes, wrong record type or length, missing signature or markers.
    pub fn parse(bytes: &[u8], offset: u64) -> Result<Self> {
        if bytes.len() < SOS_LEN {
            return Err(short("segment header", offset, SOS_LEN, bytes.len()));
        }
        let head = StartOfRecord::parse(bytes, offset)?;
        head.expect_type("segment header record type", record_type::SOS, offset)?;
        expect("segment header length", SOS_LEN as u64, head.rl, offset)?;
        if &bytes[16..20] != SIGNATURE {
            return Err(error_at(
                FormatErrorKind::Mismatch {
                    what: "segment signature (\"RSF0\")",
                    expected: u64::from(u32::from_le_bytes(*SIGNATURE)),
                    found: u64::from(le32(bytes, 16).unwrap_or(0)),
                },
                offset + 16,
            ));
        }
        let sign = le32(bytes, 24).unwrap_or(0);
        expect(
            "segment header sign word",
            u64::from(SOS_SIGN),
            u64::from(sign),
            offset + 24,
        )?;
        let tail_at = SOS_LEN - EOR_LEN;
        let tail = EndOfRecord::parse(&bytes[tail_at..], offset + tail_at as u64)?;
        tail.expect_matches(&head, offset + tail_at as u64)?;
        let field = |at| u64hl(bytes, at).unwrap_or(0);
        let mut app = [0u8; 4];
        app.copy_from_slice(&bytes[20..24]);
        Ok(SegmentHeader {
            offset,
            write_flag: head.rlm,
            meta_width: head.rlmd,
            app,
            seg: field(28),
            sseg: field(36),
            vdir: field(44),
            vdirs: field(52),
        })
    }

    /// True for a dummy segment filling the rest of a parallel writer's reservation.
    pub fn is_filler(&self) -> bool {
        &self.app == APP_FILLER
    }
}

/// The fields of a compact end-of-segment (its high part copies the header's sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentTrailer {
    /// Segment size without the trailer.
    pub seg: u64,
    /// Segment size with the trailer.
    pub sseg: u64,
    /// Segment-relative directory offset.
    pub vdir: u64,
    /// Directory size.
    pub vdirs: u64,
}

impl SegmentTrailer {
    /// Parses the 68 bytes of a compact end-of-segment at file `offset`.
    ///
    /// # Errors
    /// Too few bytes, wrong record type or length, missing markers.
    pub fn parse(bytes: &[u8], offset: u64) -> Result<Self> {
        if bytes.len() < EOS_LEN {
            return Err(short("segment trailer", offset, EOS_LEN, bytes.len()));
        }
        let head = StartOfRecord::parse(bytes, offset)?;
        head.expect_type("segment trailer record type", record_type::EOS, offset)?;
        expect("segment trailer length", EOS_LEN as u64, head.rl, offset)?;
        let lo = le32(bytes, SOR_LEN).unwrap_or(0);
        expect(
            "segment trailer low mark",
            u64::from(EOS_LO_MARK),
            u64::from(lo),
            offset + SOR_LEN as u64,
        )?;
        let hi = le32(bytes, 20).unwrap_or(0);
        expect(
            "segment trailer high mark",
            u64::from(EOS_HI_MARK),
            u64::from(hi),
            offset + 20,
        )?;
        let tail_at = EOS_LEN - EOR_LEN;
        let tail = EndOfRecord::parse(&bytes[tail_at..], offset + tail_at as u64)?;
        tail.expect_matches(&head, offset + tail_at as u64)?;
        let field = |at| u64hl(bytes, at).unwrap_or(0);
        Ok(SegmentTrailer {
            seg: field(24),
            sseg: field(32),
            vdir: field(40),
            vdirs: field(48),
        })
    }

    /// True when the trailer repeats the header's sizes, as librmn writes it.
    pub fn agrees_with(&self, header: &SegmentHeader) -> bool {
        (self.seg, self.sseg, self.vdir, self.vdirs)
            == (header.seg, header.sseg, header.vdir, header.vdirs)
    }
}

/// Segment 0 as librmn writes it in a new file, here closed (write flag 0): on its own,
/// the 140 bytes of an RSF file without records (spec rsf.md appendix A.1).
#[cfg(any(test, feature = "internals"))]
pub fn segment_zero() -> [u8; MIN_SEGMENT_LEN as usize] {
    let words: [u32; 35] = [
        0xFE00_0003, // start of record: type 3, write flag 0
        0,
        SOS_LEN as u32,
        19, // directory metadata width of standard files
        u32::from_le_bytes(*SIGNATURE),
        u32::from_le_bytes(*APP_STDF),
        SOS_SIGN,
        0,
        SOS_LEN as u32, // seg
        0,
        MIN_SEGMENT_LEN as u32, // sseg
        0,
        0, // vdir
        0,
        0, // vdirs
        0,
        SOS_LEN as u32,
        0xFF00_0003, // end of record
        0xFE00_0004, // trailer: start of record, type 4
        0,
        EOS_LEN as u32,
        0,
        EOS_LO_MARK,
        EOS_HI_MARK,
        0,
        SOS_LEN as u32,
        0,
        MIN_SEGMENT_LEN as u32,
        0,
        0,
        0,
        0,
        0,
        EOS_LEN as u32,
        0xFF00_0004,
    ];
    let mut out = [0u8; MIN_SEGMENT_LEN as usize];
    for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_file() -> Vec<u8> {
        segment_zero().to_vec()
    }

    #[test]
    fn parses_segment_zero() {
        let bytes = empty_file();
        let h = SegmentHeader::parse(&bytes, 0).unwrap();
        assert_eq!((h.write_flag, h.meta_width, &h.app), (0, 19, APP_STDF));
        assert_eq!((h.seg, h.sseg, h.vdir, h.vdirs), (72, 140, 0, 0));
        let t = SegmentTrailer::parse(&bytes[72..], 72).unwrap();
        assert!(t.agrees_with(&h));
    }

    #[test]
    fn names_the_offset_of_a_bad_sign() {
        let mut bytes = empty_file();
        bytes[24] ^= 1;
        let err = SegmentHeader::parse(&bytes, 1000).unwrap_err();
        assert!(err.to_string().contains("1024"), "{err}");
        assert!(SegmentTrailer::parse(&bytes[72..139], 72).is_err());
    }
}
