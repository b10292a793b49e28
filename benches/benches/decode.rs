//! Decoding throughput (MB/s of output) per datyp family, plus whole-file reads when
//! `FST24_BENCH_FILE` is set.

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
    for nbits in [16u32, 12, 8, 24] {
        let words = fst24_benches::r_packed(n, nbits);
        let h = header(1, nbits as u8, ni, nj);
        let mut out = vec![0f32; n];
        group.throughput(Throughput::Bytes((n * 4) as u64));
        group.bench_function(format!("R{nbits}/400x200"), |b| {
            b.iter(|| {
                fst24::codec::decode_into(
                    &h,
                    &words,
                    OutSlice::F32(&mut out),
                    &DecodeOptions::default(),
                )
                .expect("decode")
            })
        });
    }
    for nbits in [16u32, 12] {
        let words = f_packed(n, nbits);
        let h = header(6, nbits as u8, ni, nj);
        let mut out = vec![0f32; n];
        group.throughput(Throughput::Bytes((n * 4) as u64));
        group.bench_function(format!("F{nbits}/400x200"), |b| {
            b.iter(|| {
                fst24::codec::decode_into(
                    &h,
                    &words,
                    OutSlice::F32(&mut out),
                    &DecodeOptions::default(),
                )
                .expect("decode")
            })
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
        })
    });
    group.bench_function("parallel", |b| {
        b.iter(|| file.read_many(&indices, &DecodeOptions::default()).len())
    });
    group.finish();
}

criterion_group!(benches, decode_quantised, read_file);
criterion_main!(benches);
