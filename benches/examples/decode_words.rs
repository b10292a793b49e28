//! Decoder speed without I/O: the packed words of a file's records are read once, then
//! decoded into a reused buffer pass after pass; prints the pass of least thread CPU time
//! (`/proc/thread-self/schedstat`, robust to a loaded machine) as ns per value, per datyp
//! in the file.
//!
//! `cargo run --release -p fst24-benches --example decode_words -- FILE [PASSES] [RECORDS]`

use std::collections::BTreeMap;

/// CPU time of the calling thread in seconds (Linux; wall-clock elsewhere).
fn thread_cpu(start: std::time::Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| start.elapsed().as_secs_f64(), |ns| ns * 1e-9)
}

use fst24::{DecodeOptions, Values};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: decode_words FILE [PASSES] [RECORDS]");
        std::process::exit(2);
    };
    let passes: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let limit: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(300);
    let file = fst24::File::open(&path).expect("open");
    // Records grouped by stored datyp/nbits label.
    let mut groups: BTreeMap<String, Vec<(fst24::RecordHeader, Vec<u32>, Values)>> =
        BTreeMap::new();
    for rec in file.records().iter() {
        let label = rec.header.datyp.label(rec.header.nbits);
        let group = groups.entry(label).or_default();
        if group.len() >= limit {
            continue;
        }
        let words = file.read_words(rec.index).expect("words");
        let values = file.read(rec.index).expect("read").values;
        group.push((rec.header, words, values));
    }
    let options = DecodeOptions::default();
    let origin = std::time::Instant::now();
    for (label, mut recs) in groups {
        let n: u64 = recs.iter().map(|r| r.0.num_values()).sum();
        let mut best = f64::INFINITY;
        for _ in 0..passes {
            let t0 = thread_cpu(origin);
            for (h, words, values) in recs.iter_mut() {
                fst24::codec::decode_into(h, words, values.as_out(), &options).expect("decode");
            }
            best = best.min(thread_cpu(origin) - t0);
        }
        println!(
            "{label:8} {:5} records {:10} values  best pass {:.4} s  {:.3} ns/value",
            recs.len(),
            n,
            best,
            best * 1e9 / n as f64
        );
    }
}
