//! `File::read_many_into`: parallel decoding into caller buffers gives what `File::read`
//! gives, reports each record's error in its place, and leaves other buffers filled.

use std::path::Path;

use fst24::codec::output_len;
use fst24::{DecodeOptions, File, OutSlice, Values};

/// A librmn 20 reference file; a missing corpus fails the test (it must never pass empty).
fn corpus_file(name: &str) -> File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/librmn20")
        .join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    File::open(&path).expect("corpus file opens")
}

#[test]
fn matches_read_for_every_record() {
    for name in ["mixed_xdf.fst", "mixed_rsf.fst"] {
        let file = corpus_file(name);
        let mut keys = Vec::new();
        let mut expected = Vec::new();
        for rec in file.records() {
            if let Ok(a) = file.read(rec.index) {
                keys.push(rec.index);
                expected.push(a.values);
            }
        }
        assert!(keys.len() > 10, "{name}: too few decodable records");
        // Buffers of the right type and length, pre-filled with something else.
        let mut buffers: Vec<Values> = expected
            .iter()
            .map(|v| Values::zeroed(v.element_type(), v.scalar_len()))
            .collect();
        let jobs = keys
            .iter()
            .zip(buffers.iter_mut())
            .map(|(&k, b)| (k, b.as_out()))
            .collect();
        let results = file.read_many_into(jobs, &DecodeOptions::default());
        assert_eq!(results.len(), keys.len());
        for ((k, r), (got, want)) in keys.iter().zip(results).zip(buffers.iter().zip(&expected)) {
            r.unwrap_or_else(|e| panic!("{name} record {k}: {e}"));
            assert_eq!(got.as_bytes(), want.as_bytes(), "{name} record {k}");
        }
    }
}

#[test]
fn errors_stay_with_their_record() {
    let file = corpus_file("mixed_xdf.fst");
    let rec = file
        .records()
        .iter()
        .find(|r| r.header.element_type() == Some(fst24::ElementType::F32))
        .expect("a float32 record");
    let n = usize::try_from(output_len(&rec.header)).expect("fits");
    let mut good = vec![0f32; n];
    let mut short = vec![0f32; n - 1];
    let missing_key = file.directory_len();
    let mut spare = vec![0f32; n];
    let jobs = vec![
        (rec.index, OutSlice::F32(&mut short)),
        (rec.index, OutSlice::F32(&mut good)),
        (missing_key, OutSlice::F32(&mut spare)),
    ];
    let results = file.read_many_into(jobs, &DecodeOptions::default());
    assert!(
        matches!(results[0], Err(fst24::Error::Usage(_))),
        "{results:?}"
    );
    assert!(results[1].is_ok());
    assert!(
        matches!(results[2], Err(fst24::Error::Usage(_))),
        "{results:?}"
    );
    let Values::F32(want) = file.read(rec.index).expect("decodes").values else {
        panic!("float32 record decoded to another type");
    };
    assert_eq!(good, want);
}
