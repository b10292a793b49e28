//! datyp 130: unsigned integers as 16-bit tokens compressed by [`armn16`](super::armn16).
//!
//! Data area: word 0 = `D`, word 1.. = the compressed tokens. librmn widens the tokens to
//! int32 with sign extension when nbits = 16 (values ≥ 32768 come back negative); we return
//! the unsigned values that were written.

use crate::array::OutSlice;
use crate::error::Result;

use super::wrong_output;

/// Stores decoded tokens into an unsigned output buffer of any width.
///
/// # Errors
/// Usage error for a non-unsigned buffer.
pub(super) fn store(tokens: &[u16], out: OutSlice<'_>) -> Result<()> {
    match out {
        // Narrow buffers only arise when the writer's data was 8 bits wide (tokens < 256,
        // or librmn's sign-extended bytes, which this cast turns back into the bytes).
        OutSlice::U8(o) => o.iter_mut().zip(tokens).for_each(|(o, &t)| *o = t as u8),
        OutSlice::U16(o) => o.copy_from_slice(tokens),
        OutSlice::U32(o) => o
            .iter_mut()
            .zip(tokens)
            .for_each(|(o, &t)| *o = u32::from(t)),
        OutSlice::U64(o) => o
            .iter_mut()
            .zip(tokens)
            .for_each(|(o, &t)| *o = u64::from(t)),
        other => return Err(wrong_output("U32", &other)),
    }
    Ok(())
}

/// Tokens librmn feeds to the compressor for 32-bit input: each value masked to `nbits`.
pub(super) fn tokens(values: &[u32], nbits: u32) -> Vec<u16> {
    let mask = (1u32 << nbits) - 1;
    values.iter().map(|&v| (v & mask) as u16).collect()
}
