//! `fst24 ls`: a `voir`-like listing, decoded by default (levels with their unit, ISO
//! dates, forecast hours, `R16`-style data types), raw keys with `--raw`, any columns with
//! `--columns`, as a table, CSV or JSON.

use std::collections::HashMap;
use std::io::Write;

use crate::columns::{self, Cell};
use crate::filter::Filter;
use crate::output::{self, Format, Rows};
use crate::{open, open_with, printed, CliError};

/// Arguments of `fst24 ls`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Files to list.
    #[arg(required = true)]
    files: Vec<String>,
    /// Show every key as stored (stamps, ip codes) instead of decoded values.
    #[arg(long)]
    raw: bool,
    /// Columns to show, comma separated (`--columns help` lists them).
    #[arg(long, value_name = "LIST")]
    columns: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// One line per distinct combination of the columns, with a COUNT column.
    #[arg(long)]
    unique: bool,
    #[command(flatten)]
    filter: Filter,
    /// Recovery mode for files librmn refuses (never closed, directory lost or damaged):
    /// list the records whose own bytes are intact, found by walking the file.
    #[arg(long)]
    recover: bool,
}

fn column_names(args: &Args) -> Result<Vec<String>, CliError> {
    if let Some(list) = &args.columns {
        return columns::parse_list(list).map_err(CliError::usage);
    }
    let base = if args.raw {
        columns::RAW
    } else {
        columns::DECODED
    };
    let mut names: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
    // Machine formats of several files need to say where each row comes from.
    if args.format != Format::Table && args.files.len() > 1 {
        names.insert(0, "path".into());
    }
    Ok(names)
}

/// Keeps the first row of each distinct combination, adding its count.
fn unique(rows: Rows) -> Rows {
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    let mut out = Rows::new(rows.names.iter().cloned().chain(["count".into()]).collect());
    for r in rows.rows {
        let key: Vec<String> = r.iter().map(Cell::text).collect();
        match seen.get(&key) {
            Some(&i) => {
                if let Some(Cell::Int(n)) = out.rows[i].last_mut() {
                    *n += 1;
                }
            }
            None => {
                seen.insert(key, out.rows.len());
                let mut r = r;
                r.push(Cell::Int(1));
                out.rows.push(r);
            }
        }
    }
    out
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.columns.as_deref() == Some("help") {
        for (name, what) in columns::COLUMNS {
            printed(writeln!(out, "{name:<8} {what}"))?;
        }
        return Ok(());
    }
    let names = column_names(args)?;
    let selection = args.filter.selection()?;
    let mut all = Rows::new(names.clone());
    let table = args.format == Format::Table && !args.unique;
    for path in &args.files {
        let file = if args.recover {
            let mut options = fst24::OpenOptions::default();
            options.recover = true;
            open_with(path, options)?
        } else {
            open(path)?
        };
        let mut rows = Rows::new(names.clone());
        for rec in file
            .records()
            .iter()
            .filter(|r| selection.matches(&r.header))
        {
            rows.rows.push(
                names
                    .iter()
                    .map(|n| columns::cell(n, path, rec.index, &rec.header))
                    .collect(),
            );
        }
        for w in file.warnings() {
            eprintln!("fst24: {path}: warning: {w}");
        }
        if table {
            printed(writeln!(
                out,
                "{path} ({}, {} records)",
                file.backend(),
                file.records().len()
            ))?;
            output::print(&mut out, Format::Table, &rows)?;
        } else {
            all.rows.extend(rows.rows);
        }
    }
    if !table {
        let rows = if args.unique { unique(all) } else { all };
        output::print(&mut out, args.format, &rows)?;
    }
    Ok(())
}
