//! The `fst24` binary end to end, on librmn-written files from `../shared/data`: every
//! subcommand's output and exit status, and the files `convert` and `cp` write.

mod common;

use std::path::{Path, PathBuf};

use common::{data, fst24, scratch, text};
use fst24::{DecodeOptions, MissingMode, Values};

#[test]
fn ls_lists_every_record_and_filters() {
    let f = data("librmn20/mixed_xdf.fst");
    let all = fst24(&["ls", f.to_str().unwrap()]);
    assert!(all.status.success(), "{}", text(&all.stderr));
    let file = fst24::File::open(&f).unwrap();
    // Title + header + one line per record.
    assert_eq!(text(&all.stdout).lines().count(), 2 + file.records().len());
    let tt = fst24(&["ls", f.to_str().unwrap(), "--nomvar", "TT"]);
    let lines: Vec<String> = text(&tt.stdout).lines().skip(2).map(String::from).collect();
    let expected = file
        .records()
        .iter()
        .filter(|r| r.header.nomvar.trimmed() == "TT")
        .count();
    assert_eq!(lines.len(), expected);
    assert!(lines.iter().all(|l| l.contains(" TT ")));
}

#[test]
fn info_shows_backend_and_rsf_segments() {
    let f = data("librmn20/appended_rsf.fst");
    let out = fst24(&["info", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("backend      rsf"), "{s}");
    let layout = fst24::read_rsf_layout(
        fst24::File::open(&f).unwrap().source().as_ref(),
        &fst24::Limits::default(),
    )
    .unwrap();
    assert!(s.contains(&format!("segments     {}", layout.segments.len())));
    for seg in &layout.segments {
        assert!(s.contains(&format!("@{:<12} {:>12} bytes", seg.offset, seg.size)));
    }
    let xdf = fst24(&["info", data("librmn20/appended_xdf.fst").to_str().unwrap()]);
    let s = text(&xdf.stdout);
    assert!(
        s.contains("backend      xdf") && !s.contains("segments"),
        "{s}"
    );
}

#[test]
fn dump_prints_the_decoded_statistics() {
    let f = data("librmn019/d005_n32.fst");
    let file = fst24::File::open(&f).unwrap();
    let values = match file.read(0).unwrap().values {
        Values::F32(v) => v,
        other => panic!("E32 decodes to f32, got {:?}", other.element_type()),
    };
    let min = values.iter().copied().fold(f32::INFINITY, f32::min);
    let out = fst24(&["dump", f.to_str().unwrap(), "--record", "0"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains(&format!("min {}", f64::from(min))), "{s}");
    assert!(
        s.contains(&format!("({} values, 0 missing)", values.len())),
        "{s}"
    );
}

#[test]
fn dump_statistics_leave_out_missing_points() {
    // d065_n16: R16 with missing values (+64) written by librmn; 22 of 150 points missing.
    let f = data("librmn019/d065_n16.fst");
    for extra in [&[][..], &["--missing"][..]] {
        let mut args = vec!["dump", f.to_str().unwrap(), "--record", "0"];
        args.extend_from_slice(extra);
        let out = fst24(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let s = text(&out.stdout);
        assert!(s.contains("(128 values, 22 missing)"), "{s}");
        assert!(!s.contains("min -1e38"), "{s}");
    }
}

#[test]
fn errors_have_exit_codes_and_name_the_file() {
    let missing = fst24(&["info", "/nonexistent/x.fst"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("/nonexistent/x.fst"));
    let bad = fst24(&["frobnicate"]);
    assert_eq!(bad.status.code(), Some(2));
    let record = fst24(&[
        "dump",
        data("librmn019/d005_n32.fst").to_str().unwrap(),
        "--record",
        "999999",
    ]);
    assert_eq!(record.status.code(), Some(1));
    let dir = scratch("errors");
    let notfst = dir.join("not.fst");
    std::fs::write(
        &notfst,
        b"this is not a standard file at all, not even close",
    )
    .unwrap();
    let out = fst24(&["ls", notfst.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not.fst"));
}

/// Runs `fst24` with its stdout a pipe whose reader is already gone (`fst24 … | head` once
/// `head` has exited): every write to stdout fails with EPIPE.
// `std::io::pipe` is newer than the crate's MSRV; only this test uses it, and the tests run
// on the CI's toolchain.
#[allow(clippy::incompatible_msrv)]
fn fst24_into_closed_pipe(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::new(common::BIN)
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("runs fst24")
}

#[test]
fn a_closed_stdout_pipe_is_not_a_failure() {
    let xdf = data("librmn20/mixed_xdf.fst");
    let rsf = data("librmn20/appended_rsf.fst");
    let (xdf, rsf) = (xdf.to_str().unwrap(), rsf.to_str().unwrap());
    let commands: [&[&str]; 7] = [
        &["ls", xdf, rsf],
        &["ls", "--columns", "help", xdf],
        &["info", xdf, rsf],
        &["dump", xdf, "--record", "0"],
        &["stat", xdf],
        &["compare", xdf, xdf],
        &["info", rsf, xdf],
    ];
    for args in commands {
        let out = fst24_into_closed_pipe(args);
        let err = text(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} printed to stderr: {err}");
    }
    // The rest is still checked: a later file that cannot be read fails the command.
    let out = fst24_into_closed_pipe(&["info", xdf, "/nonexistent/x.fst"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("/nonexistent/x.fst"));
}

/// Reads every record of `path` with missing points as markers.
fn all_values(path: &Path) -> Vec<(fst24::RecordHeader, Values)> {
    let file = fst24::File::open(path).unwrap();
    let mut options = DecodeOptions::default();
    options.missing = MissingMode::Marker;
    file.records()
        .iter()
        .map(|r| (r.header, file.read_with(r.index, &options).unwrap().values))
        .collect()
}

/// Records XDF cannot hold (64-bit integers, ni/nj above 24 bits): `cp` to XDF refuses.
fn xdf_cannot_hold(h: &fst24::RecordHeader) -> bool {
    (matches!(h.datyp.base_code(), 2 | 4) && h.nbits > 32) || h.ni >= 1 << 24 || h.nj >= 1 << 24
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["librmn019", "librmn20", "librmn20/tiny"] {
        for entry in std::fs::read_dir(data(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "fst") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn cp_of_every_corpus_file_is_lossless_on_both_backends() {
    let dir = scratch("cp_all");
    let files = corpus_files();
    for must in ["d069_n64.fst", "q129_n12.fst", "mixed_rsf.fst"] {
        assert!(files.iter().any(|p| p.ends_with(must)), "{must}");
    }
    for src in &files {
        let source = all_values(src);
        for backend in ["xdf", "rsf"] {
            let dst = dir.join(format!(
                "{backend}_{}",
                src.file_name().unwrap().to_str().unwrap()
            ));
            let out = fst24(&[
                "cp",
                "--force",
                "--backend",
                backend,
                src.to_str().unwrap(),
                dst.to_str().unwrap(),
            ]);
            if backend == "xdf" && source.iter().any(|(h, _)| xdf_cannot_hold(h)) {
                assert_eq!(out.status.code(), Some(1), "{}", src.display());
                continue;
            }
            assert!(
                out.status.success(),
                "{}: {}",
                src.display(),
                text(&out.stderr)
            );
            let copy = all_values(&dst);
            assert_eq!(source.len(), copy.len(), "{}", src.display());
            for ((ha, va), (hb, vb)) in source.iter().zip(&copy) {
                assert_eq!(ha, hb, "{} → {backend}", src.display());
                assert_eq!(va.element_type(), vb.element_type(), "{}", ha.nomvar);
                // Bit for bit, lossy packings included (NaN-safe: bytes, not floats).
                assert!(
                    va.as_bytes() == vb.as_bytes(),
                    "{} {} {} → {backend}",
                    src.display(),
                    ha.nomvar,
                    ha.datyp.label(ha.nbits)
                );
            }
            std::fs::remove_file(&dst).unwrap();
        }
    }
}

#[test]
fn cp_keeps_extended_metadata_in_rsf() {
    let dir = scratch("cp_meta");
    for name in ["filemeta_rsf.fst", "mixed_rsf.fst"] {
        let src = data(&format!("librmn20/{name}"));
        let dst = dir.join(name);
        let out = fst24(&[
            "cp",
            "--force",
            "--backend",
            "rsf",
            src.to_str().unwrap(),
            dst.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let metas = |p: &Path| -> Vec<Option<String>> {
            let f = fst24::File::open(p).unwrap();
            f.records()
                .iter()
                .map(|r| r.extended_metadata().map(str::to_string))
                .collect()
        };
        let (a, b) = (metas(&src), metas(&dst));
        assert!(
            a.iter().any(Option::is_some),
            "{name} has extended metadata"
        );
        assert_eq!(a, b, "{name}");
        std::fs::remove_file(&dst).unwrap();
    }
}

#[test]
fn cp_keeps_filters_and_refuses_to_overwrite() {
    let src = data("librmn20/mixed_xdf.fst");
    let dir = scratch("cp");
    let dst = dir.join("copy_rsf.fst");
    let out = fst24(&[
        "cp",
        "--backend",
        "rsf",
        "--nomvar",
        "TT",
        src.to_str().unwrap(),
        dst.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let copy = fst24::File::open(&dst).unwrap();
    assert_eq!(copy.backend(), fst24::Backend::Rsf);
    let (a, b) = (all_values(&src), all_values(&dst));
    let kept: Vec<_> = a
        .iter()
        .filter(|(h, _)| h.nomvar.trimmed() == "TT")
        .collect();
    assert!(!kept.is_empty() && kept.len() < a.len());
    assert_eq!(kept.len(), b.len());
    for ((ha, va), (hb, vb)) in kept.into_iter().zip(&b) {
        assert_eq!(ha, hb);
        assert!(va.as_bytes() == vb.as_bytes(), "{}", ha.nomvar);
    }
    // Refuses to overwrite without --force.
    let again = fst24(&["cp", src.to_str().unwrap(), dst.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("--force"));
}

#[test]
fn convert_writes_netcdf_and_zarr_with_the_plan() {
    let src = data("librmn019/d001_n16.fst");
    let file = fst24::File::open(&src).unwrap();
    let plan = fst24::dataset::plan(&[&file], &Default::default()).unwrap();
    let dir = scratch("convert");
    let convert = |format: &str, out: &Path| {
        let (src, out) = (src.to_str().unwrap(), out.to_str().unwrap());
        fst24(&["convert", src, "--to", format, "-o", out])
    };
    let nc = dir.join("out.nc");
    let out = convert("netcdf", &nc);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&nc).unwrap();
    assert!(bytes.starts_with(b"CDF\x02") || bytes.starts_with(b"CDF\x05"));
    // Every variable's name is in the header.
    for v in &plan.variables {
        assert!(
            bytes.windows(v.name.len()).any(|w| w == v.name.as_bytes()),
            "{}",
            v.name
        );
    }
    let z = dir.join("out.zarr");
    let out = convert("zarr", &z);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(z.join(".zmetadata")).unwrap()).unwrap();
    for v in &plan.variables {
        let zarray = &meta["metadata"][format!("{}/.zarray", v.name)];
        let shape: Vec<usize> = serde_json::from_value(zarray["shape"].clone()).unwrap();
        assert_eq!(shape, v.shape, "{}", v.name);
        // One chunk per record: its byte length is one record's values.
        let rec = file
            .read(v.records.iter().flatten().next().unwrap().1)
            .unwrap();
        let key: Vec<&str> = vec!["0"; v.shape.len()];
        let chunk = std::fs::read(z.join(&v.name).join(key.join("."))).unwrap();
        assert_eq!(chunk.len(), rec.values.as_bytes().len(), "{}", v.name);
    }
    // The output may also be the last positional argument.
    let positional = dir.join("positional.nc");
    let out = fst24(&[
        "convert",
        src.to_str().unwrap(),
        positional.to_str().unwrap(),
        "--to",
        "netcdf",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&positional).unwrap(), bytes);
    let missing = fst24(&["convert", src.to_str().unwrap(), "--to", "netcdf"]);
    assert_eq!(missing.status.code(), Some(1));
    // An existing output needs --force.
    let again = convert("zarr", &z);
    assert_eq!(again.status.code(), Some(1));
}
