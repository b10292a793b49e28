//! Replays every input the fuzzers ever found troublesome (`tests/regressions/<target>/*`):
//! each must now be handled without panicking (errors are fine).

use std::path::Path;

use fst24::fuzzing::{
    decode_family, limits, open_and_read_all, plan_and_read, read_every_surface, scan_rsf, Family,
};

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries {
        let path = entry.expect("regression entry").path();
        let bytes = std::fs::read(&path).expect("regression input");
        run(&bytes);
        n += 1;
    }
    n
}

#[test]
fn fuzz_regressions_do_not_panic() {
    let mut total = replay("open_file", open_and_read_all);
    total += replay("decode_plain", |d| decode_family(Family::Plain, d));
    total += replay("decode_quant", |d| decode_family(Family::Quant, d));
    total += replay("decode_turbo", |d| decode_family(Family::Turbo, d));
    total += replay("decode_missing", |d| decode_family(Family::Missing, d));
    total += replay("rsf_directory", scan_rsf);
    total += replay("plan", |d| {
        if let Ok(file) = fst24::File::from_source(std::sync::Arc::new(d.to_vec()), limits()) {
            plan_and_read(&[&file], limits());
        }
    });
    eprintln!("replayed {total} fuzz regression inputs");
}

/// Mutants that once broke a read surface (`tests/mutants.rs`, the `mutant` fuzz target,
/// the binding mutant tests), minimized to the one field they change: every surface again.
#[test]
fn mutant_regressions_do_not_panic() {
    let n = replay("mutants", |d| read_every_surface(d, limits()));
    assert!(n > 0, "tests/regressions/mutants/ is empty or missing");
    eprintln!("replayed {n} mutant regression inputs");
}
