//! `fst24`: list, inspect and dump RPN standard files (XDF or RSF) with the fst24 core.
//!
//! Exit status: 0 on success, 1 when a file cannot be read, 2 for bad arguments.

mod dump;
mod filter;
mod info;
mod ls;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "fst24",
    version,
    about = "Inspect RPN standard files (FST: XDF and RSF) without librmn"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List records, one line each (like librmn's `voir`).
    Ls(ls::Args),
    /// Summarise a file: backend, record counts, data types, grids, warnings.
    Info(info::Args),
    /// Decode one record and print its statistics and first values.
    Dump(dump::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ls(args) => ls::run(&args),
        Command::Info(args) => info::run(&args),
        Command::Dump(args) => dump::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fst24: {e}");
            ExitCode::from(1)
        }
    }
}

/// An error with the file it concerns.
#[derive(Debug)]
struct CliError {
    path: String,
    source: fst24::Error,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.source)
    }
}

/// Opens `path`, naming it in the error.
fn open(path: &str) -> Result<fst24::File, CliError> {
    fst24::File::open(path).map_err(|source| CliError {
        path: path.to_string(),
        source,
    })
}
