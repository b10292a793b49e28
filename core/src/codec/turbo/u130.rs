//! datyp 130: unsigned integers as 16-bit tokens compressed by [`armn16`](super::armn16).
//!
//! Data area: word 0 = `D`, word 1.. = the compressed tokens. librmn widens the tokens to
//! int32 with sign extension when nbits = 16 (values ≥ 32768 come back negative); we return
//! the unsigned values that were written (the widening is in `turbo::decode_into`).

/// Tokens librmn feeds to the compressor for 32-bit input: each value masked to `nbits`.
pub(super) fn tokens(values: &[u32], nbits: u32) -> Vec<u16> {
    let mask = (1u32 << nbits) - 1;
    values.iter().map(|&v| (v & mask) as u16).collect()
}
