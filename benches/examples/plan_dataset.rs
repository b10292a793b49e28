//! Profiling harness of the CF dataset plan: opens the files once, then plans their
//! dataset REPEAT times, printing the mean time of one plan.
//!
//! `cargo run --release -p fst24-benches --example plan_dataset -- REPEAT FILE...`, or
//! under `perf record -g`.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(0);
    let paths: Vec<String> = args.collect();
    if repeat == 0 || paths.is_empty() {
        eprintln!("usage: plan_dataset REPEAT FILE...");
        std::process::exit(2);
    }
    let files: Vec<fst24::File> = paths
        .iter()
        .map(|p| {
            fst24::File::open(p).unwrap_or_else(|e| {
                eprintln!("{p}: {e}");
                std::process::exit(1);
            })
        })
        .collect();
    let refs: Vec<&fst24::File> = files.iter().collect();
    let options = fst24::dataset::PlanOptions::default();
    let t0 = Instant::now();
    let mut variables = 0;
    for _ in 0..repeat {
        match fst24::dataset::plan(&refs, &options) {
            Ok(plan) => variables = plan.variables.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    let each = t0.elapsed().as_secs_f64() / repeat as f64;
    println!("{variables} variables, {:.3} ms per plan", each * 1e3);
}
