//! Date values of an expression, as seconds since 1970-01-01T00:00Z.

use crate::time::stamp_to_unix;

use super::SelectError;

/// Days from 1970-01-01 to a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count from March so that the leap day ends the year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Seconds of a calendar date and time, checked.
fn civil_seconds(fields: [i64; 6]) -> Option<i64> {
    let [year, month, day, hour, minute, second] = fields;
    let valid = (0..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..60).contains(&second);
    valid.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn number(digits: &str) -> Option<i64> {
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD[THH[:MM[:SS]]][Z]` (a blank or `T` before the time).
fn iso(text: &str) -> Option<i64> {
    let text = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    let (date, time) = match text.find(['T', 't', ' ']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let mut d = date.split('-');
    let (y, m, day) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() || y.len() != 4 {
        return None;
    }
    let mut fields = [number(y)?, number(m)?, number(day)?, 0, 0, 0];
    if !time.is_empty() {
        let parts: Vec<&str> = time.split(':').collect();
        if parts.len() > 3 {
            return None;
        }
        for (slot, p) in fields[3..].iter_mut().zip(&parts) {
            *slot = number(p)?;
        }
    }
    civil_seconds(fields)
}

/// `YYYYMMDD[HH[MM[SS]]]` without separators.
fn compact(text: &str) -> Option<i64> {
    if !matches!(text.len(), 8 | 10 | 12 | 14) {
        return None;
    }
    let mut fields = [0i64; 6];
    fields[0] = number(&text[..4])?;
    let mut at = 4;
    for slot in &mut fields[1..] {
        if at >= text.len() {
            break;
        }
        *slot = number(&text[at..at + 2])?;
        at += 2;
    }
    civil_seconds(fields)
}

/// One date: ISO 8601, compact digits, or a 9-digit CMC stamp.
pub(super) fn seconds(text: &str) -> Result<i64, SelectError> {
    let text = text.trim();
    let parsed = if text.contains('-') {
        iso(text)
    } else if text.len() == 9 {
        number(text)
            .and_then(|n| i32::try_from(n).ok())
            .and_then(stamp_to_unix)
    } else {
        compact(text)
    };
    parsed.ok_or_else(|| {
        SelectError::new(format!(
            "{text:?} is not a date (YYYY-MM-DD[THH[:MM[:SS]]], YYYYMMDD[HH[MM[SS]]] or a 9-digit stamp)"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_agree() {
        let t = 946_684_800; // 2000-01-01T00:00Z
        assert_eq!(seconds("2000-01-01"), Ok(t));
        assert_eq!(seconds("2000-01-01T00"), Ok(t));
        assert_eq!(seconds("2000-01-01T00:00:00Z"), Ok(t));
        assert_eq!(seconds("20000101"), Ok(t));
        assert_eq!(seconds("2000010100"), Ok(t));
        assert_eq!(seconds("280988000"), Ok(t));
        assert_eq!(seconds("2025-01-02T03"), Ok(1_735_786_800));
        assert_eq!(seconds("1970-01-01"), Ok(0));
        assert_eq!(seconds("2024-02-29T23:59:59"), Ok(1_709_251_199));
        for bad in [
            "2023-02-29",
            "2000-13-01",
            "2000-01-01T24",
            "tomorrow",
            "",
            "2000-1",
        ] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}
