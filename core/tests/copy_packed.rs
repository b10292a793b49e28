//! Lossless copy (`Writer::copy_record` / `write_packed`): every record of both
//! reference corpora, copied to each backend, lists the same keys and decodes bit for bit
//! to the source's values (both missing-value modes), lossy packings included.

mod common;

use std::path::{Path, PathBuf};

use fst24::record::BaseType;
use fst24::{Backend, DecodeOptions, File, MissingMode, RecordHeader, Writer, WriterOptions};

fn corpus() -> Vec<PathBuf> {
    common::corpus_files(&["librmn019", "librmn20", "librmn20/tiny"], common::is_fst)
}

/// Where a copy of `src` goes: its own scratch directory, gone when the value is dropped.
fn out_path(tag: &str, src: &Path) -> common::ScratchPath {
    let name = src.file_name().unwrap().to_str().unwrap();
    common::ScratchPath::new(&format!("copy-{tag}"), name)
}

/// Records the XDF container cannot hold (librmn 20 RSF only).
fn xdf_cannot_hold(h: &RecordHeader) -> bool {
    let wide_int =
        matches!(h.datyp.base(), Some(BaseType::Unsigned | BaseType::Signed)) && h.nbits > 32;
    wide_int || h.ni >= 1 << 24 || h.nj >= 1 << 24
}

fn modes() -> [DecodeOptions; 2] {
    let mut marker = DecodeOptions::default();
    marker.missing = MissingMode::Marker;
    [DecodeOptions::default(), marker]
}

/// Copies `src` to `backend`; returns how many records were copied.
/// Copies every record of `src_path` to `backend`; returns how many were copied and how
/// many of the copies carry extended metadata.
fn check_copy(src_path: &Path, backend: Backend) -> (usize, usize) {
    let src = File::open(src_path).unwrap();
    let out = out_path(&backend.to_string(), src_path);
    let mut w = Writer::create(&out, WriterOptions::backend(backend)).unwrap();
    let mut copied = Vec::new();
    let mut with_json = 0;
    for rec in src.records() {
        match w.copy_record(&src, rec.index) {
            Ok(_) => copied.push(rec),
            Err(e) => assert!(
                backend == Backend::Xdf && xdf_cannot_hold(&rec.header),
                "{}: record {} to {backend}: {e}",
                src_path.display(),
                rec.index
            ),
        }
    }
    w.close().unwrap();
    let dst = File::open(&out).unwrap();
    assert_eq!(dst.records().len(), copied.len(), "{}", src_path.display());
    for (s, d) in copied.iter().zip(dst.records()) {
        let what = format!("{} record {} → {backend}", src_path.display(), s.index);
        assert_eq!(s.header, d.header, "{what}: keys");
        // Extended JSON metadata goes along in RSF; XDF has no place for it.
        let expected = match backend {
            Backend::Rsf => s.extended_metadata(),
            Backend::Xdf => None,
        };
        assert_eq!(d.extended_metadata(), expected, "{what}: metadata");
        with_json += usize::from(d.extended_metadata().is_some());
        for opts in modes() {
            match (src.read_with(s.index, &opts), dst.read_with(d.index, &opts)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.shape, b.shape, "{what}");
                    assert_eq!(a.values.element_type(), b.values.element_type(), "{what}");
                    assert!(a.values.as_bytes() == b.values.as_bytes(), "{what}: values");
                }
                // A record the reader refuses must be refused the same way after the copy.
                (Err(a), Err(b)) => assert_eq!(
                    std::mem::discriminant(&a),
                    std::mem::discriminant(&b),
                    "{what}"
                ),
                (a, b) => panic!("{what}: source {:?}, copy {:?}", a.err(), b.err()),
            }
        }
    }
    (copied.len(), with_json)
}

#[test]
fn every_corpus_record_copies_losslessly_to_both_backends() {
    let files = corpus();
    for must in [
        "d069_n64.fst",
        "q129_n12.fst",
        "d133_n16.fst",
        "mixed_rsf.fst",
        "filemeta_rsf.fst",
    ] {
        assert!(
            files.iter().any(|p| p.ends_with(must)),
            "{must} missing from the corpus"
        );
    }
    let (mut total, mut json_total) = (0, 0);
    for path in &files {
        let n = File::open(path).unwrap().records().len();
        let (to_rsf, json) = check_copy(path, Backend::Rsf);
        assert_eq!(to_rsf, n, "{}: RSF takes every record", path.display());
        total += to_rsf + check_copy(path, Backend::Xdf).0;
        json_total += json;
    }
    assert!(total > 200, "only {total} records copied");
    // mixed_rsf's TM, filemeta_rsf's META and TT.
    assert!(
        json_total >= 3,
        "{json_total} copies with extended metadata"
    );
}

fn header(datyp: u8, nbits: u8, ni: u32, nj: u32) -> RecordHeader {
    let src = common::shared_data().join("librmn019/d001_n16.fst");
    let mut h = File::open(src).unwrap().records()[0].header;
    h.datyp = fst24::DataType(datyp);
    h.nbits = nbits;
    h.ni = ni;
    h.nj = nj;
    h.nk = 1;
    h
}

#[test]
fn inconsistent_packed_data_is_refused() {
    let out = common::ScratchPath::new("copy-bad", "bad.fst");
    let mut w = Writer::create(&out, WriterOptions::backend(Backend::Xdf)).unwrap();
    // 4×4 E32 needs 16 words.
    let e = w.write_packed(&header(5, 32, 4, 4), &[0; 15]).unwrap_err();
    assert!(matches!(e, fst24::Error::Format(_)), "{e}");
    // Compressed 129 whose word 0 claims more words than given.
    let e = w
        .write_packed(&header(129, 16, 16, 16), &[40; 20])
        .unwrap_err();
    assert!(matches!(e, fst24::Error::Format(_)), "{e}");
    // 64-bit integers do not exist in XDF.
    let e = w.write_packed(&header(4, 64, 2, 1), &[0; 4]).unwrap_err();
    assert!(e.to_string().contains("64-bit"), "{e}");
    // Undefined datyp.
    assert!(w.write_packed(&header(9, 32, 2, 1), &[0; 4]).is_err());
    // ni beyond XDF's 24 bits.
    assert!(w.write_packed(&header(5, 32, 1 << 24, 1), &[]).is_err());
    w.close().unwrap();
    let f = File::open(&out).unwrap();
    assert!(f.records().is_empty());
}

/// The copy of librmn's XDF file to RSF has the data areas librmn wrote in RSF for the
/// same record, and back (the 129 extra word is added and dropped).
#[test]
fn copies_take_the_target_backends_layout() {
    let tiny = common::corpus_files(&["librmn20/tiny"], |p| {
        p.to_str().unwrap().ends_with("_xdf.fst")
    });
    assert!(tiny.iter().any(|p| p.ends_with("tiny_d129_r16z_xdf.fst")));
    for xdf_path in &tiny {
        let rsf_path = PathBuf::from(xdf_path.to_str().unwrap().replace("_xdf.fst", "_rsf.fst"));
        for (from, like, backend) in [
            (xdf_path, &rsf_path, Backend::Rsf),
            (&rsf_path, xdf_path, Backend::Xdf),
        ] {
            let src = File::open(from).unwrap();
            let out = out_path("layout", from);
            let mut w = Writer::create(&out, WriterOptions::backend(backend)).unwrap();
            for rec in src.records() {
                w.copy_record(&src, rec.index).unwrap();
            }
            w.close().unwrap();
            let copy = File::open(&out).unwrap();
            let reference = File::open(like).unwrap();
            assert_eq!(copy.records().len(), reference.records().len());
            for (c, r) in copy.records().iter().zip(reference.records()) {
                assert_eq!(
                    c.entry.data_len,
                    r.entry.data_len,
                    "{} → {backend}: record {}",
                    from.display(),
                    c.index
                );
                let (cw, rw) = (
                    copy.read_words(c.index).unwrap(),
                    reference.read_words(r.index).unwrap(),
                );
                assert_eq!(cw.first(), rw.first(), "{}", from.display());
            }
        }
    }
}
