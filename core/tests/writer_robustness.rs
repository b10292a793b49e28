//! Appending to damaged files: truncated or byte-flipped copies of the librmn 20 corpus.
//! The writer must refuse with an error or produce a file that still reads; never panic,
//! hang, or write outside the records it was given.

mod common;

use std::path::{Path, PathBuf};

use fst24::writer::{RecordKeys, Writer};
use fst24::File;

fn corpus_files() -> Vec<PathBuf> {
    common::corpus_files(&["librmn20", "librmn20/tiny"], common::is_fst)
}

/// Erases index 0, appends one record and closes; returns whether the session worked.
fn session(path: &Path) -> bool {
    let Ok(mut w) = Writer::append(path) else {
        return false;
    };
    let mut k = RecordKeys::new("NEW", 4, 2, 1);
    k.datyp = 5;
    k.nbits = 32;
    let _ = w.erase(0);
    let ok = w.write(&k, &[1.0f32; 8]).is_ok();
    w.close().is_ok() && ok
}

#[test]
fn damaged_files_are_refused_or_stay_readable() {
    let dir = common::scratch_dir("writer-robust");
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut refused, mut written) = (0, 0);
    for src in corpus_files() {
        let original = std::fs::read(&src).unwrap();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for cut in [0, 7, 64, 139, 208, original.len() / 2, original.len() - 1] {
            variants.push(original[..cut.min(original.len())].to_vec());
        }
        for _ in 0..12 {
            let mut v = original.clone();
            let at = (next() % v.len() as u64) as usize;
            v[at] ^= 1 << (next() % 8);
            variants.push(v);
        }
        for (n, bytes) in variants.iter().enumerate() {
            let path = dir.join(format!(
                "{}-{n}",
                src.file_name().unwrap().to_string_lossy()
            ));
            std::fs::write(&path, bytes).unwrap();
            if session(&path) {
                written += 1;
                let f = File::open(&path);
                let f = f.unwrap_or_else(|e| {
                    panic!("{}: written file does not open: {e}", path.display())
                });
                let new = f
                    .records()
                    .iter()
                    .find(|r| r.header.nomvar.trimmed() == "NEW");
                let new =
                    new.unwrap_or_else(|| panic!("{}: appended record missing", path.display()));
                assert_eq!(
                    f.read(new.index).unwrap().values,
                    fst24::Values::F32(vec![1.0; 8])
                );
            } else {
                refused += 1;
            }
            let _ = std::fs::remove_file(&path);
        }
    }
    eprintln!("{written} damaged files appended to, {refused} refused");
    assert!(refused > 0 && written > 0);
}
