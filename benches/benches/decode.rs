//! Decoding throughput (MB/s of output) per datyp family, plus whole-file reads when
//! `FST24_BENCH_FILE` is set.

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fst24::container::Backend;
use fst24::record::{RecordHeader, SearchKeys};
use fst24::{DecodeOptions, OutSlice};

/// A header with the given datyp/nbits and a 400×200 grid (the `--bench` GEM field size).
fn header(datyp: u8, nbits: u8, ni: u32, nj: u32) -> RecordHeader {
    let mut keys = [0u32; 16];
    keys[0] = u32::from(nbits);
    keys[1] = ni << 8 | u32::from(b'X');
    keys[2] = nj << 8 | u32::from(datyp);
    keys[3] = 1 << 12;
    keys[11] = 32;
    RecordHeader::from_keys(&SearchKeys(keys), Backend::Xdf)
}

fn decode_quantised(c: &mut Criterion) {
    let (ni, nj) = (400u32, 200u32);
    let n = (ni * nj) as usize;
    let mut group = c.benchmark_group("decode");
    let r_areas =
        [16u32, 12, 8, 24].map(|nbits| ("R", 1, nbits, fst24_benches::r_packed(n, nbits)));
    let f_areas = [16u32, 12].map(|nbits| ("F", 6, nbits, f_packed(n, nbits)));
    for (family, datyp, nbits, words) in r_areas.into_iter().chain(f_areas) {
        let h = header(datyp, nbits as u8, ni, nj);
        let mut out = vec![0f32; n];
        group.throughput(Throughput::Bytes((n * 4) as u64));
        group.bench_function(format!("{family}{nbits}/400x200"), |b| {
            b.iter(|| {
                fst24::codec::decode_into(
                    &h,
                    &words,
                    OutSlice::F32(&mut out),
                    &DecodeOptions::default(),
                )
                .expect("decode");
            });
        });
    }
    group.finish();
}

/// A datyp-6 (F) data area of `n` tokens: header (0xEFF marker, nbits, MaxExp 130 and a
/// shift), a negative minimum mantissa, the count, then one 16-bit slot per token.
fn f_packed(n: usize, nbits: u32) -> Vec<u32> {
    let shift2 = 25 - nbits;
    let mut words = vec![
        0xEFF << 20 | (nbits - 1) << 16 | 130 << 8 | shift2,
        (-0x40_0000i32) as u32,
        n as u32,
    ];
    let mask = (1u32 << nbits) - 1;
    let token = |i: usize| ((i as u64).wrapping_mul(2_654_435_761) >> 7) as u32 & mask;
    words.extend((0..n.div_ceil(2)).map(|k| token(2 * k) << 16 | token(2 * k + 1)));
    words
}

/// `len` pseudo-random words: any bit pattern is a valid area for the integer and IEEE
/// packers, and their speed does not depend on the values.
fn noise_words(len: usize) -> Vec<u32> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 16) as u32
        })
        .collect()
}

/// Plain packers (integers, IEEE) into their natural and widened element types.
fn decode_plain(c: &mut Criterion) {
    let (ni, nj) = (400u32, 200u32);
    let n = (ni * nj) as usize;
    let options = DecodeOptions::default();
    let mut group = c.benchmark_group("plain");
    // (label, datyp, nbits, data_bits, output element size)
    let cases: [(&str, u8, u8, u8, usize); 11] = [
        ("U16->u16", 2, 16, 16, 2),
        ("U16->u32", 2, 16, 32, 4),
        ("I16->i16", 4, 16, 16, 2),
        ("I16->i32", 4, 16, 32, 4),
        ("U12->u32", 2, 12, 32, 4),
        ("U8->u8", 2, 8, 8, 1),
        ("I32->i32", 4, 32, 32, 4),
        ("E32->f32", 5, 32, 32, 4),
        ("E16->f32", 5, 16, 32, 4),
        ("E64->f64", 5, 64, 64, 8),
        ("U32->u32", 2, 32, 32, 4),
    ];
    for (label, datyp, nbits, data_bits, size) in cases {
        let mut h = header(datyp, nbits, ni, nj);
        h.data_bits = data_bits;
        let words = noise_words((n * usize::from(nbits)).div_ceil(32));
        let et = h.element_type().expect("element type");
        let mut values = fst24::Values::zeroed(et, n);
        group.throughput(Throughput::Bytes((n * size) as u64));
        group.bench_function(format!("{label}/400x200"), |b| {
            b.iter(|| {
                fst24::codec::decode_into(&h, &words, values.as_out(), &options).expect("decode");
            });
        });
    }
    group.finish();
}

fn read_file(c: &mut Criterion) {
    let Some(path) = fst24_benches::bench_file() else {
        return;
    };
    let file = fst24::File::open(&path).expect("open bench file");
    let indices: Vec<usize> = file.records().iter().map(|r| r.index).collect();
    let bytes: u64 = file
        .records()
        .iter()
        .map(|r| r.header.num_values() * 4)
        .sum();
    let mut group = c.benchmark_group("read_all");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("sequential", |b| {
        b.iter(|| {
            indices
                .iter()
                .map(|&i| file.read(i).expect("read").values.scalar_len())
                .sum::<usize>()
        });
    });
    group.bench_function("parallel", |b| {
        b.iter(|| file.read_many(&indices, &DecodeOptions::default()).len());
    });
    group.finish();
}

criterion_group!(benches, decode_quantised, decode_plain, read_file);
criterion_main!(benches);
