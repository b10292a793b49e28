//! Date arithmetic: `incdatr` and conversions to and from Unix time.

use super::calendar::{datec, julian_day, JD0, JD10K, JD1970};
use super::stamp::{
    extended_to_hours, hours_to_stamp, printable_to_hours, stamp_to_true, true_to_stamp, TD1900,
    TD2235,
};
use super::{printable_to_stamp, stamp_to_printable, DateError};

/// 5-second intervals per hour.
const PER_HOUR: i64 = 720;

/// Fortran `nint` to a 64-bit integer (half away from zero), refusing what cannot fit.
fn nint(x: f64) -> Result<i64, DateError> {
    let r = x.round();
    // Far beyond any representable date; also rejects NaN.
    if r.abs() < 1e15 {
        Ok(r as i64)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// Adds `hours` (may be negative or fractional) to a stamp, as librmn's `incdatr`.
///
/// New-style dates move in 5-second steps (`nint(720·hours)`); dates before 1980 are first
/// rounded to the nearest hour and move by whole hours; leaving 1900..2235 switches to an
/// extended stamp (hour resolution). An old-style input keeps its run digit.
///
/// # Errors
/// [`DateError`] when the stamp is not a date or the result leaves years 0..9999
/// (librmn then returns `101010101`, see [`super::INVALID_STAMP`]).
pub fn incdatr(stamp: i32, hours: f64) -> Result<i32, DateError> {
    if stamp < -1 {
        let start = extended_to_hours(stamp)?;
        return hours_to_stamp(start + nint(hours)?);
    }
    let (mut tdate, run) = stamp_to_true(stamp)?;
    let add = if tdate < 0 {
        // Pre-1980 true dates are whole hours: round, then add whole hours.
        tdate = (tdate - 360) / PER_HOUR * PER_HOUR;
        PER_HOUR * nint(hours)?
    } else {
        nint(PER_HOUR as f64 * hours)?
    };
    let end = tdate + add;
    if (TD1900..=TD2235).contains(&end) {
        return true_to_stamp(end, run);
    }
    let (ymd, hms) = stamp_to_printable(stamp)?;
    let start = printable_to_hours(ymd, hms)?;
    hours_to_stamp(start + nint(hours)?)
}

/// Seconds since 1970-01-01T00:00Z of a stamp; `None` when the stamp is not a date
/// (e.g. 0 or −1, which files use for "no date").
pub fn stamp_to_unix(stamp: i32) -> Option<i64> {
    let (ymd, hms) = stamp_to_printable(stamp).ok()?;
    let (ymd, hms) = (i64::from(ymd), i64::from(hms));
    let jd = julian_day(ymd / 10000, (ymd / 100) % 100, ymd % 100);
    let secs = (hms / 1_000_000) * 3600 + ((hms / 10000) % 100) * 60 + (hms / 100) % 100;
    Some((jd - JD1970) * 86400 + secs)
}

/// A stamp as `YYYY-MM-DDTHH:MM:SSZ`; `None` when it is not a date (0, −1, ...).
pub fn stamp_to_iso(stamp: i32) -> Option<String> {
    let (ymd, hms) = stamp_to_printable(stamp).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        ymd / 10000,
        ymd / 100 % 100,
        ymd % 100,
        hms / 1_000_000,
        hms / 10000 % 100,
        hms / 100 % 100
    ))
}

/// Stamp of a Unix time (seconds since 1970-01-01T00:00Z), as `newdate` would encode the
/// same calendar date: new style (5 s, truncated) from 2000 or off the hour since 1980,
/// old style (hour, truncated) for 1900..1999, extended (hour) outside 1900..2235.
///
/// # Errors
/// [`DateError::OutOfRange`] outside years 0..9999.
pub fn unix_to_stamp(secs: i64) -> Result<i32, DateError> {
    let jd = secs
        .div_euclid(86400)
        .checked_add(JD1970)
        .ok_or(DateError::OutOfRange)?;
    if !(JD0..JD10K).contains(&jd) {
        return Err(DateError::OutOfRange);
    }
    let in_day = secs.rem_euclid(86400);
    let (year, month, day) = datec(jd);
    let ymd = year * 10000 + month * 100 + day;
    let hms = (in_day / 3600) * 1_000_000 + ((in_day / 60) % 60) * 10000 + (in_day % 60) * 100;
    // Both fit: ymd ≤ 99 991 231, hms ≤ 23 595 900.
    printable_to_stamp(ymd as i32, hms as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_examples() {
        // Spec §3.3.
        assert_eq!(incdatr(478263500, 1.0), Ok(478264400));
        assert_eq!(incdatr(123199180, 6.0), Ok(280988000));
        assert_eq!(incdatr(123199180, 1.0), Ok(123199190));
        assert_eq!(incdatr(61579120, 0.5), Ok(61579130));
        assert_eq!(incdatr(61579130, -0.5), Ok(61579120));
        // Into and out of extended dates.
        assert_eq!(incdatr(2142842300, 1.0), Ok(-1270466836));
        assert_eq!(incdatr(-1270466836, -1.0), Ok(2142842300));
        assert!(incdatr(0, 1.0).is_err());
    }

    #[test]
    fn unix_anchors() {
        assert_eq!(stamp_to_unix(280988000), Some(946_684_800));
        assert_eq!(unix_to_stamp(946_684_800), Ok(280988000));
        assert_eq!(stamp_to_unix(0), None);
        assert_eq!(stamp_to_unix(10180000), Some(315_532_800));
        assert_eq!(
            unix_to_stamp(-62_167_219_200 - 1),
            Err(DateError::OutOfRange)
        );
    }

    #[test]
    fn iso_anchors() {
        // 2000-01-01 00:00 and 2025-01-02 03:00 (the module example's stamp).
        assert_eq!(
            stamp_to_iso(280988000).as_deref(),
            Some("2000-01-01T00:00:00Z")
        );
        assert_eq!(
            stamp_to_iso(478263500).as_deref(),
            Some("2025-01-02T03:00:00Z")
        );
        assert_eq!(stamp_to_iso(0), None);
        assert_eq!(stamp_to_iso(-1), None);
    }

    proptest! {
        #[test]
        fn new_style_round_trip(secs in 946_684_800i64..8_390_000_000) {
            // 5-second resolution from 2000 on.
            let t = secs - secs.rem_euclid(5);
            let stamp = unix_to_stamp(t).unwrap();
            prop_assert_eq!(stamp_to_unix(stamp), Some(t));
            let (ymd, hms) = stamp_to_printable(stamp).unwrap();
            prop_assert_eq!(printable_to_stamp(ymd, hms), Ok(stamp));
        }

        #[test]
        fn hour_resolution_round_trip(hours in -17_000_000i64..70_000_000) {
            // Whole hours anywhere in years 0..9999 (old, new and extended stamps).
            let t = hours * 3600 - 62_167_219_200 + 17_000_000 * 3600;
            let stamp = unix_to_stamp(t).unwrap();
            prop_assert_eq!(stamp_to_unix(stamp), Some(t));
        }

        #[test]
        fn incdatr_inverts(secs in 946_684_800i64..7_000_000_000, steps in -100_000i64..100_000) {
            let t = secs - secs.rem_euclid(5);
            let stamp = unix_to_stamp(t).unwrap();
            let hours = steps as f64 * 5.0 / 3600.0;
            let moved = incdatr(stamp, hours).unwrap();
            prop_assert_eq!(stamp_to_unix(moved), Some(t + steps * 5));
            prop_assert_eq!(incdatr(moved, -hours), Ok(stamp));
        }
    }
}
