//! The datyp 1 and datyp 6 encoders against librmn: packing the arrays handed to librmn's
//! writer (the corpus `w` inputs) must give exactly the data areas librmn stored.
//!
//! Reads `shared/data` beside the repository; fails when it is absent.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::codec::{compact_float, float_packer};
use crate::record::BaseType;
use crate::test_support::{npy_parts, shared_data};
use crate::File;

fn data_root() -> PathBuf {
    let root = shared_data();
    assert!(root.is_dir(), "{} is missing", root.display());
    root
}

/// A float input array: librmn 019 packs double input as double (`compact_p_double`).
enum Input {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

/// The little-endian float data of a `.npy` file; `None` for integer or character arrays.
fn npy_floats(bytes: &[u8]) -> Option<Input> {
    let (header, body) = npy_parts(bytes);
    if header.contains("'<f4'") {
        Some(Input::F32(f32_bin(body)))
    } else if header.contains("'<f8'") {
        Some(Input::F64(
            body.chunks_exact(8)
                .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
                .collect(),
        ))
    } else {
        None
    }
}

fn f32_bin(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Encodes `input` like the record's stored datyp and compares with the stored words.
/// Returns whether the record was one of ours (plain datyp 1 or 6).
fn check_record(file: &File, offset: u64, input: &Input, what: &str) -> bool {
    let rec = file
        .records()
        .iter()
        .find(|r| r.file_offset() == offset)
        .unwrap_or_else(|| panic!("{what}: no record at offset {offset}"));
    let datyp = rec.header.datyp;
    // +64 records were packed from the plugged field, +128 ones are turbo streams.
    if datyp.has_missing() || datyp.is_turbo() {
        return false;
    }
    let nbits = u32::from(rec.header.nbits);
    let ours = match (datyp.base(), input) {
        (Some(BaseType::Real), Input::F32(v)) => compact_float::encode(v, nbits),
        (Some(BaseType::Real), Input::F64(v)) => compact_float::encode_f64(v, nbits),
        (Some(BaseType::Float), Input::F32(v)) => float_packer::encode(v, nbits),
        _ => return false,
    };
    let stored = file.read_words(rec.index).unwrap();
    assert_eq!(
        ours.len(),
        stored.len(),
        "{what}: datyp {} nbits {nbits}: area length",
        datyp.raw()
    );
    if let Some(i) = ours.iter().zip(&stored).position(|(a, b)| a != b) {
        panic!(
            "{what}: datyp {} nbits {nbits}: word {i} ours {:08x} librmn {:08x}",
            datyp.raw(),
            ours[i],
            stored[i]
        );
    }
    true
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn encoders_reproduce_librmn019_records() {
    let root = data_root();
    let dir = root.join("librmn019");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("fst") {
            continue;
        }
        let meta = json(&path.with_extension("json"));
        let file = File::open(&path).unwrap();
        for r in meta["records"].as_array().unwrap() {
            let Some(w) = r["write_index"].as_u64() else {
                continue;
            };
            let written = &meta["written"][w as usize];
            let Some(npy) = written["input_npy"].as_str() else {
                continue;
            };
            // Turbo requests that fell back to plain packing leave stale words of the
            // abandoned attempt in the slack (q129_1x1); missing-value mode packs plugs.
            let requested = written["requested"]["datyp"].as_u64().unwrap_or(0);
            if written["missing_value_mode"].as_bool() == Some(true) || requested & 128 != 0 {
                continue;
            }
            let Some(input) = npy_floats(&std::fs::read(dir.join(npy)).unwrap()) else {
                continue;
            };
            let offset = (r["fstprm"]["swa"].as_u64().unwrap() - 1) * 8;
            let what = format!("{} write {w}", path.display());
            checked += usize::from(check_record(&file, offset, &input, &what));
        }
    }
    eprintln!("librmn019: {checked} datyp 1/6 records reproduced");
    assert!(checked >= 20, "only {checked} datyp 1/6 records checked");
}

#[test]
fn encoders_reproduce_librmn20_xdf_records() {
    let root = data_root();
    let dir = root.join("librmn20");
    let mut paths = Vec::new();
    for sub in [dir.clone(), dir.join("tiny")] {
        for entry in std::fs::read_dir(&sub).unwrap() {
            let path = entry.unwrap().path();
            let name = path.to_string_lossy().into_owned();
            if name.ends_with("_xdf.fst") {
                paths.push(path);
            }
        }
    }
    let mut checked = 0;
    for path in paths {
        let meta = json(&path.with_extension("json"));
        let file = File::open(&path).unwrap();
        let base = path.parent().unwrap();
        for r in meta["fst24"]["records"].as_array().unwrap() {
            let Some(w) = r["write_order"].as_u64() else {
                continue;
            };
            let input = &meta["written"][w as usize]["input"];
            if input["elem_type"].as_str() != Some("f32") {
                continue;
            }
            let sidecar = input["sidecar"].as_str().unwrap();
            let values = Input::F32(f32_bin(&std::fs::read(base.join(sidecar)).unwrap()));
            let offset = r["file_offset"].as_u64().unwrap();
            let what = format!("{} write {w}", path.display());
            checked += usize::from(check_record(&file, offset, &values, &what));
        }
    }
    eprintln!("librmn20: {checked} datyp 1/6 records reproduced");
    assert!(checked >= 10, "only {checked} datyp 1/6 records checked");
}
