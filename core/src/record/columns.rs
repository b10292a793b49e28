//! [`RecordColumns`]: [`RecordInfo`]s as columns, for bindings that build thousands of
//! record objects at once (Node, WASM). Writing and parsing the JSON of 10,000 records
//! costs 150–200 ms; one `f64` array per field, with names, dates and decoded levels as
//! indices into one small table of distinct values, lets JavaScript build the same
//! objects in a few milliseconds.
//!
//! The shape is [`RecordInfo::to_json`]'s, field for field ([`COLUMN_SCHEMA`]), and the
//! JavaScript that rebuilds a record is written here ([`RecordColumns::js_record_function`]),
//! so no binding lists the fields.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::ip::{decode_ip, ip_to_pk, Level, LevelKind};
use crate::time::{stamp_to_iso, stamp_to_unix};
use crate::Backend;

use super::info::{push_json_string, write_level, RECORD_FIELDS};
use super::{ElementType, Name, RecordHeader, RecordInfo};

/// How a field of [`RECORD_FIELDS`] is stored in its column of [`RecordColumns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// The number itself; a non-finite value is `null` (as in the JSON).
    Number,
    /// An index into [`RecordColumns::values_json`]'s array; NaN is `null`. Names,
    /// dates and the `{value, kind, unit}` / `{level, time, third, status}` objects.
    Interned,
    /// 0 or 1.
    Bool,
}

/// Every field of [`RECORD_FIELDS`], in order, with its [`FieldKind`].
pub const COLUMN_SCHEMA: [(&str, FieldKind); 38] = {
    use FieldKind::{Bool, Interned, Number};
    [
        ("key", Number),
        ("nomvar", Interned),
        ("typvar", Interned),
        ("etiket", Interned),
        ("grtyp", Interned),
        ("ni", Number),
        ("nj", Number),
        ("nk", Number),
        ("dateo", Number),
        ("datev", Number),
        ("deet", Number),
        ("npas", Number),
        ("ip1", Number),
        ("ip2", Number),
        ("ip3", Number),
        ("ig1", Number),
        ("ig2", Number),
        ("ig3", Number),
        ("ig4", Number),
        ("datyp", Number),
        ("nbits", Number),
        ("data_bits", Number),
        ("ubc", Number),
        ("data_type", Interned),
        ("element_type", Interned),
        ("offset", Number),
        ("length", Number),
        ("metadata", Interned),
        ("level", Interned),
        ("ip2_decoded", Interned),
        ("ip3_decoded", Interned),
        ("pk", Interned),
        ("datev_iso", Interned),
        ("datev_unix", Number),
        ("dateo_iso", Interned),
        ("dateo_unix", Number),
        ("backend", Interned),
        ("missing", Bool),
    ]
};

/// The fields of [`COLUMN_SCHEMA`] that can be `null` (NaN in their column); every other
/// column always holds a finite number (a key, a size, an offset) or a valid index.
const NULLABLE: [&str; 10] = [
    "element_type",
    "metadata",
    "level",
    "ip2_decoded",
    "ip3_decoded",
    "pk",
    "datev_iso",
    "datev_unix",
    "dateo_iso",
    "dateo_unix",
];

/// Records as columns: see the module docs and [`COLUMN_SCHEMA`].
#[derive(Debug, Clone, PartialEq)]
pub struct RecordColumns {
    /// Number of records (the length of every column).
    pub len: usize,
    /// Index of the first entry of [`RecordColumns::values_json`] among every value of the
    /// table: 0 for a whole table; for a batch of [`ColumnsBuilder`], the number of values
    /// earlier batches gave (their indices continue across batches).
    pub values_start: usize,
    /// The distinct values of the [`FieldKind::Interned`] fields, as one JSON array:
    /// strings and `{value, kind, unit}` objects as [`RecordInfo::to_json`] writes them,
    /// and `pk` objects as `[level, time, third, status]`, the first three indices of
    /// earlier level objects ([`RecordColumns::js_values_function`] makes the objects:
    /// records share their level objects, and 3,000 distinct `pk`s parse in a fraction
    /// of the time).
    pub values_json: String,
    /// One column per field, [`COLUMN_SCHEMA`] order.
    pub columns: Vec<Vec<f64>>,
}

/// One record as [`RecordColumns::from_rows`] takes it (what [`RecordInfo::new`] takes).
#[derive(Debug, Clone, Copy)]
pub struct RecordRow<'a> {
    /// Directory position.
    pub key: usize,
    /// The raw keys.
    pub header: &'a RecordHeader,
    /// Byte offset of the record in its file.
    pub offset: u64,
    /// Stored size in bytes.
    pub length: u64,
    /// Extended JSON metadata (RSF) as stored.
    pub metadata: Option<&'a str>,
}

/// Fills the columns of one record after another. Values derived from keys (levels,
/// dates, packing labels) are computed once per distinct key, not once per record.
#[derive(Default)]
struct Builder {
    values_json: String,
    count: usize,
    /// Index of the first value `values_json` holds: values before it went out with an
    /// earlier batch ([`ColumnsBuilder`]).
    batch_start: usize,
    texts: HashMap<String, f64>,
    levels: HashMap<i32, f64>,
    level_objects: HashMap<(u32, LevelKind), f64>,
    pks: HashMap<(i32, i32, i32), f64>,
    dates: HashMap<i32, (f64, f64)>,
    packings: HashMap<PackingKey, (f64, f64)>,
    last: Last,
    columns: Vec<Vec<f64>>,
    at: usize,
}

/// The previous record's keys and what they gave. Records come in runs that share names,
/// dates, packing and often ip2/ip3, so most lookups end here without hashing: this
/// halves the builder's time (it runs cold in WASM when a page lists a file).
#[derive(Default)]
struct Last {
    nomvar: Option<(Name<4>, f64)>,
    typvar: Option<(Name<2>, f64)>,
    etiket: Option<(Name<12>, f64)>,
    grtyp: Option<(u8, f64)>,
    levels: [Option<(i32, f64)>; 3],
    dates: [Option<(i32, (f64, f64))>; 2],
    packing: Option<(PackingKey, (f64, f64))>,
}

/// `(datyp, nbits, data_bits)`: what a packing label depends on.
type PackingKey = (u8, u8, u8);

/// The value remembered for `key`, if `slot` holds that key.
fn recall<K: PartialEq, V: Copy>(slot: &Option<(K, V)>, key: &K) -> Option<V> {
    match slot {
        Some((k, v)) if k == key => Some(*v),
        _ => None,
    }
}

impl Builder {
    /// Starts a batch of `len` records: fresh columns.
    fn start(&mut self, len: usize) -> RecordColumns {
        self.columns = COLUMN_SCHEMA
            .iter()
            .map(|_| Vec::with_capacity(len))
            .collect();
        RecordColumns {
            len,
            values_start: self.batch_start,
            values_json: String::new(),
            columns: Vec::new(),
        }
    }

    /// Ends the batch `out` began: its columns, and the values added since the last
    /// batch as a JSON array.
    fn finish(&mut self, out: &mut RecordColumns) {
        let mut json = std::mem::take(&mut self.values_json);
        if self.count == self.batch_start {
            json.push('[');
        }
        json.push(']');
        out.values_json = json;
        out.columns = std::mem::take(&mut self.columns);
        self.batch_start = self.count;
    }

    fn push(&mut self, value: f64) {
        self.columns[self.at].push(value);
        self.at += 1;
    }

    /// The index of a new value whose JSON `write` appends.
    fn append(&mut self, write: impl FnOnce(&mut String)) -> f64 {
        self.values_json
            .push_str(if self.count == self.batch_start {
                "["
            } else {
                ","
            });
        write(&mut self.values_json);
        self.count += 1;
        (self.count - 1) as f64
    }

    fn intern_text(&mut self, text: Option<&str>) -> f64 {
        let Some(t) = text else {
            return f64::NAN;
        };
        if let Some(&i) = self.texts.get(t) {
            return i;
        }
        let i = self.append(|out| push_json_string(out, t));
        self.texts.insert(t.to_owned(), i);
        i
    }

    fn text(&mut self, text: Option<&str>) {
        let i = self.intern_text(text);
        self.push(i);
    }

    /// A name (trimmed of its padding), interned; `slot` remembers the last one.
    fn name<const N: usize>(
        &mut self,
        name: Name<N>,
        slot: fn(&mut Last) -> &mut Option<(Name<N>, f64)>,
    ) {
        let i = match recall(slot(&mut self.last), &name) {
            Some(i) => i,
            None => {
                let i = self.intern_text(Some(name.as_str().trim_end()));
                *slot(&mut self.last) = Some((name, i));
                i
            }
        };
        self.push(i);
    }

    /// The index of a `{value, kind, unit}` object, one per distinct level (bit for bit):
    /// the decoded ips and the parts of the `pk` objects share them.
    fn level_object(&mut self, level: Level) -> f64 {
        let key = (level.value.to_bits(), level.kind);
        if let Some(&i) = self.level_objects.get(&key) {
            return i;
        }
        let i = self.append(|out| write_level(out, Some(level)));
        self.level_objects.insert(key, i);
        i
    }

    /// An ip decoded as `ConvertIp` (`decode_ip`), interned by its code; `which` (0–2:
    /// ip1–ip3) names the slot that remembers the last one.
    fn level(&mut self, which: usize, ip: i32) {
        if let Some(i) = recall(&self.last.levels[which], &ip) {
            self.push(i);
            return;
        }
        let i = match self.levels.get(&ip) {
            Some(&i) => i,
            None => {
                let i = match decode_ip(ip) {
                    Some(level) => self.level_object(level),
                    None => f64::NAN,
                };
                self.levels.insert(ip, i);
                i
            }
        };
        self.last.levels[which] = Some((ip, i));
        self.push(i);
    }

    /// The ips read together as `ConvertIPtoPK` (`ip_to_pk`), interned by the codes.
    fn pk(&mut self, ips: (i32, i32, i32)) {
        let i = match self.pks.get(&ips) {
            Some(&i) => i,
            None => {
                let i = match ip_to_pk(ips.0, ips.1, ips.2) {
                    Ok(pk) => {
                        let parts = [pk.level, pk.time, pk.third].map(|l| self.level_object(l));
                        let [level, time, third] = parts.map(|i| i as u64);
                        self.append(|out| {
                            let _ = write!(out, "[{level},{time},{third},{}]", pk.status.0);
                        })
                    }
                    Err(_) => f64::NAN,
                };
                self.pks.insert(ips, i);
                i
            }
        };
        self.push(i);
    }

    /// `(ISO text index, unix seconds)` of a date stamp; `which` (0 datev, 1 dateo) names
    /// the slot that remembers the last one.
    fn date(&mut self, which: usize, stamp: i32) -> (f64, f64) {
        if let Some(d) = recall(&self.last.dates[which], &stamp) {
            return d;
        }
        let d = match self.dates.get(&stamp) {
            Some(&d) => d,
            None => {
                let iso = self.intern_text(stamp_to_iso(stamp).as_deref());
                let unix = stamp_to_unix(stamp).map_or(f64::NAN, |v| v as f64);
                self.dates.insert(stamp, (iso, unix));
                (iso, unix)
            }
        };
        self.last.dates[which] = Some((stamp, d));
        d
    }

    /// `(data_type index, element_type index)` of a header's packing.
    fn packing(&mut self, h: &RecordHeader) -> (f64, f64) {
        let key = (h.datyp.raw(), h.nbits, h.data_bits);
        if let Some(p) = recall(&self.last.packing, &key) {
            return p;
        }
        let p = match self.packings.get(&key) {
            Some(&p) => p,
            None => {
                let label = self.intern_text(Some(&h.datyp.label(h.nbits)));
                let element = self.intern_text(h.element_type().map(ElementType::name));
                self.packings.insert(key, (label, element));
                (label, element)
            }
        };
        self.last.packing = Some((key, p));
        p
    }

    /// One record, field by field in [`COLUMN_SCHEMA`] order.
    fn record(&mut self, row: &RecordRow<'_>, backend: f64) {
        self.at = 0;
        let h = row.header;
        self.push(row.key as f64);
        self.name(h.nomvar, |l| &mut l.nomvar);
        self.name(h.typvar, |l| &mut l.typvar);
        self.name(h.etiket, |l| &mut l.etiket);
        let grtyp = match recall(&self.last.grtyp, &h.grtyp) {
            Some(i) => i,
            None => {
                let mut text = [0u8; 4];
                let i = self.intern_text(Some(h.grtyp_char().encode_utf8(&mut text).trim_end()));
                self.last.grtyp = Some((h.grtyp, i));
                i
            }
        };
        self.push(grtyp);
        for v in [h.ni, h.nj, h.nk] {
            self.push(f64::from(v));
        }
        for v in [h.dateo, h.datev, h.deet, h.npas] {
            self.push(f64::from(v));
        }
        for v in [h.ip1, h.ip2, h.ip3, h.ig1, h.ig2, h.ig3, h.ig4] {
            self.push(f64::from(v));
        }
        self.push(f64::from(h.datyp.raw()));
        self.push(f64::from(h.nbits));
        self.push(f64::from(h.effective_data_bits()));
        self.push(f64::from(h.ubc));
        let (label, element) = self.packing(h);
        self.push(label);
        self.push(element);
        self.push(row.offset as f64);
        self.push(row.length as f64);
        self.text(row.metadata);
        self.level(0, h.ip1);
        self.level(1, h.ip2);
        self.level(2, h.ip3);
        self.pk((h.ip1, h.ip2, h.ip3));
        let (datev_iso, datev_unix) = self.date(0, h.datev);
        self.push(datev_iso);
        self.push(datev_unix);
        let (dateo_iso, dateo_unix) = self.date(1, h.dateo);
        self.push(dateo_iso);
        self.push(dateo_unix);
        self.push(backend);
        self.push(f64::from(u8::from(h.datyp.has_missing())));
        debug_assert_eq!(self.at, self.columns.len(), "a column was skipped");
    }
}

impl RecordColumns {
    /// The columns of `records`, in order.
    pub fn new<'a>(records: impl ExactSizeIterator<Item = &'a RecordInfo>) -> Self {
        let mut b = Builder::default();
        let mut out = b.start(records.len());
        for info in records {
            let backend = b.intern_text(Some(info.backend.name()));
            let row = RecordRow {
                key: info.key,
                header: &info.header,
                offset: info.offset,
                length: info.length,
                metadata: info.metadata.as_deref(),
            };
            b.record(&row, backend);
        }
        b.finish(&mut out);
        out
    }

    /// The columns of the records of one file, in order: what [`RecordColumns::new`]
    /// gives for their [`RecordInfo`]s, without building those.
    pub fn from_rows<'a>(
        backend: Backend,
        rows: impl ExactSizeIterator<Item = RecordRow<'a>>,
    ) -> Self {
        ColumnsBuilder::new(backend).batch(rows)
    }

    /// Column `at` ([`COLUMN_SCHEMA`] order) as 32-bit integers, when every value is one
    /// bit for bit (no fraction, no -0, no NaN, within `i32`); else `None`. Bindings hand
    /// such columns to JavaScript as an `Int32Array`: V8 reads those as small integers,
    /// where a `Float64Array` gives a heap number per value, which the record objects then
    /// keep (twice the memory and the garbage collection of a first `records()` call).
    pub fn column_i32(&self, at: usize) -> Option<Vec<i32>> {
        self.columns
            .get(at)?
            .iter()
            .map(|&x| {
                let i = x as i32; // saturating; NaN is 0: the bit test below refuses both
                (f64::from(i).to_bits() == x.to_bits()).then_some(i)
            })
            .collect()
    }

    /// The column of field `name`.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        let at = COLUMN_SCHEMA.iter().position(|&(n, _)| n == name)?;
        Some(&self.columns[at])
    }

    /// The body of a JavaScript function `(c, v, i)` that returns record `i` as the
    /// object [`RecordInfo::to_json`] describes, given `c` the columns (any indexable
    /// arrays, [`COLUMN_SCHEMA`] order) and `v` the parsed [`RecordColumns::values_json`].
    /// Bindings hand it to `new Function('c', 'v', 'i', body)`: one object literal gives
    /// every record one hidden class, and the shape is written once, here. Only the
    /// fields that can be `null` (`NULLABLE`) test their value: the first call of a
    /// process runs this cold (interpreted) 10,000 times, where every operation counts.
    pub fn js_record_function() -> String {
        let members: Vec<String> = COLUMN_SCHEMA
            .iter()
            .enumerate()
            .map(|(at, (name, kind))| {
                let nullable = NULLABLE.contains(name);
                let value = match kind {
                    FieldKind::Number if nullable => {
                        format!("(x = c[{at}][i], x - x === 0 ? x : null)")
                    }
                    FieldKind::Interned if nullable => {
                        format!("(x = c[{at}][i], x === x ? v[x] : null)")
                    }
                    FieldKind::Number => format!("c[{at}][i]"),
                    FieldKind::Interned => format!("v[c[{at}][i]]"),
                    FieldKind::Bool => format!("c[{at}][i] === 1"),
                };
                format!("{name}: {value}")
            })
            .collect();
        format!("let x;\nreturn {{\n  {}\n}};", members.join(",\n  "))
    }

    /// The body of a JavaScript function `(v)` that turns the parsed
    /// [`RecordColumns::values_json`] into the values records hold, in place, and returns
    /// it: each `pk` entry becomes its `{level, time, third, status}` object (sharing the
    /// level objects), and every object is frozen (records share them). Bindings run it
    /// once per table, before [`RecordColumns::js_record_function`]'s builder.
    pub fn js_values_function() -> String {
        // A `pk` refers to earlier entries only, so one pass in order resolves them all.
        "for (let k = 0; k < v.length; k += 1) {\n  \
           const e = v[k];\n  \
           if (Array.isArray(e)) {\n    \
             v[k] = Object.freeze({ level: v[e[0]], time: v[e[1]], third: v[e[2]], status: e[3] });\n  \
           } else if (e !== null && typeof e === 'object') {\n    \
             Object.freeze(e);\n  \
           }\n\
         }\n\
         return v;"
            .to_owned()
    }
}

/// Builds the [`RecordColumns`] of one file's records a batch at a time: a page can list
/// the rows it shows first and build the other records' columns after it painted them.
/// The batches' values share one index space (each batch's `values_json` holds only the
/// values first met in it, from `values_start` on), so records of every batch share
/// their names, dates and level objects as those of one table do.
pub struct ColumnsBuilder {
    builder: Builder,
    backend: f64,
}

impl ColumnsBuilder {
    /// A builder for records of a file of `backend`.
    pub fn new(backend: Backend) -> Self {
        let mut builder = Builder::default();
        let backend = builder.intern_text(Some(backend.name()));
        ColumnsBuilder { builder, backend }
    }

    /// The columns of the next records (`rows`, following those of earlier batches).
    pub fn batch<'a>(
        &mut self,
        rows: impl ExactSizeIterator<Item = RecordRow<'a>>,
    ) -> RecordColumns {
        let mut out = self.builder.start(rows.len());
        for row in rows {
            self.builder.record(&row, self.backend);
        }
        self.builder.finish(&mut out);
        out
    }
}

const _: () = {
    // COLUMN_SCHEMA lists RECORD_FIELDS in the same order.
    let mut i = 0;
    while i < RECORD_FIELDS.len() {
        let (a, b) = (RECORD_FIELDS[i].as_bytes(), COLUMN_SCHEMA[i].0.as_bytes());
        assert!(a.len() == b.len());
        let mut j = 0;
        while j < a.len() {
            assert!(a[j] == b[j]);
            j += 1;
        }
        i += 1;
    }
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::header;
    use crate::Backend;
    use serde_json::{json, Value};

    /// The parsed values with every `pk` reference made an object, as
    /// [`RecordColumns::js_values_function`] does.
    fn resolved_values(c: &RecordColumns) -> Vec<Value> {
        let mut values: Vec<Value> = serde_json::from_str(&c.values_json).unwrap();
        for k in 0..values.len() {
            if let Value::Array(e) = &values[k] {
                let at = |n: usize| values[e[n].as_u64().unwrap() as usize].clone();
                assert!(
                    (0..3).all(|n| e[n].as_u64().unwrap() < k as u64),
                    "refers back"
                );
                let pk = json!({"level": at(0), "time": at(1), "third": at(2), "status": e[3]});
                values[k] = pk;
            }
        }
        values
    }

    /// Rebuilds record `i` from the columns, as the JavaScript bindings do.
    fn rebuild(c: &RecordColumns, values: &[Value], i: usize) -> Value {
        let mut out = serde_json::Map::new();
        for (at, (name, kind)) in COLUMN_SCHEMA.iter().enumerate() {
            let x = c.columns[at][i];
            let v = match kind {
                // serde_json tells 500 from 500.0; JavaScript does not.
                FieldKind::Number if x.is_finite() => json!(x as i64),
                FieldKind::Number | FieldKind::Interned if x.is_nan() => Value::Null,
                FieldKind::Number => Value::Null,
                FieldKind::Interned => values[x as usize].clone(),
                FieldKind::Bool => json!(x == 1.0),
            };
            out.insert((*name).to_owned(), v);
        }
        Value::Object(out)
    }

    #[test]
    fn columns_rebuild_the_json_of_every_record() {
        let mut a = header(1, 16, 0, 4, 2, 1);
        a.ip1 = 41394464;
        a.datev = 478263500;
        let mut b = header(134, 16, 0, 4, 2, 1); // +128 +6: missing, turbo
        b.ip1 = -5; // undecodable
        b.datev = 0;
        let infos = [
            RecordInfo::new(0, &a, 1024, 96, Some("{\"a\":1}"), Backend::Rsf),
            RecordInfo::new(3, &b, 4096, 128, None, Backend::Rsf),
            RecordInfo::new(4, &a, 8192, 96, None, Backend::Rsf),
        ];
        let c = RecordColumns::new(infos.iter());
        assert_eq!(c.len, 3);
        assert!(c.columns.iter().all(|v| v.len() == 3));
        let values = resolved_values(&c);
        for (i, info) in infos.iter().enumerate() {
            let want: Value = serde_json::from_str(&info.to_json()).unwrap();
            assert_eq!(rebuild(&c, &values, i), want, "record {i}");
        }
        let rows = infos.iter().map(|i| RecordRow {
            key: i.key,
            header: &i.header,
            offset: i.offset,
            length: i.length,
            metadata: i.metadata.as_deref(),
        });
        let same = RecordColumns::from_rows(Backend::Rsf, rows);
        assert_eq!(format!("{same:?}"), format!("{c:?}")); // NaN != NaN

        // Only the nullable fields may be null: the JavaScript reads the others unchecked.
        for (at, (name, _)) in COLUMN_SCHEMA.iter().enumerate() {
            if !NULLABLE.contains(name) {
                assert!(c.columns[at].iter().all(|x| x.is_finite()), "{name}");
            }
        }

        // Repeated values are stored once.
        for (n, v) in values.iter().enumerate() {
            assert!(!values[..n].contains(v), "{v} twice");
        }
    }

    #[test]
    fn batches_make_the_whole_table() {
        let mut a = header(1, 16, 0, 4, 2, 1);
        a.ip1 = 41394464;
        let mut b = header(5, 32, 0, 4, 2, 1);
        b.ip1 = 41394465;
        b.datev = 478263500;
        let headers = [a, b, a, b, b];
        let rows = |range: std::ops::Range<usize>| {
            headers[range.clone()]
                .iter()
                .zip(range)
                .map(|(header, key)| RecordRow {
                    key,
                    header,
                    offset: 512 * key as u64,
                    length: 96,
                    metadata: None,
                })
                .collect::<Vec<_>>()
        };
        let whole = RecordColumns::from_rows(Backend::Xdf, rows(0..5).into_iter());
        for cuts in [[0, 0, 5], [0, 1, 5], [2, 3, 5], [1, 5, 5]] {
            let mut builder = ColumnsBuilder::new(Backend::Xdf);
            let (mut columns, mut values) = (vec![Vec::new(); COLUMN_SCHEMA.len()], Vec::new());
            let mut from = 0;
            for to in cuts {
                let batch = builder.batch(rows(from..to).into_iter());
                assert_eq!((batch.len, batch.values_start), (to - from, values.len()));
                let part: Vec<Value> = serde_json::from_str(&batch.values_json).unwrap();
                values.extend(part);
                for (all, part) in columns.iter_mut().zip(&batch.columns) {
                    all.extend_from_slice(part);
                }
                from = to;
            }
            let want: Vec<Value> = serde_json::from_str(&whole.values_json).unwrap();
            assert_eq!(values, want, "{cuts:?}");
            assert_eq!(
                format!("{columns:?}"),
                format!("{:?}", whole.columns),
                "{cuts:?}"
            );
        }
    }

    #[test]
    fn js_function_reads_every_column_once() {
        let body = RecordColumns::js_record_function();
        for at in 0..COLUMN_SCHEMA.len() {
            assert_eq!(
                body.matches(&format!("c[{at}][i]")).count(),
                1,
                "column {at}"
            );
        }
        for name in RECORD_FIELDS {
            assert!(body.contains(&format!("\n  {name}: ")), "{name}");
        }
    }

    #[test]
    fn integer_columns_are_exact() {
        let mut c = Builder::default().start(4);
        c.columns = vec![
            vec![0.0, -5.0, 2_147_483_647.0, -2_147_483_648.0],
            vec![0.0, 1.5, 2.0, 3.0],
            vec![0.0, -0.0, 1.0, 2.0],
            vec![0.0, f64::NAN, 1.0, 2.0],
            vec![0.0, 2_147_483_648.0, 1.0, 2.0],
        ];
        assert_eq!(
            c.column_i32(0),
            Some(vec![0, -5, i32::MAX, i32::MIN]),
            "the whole i32 range"
        );
        for at in 1..5 {
            assert_eq!(c.column_i32(at), None, "column {at}: a value is not an i32");
        }
        assert_eq!(c.column_i32(5), None, "no such column");
    }

    #[test]
    fn no_records_have_empty_columns() {
        let c = RecordColumns::new(std::iter::empty());
        assert_eq!((c.len, c.values_json.as_str()), (0, "[]"));
        assert_eq!(c.columns.len(), COLUMN_SCHEMA.len());
        assert!(c.columns.iter().all(Vec::is_empty));
    }
}
