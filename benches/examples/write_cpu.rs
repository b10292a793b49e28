//! CPU time per record of `Writer::write` (and `write_many`) of one 200×100 float field
//! (gemh's record size) as R16 and E32 in each backend, from the thread's own CPU clock
//! (`/proc/thread-self/schedstat`, nanoseconds, all threads of the process for batches),
//! so a loaded machine changes the figures less than wall time does. Also the packing
//! alone (`pack_record`), to split the packer from the container.
//!
//! `cargo run --release -p fst24-benches --example write_cpu -- [RECORDS] [OUT_DIR] [FILTER]`

use fst24::writer::{pack_record, Data};
use fst24::{Backend, RecordKeys, Writer, WriterOptions};

/// Nanoseconds this thread has run on a CPU (0 when the file is missing).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// User + system nanoseconds of the whole process (all threads).
fn process_cpu_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // utime, stime in USER_HZ (100 per second).
    (f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0)) * 10_000_000
}

fn main() {
    let mut args = std::env::args().skip(1);
    let records: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let out_dir = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().to_string_lossy().into_owned());
    let filter = args.next().unwrap_or_default();
    let (ni, nj) = (200, 100);
    // Distinct fields (the page cache and the caches see fresh values per record).
    let fields: Vec<Vec<f32>> = (0..16)
        .map(|k| {
            let mut v = fst24_benches::smooth_field(ni, nj);
            v.iter_mut().for_each(|x| *x += k as f32 * 0.37);
            v
        })
        .collect();
    for (label, datyp, nbits) in [("R16", 1u8, 16u8), ("E32", 5, 32)] {
        let mut keys = RecordKeys::new("TT", ni, nj, 1);
        (keys.datyp, keys.nbits) = (datyp, nbits);
        let name = format!("{label} pack");
        if filter.is_empty() || name.contains(&filter) {
            let start = thread_cpu_ns();
            for i in 0..records {
                let v = &fields[i as usize % fields.len()];
                std::hint::black_box(pack_record(&keys, v, Backend::Xdf).expect("pack"));
            }
            let per = (thread_cpu_ns() - start) as f64 / f64::from(records) / 1e3;
            println!("{name:24} {per:8.1} µs CPU per record");
        }
        for backend in [Backend::Xdf, Backend::Rsf] {
            for batch in [false, true] {
                let name = format!(
                    "{label} {backend:?} {}",
                    if batch { "write_many" } else { "write" }
                );
                if !filter.is_empty() && !name.contains(&filter) {
                    continue;
                }
                let target = std::path::Path::new(&out_dir).join("write_cpu.fst");
                let (t0, p0) = (thread_cpu_ns(), process_cpu_ns());
                let mut w =
                    Writer::create(&target, WriterOptions::backend(backend)).expect("create");
                if batch {
                    let items: Vec<(RecordKeys, Data<'_>)> = (0..records)
                        .map(|i| {
                            let mut k = keys.clone();
                            k.ip2 = i as i32;
                            (k, Data::F32(&fields[i as usize % fields.len()]))
                        })
                        .collect();
                    w.write_many(&items).expect("write_many");
                } else {
                    for i in 0..records {
                        let mut k = keys.clone();
                        k.ip2 = i as i32;
                        w.write(&k, &fields[i as usize % fields.len()][..])
                            .expect("write");
                    }
                }
                w.close().expect("close");
                let thread = (thread_cpu_ns() - t0) as f64 / f64::from(records) / 1e3;
                let process = (process_cpu_ns() - p0) as f64 / f64::from(records) / 1e3;
                let _ = std::fs::remove_file(&target);
                println!(
                    "{name:24} {thread:8.1} µs CPU per record (this thread), {process:8.1} (process)"
                );
            }
        }
    }
}
