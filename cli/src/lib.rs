//! `fst24`: list, inspect and dump RPN standard files (XDF or RSF) with the fst24 core.
//!
//! The command line lives in this library so that the `fst24` binary and the Python
//! wheel's `fst24` console script (`_fst24.cli_main`) run the same code.
//!
//! Exit status: 0 on success, 1 when a file cannot be read or written (or `compare` finds
//! differences past its tolerance), 2 for bad arguments.

mod bytes;
mod columns;
mod compare;
mod convert;
mod cp;
mod dump;
mod filter;
#[cfg(feature = "internals")]
pub mod fuzzing;
mod info;
mod ls;
mod netcdf;
mod output;
mod parallel;
mod progress;
mod publish;
mod repair;
mod stat;
mod zap;
mod zarr;

use std::ffi::OsString;

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
    /// List records, one line each, decoded (like `voir`), as a table, CSV or JSON.
    Ls(ls::Args),
    /// Statistics of every selected record: mean, std, min/max and where (like `fststat`).
    Stat(stat::Args),
    /// Compare two files record by record (like `fstcomp -a A -b B`); exit 1 past tolerance.
    Compare(compare::Args),
    /// Summarise a file: backend, record counts, data types, grids, warnings.
    Info(info::Args),
    /// Decode one record and print its statistics and first values.
    Dump(dump::Args),
    /// Convert files to NetCDF (CDF-2/CDF-5) or zarr v2, as one CF dataset.
    Convert(convert::Args),
    /// Copy selected records into a new file or (--append) an existing one, optionally
    /// editing keys (--zap) and changing the backend (like `editfst`).
    Cp(cp::Args),
    /// Make a file a killed or disk-full writer left behind appendable again, keeping
    /// every flushed record.
    Repair(repair::Args),
}

/// Exit status of a failed read or write.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status of a command line that does not parse.
pub const EXIT_USAGE: u8 = 2;

/// Runs the command line `argv` (program name first) and returns the exit status.
///
/// Help and version requests print to stdout and return 0; bad arguments print clap's
/// message to stderr and return [`EXIT_USAGE`]; errors reading or writing files print
/// `fst24: PATH: message` to stderr and return [`EXIT_FAILURE`].
pub fn run<I, T>(argv: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    // Writing past `ulimit -f` must fail with EFBIG (temporary removed), not kill us.
    fst24::writer::sibling::ignore_file_size_signal();
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Ls(args) => ls::run(&args),
        Command::Stat(args) => stat::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Info(args) => info::run(&args),
        Command::Dump(args) => dump::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Cp(args) => cp::run(&args),
        Command::Repair(args) => repair::run(&args),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("fst24: {e}");
            e.code
        }
    }
}

/// An error with the file it concerns.
#[derive(Debug)]
struct CliError {
    path: String,
    message: String,
    code: u8,
}

impl CliError {
    /// An error about `path` (exit status 1).
    fn msg(path: impl Into<String>, message: impl std::fmt::Display) -> Self {
        CliError {
            path: path.into(),
            message: message.to_string(),
            code: EXIT_FAILURE,
        }
    }

    /// A bad argument found after parsing (exit status 2).
    fn usage(message: impl std::fmt::Display) -> Self {
        CliError {
            path: String::new(),
            message: message.to_string(),
            code: EXIT_USAGE,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// The result of writing to stdout. A closed pipe (`fst24 info F | head`) is not a failure:
/// the reader took what it wanted, and the command goes on to check the rest (its exit
/// status still tells whether every file could be read).
fn printed(result: std::io::Result<()>) -> Result<(), CliError> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::msg("stdout", e)),
        _ => Ok(()),
    }
}

/// Opens `path`, naming it in the error.
fn open(path: &str) -> Result<fst24::File, CliError> {
    open_with(path, fst24::OpenOptions::default())
}

/// Opens `path` with `options`, naming it in the error.
fn open_with(path: &str, options: fst24::OpenOptions) -> Result<fst24::File, CliError> {
    fst24::File::open_with(path, options).map_err(|e| CliError::msg(path, e))
}
