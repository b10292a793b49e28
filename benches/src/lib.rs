//! Benchmark inputs: the reference corpus beside the repository, an optional large file
//! named by `FST24_BENCH_FILE` (e.g. `make_fst_corpus.py --bench gem_s1`), and synthetic
//! data areas built in code.

use std::path::PathBuf;

/// `shared/data` beside the repository.
pub fn data_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data")
}

/// The large benchmark file, if `FST24_BENCH_FILE` names one.
pub fn bench_file() -> Option<PathBuf> {
    std::env::var_os("FST24_BENCH_FILE")
        .map(PathBuf::from)
        .filter(|p| p.exists())
}

/// A datyp-1 (R) data area of `n` tokens of `nbits` bits (header as librmn writes it:
/// 0x7FF marker and count, exponent word, zero minimum, nbits then the token stream from
/// bit 120). Token values are a smooth ramp; the decoder's speed does not depend on them.
pub fn r_packed(n: usize, nbits: u32) -> Vec<u32> {
    let exponent_word =
        ((4096u32.wrapping_add(16).wrapping_sub(nbits)) & 0xFFFF) << 16 | 0x111 << 4;
    let mut words = vec![
        0x7FF0_0000 | (n as u32 & 0xF_FFFF),
        exponent_word,
        0,
        nbits << 8,
    ];
    let mut acc: u128 = 0;
    let mut nacc = 0u32;
    let mask = (1u64 << nbits) - 1;
    // the first 8 stream bits live in the low byte of word 3
    let mut pending_first = true;
    for i in 0..n {
        let token = ((i as u64).wrapping_mul(2_654_435_761) >> 7) & mask;
        acc = acc << nbits | u128::from(token);
        nacc += nbits;
        if pending_first && nacc >= 8 {
            nacc -= 8;
            words[3] |= (acc >> nacc) as u32 & 0xFF;
            acc &= (1u128 << nacc) - 1;
            pending_first = false;
        }
        while nacc >= 32 {
            nacc -= 32;
            words.push((acc >> nacc) as u32);
            acc &= (1u128 << nacc) - 1;
        }
    }
    if nacc > 0 {
        words.push((acc << (32 - nacc)) as u32);
    }
    words.resize(words.len() + 2, 0);
    words
}

/// A smooth `ni × nj` field, as model output is (turbo compression and the quantisers'
/// ranges depend on smoothness): a temperature-like pattern around 280.
pub fn smooth_field(ni: u32, nj: u32) -> Vec<f32> {
    (0..nj)
        .flat_map(|j| {
            (0..ni).map(move |i| {
                let (x, y) = (i as f32 / ni as f32, j as f32 / nj as f32);
                280.0 + 20.0 * (6.0 * x).sin() * (4.0 * y).cos() + 5.0 * y
            })
        })
        .collect()
}
