//! Structure-aware mutants of every reference file (one size/offset/count/key field set to
//! a boundary value, `fst24::fuzzing::mutate`) through every in-process read surface:
//! open, list, `read`, `read_into`, `read_many_into`, the dataset plan and the planned
//! variables. Each must end in values or an error: no panic, no hang, no allocation over
//! the cap. `FST24_MUTANTS=all` runs every mutant instead of the CI sample.

mod mutants_common;

use mutants_common::{chosen_mutants, corpus, run_one, Capped};

#[global_allocator]
static ALLOCATOR: Capped = Capped;

/// Mutants per corpus file in the CI sample.
const PER_FILE: usize = 12;

fn limits() -> fst24::Limits {
    let mut limits = fst24::fuzzing::limits();
    limits.max_alloc_bytes = 64 << 20;
    limits
}

#[test]
fn mutants_of_every_corpus_file_through_every_read_surface() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for path in corpus() {
        for m in chosen_mutants(&path, PER_FILE) {
            runs += 1;
            if let Some(f) = run_one(&m.label, || {
                fst24::fuzzing::read_every_surface(&m.bytes, limits());
            }) {
                failures.push(f);
            }
        }
    }
    eprintln!("ran {runs} mutants, {} failures", failures.len());
    if std::env::var_os("FST24_MUTANTS_FILE").is_none() {
        assert!(runs > 1000, "only {runs} mutants");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
