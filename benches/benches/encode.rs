//! Packing and writing throughput (MB/s of input) per packing: R16 (datyp 1), E32
//! (datyp 5), turbo 134 and R16 with missing values (65) on the 400×200 GEM field size
//! of `make_fst_corpus.py --bench`.
//!
//! * `encode`: [`fst24::writer::pack_record`], the packer alone, the whole area into one
//!   vector (no file; for E32 that is a copy of the values, which a write never makes);
//! * `write`: 64 such records into a new file per iteration, record by record
//!   (`Writer::write`) and as one batch (`Writer::write_many`, packed on every core),
//!   each backend; open and close included.

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fst24::writer::{pack_record, Data};
use fst24::{Backend, RecordKeys, Writer, WriterOptions};

const NI: u32 = 400;
const NJ: u32 = 200;
const RECORDS: usize = 64;

/// `(label, datyp, nbits)` of every benchmarked packing.
const PACKINGS: [(&str, u8, u8); 4] = [
    ("R16", 1, 16),
    ("E32", 5, 32),
    ("134 turbo F16", 134, 16),
    ("65 R16 missing", 65, 16),
];

/// The field of a packing: with missing values (NaN, every 7th point) for +64.
fn values(datyp: u8) -> Vec<f32> {
    let mut v = fst24_benches::smooth_field(NI, NJ);
    if datyp & 64 != 0 {
        v.iter_mut().step_by(7).for_each(|x| *x = f32::NAN);
    }
    v
}

fn keys(datyp: u8, nbits: u8, ip2: i32) -> RecordKeys {
    let mut k = RecordKeys::new("TT", NI, NJ, 1);
    (k.datyp, k.nbits, k.ip2) = (datyp, nbits, ip2);
    k
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    group.throughput(Throughput::Bytes(u64::from(NI * NJ) * 4));
    for (label, datyp, nbits) in PACKINGS {
        let (k, v) = (keys(datyp, nbits, 0), values(datyp));
        group.bench_function(format!("{label}/400x200"), |b| {
            // The whole area packed into one vector (`pack` alone would only scan R16's
            // extremes: its tokens are packed as the container writes them).
            b.iter(|| std::hint::black_box(pack_record(&k, &v, Backend::Xdf).expect("pack")));
        });
    }
    group.finish();
}

fn write(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("fst24-bench-encode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("write.fst");
    let mut group = c.benchmark_group("write");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(u64::from(NI * NJ) * 4 * RECORDS as u64));
    for (label, datyp, nbits) in PACKINGS.into_iter().take(2) {
        let v = values(datyp);
        let records: Vec<(RecordKeys, Data<'_>)> = (0..RECORDS)
            .map(|i| (keys(datyp, nbits, i as i32), Data::F32(&v)))
            .collect();
        for backend in [Backend::Xdf, Backend::Rsf] {
            for batch in [false, true] {
                let how = if batch { "write_many" } else { "write" };
                group.bench_function(format!("{label} {backend:?} {how}/64x400x200"), |b| {
                    b.iter(|| {
                        let mut w =
                            Writer::create(&path, WriterOptions::backend(backend)).expect("create");
                        if batch {
                            w.write_many(&records).expect("write_many");
                        } else {
                            for (k, d) in &records {
                                w.write(k, *d).expect("write");
                            }
                        }
                        w.close().expect("close");
                    });
                });
            }
        }
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, encode, write);
criterion_main!(benches);
