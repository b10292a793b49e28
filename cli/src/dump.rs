//! `fst24 dump`: decode one record, print its statistics (missing points left out) and
//! first values.

use std::io::{self, Write};

use fst24::stats::summarize;
use fst24::{DecodeOptions, MissingMode, Values};

use crate::{open, printed, CliError};

/// Arguments of `fst24 dump`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// File to read.
    file: String,
    /// Directory index of the record (first column of `fst24 ls`).
    #[arg(long)]
    record: usize,
    /// How many values to print.
    #[arg(long, default_value_t = 10)]
    values: usize,
    /// Show missing points (records with datyp +64) as librmn's markers.
    #[arg(long)]
    missing: bool,
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let file = open(&args.file)?;
    let err = |source: fst24::Error| CliError::msg(args.file.clone(), source);
    let rec = file.record(args.record).map_err(err)?;
    // Statistics from a decoding where missing points are NaN (integers: markers), so they
    // can be left out; the printed values show them as asked.
    let mut options = DecodeOptions::default();
    options.missing = MissingMode::Nan;
    let for_stats = file.read_with(args.record, &options).map_err(err)?;
    let array = if args.missing {
        options.missing = MissingMode::Marker;
        file.read_with(args.record, &options).map_err(err)?
    } else {
        let mut plain = DecodeOptions::default();
        plain.missing = MissingMode::Plug;
        file.read_with(args.record, &plain).map_err(err)?
    };
    let stdout = io::stdout();
    printed(print_record(
        &mut stdout.lock(),
        args,
        rec,
        &for_stats.values,
        &array.values,
    ))
}

/// Prints the record's line, its statistics (from `for_stats`) and the first `--values`
/// of `values`.
fn print_record(
    out: &mut impl Write,
    args: &Args,
    rec: &fst24::Record,
    for_stats: &Values,
    values: &Values,
) -> io::Result<()> {
    let h = &rec.header;
    writeln!(
        out,
        "{} record {}: {} {}x{}x{} {} -> {}",
        args.file,
        rec.index,
        h.nomvar.trimmed(),
        h.ni,
        h.nj,
        h.nk,
        h.datyp.label(h.nbits),
        values.element_type()
    )?;
    let k = args.values;
    if let Some(s) = summarize(for_stats, h.datyp.has_missing()) {
        writeln!(
            out,
            "  min {}  max {}  mean {}  std {}  ({} values, {} missing)",
            s.min, s.max, s.mean, s.std, s.count, s.missing
        )?;
    }
    macro_rules! first {
        ($v:expr) => {
            writeln!(out, "  first {:?}", &$v[..$v.len().min(k)])
        };
    }
    match values {
        Values::F32(v) => first!(v),
        Values::F64(v) => first!(v),
        Values::I8(v) => first!(v),
        Values::I16(v) => first!(v),
        Values::I32(v) => first!(v),
        Values::I64(v) => first!(v),
        Values::U8(v) => first!(v),
        Values::U16(v) => first!(v),
        Values::U32(v) => first!(v),
        Values::U64(v) => first!(v),
        Values::C64(v) => writeln!(out, "  first {:?}", &v[..v.len().min(2 * k)]),
        Values::C128(v) => writeln!(out, "  first {:?}", &v[..v.len().min(2 * k)]),
        Values::Chars(v) => writeln!(out, "  text {:?}", String::from_utf8_lossy(v)),
        Values::Words(v) => writeln!(out, "  first words {:08x?}", &v[..v.len().min(k)]),
        _ => writeln!(out, "  (element type not printable)"),
    }
}
