//! Helpers shared by the unit tests: a blank header, the reference corpus, `.npy` reading
//! and a float field strategy.

use std::path::PathBuf;

use proptest::prelude::*;

use crate::record::{DataType, RecordHeader};

/// A header with blank names and zero keys: only the packing and the shape set.
pub(crate) fn header(
    datyp: u8,
    nbits: u8,
    data_bits: u8,
    ni: u32,
    nj: u32,
    nk: u32,
) -> RecordHeader {
    RecordHeader {
        grtyp: b'X',
        ..RecordHeader::for_packing(DataType(datyp), nbits, data_bits, [ni, nj, nk])
    }
}

/// `shared/data` beside the repository, or under `$FST24_SHARED`.
pub(crate) fn shared_data() -> PathBuf {
    std::env::var_os("FST24_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
        .join("data")
}

/// A file of the librmn 019.5 corpus.
pub(crate) fn librmn019(name: &str) -> PathBuf {
    shared_data().join("librmn019").join(name)
}

/// Splits a `.npy` file into its header text (the dtype dictionary) and its data bytes.
pub(crate) fn npy_parts(bytes: &[u8]) -> (&str, &[u8]) {
    assert_eq!(&bytes[..6], b"\x93NUMPY", "not an npy file");
    let (header_len, start) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        _ => (
            u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize,
            12,
        ),
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    (header, &bytes[start + header_len..])
}

/// Float fields of 1..300 values at scales from 1e-6 to 1e30, offset from zero.
pub(crate) fn float_field() -> impl Strategy<Value = Vec<f32>> {
    let scale = prop_oneof![Just(1e-6f32), Just(1.0f32), Just(1e4f32), Just(1e30f32)];
    (
        scale,
        -1000.0f32..1000.0,
        prop::collection::vec(-1.0f32..1.0, 1..300),
    )
        .prop_map(|(s, off, v)| v.into_iter().map(|x| (x + off) * s).collect())
}

/// A fresh, empty scratch directory named after `tag`, removed when dropped (also when the
/// test panics).
pub(crate) fn temp_dir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("fst24-unit-{tag}-"))
        .tempdir()
        .expect("scratch directory")
}
