//! Replays every input the fuzzers ever found troublesome (`tests/regressions/<target>/*`):
//! each must now be handled without panicking (errors are fine).

use std::path::Path;

use fst24::fuzzing::{decode_family, open_and_read_all, scan_rsf, Family};

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
    eprintln!("replayed {total} fuzz regression inputs");
}
