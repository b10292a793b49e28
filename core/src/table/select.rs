//! fstinl-style record selection: each key is a wildcard, one value, or a list of values.
//!
//! As in librmn, `-1` for an integer key and a blank name are wildcards. Names may also end
//! in `*` to match a prefix (`etiket="R1*"`), which librmn does not offer but users ask for.

use crate::file::Record;
use crate::record::RecordHeader;

/// One name criterion: exact (blank padded, case folded like librmn) or a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NamePattern {
    Exact(String),
    Prefix(String),
}

impl NamePattern {
    /// `None` for a wildcard (blank text or a lone `*`).
    fn parse(text: &str) -> Option<NamePattern> {
        let folded = text.trim_end().to_ascii_uppercase();
        match folded.strip_suffix('*') {
            Some("") => None,
            Some(prefix) => Some(NamePattern::Prefix(prefix.to_owned())),
            None if folded.trim().is_empty() => None,
            None => Some(NamePattern::Exact(folded)),
        }
    }

    fn matches(&self, stored: &str) -> bool {
        let stored = stored.trim_end();
        match self {
            NamePattern::Exact(want) => stored == want,
            NamePattern::Prefix(p) => stored.starts_with(p.as_str()),
        }
    }
}

/// Which records to select; an empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    nomvar: Vec<NamePattern>,
    typvar: Vec<NamePattern>,
    etiket: Vec<NamePattern>,
    grtyp: Vec<NamePattern>,
    ints: Vec<(IntKey, Vec<i32>)>,
}

/// Integer keys that can be searched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntKey {
    /// ip1.
    Ip1,
    /// ip2.
    Ip2,
    /// ip3.
    Ip3,
    /// Valid date stamp.
    Datev,
    /// Origin date stamp.
    Dateo,
    /// ig1.
    Ig1,
    /// ig2.
    Ig2,
    /// ig3.
    Ig3,
    /// ig4.
    Ig4,
    /// ni.
    Ni,
    /// nj.
    Nj,
    /// nk.
    Nk,
    /// deet.
    Deet,
    /// npas.
    Npas,
    /// datyp (flags included).
    Datyp,
    /// nbits.
    Nbits,
}

impl IntKey {
    /// The key named `name` (fstpy/librmn spelling), if any.
    pub fn from_name(name: &str) -> Option<IntKey> {
        Some(match name {
            "ip1" => IntKey::Ip1,
            "ip2" => IntKey::Ip2,
            "ip3" => IntKey::Ip3,
            "datev" => IntKey::Datev,
            "dateo" => IntKey::Dateo,
            "ig1" => IntKey::Ig1,
            "ig2" => IntKey::Ig2,
            "ig3" => IntKey::Ig3,
            "ig4" => IntKey::Ig4,
            "ni" => IntKey::Ni,
            "nj" => IntKey::Nj,
            "nk" => IntKey::Nk,
            "deet" => IntKey::Deet,
            "npas" => IntKey::Npas,
            "datyp" => IntKey::Datyp,
            "nbits" => IntKey::Nbits,
            _ => return None,
        })
    }

    fn get(self, h: &RecordHeader) -> i64 {
        match self {
            IntKey::Ip1 => h.ip1.into(),
            IntKey::Ip2 => h.ip2.into(),
            IntKey::Ip3 => h.ip3.into(),
            IntKey::Datev => h.datev.into(),
            IntKey::Dateo => h.dateo.into(),
            IntKey::Ig1 => h.ig1.into(),
            IntKey::Ig2 => h.ig2.into(),
            IntKey::Ig3 => h.ig3.into(),
            IntKey::Ig4 => h.ig4.into(),
            IntKey::Ni => h.ni.into(),
            IntKey::Nj => h.nj.into(),
            IntKey::Nk => h.nk.into(),
            IntKey::Deet => h.deet.into(),
            IntKey::Npas => h.npas.into(),
            IntKey::Datyp => h.datyp.raw().into(),
            IntKey::Nbits => h.nbits.into(),
        }
    }
}

/// The string keys that can be searched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameKey {
    /// Variable name.
    Nomvar,
    /// Type of field.
    Typvar,
    /// Label.
    Etiket,
    /// Grid type.
    Grtyp,
}

impl NameKey {
    /// The key named `name`, if any.
    pub fn from_name(name: &str) -> Option<NameKey> {
        Some(match name {
            "nomvar" => NameKey::Nomvar,
            "typvar" => NameKey::Typvar,
            "etiket" => NameKey::Etiket,
            "grtyp" => NameKey::Grtyp,
            _ => return None,
        })
    }
}

impl Criteria {
    /// Matches every record.
    pub fn any() -> Self {
        Criteria::default()
    }

    /// Adds accepted values for a name key (blank or `*` alone: wildcard, `ABC*`: prefix).
    #[must_use]
    pub fn names<'a>(mut self, key: NameKey, values: impl IntoIterator<Item = &'a str>) -> Self {
        let list = match key {
            NameKey::Nomvar => &mut self.nomvar,
            NameKey::Typvar => &mut self.typvar,
            NameKey::Etiket => &mut self.etiket,
            NameKey::Grtyp => &mut self.grtyp,
        };
        let mut parsed = Vec::new();
        for v in values {
            match NamePattern::parse(v) {
                Some(p) => parsed.push(p),
                // One wildcard in the list makes the whole key a wildcard.
                None => {
                    parsed.clear();
                    list.clear();
                    return self;
                }
            }
        }
        list.extend(parsed);
        self
    }

    /// Adds accepted values for an integer key (`-1`: wildcard, as librmn).
    #[must_use]
    pub fn ints(mut self, key: IntKey, values: impl IntoIterator<Item = i32>) -> Self {
        let values: Vec<i32> = values.into_iter().collect();
        if values.is_empty() || values.contains(&-1) {
            return self;
        }
        self.ints.push((key, values));
        self
    }

    /// True when `h` satisfies every criterion.
    pub fn matches(&self, h: &RecordHeader) -> bool {
        fn any_name(list: &[NamePattern], stored: &str) -> bool {
            list.is_empty() || list.iter().any(|p| p.matches(stored))
        }
        any_name(&self.nomvar, h.nomvar.as_str())
            && any_name(&self.typvar, h.typvar.as_str())
            && any_name(&self.etiket, h.etiket.as_str())
            && any_name(&self.grtyp, char::from(h.grtyp).encode_utf8(&mut [0; 4]))
            && self.ints.iter().all(|(key, values)| {
                let v = key.get(h);
                values.iter().any(|&w| i64::from(w) == v)
            })
    }

    /// Directory indices of the matching records, in file order (what `fstinl` returns).
    pub fn select(&self, records: &[Record]) -> Vec<usize> {
        records
            .iter()
            .filter(|r| self.matches(&r.header))
            .map(|r| r.index)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Name, SearchKeys};
    use crate::Backend;

    fn header(nomvar: &str, etiket: &str, ip1: u32) -> RecordHeader {
        let mut w = [0u32; 16];
        w[11] = (Name::<4>::new(nomvar).to_code6() as u32) << 8;
        let e = Name::<12>::new(etiket).to_code6();
        w[8] = ((e >> 42) as u32) << 2;
        w[9] = (((e >> 12) & 0x3FFF_FFFF) as u32) << 2;
        w[10] = ((e & 0xFFF) as u32) << 20;
        w[12] = ip1 << 4;
        RecordHeader::from_keys(&SearchKeys(w), Backend::Xdf)
    }

    #[test]
    fn wildcards_lists_and_prefixes() {
        let tt = header("TT", "R1_V710", 12000);
        let gz = header("GZ", "G133K80", 500);
        assert!(Criteria::any().matches(&tt));
        let c = Criteria::any().names(NameKey::Nomvar, ["tt"]);
        assert!(c.matches(&tt) && !c.matches(&gz));
        let c = Criteria::any().names(NameKey::Nomvar, ["TT", "GZ"]);
        assert!(c.matches(&tt) && c.matches(&gz));
        let c = Criteria::any().names(NameKey::Etiket, ["G1*"]);
        assert!(!c.matches(&tt) && c.matches(&gz));
        let c = Criteria::any().names(NameKey::Etiket, ["    "]);
        assert!(c.matches(&tt) && c.matches(&gz));
        let c = Criteria::any().ints(IntKey::Ip1, [500]);
        assert!(!c.matches(&tt) && c.matches(&gz));
        let c = Criteria::any().ints(IntKey::Ip1, [-1]);
        assert!(c.matches(&tt) && c.matches(&gz));
        let c = Criteria::any()
            .names(NameKey::Nomvar, ["TT"])
            .ints(IntKey::Ip1, [500]);
        assert!(!c.matches(&tt) && !c.matches(&gz));
    }
}
