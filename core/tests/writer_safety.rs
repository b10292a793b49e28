//! Nothing a user owns is lost: concurrent creators, abandoned sessions, killed writers
//! (kill -9 at random moments), a full disk (`ulimit -f`), crashed RSF files and their
//! repair, appends through symbolic links.
//!
//! The kill and disk-full tests re-run this test binary as a child writer
//! (`child_writer`, ignored unless `FST24_CHILD` is set).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use fst24::writer::{clean_stale_temporaries, repair, RecordKeys, Writer, WriterOptions};
use fst24::{Backend, File, Values};

const NI: u32 = 64;
const NJ: u32 = 16;

fn scratch(tag: &str) -> common::ScratchDir {
    common::scratch_dir(&format!("safety-{tag}"))
}

fn keys(ip2: i32, ip3: i32) -> RecordKeys {
    let mut k = RecordKeys::new("TT", NI, NJ, 1);
    k.datyp = 5;
    k.nbits = 32;
    k.ip2 = ip2;
    k.ip3 = ip3;
    k
}

fn values(ip2: i32, ip3: i32) -> Vec<f32> {
    (0..NI * NJ)
        .map(|i| (ip2 * 100_000 + ip3 * 10 + i as i32 % 7) as f32)
        .collect()
}

fn options(backend: Backend) -> WriterOptions {
    WriterOptions::backend(backend)
}

fn new_only(backend: Backend) -> WriterOptions {
    let mut o = options(backend);
    o.create_new = true;
    o
}

/// Writes `n` records tagged `ip2` (ip3 = 0..n) with `w`.
fn write_n(w: &mut Writer, ip2: i32, n: i32) -> fst24::Result<()> {
    for ip3 in 0..n {
        w.write(&keys(ip2, ip3), &values(ip2, ip3))?;
    }
    Ok(())
}

/// Every record of `path` decodes to the values its keys say; returns (ip2, ip3) of each.
fn check_records(path: &Path) -> Vec<(i32, i32)> {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut seen = Vec::new();
    for rec in file.records() {
        let (ip2, ip3) = (rec.header.ip2, rec.header.ip3);
        let a = file.read(rec.index).unwrap();
        match a.values {
            Values::F32(v) => assert_eq!(v, values(ip2, ip3), "record {}", rec.index),
            other => panic!("unexpected {:?}", other.element_type()),
        }
        seen.push((ip2, ip3));
    }
    seen
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".fst24-tmp-"))
        .collect()
}

#[test]
fn a_second_creator_of_a_new_file_is_refused() {
    let dir = scratch("second");
    for backend in [Backend::Xdf, Backend::Rsf] {
        let path = dir.join(format!("new-{backend}.fst"));
        let mut first = Writer::create(&path, new_only(backend)).unwrap();
        let second = Writer::create(&path, new_only(backend));
        assert!(second.is_err(), "{backend}: second creator accepted");
        write_n(&mut first, 1, 5).unwrap();
        first.close().unwrap();
        let again = Writer::create(&path, new_only(backend)).unwrap_err();
        assert!(again.to_string().contains("exists"), "{again}");
        assert_eq!(check_records(&path).len(), 5);
    }
    assert!(temporaries(&dir).is_empty());
}

/// Threads creating (or appending to) one path at once: each either is refused or has all
/// its records in the file.
#[test]
fn concurrent_creators_never_lose_records() {
    let dir = scratch("concurrent");
    let mut report = Vec::new();
    for (backend, mode) in [
        (Backend::Xdf, "w"),
        (Backend::Rsf, "w"),
        (Backend::Xdf, "a"),
        (Backend::Rsf, "a"),
        (Backend::Rsf, "parallel"),
    ] {
        let mut accepted_total = 0;
        for trial in 0..20 {
            let path = dir.join(format!("c-{backend}-{mode}-{trial}.fst"));
            let outcomes: Vec<bool> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..4)
                    .map(|t| {
                        let path = path.clone();
                        s.spawn(move || {
                            let mut o = options(backend);
                            let w = match mode {
                                "w" => Writer::create(&path, new_only(backend)),
                                "a" => Writer::append_with(&path, o),
                                _ => {
                                    o.parallel = true;
                                    o.segment_size_mb = Some(1);
                                    Writer::append_with(&path, o)
                                }
                            };
                            let Ok(mut w) = w else { return false };
                            write_n(&mut w, t + 1, 10).is_ok() && w.close().is_ok()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let accepted: Vec<i32> = outcomes
                .iter()
                .enumerate()
                .filter(|(_, ok)| **ok)
                .map(|(t, _)| t as i32 + 1)
                .collect();
            let mut seen = if path.exists() {
                check_records(&path)
            } else {
                Vec::new()
            };
            seen.sort_unstable();
            let mut expected: Vec<(i32, i32)> = accepted
                .iter()
                .flat_map(|&t| (0..10).map(move |i| (t, i)))
                .collect();
            expected.sort_unstable();
            assert_eq!(seen, expected, "{backend} {mode} trial {trial}");
            if mode == "parallel" {
                assert_eq!(accepted.len(), 4, "parallel writers refused");
            }
            accepted_total += accepted.len();
        }
        report.push(format!(
            "{backend} {mode}: {accepted_total}/80 writers accepted"
        ));
    }
    assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
    eprintln!("{}", report.join("; "));
}

#[test]
fn an_abandoned_session_publishes_nothing_it_was_not_asked_to() {
    let dir = scratch("discard");
    for backend in [Backend::Xdf, Backend::Rsf] {
        // A new file: not created.
        let path = dir.join(format!("d-{backend}.fst"));
        let mut w = Writer::create(&path, new_only(backend)).unwrap();
        write_n(&mut w, 1, 3).unwrap();
        w.discard().unwrap();
        assert!(!path.exists(), "{backend}: discarded new file exists");
        // An append: the file keeps what it had (RSF: plus what was flushed).
        let mut w = Writer::create(&path, options(backend)).unwrap();
        write_n(&mut w, 1, 3).unwrap();
        w.close().unwrap();
        let before = std::fs::read(&path).unwrap();
        let mut w = Writer::append(&path).unwrap();
        write_n(&mut w, 2, 3).unwrap();
        w.discard().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), before, "{backend}");
        let mut w = Writer::append(&path).unwrap();
        write_n(&mut w, 3, 2).unwrap();
        w.flush().unwrap();
        write_n(&mut w, 4, 2).unwrap();
        w.discard().unwrap();
        let kept = check_records(&path).len();
        let expected = if backend == Backend::Rsf { 5 } else { 3 };
        assert_eq!(kept, expected, "{backend}");
        // Still appendable.
        let mut w = Writer::append(&path).unwrap();
        write_n(&mut w, 5, 1).unwrap();
        w.close().unwrap();
        assert_eq!(check_records(&path).len(), expected + 1);
    }
    assert!(temporaries(&dir).is_empty());
}

#[test]
fn a_crashed_rsf_writer_is_repaired_keeping_flushed_records() {
    let dir = scratch("repair");
    let path = dir.join("crashed.fst");
    let mut w = Writer::create(&path, options(Backend::Rsf)).unwrap();
    write_n(&mut w, 1, 4).unwrap();
    w.close().unwrap();
    let mut w = Writer::append(&path).unwrap();
    write_n(&mut w, 2, 3).unwrap();
    w.flush().unwrap();
    write_n(&mut w, 3, 3).unwrap();
    // A crash: nothing of the session's end runs.
    std::mem::forget(w);
    let refused = Writer::append(&path).unwrap_err();
    assert!(refused.to_string().contains("force-close"), "{refused}");
    let r = repair(&path).unwrap();
    assert!(
        r.changed() && r.write_flag == 0xFFFF && r.truncated_bytes > 0,
        "{r:?}"
    );
    assert_eq!(check_records(&path).len(), 7);
    assert!(!repair(&path).unwrap().changed());
    let mut w = Writer::append(&path).unwrap();
    write_n(&mut w, 4, 1).unwrap();
    w.close().unwrap();
    assert_eq!(check_records(&path).len(), 8);

    // A parallel writer that died: its reservation becomes a filler.
    let mut o = options(Backend::Rsf);
    o.parallel = true;
    o.segment_size_mb = Some(1);
    let mut w = Writer::append_with(&path, o).unwrap();
    write_n(&mut w, 5, 2).unwrap();
    std::mem::forget(w);
    let r = repair(&path).unwrap();
    assert_eq!((r.fillers, r.write_flag), (1, 1), "{r:?}");
    assert_eq!(check_records(&path).len(), 8);
    let mut w = Writer::append(&path).unwrap();
    write_n(&mut w, 6, 1).unwrap();
    w.close().unwrap();
    assert_eq!(check_records(&path).len(), 9);
}

/// An in-place XDF append killed mid-way: repair cuts the file back to its last close.
#[test]
fn a_crashed_in_place_xdf_append_is_repaired() {
    let dir = scratch("repair-xdf");
    let path = dir.join("inplace.fst");
    old_file(&path, Backend::Xdf);
    let before = std::fs::read(&path).unwrap();
    let (mut crashed, mut completed) = (0, 0);
    for trial in 0..5 {
        std::fs::write(&path, &before).unwrap();
        let mut c = child("xdf-inplace", &path, 400).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(20 + delay_ms(trial, 40)));
        let _ = c.kill();
        let _ = c.wait();
        let r = repair(&path).unwrap();
        let seen = check_records(&path);
        if seen.len() == 403 {
            completed += 1;
        } else {
            assert_eq!(std::fs::read(&path).unwrap(), before, "{r:?}");
            crashed += usize::from(r.write_flag == 3);
        }
    }
    assert!(
        crashed > 0,
        "no trial interrupted the append ({completed} completed)"
    );
}

#[cfg(unix)]
#[test]
fn stale_temporaries_go_and_links_stay_links() {
    let dir = scratch("links");
    let real = dir.join("real.fst");
    let link = dir.join("link.fst");
    let mut w = Writer::create(&real, options(Backend::Xdf)).unwrap();
    write_n(&mut w, 1, 2).unwrap();
    w.close().unwrap();
    std::os::unix::fs::symlink("real.fst", &link).unwrap();
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = dir.join(format!(".real.fst.fst24-tmp-{dead}-3"));
    std::fs::write(&stale, b"left by a killed writer").unwrap();
    let mut w = Writer::append(&link).unwrap();
    assert!(!stale.exists(), "stale temporary kept");
    write_n(&mut w, 2, 2).unwrap();
    w.close().unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(check_records(&real).len(), 4);
    // A dangling link is not followed.
    let dangling = dir.join("dangling.fst");
    std::os::unix::fs::symlink("../nowhere/x.fst", &dangling).unwrap();
    assert!(Writer::create(&dangling, options(Backend::Xdf)).is_err());
    assert!(temporaries(&dir).is_empty());
}

// ---------------------------------------------------------------------------------------
// Child writer, killed or limited by the tests below.

/// The child: `FST24_CHILD` = `xdf-replace` | `xdf-append` | `rsf-append`, writing
/// `FST24_CHILD_N` records to `FST24_CHILD_PATH` (RSF: flushing every 10).
#[test]
#[ignore = "run as a child process by the kill and disk-full tests"]
fn child_writer() {
    let Ok(mode) = std::env::var("FST24_CHILD") else {
        return;
    };
    fst24::writer::sibling::ignore_file_size_signal();
    let path = PathBuf::from(std::env::var("FST24_CHILD_PATH").unwrap());
    let n: i32 = std::env::var("FST24_CHILD_N").unwrap().parse().unwrap();
    let result = (|| {
        let mut w = match mode.as_str() {
            "xdf-replace" => Writer::create(&path, options(Backend::Xdf))?,
            "xdf-inplace" => {
                let mut o = WriterOptions::default();
                o.xdf_in_place = true;
                Writer::append_with(&path, o)?
            }
            _ => Writer::append(&path)?,
        };
        for ip3 in 0..n {
            w.write(&keys(7, ip3), &values(7, ip3))?;
            if mode == "rsf-append" && ip3 % 10 == 9 {
                w.flush()?;
            }
        }
        w.close()
    })();
    if let Err(e) = result {
        eprintln!("child writer: {e}");
        std::process::exit(3);
    }
}

fn child(mode: &str, path: &Path, n: i32) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--ignored", "--exact", "child_writer", "--nocapture", "-q"])
        .env("FST24_CHILD", mode)
        .env("FST24_CHILD_PATH", path)
        .env("FST24_CHILD_N", n.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    c
}

/// A file with 3 records tagged ip2 = 1.
fn old_file(path: &Path, backend: Backend) {
    let _ = std::fs::remove_file(path);
    let mut w = Writer::create(path, options(backend)).unwrap();
    write_n(&mut w, 1, 3).unwrap();
    w.close().unwrap();
}

/// Pseudo-random delays (xorshift), reproducible from the trial number.
fn delay_ms(trial: u64, max: u64) -> u64 {
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ (trial + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x % max
}

/// kill -9 at random moments of a writer: the file is its old state or its new state
/// (RSF: old plus whole flushed batches, after `repair`), and the next writer's cleanup
/// leaves no temporary. `FST24_KILL_TRIALS` raises the trial count (default 20 per mode).
#[test]
fn killed_writers_leave_old_or_new_state() {
    let trials: u64 = std::env::var("FST24_KILL_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(20);
    let dir = scratch("kill");
    let n = 150;
    let mut summary = Vec::new();
    for mode in ["xdf-replace", "xdf-append", "rsf-append"] {
        let backend = if mode.starts_with("rsf") {
            Backend::Rsf
        } else {
            Backend::Xdf
        };
        let (mut old, mut new, mut partial) = (0, 0, 0);
        // Kill moments spread over one uninterrupted run (+20%, so some complete).
        let path = dir.join(format!("{mode}.fst"));
        old_file(&path, backend);
        let start = std::time::Instant::now();
        assert!(child(mode, &path, n).status().unwrap().success());
        let span = (start.elapsed().as_millis() as u64 * 6 / 5).max(5);
        for trial in 0..trials {
            old_file(&path, backend);
            let mut c = child(mode, &path, n).spawn().unwrap();
            std::thread::sleep(Duration::from_millis(delay_ms(trial, span)));
            let _ = c.kill();
            let _ = c.wait();
            if backend == Backend::Rsf {
                repair(&path).unwrap();
            }
            clean_stale_temporaries(&path);
            assert!(temporaries(&dir).is_empty(), "{mode} trial {trial}");
            let seen = check_records(&path);
            let olds = seen.iter().filter(|r| r.0 == 1).count();
            let news: Vec<i32> = seen.iter().filter(|r| r.0 == 7).map(|r| r.1).collect();
            assert_eq!(
                olds,
                if mode == "xdf-replace" && !news.is_empty() {
                    0
                } else {
                    3
                }
            );
            let complete = news.len() == n as usize;
            assert_eq!(news, (0..news.len() as i32).collect::<Vec<_>>(), "{mode}");
            match backend {
                Backend::Xdf => assert!(news.is_empty() || complete, "{mode}: {} new", news.len()),
                Backend::Rsf => assert!(news.len() % 10 == 0 || complete, "{mode}"),
            }
            if news.is_empty() {
                old += 1;
            } else if complete {
                new += 1;
            } else {
                partial += 1;
            }
            // The file stays appendable.
            let mut w = Writer::append(&path).unwrap();
            write_n(&mut w, 9, 1).unwrap();
            w.close().unwrap();
        }
        summary.push(format!(
            "{mode}: {trials} kills over {span} ms, {old} old, {new} new, {partial} old+flushed batches"
        ));
    }
    eprintln!("{}", summary.join("; "));
}

/// Writing past `ulimit -f` (a full disk for this process): the writer fails with an
/// error, the old file is intact (RSF: appendable, old records only) and no temporary stays.
#[cfg(unix)]
#[test]
fn a_writer_past_the_file_size_limit_keeps_the_old_file() {
    let dir = scratch("fsize");
    for mode in ["xdf-replace", "xdf-append", "rsf-append"] {
        let backend = if mode.starts_with("rsf") {
            Backend::Rsf
        } else {
            Backend::Xdf
        };
        let path = dir.join(format!("{mode}.fst"));
        old_file(&path, backend);
        let before = std::fs::read(&path).unwrap();
        // `ulimit -f` counts 512- or 1024-byte blocks depending on the shell: 64 or 128
        // KiB, either way far below the 150 records (~600 KiB).
        let exe = std::env::current_exe().unwrap();
        let status = Command::new("sh")
            .arg("-c")
            .arg("ulimit -f 128 && exec \"$0\" --ignored --exact child_writer -q >/dev/null 2>&1")
            .arg(&exe)
            .env("FST24_CHILD", mode)
            .env("FST24_CHILD_PATH", &path)
            .env("FST24_CHILD_N", "150")
            .status()
            .unwrap();
        assert_eq!(
            status.code(),
            Some(3),
            "{mode}: the writer did not report an error"
        );
        assert!(
            temporaries(&dir).is_empty(),
            "{mode}: {:?}",
            temporaries(&dir)
        );
        if backend == Backend::Xdf {
            assert_eq!(std::fs::read(&path).unwrap(), before, "{mode}");
        } else {
            // Flushed batches are kept; the unflushed rest was rolled back.
            let seen = check_records(&path);
            assert_eq!(seen.iter().filter(|r| r.0 == 1).count(), 3);
            assert_eq!(seen.iter().filter(|r| r.0 == 7).count() % 10, 0);
        }
        let mut w = Writer::append(&path).unwrap();
        write_n(&mut w, 9, 1).unwrap();
        w.close().unwrap();
    }
}
