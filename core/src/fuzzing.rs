//! Entry points shared by the cargo-fuzz targets (`core/fuzz`) and the regression test that
//! replays their findings (`core/tests/fuzz_regressions.rs`). Not part of the API.

pub mod mutate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::container::Backend;
use crate::record::{RecordHeader, SearchKeys};
use crate::{DecodeOptions, ElementType, File, Limits, MissingMode, Values};

/// Small ceilings so a fuzzer input cannot make a run allocate much.
fn fuzz_limits() -> Limits {
    Limits {
        max_alloc_bytes: 32 << 20,
        max_directory_entries: 1 << 16,
        max_json_bytes: 1 << 16,
    }
}

fn options(missing: MissingMode) -> DecodeOptions {
    DecodeOptions { missing }
}

/// Opens `data` as a file and decodes every record in every missing-value mode.
/// Errors are fine; panics, hangs and huge allocations are the bugs.
pub fn open_and_read_all(data: &[u8]) {
    let Ok(file) = File::from_source(Arc::new(data.to_vec()), fuzz_limits()) else {
        return;
    };
    for rec in file.records() {
        for mode in [MissingMode::Plug, MissingMode::Marker, MissingMode::Nan] {
            let _ = file.read_with(rec.index, &options(mode));
        }
    }
}

/// Every in-process read surface of the core on `data` under `limits`: open, list, `read`,
/// `read_into` and `read_many_into` into buffers of the natural type, then the CF dataset
/// plan and every planned variable read back. Errors are fine; panics, hangs and
/// allocations beyond `limits` are the bugs.
pub fn read_every_surface(data: &[u8], limits: Limits) {
    scan_read_ahead_agrees(data, limits);
    let Ok(file) = File::from_source(Arc::new(data.to_vec()), limits) else {
        return;
    };
    let options = DecodeOptions::default();
    let mut buffers = Vec::new();
    for rec in file.records() {
        let _ = file.read(rec.index);
        // A caller's buffer sized from the header, as the bindings do (after the same check).
        let Some(et) = rec.header.element_type() else {
            continue;
        };
        let scalars = crate::codec::output_len(&rec.header);
        let bytes = scalars.saturating_mul(et.size() as u64);
        if limits.check_alloc(bytes).is_err() || bytes > limits.max_alloc_bytes / 4 {
            continue;
        }
        let mut values = Values::zeroed(et, scalars as usize);
        let _ = file.read_into(rec.index, values.as_out(), &options);
        buffers.push((rec.index, values));
    }
    let jobs = buffers.iter_mut().map(|(i, v)| (*i, v.as_out())).collect();
    let _ = file.read_many_into(jobs, &options);
    drop(buffers);
    plan_and_read(&[&file], limits);
}

/// The directory read the browser's way (each round the ranges [`Scanner::next_reads`]
/// guesses, fed by [`Scanner::feed_ranges`]) is the one [`crate::container::scan`] reads:
/// the same entries and warnings, or an error for both. Panics otherwise.
///
/// [`Scanner::next_reads`]: crate::Scanner::next_reads
/// [`Scanner::feed_ranges`]: crate::Scanner::feed_ranges
pub fn scan_read_ahead_agrees(data: &[u8], limits: Limits) {
    let plain = crate::container::scan(&data.to_vec(), &limits);
    let ahead = (|| -> crate::Result<crate::Directory> {
        let n = data.len().min(crate::DETECT_LEN);
        let mut scanner = crate::Scanner::new(&data[..n], data.len() as u64, &limits)?;
        let mut rounds = 0usize;
        loop {
            let reads = scanner.next_reads(1 << 20);
            if reads.is_empty() {
                break;
            }
            rounds += 1;
            assert!(rounds <= 4096, "read-ahead scan does not end");
            let mut parts = Vec::new();
            for (offset, len) in reads {
                let start = usize::try_from(offset).unwrap_or(usize::MAX);
                let bytes = start
                    .checked_add(len)
                    .and_then(|end| data.get(start..end))
                    .ok_or_else(|| {
                        crate::Error::from(std::io::Error::from(std::io::ErrorKind::UnexpectedEof))
                    })?;
                parts.push((offset, bytes));
            }
            scanner.feed_ranges(&parts)?;
        }
        scanner.finish()
    })();
    match (plain, ahead) {
        (Ok((_, a)), Ok(b)) => {
            assert_eq!(a.entries, b.entries, "read-ahead scan: other entries");
            assert_eq!(a.warnings, b.warnings, "read-ahead scan: other warnings");
        }
        (Err(_), Err(_)) => {}
        (a, b) => panic!(
            "read-ahead scan disagrees: plain {:?}, read ahead {:?}",
            a.map(|d| d.1.entries.len()),
            b.map(|d| d.entries.len())
        ),
    }
}

/// The CF dataset plan over `files` (with and without a forecast axis, the second with
/// computed pressure and height), then every planned variable read whole when its size
/// fits `limits`.
pub fn plan_and_read(files: &[&File], limits: Limits) {
    use crate::dataset::{plan, read_variable, PlanOptions};
    let options = DecodeOptions {
        missing: MissingMode::Nan,
    };
    // The second plan also computes pressure and height (their own read path).
    for forecast in [false, true] {
        let planned = PlanOptions::default()
            .with_forecast_axis(forecast)
            .with_pressure(forecast)
            .with_height(forecast);
        let Ok(plan) = plan(files, &planned) else {
            continue;
        };
        for var in &plan.variables {
            let bytes = (var.len() as u64).saturating_mul(var.dtype.size() as u64);
            if bytes <= limits.max_alloc_bytes {
                let _ = read_variable(files, var, &options);
            }
        }
    }
}

/// Fuzzer input as `[2 bytes: corpus pick][4 bytes: mutant pick][rest: ignored]` over
/// `corpus`: the chosen file's chosen structure-aware mutant, through every surface.
pub fn mutant_from_input(corpus: &[Vec<u8>], data: &[u8]) {
    if corpus.is_empty() || data.len() < 6 {
        return;
    }
    let file = &corpus[usize::from(u16::from_le_bytes([data[0], data[1]])) % corpus.len()];
    let choice = u32::from_le_bytes([data[2], data[3], data[4], data[5]]) as usize;
    if let Some(m) = mutate::nth_mutant(file, choice) {
        read_every_surface(&m.bytes, fuzz_limits());
    }
}

/// Every `.fst` file of the reference corpus under `shared_data` (`librmn019`, `librmn20`,
/// `librmn20/tiny`), sorted: what the mutant tests, the `mutant` fuzz target and the
/// `write_mutants` example draw from.
///
/// # Panics
/// When a folder is missing or the corpus looks incomplete (100 files or fewer): a mutant
/// run over nothing must not pass.
pub fn corpus_files(shared_data: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["librmn019", "librmn20", "librmn20/tiny"] {
        let dir = shared_data.join(folder);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reference corpus missing at {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|e| e == "fst") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 100,
        "expected the whole reference corpus under {}, found {} files",
        shared_data.display(),
        files.len()
    );
    files
}

/// The small ceilings the fuzz targets use.
pub fn limits() -> Limits {
    fuzz_limits()
}

/// A family of datyps for the per-decoder fuzz targets.
#[derive(Debug, Clone, Copy)]
pub enum Family {
    /// 0, 2, 3, 4, 5, 7, 8.
    Plain,
    /// 1 and 6.
    Quant,
    /// 129, 130, 133, 134 (and the other +128 codes).
    Turbo,
    /// +64 variants of the numeric types.
    Missing,
}

impl Family {
    fn datyps(self) -> &'static [u8] {
        match self {
            Family::Plain => &[0, 2, 3, 4, 5, 7, 8],
            Family::Quant => &[1, 6],
            Family::Turbo => &[128, 129, 130, 131, 132, 133, 134, 193, 194, 197, 198],
            Family::Missing => &[65, 66, 68, 69, 70],
        }
    }
}

/// Decodes fuzzer bytes as `[16 key words][data area]` with the datyp forced into `family`.
pub fn decode_family(family: Family, data: &[u8]) {
    if data.len() < 68 {
        return;
    }
    let word = |i: usize| {
        u32::from_be_bytes([
            data[4 * i],
            data[4 * i + 1],
            data[4 * i + 2],
            data[4 * i + 3],
        ])
    };
    let mut keys = [0u32; 16];
    for (i, k) in keys.iter_mut().enumerate() {
        *k = word(i);
    }
    let datyps = family.datyps();
    let datyp = datyps[(keys[2] & 0xFF) as usize % datyps.len()];
    keys[2] = (keys[2] & !0xFF) | u32::from(datyp);
    // Keep grids small enough that the decoders, not the limits, are exercised.
    keys[1] &= 0x0003_FFFF;
    keys[2] &= 0x0003_FFFF;
    keys[3] &= 0x0000_7FFF;
    let header = RecordHeader::from_keys(&SearchKeys(keys), Backend::Xdf);
    let words: Vec<u32> = data[64..]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let limits = fuzz_limits();
    for mode in [MissingMode::Plug, MissingMode::Marker, MissingMode::Nan] {
        if let Ok(array) = crate::codec::decode(&header, &words, &options(mode), &limits) {
            assert_eq!(
                array.values.scalar_len() as u64,
                crate::codec::output_len(&header),
                "decoded length differs from output_len"
            );
            // The conversion paths: the same record into the widest type it allows.
            if let Some(wide) = widest(array.values.element_type()) {
                let mut values = Values::zeroed(wide, array.values.scalar_len());
                let _ = crate::codec::decode_into(&header, &words, values.as_out(), &options(mode));
            }
        }
    }
}

/// The widest element type a record of natural type `et` may be decoded into.
fn widest(et: ElementType) -> Option<ElementType> {
    Some(match et {
        ElementType::F32 => ElementType::F64,
        ElementType::U8 | ElementType::U16 | ElementType::U32 => ElementType::U64,
        ElementType::I8 | ElementType::I16 | ElementType::I32 => ElementType::I64,
        ElementType::C64 => ElementType::C128,
        ElementType::Char => ElementType::U8,
        ElementType::Word => ElementType::U32,
        _ => return None,
    })
}

/// Reads fuzzer bytes as the segments that follow a valid RSF segment 0 (so every input
/// reaches the segment and directory parsers): the segment map, the listing, every live
/// record's data words and extended metadata. Decoding is left to the `decode_*` targets.
pub fn scan_rsf(data: &[u8]) {
    let mut bytes = crate::container::rsf::segment::segment_zero().to_vec();
    bytes.extend_from_slice(data);
    let limits = fuzz_limits();
    let _ = crate::container::rsf::read_layout(&bytes, &limits);
    let Ok(file) = File::from_source(Arc::new(bytes), limits) else {
        return;
    };
    for rec in file.records() {
        let _ = file.read_words(rec.index);
        if let Some(json) = rec.entry.extended_metadata_json() {
            let _ = json.is_ok();
        }
    }
}
