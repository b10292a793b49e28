//! A columnar metadata table, one row per live record, shared by every binding.
//!
//! Columns use fstpy's names and signed integer types (see `shared/spec/peers-api.md` §5.2),
//! and are laid out as Arrow buffers so a binding can hand them to Polars/pyarrow/JS
//! without copying. Decoded columns (dates, forecast hour, levels) are typed values, never
//! objects.

mod column;
mod decoded;
mod fstpy;
mod ips;
mod keys;

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::file::{File, OpenOptions};

pub use column::{Column, ColumnValues, StrColumn};
pub use ips::{decoded_ip, reencode_date, reencode_etiket, reencode_ip, IpSlot, ReencodeError};

/// What to put in a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TableOptions {
    /// Add the decoded columns (dates, forecast hour, levels and kinds).
    pub decoded: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions { decoded: true }
    }
}

/// Columns of equal length, one row per record.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Number of rows.
    pub num_rows: usize,
    /// The columns, in display order.
    pub columns: Vec<Column>,
}

impl Table {
    /// Builds the table of the live records of `files`, each labelled with its path text.
    pub fn from_files(files: &[(&str, &File)], options: &TableOptions) -> Table {
        let rows: usize = files.iter().map(|(_, f)| f.records().len()).sum();
        let mut keys = keys::KeyColumns::with_capacity(rows);
        let mut decoded = options
            .decoded
            .then(|| decoded::DecodedColumns::with_capacity(rows));
        for (path, file) in files {
            for rec in file.records() {
                keys.push(path, file.backend(), rec);
                if let Some(d) = decoded.as_mut() {
                    d.push(&rec.header);
                }
            }
        }
        let mut columns = keys.into_columns();
        if let Some(d) = decoded {
            columns.extend(d.into_columns());
        }
        Table {
            num_rows: rows,
            columns,
        }
    }

    /// Opens every path (in parallel with the `parallel` feature) and builds their table.
    ///
    /// # Errors
    /// The first error met while opening, naming the file.
    pub fn open_paths(
        paths: &[PathBuf],
        open: OpenOptions,
        options: &TableOptions,
    ) -> Result<Table> {
        let files = open_all(paths, open)?;
        let labelled: Vec<(String, &File)> = paths
            .iter()
            .zip(&files)
            .map(|(p, f)| (p.to_string_lossy().into_owned(), f))
            .collect();
        let refs: Vec<(&str, &File)> = labelled.iter().map(|(p, f)| (p.as_str(), *f)).collect();
        Ok(Table::from_files(&refs, options))
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

fn open_one(path: &Path, open: OpenOptions) -> Result<File> {
    File::open_with(path, open).map_err(|e| with_path(e, path))
}

/// Opening errors from many files must say which file failed.
fn with_path(e: crate::Error, path: &Path) -> crate::Error {
    match e {
        crate::Error::Io(io) => crate::Error::Io(std::io::Error::new(
            io.kind(),
            format!("{}: {io}", path.display()),
        )),
        other => other,
    }
}

fn open_all(paths: &[PathBuf], open: OpenOptions) -> Result<Vec<File>> {
    // One file: skip the thread pool (starting it costs more than a small directory scan).
    if let [one] = paths {
        return Ok(vec![open_one(one, open)?]);
    }
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        paths.par_iter().map(|p| open_one(p, open)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        paths.iter().map(|p| open_one(p, open)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::librmn019 as corpus;

    #[test]
    fn one_row_per_record_with_equal_columns() {
        let path = corpus("d001_n16.fst");
        if !path.exists() {
            return;
        }
        let file = File::open(&path).unwrap();
        let table = Table::from_files(&[("a", &file), ("b", &file)], &TableOptions::default());
        assert_eq!(table.num_rows, 2 * file.records().len());
        for c in &table.columns {
            assert_eq!(c.values.len(), table.num_rows, "column {}", c.name);
        }
        let Some(ColumnValues::Utf8(nomvar)) = table.column("nomvar").map(|c| &c.values) else {
            panic!("nomvar is a string column");
        };
        assert_eq!(
            nomvar.get(0),
            Some(file.records()[0].header.nomvar.trimmed())
        );
        let Some(ColumnValues::Utf8(path)) = table.column("path").map(|c| &c.values) else {
            panic!("path is a string column");
        };
        assert_eq!(path.get(table.num_rows - 1), Some("b"));
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = Table::open_paths(
            &[PathBuf::from("/nonexistent/x.fst")],
            OpenOptions::default(),
            &TableOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.fst"), "{err}");
    }
}
