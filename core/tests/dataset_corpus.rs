//! Plans of every corpus file (librmn 019.5 XDF, librmn 20 XDF and RSF): each numeric
//! record lands in exactly one slot, every variable reads back, RSF and XDF twins plan
//! alike; and hostile descriptors give errors, not panics or huge allocations.

mod dataset_common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use dataset_common::corpus;
use fst24::dataset::{plan, read_variable, DatasetPlan, PlanOptions};
use fst24::grid::horizontal_grid;
use fst24::record::BaseType;
use fst24::{DecodeOptions, Error, File, MissingMode};

fn fst_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fst_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "fst") {
            out.push(path);
        }
    }
}

/// Records a plan should hold: numeric, not descriptors.
fn data_records(file: &File) -> HashSet<usize> {
    file.records()
        .iter()
        .filter(|r| {
            let h = &r.header;
            !h.is_descriptor()
                && !matches!(h.nomvar.trimmed(), "META" | "PROJ")
                && h.element_type().is_some()
                && !matches!(
                    h.datyp.base(),
                    Some(BaseType::Chars | BaseType::String) | None
                )
        })
        .map(|r| r.index)
        .collect()
}

fn check(path: &Path) -> DatasetPlan {
    let file = File::open(path).unwrap();
    let p = plan(&[&file], &PlanOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut seen = HashSet::new();
    for v in &p.variables {
        assert_eq!(v.dims.len(), v.shape.len());
        assert_eq!(
            v.records.len(),
            v.shape[..v.outer_ndim].iter().product::<usize>()
        );
        for (f, r) in v.records.iter().flatten() {
            assert_eq!(*f, 0);
            assert!(seen.insert(*r), "{}: record {r} twice", path.display());
        }
        for d in &v.dims {
            assert!(
                p.dim_len(d).is_some(),
                "{}: {} has no dim {d}",
                path.display(),
                v.name
            );
        }
        let mut options = DecodeOptions::default();
        options.missing = MissingMode::Nan;
        read_variable(&[&file], v, &options)
            .unwrap_or_else(|e| panic!("{}: {}: {e}", path.display(), v.name));
    }
    let expected = data_records(&file);
    let has_duplicates = p.warnings.iter().any(|w| w.contains("duplicate"));
    if has_duplicates {
        assert!(seen.is_subset(&expected));
    } else {
        assert_eq!(seen, expected, "{}", path.display());
    }
    let names: HashSet<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names.len(),
        p.variables.len(),
        "{}: names unique",
        path.display()
    );
    p
}

#[test]
fn every_corpus_file_plans_and_reads() {
    let mut files = Vec::new();
    fst_files(&corpus("librmn019", ""), &mut files);
    fst_files(&corpus("librmn20", ""), &mut files);
    assert!(files.len() > 100, "{}", files.len());
    for path in &files {
        check(path);
    }
}

#[test]
fn rsf_and_xdf_twins_plan_alike() {
    for name in ["mixed", "appended", "deleted"] {
        let xdf = check(&corpus("librmn20", &format!("{name}_xdf.fst")));
        let rsf = check(&corpus("librmn20", &format!("{name}_rsf.fst")));
        assert_eq!(xdf.dims, rsf.dims, "{name}");
        assert_eq!(xdf.coords, rsf.coords, "{name}");
        let shapes = |p: &DatasetPlan| -> Vec<(String, Vec<usize>)> {
            p.variables
                .iter()
                .map(|v| (v.name.clone(), v.shape.clone()))
                .collect()
        };
        assert_eq!(shapes(&xdf), shapes(&rsf), "{name}");
    }
}

#[test]
fn hostile_grid_descriptors_are_errors() {
    let file = File::open(corpus("librmn019", "grids.fst")).unwrap();
    let tt = file
        .records()
        .iter()
        .find(|r| r.header.nomvar.trimmed() == "TT")
        .unwrap();
    // A Z grid pointing at positional records that do not exist.
    let mut h = tt.header;
    h.ig1 = 12345;
    let err = horizontal_grid(&[&file], 0, &h, tt.index).unwrap_err();
    assert!(matches!(err, Error::Format(_)), "{err}");
    assert!(
        err.to_string().contains(&format!("record {}", tt.index)),
        "{err}"
    );
    // Axes of the wrong length.
    let mut h = tt.header;
    h.ni += 1;
    assert!(horizontal_grid(&[&file], 0, &h, tt.index).is_err());
    // A Gaussian grid too tall to root-find, and a grid too large to allocate.
    let mut h = tt.header;
    h.grtyp = b'G';
    (h.ig1, h.ig2, h.ig3, h.ig4) = (0, 0, 0, 0);
    h.nj = 1 << 20;
    h.ni = 4;
    assert!(horizontal_grid(&[&file], 0, &h, tt.index).is_err());
    // Separable grids keep only their axes (2-D lat/lon on demand): 2^48 points plan
    // in 256 MB; a rotated grid needs every point and is refused by the limits.
    h.grtyp = b'A';
    h.ni = 1 << 24;
    h.nj = 1 << 24;
    let grid = horizontal_grid(&[&file], 0, &h, tt.index).unwrap().unwrap();
    assert!(grid.is_regular_latlon() && grid.lat.is_empty());
    h.grtyp = b'E';
    let err = horizontal_grid(&[&file], 0, &h, tt.index).unwrap_err();
    assert!(matches!(err, Error::Limits(_)), "{err}");
    assert!(err.to_string().contains("grids.fst"), "{err}");
}

#[test]
fn positional_records_are_found_in_other_files() {
    // Fields of grids.fst planned after an unrelated file: their >>/^^ are still found
    // (in their own file first), and their record refs carry file index 1.
    let other = File::open(corpus("librmn019", "d001_n16.fst")).unwrap();
    let grids = File::open(corpus("librmn019", "grids.fst")).unwrap();
    let p = plan(&[&other, &grids], &PlanOptions::default()).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let tt = p.variable("TT").unwrap();
    assert!(tt.dims[2].starts_with("rlat") && tt.dims[3].starts_with("rlon"));
    assert!(tt.records.iter().flatten().all(|&(f, _)| f == 1));
    let from_first = p
        .variables
        .iter()
        .filter(|v| v.records.iter().flatten().all(|&(f, _)| f == 0))
        .count();
    assert_eq!(from_first, 1, "d001_n16.fst holds one variable");
}
