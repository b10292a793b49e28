//! `PlanOptions::ensembles` on a file written with fst24's writer: TT and GZ for three
//! etikets over two pressure levels and two times, one GZ record missing, and a P0 of
//! one etiket only. Expected layout from fstd2nc's `Buffer(path, ensembles=True)`:
//! dims `(time, ensemble_id, pres, j, i)`, etikets sorted, labels in `ensemble`.

mod common;

use std::path::Path;

use fst24::dataset::{plan, read_variable, DatasetPlan, PlanOptions};
use fst24::ip::{encode_ip, IpStyle, LevelKind};
use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{DecodeOptions, File, Values};

const ETIKETS: [&str; 3] = ["MEMBER01", "MEMBER02", "CTRL"];
const LEVELS: [f32; 2] = [500.0, 850.0];
const NI: u32 = 4;
const NJ: u32 = 3;

/// A path in its own scratch directory, gone (with the file) when the value is dropped.
fn temp(name: &str) -> common::ScratchPath {
    common::ScratchPath::new("ens", &format!("{name}.fst"))
}

/// First value of a record: encodes variable, etiket (in write order), time and level.
fn base(var: usize, etiket: usize, hour: i32, level: usize) -> f32 {
    (1000 * var + 100 * etiket + 10 * (hour as usize / 6) + level) as f32
}

fn is_hole(var: usize, etiket: usize, hour: i32, level: usize) -> bool {
    var == 1 && ETIKETS[etiket] == "CTRL" && hour == 6 && level == 1
}

fn write(path: &Path) {
    let _ = std::fs::remove_file(path);
    let mut w = Writer::create(path, WriterOptions::default()).unwrap();
    let keys = |nomvar: &str, etiket: &str, hour: i32, ip1: i32| {
        let mut k = RecordKeys::new(nomvar, NI, NJ, 1);
        k.typvar = fst24::record::Name::new("P");
        k.etiket = fst24::record::Name::new(etiket);
        (k.datyp, k.nbits) = (5, 32);
        (k.dateo, k.deet, k.npas, k.ip1, k.ip2) = (471_629_600, 3600, hour, ip1, hour);
        k
    };
    for (e, etiket) in ETIKETS.iter().enumerate() {
        for hour in [0, 6] {
            for (l, &level) in LEVELS.iter().enumerate() {
                let ip1 = encode_ip(level, LevelKind::Pressure, IpStyle::New).unwrap();
                for (v, nomvar) in ["TT", "GZ"].iter().enumerate() {
                    if is_hole(v, e, hour, l) {
                        continue;
                    }
                    let b = base(v, e, hour, l);
                    let values: Vec<f32> = (0..NI * NJ).map(|i| b + i as f32 / 100.0).collect();
                    let k = keys(nomvar, etiket, hour, ip1);
                    w.write(&k, &Values::F32(values)).unwrap();
                }
            }
        }
    }
    let p0 = keys("P0", "CTRL", 0, 0);
    w.write(&p0, &Values::F32(vec![1013.0; (NI * NJ) as usize]))
        .unwrap();
    w.close().unwrap();
}

fn labels(p: &DatasetPlan, dim: &str) -> Vec<String> {
    let c = p
        .coords
        .iter()
        .find(|c| c.dims.first().map(String::as_str) == Some(dim))
        .unwrap();
    let strlen = p.dim_len(&c.dims[1]).unwrap();
    match &c.values {
        Values::Chars(v) => v
            .chunks(strlen)
            .map(|row| {
                String::from_utf8_lossy(row)
                    .trim_end_matches('\0')
                    .to_string()
            })
            .collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn etikets_become_an_ensemble_dimension() {
    let path = temp("plan");
    write(&path);
    let file = File::open(&path).unwrap();
    let p = plan(&[&file], &PlanOptions::default().with_ensembles(true)).unwrap();
    let tt = p.variable("TT").unwrap();
    // Grid X: plain j/i.
    assert_eq!(tt.dims, ["time", "ensemble_id", "pres", "j", "i"]);
    assert_eq!(tt.shape, [2, 3, 2, 3, 4]);
    let gz = p.variable("GZ").unwrap();
    assert_eq!(gz.dims, tt.dims, "same members share one ensemble axis");
    assert_eq!(labels(&p, "ensemble_id"), ["CTRL", "MEMBER01", "MEMBER02"]);
    assert_eq!(p.coord("ensemble").unwrap().dims[0], "ensemble_id");

    // P0 has one member: its own ensemble axis, labelled by its own coordinate.
    let p0 = p.variable("P0").unwrap();
    assert_eq!(p0.dims[1], "ensemble_id_1");
    assert_eq!(p0.shape[..2], [1, 1]);
    assert_eq!(labels(&p, "ensemble_id_1"), ["CTRL"]);
    assert!(p.coord("ensemble_1").is_some());

    // Values in (time, ensemble, level) order; the missing GZ record is NaN.
    let sorted = [2usize, 0, 1]; // CTRL, MEMBER01, MEMBER02 in write order
    for (v, var) in [tt, gz].into_iter().enumerate() {
        let Values::F32(data) = read_variable(&[&file], var, &DecodeOptions::default()).unwrap()
        else {
            panic!("{:?}", var.dtype)
        };
        let per = (NI * NJ) as usize;
        for (t, hour) in [0, 6].into_iter().enumerate() {
            for (slot, &e) in sorted.iter().enumerate() {
                for l in 0..LEVELS.len() {
                    let at = ((t * 3 + slot) * 2 + l) * per;
                    let first = data[at];
                    if is_hole(v, e, hour, l) {
                        assert!(first.is_nan(), "{} hole at {t} {slot} {l}", var.name);
                        assert!(var.records[(t * 3 + slot) * 2 + l].is_none());
                    } else {
                        assert_eq!(first, base(v, e, hour, l), "{} {t} {slot} {l}", var.name);
                        assert_eq!(data[at + per - 1], base(v, e, hour, l) + 0.11);
                    }
                }
            }
        }
    }
    // Etiket varies: not a variable attribute any more.
    assert!(!tt.attrs.iter().any(|(k, _)| k == "etiket"));
}

#[test]
fn ensembles_follow_the_forecast_axis() {
    let path = temp("forecast");
    write(&path);
    let file = File::open(&path).unwrap();
    let options = PlanOptions::default()
        .with_forecast_axis(true)
        .with_ensembles(true);
    let p = plan(&[&file], &options).unwrap();
    let tt = p.variable("TT").unwrap();
    assert_eq!(tt.dims[..3], ["time", "forecast", "ensemble_id"]);
    assert_eq!(tt.shape[..3], [1, 2, 3]);
}

#[test]
fn without_ensembles_each_etiket_is_a_variable() {
    let path = temp("split");
    write(&path);
    let file = File::open(&path).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let tts = p
        .variables
        .iter()
        .filter(|v| v.name.starts_with("TT"))
        .count();
    assert_eq!(tts, 3);
    assert!(p.dims.iter().all(|d| !d.name.starts_with("ensemble")));
}
