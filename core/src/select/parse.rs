//! Text of an expression: clauses, then each key's values.

use crate::ip::{Level, LevelKind};

use super::date;
use super::key::{Key, KeyClass};
use super::level::kind_of_unit;
use super::matcher::{Bounds, Matcher};
use super::SelectError;

/// Splits `key=values key!=values ...` into (key, negated, values). Blanks around `=` are
/// allowed; a value may be quoted ('...' or "...") to hold blanks.
pub(super) fn clauses(text: &str) -> Result<Vec<(String, bool, String)>, SelectError> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_end);
        let mut after = after.trim_start();
        let negated = if let Some(a) = after.strip_prefix("!=") {
            after = a;
            true
        } else if let Some(a) = after.strip_prefix('=') {
            after = a;
            false
        } else {
            let clause = rest.split_whitespace().next().unwrap_or(rest);
            return Err(SelectError::new(format!(
                "{clause:?} is not a clause (expected key=values, e.g. nomvar=TT)"
            )));
        };
        if key.is_empty() {
            return Err(SelectError::new(format!("missing key before {rest:?}")));
        }
        let after = after.trim_start();
        let (value, tail) = match after.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let close = after[1..]
                    .find(q)
                    .ok_or_else(|| SelectError::new(format!("unclosed quote in {after:?}")))?;
                (&after[1..=close], &after[close + 2..])
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                after.split_at(end)
            }
        };
        out.push((key.to_owned(), negated, value.to_owned()));
        rest = tail.trim_start();
    }
    Ok(out)
}

/// The accepted values of `key` in `text` (comma separated); empty for a wildcard.
pub(super) fn values(key: Key, text: &str) -> Result<Vec<Matcher>, SelectError> {
    let mut out = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() && key.class() != KeyClass::Name {
            continue;
        }
        match value(key, item)
            .map_err(|e| SelectError::new(format!("{}={item}: {e}", key.name())))?
        {
            Some(m) => out.push(m),
            // One wildcard makes the whole clause a wildcard.
            None => return Ok(Vec::new()),
        }
    }
    Ok(out)
}

fn value(key: Key, item: &str) -> Result<Option<Matcher>, SelectError> {
    if item == "*" {
        return Ok(None);
    }
    Ok(Some(match key.class() {
        KeyClass::Name if item.trim().is_empty() => return Ok(None),
        KeyClass::Name => Matcher::Name(item.trim_end().to_ascii_uppercase()),
        KeyClass::Int => Matcher::Int(range(item, int)?),
        KeyClass::Date => Matcher::Date(date_range(item)?),
        KeyClass::Hours => {
            let hours = |t: &str| float(t.strip_suffix(['h', 'H']).unwrap_or(t));
            Matcher::Hours(range(item, hours)?)
        }
        KeyClass::Ip => ip(item)?,
    }))
}

/// `A`, `A:B`, `A..B`, `A:`, `:B` (bounds may come in either order).
fn range<T: PartialOrd + Copy>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, SelectError>,
) -> Result<Bounds<T>, SelectError> {
    let split = text
        .split_once("..")
        .or_else(|| text.split_once(':'))
        .map(|(a, b)| (a.trim(), b.trim()));
    let Some((a, b)) = split else {
        let v = parse(text)?;
        return Ok(Bounds {
            low: Some(v),
            high: Some(v),
        });
    };
    let bound = |t: &str| (!t.is_empty()).then(|| parse(t)).transpose();
    let (mut low, mut high) = (bound(a)?, bound(b)?);
    if low.is_none() && high.is_none() {
        return Err(SelectError::new("a range needs at least one bound"));
    }
    if let (Some(l), Some(h)) = (low, high) {
        if h < l {
            (low, high) = (Some(h), Some(l));
        }
    }
    Ok(Bounds { low, high })
}

fn int(text: &str) -> Result<i64, SelectError> {
    text.parse()
        .map_err(|_| SelectError::new(format!("{text:?} is not an integer")))
}

fn float(text: &str) -> Result<f64, SelectError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| SelectError::new(format!("{text:?} is not a number")))
}

/// Dates: `A`, `A..B` or `A/B` (ISO interval), open ends allowed. `:` is not a range
/// separator here since it separates hours and minutes.
fn date_range(text: &str) -> Result<Bounds<i64>, SelectError> {
    let split = text.split_once("..").or_else(|| text.split_once('/'));
    let Some((a, b)) = split else {
        let t = date::seconds(text)?;
        return Ok(Bounds {
            low: Some(t),
            high: Some(t),
        });
    };
    let bound = |t: &str| (!t.trim().is_empty()).then(|| date::seconds(t)).transpose();
    let (low, high) = (bound(a)?, bound(b)?);
    if low.is_none() && high.is_none() {
        return Err(SelectError::new("a range needs at least one bound"));
    }
    Ok(Bounds { low, high })
}

/// Splits a trailing unit off a number (`850mb` → ("850", "mb"), `3_0` → ("3", "_0")).
fn split_unit(text: &str) -> (&str, &str) {
    let start = text
        .find(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '[')
        .unwrap_or(text.len());
    (text[..start].trim(), text[start..].trim())
}

/// An ip value: a raw code, a decoded value with a unit, or a range of values with a unit.
fn ip(item: &str) -> Result<Matcher, SelectError> {
    let (numbers, unit) = split_unit(item);
    if unit.is_empty() {
        if let Ok(code) = numbers.parse::<i32>() {
            return Ok(Matcher::IpCode(code));
        }
        return Err(SelectError::new(
            "give a raw ip code or a value with its unit (850mb, 0.5hy, 10m, 12h)",
        ));
    }
    let kind: LevelKind =
        kind_of_unit(unit).ok_or_else(|| SelectError::new(format!("unknown unit {unit:?}")))?;
    let b = range(numbers, |t| float(t).map(|v| v as f32))?;
    Ok(match (b.low, b.high) {
        (Some(l), Some(h)) if l == h => Matcher::IpLevel(Level { value: l, kind }),
        _ => Matcher::IpRange(kind, b),
    })
}
