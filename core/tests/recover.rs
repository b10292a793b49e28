//! Recovery mode (issue 11): files librmn refuses (XDF never closed or with its directory
//! pages zeroed, RSF with its directory lost) list, with `OpenOptions::recover`, every record
//! whose own bytes are intact, and read them as the intact file does.

mod common;

use std::path::Path;

use fst24::{File, OpenOptions};

fn recovering() -> OpenOptions {
    let mut o = OpenOptions::default();
    o.recover = true;
    o
}

fn damaged_copy(src: &Path, tag: &str, damage: impl Fn(&mut Vec<u8>)) -> common::ScratchPath {
    let mut bytes = std::fs::read(src).unwrap();
    damage(&mut bytes);
    let path = common::ScratchPath::new(
        &format!("recover-{tag}"),
        src.file_name().unwrap().to_str().unwrap(),
    );
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Same records (keys, offsets) and the same decoded values as the intact file.
fn assert_recovers(intact: &Path, damaged: &Path) {
    assert!(
        File::open(damaged).is_err(),
        "{} opens without recovery",
        damaged.display()
    );
    let full = File::open(intact).unwrap();
    let got = File::open_with(damaged, recovering())
        .unwrap_or_else(|e| panic!("{}: {e}", damaged.display()));
    assert!(got.warnings().iter().any(|w| w.contains("recovery mode")));
    let want: Vec<_> = full
        .records()
        .iter()
        .map(|r| (&r.header, r.file_offset()))
        .collect();
    let have: Vec<_> = got
        .records()
        .iter()
        .map(|r| (&r.header, r.file_offset()))
        .collect();
    assert_eq!(have, want, "{}", damaged.display());
    for (a, b) in full.records().iter().zip(got.records()) {
        assert_eq!(
            full.read(a.index).ok(),
            got.read(b.index).ok(),
            "{} record {}",
            damaged.display(),
            a.index
        );
    }
}

#[test]
fn xdf_never_closed_or_without_directory_is_recovered() {
    for name in ["mini_gem.fst", "grids.fst", "d134_n16.fst"] {
        let src = common::shared_data().join("librmn019").join(name);
        // nbd = 0: "never closed", librmn refuses it.
        let never_closed = damaged_copy(&src, "nbd0", |b| b[28..32].fill(0));
        assert_recovers(&src, &never_closed);
        // The first directory page zeroed.
        let no_dir = damaged_copy(&src, "nodir", |b| b[208..208 + 18_464].fill(0));
        assert_recovers(&src, &no_dir);
        // A record cut in the middle is not listed; the others are.
        let full = File::open(&src).unwrap();
        let last = full.records().last().unwrap();
        let cut_at = (last.file_offset() + last.stored_bytes() / 2) as usize;
        let cut = damaged_copy(&src, "cut", |b| {
            b[28..32].fill(0);
            b.truncate(cut_at);
        });
        let got = File::open_with(&cut, recovering()).unwrap();
        assert_eq!(got.records().len(), full.records().len() - 1, "{name}");
    }
}

#[test]
fn rsf_without_directory_is_recovered() {
    for name in ["mixed_rsf.fst", "appended_rsf.fst"] {
        let src = common::shared_data().join("librmn20").join(name);
        let full = File::open(&src).unwrap();
        // Zero every byte after the last record: directories and end-of-segment markers.
        let end = full
            .records()
            .iter()
            .map(|r| r.file_offset() + r.stored_bytes())
            .max()
            .unwrap() as usize;
        let lost = damaged_copy(&src, "novdir", |b| b[end..].fill(0));
        assert_recovers(&src, &lost);
    }
}

#[test]
fn recovery_of_an_intact_file_is_its_directory() {
    let src = common::shared_data().join("librmn019/mini_gem.fst");
    let a = File::open(&src).unwrap();
    let b = File::open_with(&src, recovering()).unwrap();
    assert_eq!(a.records(), b.records());
    assert_eq!(a.warnings(), b.warnings());
}
