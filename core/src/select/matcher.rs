//! One accepted value of a clause and how it tests a record.

use crate::ip::{Level, LevelKind};
use crate::record::RecordHeader;
use crate::time::stamp_to_unix;

use super::key::Key;
use super::level::{close, decode_at, same_level};

/// Stamps files use for "no date" (as the decoded table columns).
const NO_DATE: [i32; 3] = [0, 10_101_011, 101_010_101];

/// Inclusive bounds; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bounds<T> {
    pub low: Option<T>,
    pub high: Option<T>,
}

impl<T: PartialOrd + Copy> Bounds<T> {
    fn contains(&self, v: T) -> bool {
        self.low.is_none_or(|l| v >= l) && self.high.is_none_or(|h| v <= h)
    }
}

/// One accepted value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Matcher {
    /// A name glob, upper case (`*` any run, `?` one character).
    Name(String),
    /// An integer key in a range (one value: equal bounds).
    Int(Bounds<i64>),
    /// An ip given as a raw code: that code, or any ip decoding to the same level.
    IpCode(i32),
    /// An ip given as a decoded value of a kind.
    IpLevel(Level),
    /// An ip whose decoded value of `kind` lies in the bounds.
    IpRange(LevelKind, Bounds<f32>),
    /// A date in seconds since 1970 (one value: equal bounds).
    Date(Bounds<i64>),
    /// Forecast hours.
    Hours(Bounds<f64>),
}

/// Glob match on bytes, `*` and `?` wildcards (iterative, no backtracking blow-up).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

impl Matcher {
    pub(super) fn matches(&self, key: Key, h: &RecordHeader) -> bool {
        match self {
            Matcher::Name(pattern) => glob(
                pattern.as_bytes(),
                key.text(h).to_ascii_uppercase().as_bytes(),
            ),
            Matcher::Int(b) => b.contains(key.int(h)),
            Matcher::IpCode(code) => {
                let ip = key.int(h) as i32;
                ip == *code
                    || match (decode_at(key, *code), decode_at(key, ip)) {
                        (Some(a), Some(b)) => same_level(a, b),
                        _ => false,
                    }
            }
            Matcher::IpLevel(want) => {
                decode_at(key, key.int(h) as i32).is_some_and(|l| same_level(l, *want))
            }
            Matcher::IpRange(kind, b) => decode_at(key, key.int(h) as i32).is_some_and(|l| {
                l.kind == *kind
                    && (b.contains(l.value)
                        || b.low.is_some_and(|lo| close(lo, l.value))
                        || b.high.is_some_and(|hi| close(hi, l.value)))
            }),
            Matcher::Date(b) => {
                let stamp = key.int(h) as i32;
                !NO_DATE.contains(&stamp) && stamp_to_unix(stamp).is_some_and(|t| b.contains(t))
            }
            Matcher::Hours(b) => {
                let hours = f64::from(h.deet) * f64::from(h.npas) / 3600.0;
                b.contains(hours)
                    || b.low.is_some_and(|lo| (lo - hours).abs() < 1e-9)
                    || b.high.is_some_and(|hi| (hi - hours).abs() < 1e-9)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob(b"G1*", b"G133K80"));
        assert!(glob(b"*K80", b"G133K80"));
        assert!(glob(b"G?33*", b"G133K80"));
        assert!(glob(b"*", b""));
        assert!(!glob(b"G1", b"G133K80"));
        assert!(!glob(b"?", b""));
        assert!(glob(b"*3*8*", b"G133K80"));
    }
}
