//! Timing probe (ignored by default): plan and read every variable of a bench file.
//!
//! ```text
//! python3 shared/tools/make_fst_corpus.py --bench bench --scale 0.5 --nlev 40 --out /tmp
//! FST24_DATASET_BENCH=/tmp/bench.fst cargo test --release -p fst24 --test dataset_speed -- --ignored --nocapture
//! ```

use std::time::Instant;

use fst24::dataset::{plan, read_variable, PlanOptions};
use fst24::{DecodeOptions, File};

#[test]
#[ignore = "needs FST24_DATASET_BENCH pointing at a bench file"]
fn plan_and_read_speed() {
    let path = std::env::var("FST24_DATASET_BENCH").expect("FST24_DATASET_BENCH");
    let file = File::open(&path).unwrap();
    let t0 = Instant::now();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let planned = t0.elapsed();
    let t1 = Instant::now();
    let mut bytes = 0usize;
    for v in &p.variables {
        let values = read_variable(&[&file], v, &DecodeOptions::default()).unwrap();
        bytes += values.as_bytes().len();
    }
    let read = t1.elapsed();
    let records: usize = p.variables.iter().map(|v| v.records.len()).sum();
    eprintln!(
        "{path}: {} records in {} variables; plan {:.1} ms; read {:.1} ms ({:.0} MB/s decoded)",
        records,
        p.variables.len(),
        planned.as_secs_f64() * 1e3,
        read.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / read.as_secs_f64()
    );
    assert!(records > 0 && bytes > 0);
}
