//! Writes a corpus of XDF files with every datyp this writer produces, for the librmn
//! cross-check (`tests/librmn_check/check.py`).
//!
//! Usage: `cargo run -p fst24 --example write_corpus -- OUTDIR`
//!
//! OUTDIR receives one file per record kind (`<tag>.fst`), a multi-page file exercising
//! erase/append/rewrite (`pages.fst`), and `manifest.json`: for every record we wrote,
//! its keys, the datyp/nbits it was stored with, the input values and what our own
//! reader decodes (raw little-endian sidecars in `OUTDIR/bin/`).

use std::path::{Path, PathBuf};

use fst24::record::Name;
use fst24::writer::{Data, RecordKeys, Writer, WriterOptions};
use fst24::{Backend, File, Values};
use serde_json::{json, Value};

fn field(ni: u32, nj: u32, seed: f32) -> Vec<f32> {
    (0..ni * nj)
        .map(|p| {
            let (i, j) = ((p % ni) as f32, (p / ni) as f32);
            280.0 + 15.0 * (0.31 * i + seed).sin() * (0.17 * j).cos() + 0.01 * (p % 7) as f32
        })
        .collect()
}

fn keys(tag: &str, ni: u32, nj: u32, datyp: u8, nbits: u8) -> RecordKeys {
    let mut k = RecordKeys::new(tag, ni, nj, 1);
    k.typvar = Name::new("P");
    k.etiket = Name::new("FST24WRITER");
    k.grtyp = b'X';
    k.dateo = 478263500; // 2025-01-02 03Z
    k.deet = 600;
    k.npas = 6;
    k.ip1 = 41394464; // 500 hPa, new style
    k.ip2 = 6;
    k.ip3 = 2;
    (k.ig1, k.ig2, k.ig3, k.ig4) = (10, 0x12_3456, 30, 40);
    k.datyp = datyp;
    k.nbits = nbits;
    k
}

fn save(dir: &Path, name: &str, v: &Values) -> Value {
    let (ty, bytes): (&str, Vec<u8>) = match v {
        Values::F32(x) => ("f32", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::F64(x) => ("f64", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::C64(x) => ("c64", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::C128(x) => ("c128", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::I8(x) => ("i8", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::I16(x) => ("i16", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::I32(x) => ("i32", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::I64(x) => ("i64", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::U8(x) => ("u8", x.clone()),
        Values::U16(x) => ("u16", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::U32(x) => ("u32", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::U64(x) => ("u64", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        Values::Chars(x) => ("char8", x.clone()),
        Values::Words(x) => ("x32", x.iter().flat_map(|e| e.to_le_bytes()).collect()),
        _ => panic!("unhandled values"),
    };
    std::fs::write(dir.join("bin").join(name), bytes).expect("write sidecar");
    json!({"sidecar": format!("bin/{name}"), "elem_type": ty})
}

/// Describes the records of `path` as our reader sees them, with the inputs we wrote
/// (by nomvar + ip1, for the files with several records).
fn describe(dir: &Path, path: &Path, inputs: &[(RecordKeys, Values, String)]) -> Value {
    let f = File::open(path).expect("our own file reads back");
    let mut records = Vec::new();
    for r in f.records() {
        let h = r.header;
        let (k, input, note) = inputs
            .iter()
            .rev()
            .find(|(k, _, _)| k.nomvar == h.nomvar && k.ip1 == h.ip1 && k.ip3 == h.ip3)
            .expect("every record has an input");
        let stem = format!(
            "{}_{}_{}",
            path.file_stem().unwrap().to_string_lossy(),
            h.nomvar.trimmed(),
            r.index
        );
        let ours = f.read(r.index).expect("our own record decodes");
        records.push(json!({
            "nomvar": h.nomvar.as_str(), "typvar": h.typvar.as_str(), "etiket": h.etiket.as_str(),
            "grtyp": (h.grtyp as char).to_string(), "ni": h.ni, "nj": h.nj, "nk": h.nk,
            "dateo": h.dateo, "datev": h.datev, "deet": h.deet, "npas": h.npas,
            "ip1": h.ip1, "ip2": h.ip2, "ip3": h.ip3,
            "ig1": h.ig1, "ig2": h.ig2, "ig3": h.ig3, "ig4": h.ig4,
            "requested_datyp": k.datyp, "requested_nbits": k.nbits,
            "datyp": h.datyp.raw(), "nbits": h.nbits, "note": note,
            "input": save(dir, &format!("{stem}_w.bin"), input),
            "ours": save(dir, &format!("{stem}_r.bin"), &ours.values),
        }));
    }
    json!({"file": path.file_name().unwrap().to_string_lossy(), "records": records})
}

fn main() -> fst24::Result<()> {
    let out = PathBuf::from(std::env::args().nth(1).expect("usage: write_corpus OUTDIR"));
    std::fs::create_dir_all(out.join("bin"))?;
    let (ni, nj) = (24u32, 20u32);
    let n = (ni * nj) as usize;
    let f = field(ni, nj, 0.3);
    let f64s: Vec<f64> = f.iter().map(|&x| f64::from(x) * 1.000_000_1).collect();
    let mut with_missing = f.clone();
    for p in (5..n).step_by(11) {
        with_missing[p] = -1.0e38;
    }
    let u: Vec<u32> = (0..n as u32)
        .map(|p| (p % ni) * 37 + (p / ni) * 11)
        .collect();
    let i32s: Vec<i32> = (0..n as i32)
        .map(|p| (p * 7919) % 60_001 - 30_000)
        .collect();
    let mut i32m = i32s.clone();
    for p in (3..n).step_by(9) {
        i32m[p] = i32::MIN;
    }
    let i16s: Vec<i16> = (0..n).map(|p| (p as i16).wrapping_mul(97)).collect();
    let i8s: Vec<i8> = (0..n).map(|p| (p as i8).wrapping_mul(13)).collect();
    let u8s: Vec<u8> = (0..n).map(|p| (p * 7) as u8).collect();
    let u16s: Vec<u16> = (0..n).map(|p| (p * 131) as u16).collect();
    let text: Vec<u8> = b"The quick brown fox jumps over the lazy dog 0123"
        .iter()
        .cycle()
        .take(48)
        .copied()
        .collect();
    let complex: Vec<f32> = (0..2 * 48).map(|i| i as f32 * 0.25 - 7.0).collect();
    let complex64: Vec<f64> = (0..2 * 48).map(|i| f64::from(i) / 3.0).collect();
    let words: Vec<u32> = (0..n as u32)
        .map(|i| 0xA0B0_C0D0 ^ i.wrapping_mul(2_654_435_761))
        .collect();

    // (tag, keys, data, note)
    let mut cases: Vec<(String, RecordKeys, Values, &str)> = Vec::new();
    // The tag is the record's nomvar.
    let mut add = |k: RecordKeys, v: Values, note: &'static str| {
        cases.push((k.nomvar.trimmed().to_string(), k, v, note));
    };
    add(keys("X32", ni, nj, 0, 32), Values::Words(words), "binary");
    for nb in [1u8, 2, 8, 12, 16, 24, 30] {
        let note = if nb == 1 {
            "librmn 20 cannot decode R1 (prototype bug, xdf.md §4.2); 019.5 can"
        } else {
            ""
        };
        add(
            keys(&format!("R{nb}"), ni, nj, 1, nb),
            Values::F32(f.clone()),
            note,
        );
    }
    add(
        keys("R32", ni, nj, 1, 32),
        Values::F32(f.clone()),
        "stored as E32",
    );
    for nb in [8u8, 12, 16, 32] {
        add(
            keys(&format!("U{nb}"), ni, nj, 2, nb),
            Values::U32(u.iter().map(|x| x & ((1u64 << nb) - 1) as u32).collect()),
            "",
        );
    }
    add(keys("U8B", ni, nj, 2, 8), Values::U8(u8s), "uint8 input");
    add(
        keys("U16S", ni, nj, 2, 16),
        Values::U16(u16s),
        "uint16 input",
    );
    add(
        keys("A", 48, 1, 3, 8),
        Values::Chars(text.clone()),
        "characters",
    );
    for nb in [12u8, 16, 32] {
        let half = 1i64 << (nb - 1);
        let vals: Vec<i32> = i32s
            .iter()
            .map(|&x| i64::from(x).clamp(-half, half - 1) as i32)
            .collect();
        add(
            keys(&format!("I{nb}"), ni, nj, 4, nb),
            Values::I32(vals),
            "",
        );
    }
    add(keys("I8B", ni, nj, 4, 8), Values::I8(i8s), "int8 input");
    // 64-bit input packed on 16/32 bits: XDF stores it as 32-bit data (dasiz 32).
    for nb in [16u8, 32] {
        let half = 1i64 << (nb - 1);
        let wide: Vec<i64> = i32s
            .iter()
            .map(|&x| i64::from(x).clamp(-half, half - 1))
            .collect();
        add(
            keys(&format!("I3{nb}"), ni, nj, 4, nb),
            Values::I64(wide),
            "int64 input",
        );
    }
    add(
        keys("U332", ni, nj, 2, 32),
        Values::U64(i32s.iter().map(|&x| u64::from(x.unsigned_abs())).collect()),
        "uint64 input",
    );
    add(
        keys("I16S", ni, nj, 4, 16),
        Values::I16(i16s),
        "int16 input",
    );
    for nb in [16u8, 24, 32] {
        add(
            keys(&format!("E{nb}"), ni, nj, 5, nb),
            Values::F32(f.clone()),
            "",
        );
    }
    add(keys("E64", ni, nj, 5, 64), Values::F64(f64s), "");
    for nb in [8u8, 12, 16] {
        add(
            keys(&format!("F{nb}"), ni, nj, 6, nb),
            Values::F32(f.clone()),
            "",
        );
    }
    add(keys("S", 48, 1, 7, 8), Values::Chars(text), "string");
    add(keys("C32", 12, 4, 8, 32), Values::C64(complex), "");
    add(keys("C64", 12, 4, 8, 64), Values::C128(complex64), "");
    add(
        keys("M65", ni, nj, 65, 16),
        Values::F32(with_missing.clone()),
        "R16 + missing",
    );
    add(
        keys("M70", ni, nj, 70, 16),
        Values::F32(with_missing),
        "F16 + missing",
    );
    add(
        keys("M68", ni, nj, 68, 32),
        Values::I32(i32m),
        "I32 + missing",
    );
    add(keys("T129", ni, nj, 129, 16), Values::F32(f.clone()), "");
    add(
        keys("T130", ni, nj, 130, 12),
        Values::U32(u.iter().map(|x| x & 0xFFF).collect()),
        "",
    );
    add(keys("T133", ni, nj, 133, 32), Values::F32(f.clone()), "");
    add(keys("T134", ni, nj, 134, 16), Values::F32(f.clone()), "");

    // Narrow integers, 3-D fields, double input, turbo + missing values.
    add(
        keys("U1", ni, nj, 2, 1),
        Values::U32(u.iter().map(|x| x & 1).collect()),
        "",
    );
    let i5: Vec<i32> = i32s.iter().map(|&x| x.rem_euclid(32) - 16).collect();
    add(keys("I5", ni, nj, 4, 5), Values::I32(i5), "");
    add(
        keys("U24", ni, nj, 2, 24),
        Values::U32(u.iter().map(|x| x * 1000).collect()),
        "",
    );
    let mut k3 = keys("R3D", 12, 10, 1, 16);
    k3.nk = 4;
    add(k3, Values::F32(field(12, 40, 1.1)), "3-D");
    let mut kt3 = keys("TZ3", 12, 10, 134, 16);
    kt3.nk = 4;
    add(
        kt3,
        Values::F32(field(12, 40, 1.2)),
        "3-D turbo: stored as F16",
    );
    add(
        keys("RD", ni, nj, 1, 16),
        Values::F64(f.iter().map(|&x| f64::from(x) + 1e-9).collect()),
        "double input",
    );
    let mut sparse = f.clone();
    for p in [33, 250, 401] {
        sparse[p] = -1.0e38;
    }
    add(
        keys("M198", ni, nj, 198, 16),
        Values::F32(sparse),
        "F16 turbo + missing",
    );
    let mut um: Vec<u32> = u.iter().map(|x| x & 0x7FF).collect();
    for p in [10, 300] {
        um[p] = u32::MAX;
    }
    add(
        keys("M194", ni, nj, 194, 12),
        Values::U32(um),
        "U12 turbo + missing",
    );
    let mut files = Vec::new();
    for (tag, k, v, note) in &cases {
        let path = out.join(format!("{tag}.fst"));
        let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf))?;
        w.write(k, Data::from(v))?;
        w.close()?;
        files.push(describe(
            &out,
            &path,
            &[(k.clone(), v.clone(), note.to_string())],
        ));
    }

    // Several directory pages, erase, append in a second session, rewrite.
    let path = out.join("pages.fst");
    let mut inputs = Vec::new();
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf))?;
    for i in 0..300 {
        let mut k = keys("PG", 8, 4, 1, 16);
        k.ip1 = i;
        let v = Values::F32(field(8, 4, i as f32));
        w.write(&k, Data::from(&v))?;
        inputs.push((k, v, String::new()));
    }
    w.close()?;
    let mut w = Writer::append(&path)?;
    for index in [0usize, 17, 255, 256] {
        w.erase(index)?;
    }
    for i in 300..520 {
        let mut k = keys("PG", 8, 4, 6, 16);
        k.ip1 = i;
        let v = Values::F32(field(8, 4, i as f32));
        w.write(&k, Data::from(&v))?;
        inputs.push((k, v, String::new()));
    }
    let mut k = keys("PG", 8, 4, 5, 32);
    k.ip1 = 42;
    let v = Values::F32(vec![42.5; 32]);
    w.rewrite(&k, Data::from(&v))?;
    inputs.push((k, v, "rewritten".into()));
    w.close()?;
    inputs.retain(|(k, _, _)| ![0, 17, 255, 256].contains(&k.ip1));
    files.push(describe(&out, &path, &inputs));

    let manifest = json!({"writer": "fst24 (this repository)", "files": files});
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )?;
    eprintln!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}
