//! The fuzzer picks a reference file and one of its structure-aware mutants (one size,
//! offset, count or key field at a boundary value); that mutant goes through every read
//! surface (open, read, read_into, read_many_into, dataset plan, planned variables).
#![no_main]

use std::sync::OnceLock;

fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
        let mut files = Vec::new();
        for folder in ["librmn019", "librmn20", "librmn20/tiny"] {
            let dir = std::path::Path::new(root).join(folder);
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("reference corpus missing at {}: {e}", dir.display()))
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "fst"))
                .collect();
            paths.sort();
            files.extend(paths.iter().map(|p| std::fs::read(p).expect("corpus file")));
        }
        files
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fst24::fuzzing::mutant_from_input(corpus(), data);
});
