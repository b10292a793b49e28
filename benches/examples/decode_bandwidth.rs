//! Whole-file decode bandwidth against memcpy of the same bytes (issue 18: E32/E64 decoding
//! is a byte swap and should run at half memcpy speed or better).
//!
//! `cargo run --release -p fst24-benches --example decode_bandwidth -- FILE [ROUNDS] [ROWS]`
//! (ROWS: a comma-separated subset of the row names below, e.g. `read/pread` to profile one).
//!
//! Per round, on one thread, each timed by wall clock and by the thread's CPU time
//! (`/proc/thread-self/schedstat`):
//! * `memcpy`: every record's output bytes copied, record by record, from one pre-faulted
//!   buffer into another (the same sizes the decoder writes);
//! * `pread`: every record's stored data bytes read with one positional read each into a
//!   pre-faulted buffer, no decoding (the floor of the pread paths; Unix);
//! * `read/pread`, `read/mmap`: `File::read` of every record (a new array each, dropped);
//! * `into/pread`, `into/mmap`: `File::read_into` of every record into its own place in
//!   one pre-faulted buffer (as Python's `read_into` into reused arrays).
//!
//! The rows are interleaved round by round; the medians are printed as GB/s of output.

use std::time::Instant;

use fst24::{DecodeOptions, OutSlice, SourceKind};

/// CPU time of the calling thread in seconds (Linux), or `None`.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns * 1e-9)
}

fn timed(f: impl FnOnce() -> usize) -> (f64, f64, usize) {
    let c0 = thread_cpu().unwrap_or(0.0);
    let t0 = Instant::now();
    let n = f();
    let wall = t0.elapsed().as_secs_f64();
    let cpu = thread_cpu().unwrap_or(0.0) - c0;
    (wall, cpu, n)
}

fn open(path: &str, source: SourceKind) -> fst24::File {
    let mut options = fst24::OpenOptions::default();
    options.source = source;
    fst24::File::open_with(path, options).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: decode_bandwidth FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let only: Option<Vec<String>> = args
        .next()
        .map(|s| s.split(',').map(str::to_owned).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|w| w == name));
    let files = [
        ("pread", open(&path, SourceKind::Pread)),
        ("mmap", open(&path, SourceKind::MmapAbove(0))),
    ];
    let file = &files[0].1;
    let indices: Vec<usize> = file.records().iter().map(|r| r.index).collect();
    // Output byte size and element type of every record, in the natural type.
    let outs: Vec<(usize, fst24::ElementType)> = indices
        .iter()
        .map(|&i| {
            let a = file.read(i).expect("read");
            (a.values.as_bytes().len(), a.values.element_type())
        })
        .collect();
    let total: usize = outs.iter().map(|o| o.0).sum();
    // Pre-faulted buffers: memcpy source/destination, and the read_into destination.
    let src = vec![1u8; total];
    let mut dst = vec![2u8; total];
    let mut into = vec![3u64; total.div_ceil(8) + outs.len()];
    let options = DecodeOptions::default();
    let mut rows: Vec<(String, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut record = |name: &str, (wall, cpu, n): (f64, f64, usize)| {
        assert_eq!(n, total, "{name}: decoded {n} bytes, expected {total}");
        match rows.iter_mut().find(|r| r.0 == name) {
            Some(r) => {
                r.1.push(wall);
                r.2.push(cpu);
            }
            None => rows.push((name.to_owned(), vec![wall], vec![cpu])),
        }
    };
    for _ in 0..rounds {
        if wanted("memcpy") {
            record(
                "memcpy",
                timed(|| {
                    let mut at = 0;
                    for &(len, _) in &outs {
                        dst[at..at + len].copy_from_slice(&src[at..at + len]);
                        at += len;
                    }
                    std::hint::black_box(&dst);
                    at
                }),
            );
        }
        #[cfg(unix)]
        if wanted("pread") {
            use std::os::unix::fs::FileExt;
            let raw = std::fs::File::open(&path).expect("open");
            record(
                "pread",
                timed(|| {
                    let mut at = 0;
                    for (rec, &(len, _)) in file.records().iter().zip(&outs) {
                        raw.read_exact_at(&mut dst[at..at + len], rec.entry.data_offset)
                            .expect("pread");
                        at += len;
                    }
                    at
                }),
            );
        }
        for (kind, f) in &files {
            if wanted(&format!("read/{kind}")) {
                record(
                    &format!("read/{kind}"),
                    timed(|| {
                        indices
                            .iter()
                            .map(|&i| f.read(i).expect("read").values.as_bytes().len())
                            .sum()
                    }),
                );
            }
            if !wanted(&format!("into/{kind}")) {
                continue;
            }
            record(
                &format!("into/{kind}"),
                timed(|| {
                    let mut bytes = 0;
                    let mut rest: &mut [u64] = &mut into;
                    for (&i, &(len, et)) in indices.iter().zip(&outs) {
                        let (mine, tail) = rest.split_at_mut(len.div_ceil(8));
                        rest = tail;
                        let b: &mut [u8] = &mut bytemuck::cast_slice_mut(mine)[..len];
                        let out = match et {
                            fst24::ElementType::F32 => OutSlice::F32(bytemuck::cast_slice_mut(b)),
                            fst24::ElementType::F64 => OutSlice::F64(bytemuck::cast_slice_mut(b)),
                            fst24::ElementType::I32 => OutSlice::I32(bytemuck::cast_slice_mut(b)),
                            fst24::ElementType::U32 => OutSlice::U32(bytemuck::cast_slice_mut(b)),
                            fst24::ElementType::I16 => OutSlice::I16(bytemuck::cast_slice_mut(b)),
                            fst24::ElementType::U16 => OutSlice::U16(bytemuck::cast_slice_mut(b)),
                            other => panic!("element type {other:?} not handled"),
                        };
                        f.read_into(i, out, &options).expect("read_into");
                        bytes += len;
                    }
                    bytes
                }),
            );
        }
    }
    println!(
        "{path}: {} records, {:.1} MB of output, {rounds} rounds (median; GB/s of output)",
        indices.len(),
        total as f64 / 1e6
    );
    let mut memcpy_cpu = 0.0;
    for (name, mut wall, mut cpu) in rows {
        let (w, c) = (median(&mut wall), median(&mut cpu));
        if name == "memcpy" {
            memcpy_cpu = c;
        }
        println!(
            "{name:12} wall {w:.4} s {:6.2} GB/s | cpu {c:.4} s {:6.2} GB/s | cpu / memcpy {:.2}",
            total as f64 / w / 1e9,
            total as f64 / c / 1e9,
            if memcpy_cpu > 0.0 {
                c / memcpy_cpu
            } else {
                f64::NAN
            }
        );
    }
}
