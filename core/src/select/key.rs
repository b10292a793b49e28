//! The keys an expression can test, and how each is read from a record header.

use crate::record::RecordHeader;

/// A record key that can be selected on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Key {
    /// Variable name.
    Nomvar,
    /// Type of field.
    Typvar,
    /// Label.
    Etiket,
    /// Grid type letter.
    Grtyp,
    /// ip1: a level.
    Ip1,
    /// ip2: mostly a time (an old-style ip2 is hours).
    Ip2,
    /// ip3.
    Ip3,
    /// Valid date.
    Datev,
    /// Origin date.
    Dateo,
    /// Forecast hours, `deet·npas/3600`.
    Lead,
    /// ni.
    Ni,
    /// nj.
    Nj,
    /// nk.
    Nk,
    /// ig1.
    Ig1,
    /// ig2.
    Ig2,
    /// ig3.
    Ig3,
    /// ig4.
    Ig4,
    /// Time step in seconds.
    Deet,
    /// Step number.
    Npas,
    /// Stored data type, flags (+64, +128) included.
    Datyp,
    /// Packed bits per value.
    Nbits,
}

/// What kind of values a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyClass {
    Name,
    Ip,
    Date,
    Hours,
    Int,
}

impl Key {
    /// Every key, in the order the names are listed.
    pub const ALL: [Key; 21] = [
        Key::Nomvar,
        Key::Typvar,
        Key::Etiket,
        Key::Grtyp,
        Key::Ip1,
        Key::Ip2,
        Key::Ip3,
        Key::Datev,
        Key::Dateo,
        Key::Lead,
        Key::Ni,
        Key::Nj,
        Key::Nk,
        Key::Ig1,
        Key::Ig2,
        Key::Ig3,
        Key::Ig4,
        Key::Deet,
        Key::Npas,
        Key::Datyp,
        Key::Nbits,
    ];

    /// The key's name in expressions (fstpy/librmn spelling).
    pub fn name(self) -> &'static str {
        match self {
            Key::Nomvar => "nomvar",
            Key::Typvar => "typvar",
            Key::Etiket => "etiket",
            Key::Grtyp => "grtyp",
            Key::Ip1 => "ip1",
            Key::Ip2 => "ip2",
            Key::Ip3 => "ip3",
            Key::Datev => "datev",
            Key::Dateo => "dateo",
            Key::Lead => "lead",
            Key::Ni => "ni",
            Key::Nj => "nj",
            Key::Nk => "nk",
            Key::Ig1 => "ig1",
            Key::Ig2 => "ig2",
            Key::Ig3 => "ig3",
            Key::Ig4 => "ig4",
            Key::Deet => "deet",
            Key::Npas => "npas",
            Key::Datyp => "datyp",
            Key::Nbits => "nbits",
        }
    }

    /// The key called `name` (case folded; `level`, `date` and `fhour` are aliases).
    pub fn from_name(name: &str) -> Option<Key> {
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "level" => return Some(Key::Ip1),
            "date" => return Some(Key::Datev),
            "fhour" | "forecast_hour" => return Some(Key::Lead),
            _ => {}
        }
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    pub(super) fn class(self) -> KeyClass {
        match self {
            Key::Nomvar | Key::Typvar | Key::Etiket | Key::Grtyp => KeyClass::Name,
            Key::Ip1 | Key::Ip2 | Key::Ip3 => KeyClass::Ip,
            Key::Datev | Key::Dateo => KeyClass::Date,
            Key::Lead => KeyClass::Hours,
            _ => KeyClass::Int,
        }
    }

    /// The integer a header holds for an integer, ip or date key.
    pub(super) fn int(self, h: &RecordHeader) -> i64 {
        match self {
            Key::Ip1 => h.ip1.into(),
            Key::Ip2 => h.ip2.into(),
            Key::Ip3 => h.ip3.into(),
            Key::Datev => h.datev.into(),
            Key::Dateo => h.dateo.into(),
            Key::Ni => h.ni.into(),
            Key::Nj => h.nj.into(),
            Key::Nk => h.nk.into(),
            Key::Ig1 => h.ig1.into(),
            Key::Ig2 => h.ig2.into(),
            Key::Ig3 => h.ig3.into(),
            Key::Ig4 => h.ig4.into(),
            Key::Deet => h.deet.into(),
            Key::Npas => h.npas.into(),
            Key::Datyp => h.datyp.raw().into(),
            Key::Nbits => h.nbits.into(),
            Key::Nomvar | Key::Typvar | Key::Etiket | Key::Grtyp | Key::Lead => 0,
        }
    }

    /// The text a header holds for a name key.
    pub(super) fn text(self, h: &RecordHeader) -> &str {
        match self {
            Key::Nomvar => h.nomvar.trimmed(),
            Key::Typvar => h.typvar.trimmed(),
            Key::Etiket => h.etiket.trimmed(),
            Key::Grtyp => std::str::from_utf8(std::slice::from_ref(&h.grtyp)).unwrap_or(""),
            _ => "",
        }
    }
}
