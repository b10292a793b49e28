//! Dataset plans of the corpus files: structure, coordinates and reading.

mod dataset_common;

use dataset_common::corpus;
use fst24::dataset::{plan, read_variable, AttrValue, DatasetPlan, PlanOptions};
use fst24::{DecodeOptions, File, MissingMode, Values};

fn dump(p: &DatasetPlan) {
    for d in &p.dims {
        eprintln!("dim {} {}", d.name, d.len);
    }
    for c in &p.coords {
        let n = match &c.values {
            Values::F64(v) => format!("{:?}", &v[..v.len().min(6)]),
            other => format!("{other:?}"),
        };
        eprintln!("coord {} {:?} {n}", c.name, c.dims);
    }
    for v in &p.variables {
        eprintln!("var {} {:?} {:?} {:?}", v.name, v.dims, v.shape, v.dtype);
    }
    for w in &p.warnings {
        eprintln!("warning {w}");
    }
}

fn attr<'a>(attrs: &'a [(String, AttrValue)], key: &str) -> Option<&'a AttrValue> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn str_attr(attrs: &[(String, AttrValue)], key: &str) -> String {
    match attr(attrs, key) {
        Some(AttrValue::Str(s)) => s.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

fn f64s(v: &Values) -> &[f64] {
    match v {
        Values::F64(v) => v,
        other => panic!("{other:?}"),
    }
}

#[test]
fn mini_gem_groups_like_a_model_output() {
    let file = File::open(corpus("librmn019", "mini_gem.fst")).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    dump(&p);
    let tt = p.variable("TT").unwrap();
    assert_eq!(tt.dims, ["time", "level", "rlat", "rlon"]);
    assert_eq!(tt.shape, [3, 5, 14, 20]);
    assert!(tt.records.iter().all(Option::is_some));
    let uu = p.variable("UU").unwrap();
    assert_eq!(
        uu.dims[1], "level_1",
        "momentum levels differ from thermodynamic ones"
    );
    let level = p.coord("level").unwrap();
    // GEM's ln-pressure hybrid has no CF standard name (fstd2nc's is not in the table).
    assert!(attr(&level.attrs, "standard_name").is_none());
    assert!(str_attr(&level.attrs, "long_name").contains("ln-pressure"));
    assert_eq!(
        str_attr(&level.attrs, "formula_terms"),
        "a: a b: b ps: P0 pref: pref"
    );
    assert_eq!(
        str_attr(&p.coord("level_1").unwrap().attrs, "formula_terms"),
        "a: a_1 b: b_1 ps: P0 pref: pref"
    );
    assert_eq!(f64s(&p.coord("pref").unwrap().values), [1000.0]);
    assert_eq!(str_attr(&tt.attrs, "grid_mapping"), "rotated_pole");
    let p0 = p.variable("P0").unwrap();
    assert_eq!(p0.dims, ["time", "rlat", "rlon"]);
    // Time: 0, 6, 12 h.
    assert_eq!(f64s(&p.coord("time").unwrap().values), [0.0, 6.0, 12.0]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);

    // Reading puts record (t, l) at block t·5 + l.
    let values = read_variable(&[&file], tt, &DecodeOptions::default()).unwrap();
    let Values::F32(v) = values else { panic!() };
    let (t, l) = (2, 3);
    let (fi, ri) = tt.records[t * 5 + l].unwrap();
    assert_eq!(fi, 0);
    let Values::F32(one) = file.read(ri).unwrap().values else {
        panic!()
    };
    assert_eq!(&v[(t * 5 + l) * 280..][..280], &one[..]);
}

#[test]
fn forecast_axis_splits_origin_and_lead() {
    let file = File::open(corpus("librmn019", "mini_gem.fst")).unwrap();
    let p = plan(&[&file], &PlanOptions::default().with_forecast_axis(true)).unwrap();
    let tt = p.variable("TT").unwrap();
    assert_eq!(tt.dims[..2], ["time", "forecast"]);
    assert_eq!(tt.shape[..2], [1, 3]);
    assert_eq!(f64s(&p.coord("forecast").unwrap().values), [0.0, 6.0, 12.0]);
    assert!(p.coord("leadtime").is_none());
}

#[test]
fn vertical_kinds_get_their_cf_axes() {
    let file = File::open(corpus("librmn019", "vcoord.fst")).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    dump(&p);
    let pres = p
        .coords
        .iter()
        .find(|c| c.name.starts_with("pres"))
        .unwrap();
    assert_eq!(str_attr(&pres.attrs, "units"), "hPa");
    assert_eq!(str_attr(&pres.attrs, "standard_name"), "air_pressure");
    let theta = p
        .coords
        .iter()
        .find(|c| c.name.starts_with("theta"))
        .unwrap();
    assert_eq!(f64s(&theta.values), [300.0]);
    assert!(p.coords.iter().any(|c| c.name.starts_with("height")));
    assert!(p.coords.iter().any(|c| c.name.starts_with("sfclevel")));
    assert!(p.coords.iter().any(|c| c.name.starts_with("depth")));
}

#[test]
fn legacy_hy_gives_ap_and_b() {
    let file = File::open(corpus("librmn019", "hy_legacy.fst")).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    dump(&p);
    let tt = p.variable("TT").unwrap();
    assert_eq!(tt.dims, ["time", "level", "lat", "lon"]);
    let ap = f64s(&p.coord("ap").unwrap().values).to_vec();
    let b = f64s(&p.coord("b").unwrap().values).to_vec();
    // fstd2nc's values for eta 0.1 (float32): ap 63.44, b 0.0207.
    assert!(
        (ap[0] - 63.44).abs() < 0.01 && (b[0] - 0.0207).abs() < 1e-4,
        "{ap:?} {b:?}"
    );
    assert_eq!(*ap.last().unwrap(), 0.0);
}

#[test]
fn missing_value_records_are_flagged_and_read_as_nan() {
    let file = File::open(corpus("librmn019", "d065_n16.fst")).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let v = &p.variables[0];
    assert!(v.missing);
    let mut options = DecodeOptions::default();
    options.missing = MissingMode::Nan;
    let Values::F32(values) = read_variable(&[&file], v, &options).unwrap() else {
        panic!()
    };
    assert!(values.iter().any(|x| x.is_nan()));
}

#[test]
fn yin_yang_fields_get_2d_latlon_without_grid_mapping() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    let file = File::open(dir.join("data/yinyang.fst")).unwrap();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let tt = p.variable("TT").unwrap();
    assert_eq!(tt.dims, ["time", "pres", "j", "i"]);
    assert_eq!(tt.shape, [1, 1, 14, 19]);
    // lat/lon, then the time axis' auxiliary coordinates (CF 5: all of them listed).
    assert_eq!(
        str_attr(&tt.attrs, "coordinates"),
        "lat lon leadtime reftime"
    );
    assert!(attr(&tt.attrs, "grid_mapping").is_none());
    assert_eq!(p.coord("lat").unwrap().dims, ["j", "i"]);
}

#[test]
fn hyperslabs_read_the_selected_records_only() {
    use fst24::dataset::read_variable_into;
    let file = File::open(corpus("librmn019", "mini_gem.fst")).unwrap();
    let files = [&file];
    let p = plan(&files, &PlanOptions::default()).unwrap();
    let tt = p.variable("TT").unwrap();
    let Values::F32(all) = read_variable(&files, tt, &DecodeOptions::default()).unwrap() else {
        panic!()
    };
    let per = tt.record_len();
    let mut part = vec![0f32; 2 * 2 * per];
    let ranges = [1..3, 2..4];
    read_variable_into(
        &files,
        tt,
        Some(&ranges),
        fst24::OutSlice::F32(&mut part),
        &DecodeOptions::default(),
    )
    .unwrap();
    for (k, (t, l)) in [(1, 2), (1, 3), (2, 2), (2, 3)].into_iter().enumerate() {
        let slot = t * 5 + l;
        assert_eq!(
            part[k * per..][..per],
            all[slot * per..][..per],
            "t {t} l {l}"
        );
    }
    // Wrong selections and buffers are usage errors.
    let bad = [0..4, 0..1];
    let err = read_variable_into(
        &files,
        tt,
        Some(&bad),
        fst24::OutSlice::F32(&mut part),
        &DecodeOptions::default(),
    );
    assert!(matches!(err, Err(fst24::Error::Usage(_))));
    let err = read_variable_into(
        &files,
        tt,
        Some(&ranges),
        fst24::OutSlice::F32(&mut part[1..]),
        &DecodeOptions::default(),
    );
    assert!(matches!(err, Err(fst24::Error::Usage(_))));
}
