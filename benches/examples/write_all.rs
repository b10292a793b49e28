//! Profiling harness for the write path: decodes the float records of FILE (before the
//! clock), then writes them to a new file as R16 (datyp 1) and E32 (datyp 5, 32 bits) with
//! each backend, record by record (`Writer::write`) and in batches (`Writer::write_many`),
//! printing wall times.
//!
//! `cargo run --release -p fst24-benches --example write_all -- FILE [RECORDS] [OUT_DIR]`,
//! or under `perf record -g`.

use std::time::Instant;

use fst24::writer::Data;
use fst24::{Backend, RecordKeys, Values, Writer, WriterOptions};

/// User and system CPU seconds of the whole process (all threads), from /proc (Linux;
/// zero elsewhere).
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    let tick = 100.0; // USER_HZ on Linux
    (
        f.get(11).copied().unwrap_or(0.0) / tick,
        f.get(12).copied().unwrap_or(0.0) / tick,
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: write_all FILE [RECORDS] [OUT_DIR]");
        std::process::exit(2);
    };
    let limit: usize = args
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or(usize::MAX);
    let out_dir = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().to_string_lossy().into_owned());
    let only = std::env::var("WRITE_ONLY").unwrap_or_default();
    let file = fst24::File::open(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let mut records = Vec::new();
    for rec in file.records() {
        if records.len() >= limit {
            break;
        }
        let Ok(array) = file.read(rec.index) else {
            continue;
        };
        if let Values::F32(v) = array.values {
            let finite = v.iter().all(|x| x.is_finite() && x.abs() < 1e30);
            if finite {
                let h = &rec.header;
                let mut keys = RecordKeys::new(h.nomvar.as_str(), h.ni, h.nj, h.nk);
                keys.ip1 = h.ip1;
                keys.ip2 = h.ip2;
                keys.ip3 = h.ip3;
                records.push((keys, v));
            }
        }
    }
    let bytes: usize = records.iter().map(|(_, v)| v.len() * 4).sum();
    println!(
        "{} float records, {:.1} MB",
        records.len(),
        bytes as f64 / 1e6
    );
    for (label, datyp, nbits) in [("R16", 1u8, 16u8), ("E32", 5, 32)] {
        for backend in [Backend::Xdf, Backend::Rsf] {
            for batch in [false, true] {
                let name = format!(
                    "{label} {backend:?} {}",
                    if batch { "write_many" } else { "write" }
                );
                if !only.is_empty() && !name.contains(&only) {
                    continue;
                }
                let target = std::path::Path::new(&out_dir).join("write_all.fst");
                let t0 = Instant::now();
                let c0 = cpu_seconds();
                let mut w =
                    Writer::create(&target, WriterOptions::backend(backend)).expect("create");
                let keyed: Vec<RecordKeys> = records
                    .iter()
                    .map(|(k, _)| {
                        let mut k = k.clone();
                        k.datyp = datyp;
                        k.nbits = nbits;
                        k
                    })
                    .collect();
                if batch {
                    let items: Vec<(RecordKeys, Data<'_>)> = keyed
                        .iter()
                        .zip(&records)
                        .map(|(k, (_, v))| (k.clone(), Data::F32(v)))
                        .collect();
                    w.write_many(&items).expect("write_many");
                } else {
                    for (k, (_, v)) in keyed.iter().zip(&records) {
                        w.write(k, v).expect("write");
                    }
                }
                w.close().expect("close");
                let t = t0.elapsed().as_secs_f64();
                let c1 = cpu_seconds();
                let (user, sys) = (c1.0 - c0.0, c1.1 - c0.1);
                let size = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
                let _ = std::fs::remove_file(&target);
                println!(
                    "{name:24} wall {t:.3}s  cpu {:.2}s (user {user:.2} sys {sys:.2})  in {:.0} MB/s of cpu  file {:.1} MB",
                    user + sys,
                    bytes as f64 / 1e6 / (user + sys),
                    size as f64 / 1e6
                );
            }
        }
    }
}
