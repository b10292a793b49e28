//! Profiling harness for the metadata path: opens files and builds their metadata table,
//! printing the time of each phase (best of REPEAT).
//!
//! `cargo run --release -p fst24-benches --example metadata -- REPEAT FILE...`, or under
//! `perf record -g`. With several files (or a directory) the table of all of them is built
//! at once, in parts as `fst24.read_metadata(paths)` builds it. On a loaded machine wall
//! times mislead: `FST24_PHASE=open|table|parts|none` runs that phase once and exits, for
//! `perf stat -r N` (CPU time and page faults of a fresh process, as a Python session pays
//! them; `parts` is what the Python binding calls, `table` adds the concatenation).
//! `FST24_DECODED=0` leaves the decoded columns out.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fst24::table::{Table, TableOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(0);
    let mut paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if repeat == 0 || paths.is_empty() {
        eprintln!("usage: metadata REPEAT FILE|DIR...");
        std::process::exit(2);
    }
    if let [dir] = paths.as_slice() {
        if dir.is_dir() {
            let mut listed: Vec<PathBuf> = std::fs::read_dir(dir)
                .expect("list directory")
                .map(|e| e.expect("entry").path())
                .collect();
            listed.sort();
            paths = listed;
        }
    }
    let mut open = fst24::OpenOptions::default();
    open.source = fst24::SourceKind::Pread;
    let mut options = TableOptions::default();
    options.decoded = std::env::var("FST24_DECODED").map_or(true, |v| v != "0");
    match std::env::var("FST24_PHASE").as_deref() {
        Ok("none") => return,
        Ok("open") => {
            for p in &paths {
                std::hint::black_box(fst24::File::open_with(p, open).expect("open"));
            }
            return;
        }
        Ok("parts") => {
            let parts = Table::open_paths_in_parts(&paths, open, &options).expect("table");
            std::hint::black_box(parts);
            return;
        }
        Ok("table") => {
            let table = Table::open_paths(&paths, open, &options).expect("table");
            std::hint::black_box(table);
            return;
        }
        _ => {}
    }
    let (mut best_open, mut best_table, mut best_all) =
        (Duration::MAX, Duration::MAX, Duration::MAX);
    let mut rows = 0;
    for _ in 0..repeat {
        #[allow(unused_assignments)]
        if let [one] = paths.as_slice() {
            let t0 = Instant::now();
            let file = fst24::File::open_with(one, open).expect("open");
            let t1 = Instant::now();
            let table = Table::from_files(&[("x", &file)], &options);
            let t2 = Instant::now();
            rows = table.num_rows;
            best_open = best_open.min(t1 - t0);
            best_table = best_table.min(t2 - t1);
        }
        let t0 = Instant::now();
        let parts = Table::open_paths_in_parts(&paths, open, &options).expect("table");
        best_all = best_all.min(t0.elapsed());
        rows = parts.iter().map(|t| t.num_rows).sum();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    if paths.len() == 1 {
        println!(
            "open {:.3} ms, table {:.3} ms",
            ms(best_open),
            ms(best_table)
        );
    }
    println!(
        "{} files, {rows} rows: open_paths {:.3} ms ({:.3} ms per 10k rows)",
        paths.len(),
        ms(best_all),
        ms(best_all) * 1e4 / rows.max(1) as f64
    );
}
