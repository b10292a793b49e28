//! Damaged copies of every reference file (truncated at many lengths, bytes flipped) must be
//! listed and decoded without panicking: each step either works or returns an error.

mod common;

use std::path::PathBuf;

use fst24::fuzzing::open_and_read_all;

fn corpus_files() -> Vec<PathBuf> {
    let files = common::corpus_files(&["librmn019", "librmn20", "librmn20/tiny"], common::is_fst);
    assert!(
        files.len() > 100,
        "expected the whole reference corpus, found {} files",
        files.len()
    );
    files
}

/// A small deterministic generator (splitmix64) so failures reproduce.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn truncated_copies_never_panic() {
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("read");
        // Every length in the header/directory region, then a spread over the data.
        let mut cuts: Vec<usize> = (0..bytes.len().min(400)).collect();
        cuts.extend((0..64).map(|k| k * bytes.len() / 64));
        cuts.extend([
            bytes.len() - 1,
            bytes.len().saturating_sub(8),
            bytes.len().saturating_sub(68),
        ]);
        for cut in cuts {
            open_and_read_all(&bytes[..cut]);
        }
    }
}

#[test]
fn flipped_copies_never_panic() {
    let mut state = 42u64;
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("read");
        for _ in 0..40 {
            let mut damaged = bytes.clone();
            for _ in 0..1 + splitmix(&mut state) % 4 {
                let at = (splitmix(&mut state) % damaged.len() as u64) as usize;
                damaged[at] ^= 1 << (splitmix(&mut state) % 8);
            }
            open_and_read_all(&damaged);
        }
    }
}
