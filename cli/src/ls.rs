//! `fst24 ls`: a voir-like listing.

use std::io::Write;

use crate::filter::Filter;
use crate::{open, open_with, CliError};

/// Arguments of `fst24 ls`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Files to list.
    #[arg(required = true)]
    files: Vec<String>,
    #[command(flatten)]
    filter: Filter,
    /// Recovery mode for files librmn refuses (never closed, directory lost or damaged):
    /// list the records whose own bytes are intact, found by walking the file.
    #[arg(long)]
    recover: bool,
}

const HEADER: &str = "    #  NOMV TV ETIQUETTE        NI     NJ   NK       DATEO      DATEV  DEET  NPAS        IP1    IP2    IP3 DTY  G   IG1   IG2   IG3   IG4";

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let file = if args.recover {
            let mut options = fst24::OpenOptions::default();
            options.recover = true;
            open_with(path, options)?
        } else {
            open(path)?
        };
        let _ = writeln!(
            out,
            "{path} ({}, {} records)",
            file.backend(),
            file.records().len()
        );
        let _ = writeln!(out, "{HEADER}");
        for rec in file
            .records()
            .iter()
            .filter(|r| args.filter.matches(&r.header))
        {
            let h = &rec.header;
            let _ = writeln!(
                out,
                "{:5}  {:4} {:2} {:12} {:6} {:6} {:4} {:11} {:10} {:5} {:5} {:10} {:6} {:6} {:>3}  {} {:5} {:5} {:5} {:5}",
                rec.index,
                h.nomvar,
                h.typvar,
                h.etiket,
                h.ni,
                h.nj,
                h.nk,
                h.dateo,
                h.datev,
                h.deet,
                h.npas,
                h.ip1,
                h.ip2,
                h.ip3,
                h.datyp.label(h.nbits),
                h.grtyp_char(),
                h.ig1,
                h.ig2,
                h.ig3,
                h.ig4
            );
        }
        for w in file.warnings() {
            eprintln!("fst24: {path}: warning: {w}");
        }
    }
    Ok(())
}
