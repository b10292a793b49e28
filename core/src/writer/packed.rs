//! Writing a record's packed data area as it is (lossless copy between files and
//! backends): the words are checked against the size the record's keys imply, and the
//! one layout difference between the backends is applied.
//!
//! Both containers hold the same 32-bit word values (the container picks the byte order,
//! and E64/C64 keep their most-significant-word-first order in both, spec rsf.md §3.1).
//! The one difference is librmn's compressed 129 payload: `fst24_write_rsf` stores one
//! word past the `D` its word 0 holds, XDF stores exactly `D` (rsf.md §3.2).

use super::keys::{self, RecordKeys, StoredType};
use crate::codec;
use crate::error::{FormatError, FormatErrorKind, Result, UsageError};
use crate::record::{BaseType, RecordHeader, SearchKeys};

fn usage(msg: String) -> crate::Error {
    UsageError::InvalidArgument(msg).into()
}

/// The search words and data area to store for a record read from a file of either
/// backend into an XDF (`xdf`) or RSF file.
pub(crate) fn passthrough(
    header: &RecordHeader,
    words: &[u32],
    xdf: bool,
) -> Result<(SearchKeys, Vec<u32>)> {
    let datyp = header.datyp;
    let Some(base) = datyp.base() else {
        return Err(usage(format!("datyp {} is not a packing", datyp.raw())));
    };
    if header.element_type().is_none() {
        return Err(usage(format!(
            "datyp {} with {} bits is not a packing",
            datyp.raw(),
            header.nbits
        )));
    }
    let wide_int = matches!(base, BaseType::Unsigned | BaseType::Signed) && header.nbits > 32;
    if xdf && wide_int {
        return Err(usage(
            "XDF cannot store 64-bit integers (librmn's compact_p_integer refuses them); use RSF"
                .into(),
        ));
    }
    let mut k = RecordKeys::from(header);
    k.validate(xdf)?;
    let floor = codec::min_words(header);
    if (words.len() as u64) < floor {
        return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
            needed: floor,
            available: words.len() as u64,
        })
        .into());
    }
    let mut data = words.to_vec();
    if datyp.is_turbo() && base == BaseType::Real {
        // Compressed 129: word 0 is the payload length D.
        let d = words.first().map_or(0, |&w| u64::from(w));
        if d == 0 || d > words.len() as u64 {
            return Err(FormatError::new(FormatErrorKind::PayloadTooShort {
                needed: d.max(1),
                available: words.len() as u64,
            })
            .into());
        }
        let keep = d as usize + usize::from(!xdf);
        data.resize(keep, 0);
    }
    k.datyp = datyp.raw();
    let stored = StoredType {
        datyp: datyp.raw(),
        nbits: header.nbits,
        data_bits: header.data_bits,
    };
    let mut search = keys::search_keys(&k, stored, header.datev, xdf);
    search.0[3] |= u32::from(header.ubc & 0xFFF);
    Ok((search, data))
}
