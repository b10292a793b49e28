//! Attribute values (what netCDF/zarr attributes hold), shared by `dataset` and `vertical`.

/// One attribute value (what netCDF/zarr attributes can hold).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AttrValue {
    /// Text.
    Str(String),
    /// A real number.
    F64(f64),
    /// An integer.
    I64(i64),
    /// A vector of reals.
    F64s(Vec<f64>),
    /// A vector of integers.
    I64s(Vec<i64>),
}

/// Attributes in order: `(name, value)`.
pub type Attrs = Vec<(String, AttrValue)>;

/// Shorthand for a text attribute.
pub(crate) fn s(name: &str, value: &str) -> (String, AttrValue) {
    (name.to_string(), AttrValue::Str(value.to_string()))
}

/// Shorthand for a real attribute.
pub(crate) fn f(name: &str, value: f64) -> (String, AttrValue) {
    (name.to_string(), AttrValue::F64(value))
}

/// Shorthand for an integer attribute.
pub(crate) fn i(name: &str, value: i64) -> (String, AttrValue) {
    (name.to_string(), AttrValue::I64(value))
}
