//! Outputs of `cp` and `convert` never cost the user a file: written beside the target
//! and renamed into place on success; `--force` replaces only an output of the same kind,
//! never an input, the working directory or a directory that is not a zarr store; a
//! failing input, `ulimit -f` or kill -9 leaves the old output and no temporary.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::{scratch, text, BIN};
use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::Backend;

fn fst24_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs fst24")
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn temporaries(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.contains(".fst24-tmp-") || n.contains(".fst24-old-"))
        .collect()
}

/// An RSF file of `n` float records, then (`bad_tail`) a 64-bit integer record that XDF
/// cannot hold, so `cp --backend xdf` fails on it after copying the others.
fn input(path: &Path, n: i32, bad_tail: bool) {
    let mut w = Writer::create(path, WriterOptions::backend(Backend::Rsf)).unwrap();
    for i in 0..n {
        // Distinct names: every record is its own variable in `convert`.
        let mut k = RecordKeys::new(&format!("V{i:03}"), 64, 64, 1);
        k.datyp = 5;
        k.nbits = 32;
        k.ip2 = i;
        let v: Vec<f32> = (0..64 * 64).map(|x| (x + i) as f32).collect();
        w.write(&k, &v).unwrap();
    }
    if bad_tail {
        let mut k = RecordKeys::new("I8", 4, 1, 1);
        k.datyp = 4;
        k.nbits = 64;
        w.write(&k, &[1i64, -2, 3, 1 << 40][..]).unwrap();
    }
    w.close().unwrap();
}

fn old_output(path: &Path) -> Vec<u8> {
    input(path, 2, false);
    std::fs::read(path).unwrap()
}

#[test]
fn convert_force_to_the_working_directory_deletes_nothing() {
    let dir = scratch("dot");
    let src = dir.join("in.fst");
    input(&src, 3, false);
    std::fs::write(dir.join("precious.txt"), b"keep me").unwrap();
    let before = listing(&dir);
    for to in ["netcdf", "zarr"] {
        let out = fst24_in(&dir, &["convert", "in.fst", "--to", to, ".", "--force"]);
        assert_eq!(out.status.code(), Some(1), "{to}: {}", text(&out.stderr));
        assert_eq!(listing(&dir), before, "{to}");
    }
    // Its own input, directly or through a link.
    std::os::unix::fs::symlink("in.fst", dir.join("link.fst")).unwrap();
    let input_bytes = std::fs::read(&src).unwrap();
    for target in ["in.fst", "link.fst"] {
        let out = fst24_in(
            &dir,
            &["convert", "in.fst", "--to", "netcdf", target, "--force"],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains("input"), "{}", text(&out.stderr));
        let out = fst24_in(&dir, &["cp", "in.fst", target, "--force"]);
        assert_eq!(out.status.code(), Some(1));
    }
    assert_eq!(std::fs::read(&src).unwrap(), input_bytes);
    // A directory that is not a zarr store.
    std::fs::create_dir(dir.join("results")).unwrap();
    std::fs::write(dir.join("results/a.txt"), b"x").unwrap();
    for to in ["zarr", "netcdf"] {
        let out = fst24_in(
            &dir,
            &["convert", "in.fst", "--to", to, "-o", "results", "--force"],
        );
        assert_eq!(out.status.code(), Some(1), "{to}");
        assert!(dir.join("results/a.txt").exists());
    }
    // A zarr store is replaced by a zarr store, whole.
    let out = fst24_in(&dir, &["convert", "in.fst", "--to", "zarr", "-o", "s.zarr"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::write(dir.join("s.zarr/stale"), b"x").unwrap();
    let out = fst24_in(
        &dir,
        &[
            "convert", "in.fst", "--to", "zarr", "-o", "s.zarr", "--force",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("s.zarr/.zgroup").exists() && !dir.join("s.zarr/stale").exists());
    assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
}

#[test]
fn a_failing_copy_keeps_the_old_output_and_no_temporary() {
    let dir = scratch("failing");
    let src = dir.join("in.fst");
    input(&src, 30, true);
    let dst = dir.join("out.fst");
    let old = old_output(&dst);
    let out = fst24_in(
        &dir,
        &["cp", "--backend", "xdf", "in.fst", "out.fst", "--force"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("record 30"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&dst).unwrap(), old);
    // A new output is not created at all.
    let out = fst24_in(&dir, &["cp", "--backend", "xdf", "in.fst", "new.fst"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.join("new.fst").exists());
    assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
}

/// `ulimit -f`: the write fails with EFBIG (not SIGXFSZ), the old output stays.
#[test]
fn a_file_size_limit_fails_cleanly() {
    let dir = scratch("fsize");
    let src = dir.join("in.fst");
    input(&src, 60, false);
    std::fs::create_dir(dir.join("s.zarr")).unwrap();
    std::fs::write(dir.join("s.zarr/.zgroup"), b"{}").unwrap();
    let dst = dir.join("out.fst");
    let old = old_output(&dst);
    std::fs::copy(&dst, dir.join("out.nc")).unwrap();
    std::os::unix::fs::symlink("s.zarr", dir.join("zlink")).unwrap();
    for args in [
        "cp in.fst out.fst --force",
        "cp --backend xdf in.fst out.fst --force",
        "convert in.fst --to netcdf out.nc --force -q",
        "convert in.fst --to zarr -o zlink --force -q",
    ] {
        let out = Command::new("sh")
            .current_dir(&dir)
            .arg("-c")
            .arg(format!("ulimit -f 8 && exec \"$0\" {args}"))
            .arg(BIN)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(
            err.contains("too large") || err.contains("File too large"),
            "{args}: {err}"
        );
        assert!(
            temporaries(&dir).is_empty(),
            "{args}: {:?}",
            temporaries(&dir)
        );
    }
    assert_eq!(std::fs::read(&dst).unwrap(), old);
    assert_eq!(std::fs::read(dir.join("out.nc")).unwrap(), old);
    assert!(std::fs::symlink_metadata(dir.join("zlink"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(listing(&dir.join("s.zarr")), vec![".zgroup".to_string()]);
}

#[test]
fn outputs_through_links_stay_in_place() {
    let dir = scratch("links");
    let src = dir.join("in.fst");
    input(&src, 2, false);
    let outside = scratch("links-outside");
    std::os::unix::fs::symlink(outside.join("x.nc"), dir.join("dangling.nc")).unwrap();
    let out = fst24_in(
        &dir,
        &[
            "convert",
            "in.fst",
            "--to",
            "netcdf",
            "-o",
            "dangling.nc",
            "--force",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(listing(&outside).is_empty(), "followed a dangling link");
    // A link to an existing output: the file it points to is replaced, the link kept.
    std::fs::write(outside.join("y.fst"), b"old").unwrap();
    std::os::unix::fs::symlink(outside.join("y.fst"), dir.join("y.fst")).unwrap();
    let out = fst24_in(&dir, &["cp", "in.fst", "y.fst", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.join("y.fst"))
        .unwrap()
        .file_type()
        .is_symlink());
    let copied = fst24::File::open(outside.join("y.fst")).unwrap();
    assert_eq!(copied.records().len(), 2);
}

/// kill -9 at random moments of `cp --force`: the output is the old file or a complete
/// copy, and the next run leaves no temporary. `FST24_KILL_TRIALS` raises the count.
#[test]
fn a_killed_copy_leaves_old_or_new_output() {
    let trials: u64 = std::env::var("FST24_KILL_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(20);
    let dir = scratch("kill");
    let src = dir.join("in.fst");
    input(&src, 150, false);
    let dst = dir.join("out.fst");
    let old = old_output(&dst);
    let start = std::time::Instant::now();
    assert!(fst24_in(&dir, &["cp", "in.fst", "full.fst"])
        .status
        .success());
    let span = (start.elapsed().as_millis() as u64 * 6 / 5).max(5);
    let full = std::fs::read(dir.join("full.fst")).unwrap();
    let (mut kept_old, mut new) = (0, 0);
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..trials {
        std::fs::write(&dst, &old).unwrap();
        let mut c = Command::new(BIN)
            .current_dir(&dir)
            .args(["cp", "in.fst", "out.fst", "--force"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        std::thread::sleep(Duration::from_millis(x % span));
        let _ = c.kill();
        let _ = c.wait();
        let now = std::fs::read(&dst).unwrap();
        if now == old {
            kept_old += 1;
        } else {
            assert_eq!(now, full, "neither the old nor the new output");
            new += 1;
        }
        fst24::writer::clean_stale_temporaries(&dst);
        assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
    }
    eprintln!("cp kill -9: {trials} trials over {span} ms: {kept_old} old, {new} new");
}
