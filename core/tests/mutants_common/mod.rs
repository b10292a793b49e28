//! Shared by the mutant tests of the core and the CLI: a global allocator that counts, and
//! refuses single allocations above a cap (so a fallible path sees an error and an
//! infallible one aborts the test naming the mutant), a watchdog for hangs, and the
//! deterministic choice of mutants from the reference corpus.

// Each test crate uses only some of these.
#![allow(dead_code)]
// A global allocator is unsafe by nature; this one only forwards to `System` and counts.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fst24::fuzzing::mutate::{fields, sampled_mutants, Mutant};

/// Largest single allocation and largest growth of live memory during one mutant.
pub const CAP_BYTES: u64 = 160 << 20;

/// A mutant running longer than this is a hang (debug build, 2 loaded cores: generous).
const HANG_SECS: u64 = 300;

pub struct Capped;

static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);
static REFUSED: AtomicU64 = AtomicU64::new(0);
static STARTED_MS: AtomicU64 = AtomicU64::new(0);
static LABEL: Mutex<[u8; 512]> = Mutex::new([0; 512]);
static LABEL_LEN: AtomicUsize = AtomicUsize::new(0);

fn say_label(what: &str) {
    // No allocation here: we may be inside the allocator.
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(what.as_bytes());
    if let Ok(label) = LABEL.try_lock() {
        let _ = err.write_all(&label[..LABEL_LEN.load(Ordering::Relaxed)]);
    }
    let _ = err.write_all(b"\n");
}

unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() as u64 > CAP_BYTES {
            REFUSED.fetch_max(layout.size() as u64, Ordering::Relaxed);
            say_label("mutants: refused an allocation over the cap during ");
            return std::ptr::null_mut();
        }
        let p = System.alloc(layout);
        if !p.is_null() {
            let now =
                LIVE.fetch_add(layout.size() as u64, Ordering::Relaxed) + layout.size() as u64;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() as u64 > CAP_BYTES {
            REFUSED.fetch_max(layout.size() as u64, Ordering::Relaxed);
            say_label("mutants: refused an allocation over the cap during ");
            return std::ptr::null_mut();
        }
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            let now =
                LIVE.fetch_add(layout.size() as u64, Ordering::Relaxed) + layout.size() as u64;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size as u64 > CAP_BYTES {
            REFUSED.fetch_max(new_size as u64, Ordering::Relaxed);
            say_label("mutants: refused a reallocation over the cap during ");
            return std::ptr::null_mut();
        }
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_sub(layout.size() as u64, Ordering::Relaxed);
            let now = LIVE.fetch_add(new_size as u64, Ordering::Relaxed) + new_size as u64;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

fn now_ms(origin: Instant) -> u64 {
    origin.elapsed().as_millis() as u64 + 1
}

/// Starts the hang watchdog (once per test binary).
pub fn start_watchdog() -> Instant {
    static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let origin = *ORIGIN.get_or_init(|| {
        let origin = Instant::now();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(1));
            let started = STARTED_MS.load(Ordering::Relaxed);
            if started != 0 && now_ms(origin) - started > HANG_SECS * 1000 {
                say_label("mutants: HANG (over the time bound) in ");
                std::process::abort();
            }
        });
        origin
    });
    origin
}

/// Runs `surface` on one mutant; returns a failure description (panic, peak over the cap,
/// an allocation refused for being over the cap) or `None`.
pub fn run_one(label: &str, surface: impl FnOnce()) -> Option<String> {
    let origin = start_watchdog();
    {
        let mut buf = LABEL.lock().unwrap();
        let n = label.len().min(buf.len());
        buf[..n].copy_from_slice(&label.as_bytes()[..n]);
        LABEL_LEN.store(n, Ordering::Relaxed);
    }
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    REFUSED.store(0, Ordering::Relaxed);
    STARTED_MS.store(now_ms(origin), Ordering::Relaxed);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(surface));
    STARTED_MS.store(0, Ordering::Relaxed);
    let growth = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    let refused = REFUSED.load(Ordering::Relaxed);
    match outcome {
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| {
                    e.downcast_ref::<&str>()
                        .map(std::string::ToString::to_string)
                })
                .unwrap_or_default();
            Some(format!("{label}: panic: {msg}"))
        }
        Ok(()) if growth > CAP_BYTES => Some(format!("{label}: peak grew by {growth} bytes")),
        Ok(()) if refused > 0 => Some(format!(
            "{label}: asked for {refused} bytes in one allocation (refused)"
        )),
        Ok(()) => None,
    }
}

// The core's test helpers (also when the CLI's tests include this module by path).
#[path = "../common/mod.rs"]
mod common;
pub use common::shared_data;

/// Every `.fst` file of the reference corpus, sorted.
pub fn corpus() -> Vec<PathBuf> {
    let mut files = fst24::fuzzing::corpus_files(&shared_data());
    // The repository's own librmn-written samples carry what the reference corpus lacks:
    // masks, `#` tiles, Yin-Yang, Z grids at the poles, ensembles.
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare/data");
    let before = files.len();
    for entry in std::fs::read_dir(&own).expect("the repository's sample folder") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "fst") {
            files.push(path);
        }
    }
    assert!(
        files.len() >= before + 8,
        "samples missing from {}",
        own.display()
    );
    files
}

/// The mutants of one corpus file to run: all of them when `FST24_MUTANTS=all`, else a
/// deterministic sample of about `per_file` (`FST24_MUTANTS=N`: N per file). For triage, `FST24_MUTANTS_FILE=NAME` keeps
/// only files whose name contains NAME and `FST24_MUTANTS_SKIP=LABEL;LABEL` drops mutants.
pub fn chosen_mutants(path: &Path, per_file: usize) -> Vec<Mutant> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    if std::env::var("FST24_MUTANTS_FILE").is_ok_and(|f| !name.contains(&f)) {
        return Vec::new();
    }
    let skip = std::env::var("FST24_MUTANTS_SKIP").unwrap_or_default();
    let bytes = std::fs::read(path).expect("corpus file");
    assert!(
        !fields(&bytes).is_empty(),
        "{}: no fields found",
        path.display()
    );
    // `all`, or a number of mutants per file instead of the CI sample.
    let per_file = match std::env::var("FST24_MUTANTS").as_deref() {
        Ok("all") => None,
        Ok(n) => Some(n.parse().expect("FST24_MUTANTS is `all` or a number")),
        Err(_) => Some(per_file),
    };
    sampled_mutants(&name, &bytes, per_file)
        .into_iter()
        .filter(|m| !skip.split(';').any(|s| !s.is_empty() && m.label == s))
        .collect()
}
