//! Crafting hostile files from real ones: write a record with the core's writer (packed
//! words as given), then change one key of it in the written bytes, as an attacker would.

use std::path::Path;

use fst24::{Backend, File, RecordHeader, Writer, WriterOptions};

/// A fresh path named after `tag` in its own scratch directory (gone when it is dropped).
pub fn temp_path(tag: &str) -> super::ScratchPath {
    super::ScratchPath::new("craft", &format!("{tag}.fst"))
}

/// The first record's keys of a corpus file (a real header to start from).
pub fn corpus_header(rel: &str) -> RecordHeader {
    let path = super::shared_data().join(rel);
    let f = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.records()[0].header
}

/// Writes one record (`header`, packed `words`) to a new file of `backend`.
pub fn write_one(path: &Path, backend: Backend, header: &RecordHeader, words: &[u32]) {
    let _ = std::fs::remove_file(path);
    let mut w = Writer::create(path, WriterOptions::backend(backend)).expect("create");
    w.write_packed(header, words).expect("write_packed");
    w.close().expect("close");
}

/// Replaces every copy of the 16 search-key words of record `index` in the file's bytes by
/// `edit(keys)` (XDF stores them big-endian in its directory, RSF little-endian in its
/// directory and in the record). Returns how many copies were changed.
pub fn patch_keys(path: &Path, index: usize, edit: impl Fn(&mut [u32; 16])) -> usize {
    let file = File::open(path).expect("open before patching");
    let backend = file.backend();
    let keys = file.record(index).expect("record").entry.keys.0;
    drop(file);
    let mut new = keys;
    edit(&mut new);
    let encode = |k: &[u32; 16]| -> Vec<u8> {
        k.iter()
            .flat_map(|w| match backend {
                Backend::Xdf => w.to_be_bytes(),
                Backend::Rsf => w.to_le_bytes(),
            })
            .collect()
    };
    let (old, new) = (encode(&keys), encode(&new));
    let mut bytes = std::fs::read(path).expect("read");
    let mut count = 0;
    let mut at = 0;
    while let Some(pos) = bytes[at..].windows(old.len()).position(|w| w == old) {
        let start = at + pos;
        bytes[start..start + new.len()].copy_from_slice(&new);
        at = start + new.len();
        count += 1;
    }
    assert!(
        count > 0,
        "keys of record {index} not found in {}",
        path.display()
    );
    std::fs::write(path, bytes).expect("write back");
    count
}

/// Sets ni (24 low bits in word 1, high byte in word 10 for RSF) of packed keys.
pub fn set_ni(k: &mut [u32; 16], ni: u32) {
    k[1] = (k[1] & 0xFF) | (ni & 0xFF_FFFF) << 8;
    if ni >> 24 != 0 {
        k[10] = (k[10] & !0xFF) | (ni >> 24);
    }
}

/// Sets nj (24 bits in word 2).
pub fn set_nj(k: &mut [u32; 16], nj: u32) {
    k[2] = (k[2] & 0xFF) | (nj & 0xFF_FFFF) << 8;
}
