//! Helpers shared by the CLI's integration tests: the built binary, the reference corpus
//! beside the repository, scratch folders.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `fst24` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_fst24");

/// A path under `shared/data` beside the repository (the librmn-written corpus).
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(rel)
}

/// Runs `fst24` with `args` and collects its output.
pub fn fst24(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("runs fst24")
}

/// Output bytes as text (lossy).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh scratch directory for one test, removed with everything in it when the value is
/// dropped (also when the test panics).
pub fn scratch(name: &str) -> Scratch {
    let dir = tempfile::Builder::new()
        .prefix(&format!("fst24-cli-{name}-"))
        .tempdir()
        .expect("scratch directory");
    Scratch(dir)
}

/// A scratch directory that reads as a `Path` (see [`scratch`]).
pub struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.path().as_os_str()
    }
}
