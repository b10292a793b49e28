//! The `fst24` binary: a thin shell over [`fst24_cli::run`], shared with the Python wheel.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(fst24_cli::run(std::env::args_os()))
}
