//! Decoding throughput (MB/s of output) of the families that need a real encoder to make
//! their input: turbo 129/130/133/134 and missing values (+64), plus the whole-word
//! packings read through the file (E32, E64, I32: the byte-order path of `File::read`,
//! pread straight into the output). Each record is written
//! once by `fst24::Writer` into a temporary XDF file (400×200, the GEM field size of
//! `make_fst_corpus.py --bench`), then read back with `File::read` in the timed loop.

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fst24::{Backend, RecordKeys, Values, Writer, WriterOptions};

const NI: u32 = 400;
const NJ: u32 = 200;

fn field() -> Vec<f32> {
    fst24_benches::smooth_field(NI, NJ)
}

/// `(label, datyp, nbits, values)` of every benchmarked family.
fn cases() -> Vec<(&'static str, u8, u8, Values)> {
    let f = field();
    let ints: Vec<u32> = f.iter().map(|&v| (v * 100.0) as u32).collect();
    let mut holes = f.clone();
    for v in holes.iter_mut().step_by(7) {
        *v = f32::NAN;
    }
    let mut int_holes = ints.clone();
    for v in int_holes.iter_mut().step_by(7) {
        *v = u32::MAX;
    }
    let doubles: Vec<f64> = f.iter().map(|&v| f64::from(v) * 1.000_1).collect();
    let signed: Vec<i32> = ints.iter().map(|&v| v as i32 - 5000).collect();
    vec![
        ("5 E32", 5, 32, Values::F32(f.clone())),
        ("5 E64", 5, 64, Values::F64(doubles)),
        ("4 I32", 4, 32, Values::I32(signed)),
        ("129 turbo R16", 129, 16, Values::F32(f.clone())),
        ("130 turbo U16", 130, 16, Values::U32(ints.clone())),
        ("133 turbo E32", 133, 32, Values::F32(f.clone())),
        ("134 turbo F16", 134, 16, Values::F32(f.clone())),
        ("65 R16 missing", 65, 16, Values::F32(holes.clone())),
        ("70 F16 missing", 70, 16, Values::F32(holes)),
        ("66 U16 missing", 66, 16, Values::U32(int_holes)),
    ]
}

fn decode_encoded(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("fst24-bench-codecs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("codecs.fst");
    let mut labels = Vec::new();
    {
        let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf)).expect("create");
        for (label, datyp, nbits, values) in cases() {
            let mut keys = RecordKeys::new("FLD", NI, NJ, 1);
            keys.datyp = datyp;
            keys.nbits = nbits;
            match w.write(&keys, &values) {
                Ok(_) => labels.push(label),
                Err(e) => eprintln!("skipping {label}: {e}"),
            }
        }
        w.close().expect("close");
    }
    let file = fst24::File::open(&path).expect("open");
    let mut group = c.benchmark_group("codecs");
    for (rec, label) in file.records().iter().zip(labels) {
        let bytes = file.read(rec.index).expect("read").values.as_bytes().len();
        group.throughput(Throughput::Bytes(bytes as u64));
        // Name the type as stored, in case the writer normalised the request.
        let stored = rec.header.datyp.label(rec.header.nbits);
        group.bench_function(format!("{label} (stored {stored})/400x200"), |b| {
            b.iter(|| file.read(rec.index).expect("read").values.scalar_len());
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, decode_encoded);
criterion_main!(benches);
