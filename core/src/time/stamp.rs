//! Stamp ↔ printable date and stamp ↔ "true date" conversions (librmn `naetwed` modes
//! ±1, ±3, ±6, +7).
//!
//! True dates count 5-second intervals since 1980-01-01 (negative back to 1900, on the
//! hour only); extended true dates count hours since 0000-01-01.

use super::calendar::{
    datec, julian_day, valid_extended, valid_regular, JD0, JD10K, JD1900, JD1980, JD2236,
};
use super::DateError;

/// First new-style stamp.
const TDSTART: i64 = 123_200_000;
/// True date of 1900-01-01 00Z.
pub(super) const TD1900: i64 = -504_904_320;
/// True date of 2235-12-31 23:59:55.
pub(super) const TD2235: i64 = 1_615_714_548;
/// True date of 2000-01-01 00Z: from here on stamps are always new style.
const TD2000: i64 = 126_230_400;
/// Offset of extended stamps (stored unsigned, so negative as `i32`).
const EXT_BASE: i64 = 3_000_000_000;
/// Extended stamps span this many values above [`EXT_BASE`].
const EXT_SPAN: i64 = 109_572_750;
/// 1901-01-01 01Z in extended hours, which librmn always encodes as an extended stamp
/// (its regular stamp would collide with the old-style `10101010x` error codes).
const EXT_EXCEPTION: i64 = 16_663_825;
/// 5-second intervals per day and per hour.
const PER_DAY: i64 = 17_280;
const PER_HOUR: i64 = 720;

/// Decimal stamp digits of a count `t`: `(t/8)·10 + t mod 8`.
fn packed(t: i64) -> i64 {
    (t / 8) * 10 + t % 8
}

/// Inverse of [`packed`].
fn unpacked(s: i64) -> i64 {
    s / 10 * 8 + s % 10
}

/// librmn `is_validtd`: positive true dates, or pre-1980 ones on the hour back to 1900.
fn valid_true(tdate: i64) -> bool {
    tdate >= 0 || (tdate >= TD1900 && (tdate - TD1900) % PER_HOUR == 0)
}

/// Calendar date and hour of a regular true date: `(year, month, day, zulu, second_of_hour)`.
fn true_to_calendar(tdate: i64) -> (i64, i64, i64, i64, i64) {
    let (year, month, day) = datec(JD1900 + (tdate - TD1900) / PER_DAY);
    let in_day = (tdate - TD1900) % PER_DAY;
    let zulu = in_day / PER_HOUR;
    (year, month, day, zulu, (in_day - zulu * PER_HOUR) * 5)
}

/// Fields of an old-style `MMDDYYZZR` stamp: `(year, month, day, zulu, run)`.
fn old_fields(stamp: i64) -> (i64, i64, i64, i64, i64) {
    (
        (stamp / 1000) % 100 + 1900,
        (stamp / 10_000_000) % 100,
        (stamp / 100_000) % 100,
        (stamp / 10) % 100,
        stamp % 10,
    )
}

/// Unsigned offset of an extended stamp above [`EXT_BASE`], if it is one.
fn extended_offset(stamp: i32, inclusive_end: bool) -> Option<i64> {
    let u = i64::from(stamp as u32);
    let end = EXT_BASE + EXT_SPAN;
    let inside = u >= EXT_BASE && (u < end || (inclusive_end && u == end));
    inside.then_some(u - EXT_BASE)
}

fn to_i32(value: i64) -> Result<i32, DateError> {
    i32::try_from(value).map_err(|_| DateError::OutOfRange)
}

/// Converts a stamp to printable `(yyyymmdd, hhmmss00)` (`newdate` mode −3).
///
/// Old-style stamps carry whole hours only; extended stamps (years 0..9999 outside
/// 1900..2235) too.
///
/// # Errors
/// [`DateError::InvalidStamp`] if the stamp is no valid date (0, −1, a bad month, …).
pub fn stamp_to_printable(stamp: i32) -> Result<(i32, i32), DateError> {
    let bad = DateError::InvalidStamp(stamp);
    let s = i64::from(stamp);
    let (year, month, day, zulu, second) = if stamp < -1 {
        let off = extended_offset(stamp, false).ok_or(bad)?;
        let hours = unpacked(off);
        let (year, month, day) = datec(JD0 + hours / 24);
        if !valid_extended(year, month, day, hours % 24) {
            return Err(bad);
        }
        (year, month, day, hours % 24, 0)
    } else if s >= TDSTART {
        true_to_calendar(unpacked(s - TDSTART))
    } else {
        let (year, month, day, zulu, _run) = old_fields(s);
        (year, month, day, zulu, 0)
    };
    if stamp >= -1 && !valid_regular(year, month, day, zulu) {
        return Err(bad);
    }
    let ymd = year * 10000 + month * 100 + day;
    let hms = zulu * 1_000_000 + (second / 60) * 10_000 + (second % 60) * 100;
    Ok((to_i32(ymd)?, to_i32(hms)?))
}

/// Converts a printable date to a stamp (`newdate` mode 3).
///
/// `hhmmss00` is `HHMMSShh` (hundredths ignored). Years outside 1900..2235 give extended
/// stamps (hour resolution); before 2000 whole hours give old-style stamps (seconds
/// truncated to the hour unless the year is 1980 or later and they are not zero).
///
/// # Errors
/// [`DateError::InvalidPrintable`] for an impossible date or hour.
pub fn printable_to_stamp(yyyymmdd: i32, hhmmss00: i32) -> Result<i32, DateError> {
    let bad = DateError::InvalidPrintable { yyyymmdd, hhmmss00 };
    let (dtpr, tmpr) = (i64::from(yyyymmdd), i64::from(hhmmss00));
    let year = (dtpr / 10000) % 10000;
    if (dtpr == 19010101 && tmpr == 1_000_000) || !(1900..=2235).contains(&year) {
        return printable_to_extended(dtpr, tmpr).ok_or(bad);
    }
    let (month, day, zulu) = ((dtpr / 100) % 100, dtpr % 100, (tmpr / 1_000_000) % 100);
    // librmn does not range-check minutes and seconds: 99 minutes simply carry over.
    let second = ((tmpr / 10000) % 100) * 60 + (tmpr / 100) % 100;
    if !valid_regular(year, month, day, zulu) {
        return Err(bad);
    }
    let mut tdate =
        (julian_day(year, month, day) - JD1980) * PER_DAY + zulu * PER_HOUR + second / 5;
    let stamp = if year >= 2000 || (year >= 1980 && second != 0) {
        TDSTART + packed(tdate)
    } else {
        tdate = (tdate - TD1900) / PER_HOUR * PER_HOUR + TD1900;
        old_stamp(tdate, 0)
    };
    to_i32(stamp).map_err(|_| bad)
}

/// Old-style stamp of a true date on the hour (before 2000), with run digit `run`.
fn old_stamp(tdate: i64, run: i64) -> i64 {
    let (year, month, day, zulu, _) = true_to_calendar(tdate);
    month * 10_000_000 + day * 100_000 + (year - 1900) * 1000 + zulu * 10 + run
}

/// Extended stamp from a printable date (`naetwed` label 102).
fn printable_to_extended(dtpr: i64, tmpr: i64) -> Option<i32> {
    let (year, month, day) = ((dtpr / 10000) % 10000, (dtpr / 100) % 100, dtpr % 100);
    let (zulu, minute) = ((tmpr / 1_000_000) % 100, (tmpr / 10000) % 100);
    if !valid_extended(year, month, day, zulu) {
        return None;
    }
    let jd = julian_day(year, month, day);
    if !(JD0..JD10K).contains(&jd) {
        return None;
    }
    let hours = (jd - JD0) * 24 + zulu + minute / 60;
    Some((packed(hours) + EXT_BASE) as u32 as i32)
}

/// Regular stamp → `(true date, run digit)` (`naetwed` mode 1).
pub(super) fn stamp_to_true(stamp: i32) -> Result<(i64, i64), DateError> {
    let s = i64::from(stamp);
    let (tdate, run) = if s >= TDSTART {
        (unpacked(s - TDSTART), 0)
    } else if stamp < -1 {
        return Err(DateError::InvalidStamp(stamp));
    } else {
        // librmn does not validate the fields here, only the resulting true date.
        let (year, month, day, zulu, run) = old_fields(s);
        (
            (julian_day(year, month, day) - JD1980) * PER_DAY + zulu * PER_HOUR,
            run,
        )
    };
    if valid_true(tdate) {
        Ok((tdate, run))
    } else {
        Err(DateError::InvalidStamp(stamp))
    }
}

/// True date (+ run digit) → regular stamp (`naetwed` mode −1): new style from 2000 on
/// or off the hour, old style otherwise.
pub(super) fn true_to_stamp(tdate: i64, run: i64) -> Result<i32, DateError> {
    if run > 9 || !valid_true(tdate) || tdate > TD2235 {
        return Err(DateError::OutOfRange);
    }
    if tdate >= TD2000 || tdate % PER_HOUR != 0 {
        to_i32(TDSTART + packed(tdate))
    } else {
        to_i32(old_stamp(tdate, run))
    }
}

/// Extended stamp → hours since 0000-01-01 (`naetwed` mode 6, extended branch).
pub(super) fn extended_to_hours(stamp: i32) -> Result<i64, DateError> {
    extended_offset(stamp, true)
        .map(unpacked)
        .ok_or(DateError::InvalidStamp(stamp))
}

/// Hours since 0000-01-01 → stamp (`naetwed` mode −6): a regular stamp inside
/// 1900..2235, an extended one outside.
pub(super) fn hours_to_stamp(hours: i64) -> Result<i32, DateError> {
    let jd = hours.div_euclid(24) + JD0;
    if hours < 0 || jd >= JD10K {
        return Err(DateError::OutOfRange);
    }
    if hours == EXT_EXCEPTION || !(JD1900..JD2236).contains(&jd) {
        return Ok((packed(hours) + EXT_BASE) as u32 as i32);
    }
    let tdate = (jd - JD1980) * PER_DAY + (hours % 24) * PER_HOUR;
    true_to_stamp(tdate, 0)
}

/// Printable date → hours since 0000-01-01 (`naetwed` mode 7; minutes dropped).
pub(super) fn printable_to_hours(yyyymmdd: i32, hhmmss00: i32) -> Result<i64, DateError> {
    let (dtpr, tmpr) = (i64::from(yyyymmdd), i64::from(hhmmss00));
    let (year, month, day) = ((dtpr / 10000) % 10000, (dtpr / 100) % 100, dtpr % 100);
    let zulu = (tmpr / 1_000_000) % 100;
    if !valid_extended(year, month, day, zulu) {
        return Err(DateError::InvalidPrintable { yyyymmdd, hhmmss00 });
    }
    Ok((julian_day(year, month, day) - JD0) * 24 + zulu)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (yyyymmdd, hhmmss00, stamp) from spec §3.4 (verified against librmn).
    const VECTORS: [(i32, i32, i32); 11] = [
        (19800101, 0, 10180000),
        (19800101, 30000, 123200044),
        (19991231, 18000000, 123199180),
        (20000101, 0, 280988000),
        (20200101, 0, 438776000),
        (20240229, 6300000, 471613850),
        (20250102, 4000000, 478264400),
        (22351231, 23000000, 2142842300),
        (22360101, 0, -1270466836),
        (18000101, 6000000, -1275244180),
        (99991231, 23000000, -1185394549),
    ];

    #[test]
    fn spec_vectors_both_ways() {
        for (ymd, hms, stamp) in VECTORS {
            assert_eq!(printable_to_stamp(ymd, hms), Ok(stamp), "{ymd} {hms}");
            assert_eq!(stamp_to_printable(stamp), Ok((ymd, hms)), "{stamp}");
        }
    }

    #[test]
    fn old_style_truncates_to_the_hour() {
        assert_eq!(printable_to_stamp(19790615, 12300000), Ok(61579120));
        assert_eq!(printable_to_stamp(19000101, 12345600), Ok(10100120));
    }

    #[test]
    fn first_hour_of_1901_is_extended() {
        // librmn encodes 1901-01-01 01Z as an extended stamp from a printable date.
        let stamp = printable_to_stamp(19010101, 1_000_000).unwrap();
        assert!(stamp < -1);
        assert_eq!(stamp_to_printable(stamp), Ok((19010101, 1_000_000)));
        assert_eq!(hours_to_stamp(EXT_EXCEPTION), Ok(stamp));
        assert_eq!(printable_to_stamp(19010101, 2_000_000), Ok(10101020));
    }

    #[test]
    fn invalid_inputs_are_errors() {
        assert!(stamp_to_printable(0).is_err());
        assert!(stamp_to_printable(-1).is_err());
        assert!(printable_to_stamp(20230229, 0).is_err());
        assert!(printable_to_stamp(20231301, 0).is_err());
        assert!(printable_to_stamp(20230101, 24000000).is_err());
        assert_eq!(printable_to_stamp(20240229, 0).map(|_| ()), Ok(()));
    }
}
