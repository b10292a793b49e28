//! One record-selection language for every front end: the CLI's `--where`/`--exclude`
//! and key options, Python's `File.find(...)` and the browser's filter box.
//!
//! An expression is a list of clauses separated by blanks; a record is selected when it
//! satisfies every clause. A clause is `key=values` (or `key!=values` to exclude), values
//! separated by commas, any of which may match:
//!
//! ```text
//! nomvar=TT,UU etiket=G1* ip1=850mb,500mb datev=2020-01-01T00..2020-01-02 ni=100:200
//! ```
//!
//! | keys | values |
//! |---|---|
//! | `nomvar typvar etiket grtyp` | names, case folded, `*`/`?` wildcards anywhere |
//! | `ip1` (alias `level`), `ip2`, `ip3` | a decoded value with its unit (`850mb`, `0.5hy`, `10m`, `12h`), a range (`0.5:1.0hy`, `100..500mb`), or a raw code; a code or value matches both the old and the new encoding of the same level, as librmn's `ip1_all`/`ip_is_equal` |
//! | `datev` (alias `date`), `dateo` | ISO 8601 (`2020-01-01`, `2020-01-01T06`, `2020-01-01T06:30:00Z`), compact `YYYYMMDD[HH[MM[SS]]]`, a 9-digit CMC stamp; ranges `A..B` or `A/B`, open ends allowed |
//! | `lead` (alias `fhour`) | forecast hours `deet·npas/3600`, values or ranges (`0:24`, `6h`) |
//! | `ni nj nk ig1 ig2 ig3 ig4 deet npas datyp nbits` | integers or ranges `A:B`, `A..B`, open ends allowed |
//!
//! Units are `voir`'s: `m` (height above sea), `sg`, `mb` (or `hPa`), `M` (height above
//! ground), `hy`, `th`, `m-` (depth), `H` (or `h`, hours), `mp`, `_0` (integer), `arb`
//! (arbitrary code). `m` and `M` are case sensitive, the others are not.
//!
//! ```
//! use fst24::select::Selection;
//! let s = Selection::parse("nomvar=TT ip1=850mb etiket=G1*")?;
//! assert!(!s.is_empty());
//! # Ok::<(), fst24::select::SelectError>(())
//! ```

mod date;
mod key;
mod level;
mod matcher;
mod parse;
#[cfg(test)]
mod tests;

pub use key::Key;

use crate::file::Record;
use crate::record::RecordHeader;

use matcher::Matcher;

/// Why an expression or a value could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SelectError {
    message: String,
}

impl SelectError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        SelectError {
            message: message.into(),
        }
    }
}

/// A code standing for every encoding of the same ip value at `key`'s position (ip1,
/// ip2 or ip3): equal for an old-style code and the new-style code of the same level
/// (librmn's `ip_is_equal`), so records can be matched across encodings by hashing it.
pub fn canonical_ip(key: Key, ip: i32) -> i32 {
    level::decode_at(key, ip)
        .and_then(|l| crate::ip::encode_ip(l.value, l.kind, crate::ip::IpStyle::New).ok())
        .unwrap_or(ip)
}

/// One ip value of the language: a raw code, or a decoded value with its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IpValue {
    /// A code as stored.
    Code(i32),
    /// A value of a kind (`850mb`).
    Level(crate::ip::Level),
}

/// Parses one ip value (`850mb`, `12h`, `41394464`), e.g. to edit keys with it.
///
/// # Errors
/// [`SelectError`] for ranges, lists, unknown units or numbers without one.
pub fn parse_ip(text: &str) -> Result<IpValue, SelectError> {
    match parse::values(Key::Ip1, text)?.as_slice() {
        [Matcher::IpCode(c)] => Ok(IpValue::Code(*c)),
        [Matcher::IpLevel(l)] => Ok(IpValue::Level(*l)),
        _ => Err(SelectError::new(format!("{text:?} is not one ip value"))),
    }
}

/// Parses one date of the language (ISO 8601, `YYYYMMDD[HH[MM[SS]]]`, a 9-digit stamp)
/// to seconds since 1970-01-01T00:00Z.
///
/// # Errors
/// [`SelectError`] when it is not a date.
pub fn parse_date(text: &str) -> Result<i64, SelectError> {
    date::seconds(text)
}

/// One key with the values it accepts (any of them), possibly negated.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    key: Key,
    negated: bool,
    any_of: Vec<Matcher>,
}

impl Clause {
    /// Parses the values text of `key` (`"TT,UU"`, `"850mb"`, `"2020-01-01..2020-01-02"`).
    /// `None` when the values are a wildcard (`*` alone, or empty), which matches anything.
    ///
    /// # Errors
    /// [`SelectError`] naming the key and the value it cannot read.
    pub fn parse(key: Key, values: &str) -> Result<Option<Clause>, SelectError> {
        let any_of = parse::values(key, values)?;
        Ok((!any_of.is_empty()).then_some(Clause {
            key,
            negated: false,
            any_of,
        }))
    }

    /// The same clause, selecting the records it would not.
    #[must_use]
    pub fn negate(mut self) -> Clause {
        self.negated = !self.negated;
        self
    }

    /// True when `h` satisfies the clause.
    pub fn matches(&self, h: &RecordHeader) -> bool {
        self.any_of.iter().any(|m| m.matches(self.key, h)) != self.negated
    }
}

/// Clauses that must all hold, and groups of clauses whose records are excluded
/// (editfst's `DESIRE` and `EXCLURE`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    clauses: Vec<Clause>,
    excluded: Vec<Vec<Clause>>,
}

impl Selection {
    /// Selects every record.
    pub fn any() -> Self {
        Selection::default()
    }

    /// Parses an expression (`nomvar=TT ip1=850mb etiket=G1*`); blank text selects all.
    ///
    /// # Errors
    /// [`SelectError`] naming the clause it cannot read.
    pub fn parse(text: &str) -> Result<Selection, SelectError> {
        let mut s = Selection::any();
        for (key, negated, values) in parse::clauses(text)? {
            let key = Key::from_name(&key)
                .ok_or_else(|| SelectError::new(format!("unknown key {key:?}")))?;
            if let Some(c) = Clause::parse(key, &values)? {
                s.clauses.push(if negated { c.negate() } else { c });
            }
        }
        Ok(s)
    }

    /// Adds the clause `key=values` (see [`Clause::parse`]).
    ///
    /// # Errors
    /// As [`Clause::parse`].
    pub fn and(mut self, key: Key, values: &str) -> Result<Selection, SelectError> {
        if let Some(c) = Clause::parse(key, values)? {
            self.clauses.push(c);
        }
        Ok(self)
    }

    /// Adds a clause.
    #[must_use]
    pub fn and_clause(mut self, clause: Clause) -> Selection {
        self.clauses.push(clause);
        self
    }

    /// Also adds `other`'s clauses and exclusions.
    #[must_use]
    pub fn and_selection(mut self, other: Selection) -> Selection {
        self.clauses.extend(other.clauses);
        self.excluded.extend(other.excluded);
        self
    }

    /// Drops the records that satisfy every clause of `other` (editfst `EXCLURE`). An
    /// empty `other` excludes nothing.
    #[must_use]
    pub fn exclude(mut self, other: Selection) -> Selection {
        if !other.clauses.is_empty() {
            self.excluded.push(other.clauses);
        }
        self.excluded.extend(other.excluded);
        self
    }

    /// True when nothing restricts the selection.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.excluded.is_empty()
    }

    /// True when `h` is selected.
    pub fn matches(&self, h: &RecordHeader) -> bool {
        self.clauses.iter().all(|c| c.matches(h))
            && !self
                .excluded
                .iter()
                .any(|group| group.iter().all(|c| c.matches(h)))
    }

    /// Directory indices of the selected records, in file order.
    pub fn select(&self, records: &[Record]) -> Vec<usize> {
        records
            .iter()
            .filter(|r| self.matches(&r.header))
            .map(|r| r.index)
            .collect()
    }
}
