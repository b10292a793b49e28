//! File-level writer behaviour: append, erase, rewrite, directory pages, atomic
//! publication (XDF), flush and crash survival (RSF), parallel RSF writers.

mod common;

use std::path::Path;

use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{Backend, File, Values};

fn tmp(name: &str) -> common::ScratchPath {
    common::ScratchPath::new("writer-files", name)
}

fn keys(name: &str, ip1: i32, n: u32) -> RecordKeys {
    let mut k = RecordKeys::new(name, n, 1, 1);
    k.datyp = 5;
    k.nbits = 32;
    k.ip1 = ip1;
    k
}

/// A parallel RSF writer on `path` (created if missing) with 1 MiB segments, so that
/// tests span several segments.
fn parallel_writer(path: impl AsRef<Path>) -> Writer {
    let mut o = WriterOptions::backend(Backend::Rsf);
    o.parallel = true;
    o.segment_size_mb = Some(1);
    Writer::append_with(path, o).unwrap()
}

fn values(tag: u32, n: u32) -> Vec<f32> {
    (0..n).map(|i| (tag * 1000 + i) as f32).collect()
}

fn live(path: &Path) -> Vec<(String, i32, Vec<f32>)> {
    let f = File::open(path).unwrap();
    assert!(f.warnings().is_empty(), "{:?}", f.warnings());
    f.records()
        .iter()
        .map(|r| {
            let Values::F32(v) = f.read(r.index).unwrap().values else {
                panic!()
            };
            (r.header.nomvar.trimmed().to_string(), r.header.ip1, v)
        })
        .collect()
}

#[test]
fn append_erase_rewrite_both_backends() {
    for backend in [Backend::Xdf, Backend::Rsf] {
        let path = tmp(&format!("aer-{backend:?}.fst"));
        let mut w = Writer::create(&path, WriterOptions::backend(backend)).unwrap();
        for i in 0..4 {
            w.write(&keys("AA", i, 8), &values(i as u32, 8)).unwrap();
        }
        w.erase(1).unwrap();
        assert!(w.erase(1).is_err(), "erasing twice is a usage error");
        assert!(w.erase(99).is_err());
        w.close().unwrap();
        // An existing file keeps its format, whatever the options say.
        let mut w = Writer::append(&path).unwrap();
        assert_eq!(w.backend(), Some(backend));
        w.erase(2).unwrap();
        // Rewrite: same keys as record 3 (ip1 3) → replaced; new keys → appended.
        w.rewrite(&keys("AA", 3, 8), &values(33, 8)).unwrap();
        w.rewrite(&keys("BB", 7, 8), &values(7, 8)).unwrap();
        w.write(&keys("CC", 9, 8), &values(9, 8)).unwrap();
        w.close().unwrap();
        let got = live(&path);
        let names: Vec<(String, i32)> = got.iter().map(|(n, i, _)| (n.clone(), *i)).collect();
        assert_eq!(
            names,
            [
                ("AA".into(), 0),
                ("AA".into(), 3),
                ("BB".into(), 7),
                ("CC".into(), 9)
            ],
            "{backend:?}"
        );
        assert_eq!(got[1].2, values(33, 8));
        let f = File::open(&path).unwrap();
        assert_eq!(f.directory_len(), 7);
    }
}

#[test]
fn xdf_many_pages_and_atomic_publication() {
    let path = tmp("pages.fst");
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf)).unwrap();
    for i in 0..300 {
        w.write(&keys("PG", i, 3), &values(i as u32, 3)).unwrap();
    }
    // Nothing is published before close: the path does not exist yet.
    assert!(!path.exists());
    w.close().unwrap();
    assert_eq!(live(&path).len(), 300);
    let before = std::fs::read(&path).unwrap();
    let mut w = Writer::append(&path).unwrap();
    // A second writer is refused while the first holds the file.
    assert!(Writer::append(&path).is_err());
    for i in 300..600 {
        w.write(&keys("PG", i, 3), &values(i as u32, 3)).unwrap();
    }
    w.erase(5).unwrap();
    // Readers still see the old, complete file.
    assert_eq!(std::fs::read(&path).unwrap(), before);
    drop(w); // Drop closes too.
    let got = live(&path);
    assert_eq!(got.len(), 599);
    assert!(got.iter().all(|(_, ip1, v)| *v == values(*ip1 as u32, 3)));
    // Header and pages: 3 directory pages, librmn's counters.
    let b = std::fs::read(&path).unwrap();
    let w32 = |i: usize| u32::from_be_bytes(b[4 * i..4 * i + 4].try_into().unwrap());
    assert_eq!(u64::from(w32(4)) * 8, b.len() as u64, "fsiz");
    assert_eq!(
        (w32(6), w32(7), w32(12), w32(13), w32(14)),
        (600, 3, 1, 599, 0)
    );
}

#[test]
fn rsf_flush_survives_a_crash() {
    let path = tmp("crash.rsf");
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Rsf)).unwrap();
    for i in 0..3 {
        w.write(&keys("OK", i, 16), &values(i as u32, 16)).unwrap();
    }
    w.flush().unwrap();
    for i in 3..5 {
        w.write(&keys("LOST", i, 16), &values(i as u32, 16))
            .unwrap();
    }
    // A reader during the session sees exactly the flushed records.
    let f = File::open(&path).unwrap();
    assert_eq!(f.records().len(), 3);
    // Simulated crash: the writer never closes.
    std::mem::forget(w);
    let f = File::open(&path).unwrap();
    let names: Vec<&str> = f
        .records()
        .iter()
        .map(|r| r.header.nomvar.trimmed())
        .collect();
    assert_eq!(names, ["OK", "OK", "OK"]);
    for r in f.records() {
        assert_eq!(
            f.read(r.index).unwrap().values,
            Values::F32(values(r.header.ip1 as u32, 16))
        );
    }
    // The write flag is still set: another writer is refused with a clear error, and
    // creating a new file over it is refused too.
    let err = Writer::append(&path).unwrap_err().to_string();
    assert!(err.contains("exclusive writer"), "{err}");
    assert!(Writer::create(&path, WriterOptions::backend(Backend::Rsf)).is_err());
    assert_eq!(File::open(&path).unwrap().records().len(), 3);
}

#[test]
fn rsf_parallel_threads() {
    let path = tmp("threads.rsf");
    let threads = 4u32;
    let per = 40u32;
    let n = 30_000u32; // 120 KB records: several 1 MiB segments per writer
    std::thread::scope(|s| {
        for t in 0..threads {
            let path = &path;
            s.spawn(move || {
                let mut w = parallel_writer(path);
                for k in 0..per {
                    let tag = t * per + k;
                    w.write(&keys(&format!("T{t}"), tag as i32, n), &values(tag, n))
                        .unwrap();
                    if k % 16 == 15 {
                        w.flush().unwrap();
                    }
                }
                w.close().unwrap();
            });
        }
    });
    let got = live(&path);
    assert_eq!(got.len(), (threads * per) as usize);
    let mut tags: Vec<i32> = got.iter().map(|(_, ip1, _)| *ip1).collect();
    for (_, ip1, v) in &got {
        assert_eq!(*v, values(*ip1 as u32, n));
    }
    tags.sort_unstable();
    assert_eq!(tags, (0..(threads * per) as i32).collect::<Vec<_>>());
    // Every writer gave its flag back: an exclusive writer may open the file now.
    Writer::append(&path).unwrap().close().unwrap();
}

/// Child side of [`rsf_parallel_processes`] (does nothing unless the parent set the
/// environment variable).
#[test]
fn child_writer() {
    let Ok(path) = std::env::var("FST24_WRITER_CHILD") else {
        return;
    };
    let id: u32 = std::env::var("FST24_WRITER_CHILD_ID")
        .unwrap()
        .parse()
        .unwrap();
    let mut w = parallel_writer(&path);
    for k in 0..25 {
        let tag = id * 100 + k;
        w.write(&keys("PR", tag as i32, 5000), &values(tag, 5000))
            .unwrap();
    }
    w.close().unwrap();
}

#[test]
fn rsf_parallel_processes() {
    let path = tmp("processes.rsf");
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|id| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_writer", "--test-threads", "1"])
                .env("FST24_WRITER_CHILD", &path)
                .env("FST24_WRITER_CHILD_ID", id.to_string())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let got = live(&path);
    assert_eq!(got.len(), 75);
    let mut tags: Vec<i32> = got.iter().map(|(_, ip1, _)| *ip1).collect();
    tags.sort_unstable();
    let expected: Vec<i32> = (0..3)
        .flat_map(|id| (0..25).map(move |k| id * 100 + k))
        .collect();
    assert_eq!(tags, expected);
    assert!(got
        .iter()
        .all(|(_, ip1, v)| *v == values(*ip1 as u32, 5000)));
}

#[derive(Debug, Clone)]
enum Op {
    Write(u8, u32),
    Erase(usize),
    Rewrite(usize),
    Flush,
    Reopen,
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        6 => (0u8..4, 1u32..40).prop_map(|(n, len)| Op::Write(n, len)),
        2 => (0usize..64).prop_map(Op::Erase),
        1 => (0usize..64).prop_map(Op::Rewrite),
        1 => Just(Op::Flush),
        1 => Just(Op::Reopen),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Random sessions of writes, erasures, rewrites, flushes and reopenings: after
    /// close, the reader lists exactly the live records of a simple model, with their
    /// values, in write order.
    #[test]
    fn sessions_match_a_model(ops in proptest::collection::vec(op(), 1..60), rsf in proptest::bool::ANY) {
        let backend = if rsf { Backend::Rsf } else { Backend::Xdf };
        let path = tmp(&format!("model-{backend:?}-{}.fst", std::thread::current().name().unwrap_or("t").replace(':', "_")));
        // (directory index, name, ip1, value tag, len) of live records, in write order.
        let mut model: Vec<(usize, String, i32, u32, u32)> = Vec::new();
        let mut tag = 0u32;
        let mut w = Writer::create(&path, WriterOptions::backend(backend)).unwrap();
        for op in ops {
            match op {
                Op::Write(n, len) => {
                    tag += 1;
                    let name = format!("N{n}");
                    let i = w.write(&keys(&name, tag as i32, len), &values(tag, len)).unwrap();
                    model.push((i, name, tag as i32, tag, len));
                }
                Op::Erase(k) if !model.is_empty() => {
                    let (i, ..) = model.remove(k % model.len());
                    w.erase(i).unwrap();
                }
                Op::Rewrite(k) if !model.is_empty() => {
                    let (_, name, ip1, _, len) = model.remove(k % model.len());
                    // Same keys, new values: replaces that record.
                    tag += 1;
                    let i = w.rewrite(&keys(&name, ip1, len), &values(tag, len)).unwrap();
                    model.push((i, name, ip1, tag, len));
                }
                Op::Flush => w.flush().unwrap(),
                Op::Reopen => {
                    w.close().unwrap();
                    w = Writer::append(&path).unwrap();
                }
                _ => {}
            }
        }
        w.close().unwrap();
        let f = File::open(&path).unwrap();
        proptest::prop_assert!(f.warnings().is_empty(), "{:?}", f.warnings());
        let got: Vec<(String, Vec<f32>)> = f
            .records()
            .iter()
            .map(|r| {
                let Values::F32(v) = f.read(r.index).unwrap().values else { panic!() };
                (r.header.nomvar.trimmed().to_string(), v)
            })
            .collect();
        let want: Vec<(String, Vec<f32>)> =
            model.iter().map(|(_, n, _, t, len)| (n.clone(), values(*t, *len))).collect();
        proptest::prop_assert_eq!(got, want);
    }
}

#[test]
fn empty_files_are_librmns() {
    // rsf.md Appendix A.1: an RSF file created and closed without records.
    let hex = "030000fe 00000000 48000000 13000000 52534630 53544446 efbeadde 00000000
               48000000 00000000 8c000000 00000000 00000000 00000000 00000000 00000000
               48000000 030000ff 040000fe 00000000 44000000 00000000 dafabebe defafeca
               00000000 48000000 00000000 8c000000 00000000 00000000 00000000 00000000
               00000000 44000000 040000ff";
    let expected: Vec<u8> = hex
        .split_whitespace()
        .flat_map(|w| (0..4).map(move |i| u8::from_str_radix(&w[2 * i..2 * i + 2], 16).unwrap()))
        .collect();
    let path = tmp("empty.rsf");
    Writer::create(&path, WriterOptions::backend(Backend::Rsf))
        .unwrap()
        .close()
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), expected);
    // xdf.md §1.1: an empty XDF file is the header plus one empty page, 18 672 bytes.
    let path = tmp("empty.fst");
    Writer::create(&path, WriterOptions::backend(Backend::Xdf))
        .unwrap()
        .close()
        .unwrap();
    let b = std::fs::read(&path).unwrap();
    assert_eq!(b.len(), 18_672);
    let f = File::open(&path).unwrap();
    assert!(f.records().is_empty() && f.warnings().is_empty());
}

#[test]
fn xdf_in_place_append_equals_the_copy_mode() {
    let build = |name: &str, in_place: bool| -> Vec<u8> {
        let path = tmp(name);
        let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf)).unwrap();
        for i in 0..260 {
            w.write(&keys("IP", i, 5), &values(i as u32, 5)).unwrap();
        }
        w.close().unwrap();
        let mut o = WriterOptions::default();
        o.xdf_in_place = in_place;
        let mut w = Writer::append_with(&path, o).unwrap();
        if in_place {
            // Marked open for writing on disk (librmn's R-W flag), other writers refused.
            let b = std::fs::read(&path).unwrap();
            assert_eq!(u32::from_be_bytes(b[56..60].try_into().unwrap()), 3);
            assert!(Writer::append(&path).is_err());
        }
        for i in 260..530 {
            w.write(&keys("IP", i, 5), &values(i as u32, 5)).unwrap();
        }
        w.erase(3).unwrap();
        w.rewrite(&keys("IP", 7, 5), &values(77, 5)).unwrap();
        w.close().unwrap();
        assert_eq!(live(&path).len(), 529);
        std::fs::read(&path).unwrap()
    };
    assert_eq!(build("copy.fst", false), build("inplace.fst", true));
}

/// Readers running while parallel writers append: whatever they list decodes to exactly
/// what was written (no half-written record is ever listed).
#[test]
fn rsf_readers_during_parallel_writes() {
    let path = tmp("live.rsf");
    let done = std::sync::atomic::AtomicBool::new(false);
    let (mut opened, mut failed, mut checked) = (0u32, 0u32, 0usize);
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..3u32)
            .map(|t| {
                let path = &path;
                s.spawn(move || {
                    let mut w = parallel_writer(path);
                    for k in 0..60u32 {
                        let tag = t * 1000 + k;
                        w.write(&keys("LV", tag as i32, 20_000), &values(tag, 20_000))
                            .unwrap();
                        if k % 5 == 4 {
                            w.flush().unwrap();
                        }
                    }
                    w.close().unwrap();
                })
            })
            .collect();
        let reader = s.spawn(|| {
            let mut seen = (0u32, 0u32, 0usize);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok(f) = File::open(&path) else {
                    seen.1 += 1;
                    continue;
                };
                seen.0 += 1;
                for r in f.records() {
                    let v = f.read(r.index).unwrap();
                    assert_eq!(v.values, Values::F32(values(r.header.ip1 as u32, 20_000)));
                    seen.2 += 1;
                }
            }
            seen
        });
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (opened, failed, checked) = reader.join().unwrap();
    });
    eprintln!("reader: {opened} opens, {failed} refused, {checked} records checked");
    assert!(opened > 0);
    assert_eq!(live(&path).len(), 180);
}

/// Copying a librmn file record by record into the other backend: same keys, same values
/// for every exactly stored type.
#[test]
fn convert_librmn_file_between_backends() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/librmn20/mixed_xdf.fst");
    let f = File::open(&src).unwrap();
    let out = tmp("converted.rsf");
    let mut w = Writer::create(&out, WriterOptions::backend(Backend::Rsf)).unwrap();
    // Missing points come back as librmn's markers, which the writer plugs again.
    let mut marker = fst24::DecodeOptions::default();
    marker.missing = fst24::MissingMode::Marker;
    for r in f.records() {
        let a = f.read_with(r.index, &marker).unwrap();
        w.write(&RecordKeys::from(&r.header), &a.values).unwrap();
    }
    w.close().unwrap();
    let g = File::open(&out).unwrap();
    assert_eq!(g.records().len(), f.records().len());
    for (x, y) in f.records().iter().zip(g.records()) {
        let (hx, hy) = (x.header, y.header);
        assert_eq!(
            (hx.nomvar, hx.typvar, hx.etiket, hx.grtyp, hx.ni, hx.nj, hx.nk),
            (hy.nomvar, hy.typvar, hy.etiket, hy.grtyp, hy.ni, hy.nj, hy.nk)
        );
        assert_eq!(
            (hx.dateo, hx.datev, hx.deet, hx.npas),
            (hy.dateo, hy.datev, hy.deet, hy.npas)
        );
        assert_eq!(
            (hx.ip1, hx.ip2, hx.ip3, hx.ig1, hx.ig2, hx.ig3, hx.ig4),
            (hy.ip1, hy.ip2, hy.ip3, hy.ig1, hy.ig2, hy.ig3, hy.ig4)
        );
        assert_eq!((hx.datyp, hx.nbits), (hy.datyp, hy.nbits), "{}", hx.nomvar);
        let exact =
            matches!(hx.datyp.raw() & 63, 0 | 2 | 3 | 4 | 5 | 7 | 8) && !hx.datyp.has_missing();
        if exact && hx.datyp.raw() != 130 {
            assert_eq!(
                f.read(x.index).unwrap(),
                g.read(y.index).unwrap(),
                "{}",
                hx.nomvar
            );
        }
    }
}
