//! Byte builders of the RSF framing the writer emits: start/end of record, start/end of
//! segment, and the high-low split of 64-bit values (spec rsf.md).

use super::{RT_EOS, RT_SOS};
use crate::container::rsf::segment::SOS_LEN;

pub(super) fn hl(v: u64) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&((v >> 32) as u32).to_le_bytes());
    b[4..].copy_from_slice(&(v as u32).to_le_bytes());
    b
}

pub(super) fn read_hl(b: &[u8]) -> u64 {
    let w = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    w(0) << 32 | w(4)
}

pub(super) fn le(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

pub(super) fn sor(out: &mut Vec<u8>, rt: u8, rlm: u16, rl: u64, rlmd: u16, dul: u8) {
    out.extend_from_slice(&(u32::from(rt) | u32::from(rlm) << 8 | 0xFE << 24).to_le_bytes());
    out.extend_from_slice(&hl(rl));
    out.extend_from_slice(&(u32::from(rlmd) | u32::from(dul) << 24).to_le_bytes());
}

pub(super) fn eor(out: &mut Vec<u8>, rt: u8, rlm: u16, rl: u64) {
    out.extend_from_slice(&hl(rl));
    out.extend_from_slice(&(u32::from(rt) | u32::from(rlm) << 8 | 0xFF << 24).to_le_bytes());
}

/// A 72-byte start-of-segment.
pub(super) fn sos(
    flag: u16,
    rlmd: u16,
    app: &[u8; 4],
    seg: u64,
    sseg: u64,
    vdir: u64,
    vdirs: u64,
) -> Vec<u8> {
    let mut b = Vec::with_capacity(SOS_LEN);
    sor(&mut b, RT_SOS, flag, SOS_LEN as u64, rlmd, 0);
    b.extend_from_slice(b"RSF0");
    b.extend_from_slice(app);
    b.extend_from_slice(&0xDEAD_BEEFu32.to_le_bytes());
    for v in [seg, sseg, vdir, vdirs] {
        b.extend_from_slice(&hl(v));
    }
    eor(&mut b, RT_SOS, 0, SOS_LEN as u64);
    b
}

/// The 20-byte low part of an end-of-segment.
pub(super) fn eos_lo(rlm: u16, rl: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(20);
    sor(&mut b, RT_EOS, rlm, rl, rlm, 0);
    b.extend_from_slice(&0xBEBE_FADAu32.to_le_bytes());
    b
}

/// The 48-byte high part of an end-of-segment.
pub(super) fn eos_hi(rlm: u16, rl: u64, seg: u64, sseg: u64, vdir: u64, vdirs: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(48);
    b.extend_from_slice(&0xCAFE_FADEu32.to_le_bytes());
    for v in [seg, sseg, vdir, vdirs] {
        b.extend_from_slice(&hl(v));
    }
    eor(&mut b, RT_EOS, rlm, rl);
    b
}
