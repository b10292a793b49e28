//! Gregorian calendar helpers shared by the stamp encodings (`julian_day`, `datec`).

/// Julian day number of 1980-01-01 (origin of true dates).
pub(super) const JD1980: i64 = 2_444_240;
/// Julian day number of 1900-01-01.
pub(super) const JD1900: i64 = 2_415_021;
/// Julian day number of 0000-01-01 (origin of extended dates).
pub(super) const JD0: i64 = 1_721_060;
/// Julian day number of 10000-01-01 (end of extended dates).
pub(super) const JD10K: i64 = 5_373_485;
/// Julian day number of 2236-01-01.
pub(super) const JD2236: i64 = 2_537_742;
/// Julian day number of 1970-01-01 (Unix epoch).
pub(super) const JD1970: i64 = 2_440_588;

/// Days per month, February with 29 as librmn's table (leap years checked separately).
const MDAYS: [i64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Fliegel & Van Flandern Julian day (librmn `julian_day`; truncating divisions).
pub(super) fn julian_day(year: i64, month: i64, day: i64) -> i64 {
    day - 32075
        + 1461 * (year + 4800 + (month - 14) / 12) / 4
        + 367 * (month - 2 - (month - 14) / 12 * 12) / 12
        - 3 * ((year + 4900 + (month - 14) / 12) / 100) / 4
}

/// Inverse of [`julian_day`] (librmn `datec`): `(year, month, day)`.
pub(super) fn datec(jd: i64) -> (i64, i64, i64) {
    let mut l = jd + 68569;
    let n = 4 * l / 146097;
    l -= (146097 * n + 3) / 4;
    let i = 4000 * (l + 1) / 1461001;
    l = l - 1461 * i / 4 + 31;
    let j = 80 * l / 2447;
    let k = l - 2447 * j / 80;
    l = j / 11;
    let month = j + 2 - 12 * l;
    let year = 100 * (n - 49) + i + l;
    (year, month, k)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Month/day/hour validity plus the February-29 rule (librmn checks both everywhere).
fn valid_mdh(year: i64, month: i64, day: i64, zulu: i64) -> bool {
    (1..=12).contains(&month)
        && day > 0
        && (0..=23).contains(&zulu)
        && day <= MDAYS[(month - 1) as usize]
        && !(month == 2 && day == 29 && !is_leap(year))
}

/// librmn `is_validtm` (+ leap check): regular stamps, years 1900..2235.
pub(super) fn valid_regular(year: i64, month: i64, day: i64, zulu: i64) -> bool {
    (1900..2236).contains(&year) && valid_mdh(year, month, day, zulu)
}

/// librmn `is_validtme` (+ leap check): extended stamps, years 0..9999.
pub(super) fn valid_extended(year: i64, month: i64, day: i64, zulu: i64) -> bool {
    (0..10000).contains(&year) && valid_mdh(year, month, day, zulu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_anchors() {
        assert_eq!(julian_day(1980, 1, 1), JD1980);
        assert_eq!(julian_day(1900, 1, 1), JD1900);
        assert_eq!(julian_day(1970, 1, 1), JD1970);
        assert_eq!(julian_day(2236, 1, 1), JD2236);
        assert_eq!(datec(julian_day(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(datec(JD0), (0, 1, 1));
    }
}
