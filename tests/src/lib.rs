//! Reference-corpus access for the golden tests: where `shared/data` is, and readers for
//! the arrays librmn produced (`.npy` files of the 019.5 set, raw `.bin` sidecars of the
//! librmn 20 set). Nothing here decodes FST; it only reads what librmn wrote.

use std::path::{Path, PathBuf};

pub mod compare;
pub mod npy;

/// `shared/data` beside the repository (CI layout), or `$FST24_SHARED/data`.
pub fn data_root() -> PathBuf {
    match std::env::var_os("FST24_SHARED") {
        Some(dir) => PathBuf::from(dir).join("data"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
    }
}

/// Reads and parses a JSON file.
///
/// # Panics
/// When the file is missing or not JSON: a golden test must never skip silently.
pub fn load_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Reads a file's bytes, naming it on failure.
///
/// # Panics
/// When the file is missing.
pub fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
