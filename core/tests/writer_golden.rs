//! Golden layout: replay the writes that produced every file of `shared/data/librmn20`
//! (the `written` inputs of its JSON, plus the delete / reopen operations) with our
//! writer and compare the result with the file librmn wrote.
//!
//! XDF must be byte-identical except inside turbo records, whose slack keeps stale
//! compressor bytes in librmn's output (spec xdf.md §4.11). RSF must be byte-identical
//! except for payload bits past the meaningful data, which librmn leaves uninitialised
//! (spec rsf.md §3.1 item 4), and turbo payloads past word 0. Records carrying extended
//! JSON metadata are written with the document librmn stored (librmn rewrites the given
//! document before storing it, `Meta_DefData`; we store what we are given). The file
//! metadata record of `filemeta_rsf` (librmn's `Meta_WriteFile`) is replayed from its
//! reference keys, decoded bitmap and stored JSON. Beyond the bytes, both files must list
//! the same keys, offsets, sizes and extended metadata and decode to the same arrays.

mod common;

use std::path::{Path, PathBuf};

use fst24::container::{scan, DirEntry};
use fst24::record::Name;
use fst24::writer::{RecordKeys, Writer, WriterOptions};
use fst24::{Backend, File, Limits, RecordHeader, Values};
use serde_json::Value;

fn jsons() -> Vec<PathBuf> {
    common::corpus_files(&["librmn20", "librmn20/tiny"], |p| {
        let name = p.file_name().unwrap().to_str().unwrap();
        name.ends_with(".json") && name != "index.json"
    })
}

fn load_input(json: &Path, input: &Value) -> Values {
    let bytes = std::fs::read(
        json.parent()
            .unwrap()
            .join(input["sidecar"].as_str().unwrap()),
    )
    .unwrap();
    let b = bytes.as_slice();
    macro_rules! arr {
        ($t:ty, $n:expr) => {
            b.chunks_exact($n)
                .map(|c| <$t>::from_le_bytes(c.try_into().unwrap()))
                .collect()
        };
    }
    match input["elem_type"].as_str().unwrap() {
        "f32" => Values::F32(arr!(f32, 4)),
        "f64" => Values::F64(arr!(f64, 8)),
        "c64" => Values::C64(arr!(f32, 4)),
        "i8" => Values::I8(arr!(i8, 1)),
        "i16" => Values::I16(arr!(i16, 2)),
        "i32" => Values::I32(arr!(i32, 4)),
        "u8" => Values::U8(b.to_vec()),
        "u16" => Values::U16(arr!(u16, 2)),
        "u32" => Values::U32(arr!(u32, 4)),
        "x32" => Values::Words(arr!(u32, 4)),
        "char8" => Values::Chars(b.to_vec()),
        // One bit per value, packed as 32-bit words.
        "x1" => Values::Words(arr!(u32, 4)),
        other => panic!("element type {other} not handled"),
    }
}

fn keys_of(r: &Value) -> RecordKeys {
    let i = |k: &str| r[k].as_i64().unwrap_or_else(|| panic!("{k}"));
    let s = |k: &str| r[k].as_str().unwrap().to_string();
    let mut k = RecordKeys::new(&s("nomvar"), i("ni") as u32, i("nj") as u32, i("nk") as u32);
    k.typvar = Name::new(&s("typvar"));
    k.etiket = Name::new(&s("etiket"));
    k.grtyp = s("grtyp").as_bytes()[0];
    (k.ip1, k.ip2, k.ip3) = (i("ip1") as i32, i("ip2") as i32, i("ip3") as i32);
    (k.ig1, k.ig2, k.ig3, k.ig4) = (
        i("ig1") as i32,
        i("ig2") as i32,
        i("ig3") as i32,
        i("ig4") as i32,
    );
    (k.dateo, k.deet, k.npas) = (i("dateo") as i32, i("deet") as i32, i("npas") as i32);
    k.datyp = i("data_type") as u8;
    k.nbits = i("pack_bits") as u8;
    k
}

/// Replays the writes of one reference file into `out`, record by record or, when
/// `batched`, with one `Writer::write_many` per writing session.
fn replay(json: &Path, doc: &Value, backend: Backend, out: &Path, batched: bool) {
    let written = doc["written"].as_array().unwrap();
    let case = doc["case"].as_str().unwrap();
    let split = match case {
        "appended" => doc["operations"][0]["records_before_reopen"]
            .as_u64()
            .unwrap() as usize,
        _ => written.len(),
    };
    let mut w = Writer::create(out, WriterOptions::backend(backend)).unwrap();
    if case == "filemeta" {
        // librmn's Meta_WriteFile record comes first. It asks for data_bits 1 on its
        // bitmap, a key `RecordKeys` does not offer, so its data area is copied packed
        // from the reference file; the JSON is the one librmn completed and stored.
        let meta = &doc["fst24"]["records"][0];
        let stored = meta["extended_metadata_raw"].as_str().unwrap();
        let source = File::open(json.with_extension("fst")).unwrap();
        let rec = &source.records()[0];
        assert_eq!(rec.extended_metadata(), Some(stored));
        let words = source.read_words(rec.index).unwrap();
        w.write_packed_with_metadata(&rec.header, &words, Some(stored))
            .unwrap();
    }
    let mut batch: Vec<(RecordKeys, Values)> = Vec::new();
    let flush = |w: &mut Writer, batch: &mut Vec<(RecordKeys, Values)>| {
        let pairs: Vec<_> = batch.iter().map(|(k, v)| (k.clone(), v.into())).collect();
        let indices = w.write_many(&pairs).unwrap();
        assert_eq!(indices.len(), batch.len());
        batch.clear();
    };
    for (n, rec) in written.iter().enumerate() {
        if n == split {
            flush(&mut w, &mut batch);
            w.close().unwrap();
            w = Writer::append(out).unwrap();
        }
        let values = load_input(json, &rec["input"]);
        let mut keys = keys_of(&rec["requested"]);
        keys.metadata = rec["extended_metadata_given"].as_str().map(str::to_string);
        if batched {
            batch.push((keys, values));
        } else {
            w.write(&keys, &values).unwrap();
        }
    }
    flush(&mut w, &mut batch);
    w.close().unwrap();
    if case == "deleted" {
        let index = doc["operations"][0]["deleted_file_index"].as_u64().unwrap() as usize;
        let mut w = Writer::append(out).unwrap();
        w.erase(index).unwrap();
        w.close().unwrap();
    }
}

/// Bits of the data area that carry information (the rest is slack).
fn meaningful_bits(h: &RecordHeader) -> Option<u64> {
    let n = h.num_values();
    let nbits = u64::from(h.nbits);
    if h.datyp.is_turbo() {
        return None;
    }
    Some(match h.datyp.base_code() {
        1 => 120 + n * nbits,
        3 | 7 => 8 * n,
        6 => 32 * (3 + n.div_ceil(2)),
        8 => 2 * n * nbits,
        _ => n * nbits,
    })
}

fn entries(path: &Path) -> Vec<DirEntry> {
    let bytes: std::sync::Arc<[u8]> = std::fs::read(path).unwrap().into();
    scan(&bytes, &Limits::default()).unwrap().1.entries
}

/// Compares the two files byte for byte up to `limit`, allowing differences only where
/// the module docs say librmn writes unreproducible bytes. Returns the number of
/// tolerated differing words.
fn compare_bytes(
    ours: &[u8],
    theirs: &[u8],
    theirs_entries: &[DirEntry],
    backend: Backend,
    name: &str,
) -> usize {
    let limit = ours.len();
    let mut allowed = vec![false; limit];
    for (i, e) in theirs_entries.iter().enumerate() {
        let h = RecordHeader::from_keys(&e.keys, backend);
        let (mut start, mut len) = (e.data_offset as usize, e.data_len as usize);
        if e.deleted && backend == Backend::Rsf {
            // The reader never dereferences deleted entries; in these files the record
            // follows the previous one directly and has the same size.
            let Some(prev) = i.checked_sub(1).map(|p| &theirs_entries[p]) else {
                continue;
            };
            start = (prev.data_offset + prev.record_len) as usize;
            len = prev.data_len as usize;
            // librmn's delete rewrites the entry header with an absolute `wa` and a
            // non-zero `entry_offset` (spec rsf.md §1.10, bug P2); we keep them relative
            // and zero: find the self-referencing entry_offset and tolerate those words.
            for p in (16..limit.saturating_sub(8)).step_by(4) {
                let w =
                    |o: usize| u64::from(u32::from_le_bytes(theirs[o..o + 4].try_into().unwrap()));
                if w(p) << 32 | w(p + 4) == (p - 16) as u64 && w(p + 8) == 0x0013_0013 {
                    allowed[p - 16..p + 8].iter_mut().for_each(|a| *a = true);
                }
            }
        }
        if start >= limit {
            continue;
        }
        let end = (start + len).min(limit);
        if backend == Backend::Rsf && !e.deleted {
            // The SOR's unused-bit-count byte: librmn leaves stray values there in 3 of
            // the corpus records (255 for IS, 32 for tiny E64, 110 for tiny C32, with no
            // pattern: uninitialised, not in the spec); we write 0 as the spec says.
            let ubc = e.record_offset as usize + 14;
            if ubc < limit && theirs[ubc] != 0 {
                allowed[ubc] = true;
            }
        }
        match (backend, meaningful_bits(&h)) {
            (Backend::Xdf, Some(_)) => {}
            (_, None) => allowed[start + 4..end].iter_mut().for_each(|a| *a = true),
            (Backend::Rsf, Some(bits)) => {
                // Little-endian words: word w holds stream bits 32w..32w+31, MSB first.
                for (w, word_at) in (start..end).step_by(4).enumerate() {
                    let first = 32 * w as u64;
                    let keep = bits.saturating_sub(first).min(32) as u32;
                    let mask: u32 = if keep == 0 { 0 } else { !0u32 << (32 - keep) };
                    for (k, a) in allowed[word_at..word_at + 4].iter_mut().enumerate() {
                        *a = (mask >> (8 * k)) & 0xFF != 0xFF;
                    }
                }
            }
        }
    }
    let mut tolerated = 0;
    for i in 0..limit {
        if ours[i] != theirs[i] {
            assert!(
                allowed[i],
                "{name}: byte {i} differs ({:#04x} vs librmn {:#04x})",
                ours[i], theirs[i]
            );
            tolerated += 1;
        }
    }
    tolerated
}

#[test]
fn replayed_files_match_librmn() {
    let dir = common::scratch_dir("writer-golden");
    let mut identical = 0;
    let mut files = 0;
    let mut with_json = 0;
    for json in jsons() {
        let doc: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let backend = match doc["backend"].as_str().unwrap() {
            "XDF" => Backend::Xdf,
            _ => Backend::Rsf,
        };
        let reference = json.with_extension("fst");
        let name = reference.file_name().unwrap().to_str().unwrap().to_string();
        let out = dir.join(&name);
        replay(&json, &doc, backend, &out, false);
        let ours = std::fs::read(&out).unwrap();
        // A batch write gives the same bytes as the records written one by one.
        let batched = dir.join(format!("batched-{name}"));
        replay(&json, &doc, backend, &batched, true);
        assert!(
            std::fs::read(&batched).unwrap() == ours,
            "{name}: write_many differs from write"
        );
        let theirs = std::fs::read(&reference).unwrap();
        let (a, b) = (File::open(&out).unwrap(), File::open(&reference).unwrap());
        assert_eq!(a.directory_len(), b.directory_len(), "{name}");
        assert_eq!(a.records().len(), b.records().len(), "{name}");
        for (n, (x, y)) in a.records().iter().zip(b.records()).enumerate() {
            assert_eq!(x.header, y.header, "{name} record {n}");
            assert_eq!(
                x.extended_metadata(),
                y.extended_metadata(),
                "{name} record {n} extended metadata"
            );
            with_json += usize::from(x.extended_metadata().is_some());
            assert_eq!(
                a.read(x.index).unwrap(),
                b.read(y.index).unwrap(),
                "{name} record {n} values"
            );
            let layout = |r: &fst24::Record| (r.file_offset(), r.stored_bytes());
            assert_eq!(layout(x), layout(y), "{name} record {n} layout");
        }
        assert_eq!(ours.len(), theirs.len(), "{name} size");
        let tolerated = compare_bytes(&ours, &theirs, &entries(&reference), backend, &name);
        identical += usize::from(tolerated == 0);
        files += 1;
        eprintln!(
            "{name}: {} bytes compared, {tolerated} tolerated differing bytes",
            ours.len()
        );
    }
    eprintln!("{identical} of {files} files byte-identical");
    assert!(files >= 31);
    // mixed_rsf's TM, filemeta_rsf's META and TT.
    assert!(with_json >= 3, "{with_json} records with extended metadata");
}
