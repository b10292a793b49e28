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

/// Strings in Arrow's view layout (`Utf8View`): one 16-byte view per row; a string of up
/// to 12 bytes lives inside its view, a longer one in `data`, which its view points into.
/// Consumers such as Polars keep their strings this way, so the column crosses without a
/// conversion, and a long string repeated on many rows (a path) is stored once.
///
/// Invariant (the bindings hand the views over without re-checking them): every view is
/// built here from a `&str` or from ASCII bytes, so it describes valid UTF-8; inline bytes
/// past the length are zero; a long view's range lies inside `data` (buffer 0) and its
/// prefix is the string's first 4 bytes.
#[derive(Debug, Clone, Default)]
pub struct StrColumn {
    views: Vec<u128>,
    data: Vec<u8>,
    /// Where the last few long strings are in `data`, to store a repeated one once.
    recent: [(u32, u32); RECENT],
    /// Next slot of `recent` to replace.
    next_recent: usize,
    /// The last string given to [`StrColumn::push_static`] (address and length) and its
    /// view: most rows repeat the previous row's unit or type name.
    last_static: Option<(usize, usize, u128)>,
}

/// A short text (at most [`MAX_INLINE`] bytes) with its view made once, for a value that
/// many rows repeat (the parts of an etiket, a grid key).
#[derive(Debug, Clone)]
pub(super) struct ShortText {
    text: String,
    view: Option<u128>,
}

impl ShortText {
    pub(super) fn new(text: String) -> Self {
        let view = (text.len() <= MAX_INLINE).then(|| inline_view(text.as_bytes()));
        ShortText { text, view }
    }
}

/// Equal strings, however they are laid out (a long string may be shared or not).
impl PartialEq for StrColumn {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

/// Longest string kept inside its view.
const MAX_INLINE: usize = 12;
/// Long strings remembered for reuse (a path, a few vertical coordinate names).
const RECENT: usize = 4;

// A view's 16 bytes are kept in memory in Arrow's order (`u128::from_ne_bytes`), so that
// they can be read back in place on any target.

/// The view of a string of at most [`MAX_INLINE`] bytes: length, then the bytes, zero
/// padded. Read as a few overlapping words (no copy of variable length, which costs
/// more than the rest of a row's string).
fn inline_view(bytes: &[u8]) -> u128 {
    debug_assert!(bytes.len() <= MAX_INLINE);
    let n = bytes.len();
    let word = |at: usize| {
        u64::from(u32::from_le_bytes([
            bytes[at],
            bytes[at + 1],
            bytes[at + 2],
            bytes[at + 3],
        ]))
    };
    // The bytes as a little-endian number; overlapping reads put equal bytes in the
    // same places.
    let text: u128 = match n {
        0 => 0,
        1..=3 => {
            let (mid, last) = (n / 2, n - 1);
            u128::from(bytes[0])
                | u128::from(bytes[mid]) << (8 * mid)
                | u128::from(bytes[last]) << (8 * last)
        }
        4..=7 => u128::from(word(0) | word(n - 4) << (8 * (n - 4))),
        _ => {
            let low = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
            let high = u64::from_le_bytes(bytes[n - 8..n].try_into().expect("8 bytes"));
            u128::from(low) | u128::from(high) << (8 * (n - 8))
        }
    };
    from_arrow(n as u128 | text << 32)
}

/// A view as kept in memory (Arrow's byte order) from its little-endian value.
fn from_arrow(value: u128) -> u128 {
    value.to_le()
}

/// The view of a long string at `start` in the data buffer: length, first 4 bytes,
/// buffer index 0, offset.
fn long_view(bytes: &[u8], start: u32) -> u128 {
    let mut v = [0u8; 16];
    v[..4].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
    v[4..8].copy_from_slice(&bytes[..4]);
    v[12..].copy_from_slice(&start.to_le_bytes());
    u128::from_ne_bytes(v)
}

/// A view's length and, for a long string, its offset in the data buffer.
fn view_parts(view: &u128) -> (usize, usize) {
    let v = view.to_ne_bytes();
    let word = |at: usize| u32::from_le_bytes([v[at], v[at + 1], v[at + 2], v[at + 3]]);
    (word(0) as usize, word(12) as usize)
}

impl StrColumn {
    /// An empty column with room for `rows` strings; `width`, their usual length in
    /// bytes, reserves room for long ones.
    pub fn with_capacity(rows: usize, width: usize) -> Self {
        let long = if width > MAX_INLINE {
            width * RECENT
        } else {
            0
        };
        StrColumn {
            views: Vec::with_capacity(rows),
            data: Vec::with_capacity(long),
            ..StrColumn::default()
        }
    }

    /// Appends one string. Arrow's 32-bit offsets cap the long strings of a column at
    /// `i32::MAX` bytes; past that, strings are cut (on a character boundary) rather than
    /// letting offsets wrap.
    pub fn push(&mut self, s: &str) {
        if s.len() <= MAX_INLINE {
            self.views.push(inline_view(s.as_bytes()));
            return;
        }
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
        self.push_long(take.as_bytes());
    }

    /// Appends a text made for many rows.
    pub(super) fn push_text(&mut self, s: &ShortText) {
        match s.view {
            Some(view) => self.views.push(view),
            None => self.push(&s.text),
        }
    }

    /// Appends a static string (a unit or type name), its view reused when the previous
    /// static string pushed was the same one (a static string is never freed, so its
    /// address names it).
    pub(super) fn push_static(&mut self, s: &'static str) {
        let key = (s.as_ptr() as usize, s.len());
        match self.last_static {
            Some((at, len, view)) if (at, len) == key => self.views.push(view),
            _ => {
                self.push(s);
                let view = self.views[self.views.len() - 1];
                self.last_static = Some((key.0, key.1, view));
            }
        }
    }

    /// Appends `s` `n` times (its view is made once).
    pub(crate) fn push_repeated(&mut self, s: &str, n: usize) {
        if n == 0 {
            return;
        }
        self.push(s);
        let view = self.views[self.views.len() - 1];
        self.views.resize(self.views.len() + n - 1, view);
    }

    /// Appends valid UTF-8 `bytes` longer than [`MAX_INLINE`] that fit in `data`'s
    /// offsets, reusing a recent copy of the same string.
    fn push_long(&mut self, bytes: &[u8]) {
        if bytes.len() <= MAX_INLINE {
            self.views.push(inline_view(bytes));
            return;
        }
        let found = self.recent.iter().copied().find(|&(start, len)| {
            len as usize == bytes.len() && self.data[start as usize..][..bytes.len()] == *bytes
        });
        let start = match found {
            Some((start, _)) => start,
            None => {
                let start = self.data.len() as u32;
                self.data.extend_from_slice(bytes);
                self.recent[self.next_recent] = (start, bytes.len() as u32);
                self.next_recent = (self.next_recent + 1) % RECENT;
                start
            }
        };
        self.views.push(long_view(bytes, start));
    }

    /// Appends a blank-padded record name without its trailing blanks (names of at most
    /// 12 characters, which fit in their view).
    pub(crate) fn push_name<const N: usize>(&mut self, name: &Name<N>) {
        let bytes = name.as_bytes();
        let len = bytes.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1);
        // Names hold ASCII 32..95 by construction; checked anyway, the views rely on it.
        if N <= MAX_INLINE && bytes.is_ascii() {
            // The whole name (a copy of fixed size), then the blanks masked off.
            let mut text = [0u8; 16];
            text[..N].copy_from_slice(bytes);
            let kept = if len == 0 {
                0
            } else {
                u128::MAX >> (128 - 8 * len)
            };
            let text = u128::from_le_bytes(text) & kept;
            self.views.push(from_arrow(len as u128 | text << 32));
        } else {
            self.push(&String::from_utf8_lossy(&bytes[..len]));
        }
    }

    /// Appends text given as bytes, ASCII in practice (checked: anything else goes
    /// through [`StrColumn::push`] as lossy UTF-8).
    pub(crate) fn push_ascii(&mut self, bytes: &[u8]) {
        if bytes.len() <= MAX_INLINE && bytes.is_ascii() {
            self.views.push(inline_view(bytes));
        } else {
            self.push(&String::from_utf8_lossy(bytes));
        }
    }

    /// Appends every string of `other`.
    fn append(&mut self, other: &StrColumn) {
        self.views.reserve(other.len());
        for (i, &view) in other.views.iter().enumerate() {
            if view_parts(&view).0 <= MAX_INLINE {
                self.views.push(view);
            } else {
                let s = other.get(i).expect("a view of the column");
                self.push(s);
            }
        }
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.views.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.views.is_empty()
    }

    /// Row `i`, if any.
    pub fn get(&self, i: usize) -> Option<&str> {
        let view = self.views.get(i)?;
        let (len, start) = view_parts(view);
        let bytes = if len <= MAX_INLINE {
            // Inline: in the view itself, after the length.
            &bytemuck::bytes_of(view)[4..4 + len]
        } else {
            self.data.get(start..start.checked_add(len)?)?
        };
        std::str::from_utf8(bytes).ok()
    }

    /// Arrow's views (`len()` of them) and the one data buffer they point into, moved out.
    pub fn into_views(self) -> (Vec<u128>, Vec<u8>) {
        (self.views, self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        let mut s = StrColumn::default();
        let long = "/a/path/longer/than/twelve.fst";
        for t in ["TT", "", "été", long, "twelve bytes", long, "thirteen byte"] {
            s.push(t);
        }
        s.push_name(&Name::<4>::new("UU"));
        s.push_ascii(b"xdf");
        assert_eq!(s.len(), 9);
        let all: Vec<_> = (0..s.len()).map(|i| s.get(i).unwrap()).collect();
        assert_eq!(
            all,
            [
                "TT",
                "",
                "été",
                long,
                "twelve bytes",
                long,
                "thirteen byte",
                "UU",
                "xdf"
            ]
        );
        assert_eq!(s.get(9), None);
        let (views, data) = s.clone().into_views();
        assert_eq!(views.len(), 9);
        // The repeated path is stored once.
        assert_eq!(data.len(), long.len() + "thirteen byte".len());
        // Arrow's layout: length, then inline bytes zero padded / prefix and offset.
        let tt = views[0].to_ne_bytes();
        assert_eq!(tt[..6], [2, 0, 0, 0, b'T', b'T']);
        assert!(tt[6..].iter().all(|&b| b == 0));
        let p = views[5].to_ne_bytes();
        assert_eq!(p[..4], (long.len() as u32).to_le_bytes());
        assert_eq!(p[4..8], long.as_bytes()[..4]);
        assert_eq!(p[8..12], [0; 4]);
        assert_eq!(p[12..], [0; 4]);
        // Appending re-stores the other column's long strings in this one's buffer.
        let mut t = StrColumn::default();
        t.push("another long string");
        t.append(&s);
        assert_eq!(t.len(), 10);
        assert_eq!(t.get(4), Some(long));
        assert_eq!(t.get(7), Some("thirteen byte"));
        let mut u = StrColumn::default();
        u.push("another long string");
        for x in all {
            u.push(x);
        }
        assert_eq!(t, u);
    }

    #[test]
    fn repeated_and_cached_strings_equal_plain_pushes() {
        const LONG: &str = "METER_GROUND_LEVEL";
        let mut fast = StrColumn::default();
        let mut plain = StrColumn::default();
        let label = ShortText::new("580V0".to_owned());
        let long = ShortText::new("a label past twelve".to_owned());
        for s in [LONG, "mb", "mb", LONG, "", "HYBRID_5005", LONG] {
            fast.push_static(s);
            plain.push(s);
        }
        fast.push_text(&label);
        fast.push_text(&long);
        fast.push_repeated("/a/path/longer/than/twelve.fst", 3);
        fast.push_repeated("xdf", 2);
        fast.push_repeated("none", 0);
        for s in ["580V0", "a label past twelve"] {
            plain.push(s);
        }
        for _ in 0..3 {
            plain.push("/a/path/longer/than/twelve.fst");
        }
        plain.push("xdf");
        plain.push("xdf");
        assert_eq!(fast.len(), 14);
        assert_eq!(fast, plain);
        // The views themselves are the same (a long string stored once, as before).
        assert_eq!(fast.clone().into_views(), plain.clone().into_views());
    }

    #[test]
    fn inline_views_are_arrows_layout_at_every_length() {
        let text = b"ABCDEFGHIJKL";
        for n in 0..=MAX_INLINE {
            let mut want = [0u8; 16];
            want[..4].copy_from_slice(&(n as u32).to_le_bytes());
            want[4..4 + n].copy_from_slice(&text[..n]);
            assert_eq!(inline_view(&text[..n]).to_ne_bytes(), want, "length {n}");
            let mut s = StrColumn::default();
            s.push_name(&Name::<12>::new(std::str::from_utf8(&text[..n]).unwrap()));
            assert_eq!(s.views[0].to_ne_bytes(), want, "name of length {n}");
        }
    }

    #[test]
    fn all_valid_drops_the_bitmap() {
        let c = Column::with_validity("x", ColumnValues::Int32(vec![1, 2]), vec![true, true]);
        assert!(c.valid.is_none());
        let c = Column::with_validity("x", ColumnValues::Int32(vec![1, 2]), vec![true, false]);
        assert_eq!(c.valid, Some(vec![true, false]));
    }
}
