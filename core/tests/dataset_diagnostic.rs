//! Diagnostic levels (1.5 m / 10 m of a 5005 descriptor) in the dataset plan, on files
//! written with fst24's writer from the corpus' `vcoord.fst` records: filed as hybrid
//! level 1.0 as fstd2nc does, and taken back to `height` where fstd2nc takes them back
//! (a single record, or holes).

mod common;

mod dataset_common;

use std::path::Path;

use dataset_common::corpus;
use fst24::dataset::{plan, AttrValue, DatasetPlan, PlanOptions};
use fst24::record::Name;
use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{File, Values};

/// ip1 of 1.5 m above ground (the 5005 table's thermodynamic diagnostic level).
const DIAG_T: i32 = 76_696_048;
/// ip1 of hybrid level 1.0.
const SURFACE: i32 = 93_423_264;

/// A path in its own scratch directory, gone (with the file) when the value is dropped.
fn temp(name: &str) -> common::ScratchPath {
    common::ScratchPath::new("diag", &format!("{name}.fst"))
}

/// Writes the `!!` of `vcoord.fst`, then its TT records kept by `keep(hour, ip1)` for
/// hours 0 and 1 (also as nomvar `T2` for the 1.5 m level), at npas = hour.
fn write(path: &Path, keep: impl Fn(i32, i32) -> bool, t2_hours: &[i32]) {
    let source = File::open(corpus("librmn019", "vcoord.fst")).unwrap();
    let _ = std::fs::remove_file(path);
    let mut w = Writer::create(path, WriterOptions::default()).unwrap();
    let copy = |w: &mut Writer, index: usize, keys: &RecordKeys| {
        let values: Values = source.read(index).unwrap().values;
        w.write(keys, &values).unwrap();
    };
    for rec in source.records() {
        let h = &rec.header;
        match h.nomvar.trimmed() {
            "!!" => copy(&mut w, rec.index, &RecordKeys::from(h)),
            "TT" => {
                for hour in [0, 1] {
                    let mut keys = RecordKeys::from(h);
                    (keys.deet, keys.npas) = (3600, hour);
                    if keep(hour, h.ip1) {
                        copy(&mut w, rec.index, &keys);
                    }
                    if h.ip1 == DIAG_T && t2_hours.contains(&hour) {
                        keys.nomvar = Name::new("T2");
                        copy(&mut w, rec.index, &keys);
                    }
                }
            }
            _ => {}
        }
    }
    w.close().unwrap();
}

fn standard_name(p: &DatasetPlan, axis: &str) -> String {
    let c = p.coord(axis).unwrap();
    match c.attrs.iter().find(|(k, _)| k == "standard_name") {
        Some((_, AttrValue::Str(s))) => s.clone(),
        other => panic!("{axis}: {other:?}"),
    }
}

fn values(p: &DatasetPlan, axis: &str) -> Vec<f64> {
    match &p.coord(axis).unwrap().values {
        Values::F64(v) => v.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn diagnostic_level_is_hybrid_1_when_every_time_has_it() {
    let path = temp("folded");
    write(&path, |_, _| true, &[0, 1]);
    let file = File::open(&path).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let tt = p.variable("TT").unwrap();
    // 8 thermodynamic levels and 1.0, which holds the 1.5 m record (last in file order).
    assert_eq!(tt.shape[..2], [2, 9], "{:?}", tt.dims);
    let level = &tt.dims[1];
    assert_eq!(values(&p, level)[8], 1.0);
    // GEM's ln-pressure hybrid has no CF standard name: a long_name says what it is.
    let long_name = p
        .coord(level)
        .unwrap()
        .attrs
        .iter()
        .find(|(k, _)| k == "long_name");
    assert!(
        matches!(long_name, Some((_, AttrValue::Str(s))) if s.contains("ln-pressure")),
        "{long_name:?}"
    );
    let diag_index = file
        .records()
        .iter()
        .rfind(|r| r.header.nomvar.trimmed() == "TT" && r.header.ip1 == DIAG_T)
        .unwrap()
        .index;
    assert_eq!(tt.records[2 * 9 - 1], Some((0, diag_index)));
    // T2: only the diagnostic level, at two times: still hybrid 1.0, with the surface
    // row's coefficients (b = 1).
    let t2 = p.variable("T2").unwrap();
    assert_eq!(t2.shape[..2], [2, 1]);
    let level = &t2.dims[1];
    assert_eq!(values(&p, level), [1.0]);
    let b = p
        .coords
        .iter()
        .find(|c| c.dims == [level.clone()] && c.name.starts_with('b'))
        .unwrap();
    assert_eq!(b.values, Values::F64(vec![1.0]));
    assert!(p.coords.iter().all(|c| !c.name.starts_with("height")));
}

#[test]
fn diagnostic_level_goes_back_to_height_for_holes_or_a_single_record() {
    let path = temp("split");
    // Neither 1.0 nor 1.5 m at hour 1: TT folded has a hole at (1 h, 1.0). T2 is one
    // record.
    write(
        &path,
        |hour, ip1| hour == 0 || ![DIAG_T, SURFACE].contains(&ip1),
        &[0],
    );
    let file = File::open(&path).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let names: Vec<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["TT_model_levels", "TT_diag_level", "T2"]);
    let model = p.variable("TT_model_levels").unwrap();
    assert_eq!(model.shape[..2], [2, 9]);
    assert_eq!(model.records.iter().filter(|r| r.is_none()).count(), 1);
    for name in ["TT_diag_level", "T2"] {
        let v = p.variable(name).unwrap();
        assert_eq!(v.shape[..2], [1, 1], "{name}");
        assert_eq!(values(&p, &v.dims[1]), [1.5], "{name}");
        assert_eq!(standard_name(&p, &v.dims[1]), "height", "{name}");
    }
}
