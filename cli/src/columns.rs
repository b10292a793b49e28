//! Columns of a record listing: raw keys and their decodings (`voir` conventions), typed
//! so that tables, CSV and JSON show the same values.

use fst24::ip::{decode_ip, is_new_style};
use fst24::time::stamp_to_iso;
use fst24::RecordHeader;

/// One value of a listing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Int(i64),
    /// A value that came from single precision (levels, hours): shortest text.
    Float(f64),
    /// A computed statistic: 7 significant digits in text, full precision in JSON.
    Sci(f64),
    Text(String),
    Null,
}

impl Cell {
    /// As a table or CSV shows it.
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => short(*f),
            Cell::Sci(f) => sci(*f),
            Cell::Text(t) => t.clone(),
            Cell::Null => "-".into(),
        }
    }

    /// As JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        match self {
            Cell::Int(i) => (*i).into(),
            Cell::Float(f) => number(short(*f).parse().unwrap_or(*f)),
            Cell::Sci(f) => number(*f),
            Cell::Text(t) => t.clone().into(),
            Cell::Null => serde_json::Value::Null,
        }
    }

    /// Numbers align right in a table.
    pub(crate) fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(_) | Cell::Sci(_))
    }
}

fn number(f: f64) -> serde_json::Value {
    serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
}

/// Shortest text of a value, as single precision when it is one (0.995, not 0.99500000476).
fn short(f: f64) -> String {
    if f64::from(f as f32) == f {
        format!("{}", f as f32)
    } else {
        format!("{f}")
    }
}

/// `1.234567e+02`: the width of fststat's `e13.6`, Rust's exponent made explicit.
pub(crate) fn sci(f: f64) -> String {
    if !f.is_finite() {
        return format!("{f}");
    }
    let text = format!("{f:.6e}");
    match text.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
            format!("{m}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

/// Column names accepted by `--columns`, with what they show.
pub(crate) const COLUMNS: &[(&str, &str)] = &[
    ("path", "file the record comes from"),
    ("key", "directory index (what `dump --record` takes)"),
    ("nomvar", "variable name"),
    ("typvar", "type of field"),
    ("etiket", "label"),
    ("ni", "points along i"),
    ("nj", "points along j"),
    ("nk", "points along k"),
    (
        "dateo",
        "origin date, ISO 8601 (null when the stamp is not a date)",
    ),
    ("datev", "valid date, ISO 8601"),
    ("stampo", "origin date stamp as stored"),
    ("stampv", "valid date stamp"),
    ("lead", "forecast hours deet*npas/3600"),
    ("level", "ip1 decoded value (null for grid descriptors)"),
    ("kind", "ip1 unit as voir prints it (mb, hy, sg, m, M, ...)"),
    ("ip1", "ip1 as stored"),
    ("ip2", "ip2 as stored"),
    ("ip3", "ip3 as stored"),
    (
        "ip2d",
        "ip2 decoded (new style: value and unit; old style: hours)",
    ),
    ("ip3d", "ip3 decoded (new style only)"),
    ("deet", "time step, seconds"),
    ("npas", "step number"),
    (
        "dty",
        "datyp as voir prints it: letter, m if missing values, bits (R16, Em32, f16 compressed)",
    ),
    ("datyp", "datyp as stored (flags included)"),
    ("nbits", "packed bits"),
    ("grtyp", "grid type"),
    ("ig1", "grid descriptor 1"),
    ("ig2", "grid descriptor 2"),
    ("ig3", "grid descriptor 3"),
    ("ig4", "grid descriptor 4"),
];

/// The decoded listing (voir's fields, decoded).
pub(crate) const DECODED: &[&str] = &[
    "key", "nomvar", "typvar", "etiket", "ni", "nj", "nk", "datev", "lead", "level", "kind",
    "ip2d", "ip3", "dty", "grtyp", "ig1", "ig2", "ig3", "ig4",
];

/// The raw listing (every key as stored).
pub(crate) const RAW: &[&str] = &[
    "key", "nomvar", "typvar", "etiket", "ni", "nj", "nk", "stampo", "stampv", "deet", "npas",
    "ip1", "ip2", "ip3", "dty", "grtyp", "ig1", "ig2", "ig3", "ig4",
];

/// librmn's print letters for datyp 0..8 (fstd98 `print_std_parms`).
const DTY_LETTERS: [char; 9] = ['X', 'R', 'I', 'C', 'S', 'E', 'F', 'A', 'Z'];

/// `voir`'s datyp column: letter (lower case when compressed), `m` when the record has
/// missing values, then nbits.
pub(crate) fn voir_datyp(h: &RecordHeader) -> String {
    let code = usize::from(h.datyp.base_code());
    let letter = DTY_LETTERS.get(code).copied().unwrap_or('?');
    let letter = if h.datyp.is_turbo() {
        letter.to_ascii_lowercase()
    } else {
        letter
    };
    let missing = if h.datyp.has_missing() { "m" } else { "" };
    format!("{letter}{missing}{}", h.nbits)
}

fn date(stamp: i32) -> Cell {
    if matches!(stamp, 0 | 10_101_011 | 101_010_101) {
        return Cell::Null;
    }
    stamp_to_iso(stamp).map_or(Cell::Null, Cell::Text)
}

fn level(h: &RecordHeader) -> Option<fst24::ip::Level> {
    (!h.is_descriptor()).then(|| decode_ip(h.ip1)).flatten()
}

fn decoded_ip(ip: i32, old_style_hours: bool) -> Cell {
    if is_new_style(ip) {
        return decode_ip(ip).map_or(Cell::Int(ip.into()), |l| {
            Cell::Text(
                format!("{} {}", l.value, l.kind.unit_name())
                    .trim_end()
                    .to_owned(),
            )
        });
    }
    if old_style_hours && ip >= 0 {
        return Cell::Text(format!("{ip} H"));
    }
    Cell::Int(ip.into())
}

/// The cell of column `name` (one of [`COLUMNS`]) for a record.
pub(crate) fn cell(name: &str, path: &str, key: usize, h: &RecordHeader) -> Cell {
    let int = |v: i64| Cell::Int(v);
    match name {
        "path" => Cell::Text(path.to_owned()),
        "key" => int(key as i64),
        "nomvar" => Cell::Text(h.nomvar.trimmed().to_owned()),
        "typvar" => Cell::Text(h.typvar.trimmed().to_owned()),
        "etiket" => Cell::Text(h.etiket.trimmed().to_owned()),
        "ni" => int(h.ni.into()),
        "nj" => int(h.nj.into()),
        "nk" => int(h.nk.into()),
        "dateo" => date(h.dateo),
        "datev" => date(h.datev),
        "stampo" => int(h.dateo.into()),
        "stampv" => int(h.datev.into()),
        "lead" => Cell::Float(f64::from(h.deet) * f64::from(h.npas) / 3600.0),
        "level" => level(h).map_or(Cell::Null, |l| Cell::Float(f64::from(l.value))),
        "kind" => level(h).map_or(Cell::Null, |l| Cell::Text(l.kind.unit_name().to_owned())),
        "ip1" => int(h.ip1.into()),
        "ip2" => int(h.ip2.into()),
        "ip3" => int(h.ip3.into()),
        // Descriptor records keep grid tags in their ips.
        "ip2d" if h.is_descriptor() => int(h.ip2.into()),
        "ip3d" if h.is_descriptor() => int(h.ip3.into()),
        "ip2d" => decoded_ip(h.ip2, true),
        "ip3d" => decoded_ip(h.ip3, false),
        "deet" => int(h.deet.into()),
        "npas" => int(h.npas.into()),
        "dty" => Cell::Text(voir_datyp(h)),
        "datyp" => int(h.datyp.raw().into()),
        "nbits" => int(h.nbits.into()),
        "grtyp" => Cell::Text(h.grtyp_char().to_string()),
        "ig1" => int(h.ig1.into()),
        "ig2" => int(h.ig2.into()),
        "ig3" => int(h.ig3.into()),
        "ig4" => int(h.ig4.into()),
        _ => Cell::Null,
    }
}

/// Checks a `--columns` list against [`COLUMNS`].
pub(crate) fn parse_list(list: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> = list
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty())
        .collect();
    for n in &names {
        if !COLUMNS.iter().any(|(c, _)| c == n) {
            let known: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
            return Err(format!("unknown column {n:?} (known: {})", known.join(",")));
        }
    }
    if names.is_empty() {
        return Err("no column given".into());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_column_has_cells() {
        let mut w = [0u32; 16];
        w[12] = 41_394_464 << 4;
        let h = RecordHeader::from_keys(&fst24::record::SearchKeys(w), fst24::Backend::Xdf);
        for (name, _) in COLUMNS {
            let _ = cell(name, "p", 0, &h);
        }
        assert_eq!(cell("level", "p", 0, &h), Cell::Float(500.0));
        assert_eq!(cell("kind", "p", 0, &h), Cell::Text("mb".into()));
        assert!(parse_list("nomvar,LEVEL").is_ok());
        assert!(parse_list("nomvar,colour").is_err());
    }
}
