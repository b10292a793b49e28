//! Helpers shared by the integration tests: where the reference corpus is and which of
//! its files to run over.

// Each test crate uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `shared/data` beside the repository (the librmn-written reference corpus).
pub fn shared_data() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    assert!(
        dir.is_dir(),
        "reference corpus missing: {} must sit beside the repository",
        dir.display()
    );
    dir
}

/// The files directly in the given folders of `shared/data` that `keep` accepts, sorted.
pub fn corpus_files(folders: &[&str], keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let root = shared_data();
    let mut files = Vec::new();
    for folder in folders {
        let dir = root.join(folder);
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reference corpus missing at {}: {e}", dir.display()))
        {
            let path = entry.expect("directory entry").path();
            if keep(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// True for `.fst` files.
pub fn is_fst(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "fst")
}
pub mod craft;
