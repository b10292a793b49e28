//! Files whose one key claims a huge or empty field (issue 11, "crashes and memory bombs"):
//! every read path refuses them with a typed error naming the file, before allocating.

mod common;

use common::craft::{corpus_header, patch_keys, set_ni, set_nj, temp_path, write_one};
use fst24::{Backend, DecodeOptions, ElementType, Error, File, FormatErrorKind, OutSlice};

/// A 133 stream of a constant field with no mantissa bits (nbits 9): five words whatever
/// the field's size, as librmn writes it (legal: a constant field compresses to nothing).
fn constant_133_words() -> Vec<u32> {
    let zip = 5 | 2 << 18; // PARALLELOGRAM32, 0 mantissa bits, version 2
    let info = 127 << 16 | 1; // exponent base of 1.0, positive, constant, raw mantissas
    vec![5, zip, info, 0, 0]
}

fn constant_133(backend: Backend, ni: u32, nj: u32, tag: &str) -> common::ScratchPath {
    let mut h = corpus_header("librmn019/d133_n16.fst");
    (h.ni, h.nj, h.nk, h.nbits) = (ni, nj, 1, 9);
    let path = temp_path(tag);
    write_one(&path, backend, &h, &constant_133_words());
    path
}

#[test]
fn constant_133_too_big_for_the_default_limit_is_a_limit_error() {
    // 40,000 × 40,000 floats = 6.4 GB: refused before anything is allocated.
    let path = constant_133(Backend::Xdf, 40_000, 40_000, "c133_big");
    let f = File::open(&path).unwrap();
    let index = f.records()[0].index;
    let e = f.read(index).unwrap_err();
    let Error::Limits(l) = &e else {
        panic!("expected a limit error, got {e}")
    };
    assert_eq!(l.record, Some(index));
    assert_eq!(l.file.as_deref(), Some(&*path));
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn constant_133_decodes_when_within_the_limit() {
    let path = constant_133(Backend::Rsf, 300, 200, "c133_small");
    let f = File::open(&path).unwrap();
    let a = f.read(f.records()[0].index).unwrap();
    assert_eq!(a.shape, [300, 200, 1]);
    assert!(
        matches!(&a.values, fst24::Values::F32(v) if v.len() == 60_000 && v.iter().all(|&x| x == 1.0))
    );
    std::fs::remove_file(&path).unwrap();
}

/// A turbo record whose packed data is far too short for the size its keys claim: every
/// read path (allocating or into a caller's buffer) refuses it the same way, at once.
#[test]
fn turbo_record_claiming_billions_of_points_is_refused_on_every_path() {
    for backend in [Backend::Rsf, Backend::Xdf] {
        let src = File::open(common::shared_data().join("librmn019/d134_n16.fst")).unwrap();
        let rec = &src.records()[0];
        let words = src.read_words(rec.index).unwrap();
        let path = temp_path(&format!("turbo_claim_{backend}"));
        write_one(&path, backend, &rec.header, &words);
        // 3.2 billion points over a few hundred words (XDF's ni and nj have 24 bits).
        patch_keys(&path, 0, |k| match backend {
            Backend::Rsf => {
                set_ni(k, 134_217_748);
                set_nj(k, 24);
            }
            Backend::Xdf => {
                set_ni(k, 200);
                set_nj(k, 16_000_000);
            }
        });
        let mut options = fst24::OpenOptions::default();
        options.limits = fst24::Limits::unlimited();
        let unlimited = File::open_with(&path, options).unwrap();
        let e = unlimited.read(unlimited.records()[0].index).unwrap_err();
        assert!(
            matches!(&e, Error::Format(fe) if matches!(fe.kind, FormatErrorKind::PayloadTooShort { .. })),
            "{e}"
        );
        let f = File::open(&path).unwrap();
        let index = f.records()[0].index;
        let h = &f.records()[0].header;
        assert!(h.num_values() > 1 << 28, "{}", h.num_values());
        let short = |e: Error| match e {
            Error::Format(fe) => {
                assert!(
                    matches!(fe.kind, FormatErrorKind::PayloadTooShort { .. }),
                    "{fe}"
                );
                assert_eq!(fe.record, Some(index));
                assert_eq!(fe.file.as_deref(), Some(&*path));
            }
            // 3.2 billion floats also pass the default limit: refused for that first.
            Error::Limits(le) => {
                assert_eq!(le.record, Some(index));
                assert_eq!(le.file.as_deref(), Some(&*path));
            }
            other => panic!("{backend}: expected packed data too short, got {other}"),
        };
        short(f.read(index).unwrap_err());
        short(f.check_read(index, None).unwrap_err());
        short(f.check_read(index, Some(ElementType::F64)).unwrap_err());
        // A (wrong-sized) caller buffer: the size check comes first, whatever the buffer.
        let mut buf = vec![0f32; 16];
        short(
            f.read_into(index, OutSlice::F32(&mut buf), &DecodeOptions::default())
                .unwrap_err(),
        );
        std::fs::remove_file(&path).unwrap();
    }
}

/// A record with nj = 0 has no values: every path returns an empty result, never another
/// record's values.
#[test]
fn record_with_nj_zero_reads_as_empty() {
    let src = File::open(common::shared_data().join("librmn019/d005_n32.fst")).unwrap();
    let rec = &src.records()[0];
    let words = src.read_words(rec.index).unwrap();
    let path = temp_path("nj_zero");
    let _ = std::fs::remove_file(&path);
    let mut w = fst24::Writer::create(&path, fst24::WriterOptions::backend(Backend::Xdf)).unwrap();
    w.write_packed(&rec.header, &words).unwrap();
    let mut other = rec.header;
    other.ip2 += 1;
    w.write_packed(&other, &words).unwrap();
    w.close().unwrap();
    let first = File::open(&path).unwrap().records()[0].index;
    patch_keys(&path, 1, |k| set_nj(k, 0));
    let f = File::open(&path).unwrap();
    let second = f.records()[1].index;
    assert_eq!(f.records()[1].header.nj, 0);
    let full = f.read(first).unwrap();
    let empty = f.read(second).unwrap();
    assert_eq!(empty.values.scalar_len(), 0);
    for order in [[first, second], [second, first]] {
        let many = f.read_many(&order, &DecodeOptions::default());
        for (&i, r) in order.iter().zip(many) {
            let a = r.unwrap();
            assert_eq!(
                a,
                if i == first {
                    full.clone()
                } else {
                    empty.clone()
                }
            );
        }
    }
    let mut none: [f32; 0] = [];
    f.read_into(second, OutSlice::F32(&mut none), &DecodeOptions::default())
        .unwrap();
    std::fs::remove_file(&path).unwrap();
}

/// A valid 300-million-point Gaussian-grid record: the dataset plan keeps its 1-D lat and
/// lon axes and builds no 2-D coordinates (they would take 4.8 GB).
#[test]
fn plan_of_a_huge_separable_grid_builds_only_its_axes() {
    let path = constant_133(Backend::Rsf, 150_000, 2_000, "g300m");
    patch_keys(&path, 0, |k| k[1] = (k[1] & !0xFF) | u32::from(b'G'));
    let f = File::open(&path).unwrap();
    assert_eq!(f.records()[0].header.grtyp, b'G');
    let plan = fst24::dataset::plan(&[&f], &fst24::dataset::PlanOptions::default()).unwrap();
    let coord_values: usize = plan.coords.iter().map(|c| c.values.scalar_len()).sum();
    assert!(coord_values < 200_000, "{coord_values} coordinate values");
    assert!(plan
        .coords
        .iter()
        .any(|c| c.name == "lat" && c.values.scalar_len() == 2_000));
    assert!(plan
        .coords
        .iter()
        .any(|c| c.name == "lon" && c.values.scalar_len() == 150_000));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    std::fs::remove_file(&path).unwrap();
}

/// A variable whose record claims 2^23 more rows than it stores: reading the variable is
/// refused before its buffer (sized from that header) is allocated.
#[test]
fn variable_read_checks_its_records_before_allocating() {
    let src = File::open(common::shared_data().join("librmn019/d005_n32.fst")).unwrap();
    let rec = &src.records()[0];
    let words = src.read_words(rec.index).unwrap();
    let path = temp_path("var_claim");
    write_one(&path, Backend::Rsf, &rec.header, &words);
    let nj = rec.header.nj | 1 << 23;
    patch_keys(&path, 0, |k| set_nj(k, nj));
    let f = File::open(&path).unwrap();
    let plan = fst24::dataset::plan(&[&f], &fst24::dataset::PlanOptions::default()).unwrap();
    let var = plan
        .variables
        .iter()
        .find(|v| !v.records.is_empty())
        .unwrap();
    let e = fst24::dataset::check_records(&[&f], var).unwrap_err();
    assert!(
        matches!(&e, Error::Format(fe) if matches!(fe.kind, FormatErrorKind::PayloadTooShort { .. })),
        "{e}"
    );
    let e = fst24::dataset::read_variable(&[&f], var, &DecodeOptions::default()).unwrap_err();
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    std::fs::remove_file(&path).unwrap();
}
