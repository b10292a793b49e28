//! RSF container against the librmn 20 reference files (`shared/data/librmn20`): listing,
//! RSF/XDF twins, deleted records, appended and concatenated segments, unclosed segments,
//! and damaged copies (truncated, corrupted, hostile sizes) that must fail cleanly.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fst24::container::rsf::{read_layout, RsfLayout, SegmentKind};
use fst24::{Backend, Error, File, Limits};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/librmn20")
}

fn bytes(name: &str) -> Vec<u8> {
    let path = root().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()))
}

fn json(name: &str) -> Value {
    let path = root().join(name).with_extension("json");
    let text = std::fs::read_to_string(&path).expect("reference json");
    serde_json::from_str(&text).expect("json")
}

fn open(bytes: &[u8]) -> fst24::Result<File> {
    File::from_source(Arc::new(bytes.to_vec()), Limits::default())
}

fn layout(bytes: &[u8]) -> fst24::Result<RsfLayout> {
    read_layout(&bytes.to_vec(), &Limits::default())
}

/// Every RSF reference file, tiny ones included, with its twin XDF name.
fn rsf_files() -> Vec<(String, String)> {
    let mut names = Vec::new();
    for dir in ["", "tiny/"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("librmn20 corpus") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if let Some(stem) = name.strip_suffix("_rsf.fst") {
                names.push((format!("{dir}{name}"), format!("{dir}{stem}_xdf.fst")));
            }
        }
    }
    names.sort();
    assert!(
        names.len() >= 20,
        "expected the librmn20 corpus, found {names:?}"
    );
    names
}

/// A lower bound of the meaningful bits at the start of a data area: the packed values
/// (plus the 120-bit header of datyp 1), or the stream length turbo records store in
/// their first word.
fn meaningful_bits(h: &fst24::RecordHeader, words: &[u32]) -> u64 {
    let n = u64::from(h.ni) * u64::from(h.nj) * u64::from(h.nk);
    let nbits = u64::from(h.nbits);
    if h.datyp.is_turbo() {
        let stored = u64::from(words[0]).saturating_sub(1);
        return 32 * stored.min(words.len() as u64);
    }
    match h.datyp.base_code() {
        1 => 120 + n * nbits,
        8 => 2 * n * nbits,
        _ => n * nbits,
    }
}

fn set_u64hl(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 4].copy_from_slice(&((value >> 32) as u32).to_le_bytes());
    bytes[at + 4..at + 8].copy_from_slice(&(value as u32).to_le_bytes());
}

fn format_offset(err: &Error) -> Option<u64> {
    match err {
        Error::Format(f) => f.offset,
        _ => None,
    }
}

#[test]
fn every_rsf_file_lists_what_librmn_lists() {
    for (name, _) in rsf_files() {
        let data = bytes(&name);
        let file = open(&data).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(file.backend(), Backend::Rsf);
        assert!(file.warnings().is_empty(), "{name}: {:?}", file.warnings());
        let expected = &json(&name)["fst24"];
        let records = expected["records"].as_array().expect("records");
        assert_eq!(file.records().len(), records.len(), "{name}");
        for (rec, r) in file.records().iter().zip(records) {
            assert_eq!(
                rec.index as i64,
                r["file_index"].as_i64().unwrap(),
                "{name}"
            );
            assert_eq!(rec.file_offset() as i64, r["file_offset"].as_i64().unwrap());
            assert_eq!(
                rec.stored_bytes() as i64,
                r["total_stored_bytes"].as_i64().unwrap()
            );
            assert_eq!(rec.header.nomvar.as_str(), r["nomvar"].as_str().unwrap());
            assert_eq!(
                i64::from(rec.entry.meta_words) * 4,
                r["num_meta_bytes"].as_i64().unwrap()
            );
            // The packed data fills the record between its metadata and end marker.
            let words = file.read_words(rec.index).expect("words");
            assert!(words.len() as i64 >= r["stored_data_size_words"].as_i64().unwrap());
        }
        // The segments tile the whole file.
        let map = layout(&data).expect("layout");
        let mut at = 0;
        for s in &map.segments {
            assert_eq!(s.offset, at, "{name}: {map:?}");
            at += s.size;
        }
        assert_eq!(at, data.len() as u64, "{name}");
        assert_eq!(map.append_offset(), Some(data.len() as u64));
        assert_eq!(map.segments[0].kind, SegmentKind::Header);
        assert_eq!(map.write_flag, 0);
    }
}

#[test]
fn rsf_and_xdf_twins_give_identical_headers_and_words() {
    let mut compared = 0;
    for (rsf_name, xdf_name) in rsf_files() {
        if !root().join(&xdf_name).exists() {
            continue;
        }
        compared += 1;
        let rsf = open(&bytes(&rsf_name)).expect("rsf");
        let xdf = open(&bytes(&xdf_name)).expect("xdf");
        assert_eq!(xdf.backend(), Backend::Xdf);
        assert_eq!(rsf.records().len(), xdf.records().len(), "{rsf_name}");
        for (r, x) in rsf.records().iter().zip(xdf.records()) {
            let (mut hr, mut hx) = (r.header, x.header);
            // XDF reports 32 as the element size of character records, RSF 8 (README);
            // otherwise the element sizes agree once XDF's 0 ("not stored") is resolved.
            if !matches!(hr.datyp.base_code(), 3 | 7) {
                assert_eq!(hr.effective_data_bits(), hx.effective_data_bits());
            }
            (hr.data_bits, hx.data_bits) = (0, 0);
            assert_eq!(hr, hx, "{rsf_name} record {}", r.index);
            let (wr, wx) = (
                rsf.read_words(r.index).expect("rsf words"),
                xdf.read_words(x.index).expect("xdf words"),
            );
            // Both data areas hold the same packed words; librmn leaves garbage after the
            // meaningful bits (low bits of the last used word, slack words).
            let bits = meaningful_bits(&r.header, &wr);
            let (full, rest) = ((bits / 32) as usize, (bits % 32) as u32);
            assert!(full + usize::from(rest > 0) <= wr.len().min(wx.len()));
            assert_eq!(wr[..full], wx[..full], "{rsf_name} record {}", r.index);
            if rest > 0 {
                let shift = 32 - rest;
                assert_eq!(
                    wr[full] >> shift,
                    wx[full] >> shift,
                    "{rsf_name} {}",
                    r.index
                );
            }
        }
    }
    // The corpus has RSF/XDF twins; comparing none would pass by accident.
    assert!(compared >= 5, "only {compared} RSF/XDF twins found");
}

#[test]
fn deleted_entries_keep_their_index_and_are_never_followed() {
    let mut data = bytes("deleted_rsf.fst");
    let file = open(&data).expect("open");
    assert_eq!(file.directory_len(), 6);
    let names: Vec<_> = file
        .records()
        .iter()
        .map(|r| r.header.nomvar.to_string())
        .collect();
    assert_eq!(names, ["A0  ", "A1  ", "A3  ", "A4  ", "A5  "]);
    assert!(matches!(file.record(2), Err(Error::Usage(_))));
    assert_eq!(file.record(3).expect("A3").index, 3);
    let map = layout(&data).expect("layout");
    let seg = &map.segments[1];
    assert_eq!(
        (seg.kind, seg.entries, seg.deleted),
        (SegmentKind::Data, 6, 1)
    );

    // Point the deleted entry's record address far outside the file: still skipped.
    let (dir_offset, _) = seg.directory.expect("directory");
    let first_entry = dir_offset as usize + 20;
    let entry_len = 32 + 4 * 19;
    let a2 = first_entry + 2 * entry_len;
    assert_eq!(data[a2 + 32], 0x80, "A2's entry is marked deleted");
    set_u64hl(&mut data, a2, u64::MAX - 7);
    set_u64hl(&mut data, a2 + 8, u64::MAX - 7);
    let file = open(&data).expect("hostile address of a deleted entry is never used");
    assert_eq!(file.records().len(), 5);

    // The same address on a live entry is an error naming that record.
    set_u64hl(&mut data, first_entry, u64::MAX - 7);
    let err = open(&data).expect_err("live record outside its segment");
    assert_eq!(format_offset(&err), Some(first_entry as u64), "{err}");
    assert!(
        matches!(&err, Error::Format(f) if f.record == Some(0)),
        "{err}"
    );
}

#[test]
fn appended_and_concatenated_segments_are_all_read() {
    let data = bytes("appended_rsf.fst");
    let file = open(&data).expect("open");
    let names: Vec<_> = file
        .records()
        .iter()
        .map(|r| r.header.nomvar.to_string())
        .collect();
    assert_eq!(names, ["B0  ", "B1  ", "B2  ", "B3  ", "B4  "]);
    let map = layout(&data).expect("layout");
    let kinds: Vec<_> = map.segments.iter().map(|s| (s.kind, s.entries)).collect();
    assert_eq!(
        kinds,
        [
            (SegmentKind::Header, 0),
            (SegmentKind::Data, 3),
            (SegmentKind::Data, 2)
        ]
    );

    // `cat appended deleted`: a valid file whose records follow on, offsets shifted.
    let other = bytes("deleted_rsf.fst");
    let joined = [data.clone(), other.clone()].concat();
    let both = open(&joined).expect("concatenation");
    assert!(both.warnings().is_empty(), "{:?}", both.warnings());
    assert_eq!(both.directory_len(), 5 + 6);
    assert_eq!(both.records().len(), 5 + 5);
    let second = open(&other).expect("deleted");
    for (a, b) in both.records()[5..].iter().zip(second.records()) {
        assert_eq!(a.index, b.index + 5);
        assert_eq!(a.header, b.header);
        assert_eq!(a.file_offset(), b.file_offset() + data.len() as u64);
        assert_eq!(
            both.read_words(a.index).unwrap(),
            second.read_words(b.index).unwrap()
        );
    }
}

/// `appended_rsf.fst` as a writer that crashed during its second session leaves it: segment
/// 0 still flagged, the last segment's header never updated, its directory and trailer
/// never written.
fn crashed_copy() -> (Vec<u8>, u64) {
    let data = bytes("appended_rsf.fst");
    let map = layout(&data).expect("layout");
    let last = map.segments.last().expect("segments");
    let (dir_offset, _) = last.directory.expect("directory");
    let start = last.offset as usize;
    let mut crashed = data[..dir_offset as usize].to_vec();
    for field in [28, 36, 44, 52] {
        set_u64hl(&mut crashed, start + field, 0);
    }
    crashed[start + 1] = 19;
    crashed[1] = 0xFF;
    crashed[2] = 0xFF;
    (crashed, last.offset)
}

#[test]
fn unclosed_last_segment_gives_a_warning_and_the_closed_records() {
    let (crashed, open_at) = crashed_copy();
    let file = open(&crashed).expect("an unclosed segment is not an error");
    let names: Vec<_> = file
        .records()
        .iter()
        .map(|r| r.header.nomvar.to_string())
        .collect();
    assert_eq!(names, ["B0  ", "B1  ", "B2  "]);
    let warnings = file.warnings().join("\n");
    assert!(warnings.contains("never closed"), "{warnings}");
    assert!(warnings.contains("exclusive writer"), "{warnings}");
    let original = open(&bytes("appended_rsf.fst")).expect("original");
    for rec in file.records() {
        assert_eq!(
            file.read_words(rec.index).unwrap(),
            original.read_words(rec.index).unwrap()
        );
    }
    let map = layout(&crashed).expect("layout");
    let last = map.segments.last().expect("segments");
    assert_eq!(
        (last.kind, last.offset),
        (SegmentKind::OpenCompact, open_at)
    );
    assert_eq!(map.write_flag, 0xFFFF);
    assert_eq!(map.append_offset(), None);
}

#[test]
fn filler_and_open_parallel_segments_are_skipped() {
    let base = bytes("appended_rsf.fst");
    let tail = bytes("deleted_rsf.fst");
    // A segment of 1000 bytes: header, trailer low part, a gap, trailer high part.
    let sparse = |app: &[u8; 4], flag: u8| {
        let mut seg = vec![0u8; 1000];
        seg[..72].copy_from_slice(&tail[..72]);
        seg[1] = flag;
        seg[20..24].copy_from_slice(app);
        for field in [28, 44, 52] {
            set_u64hl(&mut seg, field, 0);
        }
        set_u64hl(&mut seg, 36, 1000);
        seg[72..140].copy_from_slice(&tail[72..140]);
        set_u64hl(&mut seg, 72 + 4, 1000 - 72);
        seg
    };
    let joined = [
        base.clone(),
        sparse(b"<-->", 0),
        sparse(b"STDF", 19),
        tail[140..].to_vec(),
    ]
    .concat();
    let file = open(&joined).expect("open");
    assert_eq!(file.records().len(), 5 + 5);
    let warnings = file.warnings().join("\n");
    assert!(warnings.contains("parallel segment"), "{warnings}");
    let kinds: Vec<_> = layout(&joined)
        .unwrap()
        .segments
        .iter()
        .map(|s| s.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            SegmentKind::Header,
            SegmentKind::Data,
            SegmentKind::Data,
            SegmentKind::Filler,
            SegmentKind::OpenSparse,
            SegmentKind::Data
        ]
    );
}

#[test]
fn extended_metadata_is_kept_raw_and_parses() {
    for name in ["mixed_rsf.fst", "filemeta_rsf.fst"] {
        let file = open(&bytes(name)).expect("open");
        let expected = json(name);
        let mut seen = 0;
        for (rec, r) in file
            .records()
            .iter()
            .zip(expected["fst24"]["records"].as_array().unwrap())
        {
            assert_eq!(rec.extended_metadata(), r["extended_metadata_raw"].as_str());
            if let Some(parsed) = rec.entry.extended_metadata_json() {
                let parsed = parsed.expect("librmn's JSON parses");
                let again: Value =
                    serde_json::from_str(r["extended_metadata_restringified"].as_str().unwrap())
                        .expect("restringified");
                assert_eq!(parsed, again, "{name} record {}", rec.index);
                seen += 1;
            }
        }
        assert!(seen > 0, "{name} has records with extended metadata");
    }
}

#[test]
fn truncated_copies_fail_cleanly_or_keep_whole_segments() {
    for name in [
        "appended_rsf.fst",
        "deleted_rsf.fst",
        "filemeta_rsf.fst",
        "mixed_rsf.fst",
    ] {
        let data = bytes(name);
        let full = open(&data).expect("open");
        let map = layout(&data).expect("layout");
        let mut cuts: Vec<usize> = Vec::new();
        for s in &map.segments {
            for edge in [s.offset, s.offset + s.size] {
                let edge = edge as usize;
                for d in [0usize, 1, 4, 12, 16, 20, 48, 68, 72] {
                    cuts.push(edge.saturating_sub(d));
                    cuts.push(edge + d);
                }
            }
            if let Some((at, len)) = s.directory {
                cuts.extend((at..at + len).step_by(4).map(|c| c as usize));
            }
        }
        if data.len() < 4096 {
            cuts.extend(0..data.len());
        }
        for cut in cuts.into_iter().filter(|&c| c <= data.len()) {
            let prefix = &data[..cut];
            let boundary = map
                .segments
                .iter()
                .find(|s| (s.offset + s.size) as usize == cut);
            match open(prefix) {
                Ok(file) => {
                    for rec in file.records() {
                        let orig = full.record(rec.index).expect("same record");
                        assert_eq!(rec, orig, "{name} cut at {cut}");
                        assert!(rec.file_offset() + rec.stored_bytes() <= cut as u64);
                    }
                    if boundary.is_some() {
                        let kept = map
                            .segments
                            .iter()
                            .filter(|s| (s.offset + s.size) as usize <= cut)
                            .map(|s| s.entries - s.deleted)
                            .sum::<usize>();
                        assert_eq!(file.records().len(), kept, "{name} cut at {cut}");
                    }
                }
                Err(e) => {
                    assert!(boundary.is_none(), "{name} cut at segment end {cut}: {e}");
                    assert!(matches!(e, Error::Format(_)), "{name} cut at {cut}: {e}");
                    assert!(format_offset(&e).is_some(), "{name} cut at {cut}: {e}");
                }
            }
        }
    }
}

#[test]
fn corrupt_structures_fail_with_an_offset() {
    let data = bytes("appended_rsf.fst");
    let map = layout(&data).expect("layout");
    // Every byte of every segment header, directory and trailer, flipped.
    let mut spots: Vec<usize> = Vec::new();
    for s in &map.segments {
        spots.extend(s.offset as usize..s.offset as usize + 72);
        if let Some((at, len)) = s.directory {
            spots.extend(at as usize..(at + len) as usize);
        }
        let end = (s.offset + s.size) as usize;
        spots.extend(end - 68..end);
    }
    for at in spots {
        for mask in [0x01u8, 0x80, 0xFF] {
            let mut copy = data.clone();
            copy[at] ^= mask;
            match open(&copy) {
                Ok(file) => {
                    for rec in file.records() {
                        assert!(rec.entry.data_offset + rec.entry.data_len <= copy.len() as u64);
                        let _ = file.read_words(rec.index);
                    }
                }
                Err(Error::Format(f)) => assert!(f.offset.is_some(), "byte {at}: {f}"),
                Err(Error::Unsupported(_) | Error::Limits(_)) => {}
                Err(e) => panic!("byte {at} ^ {mask:#x}: unexpected {e}"),
            }
        }
    }
}

#[test]
fn hostile_sizes_are_rejected_before_use() {
    let data = bytes("appended_rsf.fst");
    let map = layout(&data).expect("layout");
    let seg1 = &map.segments[1];
    let s = seg1.offset as usize;

    // A segment claiming more bytes than the file has.
    let mut huge = data.clone();
    set_u64hl(&mut huge, s + 36, u64::MAX);
    let err = open(&huge).expect_err("segment past the end");
    assert_eq!(format_offset(&err), Some(seg1.offset), "{err}");

    // A segment too small to make progress.
    let mut tiny = data.clone();
    set_u64hl(&mut tiny, s + 36, 8);
    assert_eq!(format_offset(&open(&tiny).unwrap_err()), Some(seg1.offset));

    // A directory outside its segment.
    let mut dir = data.clone();
    set_u64hl(&mut dir, s + 44, seg1.size);
    assert_eq!(format_offset(&open(&dir).unwrap_err()), Some(seg1.offset));

    // An entry count the directory cannot hold.
    let (dir_at, _) = seg1.directory.expect("directory");
    let mut count = data.clone();
    count[dir_at as usize + 16..dir_at as usize + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(format_offset(&open(&count).unwrap_err()), Some(dir_at + 16));

    // Too many entries for the caller's limit.
    let mut limits = Limits::default();
    limits.max_directory_entries = 4;
    let err = File::from_source(Arc::new(data.clone()), limits).expect_err("limit");
    assert!(matches!(err, Error::Limits(_)), "{err}");

    // Extended metadata larger than the JSON limit.
    let mut limits = Limits::default();
    limits.max_json_bytes = 64;
    let err = File::from_source(Arc::new(bytes("filemeta_rsf.fst")), limits).expect_err("json");
    assert!(matches!(err, Error::Limits(_)), "{err}");
}

#[test]
fn record_framing_is_checked_before_its_data_is_used() {
    let data = bytes("appended_rsf.fst");
    let map = layout(&data).expect("layout");
    let seg1 = &map.segments[1];
    let (dir_at, _) = seg1.directory.expect("directory");
    let first_entry = dir_at as usize + 20;
    let wa = |d: &[u8]| {
        u64::from(u32::from_le_bytes(
            d[first_entry + 4..first_entry + 8].try_into().unwrap(),
        ))
    };

    // The directory points 8 bytes into the record: listed, but reading it is an error.
    let mut shifted = data.clone();
    set_u64hl(&mut shifted, first_entry, wa(&data) + 8);
    let file = open(&shifted).expect("listing");
    let err = file.read_words(0).expect_err("misplaced record");
    assert!(
        matches!(&err, Error::Format(f) if f.record == Some(0)),
        "{err}"
    );
    assert_eq!(
        format_offset(&err),
        Some(seg1.offset + wa(&data) + 8),
        "{err}"
    );
    assert!(file.read_words(1).is_ok());

    // The record itself marked deleted while its directory entry says live.
    let mut erased = data.clone();
    erased[(seg1.offset + wa(&data)) as usize] = 0x80;
    let err = open(&erased)
        .unwrap()
        .read_words(0)
        .expect_err("deleted record");
    assert!(err.to_string().contains("data record type"), "{err}");

    // Through positional reads (no in-memory slice) the same checks apply.
    let file = File::from_reader(std::io::Cursor::new(shifted)).expect("reader");
    assert!(file.read_words(0).is_err());
    assert_eq!(
        file.read_words(1).unwrap(),
        open(&data).unwrap().read_words(1).unwrap()
    );
}

fn words_le(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn start_of_record(rt: u32, rlm: u32, rl: u64, rlmd: u32, dul: u32) -> Vec<u8> {
    words_le(&[
        rt | rlm << 8 | 0xFE << 24,
        (rl >> 32) as u32,
        rl as u32,
        rlmd | dul << 24,
    ])
}

fn end_of_record(rl: u64, rt: u32, rlm: u32) -> Vec<u8> {
    words_le(&[(rl >> 32) as u32, rl as u32, rt | rlm << 8 | 0xFF << 24])
}

/// A file holding one 64-bit integer record (3 values) laid out as librmn writes it
/// (spec rsf.md §1.5-1.6, §3.1 and appendix B): the metadata of `B4` from
/// `appended_rsf.fst` with 64 bits, ni 3, nj 1 and datyp `datyp`.
fn int64_file(datyp: u32, values: [u64; 3]) -> Vec<u8> {
    let source = bytes("appended_rsf.fst");
    let reference = open(&source).expect("appended");
    let b4 = &reference.records()[4];
    let at = b4.file_offset() as usize + 16;
    let mut meta: Vec<u32> = source[at..at + 76]
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    meta[3] = (meta[3] & !0xFF) | 64; // pack bits
    meta[4] = (meta[4] & 0xFF) | 3 << 8; // ni
    meta[5] = 1 << 8 | datyp; // nj, datyp
    meta[14] = (meta[14] & !0xFF) | 64; // data bits
    let meta = words_le(&meta);
    // A raw little-endian copy, padded to librmn's 2·⌊(n·p+183)/64⌋ words.
    let mut payload: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    payload.resize(40, 0);
    let rl = (16 + 76 + payload.len() + 12) as u64;
    let record = [
        start_of_record(1, 19, rl, 19, 4),
        meta.clone(),
        payload,
        end_of_record(rl, 1, 19),
    ]
    .concat();
    let vdirs = (16 + 4 + 32 + 76 + 12) as u64;
    let directory = [
        start_of_record(6, 1, vdirs, 0, 0),
        words_le(&[1, 0, 72, 0, rl as u32, 0, 0, 0x0013_0013, 0]),
        meta,
        end_of_record(vdirs, 6, 1),
    ]
    .concat();
    let vdir = 72 + rl;
    let seg = vdir + vdirs;
    let sseg = seg + 68;
    let mut header = fst24::container::rsf::segment::segment_zero()[..72].to_vec();
    for (at, value) in [(28, seg), (36, sseg), (44, vdir), (52, vdirs)] {
        set_u64hl(&mut header, at, value);
    }
    let mut trailer = fst24::container::rsf::segment::segment_zero()[72..].to_vec();
    trailer[1] = 19;
    trailer[12] = 19;
    trailer[65] = 19;
    for (at, value) in [(24, seg), (32, sseg), (40, vdir), (48, vdirs)] {
        set_u64hl(&mut trailer, at, value);
    }
    let zero = fst24::container::rsf::segment::segment_zero().to_vec();
    [zero, header, record, directory, trailer].concat()
}

#[test]
fn sixty_four_bit_integers_read_as_librmn_stores_them() {
    let signed = [5i64, -4_294_967_301, 8_589_934_597];
    let data = int64_file(4, signed.map(|v| v as u64));
    let file = open(&data).expect("open");
    assert!(file.warnings().is_empty(), "{:?}", file.warnings());
    let map = layout(&data).expect("layout");
    assert_eq!(map.segments[1].kind, SegmentKind::Data);
    let rec = &file.records()[0];
    assert_eq!((rec.header.nbits, rec.header.ni, rec.header.nj), (64, 3, 1));
    let array = file.read(rec.index).expect("decode");
    assert_eq!(array.values, fst24::Values::I64(signed.to_vec()));

    let unsigned = [0x0102_0304_0506_0708u64, u64::MAX, 1 << 32];
    let file = open(&int64_file(2, unsigned)).expect("open");
    let array = file.read(file.records()[0].index).expect("decode");
    assert_eq!(array.values, fst24::Values::U64(unsigned.to_vec()));
}

#[test]
fn segment_zero_is_what_librmn_writes() {
    let zero = fst24::container::rsf::segment::segment_zero();
    for name in ["mixed_rsf.fst", "deleted_rsf.fst", "appended_rsf.fst"] {
        assert_eq!(zero[..], bytes(name)[..140], "{name}");
    }
    let empty = open(&zero).expect("a file without records");
    assert!(empty.records().is_empty() && empty.warnings().is_empty());
}

#[test]
fn layout_needs_an_rsf_file() {
    let xdf = bytes("mixed_xdf.fst");
    assert!(read_layout(&xdf, &Limits::default()).is_err());
    let data = bytes("mixed_rsf.fst");
    assert!(read_layout(&data[..100].to_vec(), &Limits::default()).is_err());
}
