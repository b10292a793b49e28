//! Helpers shared by the integration tests: where the reference corpus is and which of
//! its files to run over.

// Each test crate uses only some of these.
#![allow(dead_code)]

use std::ops::Deref;
use std::path::{Path, PathBuf};

/// A fresh scratch directory, removed with everything in it when the value is dropped (also
/// when the test panics), so test runs leave nothing behind in the temporary directory.
pub struct ScratchDir(tempfile::TempDir);

pub fn scratch_dir(tag: &str) -> ScratchDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("fst24-{tag}-"))
        .tempdir()
        .expect("scratch directory");
    ScratchDir(dir)
}

impl Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<std::ffi::OsStr> for ScratchDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.path().as_os_str()
    }
}

/// A path named `name` in its own scratch directory; the directory goes when this is dropped.
pub struct ScratchPath {
    path: PathBuf,
    _dir: ScratchDir,
}

impl ScratchPath {
    pub fn new(tag: &str, name: &str) -> Self {
        let dir = scratch_dir(tag);
        Self {
            path: dir.join(name),
            _dir: dir,
        }
    }
}

impl Deref for ScratchPath {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for ScratchPath {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<std::ffi::OsStr> for ScratchPath {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}

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
