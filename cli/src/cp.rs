//! `fst24 cp`: copy (selected) records of one or more files into a new file, with the
//! same keys, datyp and nbits, on the XDF or RSF backend.
//!
//! Records are copied packed as they are stored (`Writer::copy_record`): no decoding and
//! no re-quantising, so every record, lossy packings included, decodes to exactly the
//! source's values. Only what the target backend cannot hold is refused (64-bit integers
//! or ni/nj above 2^24 going to XDF). Extended JSON metadata is kept when the target is
//! RSF; XDF cannot hold it, so it is dropped there (as librmn does).
//!
//! editfst-style options: the selection language (`--nomvar`, `--level 850mb`, `--datev
//! A..B`, `--where`, `--exclude`, grid criteria), `--zap KEY=VALUE` to edit keys of the
//! copies, `--append` to add to an existing file through the writer's append mode.
//! Unlike editfst, an existing output is never appended to unless `--append` is given.
//!
//! A new output is written beside the target and renamed into place when complete
//! (`crate::publish`); an append goes through the writer's own atomic session. A record
//! that fails abandons the session: the old output stays as it was.

use std::path::Path;

use fst24::{Backend, Writer, WriterOptions};

use crate::filter::Filter;
use crate::progress::Progress;
use crate::publish::{self, Kind, Output};
use crate::zap::{self, Zap};
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
    /// Input files, then the output file (last) unless --output names it. Options may
    /// come anywhere on the line.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Output file (then every positional path is an input).
    #[arg(short, long, value_name = "OUT")]
    output: Option<String>,
    /// Backend of a new output (default: the first input's).
    #[arg(long)]
    backend: Option<BackendArg>,
    /// Replace an existing output.
    #[arg(long, conflicts_with = "append")]
    force: bool,
    /// Add the records to an existing output (created if missing), which keeps its backend.
    #[arg(long)]
    append: bool,
    /// Edit a key of every copied record: nomvar=TT, etiket=NEW, ip1=850mb, ip2=6h,
    /// dateo=2020-01-01T00, deet=300, npas=12, grtyp=Z, ig1=.. (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    zap: Vec<String>,
    #[command(flatten)]
    filter: Filter,
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let (output, inputs) = match &args.output {
        Some(o) => (o, args.paths.as_slice()),
        None => match args.paths.split_last() {
            Some((o, inputs)) if !inputs.is_empty() => (o, inputs),
            _ => return Err(CliError::usage("cp needs an input and an output")),
        },
    };
    let selection = args.filter.selection()?;
    let zaps = args
        .zap
        .iter()
        .map(|z| Zap::parse(z))
        .collect::<Result<Vec<_>, _>>()?;
    let out = Path::new(output);
    let fail = |e: &dyn std::fmt::Display| CliError::msg(output.clone(), e);
    if out.exists() && !args.force && !args.append {
        return Err(fail(
            &"exists (use --append to add to it, --force to replace it)",
        ));
    }
    let input_paths: Vec<&Path> = inputs.iter().map(Path::new).collect();
    let appending = args.append && out.exists();
    let target = if appending {
        publish::check_not_input(out, &input_paths).map_err(|e| fail(&e))?;
        None
    } else {
        let t = Output::prepare(out, Kind::File, args.force, &input_paths);
        Some(t.map_err(|e| fail(&e))?)
    };
    let files = inputs
        .iter()
        .map(|p| open(p))
        .collect::<Result<Vec<_>, _>>()?;
    let backend = match args.backend {
        Some(BackendArg::Xdf) => Backend::Xdf,
        Some(BackendArg::Rsf) => Backend::Rsf,
        None => files[0].backend(),
    };
    let mut writer = if let Some(target) = &target {
        Writer::create(target.temp(), WriterOptions::backend(backend)).map_err(|e| fail(&e))?
    } else {
        let w = Writer::append(out).map_err(|e| fail(&e))?;
        if let (Some(asked), Some(has)) = (args.backend, w.backend()) {
            let asked = if asked == BackendArg::Rsf {
                Backend::Rsf
            } else {
                Backend::Xdf
            };
            if asked != has {
                return Err(fail(&format!("is {has}; --append keeps a file's backend")));
            }
        }
        w
    };
    let backend = writer.backend().unwrap_or(backend);
    let chosen: Vec<Vec<usize>> = files
        .iter()
        .map(|f| selection.select(f.records()))
        .collect();
    let mut progress = Progress::new("records", chosen.iter().map(|c| c.len() as u64).sum());
    let mut copied = 0usize;
    for ((file, path), keys) in files.iter().zip(inputs).zip(&chosen) {
        for &index in keys {
            let copy = |writer: &mut Writer| -> Result<(), String> {
                if zaps.is_empty() {
                    writer.copy_record(file, index).map_err(|e| e.to_string())?;
                } else {
                    let rec = file.record(index).map_err(|e| e.to_string())?;
                    let header = zap::apply(&zaps, &rec.header).map_err(|e| e.to_string())?;
                    let words = file.read_words(index).map_err(|e| e.to_string())?;
                    writer
                        .write_packed_with_metadata(&header, &words, rec.extended_metadata())
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            };
            if let Err(e) = copy(&mut writer) {
                // Nothing of this session is published; the old output stays.
                let _ = writer.discard();
                return Err(CliError::msg(
                    output.clone(),
                    format!("record {index} of {path}: {e}"),
                ));
            }
            copied += 1;
            progress.add(1);
        }
    }
    progress.finish();
    writer.close().map_err(|e| fail(&e))?;
    if let Some(target) = target {
        target.publish().map_err(|e| fail(&e))?;
    }
    let verb = if appending { "appended" } else { "copied" };
    eprintln!("fst24: {verb} {copied} records to {output} ({backend})");
    Ok(())
}
