//! Vertical coordinates for descriptor kinds the corpus lacks (sigma, 5001, SLEVE,
//! hybrid height) and the choice of descriptor, built from hand-made vgrid tables, plus
//! the 5005 table of the corpus.

mod common;

mod dataset_common;

use std::collections::HashMap;

use dataset_common::corpus;
use fst24::dataset::AttrValue;
use fst24::ip::{encode_ip, IpStyle, LevelKind};
use fst24::vertical::{
    read_vgrid, vertical_coordinate, HyDescriptor, LevelCoefficients, VerticalDescriptors,
    VgridTable,
};
use fst24::File;

fn attr(attrs: &[(String, AttrValue)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| match v {
        AttrValue::Str(s) => s.clone(),
        other => format!("{other:?}"),
    })
}

fn table(vcode: i32, rows: &[(i32, f64, f64, Option<f64>)], pref: Option<f64>) -> VgridTable {
    let levels: HashMap<i32, LevelCoefficients> = rows
        .iter()
        .map(|&(ip1, a, b, c)| (ip1, LevelCoefficients { a, b, c }))
        .collect();
    VgridTable {
        vcode,
        tag: (1, 2),
        pref_pa: pref,
        sleve: matches!(vcode, 5100 | 21002),
        levels,
    }
}

fn descriptors(t: VgridTable) -> VerticalDescriptors {
    VerticalDescriptors {
        tables: vec![t],
        ..VerticalDescriptors::default()
    }
}

#[test]
fn corpus_5005_table_decodes() {
    let file = File::open(corpus("librmn019", "vcoord.fst")).unwrap();
    let rec = file
        .records()
        .iter()
        .find(|r| r.header.nomvar.trimmed() == "!!")
        .unwrap();
    let t = read_vgrid(&file, rec.index).unwrap();
    assert_eq!(t.vcode, 5005);
    assert_eq!(t.pref_pa, Some(100_000.0));
    // 10 momentum + 10 thermodynamic rows sharing the surface ip1: 19 distinct ip1s.
    assert_eq!(t.levels.len(), 19);
    // First momentum level (from the reference .npy): A 9.332451827367, B 0.
    let first = t.levels[&94_484_828];
    assert!((first.a - 9.332_451_827_367).abs() < 1e-9 && first.b == 0.0);
}

#[test]
fn hybrid_height_21001_uses_orography() {
    let ip = |h: f32| encode_ip(h, LevelKind::PressureMetres, IpStyle::New).unwrap();
    let t = table(
        21001,
        &[(ip(100.0), 100.0, 0.9, None), (ip(500.0), 500.0, 0.5, None)],
        None,
    );
    let levels = [(100.0, ip(100.0)), (500.0, ip(500.0))];
    let c = vertical_coordinate(
        LevelKind::PressureMetres,
        &levels,
        "P",
        (1, 2),
        &descriptors(t),
    );
    assert_eq!(c.name, "level");
    assert_eq!(
        attr(&c.attrs, "standard_name").unwrap(),
        "atmosphere_hybrid_height_coordinate"
    );
    assert_eq!(attr(&c.attrs, "positive").unwrap(), "up");
    assert_eq!(attr(&c.attrs, "formula").unwrap(), "z = a + b*orog");
    assert_eq!(c.aux.len(), 2);
    assert_eq!(c.aux[0].values, [100.0, 500.0]);
    assert!(c
        .formula_terms
        .contains(&("orog".to_string(), "ME".to_string())));
}

#[test]
fn sleve_5100_has_a_c_term_and_pref() {
    let ip = |h: f32| encode_ip(h, LevelKind::Hybrid, IpStyle::New).unwrap();
    let t = table(5100, &[(ip(0.5), 10.0, 0.3, Some(0.2))], Some(100_000.0));
    let c = vertical_coordinate(
        LevelKind::Hybrid,
        &[(0.5, ip(0.5))],
        "P",
        (1, 2),
        &descriptors(t),
    );
    assert_eq!(
        attr(&c.attrs, "formula").unwrap(),
        "p = exp(a+b*log(ps/pref)+c*log(psl/pref)) / 100.0"
    );
    assert_eq!(
        c.aux.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert_eq!(c.scalars[0].1, 1000.0);
}

#[test]
fn hybrid_5001_gives_ap_in_hpa() {
    let ip = |h: f32| encode_ip(h, LevelKind::Hybrid, IpStyle::New).unwrap();
    let t = table(5001, &[(ip(0.5), 25_000.0, 0.4, None)], Some(80_000.0));
    let c = vertical_coordinate(
        LevelKind::Hybrid,
        &[(0.5, ip(0.5))],
        "P",
        (9, 9),
        &descriptors(t),
    );
    assert_eq!(attr(&c.attrs, "formula").unwrap(), "p = ap + b*ps");
    assert_eq!(c.aux[0].name, "ap");
    assert_eq!(c.aux[0].values, [250.0]);
}

#[test]
fn sigma_and_plain_kinds() {
    let none = VerticalDescriptors::default();
    let c = vertical_coordinate(LevelKind::Sigma, &[(0.5, 0)], "P", (0, 0), &none);
    assert_eq!(attr(&c.attrs, "formula").unwrap(), "p = sigma * ps");
    let c = vertical_coordinate(LevelKind::HeightSea, &[(10.0, 0)], "P@", (0, 0), &none);
    assert_eq!(
        (c.name, attr(&c.attrs, "positive").unwrap()),
        ("depth", "down".into())
    );
    let c = vertical_coordinate(LevelKind::DepthSea, &[(10.0, 0)], "P", (0, 0), &none);
    assert_eq!(c.name, "depth");
    let c = vertical_coordinate(LevelKind::HeightGround, &[(1.5, 0)], "P", (0, 0), &none);
    assert_eq!(
        (c.name, attr(&c.attrs, "units").unwrap()),
        ("height", "m".into())
    );
}

#[test]
fn hy_wins_over_a_table_tagged_for_other_fields() {
    // fstd2nc: the `!!` tagged with the field's ig1/ig2, else the `HY`, else the only `!!`.
    let ip = |h: f32| encode_ip(h, LevelKind::Hybrid, IpStyle::New).unwrap();
    let t = table(5005, &[(ip(0.5), 10.0, 0.3, None)], Some(100_000.0));
    let mut d = descriptors(t);
    let untagged = vertical_coordinate(LevelKind::Hybrid, &[(0.5, ip(0.5))], "P", (7, 7), &d);
    // No CF standard name for the ln-pressure hybrid: a long_name says what it is.
    assert!(attr(&untagged.attrs, "standard_name").is_none());
    assert!(attr(&untagged.attrs, "long_name")
        .unwrap()
        .contains("ln-pressure"));
    d.hy = Some(HyDescriptor {
        ptop: 10.0,
        pref: 800.0,
        rcoef: 1.6,
    });
    let with_hy = vertical_coordinate(LevelKind::Hybrid, &[(0.5, ip(0.5))], "P", (7, 7), &d);
    assert_eq!(
        attr(&with_hy.attrs, "standard_name").unwrap(),
        "atmosphere_hybrid_sigma_pressure_coordinate"
    );
    assert_eq!(attr(&with_hy.attrs, "formula").unwrap(), "p = ap + b*ps");
    let tagged = vertical_coordinate(LevelKind::Hybrid, &[(0.5, ip(0.5))], "P", (1, 2), &d);
    assert_eq!(
        attr(&tagged.attrs, "formula").unwrap(),
        "p = exp(a+b*log(ps/pref)) / 100.0"
    );
}

#[test]
fn the_ip1_kind_decides_the_family_and_missing_levels_drop_the_formula() {
    // Kind-21 levels with a 5005 table (fstd2nc: hybrid height, no a/b), and hybrid
    // levels the table does not list (ln p, no formula).
    let hyb = |h: f32| encode_ip(h, LevelKind::Hybrid, IpStyle::New).unwrap();
    let t = table(5005, &[(hyb(0.5), 10.0, 0.3, None)], Some(100_000.0));
    let d = descriptors(t);
    let metres = encode_ip(1500.0, LevelKind::PressureMetres, IpStyle::New).unwrap();
    let c = vertical_coordinate(
        LevelKind::PressureMetres,
        &[(1500.0, metres)],
        "P",
        (1, 2),
        &d,
    );
    assert_eq!(
        attr(&c.attrs, "standard_name").unwrap(),
        "atmosphere_hybrid_height_coordinate"
    );
    assert_eq!(attr(&c.attrs, "positive").unwrap(), "up");
    assert!(attr(&c.attrs, "formula").is_none() && c.aux.is_empty());
    let c = vertical_coordinate(LevelKind::Hybrid, &[(0.25, hyb(0.25))], "P", (1, 2), &d);
    assert!(attr(&c.attrs, "standard_name").is_none());
    assert!(attr(&c.attrs, "long_name").unwrap().contains("ln-pressure"));
    assert!(attr(&c.attrs, "formula").is_none() && c.aux.is_empty() && c.scalars.is_empty());
}

#[test]
fn corpus_5005_table_lists_its_diagnostic_levels() {
    let file = File::open(corpus("librmn019", "vcoord.fst")).unwrap();
    let d = VerticalDescriptors::scan(&[&file]).unwrap();
    let ip = |h: f32| encode_ip(h, LevelKind::HeightGround, IpStyle::New).unwrap();
    let mut want = vec![ip(1.5), ip(10.0)];
    want.sort_unstable();
    assert_eq!(d.diagnostic_ip1s(), want);
}

/// Writes a `!!` record holding `rows` (4 columns) tagged (1, 2) and decodes it.
fn written_table(name: &str, vcode: i32, rows: &[[f64; 4]]) -> VgridTable {
    use fst24::writer::{RecordKeys, Writer, WriterOptions};
    let path = common::ScratchPath::new("vgrid", &format!("{name}.fst"));
    let mut keys = RecordKeys::new("!!", 4, rows.len() as u32, 1);
    (keys.datyp, keys.nbits) = (5, 64);
    (keys.ip1, keys.ip2, keys.ig1) = (1, 2, vcode);
    let values: Vec<f64> = rows.iter().flatten().copied().collect();
    let mut w = Writer::create(&path, WriterOptions::default()).unwrap();
    w.write(&keys, &values).unwrap();
    w.close().unwrap();
    let file = File::open(&path).unwrap();
    read_vgrid(&file, 0).unwrap()
}

#[test]
fn hybrid_height_is_sleve_only_with_its_own_large_scale_coefficients() {
    let ip = |h: f32| encode_ip(h, LevelKind::PressureMetres, IpStyle::New).unwrap();
    let levels = [(500.0, ip(500.0)), (1500.0, ip(1500.0))];
    // (rcoef1..4): rcoef3/rcoef4 unset (-1), equal to rcoef1/rcoef2, then distinct.
    for (rc3, rc4, sleve) in [(-1.0, -1.0, false), (1.0, 5.0, false), (0.5, 3.0, true)] {
        let rows = [
            [21.0, 1.0, 3.0, 1.0],
            [5.0, rc3, rc4, 0.0],
            [0.0; 4],
            [f64::from(ip(500.0)), 500.0, 0.6, 0.1],
            [f64::from(ip(1500.0)), 1500.0, 0.2, 0.05],
        ];
        let t = written_table("21001", 21001, &rows);
        assert_eq!(t.is_sleve(), sleve, "rcoef3 {rc3}, rcoef4 {rc4}");
        let c = vertical_coordinate(
            LevelKind::PressureMetres,
            &levels,
            "P",
            (1, 2),
            &descriptors(t),
        );
        let names: Vec<&str> = c.aux.iter().map(|a| a.name.as_str()).collect();
        if sleve {
            assert_eq!(
                attr(&c.attrs, "standard_name").unwrap(),
                "atmosphere_sleve_coordinate"
            );
            assert_eq!(names, ["az", "b2", "b1"]);
            assert_eq!(c.aux[2].values, [0.1, 0.05]);
        } else {
            assert_eq!(
                attr(&c.attrs, "standard_name").unwrap(),
                "atmosphere_hybrid_height_coordinate"
            );
            assert_eq!(names, ["a", "b"]);
        }
    }
}

#[test]
fn sleve_5100_table_gives_pref_from_its_header() {
    let ip = |h: f32| encode_ip(h, LevelKind::Hybrid, IpStyle::New).unwrap();
    let rows = [
        [5.0, 100.0, 3.0, 10.0],
        [100_000.0, 1.0, 5.0, 0.5],
        [3.0, 0.0, 0.0, 0.0],
        [f64::from(ip(0.5)), 11.0, 0.3, 0.2],
    ];
    let t = written_table("5100", 5100, &rows);
    assert_eq!(t.vcode, 5100);
    assert!(t.is_sleve());
    assert_eq!(t.pref_pa, Some(100_000.0));
}

/// Computed pressure on the corpus' GEM-like file (values against vgd_levels are checked
/// by the Python tests, which have rpnpy): one `PX` per model-level axis, on the fields'
/// dims, from P0 at each time, read whole or by slab.
#[test]
fn computed_pressure_follows_the_fields_axes() {
    use fst24::dataset::{plan, read_variable, read_variable_into, PlanOptions};
    use fst24::{OutSlice, Values};

    let file = File::open(corpus("librmn019", "mini_gem.fst")).unwrap();
    let files = [&file];
    let options = PlanOptions::default().with_pressure(true);
    let p = plan(&files, &options).unwrap();
    assert!(plan(&files, &PlanOptions::default())
        .unwrap()
        .variables
        .iter()
        .all(|v| v.derived.is_none()));
    let p0 = p.variable("P0").unwrap();
    for field in ["TT", "UU"] {
        let tt = p.variable(field).unwrap();
        let px = p
            .variables
            .iter()
            .find(|v| v.derived.is_some() && v.dims == tt.dims)
            .unwrap_or_else(|| panic!("no PX for {field}"));
        assert_eq!(attr(&px.attrs, "units").as_deref(), Some("hPa"));
        assert!(attr(&px.attrs, "comment").unwrap().contains(field));
        let Values::F32(values) = read_variable(&files, px, &Default::default()).unwrap() else {
            panic!("PX is not float32");
        };
        let (times, levels, n) = (px.shape[0], px.shape[1], px.record_len());
        // The bench file's P0 (447-790 hPa) is synthetic: no physical bounds, but every
        // value is computed, and each slot's surface record is P0 at its time.
        assert!(px.records.iter().filter(|r| r.is_some()).count() >= times * (levels - 1));
        assert!(values.iter().all(|p| p.is_finite() && *p > 0.0));
        for t in 0..times {
            for k in 0..levels {
                // A level with B = 0 (5005's top) needs no surface record.
                let r = px.records[t * levels + k];
                assert!(r.is_none() || r == p0.records[t], "{t} {k}");
            }
        }
        // A slab (the last time) equals the same part of the whole read.
        let mut slab = vec![0f32; levels * n];
        let ranges = [times - 1..times, 0..levels];
        read_variable_into(
            &files,
            px,
            Some(&ranges),
            OutSlice::F32(&mut slab),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(slab[..], values[(times - 1) * levels * n..]);
    }
}
