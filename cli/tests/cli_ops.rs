//! `ls` decoded, `stat`, `compare` and `cp`'s editfst options, end to end on files written
//! by librmn 019.5 (`../shared/data/librmn019`), with librmn's own decodings (the corpus
//! JSON and `.npy` arrays) as ground truth.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{fst24, scratch, text};
use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{Backend, Values};
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/librmn019")
        .join(name)
}

fn reference(name: &str) -> Value {
    let bytes = std::fs::read(data(&format!("{name}.json"))).expect("corpus JSON");
    serde_json::from_slice(&bytes).unwrap()
}

fn json_of(out: &Output) -> Vec<Value> {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
        .as_array()
        .unwrap()
        .clone()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn ls_decodes_levels_and_dates_as_librmn() {
    for name in ["vcoord", "dates_etikets", "mini_gem", "hy_legacy"] {
        let json = reference(name);
        let rows = json_of(&fst24(&[
            "ls",
            s(&data(&format!("{name}.fst"))),
            "--format",
            "json",
        ]));
        let records = json["records"].as_array().unwrap();
        assert_eq!(rows.len(), records.len(), "{name}");
        for (row, r) in rows.iter().zip(records) {
            let d = &r["decoded"];
            let descriptor = matches!(row["nomvar"].as_str(), Some(">>" | "^^" | "!!" | "HY"));
            if !descriptor && d["ip1"]["kind_str"].is_string() {
                let level = row["level"].as_f64().unwrap();
                let want = d["ip1"]["value"].as_f64().unwrap();
                assert!(
                    (level - want).abs() <= 1e-6 * want.abs(),
                    "{name}: {row} vs {want}"
                );
                assert_eq!(
                    row["kind"].as_str().unwrap(),
                    d["ip1"]["kind_str"].as_str().unwrap().trim(),
                    "{name}"
                );
            }
            let (Some(ymd), Some(hms)) = (
                d["datev"]["yyyymmdd"].as_i64(),
                d["datev"]["hhmmsshh"].as_i64(),
            ) else {
                continue;
            };
            if let Some(iso) = row["datev"].as_str() {
                let want = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                    ymd / 10000,
                    ymd / 100 % 100,
                    ymd % 100,
                    hms / 1_000_000,
                    hms / 10_000 % 100,
                    hms / 100 % 100
                );
                assert_eq!(iso, want, "{name}");
            }
        }
    }
}

#[test]
fn ls_columns_formats_and_unique() {
    let f = data("mini_gem.fst");
    let csv = fst24(&[
        "ls",
        s(&f),
        "--columns",
        "nomvar,dty,nbits",
        "--format",
        "csv",
    ]);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    let out = text(&csv.stdout);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("nomvar,dty,nbits"));
    let file = fst24::File::open(&f).unwrap();
    assert_eq!(lines.clone().count(), file.records().len());
    assert!(lines.clone().any(|l| l == "TT,R16,16"), "{out}");
    assert!(lines.any(|l| l == ">>,E32,32"), "{out}");
    let unique = json_of(&fst24(&[
        "ls",
        s(&f),
        "--columns",
        "nomvar",
        "--unique",
        "--format",
        "json",
    ]));
    let tt = unique.iter().find(|r| r["nomvar"] == "TT").unwrap();
    let count = file
        .records()
        .iter()
        .filter(|r| r.header.nomvar.trimmed() == "TT")
        .count();
    assert_eq!(tt["count"].as_u64(), Some(count as u64));
    // voir's datyp letters: +64 adds `m`, +128 turns the letter lower case.
    let dty = |name: &str| {
        let rows = json_of(&fst24(&[
            "ls",
            s(&data(name)),
            "--columns",
            "dty",
            "--format",
            "json",
        ]));
        rows[0]["dty"].as_str().unwrap().to_owned()
    };
    assert_eq!(dty("d065_n16.fst"), "Rm16");
    assert_eq!(dty("d134_n16.fst"), "f16");
    assert_eq!(dty("d005_n32.fst"), "E32");
    let bad = fst24(&["ls", s(&f), "--columns", "colour"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = fst24(&["ls", s(&f), "--level", "0.5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("unit"));
}

/// Float32 values of a librmn `.npy` array.
fn npy_f32(path: &Path) -> Vec<f32> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..6], b"\x93NUMPY");
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
    assert!(header.contains("'<f4'"), "{header}");
    bytes[10 + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

#[test]
fn stat_leaves_out_missing_points_as_librmn_marks_them() {
    for name in ["d065_n16", "d069_n32", "d001_n16", "mini_gem"] {
        let json = reference(name);
        let rows = json_of(&fst24(&[
            "stat",
            s(&data(&format!("{name}.fst"))),
            "--format",
            "json",
        ]));
        for (row, r) in rows.iter().zip(json["records"].as_array().unwrap()) {
            let d = &r["data"];
            if d["dtype"] != "<f4" {
                continue;
            }
            // librmn's missing-value mode marks missing points with -1e38 (the plug of the
            // default mode is an ordinary value just above the maximum).
            let npy = d["npy_missing_mode"]
                .as_str()
                .or(d["npy"].as_str())
                .unwrap();
            let v = npy_f32(&data(npy));
            let present: Vec<f64> = v
                .iter()
                .filter(|x| **x > -1e37)
                .map(|&x| f64::from(x))
                .collect();
            assert_eq!(
                row["count"].as_u64(),
                Some(present.len() as u64),
                "{name} {row}"
            );
            assert_eq!(
                row["missing"].as_u64(),
                Some((v.len() - present.len()) as u64),
                "{name}"
            );
            let min = present.iter().copied().fold(f64::INFINITY, f64::min);
            let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mean = present.iter().sum::<f64>() / present.len() as f64;
            // (serde_json's default parser may be off by one ulp.)
            let near =
                |got: Option<f64>, want: f64| (got.unwrap() - want).abs() <= 1e-12 * want.abs();
            assert!(near(row["min"].as_f64(), min), "{name} {row}");
            assert!(near(row["max"].as_f64(), max), "{name} {row}");
            assert!(
                (row["mean"].as_f64().unwrap() - mean).abs() <= 1e-9 * mean.abs().max(1.0),
                "{name}"
            );
            // Where: (i, j) of the first minimum, 1-based, Fortran order.
            let at = v.iter().position(|&x| f64::from(x) == min).unwrap();
            let ni = d["shape"][0].as_u64().unwrap() as usize;
            let nj = d["shape"].get(1).and_then(Value::as_u64).unwrap_or(1) as usize;
            assert_eq!(row["imin"].as_u64(), Some((at % ni + 1) as u64), "{name}");
            assert_eq!(
                row["jmin"].as_u64(),
                Some((at / ni % nj + 1) as u64),
                "{name}"
            );
            assert_eq!(
                row["kmin"].as_u64(),
                Some((at / (ni * nj) + 1) as u64),
                "{name}"
            );
        }
    }
}

/// Writes `values` of each field as E32 and as R`nbits` copies; returns the paths.
fn repacked(dir: &Path, fields: &[(String, u32, u32, Vec<f32>)], nbits: &[u8]) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for &(datyp, bits) in [(5u8, 32u8)]
        .iter()
        .chain(nbits.iter().map(|b| (1u8, *b)).collect::<Vec<_>>().iter())
    {
        let path = dir.join(format!("d{datyp}_n{bits}.fst"));
        let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf)).unwrap();
        for (i, (name, ni, nj, v)) in fields.iter().enumerate() {
            let mut k = RecordKeys::new(name, *ni, *nj, 1);
            k.ip1 = i as i32;
            k.datyp = datyp;
            k.nbits = bits;
            w.write(&k, v).unwrap();
        }
        w.close().unwrap();
        paths.push(path);
    }
    paths
}

#[test]
fn compare_a_file_with_repacked_copies_of_itself() {
    // Fields decoded from a GEM-like file librmn wrote.
    let src = fst24::File::open(data("mini_gem.fst")).unwrap();
    let fields: Vec<(String, u32, u32, Vec<f32>)> = src
        .records()
        .iter()
        .filter(|r| !r.header.is_descriptor() && r.header.datyp.base_code() == 1)
        .map(|r| match src.read(r.index).unwrap().values {
            Values::F32(v) => (
                r.header.nomvar.trimmed().to_owned(),
                r.header.ni,
                r.header.nj,
                v,
            ),
            _ => unreachable!("R16 decodes to f32"),
        })
        .collect();
    assert!(fields.len() > 10);
    let dir = scratch("repack");
    let nbits = [16u8, 12, 8];
    let paths = repacked(&dir, &fields, &nbits);
    let e32 = s(&paths[0]);
    // Itself: identical, exit 0.
    let same = fst24(&["compare", e32, e32]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stdout));
    assert!(text(&same.stdout).contains(&format!(
        "{n} records compared: {n} within tolerance",
        n = fields.len()
    )));
    for (path, &bits) in paths[1..].iter().zip(&nbits) {
        let rows = json_of(&fst24(&[
            "compare",
            e32,
            s(path),
            "--all",
            "--format",
            "json",
            "--pack-tolerance",
            "1",
        ]));
        assert_eq!(rows.len(), fields.len());
        for (row, (name, _, _, v)) in rows.iter().zip(&fields) {
            let lo = v.iter().copied().fold(f32::INFINITY, f32::min);
            let hi = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            // librmn's R packer scales by a power of two: its step is range/2^nbits
            // rounded up to one, and it is off by at most one step.
            let step = 2f64.powf(
                (f64::from(hi - lo) / 2f64.powi(i32::from(bits)))
                    .log2()
                    .ceil(),
            );
            let e_max = row["e_max"].as_f64().unwrap();
            assert!(e_max <= step, "{name} R{bits}: e_max {e_max} > step {step}");
            let corr = row["c_cor"].as_f64().unwrap();
            assert!(
                corr > 0.99 || hi == lo,
                "{name} R{bits}: correlation {corr}"
            );
            assert_eq!(row["status"], "ok");
        }
        // Past the default relative tolerance (1e-7): exit 1 and a summary.
        let strict = fst24(&["compare", e32, s(path)]);
        assert_eq!(strict.status.code(), Some(1), "R{bits}");
        assert!(
            text(&strict.stdout).contains("differ"),
            "{}",
            text(&strict.stdout)
        );
    }
    // A record missing from B is a difference.
    let some = dir.join("some.fst");
    let cp = fst24(&["cp", e32, s(&some), "--exclude", "nomvar=TT"]);
    assert!(cp.status.success(), "{}", text(&cp.stderr));
    let out = fst24(&["compare", e32, s(&some)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("missing in B"));
    assert_eq!(
        fst24(&["compare", e32, s(&some), "--exclude", "nomvar=TT"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn cp_selects_edits_and_appends() {
    let src = data("vcoord.fst");
    let dir = scratch("cp");
    let out = dir.join("out.fst");
    // Options anywhere on the line, decoded level range, exclusion.
    let r = fst24(&[
        "cp",
        s(&src),
        "--backend",
        "rsf",
        s(&out),
        "--level",
        "0.5:1.0hy",
        "--exclude",
        "nomvar=UU",
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let file = fst24::File::open(&src).unwrap();
    let sel = fst24::select::Selection::parse("ip1=0.5:1.0hy")
        .unwrap()
        .exclude(fst24::select::Selection::parse("nomvar=UU").unwrap());
    let expected = sel.select(file.records());
    assert!(!expected.is_empty());
    let copy = fst24::File::open(&out).unwrap();
    assert_eq!(copy.backend(), Backend::Rsf);
    assert_eq!(copy.records().len(), expected.len());
    // Refuses to replace or append silently.
    let again = fst24(&["cp", s(&src), s(&out)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("--append"));
    // --append with zapped keys: the data are copied as stored.
    let r = fst24(&[
        "cp",
        "--append",
        s(&src),
        s(&out),
        "--nomvar",
        "TT",
        "--zap",
        "etiket=ZAPPED",
        "--zap",
        "ip2=12h",
        "--zap",
        "dateo=2021-03-04T05",
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let copy = fst24::File::open(&out).unwrap();
    let tt = fst24::select::Selection::parse("nomvar=TT")
        .unwrap()
        .select(file.records());
    assert_eq!(copy.records().len(), expected.len() + tt.len());
    let zapped = fst24::select::Selection::parse("etiket=ZAPPED ip2=12h")
        .unwrap()
        .select(copy.records());
    assert_eq!(zapped.len(), tt.len());
    for (&a, &b) in tt.iter().zip(&zapped) {
        let (ha, hb) = (&file.records()[a].header, &copy.records()[b].header);
        assert_eq!(
            (ha.nomvar, ha.ip1, ha.deet, ha.npas),
            (hb.nomvar, hb.ip1, hb.deet, hb.npas)
        );
        assert_eq!(
            fst24::time::stamp_to_iso(hb.dateo).as_deref(),
            Some("2021-03-04T05:00:00Z")
        );
        let lead = f64::from(hb.deet) * f64::from(hb.npas) / 3600.0;
        assert_eq!(hb.datev, fst24::time::incdatr(hb.dateo, lead).unwrap());
        assert_eq!(file.read(a).unwrap(), copy.read(b).unwrap());
    }
    // Dates: a range selects what the decoded column says.
    let dated = dir.join("dated.fst");
    let r = fst24(&[
        "cp",
        s(&data("dates_etikets.fst")),
        s(&dated),
        "--datev",
        "2020-01-01..2030-01-01",
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let n = fst24::File::open(&dated).unwrap().records().len();
    let want = json_of(&fst24(&[
        "ls",
        s(&data("dates_etikets.fst")),
        "--format",
        "json",
    ]))
    .iter()
    .filter(|r| {
        r["datev"]
            .as_str()
            .is_some_and(|d| ("2020-01-01".."2030-01-01T00:00:01").contains(&d))
    })
    .count();
    assert_eq!(n, want);
    // Bad zaps and selections are usage errors.
    for bad in [["--zap", "ni=3"], ["--zap", "ip1=0.5"], ["--datev", "soon"]] {
        let r = fst24(&["cp", s(&src), s(&dir.join("x.fst")), bad[0], bad[1]]);
        assert_eq!(r.status.code(), Some(2), "{bad:?}: {}", text(&r.stderr));
    }
}
