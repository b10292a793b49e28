//! Time keys of records and CF time coordinates ("hours since …").

use crate::time::stamp_to_unix;

/// Seconds since 1970 of a date stamp; `None` for "no date" stamps (0, −1, …).
pub(crate) fn stamp_seconds(stamp: i32) -> Option<i64> {
    stamp_to_unix(stamp)
}

/// `YYYY-MM-DD HH:MM:SS` of Unix seconds (proleptic Gregorian).
pub(crate) fn iso(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Hours between `seconds` and `reference`, NaN for a missing date.
pub(crate) fn hours_since(seconds: Option<i64>, reference: i64) -> f64 {
    seconds.map_or(f64::NAN, |s| (s - reference) as f64 / 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso(0), "1970-01-01 00:00:00");
        assert_eq!(iso(951_782_400 + 3600 * 6 + 1800), "2000-02-29 06:30:00");
        assert_eq!(iso(-86_400), "1969-12-31 00:00:00");
    }
}
