//! Masks (`P@` fields with their `@@` records) and holes in integer variables, on the file
//! written with librmn by `tests/fstd2nc_compare/make_masks.py` (see `write_mask_case` in
//! `bindings-python/tests/rpn_cases.py` for its content).

use fst24::dataset::{plan, read_variable, AttrValue, DatasetPlan, PlanOptions, VarPlan};
use fst24::{DecodeOptions, File, MissingMode, Values};

fn masks_file() -> File {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    File::open(dir.join("data/masks.fst")).unwrap()
}

fn nan_options() -> DecodeOptions {
    let mut o = DecodeOptions::default();
    o.missing = MissingMode::Nan;
    o
}

fn var<'a>(p: &'a DatasetPlan, name: &str) -> &'a VarPlan {
    p.variable(name).unwrap_or_else(|| {
        let names: Vec<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
        panic!("no variable {name} in {names:?}")
    })
}

fn attr<'a>(v: &'a VarPlan, name: &str) -> Option<&'a AttrValue> {
    v.attrs.iter().find(|(k, _)| k == name).map(|(_, a)| a)
}

/// Mask values as 0/1 per point.
fn mask_values(values: &Values) -> Vec<bool> {
    match values {
        Values::U32(v) => v.iter().map(|&x| x > 0).collect(),
        Values::I32(v) => v.iter().map(|&x| x > 0).collect(),
        other => panic!("mask of type {:?}", other.element_type()),
    }
}

#[test]
fn masks_pair_with_their_fields_on_the_same_dimensions() {
    let file = masks_file();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let names: Vec<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(!names.iter().any(|n| n.contains('@')), "{names:?}");
    for field in ["TM", "GL", "IX"] {
        let v = var(&p, field);
        let mask_name = format!("{field}_mask");
        let m = var(&p, &mask_name);
        assert_eq!(v.dims, m.dims, "{field}");
        assert_eq!(v.shape, m.shape, "{field}");
        assert!(v.missing, "{field}");
        assert_eq!(v.masks, m.records, "{field}");
        assert!(v.masks.iter().all(Option::is_some), "{field}");
        assert_eq!(
            attr(v, "ancillary_variables"),
            Some(&AttrValue::Str(mask_name.clone()))
        );
        assert_eq!(attr(m, "flag_values"), Some(&AttrValue::I64s(vec![0, 1])));
        assert_eq!(
            attr(m, "flag_meanings"),
            Some(&AttrValue::Str("masked valid".into()))
        );
    }
    // The ocean temperature and its mask both sit on the depth axis (ip1 kind 7).
    let tm = var(&p, "TM");
    let depth = p.coord(&tm.dims[1]).unwrap();
    assert_eq!(depth.values, Values::F64(vec![5.0, 50.0]), "{:?}", tm.dims);
    // A mask that fits no field stays a variable of its own.
    assert!(var(&p, "ZZ").masks.is_empty());
    let gl = var(&p, "GL");
    assert_eq!(gl.shape[..gl.outer_ndim], [2]);
}

#[test]
fn masked_points_read_as_missing_others_as_stored() {
    let file = masks_file();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let options = nan_options();
    for field in ["TM", "GL"] {
        let v = var(&p, field);
        let Values::F32(data) = read_variable(&[&file], v, &options).unwrap() else {
            panic!("{field} is not f32")
        };
        let mask = mask_values(
            &read_variable(&[&file], var(&p, &format!("{field}_mask")), &options).unwrap(),
        );
        assert_eq!(data.len(), mask.len());
        let n = v.record_len();
        for (slot, rec) in v.records.iter().enumerate() {
            let (_, r) = rec.unwrap();
            let Values::F32(stored) = file.read(r).unwrap().values else {
                panic!()
            };
            for k in 0..n {
                let (x, keep) = (data[slot * n + k], mask[slot * n + k]);
                if keep {
                    assert_eq!(x, stored[k], "{field} slot {slot} point {k}");
                } else {
                    assert!(x.is_nan(), "{field} slot {slot} point {k}: {x}");
                }
            }
        }
        let masked = mask.iter().filter(|&&k| !k).count();
        assert!(
            masked > 0 && masked < mask.len(),
            "{field}: {masked} masked"
        );
    }
    // Integers: librmn's marker (i32::MIN) where masked, the stored value elsewhere.
    let ix = var(&p, "IX");
    let Values::I32(data) = read_variable(&[&file], ix, &options).unwrap() else {
        panic!("IX is not i32: {:?}", ix.dtype)
    };
    let mask = mask_values(&read_variable(&[&file], var(&p, "IX_mask"), &options).unwrap());
    for (x, keep) in data.iter().zip(&mask) {
        assert_eq!(*x == i32::MIN, !keep, "{x}");
        assert!(!keep || *x > 0);
    }
}

#[test]
fn integer_holes_read_as_the_marker() {
    let file = masks_file();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let ih = var(&p, "IH");
    assert_eq!(ih.shape[..ih.outer_ndim], [2, 2]);
    assert!(
        ih.missing,
        "an integer variable with a hole has missing points"
    );
    assert_eq!(ih.records.iter().filter(|r| r.is_none()).count(), 1);
    let Values::U32(data) = read_variable(&[&file], ih, &nan_options()).unwrap() else {
        panic!("IH is not u32: {:?}", ih.dtype)
    };
    let n = ih.record_len();
    for (slot, rec) in ih.records.iter().enumerate() {
        let values = &data[slot * n..(slot + 1) * n];
        match rec {
            None => assert!(values.iter().all(|&x| x == u32::MAX)),
            Some(_) => assert!(values.iter().all(|&x| x < 60000)),
        }
    }
}
