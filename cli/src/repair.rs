//! `fst24 repair`: makes files that a killed or disk-full writer left behind appendable
//! again, keeping every flushed record (`fst24::writer::repair`).

use std::io::Write;

use crate::{printed, CliError};

/// Arguments of `fst24 repair`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Files to repair (only when no writer has them open).
    #[arg(required = true)]
    files: Vec<String>,
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let r = fst24::writer::repair(path).map_err(|e| CliError::msg(path, e))?;
        for t in &r.removed_temporaries {
            printed(writeln!(
                out,
                "{path}: removed stale temporary {}",
                t.display()
            ))?;
        }
        printed(if r.changed() {
            writeln!(
                out,
                "{path}: repaired: write flag {:#x} cleared, {} bytes never flushed cut, {} open reservations made fillers",
                r.write_flag, r.truncated_bytes, r.fillers
            )
        } else {
            writeln!(out, "{path}: nothing to repair")
        })?;
    }
    Ok(())
}
