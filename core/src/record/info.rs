//! [`RecordInfo`]: the one record-metadata shape every binding shows (Python's
//! `Record.to_dict`, Node's and WASM's record objects), with one set of field names.

use std::fmt::Write as _;

use crate::ip::{Level, PkTriple};

use super::{RecordHeader, RecordSummary};

/// The field names of [`RecordInfo::to_json`], in order. Bindings expose exactly these.
pub const RECORD_FIELDS: [&str; 38] = [
    "key",
    "nomvar",
    "typvar",
    "etiket",
    "grtyp",
    "ni",
    "nj",
    "nk",
    "dateo",
    "datev",
    "deet",
    "npas",
    "ip1",
    "ip2",
    "ip3",
    "ig1",
    "ig2",
    "ig3",
    "ig4",
    "datyp",
    "nbits",
    "data_bits",
    "ubc",
    "data_type",
    "element_type",
    "offset",
    "length",
    "metadata",
    "level",
    "ip2_decoded",
    "ip3_decoded",
    "pk",
    "datev_iso",
    "datev_unix",
    "dateo_iso",
    "dateo_unix",
    "backend",
    "missing",
];

/// One record's keys (names trimmed), where it is stored, and what they decode to.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInfo {
    /// Directory position (librmn's `file_index`): what reads take.
    pub key: usize,
    /// The raw keys.
    pub header: RecordHeader,
    /// Byte offset of the record in its file.
    pub offset: u64,
    /// Stored size of the record in bytes.
    pub length: u64,
    /// Extended JSON metadata (RSF) as stored.
    pub metadata: Option<String>,
    /// Packing label, decoded levels and dates.
    pub summary: RecordSummary,
    /// `"xdf"` or `"rsf"`.
    pub backend: crate::Backend,
}

impl RecordInfo {
    /// Gathers the shape of one record.
    pub fn new(
        key: usize,
        header: &RecordHeader,
        offset: u64,
        length: u64,
        metadata: Option<&str>,
        backend: crate::Backend,
    ) -> Self {
        RecordInfo {
            key,
            header: *header,
            offset,
            length,
            metadata: metadata.map(str::to_owned),
            summary: RecordSummary::new(header),
            backend,
        }
    }

    /// The record as one JSON object whose members are [`RECORD_FIELDS`]: integers as
    /// numbers, names trimmed of their blank padding, absent values `null`; `level`,
    /// `ip2_decoded`, `ip3_decoded` are `{value, kind, unit}`, `pk` is
    /// `{level, time, third, status}`, `missing` tells a +64 record.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(768);
        self.write_json(&mut out);
        out
    }

    /// Appends [`RecordInfo::to_json`] to `out`.
    pub fn write_json(&self, out: &mut String) {
        let h = &self.header;
        let s = &self.summary;
        out.push_str(&format!("{{\"key\":{}", self.key));
        for (name, value) in [
            ("nomvar", h.nomvar.as_str()),
            ("typvar", h.typvar.as_str()),
            ("etiket", h.etiket.as_str()),
        ] {
            field_str(out, name, Some(value.trim_end()));
        }
        field_str(out, "grtyp", Some(h.grtyp_char().to_string().trim_end()));
        for (name, value) in [("ni", h.ni), ("nj", h.nj), ("nk", h.nk)] {
            let _ = write!(out, ",\"{name}\":{value}");
        }
        for (name, value) in [
            ("dateo", h.dateo),
            ("datev", h.datev),
            ("deet", h.deet),
            ("npas", h.npas),
            ("ip1", h.ip1),
            ("ip2", h.ip2),
            ("ip3", h.ip3),
            ("ig1", h.ig1),
            ("ig2", h.ig2),
            ("ig3", h.ig3),
            ("ig4", h.ig4),
        ] {
            let _ = write!(out, ",\"{name}\":{value}");
        }
        let _ = write!(
            out,
            ",\"datyp\":{},\"nbits\":{},\"data_bits\":{},\"ubc\":{}",
            h.datyp.raw(),
            h.nbits,
            s.data_bits,
            h.ubc
        );
        field_str(out, "data_type", Some(&s.data_type));
        field_str(out, "element_type", s.element_type);
        let _ = write!(
            out,
            ",\"offset\":{},\"length\":{}",
            self.offset, self.length
        );
        field_str(out, "metadata", self.metadata.as_deref());
        for (name, level) in [
            ("level", s.level),
            ("ip2_decoded", s.ip2_decoded),
            ("ip3_decoded", s.ip3_decoded),
        ] {
            let _ = write!(out, ",\"{name}\":");
            write_level(out, level);
        }
        out.push_str(",\"pk\":");
        write_pk(out, s.pk);
        field_str(out, "datev_iso", s.datev_iso.as_deref());
        field_int(out, "datev_unix", s.datev_unix);
        field_str(out, "dateo_iso", s.dateo_iso.as_deref());
        field_int(out, "dateo_unix", s.dateo_unix);
        field_str(out, "backend", Some(self.backend.name()));
        let _ = write!(out, ",\"missing\":{}}}", h.datyp.has_missing());
    }
}

/// A JSON array of [`RecordInfo::to_json`] objects.
pub fn records_json<'a>(records: impl IntoIterator<Item = &'a RecordInfo>) -> String {
    let mut out = String::from("[");
    for (i, info) in records.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        info.write_json(&mut out);
    }
    out.push(']');
    out
}

fn field_str(out: &mut String, name: &str, value: Option<&str>) {
    let _ = write!(out, ",\"{name}\":");
    match value {
        Some(v) => push_json_string(out, v),
        None => out.push_str("null"),
    }
}

fn field_int(out: &mut String, name: &str, value: Option<i64>) {
    match value {
        Some(v) => {
            let _ = write!(out, ",\"{name}\":{v}");
        }
        None => {
            let _ = write!(out, ",\"{name}\":null");
        }
    }
}

/// A JSON number for a float, `null` for NaN and infinities (JSON has none).
fn push_number(out: &mut String, v: f64) {
    if v.is_finite() {
        let _ = write!(out, "{v}");
    } else {
        out.push_str("null");
    }
}

pub(super) fn write_level(out: &mut String, level: Option<Level>) {
    let Some(l) = level else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"value\":");
    push_number(out, f64::from(l.value));
    let _ = write!(out, ",\"kind\":{},\"unit\":", l.kind.code());
    push_json_string(out, l.kind.unit_name());
    out.push('}');
}

pub(super) fn write_pk(out: &mut String, pk: Option<PkTriple>) {
    let Some(pk) = pk else {
        out.push_str("null");
        return;
    };
    for (i, (name, level)) in [("level", pk.level), ("time", pk.time), ("third", pk.third)]
        .into_iter()
        .enumerate()
    {
        out.push_str(if i == 0 { "{" } else { "," });
        let _ = write!(out, "\"{name}\":");
        write_level(out, Some(level));
    }
    let _ = write!(out, ",\"status\":{}}}", pk.status.0);
}

/// `value` as a JSON string literal (quotes, backslashes and control characters escaped).
pub(super) fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::header;
    use crate::Backend;

    #[test]
    fn json_has_every_field_in_order_and_parses() {
        let mut h = header(1, 16, 0, 4, 2, 1);
        h.ip1 = 41394464;
        h.datev = 478263500;
        let info = RecordInfo::new(7, &h, 1024, 96, Some("{\"a\":\"x\\\"y\"}"), Backend::Rsf);
        let text = info.to_json();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let object = value.as_object().unwrap();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut want = RECORD_FIELDS.to_vec();
        want.sort_unstable(); // serde_json's map is sorted
        assert_eq!(keys, want);
        assert!(text.starts_with("{\"key\":7,\"nomvar\":"));
        assert_eq!(object["level"]["unit"], "mb");
        assert_eq!(object["metadata"], "{\"a\":\"x\\\"y\"}");
        assert_eq!(object["backend"], "rsf");
        assert_eq!(object["datev_iso"], "2025-01-02T03:00:00Z");
        let list = records_json([&info, &info]);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&list)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\\c\u{1}é");
        assert_eq!(out, "\"a\\\"b\\\\c\\u0001é\"");
    }
}
