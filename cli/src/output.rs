//! Rows of cells printed as an aligned table, CSV or JSON (one renderer for `ls`, `stat`
//! and `compare`).

use std::io::Write;

use crate::columns::Cell;

/// How a listing is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Format {
    /// Aligned columns for reading.
    #[default]
    Table,
    /// One JSON array of objects (numbers typed, missing values null).
    Json,
    /// Comma-separated values with a header line.
    Csv,
}

/// Named columns and their rows.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub names: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Rows {
    pub(crate) fn new(names: Vec<String>) -> Self {
        Rows {
            names,
            rows: Vec::new(),
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes `rows`; a table gets a header line, CSV a header line, JSON an array.
pub(crate) fn write(out: &mut impl Write, format: Format, rows: &Rows) -> std::io::Result<()> {
    match format {
        Format::Table => {
            let texts: Vec<Vec<String>> = rows
                .rows
                .iter()
                .map(|r| r.iter().map(Cell::text).collect())
                .collect();
            let mut widths: Vec<usize> = rows.names.iter().map(String::len).collect();
            for r in &texts {
                for (w, t) in widths.iter_mut().zip(r) {
                    *w = (*w).max(t.chars().count());
                }
            }
            // A column is right-aligned when its values are numbers.
            let right: Vec<bool> = (0..rows.names.len())
                .map(|c| rows.rows.iter().any(|r| r[c].is_number()))
                .collect();
            let line = |cells: &[String]| -> String {
                let parts: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .zip(&right)
                    .map(|((t, &w), &r)| {
                        if r {
                            format!("{t:>w$}")
                        } else {
                            format!("{t:<w$}")
                        }
                    })
                    .collect();
                parts.join("  ").trim_end().to_owned()
            };
            let header: Vec<String> = rows.names.iter().map(|n| n.to_ascii_uppercase()).collect();
            writeln!(out, "{}", line(&header))?;
            for r in &texts {
                writeln!(out, "{}", line(r))?;
            }
        }
        Format::Csv => {
            writeln!(out, "{}", rows.names.join(","))?;
            for r in &rows.rows {
                let fields: Vec<String> = r
                    .iter()
                    .map(|c| match c {
                        Cell::Null => String::new(),
                        other => csv_field(&other.text()),
                    })
                    .collect();
                writeln!(out, "{}", fields.join(","))?;
            }
        }
        Format::Json => {
            writeln!(out, "[")?;
            for (i, r) in rows.rows.iter().enumerate() {
                // Written by hand to keep the column order (serde_json's map sorts keys).
                let fields: Vec<String> = rows
                    .names
                    .iter()
                    .zip(r)
                    .map(|(n, c)| format!("{}:{}", serde_json::Value::from(n.as_str()), c.json()))
                    .collect();
                let comma = if i + 1 < rows.rows.len() { "," } else { "" };
                writeln!(out, "{{{}}}{comma}", fields.join(","))?;
            }
            writeln!(out, "]")?;
        }
    }
    Ok(())
}

/// [`write`] to stdout; a closed pipe (`fst24 ls F | head`) is not an error.
pub(crate) fn print(
    out: &mut impl Write,
    format: Format,
    rows: &Rows,
) -> Result<(), crate::CliError> {
    crate::printed(write(out, format, rows))
}
