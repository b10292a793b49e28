//! Extended JSON metadata on write (spec rsf.md §2.2): stored after the search words of
//! the record and of its directory entry in RSF, across sessions, deletes, rewrites and
//! parallel segments; dropped in XDF; refused when it is not JSON.

mod common;

use std::path::Path;

use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{Backend, File, Values};

fn tmp(name: &str) -> common::ScratchPath {
    common::ScratchPath::new("writer-meta", name)
}

fn keys(name: &str, ip1: i32, metadata: Option<&str>) -> RecordKeys {
    let mut k = RecordKeys::new(name, 3, 2, 1);
    k.datyp = 5;
    k.nbits = 32;
    k.ip1 = ip1;
    k.metadata = metadata.map(str::to_string);
    k
}

const VALUES: [f32; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];

/// (nomvar, ip1, metadata, values) of every live record.
fn live(path: &Path) -> Vec<(String, i32, Option<String>, Vec<f32>)> {
    let f = File::open(path).unwrap();
    assert!(f.warnings().is_empty(), "{:?}", f.warnings());
    f.records()
        .iter()
        .map(|r| {
            let Values::F32(v) = f.read(r.index).unwrap().values else {
                panic!("{}: not f32", r.index)
            };
            let json = r.extended_metadata().map(str::to_string);
            if let Some(j) = &json {
                let parsed = r.entry.extended_metadata_json().unwrap().unwrap();
                assert!(parsed.is_object(), "{j}");
            }
            (r.header.nomvar.trimmed().to_string(), r.header.ip1, json, v)
        })
        .collect()
}

#[test]
fn rsf_keeps_metadata_across_sessions_deletes_and_rewrites() {
    let path = tmp("sessions.fst");
    // Lengths 7, 8 and 9 bytes: NUL padding of 1, 4 and 3 bytes.
    let docs = [r#"{"a":1}"#, r#"{"ab":1}"#, r#"{"abc":1}"#];
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Rsf)).unwrap();
    w.write(&keys("A", 1, Some(docs[0])), &VALUES[..]).unwrap();
    w.write(&keys("B", 2, None), &VALUES[..]).unwrap();
    w.write(&keys("C", 3, Some(docs[1])), &VALUES[..]).unwrap();
    w.close().unwrap();
    // Second session: erase an entry of the closed segment that follows one with JSON
    // (its on-disk position depends on the sizes of the entries before it).
    let mut w = Writer::append(&path).unwrap();
    w.erase(1).unwrap();
    w.write(&keys("D", 4, Some(docs[2])), &VALUES[..]).unwrap();
    w.rewrite(&keys("C", 3, Some(r#"{"new":[1,2]}"#)), &VALUES[..])
        .unwrap();
    w.close().unwrap();
    let got = live(&path);
    let summary: Vec<(&str, i32, Option<&str>)> = got
        .iter()
        .map(|(n, ip1, j, _)| (n.as_str(), *ip1, j.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("A", 1, Some(docs[0])),
            ("D", 4, Some(docs[2])),
            ("C", 3, Some(r#"{"new":[1,2]}"#)),
        ]
    );
    assert!(got.iter().all(|(.., v)| v == &VALUES));
}

#[test]
fn rsf_parallel_segments_carry_metadata() {
    let path = tmp("parallel.fst");
    let mut o = WriterOptions::backend(Backend::Rsf);
    o.parallel = true;
    o.segment_size_mb = Some(1);
    let big = format!(r#"{{"text":"{}"}}"#, "x".repeat(100_000));
    let mut w = Writer::append_with(&path, o).unwrap();
    // Each record's metadata takes 100 kB of the 1 MiB reservations: several segments.
    for i in 0..25 {
        w.write(&keys("P", i, Some(&big)), &VALUES[..]).unwrap();
    }
    w.close().unwrap();
    let got = live(&path);
    assert_eq!(got.len(), 25);
    for (i, (_, ip1, json, v)) in got.iter().enumerate() {
        assert_eq!(*ip1, i as i32);
        assert_eq!(json.as_deref(), Some(big.as_str()));
        assert_eq!(v, &VALUES);
    }
}

#[test]
fn xdf_drops_metadata_and_bad_json_is_refused() {
    let path = tmp("xdf.fst");
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf)).unwrap();
    w.write(&keys("A", 1, Some(r#"{"a":1}"#)), &VALUES[..])
        .unwrap();
    for bad in ["{\"a\":", "plain text", "{\"a\":\"\0\"}"] {
        let e = w.write(&keys("B", 2, Some(bad)), &VALUES[..]).unwrap_err();
        assert!(matches!(e, fst24::Error::Usage(_)), "{e}");
    }
    w.close().unwrap();
    assert_eq!(live(&path), [("A".into(), 1, None, VALUES.to_vec())]);

    let path = tmp("bad.fst");
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Rsf)).unwrap();
    let too_long = format!("\"{}\"", "x".repeat(4 * 65_536));
    for bad in ["{\"a\":", too_long.as_str()] {
        let e = w.write(&keys("B", 2, Some(bad)), &VALUES[..]).unwrap_err();
        assert!(matches!(e, fst24::Error::Usage(_)), "{e}");
    }
    // json-c's bare NaN is what librmn writes: accepted, and read back as written.
    let nan = r#"{"forecast_period":{"step":-1,"value":NaN,"unit":""}}"#;
    w.write(&keys("N", 3, Some(nan)), &VALUES[..]).unwrap();
    w.close().unwrap();
    let f = File::open(&path).unwrap();
    assert_eq!(f.records().len(), 1);
    assert_eq!(f.records()[0].extended_metadata(), Some(nan));
}
