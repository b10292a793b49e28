//! +128 "turbo" compression (`armn_compress`, `armn_compress32`): datyp 129, 130, 133, 134.
//!
//! Spec: `shared/spec/xdf.md` §4.11; librmn `src/compresseur/`.
//! PLACEHOLDER: implemented by the turbo work package.

use crate::array::OutSlice;
use crate::error::Result;
use crate::record::RecordHeader;

/// Decodes a turbo record (`datyp & 128` set; the +64 flag is handled by the caller) into
/// `out`, which has the record's natural element type and exactly `ni·nj·nk` slots.
///
/// # Errors
/// Format errors for streams that are short or inconsistent; unsupported for turbo types
/// librmn never writes.
pub(crate) fn decode_into(header: &RecordHeader, words: &[u32], out: OutSlice<'_>) -> Result<()> {
    let _ = (words, out);
    Err(crate::Unsupported::Datyp {
        datyp: header.datyp.raw(),
        nbits: header.nbits,
    }
    .into())
}
