//! One column of a [`super::Table`], laid out as Arrow lays it out so bindings can hand the
//! buffers to Arrow consumers (Polars, pyarrow, JS) without copying.

use crate::record::Name;

/// Values of one column; every vector has one slot per row.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ColumnValues {
    /// 16-bit signed integers.
    Int16(Vec<i16>),
    /// 32-bit signed integers.
    Int32(Vec<i32>),
    /// 64-bit signed integers.
    Int64(Vec<i64>),
    /// 32-bit floats.
    Float32(Vec<f32>),
    /// Booleans.
    Bool(Vec<bool>),
    /// UTF-8 strings.
    Utf8(StrColumn),
    /// Naive (UTC) date-times, microseconds since 1970-01-01.
    DatetimeMicros(Vec<i64>),
    /// Durations in microseconds.
    DurationMicros(Vec<i64>),
}

impl ColumnValues {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnValues::Int16(v) => v.len(),
            ColumnValues::Int32(v) => v.len(),
            ColumnValues::Int64(v)
            | ColumnValues::DatetimeMicros(v)
            | ColumnValues::DurationMicros(v) => v.len(),
            ColumnValues::Float32(v) => v.len(),
            ColumnValues::Bool(v) => v.len(),
            ColumnValues::Utf8(s) => s.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ColumnValues {
    /// Appends `other`'s values.
    ///
    /// # Panics
    /// When the two are of different types.
    fn append(&mut self, other: ColumnValues) {
        use ColumnValues as V;
        match (self, other) {
            (V::Int16(a), V::Int16(b)) => a.extend(b),
            (V::Int32(a), V::Int32(b)) => a.extend(b),
            (V::Int64(a), V::Int64(b))
            | (V::DatetimeMicros(a), V::DatetimeMicros(b))
            | (V::DurationMicros(a), V::DurationMicros(b)) => a.extend(b),
            (V::Float32(a), V::Float32(b)) => a.extend(b),
            (V::Bool(a), V::Bool(b)) => a.extend(b),
            (V::Utf8(a), V::Utf8(b)) => a.append(&b),
            _ => panic!("columns of different types"),
        }
    }
}

/// A named column; `valid[i] == false` marks row `i` as null.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name (fstpy's where fstpy has one).
    pub name: &'static str,
    /// The values.
    pub values: ColumnValues,
    /// Validity per row; `None` means no nulls.
    pub valid: Option<Vec<bool>>,
}

impl Column {
    /// A column without nulls.
    pub fn new(name: &'static str, values: ColumnValues) -> Self {
        Column {
            name,
            values,
            valid: None,
        }
    }

    /// A column whose row `i` is null where `valid[i]` is false (`None` when all are valid).
    pub fn with_validity(name: &'static str, values: ColumnValues, valid: Vec<bool>) -> Self {
        let valid = if valid.iter().all(|&v| v) {
            None
        } else {
            Some(valid)
        };
        Column {
            name,
            values,
            valid,
        }
    }
}

impl Column {
    /// Appends the rows of `other` (same name and type) to this column of `rows` rows.
    ///
    /// # Panics
    /// When the columns differ in name or type.
    pub(crate) fn append(&mut self, other: Column, rows: usize) {
        assert_eq!(self.name, other.name, "columns of different names");
        let added = other.values.len();
        self.values.append(other.values);
        match (&mut self.valid, other.valid) {
            (None, None) => {}
            (Some(a), None) => a.resize(rows + added, true),
            (mine, Some(b)) => {
                let a = mine.get_or_insert_with(|| vec![true; rows]);
                a.extend(b);
            }
        }
    }
}

/// Strings in Arrow's layout: `offsets[i]..offsets[i + 1]` of `data` is row `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct StrColumn {
    offsets: Vec<i32>,
    data: Vec<u8>,
}

impl Default for StrColumn {
    fn default() -> Self {
        StrColumn {
            offsets: vec![0],
            data: Vec::new(),
        }
    }
}

impl StrColumn {
    /// An empty column with room for `rows` strings of about `width` bytes.
    pub fn with_capacity(rows: usize, width: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        StrColumn {
            offsets,
            data: Vec::with_capacity(rows.saturating_mul(width)),
        }
    }

    /// Appends one string. Arrow's 32-bit offsets cap a column at `i32::MAX` bytes; past
    /// that, strings are cut (on a character boundary) rather than letting offsets wrap.
    pub fn push(&mut self, s: &str) {
        let room = (i32::MAX as usize).saturating_sub(self.data.len());
        let take = if s.len() <= room {
            s
        } else {
            // Cut on a character boundary so the data stays valid UTF-8.
            let mut cut = room;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            &s[..cut]
        };
        self.data.extend_from_slice(take.as_bytes());
        self.offsets.push(self.data.len() as i32);
    }

    /// Appends a blank-padded record name without its trailing blanks (names hold
    /// ASCII only, so no UTF-8 check is needed).
    pub(crate) fn push_name<const N: usize>(&mut self, name: &Name<N>) {
        let bytes = name.as_bytes();
        let len = bytes.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
        let start = self.data.len();
        if start + N <= i32::MAX as usize {
            // A copy of fixed size (no call to memcpy), then the blanks cut off.
            self.data.extend_from_slice(bytes);
            self.data.truncate(start + len);
            self.offsets.push((start + len) as i32);
        } else {
            self.push_ascii(&bytes[..len]);
        }
    }

    /// Appends text given as bytes, ASCII in practice (checked: anything else goes
    /// through [`StrColumn::push`] as lossy UTF-8).
    pub(crate) fn push_ascii(&mut self, bytes: &[u8]) {
        let room = (i32::MAX as usize).saturating_sub(self.data.len());
        if bytes.is_ascii() && bytes.len() <= room {
            self.data.extend_from_slice(bytes);
            self.offsets.push(self.data.len() as i32);
        } else {
            self.push(&String::from_utf8_lossy(bytes));
        }
    }

    /// Appends every string of `other`.
    fn append(&mut self, other: &StrColumn) {
        for i in 0..other.len() {
            let (start, end) = (other.offsets[i] as usize, other.offsets[i + 1] as usize);
            self.push_bytes(&other.data[start..end]);
        }
    }

    /// Appends bytes taken from another column (valid UTF-8 there, hence here).
    fn push_bytes(&mut self, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(s) => self.push(s),
            Err(_) => self.push(&String::from_utf8_lossy(bytes)),
        }
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`, if any.
    pub fn get(&self, i: usize) -> Option<&str> {
        let start = usize::try_from(*self.offsets.get(i)?).ok()?;
        let end = usize::try_from(*self.offsets.get(i + 1)?).ok()?;
        std::str::from_utf8(self.data.get(start..end)?).ok()
    }

    /// Arrow offsets (`len() + 1` entries) and UTF-8 data, moved out.
    pub fn into_parts(self) -> (Vec<i32>, Vec<u8>) {
        (self.offsets, self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        let mut s = StrColumn::default();
        for t in ["TT", "", "été"] {
            s.push(t);
        }
        assert_eq!(s.len(), 3);
        assert_eq!(s.get(0), Some("TT"));
        assert_eq!(s.get(1), Some(""));
        assert_eq!(s.get(2), Some("été"));
        assert_eq!(s.get(3), None);
        let (offsets, data) = s.into_parts();
        assert_eq!(offsets, vec![0, 2, 2, 7]);
        assert_eq!(data.len(), 7);
    }

    #[test]
    fn all_valid_drops_the_bitmap() {
        let c = Column::with_validity("x", ColumnValues::Int32(vec![1, 2]), vec![true, true]);
        assert!(c.valid.is_none());
        let c = Column::with_validity("x", ColumnValues::Int32(vec![1, 2]), vec![true, false]);
        assert_eq!(c.valid, Some(vec![true, false]));
    }
}
