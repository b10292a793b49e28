//! `File.find(**criteria)` keyword arguments → core [`Criteria`].

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use fst24::table::{Criteria, IntKey, NameKey};

use crate::errors::usage;

/// A string or a list of strings.
fn strings(value: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if value.is_instance_of::<PyString>() {
        return Ok(vec![value.extract::<String>()?]);
    }
    value
        .try_iter()?
        .map(|item| item?.extract::<String>())
        .collect()
}

/// An int or a list of ints.
fn ints(value: &Bound<'_, PyAny>) -> PyResult<Vec<i32>> {
    if value.is_instance_of::<PyString>() {
        return Err(usage("expected an int"));
    }
    if let Ok(v) = value.extract::<i32>() {
        return Ok(vec![v]);
    }
    value
        .try_iter()?
        .map(|item| item?.extract::<i32>())
        .collect()
}

/// Builds criteria from keyword arguments (`nomvar="TT"`, `ip1=[1, 2]`, `etiket="R1*"`).
pub(crate) fn criteria(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Criteria> {
    let mut c = Criteria::any();
    let Some(kwargs) = kwargs else {
        return Ok(c);
    };
    for (key, value) in kwargs.iter() {
        let key: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        if let Some(k) = NameKey::from_name(&key) {
            let names = strings(&value)
                .map_err(|_| usage(format!("{key} must be a string or a list of strings")))?;
            c = c.names(k, names.iter().map(String::as_str));
        } else if let Some(k) = IntKey::from_name(&key) {
            let values = ints(&value)
                .map_err(|_| usage(format!("{key} must be an int or a list of ints")))?;
            c = c.ints(k, values);
        } else {
            return Err(usage(format!("unknown search key {key:?}")));
        }
    }
    Ok(c)
}
