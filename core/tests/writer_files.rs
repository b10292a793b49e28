//! File-level writer behaviour: append, erase, rewrite, directory pages, atomic
//! publication (XDF), flush and crash survival (RSF), parallel RSF writers.

use std::path::PathBuf;

use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{Backend, File, Values};

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fst24-writer-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p
}

fn keys(name: &str, ip1: i32, n: u32) -> RecordKeys {
    let mut k = RecordKeys::new(name, n, 1, 1);
    k.datyp = 5;
    k.nbits = 32;
    k.ip1 = ip1;
    k
}

fn values(tag: u32, n: u32) -> Vec<f32> {
    (0..n).map(|i| (tag * 1000 + i) as f32).collect()
}

fn live(path: &PathBuf) -> Vec<(String, i32, Vec<f32>)> {
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
    // The write flag is still set: another writer is refused with a clear error.
    let err = Writer::append(&path).unwrap_err().to_string();
    assert!(err.contains("exclusive writer"), "{err}");
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
                let mut o = WriterOptions::backend(Backend::Rsf);
                o.parallel = true;
                o.segment_size_mb = Some(1);
                let mut w = Writer::append_with(path, o).unwrap();
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
    let mut o = WriterOptions::backend(Backend::Rsf);
    o.parallel = true;
    o.segment_size_mb = Some(1);
    let mut w = Writer::append_with(&path, o).unwrap();
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
