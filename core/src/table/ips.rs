//! The decoded ip and date columns, both ways: what a stored key shows in the table, and
//! (fstpy's `reduce_columns`) which stored key an edited decoded value stands for. A key
//! whose decoded value was not edited is kept as stored, so old-style encodings survive.

use crate::ip::{decode_ip, encode_ip, is_new_style, IpStyle, LevelKind};
use crate::time::{stamp_to_unix, unix_to_stamp};

/// fstpy's kind for a value that is not an encoded level or time.
pub(crate) const NOT_ENCODED: i32 = 100;
/// librmn's kind code for hours.
const HOURS: i32 = 10;

/// Which ip a value comes from: they decode differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpSlot {
    /// A level.
    Ip1,
    /// A time; old-style values are plain hours.
    Ip2,
    /// Anything; old-style values are plain numbers (kind 100).
    Ip3,
}

/// The value, kind code and printable kind the table shows for a stored ip; `None` for a
/// new-style value that is not a valid encoding. The ips of grid and vertical descriptor
/// records are grid tags: kind 100, the number itself.
pub fn decoded_ip(slot: IpSlot, ip: i32, descriptor: bool) -> Option<(f32, i32, &'static str)> {
    let raw = Some((ip as f32, NOT_ENCODED, ""));
    if descriptor {
        return raw;
    }
    if !is_new_style(ip) {
        match slot {
            IpSlot::Ip2 => return Some((ip as f32, HOURS, "H")),
            IpSlot::Ip3 => return raw,
            IpSlot::Ip1 => {}
        }
    }
    decode_ip(ip).map(|l| (l.value, l.kind.code(), l.kind.unit_name()))
}

/// Why an edited value cannot be stored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReencodeError {
    /// The kind code is not one `ConvertIp` knows.
    #[error("unknown ip kind {0}")]
    Kind(i32),
    /// The value cannot be encoded for its kind.
    #[error("{value} cannot be encoded as an ip of kind {kind}")]
    Value {
        /// Value given.
        value: f32,
        /// Kind code given.
        kind: i32,
    },
    /// The date is outside what a date stamp can hold.
    #[error("date {0} s after 1970 cannot be stored as a date stamp")]
    Date(i64),
}

/// The ip to store for a (possibly edited) decoded `(value, kind)`: `stored` when it still
/// decodes to them, else the new-style encoding of the pair (kind 100: the value itself).
///
/// # Errors
/// [`ReencodeError`] when the pair cannot be encoded.
pub fn reencode_ip(
    slot: IpSlot,
    stored: i32,
    descriptor: bool,
    value: f32,
    kind: i32,
) -> Result<i32, ReencodeError> {
    if decoded_ip(slot, stored, descriptor).is_some_and(|(v, k, _)| v == value && k == kind) {
        return Ok(stored);
    }
    let bad = ReencodeError::Value { value, kind };
    if kind == NOT_ENCODED {
        let v = value as i64;
        return (v as f32 == value)
            .then(|| i32::try_from(v).ok())
            .flatten()
            .ok_or(bad);
    }
    let level_kind = LevelKind::from_code(kind).ok_or(ReencodeError::Kind(kind))?;
    encode_ip(value, level_kind, IpStyle::New).map_err(|_| bad)
}

/// The date stamp to store for a (possibly edited) date in seconds since 1970: `stored`
/// when it still decodes to it, else the stamp of the new date.
///
/// # Errors
/// [`ReencodeError::Date`] for dates a stamp cannot hold.
pub fn reencode_date(stored: i32, unix_seconds: i64) -> Result<i32, ReencodeError> {
    if stamp_to_unix(stored) == Some(unix_seconds) {
        return Ok(stored);
    }
    unix_to_stamp(unix_seconds).map_err(|_| ReencodeError::Date(unix_seconds))
}

/// The etiket to store for (possibly edited) parsed parts: `stored` when it still parses
/// to them, else run, label, implementation and member joined.
pub fn reencode_etiket(
    stored: &str,
    run: Option<&str>,
    label: &str,
    implementation: Option<&str>,
    member: Option<&str>,
) -> String {
    let p = super::fstpy::parse_etiket(stored.trim());
    if (p.run, p.label, p.implementation, p.ensemble_member) == (run, label, implementation, member)
    {
        return stored.to_owned();
    }
    [run, Some(label), implementation, member]
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unedited_ips_keep_their_encoding() {
        // Old-style 500 hPa (ip1 = 500) decodes to (500, 2) and stays as is.
        assert_eq!(reencode_ip(IpSlot::Ip1, 500, false, 500.0, 2), Ok(500));
        let new = encode_ip(850.0, LevelKind::Pressure, IpStyle::New).unwrap();
        assert_eq!(reencode_ip(IpSlot::Ip1, 500, false, 850.0, 2), Ok(new));
        assert_eq!(reencode_ip(IpSlot::Ip2, 6, false, 6.0, 10), Ok(6));
        assert_eq!(reencode_ip(IpSlot::Ip3, 7, false, 9.0, 100), Ok(9));
        assert_eq!(
            reencode_ip(IpSlot::Ip1, 0, false, 1.0, 99),
            Err(ReencodeError::Kind(99))
        );
        assert_eq!(
            reencode_etiket("R1580V0N", Some("R1"), "580V0", Some("N"), None),
            "R1580V0N"
        );
        assert_eq!(
            reencode_etiket("R1580V0N", Some("G2"), "580V0", Some("N"), None),
            "G2580V0N"
        );
        let stamp = crate::time::printable_to_stamp(20200101, 0).unwrap();
        assert_eq!(reencode_date(stamp, 1_577_836_800), Ok(stamp));
        assert_ne!(reencode_date(stamp, 1_577_840_400).unwrap(), stamp);
    }
}
