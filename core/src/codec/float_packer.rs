//! datyp 6 ("F"): the new quantiser (`c_float_packer`), 3 header words then 16-bit slots.
//!
//! Spec: `shared/spec/xdf.md` §4.7. PLACEHOLDER: implemented by the quantiser work package.

use crate::error::Result;

/// Decodes a datyp-6 data area into `out` (`out.len()` = ni·nj·nk values).
///
/// # Errors
/// Format errors when the area is short or its header inconsistent.
pub(crate) fn decode_f32(words: &[u32], nbits: u8, out: &mut [f32]) -> Result<()> {
    let _ = (words, nbits, out);
    Err(crate::Unsupported::Other("datyp 6 not implemented yet").into())
}

/// As [`decode_f32`], widened to double after unpacking (librmn unpacks F to float only).
///
/// # Errors
/// As [`decode_f32`].
pub(crate) fn decode_f64(words: &[u32], nbits: u8, out: &mut [f64]) -> Result<()> {
    let _ = (words, nbits, out);
    Err(crate::Unsupported::Other("datyp 6 not implemented yet").into())
}
