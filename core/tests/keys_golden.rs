//! Key decoding against librmn: for every record of every reference JSON in
//! `shared/data` (librmn 019.5 and librmn 20), the dates, ips and grid parameters librmn
//! decoded must equal ours exactly (floats bit for bit, as librmn rounds them).
//!
//! Only the raw keys of the JSON are used as input, so RSF and XDF files are covered alike.

mod common;

use std::path::{Path, PathBuf};

use fst24::grid::cigaxg;
use fst24::ip::{decode_ip, ip_to_pk, ip_to_pk_librmn19, is_new_style, Level, LevelKind, PkTriple};
use fst24::time::{incdatr, origin_date, stamp_to_printable};
use serde_json::Value;

/// Every record JSON of a corpus folder (and its sub-folders), index files excluded.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable corpus folder") {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_dir() && !name.ends_with(".data") {
                stack.push(path);
            } else if name.ends_with(".json") && name != "index.json" && name != "write_matrix.json"
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable JSON");
    serde_json::from_str(&text).expect("valid JSON")
}

fn int(v: &Value, key: &str) -> i32 {
    let n = v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("integer field {key} in {v}"));
    i32::try_from(n).expect("32-bit field")
}

/// A JSON float must be exactly our single-precision value widened to double.
fn same_f32(json: &Value, ours: f32) -> bool {
    json.as_f64() == Some(f64::from(ours))
}

/// Collects mismatches with their location instead of stopping at the first one.
struct Checker {
    mismatches: Vec<String>,
    checks: usize,
}

impl Checker {
    fn check(&mut self, ok: bool, context: impl FnOnce() -> String) {
        self.checks += 1;
        if !ok {
            self.mismatches.push(context());
        }
    }

    /// One `ConvertIp` decode: `{value, kind, new_style}`; kind −1 means "invalid".
    /// `librmn19`: librmn 019.5 predates kind 7 (depth below sea) and rejects it.
    fn ip(&mut self, at: &str, ip: i32, json: &Value, librmn19: bool) {
        let ours = decode_ip(ip);
        let kind = int(json, "kind");
        let ok = match ours {
            None => kind == -1,
            Some(l) if librmn19 && l.kind == LevelKind::DepthSea => kind == -1,
            Some(Level { value, kind: k }) => {
                k.code() == kind
                    && same_f32(&json["value"], value)
                    && json
                        .get("kind_str")
                        .is_none_or(|s| s.as_str().is_none_or(|s| s == k.unit_name()))
            }
        };
        self.check(ok, || {
            format!("{at}: ip {ip}: librmn {json}, ours {ours:?}")
        });
        let new_style = json["new_style"].as_bool() == Some(is_new_style(ip));
        self.check(new_style, || format!("{at}: ip {ip}: new_style differs"));
    }

    /// A `newdate` mode −3 result `{yyyymmdd, hhmmsshh}` (null for stamps 0 and −1).
    fn date(&mut self, at: &str, stamp: i32, json: &Value) {
        let ours = stamp_to_printable(stamp).ok();
        let expected = if json.is_null() {
            None
        } else {
            Some((int(json, "yyyymmdd"), int(json, "hhmmsshh")))
        };
        let ok = if json.is_null() {
            // The generator skipped stamps 0 and -1, which are no dates for librmn either.
            ours.is_none()
        } else {
            ours == expected
        };
        self.check(ok, || {
            format!("{at}: stamp {stamp}: librmn {expected:?}, ours {ours:?}")
        });
    }

    fn grid(&mut self, at: &str, keys: &Value, json: &Value) {
        let grtyp = keys["grtyp"]
            .as_str()
            .and_then(|s| s.chars().next())
            .expect("grtyp");
        let ours = cigaxg(
            grtyp,
            int(keys, "ig1"),
            int(keys, "ig2"),
            int(keys, "ig3"),
            int(keys, "ig4"),
        );
        let ok = match (&ours, json.as_array()) {
            (Ok(p), Some(xs)) => {
                xs.len() == 4 && xs.iter().zip(p.xg()).all(|(j, o)| same_f32(j, o))
            }
            _ => false,
        };
        self.check(ok, || {
            format!("{at}: cigaxg {grtyp}: librmn {json}, ours {ours:?}")
        });
    }

    /// dateo/datev consistency both ways (librmn's reader and writer rules).
    fn dates_link(&mut self, at: &str, dateo: i32, datev: i32, deet: i32, npas: i32) {
        let ours = origin_date(datev, deet, npas);
        self.check(ours == dateo, || {
            format!("{at}: origin of {datev} ({deet}x{npas}) librmn {dateo}, ours {ours}")
        });
        let step = i64::from(deet) * i64::from(npas);
        if step > 0 {
            let ours = incdatr(dateo, step as f64 / 3600.0);
            self.check(ours == Ok(datev), || {
                format!("{at}: valid of {dateo} librmn {datev}, ours {ours:?}")
            });
        }
    }

    fn finish(self, corpus: &str, minimum: usize) {
        assert!(
            self.mismatches.is_empty(),
            "{corpus}: {} of {} checks differ:\n{}",
            self.mismatches.len(),
            self.checks,
            self.mismatches.join("\n")
        );
        assert!(
            self.checks >= minimum,
            "{corpus}: only {} checks ran",
            self.checks
        );
        eprintln!("{corpus}: {} checks, 0 mismatches", self.checks);
    }
}

fn triple_values(t: &PkTriple) -> [(f32, i32); 3] {
    [t.level, t.time, t.third].map(|l| (l.value, l.kind.code()))
}

#[test]
fn librmn019_keys() {
    let mut c = Checker {
        mismatches: Vec::new(),
        checks: 0,
    };
    for path in json_files(&common::shared_data().join("librmn019")) {
        let json = load(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (i, rec) in json["records"].as_array().into_iter().flatten().enumerate() {
            let at = format!("{name}#{i}");
            let (keys, dec) = (&rec["fstprm"], &rec["decoded"]);
            let [ip1, ip2, ip3] = ["ip1", "ip2", "ip3"].map(|k| int(keys, k));
            for (ip, k) in [(ip1, "ip1"), (ip2, "ip2"), (ip3, "ip3")] {
                c.ip(&at, ip, &dec[k], true);
            }
            c.date(&at, int(keys, "dateo"), &dec["dateo"]);
            c.date(&at, int(keys, "datev"), &dec["datev"]);
            c.date(&at, int(keys, "xtra1"), &dec["xtra1_as_date"]);
            c.dates_link(
                &at,
                int(keys, "dateo"),
                int(keys, "xtra1"),
                int(keys, "deet"),
                int(keys, "npas"),
            );
            let ours = ip_to_pk_librmn19(ip1, ip2, ip3);
            let ok = match (&ours, dec["ip_pk"].as_array()) {
                (Ok(t), Some(rows)) => {
                    rows.len() == 3
                        && rows.iter().zip(triple_values(t)).all(|(row, (v, k))| {
                            same_f32(&row[0], v)
                                && same_f32(&row[1], v)
                                && row[2].as_i64() == Some(i64::from(k))
                        })
                }
                (Err(_), None) => dec["ip_pk"].get("error").is_some(),
                _ => false,
            };
            c.check(ok, || {
                format!("{at}: ip_pk librmn {}, ours {ours:?}", dec["ip_pk"])
            });
            if let Some(xg) = dec.get("cigaxg") {
                c.grid(&at, keys, xg);
            }
        }
    }
    c.finish("librmn019", 2000);
}

#[test]
fn librmn20_keys() {
    let mut c = Checker {
        mismatches: Vec::new(),
        checks: 0,
    };
    for path in json_files(&common::shared_data().join("librmn20")) {
        let json = load(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (i, rec) in json["fst24"]["records"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = format!("{name}#{i}");
            let dec = &rec["decoded"];
            let [ip1, ip2, ip3] = ["ip1", "ip2", "ip3"].map(|k| int(rec, k));
            for (ip, k) in [
                (ip1, "ip1_ConvertIp"),
                (ip2, "ip2_ConvertIp"),
                (ip3, "ip3_ConvertIp"),
            ] {
                c.ip(&at, ip, &dec[k], false);
            }
            for key in ["dateo", "datev"] {
                let d = dec.get(key).unwrap_or(&Value::Null);
                c.date(&at, int(rec, key), d);
            }
            c.dates_link(
                &at,
                int(rec, "dateo"),
                int(rec, "datev"),
                int(rec, "deet"),
                int(rec, "npas"),
            );
            let pk = &dec["ConvertIPtoPK"];
            let ours = ip_to_pk(ip1, ip2, ip3);
            let ok = match &ours {
                Ok(t) => {
                    let rows = [("p1", "kind1"), ("p2", "kind2"), ("p3", "kind3")];
                    t.status.0 == int(pk, "status")
                        && rows
                            .iter()
                            .zip(triple_values(t))
                            .all(|((p, k), (v, kind))| same_f32(&pk[*p], v) && int(pk, k) == kind)
                }
                Err(_) => int(pk, "status") & 64 != 0,
            };
            c.check(ok, || {
                format!("{at}: ConvertIPtoPK librmn {pk}, ours {ours:?}")
            });
            if let Some(xg) = dec.get("xg1234_cigaxg") {
                c.grid(&at, rec, xg);
            }
        }
        // The classic API's view: dateo derived from the stored valid date.
        for (i, rec) in json["fst98"]["records"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = format!("{name}#fst98:{i}");
            let ours = origin_date(int(rec, "extra1"), int(rec, "deet"), int(rec, "npas"));
            c.check(ours == int(rec, "dateo"), || {
                format!("{at}: dateo librmn {}, ours {ours}", rec["dateo"])
            });
        }
    }
    c.finish("librmn20", 1500);
}
