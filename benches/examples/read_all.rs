//! Profiling harness: opens a file (metadata path) and decodes every record, sequentially
//! then with `File::read_many` (rayon), printing wall times and output MB/s.
//!
//! `cargo run --release -p fst24-benches --example read_all -- FILE [REPEAT] [pread|mmap]`,
//! or under `perf record -g` / `valgrind --tool=callgrind`. The last argument forces how
//! the file is read (default: the library's choice, mmap from 1 GiB).

use std::time::Instant;

use fst24::DecodeOptions;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: read_all FILE [REPEAT]");
        std::process::exit(2);
    };
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let mut options = fst24::OpenOptions::default();
    match args.next().as_deref() {
        Some("pread") => options.source = fst24::SourceKind::Pread,
        Some("mmap") => options.source = fst24::SourceKind::MmapAbove(0),
        _ => {}
    }
    for _ in 0..repeat {
        let t0 = Instant::now();
        let file = match fst24::File::open_with(&path, options) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        let open = t0.elapsed();
        let indices: Vec<usize> = file.records().iter().map(|r| r.index).collect();
        let t1 = Instant::now();
        let mut bytes = 0usize;
        for &i in &indices {
            bytes += file.read(i).map(|a| a.values.as_bytes().len()).unwrap_or(0);
        }
        let seq = t1.elapsed();
        let t2 = Instant::now();
        let par = file.read_many(&indices, &DecodeOptions::default());
        let par_time = t2.elapsed();
        let failed = par.iter().filter(|r| r.is_err()).count();
        let mb = bytes as f64 / 1e6;
        println!(
            "{} records, open {:.4}s; sequential {:.3}s ({:.0} MB/s); read_many {:.3}s ({:.0} MB/s); {failed} failed",
            indices.len(),
            open.as_secs_f64(),
            seq.as_secs_f64(),
            mb / seq.as_secs_f64(),
            par_time.as_secs_f64(),
            mb / par_time.as_secs_f64()
        );
    }
}
