//! `File.find(where=..., **criteria)` → the core selection language ([`fst24::select`]).
//!
//! Each keyword becomes the text of one clause, so Python accepts exactly what the CLI and
//! the browser filter accept: strings are parsed as in an expression (`ip1="850mb"`,
//! `datev="2020-01-01..2020-01-02"`, `etiket="G1*"`), ints are raw codes (-1: any),
//! floats are decoded values of `kind`, datetimes are dates, `(low, high)` tuples are
//! ranges (None: open) and lists are alternatives.

use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyString, PyTuple};

use fst24::select::{Key, Selection};

use crate::errors::usage;

/// The clause text of one scalar (no commas or ranges of its own).
fn scalar(value: &Bound<'_, PyAny>, kind: Option<&str>) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Some(value.extract()?));
    }
    if value.is_instance_of::<PyDateTime>() {
        let utc = value
            .py()
            .import("datetime")?
            .getattr("timezone")?
            .getattr("utc")?;
        let naive = if value.getattr("tzinfo")?.is_none() {
            value.clone()
        } else {
            let kw = PyDict::new(value.py());
            kw.set_item("tzinfo", value.py().None())?;
            value
                .call_method1("astimezone", (utc,))?
                .call_method("replace", (), Some(&kw))?
        };
        return Ok(Some(naive.call_method0("isoformat")?.extract()?));
    }
    if value.is_instance_of::<PyDate>() {
        return Ok(Some(value.call_method0("isoformat")?.extract()?));
    }
    if value.is_instance_of::<pyo3::types::PyBool>() {
        return Err(usage("expected a number, a string or a date, not a bool"));
    }
    if let Ok(i) = value.extract::<i64>() {
        if let Some(k) = kind {
            return Ok(Some(format!("{i}{k}")));
        }
        return Ok((i != -1).then(|| i.to_string()));
    }
    if let Ok(f) = value.extract::<f64>() {
        return Ok(Some(format!("{f}{}", kind.unwrap_or(""))));
    }
    Err(usage(format!(
        "cannot select on a {}",
        value.get_type().name()?
    )))
}

/// The clause text of a keyword value: a scalar, a `(low, high)` range or a list.
fn values_text(value: &Bound<'_, PyAny>, kind: Option<&str>) -> PyResult<Option<String>> {
    if let Ok(t) = value.cast::<PyTuple>() {
        if t.len() != 2 {
            return Err(usage("a range is a (low, high) tuple"));
        }
        // The unit goes once, after the range (`0.5:1.0hy`).
        let low = scalar(&t.get_item(0)?, None)?.unwrap_or_default();
        let high = scalar(&t.get_item(1)?, None)?.unwrap_or_default();
        return Ok(Some(format!("{low}..{high}{}", kind.unwrap_or(""))));
    }
    if value.is_instance_of::<PyString>() || value.extract::<f64>().is_ok() {
        return scalar(value, kind);
    }
    if let Ok(iter) = value.try_iter() {
        let mut items = Vec::new();
        for item in iter {
            match scalar(&item?, kind)? {
                Some(text) => items.push(text),
                // A wildcard among the values: the key matches anything.
                None => return Ok(None),
            }
        }
        return Ok(Some(items.join(",")));
    }
    scalar(value, kind)
}

/// Builds the selection of `find`'s keywords.
pub(crate) fn selection(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Selection> {
    let mut s = Selection::any();
    let Some(kwargs) = kwargs else {
        return Ok(s);
    };
    let kind: Option<String> = match kwargs.get_item("kind")? {
        Some(k) if !k.is_none() => Some(
            k.extract()
                .map_err(|_| usage("kind must be a unit string such as \"mb\" or \"hy\""))?,
        ),
        _ => None,
    };
    for (name, value) in kwargs.iter() {
        let name: String = name.extract()?;
        match name.as_str() {
            "kind" => continue,
            "where" => {
                let text: String = value
                    .extract()
                    .map_err(|_| usage("where must be an expression string"))?;
                let parsed = Selection::parse(&text).map_err(|e| usage(e.to_string()))?;
                s = s.and_selection(parsed);
                continue;
            }
            _ => {}
        }
        let key =
            Key::from_name(&name).ok_or_else(|| usage(format!("unknown search key {name:?}")))?;
        let unit = (key == Key::Ip1).then_some(kind.as_deref()).flatten();
        if let Some(text) = values_text(&value, unit)? {
            s = s.and(key, &text).map_err(|e| usage(e.to_string()))?;
        }
    }
    Ok(s)
}
