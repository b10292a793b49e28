//! Turbo records of the librmn 019.5 corpus (`shared/data/librmn019`) decoded straight
//! from their data words and compared bit for bit with librmn's `.npy` read-back (or with
//! the writer's input where librmn's read-back is wrong), plus encoder checks against the
//! stored streams.

use std::path::PathBuf;

use super::*;
use crate::test_support::{librmn019 as corpus, npy_parts};
use crate::File;

/// A little-endian `.npy` array of 4-byte scalars, returned as raw bits.
fn npy_u32(path: &PathBuf) -> Vec<u32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (header, body) = npy_parts(&bytes);
    assert!(
        ["'<f4'", "'<u4'", "'<i4'"]
            .iter()
            .any(|d| header.contains(d)),
        "unexpected dtype in {header}"
    );
    body.chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Decodes the only record of `file` with the turbo decoder, as raw 32-bit patterns.
fn decode_record(file: &str) -> (RecordHeader, Vec<u32>) {
    let f = File::open(corpus(file)).unwrap();
    let header = f.records()[0].header;
    let words = f.read_words(0).unwrap();
    let n = header.num_values() as usize;
    let bits = match header.datyp.raw() & !64 {
        130 => {
            let mut out = vec![0u32; n];
            decode_into(&header, &words, OutSlice::U32(&mut out)).unwrap();
            out
        }
        _ => {
            let mut out = vec![0f32; n];
            decode_into(&header, &words, OutSlice::F32(&mut out)).unwrap();
            out.iter().map(|v| v.to_bits()).collect()
        }
    };
    (header, bits)
}

fn reference(file: &str, npy: &str) -> Vec<u32> {
    npy_u32(&corpus(file.trim_end_matches(".fst")).join(npy))
}

#[test]
fn turbo_records_match_librmn() {
    for file in [
        "d129_n16.fst",
        "d130_n08.fst",
        "d130_n12.fst",
        "d130_n16.fst",
        "d133_n16.fst",
        "d133_n24.fst",
        "d133_n32.fst",
        "d134_n12.fst",
        "d134_n16.fst",
        "d193_n16.fst",
        "d194_n16.fst",
        "d197_n32.fst",
        "d198_n16.fst",
        "q130_n16_big.fst",
    ] {
        let (_, got) = decode_record(file);
        let want = reference(file, "r0000.npy");
        assert_eq!(got.len(), want.len(), "{file}");
        let bad = got.iter().zip(&want).filter(|(a, b)| a != b).count();
        assert_eq!(bad, 0, "{file}: {bad} values differ from librmn");
    }
}

#[test]
fn r129_with_12_bits_returns_the_written_values() {
    // librmn's read-back is wrong here (12-bit slots); ours must be the input to 12 bits.
    let (header, got) = decode_record("q129_n12.fst");
    assert_eq!(header.nbits, 12);
    let input: Vec<f32> = reference("q129_n12.fst", "w0000.npy")
        .into_iter()
        .map(f32::from_bits)
        .collect();
    let (lo, hi) = input
        .iter()
        .fold((f32::MAX, f32::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    let step = f64::from(hi - lo) / 4096.0 * 2.0;
    for (g, w) in got.iter().zip(&input) {
        let diff = (f64::from(f32::from_bits(*g)) - f64::from(*w)).abs();
        assert!(diff <= step, "{} vs {w}", f32::from_bits(*g));
    }
}

/// The stream part of a stored data area: everything up to the compressor's last word
/// (slack after it holds stale bytes in librmn files).
fn stored_stream(file: &str, prefix: usize) -> (RecordHeader, Vec<u32>) {
    let f = File::open(corpus(file)).unwrap();
    let header = f.records()[0].header;
    (header, f.read_words(0).unwrap().split_off(prefix))
}

/// Words up to the last non-zero one: our encoders zero the slack that librmn leaves
/// stale.
fn stream_len(area: &[u32]) -> usize {
    area.iter().rposition(|&w| w != 0).map_or(0, |k| k + 1)
}

#[test]
fn encoders_reproduce_librmn_streams() {
    // 130: tokens are the input values; the whole compressed stream must match.
    for file in ["d130_n08.fst", "d130_n12.fst", "d130_n16.fst"] {
        let (h, stored) = stored_stream(file, 0);
        let input = reference(file, "w0000.npy");
        let area = encode_130(&input, h.nbits, h.ni, h.nj)
            .unwrap()
            .expect("compressible");
        assert_eq!(area[0], stored[0], "{file}: D");
        let len = stream_len(&area);
        assert_eq!(&area[..len], &stored[..len], "{file}");
    }
    // 134 and 129: quantiser headers and compressed tokens.
    for (file, header_words) in [
        ("d134_n16.fst", 4),
        ("d134_n12.fst", 4),
        ("d129_n16.fst", 5),
    ] {
        let (h, stored) = stored_stream(file, 0);
        let input: Vec<f32> = reference(file, "w0000.npy")
            .into_iter()
            .map(f32::from_bits)
            .collect();
        let area = if file.starts_with("d134") {
            encode_134(&input, h.nbits, h.ni, h.nj)
        } else {
            encode_129(&input, h.nbits, h.ni, h.nj)
        }
        .unwrap()
        .expect("compressible");
        assert_eq!(
            area[..header_words],
            stored[..header_words],
            "{file}: header"
        );
        assert_eq!(area[0], stored[0], "{file}: D");
        let len = stream_len(&area);
        assert_eq!(&area[..len], &stored[..len], "{file}: stream");
    }
}

#[test]
fn encoder_133_round_trips_corpus_input() {
    for file in ["d133_n16.fst", "d133_n24.fst", "d133_n32.fst"] {
        let (h, stored) = stored_stream(file, 0);
        let input: Vec<f32> = reference(file, "w0000.npy")
            .into_iter()
            .map(f32::from_bits)
            .collect();
        let area = encode_133(&input, h.nbits, h.ni, h.nj)
            .unwrap()
            .expect("compressible");
        assert_eq!(area[1..3], stored[1..3], "{file}: zip header and info word");
        let mut out = vec![0f32; input.len()];
        decode_into(&h, &area, OutSlice::F32(&mut out)).unwrap();
        let want = reference(file, "r0000.npy");
        let got: Vec<u32> = out.iter().map(|v| v.to_bits()).collect();
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn damaged_corpus_streams_fail_cleanly() {
    for file in [
        "d129_n16.fst",
        "d130_n12.fst",
        "d133_n24.fst",
        "d134_n16.fst",
        "d193_n16.fst",
    ] {
        let f = File::open(corpus(file)).unwrap();
        let header = f.records()[0].header;
        let words = f.read_words(0).unwrap();
        let n = header.num_values() as usize;
        let run = |w: &[u32]| {
            if header.datyp.raw() & !64 == 130 {
                decode_into(&header, w, OutSlice::U32(&mut vec![0u32; n]))
            } else {
                decode_into(&header, w, OutSlice::F32(&mut vec![0f32; n]))
            }
        };
        // Truncations must give errors, never panics.
        for cut in [0, 1, 3, 5, words.len() / 3, words.len() / 2] {
            assert!(run(&words[..cut]).is_err(), "{file} cut at {cut}");
        }
        // Every single-word corruption must return (error or values), never panic or hang.
        for k in 0..words.len().min(200) {
            for flip in [0xFFFF_FFFFu32, 0x8000_0001, 0x0000_7000] {
                let mut w = words.clone();
                w[k] ^= flip;
                let _ = run(&w);
            }
        }
    }
}

/// Raw little-endian f32/u32 sidecar of the librmn 20 corpus.
fn sidecar_u32(path: &str) -> Vec<u32> {
    let p = corpus("").join("../librmn20").join(path);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Encodes a record's written input and compares with the stored data area up to the end
/// of the stream (slack holds stale bytes in librmn files).
fn assert_same_stream(what: &str, header: &RecordHeader, stored: &[u32], input: &[u32]) {
    let (ni, nj, nbits) = (header.ni, header.nj, header.nbits);
    let floats: Vec<f32> = input.iter().map(|&b| f32::from_bits(b)).collect();
    let area = match header.datyp.raw() {
        129 => encode_129(&floats, nbits, ni, nj),
        130 => encode_130(input, nbits, ni, nj),
        133 => encode_133(&floats, nbits, ni, nj),
        _ => encode_134(&floats, nbits, ni, nj),
    }
    .unwrap()
    .unwrap_or_else(|| panic!("{what}: not compressible"));
    assert_eq!(area[0], stored[0], "{what}: D");
    let len = stream_len(&area);
    let diff: Vec<usize> = (0..len).filter(|&k| area[k] != stored[k]).collect();
    assert!(diff.is_empty(), "{what}: words differ at {diff:?}");
}

#[test]
fn encoder_133_reproduces_librmn_streams() {
    for file in ["d133_n16.fst", "d133_n24.fst", "d133_n32.fst"] {
        let (h, stored) = stored_stream(file, 0);
        assert_same_stream(file, &h, &stored, &reference(file, "w0000.npy"));
    }
}

#[test]
fn encoders_reproduce_librmn20_xdf_streams() {
    let tiny = [
        (
            "tiny/tiny_d129_r16z_xdf.fst",
            "tiny/tiny_d129_r16z_xdf.data/w0000_f32.bin",
        ),
        (
            "tiny/tiny_d130_u16z_xdf.fst",
            "tiny/tiny_d130_u16z_xdf.data/w0000_u32.bin",
        ),
        // Mixed signs: exercises the sign run-length stream.
        (
            "tiny/tiny_d133_e32z_xdf.fst",
            "tiny/tiny_d133_e32z_xdf.data/w0000_f32.bin",
        ),
        (
            "tiny/tiny_d134_f16z_xdf.fst",
            "tiny/tiny_d134_f16z_xdf.data/w0000_f32.bin",
        ),
    ];
    for (file, input) in tiny {
        let f = File::open(corpus("").join("../librmn20").join(file)).unwrap();
        let h = f.records()[0].header;
        assert_same_stream(file, &h, &f.read_words(0).unwrap(), &sidecar_u32(input));
    }
    // mixed_xdf: WE (134), TC (133), RC (129), UC and UQ (130) are records 13, 28..31 and
    // writes 13, 28..31.
    let f = File::open(corpus("").join("../librmn20/mixed_xdf.fst")).unwrap();
    for (rec, input) in [
        (13, "w0013_f32"),
        (28, "w0028_f32"),
        (29, "w0029_f32"),
        (30, "w0030_u32"),
        (31, "w0031_u32"),
    ] {
        let h = f.records()[rec].header;
        assert!(h.datyp.is_turbo(), "record {rec}");
        let input = sidecar_u32(&format!("mixed_xdf.data/{input}.bin"));
        assert_same_stream(
            &format!("mixed_xdf record {rec}"),
            &h,
            &f.read_words(rec).unwrap(),
            &input,
        );
    }
}
