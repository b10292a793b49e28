//! `fst24 cp`: copy (selected) records of one or more files into a new file, with the
//! same keys, datyp and nbits, on the XDF or RSF backend.
//!
//! Records are decoded and packed again (missing points as librmn's markers so the +64
//! flag survives): lossless for plain, integer, IEEE and turbo-integer types; a
//! quantised record (R/F, 133/134) is re-quantised from its decoded values with the same
//! nbits, which librmn's own `editfst` also does when it repacks.

use std::path::Path;

use fst24::{Backend, DecodeOptions, MissingMode, RecordKeys, Writer, WriterOptions};

use crate::filter::Filter;
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

fn keys_of(h: &fst24::RecordHeader) -> RecordKeys {
    let mut k = RecordKeys::new(h.nomvar.trimmed(), h.ni, h.nj, h.nk);
    k.typvar = h.typvar;
    k.etiket = h.etiket;
    k.dateo = h.dateo;
    k.deet = h.deet;
    k.npas = h.npas;
    k.ip1 = h.ip1;
    k.ip2 = h.ip2;
    k.ip3 = h.ip3;
    k.grtyp = h.grtyp;
    k.ig1 = h.ig1;
    k.ig2 = h.ig2;
    k.ig3 = h.ig3;
    k.ig4 = h.ig4;
    k.datyp = h.datyp.raw();
    k.nbits = h.nbits;
    k
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let (output, inputs) = args
        .paths
        .split_last()
        .ok_or_else(|| CliError::msg("cp", "needs an input and an output"))?;
    let out = Path::new(output);
    let fail = |e: &dyn std::fmt::Display| CliError::msg(output.clone(), e);
    if out.exists() && !args.force {
        return Err(fail(&"exists (use --force to replace it)"));
    }
    if inputs.iter().any(|i| Path::new(i) == out) {
        return Err(fail(&"is also an input"));
    }
    let files = inputs
        .iter()
        .map(|p| open(p))
        .collect::<Result<Vec<_>, _>>()?;
    let backend = match args.backend {
        Some(BackendArg::Xdf) => Backend::Xdf,
        Some(BackendArg::Rsf) => Backend::Rsf,
        None => files[0].backend(),
    };
    if out.exists() {
        std::fs::remove_file(out).map_err(|e| fail(&e))?;
    }
    let mut writer = Writer::create(out, WriterOptions::backend(backend)).map_err(|e| fail(&e))?;
    let mut decode = DecodeOptions::default();
    decode.missing = MissingMode::Marker;
    let mut copied = 0usize;
    for (file, path) in files.iter().zip(inputs) {
        for rec in file
            .records()
            .iter()
            .filter(|r| args.filter.matches(&r.header))
        {
            let array = file
                .read_with(rec.index, &decode)
                .map_err(|e| CliError::msg(path.clone(), e))?;
            let keys = keys_of(&rec.header);
            writer.write(&keys, &array.values).map_err(|e| {
                CliError::msg(
                    output.clone(),
                    format!("record {} of {path}: {e}", rec.index),
                )
            })?;
            copied += 1;
        }
    }
    writer.close().map_err(|e| fail(&e))?;
    eprintln!("fst24: copied {copied} records to {output} ({backend})");
    Ok(())
}
