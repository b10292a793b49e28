//! The fuzzer picks a reference file and one of its structure-aware mutants (one size,
//! offset, count or key field at a boundary value); that mutant goes through every read
//! surface (open, read, read_into, read_many_into, dataset plan, planned variables).
#![no_main]

use std::sync::OnceLock;

fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
        let files = fst24::fuzzing::corpus_files(std::path::Path::new(root));
        files.iter().map(|p| std::fs::read(p).expect("corpus file")).collect()
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fst24::fuzzing::mutant_from_input(corpus(), data);
});
