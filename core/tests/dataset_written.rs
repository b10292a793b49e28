//! Plans of files written with fst24's writer, for layouts the corpus lacks: holes,
//! duplicates and records that do not form a hypercube.

mod common;

use std::path::Path;

use fst24::dataset::{plan, read_variable, PlanOptions};
use fst24::ip::{encode_ip, IpStyle, LevelKind};
use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{DecodeOptions, Error, File, FormatErrorKind, Values};

/// A path in its own scratch directory, gone (with the file) when the value is dropped.
fn temp(name: &str) -> common::ScratchPath {
    common::ScratchPath::new("dataset", &format!("{name}.fst"))
}

fn pres(hpa: f32) -> i32 {
    encode_ip(hpa, LevelKind::Pressure, IpStyle::New).unwrap()
}

/// TT on a 4x3 L grid at `(hour, hPa)`, values all `value`.
fn tt(hour: i32, hpa: f32) -> RecordKeys {
    let mut k = RecordKeys::new("TT", 4, 3, 1);
    k.datyp = 5;
    k.nbits = 32;
    k.dateo = 478_263_500; // 2025-01-02 03:00
    k.deet = 3600;
    k.npas = hour;
    k.ip1 = pres(hpa);
    k.ip2 = hour;
    k.grtyp = b'L';
    (k.ig1, k.ig2, k.ig3, k.ig4) = (100, 100, 9000, 0);
    k
}

fn write(path: &Path, records: &[(RecordKeys, f32)]) {
    let _ = std::fs::remove_file(path);
    let mut w = Writer::create(path, WriterOptions::default()).unwrap();
    for (keys, value) in records {
        w.write(keys, &vec![*value; 12]).unwrap();
    }
    w.close().unwrap();
}

#[test]
fn holes_and_duplicates_are_reported_and_read_as_nan() {
    let path = temp("holes");
    let mut recs = Vec::new();
    for hour in 0..3 {
        for hpa in [500.0, 850.0] {
            if (hour, hpa) != (1, 850.0) {
                recs.push((tt(hour, hpa), (hour * 1000) as f32 + hpa));
            }
        }
    }
    // A second (2 h, 500 hPa) record: the later one wins.
    recs.push((tt(2, 500.0), -1.0));
    write(&path, &recs);
    let file = File::open(&path).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let v = p.variable("TT").unwrap();
    assert_eq!(v.dims, ["time", "pres", "lat", "lon"]);
    assert_eq!(v.shape, [3, 2, 3, 4]);
    assert_eq!(v.records.iter().filter(|r| r.is_none()).count(), 1);
    assert!(v.records[3].is_none(), "(1 h, 850 hPa) is the hole");
    assert!(
        p.warnings.iter().any(|w| w.contains("missing 1 of 6")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("duplicate")),
        "{:?}",
        p.warnings
    );
    let Values::F32(values) = read_variable(&[&file], v, &DecodeOptions::default()).unwrap() else {
        panic!()
    };
    assert!(values[3 * 12..4 * 12].iter().all(|x| x.is_nan()));
    assert_eq!(values[0], 500.0);
    assert_eq!(values[4 * 12], -1.0, "last duplicate wins");
    assert_eq!(values[5 * 12], 2850.0);
    let pres_axis = p.coord("pres").unwrap();
    assert_eq!(pres_axis.values, Values::F64(vec![500.0, 850.0]));
}

#[test]
fn scattered_records_are_not_a_hypercube() {
    // Every record at its own time and its own level: 1100² slots for 1100 records.
    let path = temp("scattered");
    let recs: Vec<(RecordKeys, f32)> = (0..1100)
        .map(|k| (tt(k, 1.0 + k as f32 * 0.5), 0.0))
        .collect();
    write(&path, &recs);
    let file = File::open(&path).unwrap();
    let err = plan(&[&file], &PlanOptions::default()).unwrap_err();
    match &err {
        Error::Format(e) => {
            assert!(matches!(&e.kind, FormatErrorKind::Inconsistent(m) if m.contains("hypercube")));
            assert!(e.record.is_some());
        }
        other => panic!("{other}"),
    }
}
