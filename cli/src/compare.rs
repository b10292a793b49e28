//! `fst24 compare A B`: `fstcomp`. Each selected record of A is matched with the record
//! of B that has the same keys (ips compared by value, so old and new encodings of a
//! level match), both are decoded, and fstcomp's measures are printed: relative errors,
//! variance and mean of A, correlation, bias, absolute errors. Exit status 1 when a record
//! differs past the tolerance or has no partner.

use std::collections::HashMap;
use std::io::Write;

use fst24::select::{canonical_ip, Key};
use fst24::stats::{compare, Comparison};
use fst24::{DecodeOptions, File, MissingMode, RecordHeader};

use crate::columns::{self, Cell};
use crate::filter::Filter;
use crate::output::{self, Format, Rows};
use crate::parallel;
use crate::progress::Progress;
use crate::{open, printed, CliError};

/// Arguments of `fst24 compare`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Reference file (fstcomp -a).
    a: String,
    /// File compared with it (fstcomp -b).
    b: String,
    /// Keys not to match on, comma separated: nomvar,typvar,etiket,ip1,ip2,ip3,datev,grid
    /// (fstcomp -nn -nt -ne -n1 -n2 -n3 -nd -ng).
    #[arg(long, value_name = "KEYS")]
    ignore: Option<String>,
    /// Largest relative error |1 - A/B| accepted (fstcomp -li; default 1e-7).
    #[arg(long, default_value_t = 1e-7, value_name = "REL")]
    tolerance: f64,
    /// Points differing by at most this are equal (fstcomp -ld; default 0).
    #[arg(long, default_value_t = 0.0, value_name = "ABS")]
    abs_tolerance: f64,
    /// Also accept errors up to F packing steps (fstcomp -packerr). A step is the
    /// quantiser's: range(A)/2^nbits rounded up to a power of two (librmn's R/F packers
    /// scale by powers of two), with the smaller nbits of the two records.
    #[arg(long, value_name = "F")]
    pack_tolerance: Option<f64>,
    /// Show every compared record, not only those that differ.
    #[arg(long)]
    all: bool,
    /// Output format (the summary line goes to stderr for csv and json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    filter: Filter,
}

/// The keys a record is matched on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MatchKey {
    names: [String; 3],
    ips: [i32; 3],
    datev: i32,
    grid: Option<(u8, [u32; 3], [i32; 4])>,
}

struct Ignore {
    nomvar: bool,
    typvar: bool,
    etiket: bool,
    ips: [bool; 3],
    datev: bool,
    grid: bool,
}

impl Ignore {
    fn parse(list: Option<&str>) -> Result<Ignore, CliError> {
        let mut ig = Ignore {
            nomvar: false,
            typvar: false,
            etiket: false,
            ips: [false; 3],
            datev: false,
            grid: false,
        };
        for k in list
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            match k.to_ascii_lowercase().as_str() {
                "nomvar" => ig.nomvar = true,
                "typvar" => ig.typvar = true,
                "etiket" => ig.etiket = true,
                "ip1" => ig.ips[0] = true,
                "ip2" => ig.ips[1] = true,
                "ip3" => ig.ips[2] = true,
                "datev" => ig.datev = true,
                "grid" => ig.grid = true,
                other => return Err(CliError::usage(format!("--ignore: unknown key {other:?}"))),
            }
        }
        Ok(ig)
    }

    fn key(&self, h: &RecordHeader) -> MatchKey {
        let name = |skip: bool, n: &str| if skip { String::new() } else { n.to_owned() };
        let ip = |i: usize, key: Key, v: i32| if self.ips[i] { 0 } else { canonical_ip(key, v) };
        MatchKey {
            names: [
                name(self.nomvar, h.nomvar.trimmed()),
                name(self.typvar, h.typvar.trimmed()),
                name(self.etiket, h.etiket.trimmed()),
            ],
            ips: [
                ip(0, Key::Ip1, h.ip1),
                ip(1, Key::Ip2, h.ip2),
                ip(2, Key::Ip3, h.ip3),
            ],
            datev: if self.datev { 0 } else { h.datev },
            grid: (!self.grid).then_some((
                h.grtyp,
                [h.ni, h.nj, h.nk],
                [h.ig1, h.ig2, h.ig3, h.ig4],
            )),
        }
    }
}

const KEYS: &[&str] = &[
    "nomvar", "typvar", "etiket", "level", "kind", "ip2", "ip3", "datev",
];
const MEASURES: &[&str] = &[
    "key_a",
    "key_b",
    "dty_a",
    "dty_b",
    "count",
    "e_rel_max",
    "e_rel_moy",
    "var_a",
    "c_cor",
    "moy_a",
    "bias",
    "e_max",
    "e_moy",
    "status",
];

/// The quantisation step of `nbits` over `range`: `range/2^nbits` rounded up to a power
/// of two.
fn packing_step(range: f64, nbits: u8) -> f64 {
    let exact = range / 2f64.powi(i32::from(nbits));
    if exact > 0.0 {
        2f64.powf(exact.log2().ceil())
    } else {
        0.0
    }
}

/// Whether a comparison is within the tolerances.
fn within(args: &Args, c: &Comparison, ha: &RecordHeader, hb: &RecordHeader) -> bool {
    if c.max_abs <= args.abs_tolerance || c.max_rel <= args.tolerance {
        return true;
    }
    args.pack_tolerance.is_some_and(|f| {
        let nbits = ha.nbits.min(hb.nbits);
        c.max_abs <= f * packing_step(c.range_a, nbits)
    })
}

fn read(file: &File, path: &str, index: usize) -> Result<fst24::Array, CliError> {
    let mut options = DecodeOptions::default();
    options.missing = MissingMode::Nan;
    file.read_with(index, &options)
        .map_err(|e| CliError::msg(path, e))
}

/// What became of one record of A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Same,
    Differ,
    Unmatched,
}

/// The report row of record `ia` of A and its partner `ib` in B.
fn compare_pair(
    args: &Args,
    fa: &File,
    ia: usize,
    fb: &File,
    ib: Option<usize>,
) -> Result<(Vec<Cell>, Outcome), CliError> {
    let ha = &fa.record(ia).map_err(|e| CliError::msg(&args.a, e))?.header;
    let mut row: Vec<Cell> = KEYS
        .iter()
        .map(|n| columns::cell(n, &args.a, ia, ha))
        .collect();
    let Some(ib) = ib else {
        row.extend([
            Cell::Int(ia as i64),
            Cell::Null,
            Cell::Text(columns::voir_datyp(ha)),
        ]);
        row.extend((3..MEASURES.len() - 1).map(|_| Cell::Null));
        row.push(Cell::Text("missing in B".into()));
        return Ok((row, Outcome::Unmatched));
    };
    let hb = &fb.record(ib).map_err(|e| CliError::msg(&args.b, e))?.header;
    let (va, vb) = (read(fa, &args.a, ia)?, read(fb, &args.b, ib)?);
    row.extend([
        Cell::Int(ia as i64),
        Cell::Int(ib as i64),
        Cell::Text(columns::voir_datyp(ha)),
        Cell::Text(columns::voir_datyp(hb)),
    ]);
    let ok = match compare(
        &va.values,
        ha.datyp.has_missing(),
        &vb.values,
        hb.datyp.has_missing(),
    ) {
        Some(c) => {
            row.push(Cell::Int(c.count as i64));
            row.extend(
                [
                    c.max_rel,
                    c.mean_rel,
                    c.var_a,
                    c.correlation,
                    c.mean_a,
                    c.bias,
                    c.max_abs,
                    c.mean_abs,
                ]
                .map(Cell::Sci),
            );
            within(args, &c, ha, hb)
        }
        None => {
            // Characters, binary, complex or different sizes: compare the bytes.
            row.push(Cell::Int(va.values.scalar_len() as i64));
            row.extend((0..8).map(|_| Cell::Null));
            va.values.as_bytes() == vb.values.as_bytes()
        }
    };
    row.push(Cell::Text(if ok { "ok" } else { "DIFF" }.into()));
    Ok((row, if ok { Outcome::Same } else { Outcome::Differ }))
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let ignore = Ignore::parse(args.ignore.as_deref())?;
    let selection = args.filter.selection()?;
    let (fa, fb) = (open(&args.a)?, open(&args.b)?);
    let mut in_b: HashMap<MatchKey, Vec<usize>> = HashMap::new();
    for rec in fb
        .records()
        .iter()
        .filter(|r| selection.matches(&r.header))
        .rev()
    {
        in_b.entry(ignore.key(&rec.header))
            .or_default()
            .push(rec.index);
    }
    let chosen = selection.select(fa.records());
    let names: Vec<String> = KEYS
        .iter()
        .chain(MEASURES)
        .map(|s| (*s).to_owned())
        .collect();
    let mut rows = Rows::new(names);
    let (mut same, mut differ, mut unmatched) = (0usize, 0usize, 0usize);
    // Pair the records first (in file order, so duplicates pair in order), then decode
    // and compare the pairs on every core.
    let pairs: Vec<(usize, Option<usize>)> = chosen
        .iter()
        .map(|&ia| {
            let partner = fa
                .record(ia)
                .ok()
                .and_then(|r| in_b.get_mut(&ignore.key(&r.header)))
                .and_then(Vec::pop);
            (ia, partner)
        })
        .collect();
    let mut progress = Progress::new("records", pairs.len() as u64);
    let results = parallel::map(&pairs, &mut progress, |&(ia, ib)| {
        compare_pair(args, &fa, ia, &fb, ib)
    });
    for result in results {
        let (row, outcome) = result?;
        match outcome {
            Outcome::Same => same += 1,
            Outcome::Differ => differ += 1,
            Outcome::Unmatched => unmatched += 1,
        }
        if args.all || outcome != Outcome::Same {
            rows.rows.push(row);
        }
    }
    progress.finish();
    let only_b: usize = in_b.values().map(Vec::len).sum();
    let summary = format!(
        "{} records compared: {same} within tolerance, {differ} differ, {unmatched} missing in B, {only_b} only in B",
        same + differ
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.format != Format::Table || !rows.rows.is_empty() {
        output::print(&mut out, args.format, &rows)?;
    }
    if args.format == Format::Table {
        printed(writeln!(out, "{summary}"))?;
    } else {
        eprintln!("fst24: {summary}");
    }
    if differ + unmatched + only_b > 0 {
        return Err(CliError::msg(
            format!("{} vs {}", args.a, args.b),
            "differences past the tolerance",
        ));
    }
    Ok(())
}
