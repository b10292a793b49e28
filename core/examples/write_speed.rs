//! Write throughput probe: packs and writes a 1000×1000 field with each common datyp to
//! both backends and prints the best of five runs (MB/s of float32 input).
//!
//! Usage: `cargo run --release -p fst24 --example write_speed [DIR]`

use std::time::Instant;

use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::Backend;

fn main() -> fst24::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let (ni, nj) = (1000u32, 1000u32);
    let field: Vec<f32> = (0..ni * nj)
        .map(|p| {
            let (i, j) = ((p % ni) as f32, (p / ni) as f32);
            280.0 + 15.0 * (0.01 * i).sin() * (0.013 * j).cos() + 0.001 * (p % 13) as f32
        })
        .collect();
    let mb = (field.len() * 4) as f64 / 1e6;
    for (label, datyp, nbits) in [
        ("E32", 5u8, 32u8),
        ("R16", 1, 16),
        ("F16", 6, 16),
        ("134 (F16 turbo)", 134, 16),
        ("133 (E32 turbo)", 133, 32),
    ] {
        for backend in [Backend::Xdf, Backend::Rsf] {
            let path = dir.join(format!("fst24-write-speed-{datyp}-{backend:?}.fst"));
            let mut best = f64::MAX;
            for _ in 0..5 {
                let mut k = RecordKeys::new("TT", ni, nj, 1);
                k.datyp = datyp;
                k.nbits = nbits;
                let t = Instant::now();
                let mut w = Writer::create(&path, WriterOptions::backend(backend))?;
                w.write(&k, &field)?;
                w.close()?;
                best = best.min(t.elapsed().as_secs_f64());
            }
            let size = std::fs::metadata(&path)?.len();
            std::fs::remove_file(&path)?;
            println!(
                "{label:16} {backend:?}: {:7.1} ms, {:6.0} MB/s of input, file {:.2} MB",
                best * 1e3,
                mb / best,
                size as f64 / 1e6
            );
        }
    }
    Ok(())
}
