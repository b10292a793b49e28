//! The columns fstpy's `add_columns` derives beyond dates and levels: the grid key, the
//! typvar flags, the parsed etiket, level properties, ip intervals and the vertical
//! coordinate type. Rules follow fstpy (`std_dec.py`, `dataframe.py`, `std_vgrid.py`);
//! where fstpy stores Python objects (`interval`) the table has flat typed columns.

use std::collections::HashMap;
use std::fmt::Write;

use crate::record::{Name, RecordHeader};

use super::column::{Column, ColumnValues, ShortText, StrColumn};

/// The typvar flags, in fstpy's column order, with the second typvar letter setting each.
const FLAGS: [(&str, &[u8]); 10] = [
    ("multiple_modifications", b"M"),
    ("zapped", b"Z"),
    ("filtered", b"F"),
    ("interpolated", b"I"),
    ("unit_converted", b"U"),
    ("bounded", b"B"),
    ("missing_data", b"?H"),
    ("ensemble_extra_info", b"!"),
    ("masks", b""),
    ("masked", b""),
];
const MASKS: usize = 8;
const MASKED: usize = 9;

/// Records whose grid key is their ip1/ip2 (grid descriptors), as fstpy lists them.
const DESCRIPTOR_GRID: [&str; 5] = ["^>", ">>", "^^", "!!", "!!SF"];
/// Records fstpy keeps out of vertical-coordinate detection.
const VERTICAL_META: [&str; 8] = ["^^", ">>", "^>", "!!", "!!SF", "HY", "P0", "PT"];

/// Flags set by the second letter of a two-letter typvar (fstpy's `parse_typvar`).
fn typvar_flags(typvar: &[u8]) -> [bool; 10] {
    let mut flags = [false; 10];
    let b = typvar;
    if b.len() != 2 {
        return flags;
    }
    if b[1] == b'@' {
        flags[if b[0] == b'@' { MASKS } else { MASKED }] = true;
        return flags;
    }
    for (flag, (_, letters)) in flags.iter_mut().zip(FLAGS) {
        *flag = letters.contains(&b[1]);
    }
    flags
}

/// An etiket split as fstpy's `get_parsed_etiket` does.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ParsedEtiket<'a> {
    pub label: &'a str,
    pub run: Option<&'a str>,
    pub implementation: Option<&'a str>,
    pub ensemble_member: Option<&'a str>,
    /// Widths of run, label, implementation, member and a letter (fstpy's `etiket_format`).
    pub format: String,
}

fn all(s: &[u8], f: impl Fn(u8) -> bool) -> bool {
    s.iter().all(|&c| f(c))
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `e` is a 2-character run, `main` non-blank characters, an N/P/X implementation
/// letter, then a member accepted by `member` of `member_len` characters.
fn layout(e: &[u8], main: usize, member_len: usize, member: impl Fn(&[u8]) -> bool) -> bool {
    e.len() == 2 + main + 1 + member_len
        && all(&e[..2], is_word)
        && all(&e[2..2 + main], |c| !c.is_ascii_whitespace())
        && matches!(e[2 + main], b'N' | b'P' | b'X')
        && member(&e[3 + main..])
}

fn digits(s: &[u8]) -> bool {
    all(s, |c| c.is_ascii_digit())
}

fn letters(s: &[u8]) -> bool {
    all(s, |c| c.is_ascii_alphabetic())
}

/// Splits a (blank-stripped) etiket into run, label, implementation and member.
pub(crate) fn parse_etiket(etiket: &str) -> ParsedEtiket<'_> {
    let e = etiket.as_bytes();
    let none = |_: &[u8]| true;
    let iic = |s: &[u8]| s.len() == 3 && digits(&s[..2]) && letters(&s[2..]);
    // (main width, member width, member rule, format letter), in fstpy's order.
    type Rule<'r> = (usize, usize, &'r dyn Fn(&[u8]) -> bool, char);
    let rules: [Rule<'_>; 10] = [
        (5, 0, &none, 'D'),
        (5, 3, &digits, 'D'),
        (5, 4, &digits, 'K'),
        (5, 3, &letters, 'K'),
        (5, 4, &letters, 'K'),
        (6, 0, &none, 'D'),
        (6, 3, &digits, 'D'),
        (6, 3, &|s: &[u8]| s == b"ALL", 'D'),
        (0, 0, &none, 'K'), // run only: checked separately below
        (6, 3, &iic, 'D'),
    ];
    let ascii = etiket.is_ascii();
    for (i, &(main, member_len, member, letter)) in rules.iter().enumerate() {
        if i == 8 {
            if ascii && e.len() == 2 && all(e, is_word) {
                return ParsedEtiket {
                    label: "",
                    run: Some(etiket),
                    implementation: None,
                    ensemble_member: None,
                    format: "2,0,0,0,K".to_owned(),
                };
            }
            continue;
        }
        if ascii && layout(e, main, member_len, member) {
            let at = 2 + main;
            return ParsedEtiket {
                label: &etiket[2..at],
                run: Some(&etiket[..2]),
                implementation: Some(&etiket[at..at + 1]),
                ensemble_member: (member_len > 0).then(|| &etiket[at + 1..]),
                format: format!("2,{main},1,{member_len},{letter}"),
            };
        }
    }
    if e.len() >= 2 && etiket.is_char_boundary(2) {
        return ParsedEtiket {
            label: &etiket[2..],
            run: Some(&etiket[..2]),
            implementation: None,
            ensemble_member: None,
            format: format!("2,{},0,0,D", e.len() - 2),
        };
    }
    ParsedEtiket {
        label: etiket,
        run: None,
        implementation: None,
        ensemble_member: None,
        format: String::new(),
    }
}

/// The grid key's text: ig1 (or ip1) followed by ig2 (or ip2), as fstpy joins them.
fn grid_key((a, b): (i32, i32)) -> String {
    let mut text = String::new();
    let _ = write!(text, "{a}{b}");
    text
}

/// `b` without leading and trailing blanks.
fn trim_blanks(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b' ').map_or(start, |i| i + 1);
    &b[start..end]
}

/// fstpy's `is_surface`: hybrid or sigma 1, or 0..10 m above ground in 0.5 m steps.
fn is_surface(kind: i32, level: f32) -> bool {
    match kind {
        1 | 5 => level == 1.0,
        4 => (0.0..=10.0).contains(&level) && (level * 2.0).fract() == 0.0,
        _ => false,
    }
}

/// fstpy's `get_level_sort_order`: kinds whose values grow upwards (or unordered codes).
fn is_ascending(kind: i32) -> bool {
    matches!(kind, 0 | 3 | 4 | 21 | 100)
}

/// A decoded ip: value and kind code (`None` when not a valid encoding).
pub(super) type IpValue = Option<(f32, i32)>;

/// The range an ip pair encodes (fstpy's `Interval`): which ip, bounds and kind.
fn interval(h: &RecordHeader, ips: [IpValue; 3]) -> Option<(&'static str, f32, f32, i32)> {
    const NEW: i32 = 32768;
    let [ip1, ip2, ip3] = ips;
    let (v3, k3) = ip3?;
    if h.ip3 < NEW {
        return None;
    }
    match (ip1, ip2) {
        (Some((v1, k1)), _) if h.ip1 >= NEW && k1 == k3 => Some(("ip1", v1, v3, k1)),
        // A time range: ip2 is the upper bound, ip3 the lower one.
        (_, Some((v2, k2))) if h.ip2 >= NEW && k2 == k3 => Some(("ip2", v3, v2, k2)),
        _ => None,
    }
}

/// A nullable string column.
struct OptStr {
    values: StrColumn,
    valid: Vec<bool>,
}

impl OptStr {
    fn with_capacity(rows: usize, width: usize) -> Self {
        OptStr {
            values: StrColumn::with_capacity(rows, width),
            valid: Vec::with_capacity(rows),
        }
    }

    fn push(&mut self, s: Option<&ShortText>) {
        match s {
            Some(s) => self.values.push_text(s),
            None => self.values.push_static(""),
        }
        self.valid.push(s.is_some());
    }

    fn push_static(&mut self, s: Option<&'static str>) {
        self.values.push_static(s.unwrap_or(""));
        self.valid.push(s.is_some());
    }

    fn into_column(self, name: &'static str) -> Column {
        Column::with_validity(name, ColumnValues::Utf8(self.values), self.valid)
    }
}

/// What a record's nomvar means to vertical-coordinate detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VerticalRole {
    /// `HY`: the hybrid coordinate's parameters.
    Hy,
    /// `!!`: a vertical descriptor (its ig1 is the coordinate code).
    TocToc,
    /// `P0`: surface pressure.
    P0,
    /// `PT`: pressure at the top.
    Pt,
    /// Another descriptor fstpy leaves out of detection (`^^`, `>>`, ...).
    OtherMeta,
    /// A field.
    Field,
}

impl VerticalRole {
    fn of(nomvar: &str) -> Self {
        match nomvar {
            "HY" => VerticalRole::Hy,
            "!!" => VerticalRole::TocToc,
            "P0" => VerticalRole::P0,
            "PT" => VerticalRole::Pt,
            _ if VERTICAL_META.contains(&nomvar) => VerticalRole::OtherMeta,
            _ => VerticalRole::Field,
        }
    }
}

/// What vertical-coordinate detection needs to know of one row.
struct VerticalRow {
    role: VerticalRole,
    grid: Option<(i32, i32)>,
    kind: Option<i32>,
    level: f32,
    ig1: i32,
}

/// An etiket's parsed parts, kept for the next rows: consecutive records mostly share
/// their etiket, and parsing it (with its format text) costs more than the rest of a row.
struct EtiketParts {
    etiket: Name<12>,
    label: ShortText,
    run: Option<ShortText>,
    implementation: Option<ShortText>,
    member: Option<ShortText>,
    format: ShortText,
}

impl EtiketParts {
    fn parse(etiket: Name<12>) -> Self {
        let p = parse_etiket(etiket.as_str().trim());
        let text = |s: &str| ShortText::new(s.to_owned());
        EtiketParts {
            etiket,
            label: text(p.label),
            run: p.run.map(text),
            implementation: p.implementation.map(text),
            member: p.ensemble_member.map(text),
            format: ShortText::new(p.format),
        }
    }
}

/// Column builders for fstpy's derived columns.
pub(super) struct FstpyColumns {
    grid: OptStr,
    flags: [Vec<bool>; 10],
    label: StrColumn,
    run: OptStr,
    implementation: OptStr,
    ensemble_member: OptStr,
    etiket_format: StrColumn,
    surface: Vec<bool>,
    follow_topography: Vec<bool>,
    ascending: Vec<bool>,
    interval_ip: OptStr,
    interval_low: Vec<f32>,
    interval_high: Vec<f32>,
    interval_kind: Vec<i32>,
    rows: Vec<VerticalRow>,
    /// The last grid key and its text.
    grid_text: Option<((i32, i32), ShortText)>,
    etiket: Option<EtiketParts>,
}

impl FstpyColumns {
    pub(super) fn with_capacity(rows: usize) -> Self {
        let bools = || Vec::with_capacity(rows);
        FstpyColumns {
            grid: OptStr::with_capacity(rows, 10),
            flags: std::array::from_fn(|_| bools()),
            label: StrColumn::with_capacity(rows, 6),
            run: OptStr::with_capacity(rows, 2),
            implementation: OptStr::with_capacity(rows, 1),
            ensemble_member: OptStr::with_capacity(rows, 3),
            etiket_format: StrColumn::with_capacity(rows, 9),
            surface: bools(),
            follow_topography: bools(),
            ascending: bools(),
            interval_ip: OptStr::with_capacity(rows, 3),
            interval_low: Vec::with_capacity(rows),
            interval_high: Vec::with_capacity(rows),
            interval_kind: Vec::with_capacity(rows),
            rows: Vec::with_capacity(rows),
            grid_text: None,
            etiket: None,
        }
    }

    /// Adds one record; `nomvar` is its name without blanks, `ips` its decoded ip1, ip2,
    /// ip3 as the level columns hold them.
    pub(super) fn push(&mut self, h: &RecordHeader, nomvar: &str, ips: [IpValue; 3]) {
        let grid = if DESCRIPTOR_GRID.contains(&nomvar) {
            Some((h.ip1, h.ip2))
        } else if nomvar == "HY" {
            None
        } else {
            Some((h.ig1, h.ig2))
        };
        match grid {
            Some(key) => {
                let text = || ShortText::new(grid_key(key));
                let cached = self.grid_text.get_or_insert_with(|| (key, text()));
                if cached.0 != key {
                    *cached = (key, text());
                }
                self.grid.push(Some(&cached.1));
            }
            None => self.grid.push(None),
        }

        for (col, f) in self
            .flags
            .iter_mut()
            .zip(typvar_flags(trim_blanks(h.typvar.as_bytes())))
        {
            col.push(f);
        }

        if self.etiket.as_ref().is_none_or(|e| e.etiket != h.etiket) {
            self.etiket = Some(EtiketParts::parse(h.etiket));
        }
        let parsed = self.etiket.as_ref().expect("etiket parsed above");
        self.label.push_text(&parsed.label);
        self.run.push(parsed.run.as_ref());
        self.implementation.push(parsed.implementation.as_ref());
        self.ensemble_member.push(parsed.member.as_ref());
        self.etiket_format.push_text(&parsed.format);

        let (level, kind) = match ips[0] {
            Some((v, k)) => (v, Some(k)),
            None => (0.0, None),
        };
        let k = kind.unwrap_or(-1);
        self.surface.push(is_surface(k, level));
        self.follow_topography.push(matches!(k, 1 | 4 | 5));
        self.ascending.push(is_ascending(k));

        let range = if matches!(nomvar, ">>" | "^^" | "!!" | "^>") {
            None
        } else {
            interval(h, ips)
        };
        self.interval_ip.push_static(range.map(|r| r.0));
        let (low, high, kind_code) = range.map_or((0.0, 0.0, 0), |r| (r.1, r.2, r.3));
        self.interval_low.push(low);
        self.interval_high.push(high);
        self.interval_kind.push(kind_code);

        self.rows.push(VerticalRow {
            role: VerticalRole::of(nomvar),
            grid,
            kind,
            level,
            ig1: h.ig1,
        });
    }

    /// The columns, all but `vctype`, which depends on every row of the table (see
    /// [`vctype_columns`]), and what it needs of this builder's rows.
    pub(super) fn into_columns(self) -> (Vec<Column>, VerticalRows) {
        use ColumnValues::{Bool, Float32, Int32, Utf8};
        let interval_valid = self.interval_ip.valid.clone();
        let mut out = vec![self.grid.into_column("grid")];
        for ((name, _), values) in FLAGS.iter().zip(self.flags) {
            out.push(Column::new(name, Bool(values)));
        }
        out.extend([
            Column::new("label", Utf8(self.label)),
            self.run.into_column("run"),
            self.implementation.into_column("implementation"),
            self.ensemble_member.into_column("ensemble_member"),
            Column::new("etiket_format", Utf8(self.etiket_format)),
            Column::new("surface", Bool(self.surface)),
            Column::new("follow_topography", Bool(self.follow_topography)),
            Column::new("ascending", Bool(self.ascending)),
            self.interval_ip.into_column("interval_ip"),
            Column::with_validity(
                "interval_low",
                Float32(self.interval_low),
                interval_valid.clone(),
            ),
            Column::with_validity(
                "interval_high",
                Float32(self.interval_high),
                interval_valid.clone(),
            ),
            Column::with_validity("interval_kind", Int32(self.interval_kind), interval_valid),
        ]);
        (out, VerticalRows(self.rows))
    }
}

/// The descriptor records present for one grid key.
#[derive(Default)]
struct GridMeta {
    toctoc: bool,
    vcodes: Vec<i32>,
    p0: bool,
    pt: bool,
    hy: bool,
}

/// fstpy's `set_vertical_coordinate_type`: per grid and ip1 kind, from the `!!` codes and
/// the presence of `P0`, `PT`, `HY`. A file's only `HY` serves every grid without `!!`
/// (fstpy copies it onto them when reading).
/// What the `vctype` column needs of one builder's rows.
pub(super) struct VerticalRows(Vec<VerticalRow>);

/// The `vctype` column of each part of a table, `parts` in table order: descriptors
/// found in one part serve the others, as when fstpy reads several files into one frame.
pub(super) fn vctype_columns(parts: &[VerticalRows]) -> Vec<Column> {
    let mut grids = GridMetas::default();
    let mut hy_count = 0;
    for r in parts.iter().flat_map(|p| &p.0) {
        if r.role == VerticalRole::Hy {
            hy_count += 1;
        }
        let Some(g) = r.grid else { continue };
        let meta = grids.get_mut(g);
        match r.role {
            VerticalRole::TocToc => {
                meta.toctoc = true;
                meta.vcodes.push(r.ig1);
            }
            VerticalRole::P0 => meta.p0 = true,
            VerticalRole::Pt => meta.pt = true,
            _ => {}
        }
    }
    if hy_count == 1 {
        for meta in grids.metas.iter_mut().filter(|m| !m.toctoc) {
            meta.hy = true;
        }
    }
    parts
        .iter()
        .map(|part| {
            let mut out = StrColumn::with_capacity(part.0.len(), 12);
            for r in &part.0 {
                out.push_static(row_vctype(r, &mut grids));
            }
            Column::new("vctype", ColumnValues::Utf8(out))
        })
        .collect()
}

/// One row's vertical coordinate type, its grid's descriptors known.
fn row_vctype(r: &VerticalRow, grids: &mut GridMetas) -> &'static str {
    match (r.grid, r.kind) {
        (Some(g), Some(kind)) if r.role == VerticalRole::Field => {
            let meta = grids.get_mut(g);
            let name = vctype(kind, meta);
            // The surface levels of a 5005 grid belong to the hybrid coordinate.
            if name == "METER_GROUND_LEVEL"
                && meta.vcodes.contains(&5005)
                && (r.level == 1.5 || r.level == 10.0)
            {
                "HYBRID_5005"
            } else {
                name
            }
        }
        _ => "UNKNOWN",
    }
}

/// The descriptors of each grid key; rows mostly repeat the previous row's grid, so
/// that one is checked before the map.
#[derive(Default)]
struct GridMetas {
    index: HashMap<(i32, i32), usize>,
    metas: Vec<GridMeta>,
    last: Option<((i32, i32), usize)>,
}

impl GridMetas {
    fn get_mut(&mut self, key: (i32, i32)) -> &mut GridMeta {
        let i = match self.last {
            Some((k, i)) if k == key => i,
            _ => {
                let next = self.metas.len();
                let i = *self.index.entry(key).or_insert(next);
                if i == next {
                    self.metas.push(GridMeta::default());
                }
                self.last = Some((key, i));
                i
            }
        };
        &mut self.metas[i]
    }
}

/// fstpy's `get_vertical_coordinate_type` for one ip1 kind and its grid's descriptors.
fn vctype(kind: i32, m: &GridMeta) -> &'static str {
    let code = |c: i32| m.toctoc && m.vcodes.contains(&c);
    let name = match kind {
        0 => "METER_SEA_LEVEL",
        4 => "METER_GROUND_LEVEL",
        2 => "PRESSURE_2001",
        1 if m.pt => "ETA_1002",
        1 if m.hy => "HYBRID_NORMALIZED_1003",
        1 => "SIGMA_1001",
        5 if m.hy => "HYBRID_5001",
        5 if code(5001) => "HYBRID_5001",
        5 if code(5002) => "HYBRID_5002",
        5 if code(5005) => "HYBRID_5005",
        5 if code(5100) => "HYBRID_5100",
        _ => "UNKNOWN",
    };
    // Sigma and hybrid levels mean nothing without a surface pressure.
    if matches!(kind, 1 | 5) && !m.p0 {
        "UNKNOWN"
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(e: &str) -> (&str, Option<&str>, Option<&str>, Option<&str>, String) {
        let p = parse_etiket(e);
        (
            p.label,
            p.run,
            p.implementation,
            p.ensemble_member,
            p.format,
        )
    }

    #[test]
    fn etikets_split_like_fstpy() {
        assert_eq!(
            parsed("R1_V710_N"),
            ("_V710_", Some("R1"), Some("N"), None, "2,6,1,0,D".into())
        );
        assert_eq!(
            parsed("R1580V0N"),
            ("580V0", Some("R1"), Some("N"), None, "2,5,1,0,D".into())
        );
        assert_eq!(
            parsed("G1580V0N012"),
            (
                "580V0",
                Some("G1"),
                Some("N"),
                Some("012"),
                "2,5,1,3,D".into()
            )
        );
        assert_eq!(
            parsed("ERGE_ENSX001"),
            (
                "GE_ENS",
                Some("ER"),
                Some("X"),
                Some("001"),
                "2,6,1,3,D".into()
            )
        );
        assert_eq!(
            parsed("R1"),
            ("", Some("R1"), None, None, "2,0,0,0,K".into())
        );
        assert_eq!(
            parsed("GEMDM"),
            ("MDM", Some("GE"), None, None, "2,3,0,0,D".into())
        );
        assert_eq!(parsed(""), ("", None, None, None, String::new()));
        assert_eq!(parsed("X"), ("X", None, None, None, String::new()));
    }

    #[test]
    fn typvar_second_letter_sets_one_flag() {
        assert_eq!(typvar_flags(b"P"), [false; 10]);
        assert!(typvar_flags(b"PZ")[1]);
        assert!(typvar_flags(b"P@")[MASKED]);
        assert!(typvar_flags(b"@@")[MASKS]);
        assert!(typvar_flags(b"PH")[6] && typvar_flags(b"P?")[6]);
        assert_eq!(trim_blanks(b" P "), b"P");
        assert_eq!(trim_blanks(b"  "), b"");
    }

    #[test]
    fn surfaces_and_vctypes() {
        assert!(is_surface(5, 1.0) && is_surface(4, 1.5) && !is_surface(4, 1.25));
        assert!(!is_surface(2, 1000.0));
        let hybrid = GridMeta {
            toctoc: true,
            vcodes: vec![5002],
            p0: true,
            ..GridMeta::default()
        };
        assert_eq!(vctype(5, &hybrid), "HYBRID_5002");
        assert_eq!(vctype(2, &GridMeta::default()), "PRESSURE_2001");
        assert_eq!(vctype(1, &GridMeta::default()), "UNKNOWN");
    }
}
