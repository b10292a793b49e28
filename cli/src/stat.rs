//! `fst24 stat`: `fststat` for every selected record — mean, standard deviation, minimum
//! and maximum with their (i, j, k) positions — with missing points left out.

use fst24::stats::summarize;
use fst24::{DecodeOptions, MissingMode};

use crate::columns::{self, Cell};
use crate::filter::Filter;
use crate::output::{self, Format, Rows};
use crate::parallel;
use crate::progress::Progress;
use crate::{open, CliError};

/// Arguments of `fst24 stat`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Files to summarise.
    #[arg(required = true)]
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    filter: Filter,
}

/// Key columns before the statistics.
const KEYS: &[&str] = &[
    "key", "nomvar", "typvar", "level", "kind", "ip2", "ip3", "datev", "etiket",
];
const STATS: &[&str] = &[
    "count", "missing", "mean", "std", "min", "imin", "jmin", "kmin", "max", "imax", "jmax", "kmax",
];

/// 1-based (i, j, k) of a flat Fortran-order index.
fn position(index: usize, ni: usize, nj: usize) -> [Cell; 3] {
    let (ni, nj) = (ni.max(1), nj.max(1));
    [
        Cell::Int((index % ni + 1) as i64),
        Cell::Int((index / ni % nj + 1) as i64),
        Cell::Int((index / (ni * nj) + 1) as i64),
    ]
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let selection = args.filter.selection()?;
    let mut names: Vec<String> = KEYS.iter().chain(STATS).map(|s| (*s).to_owned()).collect();
    if args.files.len() > 1 {
        names.insert(0, "path".into());
    }
    let mut rows = Rows::new(names.clone());
    let mut options = DecodeOptions::default();
    options.missing = MissingMode::Nan;
    let files = args
        .files
        .iter()
        .map(|p| open(p).map(|f| (p, f)))
        .collect::<Result<Vec<_>, _>>()?;
    let chosen: Vec<Vec<usize>> = files
        .iter()
        .map(|(_, f)| selection.select(f.records()))
        .collect();
    let mut progress = Progress::new("records", chosen.iter().map(|c| c.len() as u64).sum());
    let key_columns = names.len() - STATS.len();
    for ((path, file), keys) in files.iter().zip(&chosen) {
        let stat_row = |&index: &usize| -> Result<Vec<Cell>, CliError> {
            let rec = file
                .record(index)
                .map_err(|e| CliError::msg(path.as_str(), e))?;
            let h = &rec.header;
            let mut row: Vec<Cell> = names[..key_columns]
                .iter()
                .map(|n| columns::cell(n, path, index, h))
                .collect();
            let array = file
                .read_with(index, &options)
                .map_err(|e| CliError::msg(path.as_str(), e))?;
            match summarize(&array.values, h.datyp.has_missing()) {
                Some(s) => {
                    let [ni, nj, _] = array.shape;
                    let (min_at, max_at) = (position(s.argmin, ni, nj), position(s.argmax, ni, nj));
                    let present = s.count > 0;
                    let num = |v: f64| if present { Cell::Sci(v) } else { Cell::Null };
                    let at = |c: Cell| if present { c } else { Cell::Null };
                    row.extend([Cell::Int(s.count as i64), Cell::Int(s.missing as i64)]);
                    row.extend([num(s.mean), num(s.std), num(s.min)]);
                    row.extend(min_at.into_iter().map(at));
                    row.push(num(s.max));
                    row.extend(max_at.into_iter().map(at));
                }
                // Characters, complex and binary records have no statistics.
                None => row.extend(STATS.iter().map(|_| Cell::Null)),
            }
            Ok(row)
        };
        for row in parallel::map(keys, &mut progress, stat_row) {
            rows.rows.push(row?);
        }
    }
    progress.finish();
    let stdout = std::io::stdout();
    output::print(&mut stdout.lock(), args.format, &rows)
}
