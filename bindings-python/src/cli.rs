//! `_fst24.cli_main`: the Rust command line behind the wheel's `fst24` console script.

use pyo3::prelude::*;

/// Runs the `fst24` command line with `argv` (program name first) and returns its exit
/// status. The GIL is released while it runs; output goes straight to the process's
/// stdout and stderr.
#[pyfunction]
pub(crate) fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    i32::from(py.detach(|| fst24_cli::run(argv)))
}
