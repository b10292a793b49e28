//! Directory scan: opening a file = header + directory pages (XDF) or segments (RSF).

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::sync::Arc;

fn scan(c: &mut Criterion) {
    let mut group = c.benchmark_group("scan");
    let mut files = vec![
        fst24_benches::data_root().join("librmn019/mini_gem.fst"),
        fst24_benches::data_root().join("librmn20/mixed_xdf.fst"),
        fst24_benches::data_root().join("librmn20/mixed_rsf.fst"),
    ];
    files.extend(fst24_benches::bench_file());
    for path in files {
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let records = match fst24::File::open(&path) {
            Ok(f) => f.records().len(),
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        group.throughput(Throughput::Elements(records as u64));
        // From disk (page cache): what `fst24 ls` pays.
        group.bench_function(format!("open/{name}"), |b| {
            b.iter(|| fst24::File::open(&path).expect("open").records().len());
        });
        // From memory: the parsing alone.
        if std::fs::metadata(&path)
            .map(|m| m.len() < 64 << 20)
            .unwrap_or(false)
        {
            let bytes: Arc<[u8]> = std::fs::read(&path).expect("read").into();
            group.bench_function(format!("bytes/{name}"), |b| {
                b.iter(|| {
                    fst24::File::from_bytes(bytes.clone())
                        .expect("parse")
                        .records()
                        .len()
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
