//! datyp 1 ("R"): the old quantiser, a 120-bit header then `nbits` tokens
//! (`compact_p_float`/`compact_u_float`).
//!
//! Spec: `shared/spec/xdf.md` §4.2. PLACEHOLDER: implemented by the quantiser work package.

use crate::error::Result;

/// Decodes a datyp-1 data area into `out` (`out.len()` = ni·nj·nk values).
///
/// # Errors
/// Format errors when the area is short or its header inconsistent.
pub(crate) fn decode_f32(words: &[u32], nbits: u8, out: &mut [f32]) -> Result<()> {
    let _ = (words, nbits, out);
    Err(crate::Unsupported::Other("datyp 1 not implemented yet").into())
}

/// As [`decode_f32`], keeping double precision.
///
/// # Errors
/// As [`decode_f32`].
pub(crate) fn decode_f64(words: &[u32], nbits: u8, out: &mut [f64]) -> Result<()> {
    let _ = (words, nbits, out);
    Err(crate::Unsupported::Other("datyp 1 not implemented yet").into())
}
