//! `fst24 cp`: copy (selected) records of one or more files into a new file, with the
//! same keys, datyp and nbits, on the XDF or RSF backend.
//!
//! Records are copied packed as they are stored (`Writer::copy_record`): no decoding and
//! no re-quantising, so every record, lossy packings included, decodes to exactly the
//! source's values. Only what the target backend cannot hold is refused (64-bit integers
//! or ni/nj above 2^24 going to XDF). Extended JSON metadata is kept when the target is
//! RSF; XDF cannot hold it, so it is dropped there (as librmn does).

use std::path::Path;

use fst24::{Backend, Writer, WriterOptions};

use crate::filter::Filter;
use crate::output::{Kind, Output};
use crate::{open, CliError};

/// Backends a copy can be written with.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BackendArg {
    /// Classic fstd98 XDF.
    Xdf,
    /// librmn 20 RSF.
    Rsf,
}

/// Arguments of `fst24 cp`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Input files, then the output file (last).
    #[arg(required = true, num_args = 2..)]
    paths: Vec<String>,
    /// Backend of the output (default: the first input's).
    #[arg(long)]
    backend: Option<BackendArg>,
    /// Replace an existing output.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    filter: Filter,
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let (output, inputs) = args
        .paths
        .split_last()
        .ok_or_else(|| CliError::msg("cp", "needs an input and an output"))?;
    let out = Path::new(output);
    let fail = |e: &dyn std::fmt::Display| CliError::msg(output.clone(), e);
    let input_paths: Vec<&Path> = inputs.iter().map(Path::new).collect();
    let target =
        Output::prepare(out, Kind::File, args.force, &input_paths).map_err(|e| fail(&e))?;
    let files = inputs
        .iter()
        .map(|p| open(p))
        .collect::<Result<Vec<_>, _>>()?;
    let backend = match args.backend {
        Some(BackendArg::Xdf) => Backend::Xdf,
        Some(BackendArg::Rsf) => Backend::Rsf,
        None => files[0].backend(),
    };
    let mut writer =
        Writer::create(target.temp(), WriterOptions::backend(backend)).map_err(|e| fail(&e))?;
    let mut copied = 0usize;
    for (file, path) in files.iter().zip(inputs) {
        for rec in file
            .records()
            .iter()
            .filter(|r| args.filter.matches(&r.header))
        {
            if let Err(e) = writer.copy_record(file, rec.index) {
                let _ = writer.discard();
                return Err(CliError::msg(
                    output.clone(),
                    format!("record {} of {path}: {e}", rec.index),
                ));
            }
            copied += 1;
        }
    }
    writer.close().map_err(|e| fail(&e))?;
    target.publish().map_err(|e| fail(&e))?;
    eprintln!("fst24: copied {copied} records to {output} ({backend})");
    Ok(())
}
