//! CMC date-time stamps (`newdate`, `incdatr`) and the on-disk date word.
//!
//! A *stamp* is librmn's `int` date: old style `MMDDYYZZR` (1900–1999, whole hours),
//! new style `123 200 000 + …` (5-second resolution since 1980) or extended (hours since
//! year 0, negative as `i32`). Spec: `shared/spec/xdf.md` §3; librmn
//! `src/base/moduledate.F90` (`naetwed`, `date_add_sub`).
//!
//! ```
//! use fst24::time::{incdatr, printable_to_stamp, stamp_to_printable, stamp_to_unix};
//! let stamp = printable_to_stamp(20250102, 3_000_000)?; // 2025-01-02 03:00:00
//! assert_eq!(stamp, 478263500);
//! let later = incdatr(stamp, 1.0)?;
//! assert_eq!(stamp_to_printable(later)?, (20250102, 4_000_000));
//! assert_eq!(stamp_to_unix(later), Some(1_735_790_400));
//! # Ok::<(), fst24::time::DateError>(())
//! ```

mod arith;
mod calendar;
mod stamp;

pub use arith::{incdatr, stamp_to_iso, stamp_to_unix, unix_to_stamp};
pub use stamp::{printable_to_stamp, stamp_to_printable};

/// Stamp librmn returns when a date computation fails (`incdatr` error value).
pub const INVALID_STAMP: i32 = 101_010_101;

/// Why a date conversion failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The stamp is not a valid date in any of the three encodings.
    #[error("invalid date stamp {0}")]
    InvalidStamp(i32),
    /// The printable date (`yyyymmdd`, `hhmmss00`) is not a valid date.
    #[error("invalid printable date {yyyymmdd} {hhmmss00:08}")]
    InvalidPrintable {
        /// Date part as given.
        yyyymmdd: i32,
        /// Time part as given.
        hhmmss00: i32,
    },
    /// The result falls outside years 0..9999 (or the stamp range).
    #[error("date out of the supported range (years 0 to 9999)")]
    OutOfRange,
}

/// Decodes the on-disk date word into the valid-date stamp: `(w >> 3)·10 + (w & 7)`, unsigned.
pub(crate) fn date_from_word(word: u32) -> i32 {
    ((u64::from(word >> 3) * 10 + u64::from(word & 7)) as u32) as i32
}

/// Encodes a stamp as the on-disk date word: `8·(u/10) + u mod 10` on the unsigned stamp.
///
/// Only 3 bits remain for the last decimal digit, so old-style run digits 8 and 9 do not
/// survive a round trip (librmn's `stamp_from_date` behaves the same).
pub(crate) fn word_from_date(stamp: i32) -> u32 {
    let u = stamp as u32;
    // (u/10)·8 ≤ 3 435 973 832 and the digit adds at most 9: no overflow.
    (u / 10) * 8 + u % 10
}

/// Origin date from the valid date, as librmn's reader derives it:
/// `incdatr(datev, −deet·npas/3600)` when `deet·npas ≠ 0`, else `datev`.
///
/// Like librmn (`get_origin_date32`), a failed computation yields [`INVALID_STAMP`].
pub fn origin_date(datev: i32, deet: i32, npas: i32) -> i32 {
    let hours = -(f64::from(deet) * f64::from(npas)) / 3600.0;
    if hours == 0.0 {
        return datev;
    }
    incdatr(datev, hours).unwrap_or(INVALID_STAMP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_word_vectors() {
        // (stamp, word) pairs from spec §3.4.
        let vectors: [(i32, u32); 11] = [
            (10180000, 0x007C_4480),
            (123200044, 0x05DF_E824),
            (123199180, 0x05DF_E570),
            (280988000, 0x0D66_0780),
            (438776000, 0x14EC_2700),
            (471613850, 0x167D_0148),
            (478264400, 0x16CE_3040),
            (2142842300, 0x662D_BE30),
            (-1270466836, 0x9038_2BF0),
            (-1275244180, 0x8FFD_DABE),
            (-1185394549, 0x9446_A6D7),
        ];
        for (stamp, word) in vectors {
            assert_eq!(word_from_date(stamp), word, "stamp {stamp}");
            assert_eq!(date_from_word(word), stamp, "word {word:#x}");
        }
    }

    #[test]
    fn origin_date_examples() {
        // Spec §3.3 examples, read backwards.
        assert_eq!(origin_date(478264400, 600, 6), 478263500);
        assert_eq!(origin_date(280988000, 3600, 6), 123199180);
        assert_eq!(origin_date(61579130, 1800, 1), 61579120);
        assert_eq!(origin_date(478264400, 0, 6), 478264400);
    }
}
