//! The `fst24` binary on hostile and damaged files (issue 11): typed errors and exit 1,
//! never an abort (exit 134) or a panic; `ls --recover` lists what a damaged file holds.

mod common;

use std::path::Path;
use std::process::Output;

use common::{data, fst24, scratch, text};
use fst24::{Backend, File, RecordHeader, Writer, WriterOptions};

/// One record with the keys of `header` and the packed `words`.
fn write_one(path: &Path, backend: Backend, header: &RecordHeader, words: &[u32]) {
    let mut w = Writer::create(path, WriterOptions::backend(backend)).unwrap();
    w.write_packed(header, words).unwrap();
    w.close().unwrap();
}

/// Changes every copy of record 0's key words (RSF: little-endian) with `edit`.
fn patch_rsf_keys(path: &Path, edit: impl Fn(&mut [u32; 16])) {
    let keys = File::open(path).unwrap().records()[0].entry.keys.0;
    let mut new = keys;
    edit(&mut new);
    let enc = |k: &[u32; 16]| k.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>();
    let (old, new) = (enc(&keys), enc(&new));
    let mut bytes = std::fs::read(path).unwrap();
    let mut found = 0;
    while let Some(p) = bytes.windows(old.len()).position(|w| w == old) {
        bytes[p..p + new.len()].copy_from_slice(&new);
        found += 1;
    }
    assert!(found > 0);
    std::fs::write(path, bytes).unwrap();
}

fn assert_refused(out: &Output, path: &Path, what: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(err.contains(path.to_str().unwrap()), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

#[test]
fn convert_and_dump_of_records_claiming_huge_grids_fail_cleanly() {
    let dir = scratch("huge");
    let src = File::open(data("librmn019/d005_n32.fst")).unwrap();
    let rec = &src.records()[0];
    let words = src.read_words(rec.index).unwrap();
    for (tag, ni, nj) in [
        ("wide", (1u32 << 31) + 8, 1u32),
        ("square", 1 << 31, 0xFF_FFFF),
    ] {
        let path = dir.join(format!("{tag}.fst"));
        write_one(&path, Backend::Rsf, &rec.header, &words);
        patch_rsf_keys(&path, |k| {
            k[1] = (k[1] & 0xFF) | (ni & 0xFF_FFFF) << 8;
            k[10] = (k[10] & !0xFF) | (ni >> 24);
            k[2] = (k[2] & 0xFF) | (nj & 0xFF_FFFF) << 8;
        });
        assert_eq!(File::open(&path).unwrap().records()[0].header.ni, ni);
        for to in ["netcdf", "zarr"] {
            let out_path = dir.join(format!("{tag}.{to}"));
            let out = fst24(&[
                "convert",
                path.to_str().unwrap(),
                "--to",
                to,
                out_path.to_str().unwrap(),
            ]);
            assert_refused(&out, &path, &format!("convert {tag} to {to}"));
        }
        let out = fst24(&["dump", path.to_str().unwrap(), "--record", "0"]);
        assert_refused(&out, &path, &format!("dump {tag}"));
    }
    // A legal constant 133 field (nbits 9, five words) of 40,000 × 40,000 floats.
    let mut h = File::open(data("librmn019/d133_n16.fst"))
        .unwrap()
        .records()[0]
        .header;
    (h.ni, h.nj, h.nbits) = (40_000, 40_000, 9);
    let path = dir.join("c133.fst");
    write_one(
        &path,
        Backend::Xdf,
        &h,
        &[5, 5 | 2 << 18, 127 << 16 | 1, 0, 0],
    );
    let out = fst24(&["dump", path.to_str().unwrap(), "--record", "0"]);
    assert_refused(&out, &path, "dump 133");
    assert!(
        text(&out.stderr).contains("limit exceeded"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ls_recover_lists_a_file_librmn_refuses() {
    let dir = scratch("recover");
    let mut bytes = std::fs::read(data("librmn019/mini_gem.fst")).unwrap();
    bytes[28..32].fill(0); // no directory pages: never closed
    let path = dir.join("unclosed.fst");
    std::fs::write(&path, bytes).unwrap();
    let plain = fst24(&["ls", path.to_str().unwrap()]);
    assert_refused(&plain, &path, "ls without --recover");
    let out = fst24(&["ls", "--recover", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let full = File::open(data("librmn019/mini_gem.fst")).unwrap();
    assert!(text(&out.stdout).contains(&format!("{} records", full.records().len())));
    assert!(text(&out.stderr).contains("recovery mode"));
    std::fs::remove_dir_all(&dir).unwrap();
}
