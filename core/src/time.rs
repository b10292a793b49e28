//! CMC date-time stamps (`newdate`, `incdatr`) and the on-disk date word.
//!
//! Spec: `shared/spec/xdf.md` §3; librmn `src/base/moduledate.F90`.
//! PLACEHOLDER: implemented by the time/ip/grid work package.

/// Decodes the on-disk date word into the valid-date stamp: `(w >> 3)·10 + (w & 7)`, unsigned.
pub fn date_from_word(word: u32) -> i32 {
    ((u64::from(word >> 3) * 10 + u64::from(word & 7)) as u32) as i32
}

/// Origin date from the valid date, as librmn's reader derives it:
/// `incdatr(datev, −deet·npas/3600)` when `deet·npas ≠ 0`, else `datev`.
pub fn origin_date(datev: i32, deet: i32, npas: i32) -> i32 {
    let _ = (deet, npas);
    datev
}
