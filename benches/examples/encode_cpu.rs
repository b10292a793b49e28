//! CPU time of packing one 400×200 record per packing (the criterion `encode` group's
//! work), from the thread's own CPU clock (`/proc/thread-self/schedstat`, nanoseconds),
//! so a loaded machine changes the figures less than wall time does.
//!
//! `cargo run --release -p fst24-benches --example encode_cpu -- [ITERATIONS]`

use fst24::writer::pack_record;
use fst24::{Backend, RecordKeys};

/// Nanoseconds this thread has run on a CPU (0 when the file is missing).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let (ni, nj) = (400, 200);
    for (label, datyp, nbits) in [("R16", 1u8, 16u8), ("65 R16 missing", 65, 16)] {
        let mut values = fst24_benches::smooth_field(ni, nj);
        if datyp & 64 != 0 {
            values.iter_mut().step_by(7).for_each(|x| *x = f32::NAN);
        }
        let mut keys = RecordKeys::new("TT", ni, nj, 1);
        (keys.datyp, keys.nbits) = (datyp, nbits);
        let start = thread_cpu_ns();
        for _ in 0..iterations {
            std::hint::black_box(pack_record(&keys, &values, Backend::Xdf).expect("pack"));
        }
        let per = (thread_cpu_ns() - start) as f64 / f64::from(iterations) / 1e3;
        println!("{label:16} {per:8.1} µs CPU per record");
    }
}
