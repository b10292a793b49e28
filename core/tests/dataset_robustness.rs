//! Damaged files must give errors or warnings from the dataset plan, never panics:
//! deterministic byte flips over corpus files with grids and vertical descriptors.

mod dataset_common;

use dataset_common::corpus;
use fst24::dataset::{plan, read_variable, PlanOptions};
use fst24::{DecodeOptions, File};

/// splitmix64, so failures reproduce.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn flipped_bytes_never_panic() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    let paths = [
        corpus("librmn019", "grids.fst"),
        corpus("librmn019", "mini_gem.fst"),
        corpus("librmn019", "vcoord.fst"),
        dir.join("data/yinyang.fst"),
    ];
    let mut state = 42u64;
    let mut planned = 0;
    for path in &paths {
        let original = std::fs::read(path).unwrap();
        for _ in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..1 + next(&mut state) % 8 {
                // Aim at the first directory page and the first records most of the time.
                let span = if next(&mut state) % 4 == 0 {
                    bytes.len()
                } else {
                    24_000.min(bytes.len())
                };
                let at = (next(&mut state) % span as u64) as usize;
                bytes[at] ^= 1 << (next(&mut state) % 8);
            }
            let Ok(file) = File::from_bytes(bytes) else {
                continue;
            };
            let Ok(p) = plan(&[&file], &PlanOptions::default()) else {
                continue;
            };
            planned += 1;
            for v in &p.variables {
                let _ = read_variable(&[&file], v, &DecodeOptions::default());
            }
        }
    }
    assert!(planned > 100, "{planned}");
}
