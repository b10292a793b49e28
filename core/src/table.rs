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

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::container::{Backend, DirEntry};
use crate::error::Result;
use crate::file::{File, OpenOptions};
use crate::record::RecordHeader;

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

/// What a row is built from: a live record's keys and place.
pub(crate) struct Row<'a> {
    index: usize,
    header: &'a RecordHeader,
    offset: u64,
    length: u64,
}

/// Rows pushed one at a time into the column builders.
struct Builder {
    rows: usize,
    keys: keys::KeyColumns,
    decoded: Option<decoded::DecodedColumns>,
}

impl Builder {
    fn with_capacity(rows: usize, options: &TableOptions) -> Self {
        Builder {
            rows: 0,
            keys: keys::KeyColumns::with_capacity(rows),
            decoded: options
                .decoded
                .then(|| decoded::DecodedColumns::with_capacity(rows)),
        }
    }

    /// Adds one row of a file, all but its path and backend, which [`Builder::push_file_rows`]
    /// adds once the file's rows are in.
    fn push(&mut self, row: &Row<'_>) {
        self.rows += 1;
        self.keys.push(row);
        if let Some(d) = self.decoded.as_mut() {
            d.push(row.header);
        }
    }

    /// Adds the path and backend of the `rows` rows last pushed, all of one file.
    fn push_file_rows(&mut self, path: &str, backend: Backend, rows: usize) {
        self.keys.push_file(path, backend, rows);
    }

    fn push_file(&mut self, path: &str, file: &File) {
        self.push_records(path, file.backend(), file.records());
    }

    fn push_records(&mut self, path: &str, backend: Backend, records: &[crate::file::Record]) {
        for rec in records {
            let row = Row {
                index: rec.index,
                header: &rec.header,
                offset: rec.file_offset(),
                length: rec.stored_bytes(),
            };
            self.push(&row);
        }
        self.push_file_rows(path, backend, records.len());
    }

    /// The live entries of a directory, keys decoded on the way (no [`File`] is built).
    fn push_entries(&mut self, path: &str, backend: Backend, entries: &[DirEntry]) {
        // Consecutive records mostly share their dates and time step.
        let mut last_origin: Option<([i32; 3], i32)> = None;
        let first = self.rows;
        for e in entries.iter().filter(|e| !e.deleted) {
            let header = RecordHeader::from_keys_with(&e.keys, backend, |datev, deet, npas| {
                let key = [datev, deet, npas];
                match last_origin {
                    Some((k, origin)) if k == key => origin,
                    _ => {
                        let origin = crate::time::origin_date(datev, deet, npas);
                        last_origin = Some((key, origin));
                        origin
                    }
                }
            });
            let row = Row {
                index: e.index,
                header: &header,
                offset: e.record_offset,
                length: e.record_len,
            };
            self.push(&row);
        }
        self.push_file_rows(path, backend, self.rows - first);
    }

    fn push_listing(&mut self, path: &Path, listing: &Listing, rows: Range<usize>) {
        let label = path.to_string_lossy();
        match listing {
            Listing::Directory(backend, entries) => {
                self.push_entries(&label, *backend, &entries[rows]);
            }
            Listing::File(file) => {
                self.push_records(&label, file.backend(), &file.records()[rows]);
            }
        }
    }

    /// The table but its `vctype` column, which depends on every part: see
    /// [`finish_parts`].
    fn finish(self) -> Part {
        let mut columns = self.keys.into_columns();
        let vertical = self.decoded.map(|d| {
            let (decoded, vertical) = d.into_columns();
            columns.extend(decoded);
            vertical
        });
        Part {
            table: Table {
                num_rows: self.rows,
                columns,
            },
            vertical,
        }
    }
}

/// A part of a table built by one [`Builder`], waiting for its `vctype` column.
struct Part {
    table: Table,
    vertical: Option<fstpy::VerticalRows>,
}

/// The tables of `parts` (in table order), with their `vctype` columns.
fn finish_parts(parts: Vec<Part>) -> Vec<Table> {
    let (mut tables, vertical): (Vec<Table>, Vec<Option<fstpy::VerticalRows>>) =
        parts.into_iter().map(|p| (p.table, p.vertical)).unzip();
    // Parts of one call share their options: all have decoded columns, or none.
    let vertical: Option<Vec<fstpy::VerticalRows>> = vertical.into_iter().collect();
    if let Some(vertical) = vertical {
        for (table, vctype) in tables.iter_mut().zip(fstpy::vctype_columns(&vertical)) {
            table.columns.push(vctype);
        }
    }
    tables
}

/// A file's live records, as the table reads them.
enum Listing {
    /// The directory alone (the usual case: no [`File`] is built).
    Directory(Backend, Vec<DirEntry>),
    /// An opened file (recovery mode, which walks the file).
    File(File),
}

impl Listing {
    fn read(path: &Path, open: OpenOptions) -> Result<Listing> {
        if open.recover {
            return Ok(Listing::File(File::open_with(path, open)?));
        }
        let source = crate::file::open_source(path, open.source)?;
        let (backend, directory) =
            crate::container::scan(source.as_ref(), &open.limits).map_err(|e| e.in_file(path))?;
        Ok(Listing::Directory(backend, directory.entries))
    }

    /// Rows it gives (deleted entries included: an upper bound).
    fn rows(&self) -> usize {
        match self {
            Listing::Directory(_, entries) => entries.len(),
            Listing::File(file) => file.records().len(),
        }
    }

    /// Its table, as parts of consecutive rows built on every thread when it is large
    /// enough to pay for the split.
    fn build_parts(&self, path: &Path, options: &TableOptions) -> Vec<Part> {
        split_rows(self.rows(), options, |builder, rows| {
            builder.push_listing(path, self, rows);
        })
    }
}

/// The table of `rows` rows that `push` adds (a range at a time), as parts of consecutive
/// rows built on every thread when there are enough rows to pay for the split.
fn split_rows(
    rows: usize,
    options: &TableOptions,
    push: impl Fn(&mut Builder, Range<usize>) + Sync,
) -> Vec<Part> {
    let build = |range: Range<usize>| {
        let mut builder = Builder::with_capacity(range.len(), options);
        push(&mut builder, range);
        builder.finish()
    };
    let parts = (rows / MIN_PART_ROWS).clamp(1, thread_count());
    if parts == 1 {
        return vec![build(0..rows)];
    }
    let per_part = rows.div_ceil(parts);
    let ranges = (0..parts).map(|i| i * per_part..((i + 1) * per_part).min(rows));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        ranges
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(build)
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        ranges.map(build).collect()
    }
}

/// Rows below which a part is not split further: building a few thousand rows costs
/// less than handing them to another thread.
/// (Tests split the small corpus files too.)
const MIN_PART_ROWS: usize = if cfg!(test) { 16 } else { 4096 };

/// Threads a table is built on.
fn thread_count() -> usize {
    #[cfg(feature = "parallel")]
    return rayon::current_num_threads();
    #[cfg(not(feature = "parallel"))]
    1
}

/// Rows reserved for a part: a guess from its first file; reserved memory costs nothing
/// until it is written, and the cap (about 100 MB of address space per part) keeps a
/// guess from a huge first file sane. Columns grow past it when needed.
const MAX_RESERVED_ROWS: usize = 1 << 18;

impl Table {
    /// Builds the table of the live records of `files`, each labelled with its path text.
    pub fn from_files(files: &[(&str, &File)], options: &TableOptions) -> Table {
        let rows: usize = files.iter().map(|(_, f)| f.records().len()).sum();
        let mut builder = Builder::with_capacity(rows, options);
        for (path, file) in files {
            builder.push_file(path, file);
        }
        finish_parts(vec![builder.finish()]).remove(0)
    }

    /// [`Table::from_files`] as consecutive parts (see [`Table::open_paths_in_parts`]):
    /// one file's rows are split between the threads.
    pub fn from_files_in_parts(files: &[(&str, &File)], options: &TableOptions) -> Vec<Table> {
        let parts = match files {
            [(label, file)] => split_rows(file.records().len(), options, |builder, rows| {
                builder.push_records(label, file.backend(), &file.records()[rows]);
            }),
            _ => return vec![Table::from_files(files, options)],
        };
        finish_parts(parts)
    }

    /// Lists every path (in parallel with the `parallel` feature) and builds their table.
    /// Only the directories are read; no [`File`] is kept.
    ///
    /// # Errors
    /// The first error met while opening, naming the file.
    pub fn open_paths(
        paths: &[PathBuf],
        open: OpenOptions,
        options: &TableOptions,
    ) -> Result<Table> {
        Ok(Table::concat(Table::open_paths_in_parts(
            paths, open, options,
        )?))
    }

    /// [`Table::open_paths`] as consecutive parts built in parallel, one per group of
    /// consecutive paths (one path: per range of its records): concatenated in order
    /// they are that table. A binding that can hand over a chunked table (Arrow record
    /// batches) skips the copy of [`Table::concat`].
    ///
    /// # Errors
    /// As [`Table::open_paths`].
    pub fn open_paths_in_parts(
        paths: &[PathBuf],
        open: OpenOptions,
        options: &TableOptions,
    ) -> Result<Vec<Table>> {
        let build = |group: &[PathBuf]| -> Result<Part> {
            let mut builder: Option<Builder> = None;
            for path in group {
                let listing = Listing::read(path, open)?;
                let builder = builder.get_or_insert_with(|| {
                    // Files of one call are mostly alike: reserve for the group as if so.
                    let guess = listing.rows().saturating_mul(group.len());
                    Builder::with_capacity(guess.min(MAX_RESERVED_ROWS), options)
                });
                builder.push_listing(path, &listing, 0..listing.rows());
            }
            Ok(builder
                .unwrap_or_else(|| Builder::with_capacity(0, options))
                .finish())
        };
        if let [path] = paths {
            // One file: its rows are split between the threads instead.
            let listing = Listing::read(path, open)?;
            return Ok(finish_parts(listing.build_parts(path, options)));
        }
        let groups = part_count(paths.len());
        if groups <= 1 {
            return Ok(finish_parts(vec![build(paths)?]));
        }
        let per_group = paths.len().div_ceil(groups);
        #[cfg(feature = "parallel")]
        let parts = {
            use rayon::prelude::*;
            paths
                .par_chunks(per_group)
                .map(build)
                .collect::<Result<_>>()?
        };
        #[cfg(not(feature = "parallel"))]
        let parts = paths.chunks(per_group).map(build).collect::<Result<_>>()?;
        Ok(finish_parts(parts))
    }

    /// The tables one after the other, as one table (columns copied). The tables must
    /// have the same columns (tables built with the same [`TableOptions`] do).
    ///
    /// # Panics
    /// When the tables' columns differ in name or type.
    pub fn concat(parts: Vec<Table>) -> Table {
        let mut parts = parts.into_iter();
        let Some(mut out) = parts.next() else {
            return Table {
                num_rows: 0,
                columns: Vec::new(),
            };
        };
        for part in parts {
            assert_eq!(
                part.columns.len(),
                out.columns.len(),
                "tables of different columns"
            );
            for (a, b) in out.columns.iter_mut().zip(part.columns) {
                a.append(b, out.num_rows);
            }
            out.num_rows += part.num_rows;
        }
        out
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// How many parts [`Table::open_paths_in_parts`] builds for `paths` files: two per
/// thread so that a slow group does not hold the others back.
fn part_count(paths: usize) -> usize {
    let threads = thread_count();
    if threads <= 1 {
        1
    } else {
        paths.min(2 * threads)
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

    /// Every standard file of the reference corpus (both backends, deleted entries).
    fn corpus_files() -> Vec<PathBuf> {
        let mut files = Vec::new();
        for dir in ["librmn019", "librmn20"] {
            let dir = crate::test_support::shared_data().join(dir);
            for entry in std::fs::read_dir(&dir).expect("the reference corpus (../shared/data)") {
                let path = entry.expect("corpus entry").path();
                if path.extension().is_some_and(|e| e == "fst") && File::open(&path).is_ok() {
                    files.push(path);
                }
            }
        }
        files.sort();
        assert!(files.len() > 20, "reference corpus incomplete: {files:?}");
        files
    }

    /// Equal tables, naming the first column that differs.
    fn assert_same(a: &Table, b: &Table) {
        assert_eq!(a.num_rows, b.num_rows);
        for (x, y) in a.columns.iter().zip(&b.columns) {
            assert_eq!(x, y, "column {}", x.name);
        }
        assert_eq!(a, b);
    }

    #[test]
    fn table_from_directories_equals_table_from_files() {
        let paths = corpus_files();
        for options in [TableOptions::default(), TableOptions { decoded: false }] {
            let files: Vec<File> = paths.iter().map(|p| File::open(p).unwrap()).collect();
            let labels: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into()).collect();
            let refs: Vec<(&str, &File)> = labels.iter().map(String::as_str).zip(&files).collect();
            let from_files = Table::from_files(&refs, &options);
            let direct = Table::open_paths(&paths, OpenOptions::default(), &options).unwrap();
            assert_same(&direct, &from_files);
            // One path: its rows split between the threads, the same table.
            for (path, (label, file)) in paths.iter().zip(&refs) {
                let one = Table::from_files(&[(label, file)], &options);
                let parts = Table::from_files_in_parts(&[(label, file)], &options);
                assert_same(&Table::concat(parts), &one);
                let parts = Table::open_paths_in_parts(
                    std::slice::from_ref(path),
                    OpenOptions::default(),
                    &options,
                )
                .unwrap();
                assert_same(&Table::concat(parts), &one);
            }
            let parts =
                Table::open_paths_in_parts(&paths, OpenOptions::default(), &options).unwrap();
            assert!(!parts.is_empty());
            assert_same(&Table::concat(parts), &from_files);
        }
    }

    #[test]
    fn recovery_mode_lists_through_the_file() {
        let paths = corpus_files();
        let open = OpenOptions {
            recover: true,
            ..OpenOptions::default()
        };
        let direct = Table::open_paths(&paths, open, &TableOptions::default()).unwrap();
        let plain =
            Table::open_paths(&paths, OpenOptions::default(), &TableOptions::default()).unwrap();
        // The corpus holds no damaged file: recovery lists what the directories list.
        assert_eq!(direct, plain);
    }

    #[test]
    fn concat_keeps_nulls_of_either_side() {
        let part = |valid: Option<Vec<bool>>| Table {
            num_rows: 2,
            columns: vec![Column {
                name: "x",
                values: ColumnValues::Int32(vec![1, 2]),
                valid,
            }],
        };
        let t = Table::concat(vec![part(None), part(Some(vec![false, true])), part(None)]);
        assert_eq!(t.num_rows, 6);
        assert_eq!(
            t.columns[0].valid,
            Some(vec![true, true, false, true, true, true])
        );
        assert_eq!(
            t.columns[0].values,
            ColumnValues::Int32(vec![1, 2, 1, 2, 1, 2])
        );
        assert_eq!(Table::concat(Vec::new()).num_rows, 0);
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
