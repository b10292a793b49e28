//! `fst24 info`: what a file holds, in a few lines.

use std::collections::BTreeMap;
use std::io::{self, Write};

use fst24::{read_rsf_layout, Backend, RsfLayout, SegmentKind};

use crate::{open, printed, CliError};

/// Arguments of `fst24 info`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Files to describe.
    #[arg(required = true)]
    files: Vec<String>,
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let file = open(path)?;
        printed(print_summary(&mut out, path, &file))?;
        if file.backend() == Backend::Rsf {
            let layout = read_rsf_layout(file.source().as_ref(), &file.limits())
                .map_err(|e| CliError::msg(path.clone(), e))?;
            printed(print_layout(&mut out, &layout))?;
        }
    }
    Ok(())
}

/// Prints the backend, size, record counts, data types, variables and grids of `file`.
fn print_summary(out: &mut impl Write, path: &str, file: &fst24::File) -> io::Result<()> {
    let size = file.source().len();
    let live = file.records().len();
    writeln!(out, "{path}")?;
    writeln!(out, "  backend      {}", file.backend())?;
    writeln!(out, "  size         {size} bytes")?;
    writeln!(
        out,
        "  records      {live} live, {} deleted",
        file.directory_len() - live
    )?;
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut grids: BTreeMap<(char, u32, u32, [i32; 4]), usize> = BTreeMap::new();
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for rec in file.records() {
        let h = &rec.header;
        *types.entry(h.datyp.label(h.nbits)).or_default() += 1;
        *names.entry(h.nomvar.trimmed()).or_default() += 1;
        if !h.is_descriptor() {
            *grids
                .entry((h.grtyp_char(), h.ni, h.nj, [h.ig1, h.ig2, h.ig3, h.ig4]))
                .or_default() += 1;
        }
    }
    let list = |m: &BTreeMap<_, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k}×{v}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    writeln!(out, "  data types   {}", list(&types.into_iter().collect()))?;
    writeln!(
        out,
        "  variables    {}",
        list(&names.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    )?;
    writeln!(out, "  grids        {}", grids.len())?;
    for ((g, ni, nj, ig), n) in &grids {
        writeln!(
            out,
            "    {g} {ni}x{nj} ig {} {} {} {}: {n} records",
            ig[0], ig[1], ig[2], ig[3]
        )?;
    }
    for w in file.warnings() {
        writeln!(out, "  warning      {w}")?;
    }
    Ok(())
}

/// Prints the RSF segment map: one line per segment.
fn print_layout(out: &mut impl Write, layout: &RsfLayout) -> io::Result<()> {
    let flag = match layout.write_flag {
        0 => "closed".to_string(),
        0xFFFF => "open by an exclusive writer (or one that crashed)".to_string(),
        n => format!("{n} parallel writers"),
    };
    writeln!(out, "  write flag   {flag}")?;
    writeln!(out, "  segments     {}", layout.segments.len())?;
    for s in &layout.segments {
        let kind = match s.kind {
            SegmentKind::Header => "header",
            SegmentKind::Data => "data",
            SegmentKind::OpenCompact => "open (unclosed)",
            SegmentKind::OpenSparse => "open sparse",
            SegmentKind::Filler => "filler",
        };
        let dir = match s.directory {
            Some((off, len)) => format!(", directory at {off} ({len} bytes)"),
            None => String::new(),
        };
        writeln!(
            out,
            "    @{:<12} {:>12} bytes  {kind:<15} {} entries ({} deleted){dir}",
            s.offset, s.size, s.entries, s.deleted
        )?;
    }
    for w in &layout.warnings {
        writeln!(out, "  warning      {w}")?;
    }
    Ok(())
}
