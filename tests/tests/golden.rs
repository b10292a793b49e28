//! Golden tests: every file of `shared/data/librmn019` and `shared/data/librmn20`, every
//! record, every key librmn reported and every array librmn decoded, compared exactly.
//!
//! One trial per file and aspect (`<corpus>/<file>/meta`, `<corpus>/<file>/data`), plus a
//! completeness trial per corpus: a `.fst` file not in the index, or an indexed file that is
//! missing, fails. Expectations come only from librmn's output; the few places where we
//! deliberately differ from librmn (its decoding bugs) are listed in `DEVIATIONS` and
//! checked against the writer's input instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fst24::{DecodeOptions, ElementType, File, MissingMode};
use fst24_golden::compare::{compare_bytes, decode_as, element_type};
use fst24_golden::{data_root, load_json, npy, read_bytes};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

/// Records where librmn's read-back is wrong and we return the written values instead.
/// (corpus, file, nomvar, why)
const DEVIATIONS: &[(&str, &str, &str, &str)] = &[
    ("librmn019", "q129_n12.fst", "Q129", "librmn unpacks 129 with nbits < 16 using nbits-wide slots; the turbo stream holds 16-bit slots"),
    ("librmn20", "mixed_rsf.fst", "UQ  ", "librmn sign-extends 16-bit 130 values above 32767"),
    ("librmn20", "mixed_xdf.fst", "UQ  ", "librmn sign-extends 16-bit 130 values above 32767"),
];

fn deviation(corpus: &str, file: &str, nomvar: &str) -> Option<&'static str> {
    DEVIATIONS
        .iter()
        .find(|d| d.0 == corpus && d.1 == file && d.2 == nomvar)
        .map(|d| d.3)
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for corpus in ["librmn019", "librmn20"] {
        trials.extend(corpus_trials(corpus));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn corpus_trials(corpus: &'static str) -> Vec<Trial> {
    let root = data_root().join(corpus);
    let index = load_json(&root.join("index.json"));
    let listed: Vec<String> = index["files"]
        .as_array()
        .expect("index files")
        .iter()
        .map(|f| f["file"].as_str().expect("file name").to_string())
        .collect();
    let mut trials = vec![completeness_trial(corpus, root.clone(), listed.clone())];
    for name in listed {
        let path = root.join(&name);
        let json_path = path.with_extension("json");
        let (p1, j1) = (path.clone(), json_path.clone());
        trials.push(Trial::test(format!("{corpus}/{name}/meta"), move || {
            check_meta(corpus, &p1, &load_json(&j1))
        }));
        let file_name = name.rsplit('/').next().unwrap_or(&name).to_string();
        trials.push(Trial::test(format!("{corpus}/{name}/data"), move || {
            check_data(corpus, &file_name, &path, &load_json(&json_path))
        }));
    }
    trials
}

fn fst_files(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    for entry in
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
    {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().expect("file type").is_dir() && name == "tiny" {
            fst_files(&entry.path(), &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".fst") {
            out.insert(format!("{prefix}{name}"));
        }
    }
}

fn completeness_trial(corpus: &'static str, root: PathBuf, listed: Vec<String>) -> Trial {
    Trial::test(format!("{corpus}/completeness"), move || {
        let mut present = BTreeSet::new();
        fst_files(&root, "", &mut present);
        let listed: BTreeSet<String> = listed.into_iter().collect();
        let unlisted: Vec<_> = present.difference(&listed).collect();
        let missing: Vec<_> = listed.difference(&present).collect();
        if unlisted.is_empty() && missing.is_empty() && !listed.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "files not in index.json: {unlisted:?}; indexed files missing: {missing:?}"
            )
            .into())
        }
    })
}

fn open(path: &Path) -> Result<File, Failed> {
    File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()).into())
}

fn int(v: &Value, key: &str) -> i64 {
    v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("reference lacks integer {key}: {v}"))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("reference lacks string {key}"))
}

/// Collects "field: ours vs reference" lines.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    fn eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: impl std::fmt::Display,
        ours: T,
        reference: T,
    ) {
        if ours != reference {
            self.0
                .push(format!("{what}: ours {ours:?}, librmn {reference:?}"));
        }
    }

    fn into_result(self) -> Result<(), Failed> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.join("\n").into())
        }
    }
}

/// The keys `c_fstprm` reports (both corpora use the same names, except librmn20's
/// `extra1..3` for 019's `xtra1..3`).
fn check_fstprm(m: &mut Mismatches, file: &File, pos: usize, r: &Value, xtra: &str) {
    let Some(rec) = file.records().get(pos) else {
        m.0.push(format!(
            "record {pos}: missing (we list {})",
            file.records().len()
        ));
        return;
    };
    let h = &rec.header;
    let p = format!("record {pos} ({})", h.nomvar);
    m.eq(format!("{p} nomvar"), h.nomvar.as_str(), text(r, "nomvar"));
    m.eq(format!("{p} typvar"), h.typvar.as_str(), text(r, "typvar"));
    m.eq(format!("{p} etiket"), h.etiket.as_str(), text(r, "etiket"));
    m.eq(
        format!("{p} grtyp"),
        h.grtyp_char().to_string().as_str(),
        text(r, "grtyp"),
    );
    for (k, v) in [
        ("ni", i64::from(h.ni)),
        ("nj", i64::from(h.nj)),
        ("nk", i64::from(h.nk)),
    ] {
        m.eq(format!("{p} {k}"), v, int(r, k));
    }
    for (k, v) in [
        ("dateo", h.dateo),
        ("deet", h.deet),
        ("npas", h.npas),
        ("ip1", h.ip1),
        ("ip2", h.ip2),
        ("ip3", h.ip3),
        ("ig1", h.ig1),
        ("ig2", h.ig2),
        ("ig3", h.ig3),
        ("ig4", h.ig4),
    ] {
        m.eq(format!("{p} {k}"), i64::from(v), int(r, k));
    }
    m.eq(format!("{p} nbits"), i64::from(h.nbits), int(r, "nbits"));
    m.eq(
        format!("{p} datyp"),
        i64::from(h.datyp.raw()),
        int(r, "datyp"),
    );
    m.eq(format!("{p} ubc"), i64::from(h.ubc), int(r, "ubc"));
    m.eq(format!("{p} dltf"), 0, int(r, "dltf"));
    m.eq(
        format!("{p} {xtra}1 (datev)"),
        i64::from(h.datev),
        int(r, &format!("{xtra}1")),
    );
    m.eq(format!("{p} {xtra}2"), 0, int(r, &format!("{xtra}2")));
    m.eq(format!("{p} {xtra}3"), 0, int(r, &format!("{xtra}3")));
    let (swa, lng) = match file.backend() {
        fst24::Backend::Xdf => (rec.file_offset() / 8 + 1, rec.stored_bytes() / 4),
        fst24::Backend::Rsf => (rec.file_offset() / 4, rec.stored_bytes() / 4),
    };
    m.eq(format!("{p} swa"), swa as i64, int(r, "swa"));
    m.eq(format!("{p} lng"), lng as i64, int(r, "lng"));
}

fn check_meta(corpus: &str, path: &Path, json: &Value) -> Result<(), Failed> {
    let file = open(path)?;
    let mut m = Mismatches::default();
    if corpus == "librmn019" {
        m.eq("fstnbr", file.directory_len() as i64, int(json, "fstnbr"));
        m.eq("fstnbrv", file.records().len() as i64, int(json, "fstnbrv"));
        let records = json["records"].as_array().expect("records");
        m.eq("fstinl count", file.records().len(), records.len());
        for (pos, r) in records.iter().enumerate() {
            check_fstprm(&mut m, &file, pos, &r["fstprm"], "xtra");
        }
        return m.into_result();
    }
    m.eq(
        "backend",
        // librmn writes the name upper case; fst24 spells it lower case everywhere.
        file.backend().name().to_ascii_uppercase().as_str(),
        text(json, "backend"),
    );
    let fst24 = &json["fst24"];
    m.eq(
        "fst24_get_num_records",
        file.records().len() as i64,
        int(fst24, "fst24_get_num_records"),
    );
    for b in fst24["by_index"].as_array().expect("by_index") {
        let index = int(b, "index") as usize;
        match (file.record(index), int(b, "return")) {
            (Ok(rec), 1) => {
                m.eq(
                    format!("by_index {index} nomvar"),
                    rec.header.nomvar.as_str(),
                    text(b, "nomvar"),
                );
                m.eq(
                    format!("by_index {index} file_offset"),
                    rec.file_offset() as i64,
                    int(b, "file_offset"),
                );
                m.eq(
                    format!("by_index {index} total_stored_bytes"),
                    rec.stored_bytes() as i64,
                    int(b, "total_stored_bytes"),
                );
            }
            (Err(_), 0) => {}
            (ours, theirs) => m.0.push(format!(
                "by_index {index}: ours {:?}, librmn return {theirs}",
                ours.map(|r| r.header.nomvar)
            )),
        }
    }
    let records = fst24["records"].as_array().expect("records");
    m.eq("record count", file.records().len(), records.len());
    for (pos, r) in records.iter().enumerate() {
        let Some(rec) = file.records().get(pos) else {
            continue;
        };
        let h = &rec.header;
        let p = format!("fst24 record {pos} ({})", h.nomvar);
        m.eq(
            format!("{p} file_index"),
            rec.index as i64,
            int(r, "file_index"),
        );
        m.eq(
            format!("{p} file_offset"),
            rec.file_offset() as i64,
            int(r, "file_offset"),
        );
        m.eq(
            format!("{p} total_stored_bytes"),
            rec.stored_bytes() as i64,
            int(r, "total_stored_bytes"),
        );
        if file.backend() == fst24::Backend::Rsf {
            m.eq(
                format!("{p} num_meta_bytes"),
                i64::from(rec.entry.meta_words) * 4,
                int(r, "num_meta_bytes"),
            );
        }
        m.eq(
            format!("{p} data_type"),
            i64::from(h.datyp.raw()),
            int(r, "data_type"),
        );
        m.eq(
            format!("{p} pack_bits"),
            i64::from(h.nbits),
            int(r, "pack_bits"),
        );
        m.eq(
            format!("{p} data_bits"),
            i64::from(h.effective_data_bits()),
            int(r, "data_bits"),
        );
        m.eq(format!("{p} datev"), i64::from(h.datev), int(r, "datev"));
        m.eq(format!("{p} dateo"), i64::from(h.dateo), int(r, "dateo"));
        for k in ["nomvar", "typvar", "etiket", "grtyp"] {
            let ours = match k {
                "nomvar" => h.nomvar.to_string(),
                "typvar" => h.typvar.to_string(),
                "etiket" => h.etiket.to_string(),
                _ => h.grtyp_char().to_string(),
            };
            m.eq(format!("{p} {k}"), ours.as_str(), text(r, k));
        }
        for (k, v) in [
            ("ip1", h.ip1),
            ("ip2", h.ip2),
            ("ip3", h.ip3),
            ("ig1", h.ig1),
            ("ig2", h.ig2),
            ("ig3", h.ig3),
            ("ig4", h.ig4),
            ("deet", h.deet),
            ("npas", h.npas),
        ] {
            m.eq(format!("{p} {k}"), i64::from(v), int(r, k));
        }
        for (k, v) in [("ni", h.ni), ("nj", h.nj), ("nk", h.nk)] {
            m.eq(format!("{p} {k}"), i64::from(v), int(r, k));
        }
        m.eq(
            format!("{p} extended metadata"),
            rec.extended_metadata(),
            r["extended_metadata_raw"].as_str(),
        );
    }
    let fst98 = &json["fst98"];
    m.eq(
        "fstnbrv",
        file.records().len() as i64,
        int(fst98, "fstnbrv"),
    );
    let nbr = if file.backend() == fst24::Backend::Xdf {
        file.directory_len()
    } else {
        file.records().len()
    };
    m.eq("fstnbr", nbr as i64, int(fst98, "fstnbr"));
    for (pos, r) in fst98["records"]
        .as_array()
        .expect("fst98 records")
        .iter()
        .enumerate()
    {
        check_fstprm(&mut m, &file, pos, r, "extra");
    }
    m.into_result()
}

/// Scalar slots of `count` elements of `et`.
fn scalars(et: ElementType, count: usize) -> usize {
    if matches!(et, ElementType::C64 | ElementType::C128) {
        2 * count
    } else {
        count
    }
}

/// Scalar slots of a librmn20 sidecar: binary records (`x1`, `x32`) count points, but the
/// sidecar holds the `⌈n·nbits/32⌉` words librmn returns.
fn sidecar_slots(et: ElementType, count: usize, reference: &[u8]) -> usize {
    if et == ElementType::Word {
        reference.len() / 4
    } else {
        scalars(et, count)
    }
}

fn marker_mode() -> DecodeOptions {
    let mut o = DecodeOptions::default();
    o.missing = MissingMode::Marker;
    o
}

/// Decodes record `index` as `et` and compares it with a sidecar of `count` values.
fn compare_sidecar(
    file: &File,
    index: usize,
    et: ElementType,
    count: usize,
    reference: &[u8],
    options: &DecodeOptions,
) -> Result<(), String> {
    let slots = sidecar_slots(et, count, reference);
    decode_as(file, index, et, slots, options)
        .and_then(|v| compare_bytes(et, v.as_bytes(), reference))
}

fn check_data(corpus: &str, file_name: &str, path: &Path, json: &Value) -> Result<(), Failed> {
    let file = open(path)?;
    let dir = path.parent().expect("parent");
    let mut failures = Vec::new();
    let mut check = |what: String, result: Result<(), String>| {
        if let Err(e) = result {
            failures.push(format!("{what}: {e}"));
        }
    };
    if corpus == "librmn019" {
        for (pos, r) in json["records"]
            .as_array()
            .expect("records")
            .iter()
            .enumerate()
        {
            let Some(rec) = file.records().get(pos) else {
                continue;
            };
            let nomvar = rec.header.nomvar.as_str();
            let data = &r["data"];
            let reference = npy::parse(&read_bytes(&dir.join(text(data, "npy"))))
                .map_err(|e| format!("record {pos}: {e}"))?;
            let what = format!("record {pos} ({nomvar})");
            if let Some(why) = deviation(corpus, file_name, nomvar) {
                check(
                    what,
                    check_deviation_019(&file, rec.index, r, json, dir, why),
                );
                continue;
            }
            check(
                what.clone(),
                compare_npy(
                    &file,
                    rec.index,
                    &reference,
                    data,
                    &DecodeOptions::default(),
                ),
            );
            if rec.header.datyp.has_missing() {
                let mm = data["npy"]
                    .as_str()
                    .expect("npy")
                    .replace(".npy", "_missing_mode.npy");
                let reference = npy::parse(&read_bytes(&dir.join(mm)))
                    .map_err(|e| format!("record {pos}: {e}"))?;
                check(
                    format!("{what} missing mode"),
                    compare_npy(&file, rec.index, &reference, data, &marker_mode()),
                );
            }
        }
    } else {
        // librmn20 files were written and read with librmn's missing-value mode on.
        let options = marker_mode();
        let written = json["written"].as_array().expect("written");
        for (pos, r) in json["fst24"]["records"]
            .as_array()
            .expect("records")
            .iter()
            .enumerate()
        {
            let Some(rec) = file.records().get(pos) else {
                continue;
            };
            let nomvar = rec.header.nomvar.as_str();
            let what = format!("fst24 record {pos} ({nomvar})");
            let data = &r["data"];
            let et = element_type(text(data, "elem_type"));
            if rec.header.element_type() != Some(et) {
                check(
                    what.clone(),
                    Err(format!(
                        "natural element type {:?}, fst24 returned {et:?}",
                        rec.header.element_type()
                    )),
                );
            }
            let reference = read_bytes(&dir.join(text(data, "sidecar")));
            if let Some(why) = deviation(corpus, file_name, nomvar) {
                let input = &written[int(r, "write_order") as usize]["input"];
                check(
                    what,
                    check_deviation_20(
                        &file,
                        rec.index,
                        et,
                        &reference,
                        &read_bytes(&dir.join(text(input, "sidecar"))),
                        why,
                    ),
                );
                continue;
            }
            let count = int(data, "count") as usize;
            check(
                what,
                compare_sidecar(&file, rec.index, et, count, &reference, &options),
            );
        }
        for (pos, r) in json["fst98"]["records"]
            .as_array()
            .expect("fst98 records")
            .iter()
            .enumerate()
        {
            let data = &r["data"];
            if data["same_bytes_as_fst24_sidecar"].as_bool() == Some(true) {
                continue;
            }
            let Some(rec) = file.records().get(pos) else {
                continue;
            };
            let et = element_type(text(data, "elem_type"));
            let reference = read_bytes(&dir.join(text(data, "sidecar")));
            let count = int(data, "count") as usize;
            check(
                format!("fst98 record {pos} ({}) as {et:?}", rec.header.nomvar),
                compare_sidecar(&file, rec.index, et, count, &reference, &options),
            );
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

/// librmn019: decode in the npy's dtype; characters (datyp 3) only fill `fstluk_bytes_written`
/// bytes of a uint32 buffer, so those are compared as bytes.
fn compare_npy(
    file: &File,
    index: usize,
    reference: &npy::Npy,
    data: &Value,
    options: &DecodeOptions,
) -> Result<(), String> {
    let rec = file.record(index).map_err(|e| e.to_string())?;
    if rec.header.datyp.base() == Some(fst24::record::BaseType::Chars) {
        let written = int(data, "fstluk_bytes_written") as usize;
        let ours = decode_as(
            file,
            index,
            ElementType::Char,
            rec.header.num_values() as usize,
            options,
        )?;
        return compare_bytes(
            ElementType::Char,
            &ours.as_bytes()[..written.min(ours.as_bytes().len())],
            &reference.data[..written],
        );
    }
    let et = element_type(&reference.dtype);
    let count: usize = reference.shape.iter().product();
    let ours = decode_as(file, index, et, scalars(et, count), options)?;
    compare_bytes(et, ours.as_bytes(), &reference.data)
}

/// A record librmn decodes wrongly: ours must match the writer's input within the packing's
/// quantisation step.
fn check_deviation_019(
    file: &File,
    index: usize,
    r: &Value,
    json: &Value,
    dir: &Path,
    why: &str,
) -> Result<(), String> {
    let w = &json["written"][int(r, "write_index") as usize];
    let input = npy::parse(&read_bytes(&dir.join(text(w, "input_npy"))))?;
    let ours = decode_as(
        file,
        index,
        ElementType::F32,
        input.data.len() / 4,
        &DecodeOptions::default(),
    )?;
    let fst24::Values::F32(ours) = ours else {
        unreachable!()
    };
    let input: Vec<f32> = input
        .data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let (lo, hi) = input
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let nbits = file.record(index).map_err(|e| e.to_string())?.header.nbits;
    let step = 2.0 * f64::from(hi - lo) / f64::from(1u32 << nbits);
    let worst = ours
        .iter()
        .zip(&input)
        .map(|(a, b)| f64::from((a - b).abs()))
        .fold(0.0, f64::max);
    if worst <= step {
        Ok(())
    } else {
        Err(format!("deviation from librmn ({why}) but our values are off the input by {worst} > step {step}"))
    }
}

/// A record librmn decodes wrongly: ours must equal the writer's input exactly, and librmn's
/// output must be exactly the documented corruption of it (16-bit sign extension).
fn check_deviation_20(
    file: &File,
    index: usize,
    et: ElementType,
    reference: &[u8],
    input: &[u8],
    why: &str,
) -> Result<(), String> {
    let ours = decode_as(file, index, et, reference.len() / et.size(), &marker_mode())?;
    compare_bytes(et, ours.as_bytes(), input)
        .map_err(|e| format!("({why}) ours vs written input: {e}"))?;
    let sign_extended: Vec<u8> = input
        .chunks_exact(4)
        .flat_map(|c| {
            (i32::from(u32::from_le_bytes(c.try_into().unwrap()) as u16 as i16) as u32)
                .to_le_bytes()
        })
        .collect();
    compare_bytes(et, &sign_extended, reference)
        .map_err(|e| format!("librmn's output is not the documented sign extension: {e}"))
}
