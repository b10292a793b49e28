//! The core's part of a JavaScript listing (`records()` in Node, the WASM inspector):
//! `File::records_columns` on one file, first call of the process and median of the
//! others, with the directory read (`File::open`) for scale. CPU time of this thread.
//!
//! `cargo run --release -p fst24-benches --example records_columns -- FILE [RUNS]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: records_columns FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(9);
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let t0 = Instant::now();
    let file = match fst24::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let open = ms(t0);
    let mut times = Vec::with_capacity(runs);
    let mut values_bytes = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let columns = std::hint::black_box(file.records_columns());
        times.push(ms(t));
        values_bytes = columns.values_json.len();
    }
    let first = times[0];
    let mut rest = times[1..].to_vec();
    rest.sort_by(f64::total_cmp);
    let median = rest.get(rest.len() / 2).copied().unwrap_or(first);
    println!(
        "{path}: {} records; open {open:.2} ms; records_columns first {first:.2} ms, median of {} later {median:.2} ms; values JSON {values_bytes} bytes",
        file.records().len(),
        rest.len()
    );
}
