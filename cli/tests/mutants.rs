//! Structure-aware mutants of every reference file (`fst24::fuzzing::mutate`) through
//! `fst24 convert` to NetCDF and to zarr, in-process: each must write an output or fail
//! with exit status 1, never panic, hang or allocate over the cap.
//! `FST24_MUTANTS=all` runs every mutant instead of the CI sample.

#[path = "../../core/tests/mutants_common/mod.rs"]
mod mutants_common;

use std::path::{Path, PathBuf};

use mutants_common::{chosen_mutants, corpus, run_one, Capped};

#[global_allocator]
static ALLOCATOR: Capped = Capped;

/// Mutants per corpus file in the CI sample.
const PER_FILE: usize = 6;

/// `fst24 convert` of `bytes` to both formats under the test's memory limit.
fn convert_both(dir: &Path, bytes: &[u8]) -> [u8; 2] {
    fst24_cli::fuzzing::convert_both(dir, bytes, "64M")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Replays `core/tests/regressions/convert/*`: inputs that once broke `convert`.
#[test]
fn convert_regressions_do_not_crash() {
    let dir = scratch("convert_regressions");
    let regressions =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/regressions/convert");
    let mut n = 0;
    for entry in std::fs::read_dir(&regressions).expect("core/tests/regressions/convert") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("regression input");
        let label = path.display().to_string();
        let failure = run_one(&label, || {
            for code in convert_both(&dir, &bytes) {
                assert!(code <= 1, "exit status {code}");
            }
        });
        assert!(failure.is_none(), "{}", failure.unwrap_or_default());
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", regressions.display());
}

#[test]
fn mutants_of_every_corpus_file_through_convert() {
    let dir = scratch("convert_mutants");
    let mut failures = Vec::new();
    let mut runs = 0;
    for path in corpus() {
        for m in chosen_mutants(&path, PER_FILE) {
            runs += 1;
            if let Some(f) = run_one(&m.label, || {
                for code in convert_both(&dir, &m.bytes) {
                    assert!(code <= 1, "exit status {code}");
                }
            }) {
                failures.push(f);
            }
        }
    }
    eprintln!(
        "ran {runs} mutants through convert (netcdf + zarr), {} failures",
        failures.len()
    );
    if std::env::var_os("FST24_MUTANTS_FILE").is_none() {
        assert!(runs > 500, "only {runs} mutants");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
