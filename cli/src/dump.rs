//! `fst24 dump`: decode one record, print its statistics (missing points left out) and
//! first values.

use fst24::stats::summarize;
use fst24::{DecodeOptions, MissingMode, Values};

use crate::{open, CliError};

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

macro_rules! first {
    ($v:expr, $k:expr) => {{
        println!("  first {:?}", &$v[..$v.len().min($k)]);
    }};
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
    let h = &rec.header;
    println!(
        "{} record {}: {} {}x{}x{} {} -> {}",
        args.file,
        rec.index,
        h.nomvar.trimmed(),
        h.ni,
        h.nj,
        h.nk,
        h.datyp.label(h.nbits),
        array.values.element_type()
    );
    let k = args.values;
    if let Some(s) = summarize(&for_stats.values, h.datyp.has_missing()) {
        println!(
            "  min {}  max {}  mean {}  std {}  ({} values, {} missing)",
            s.min, s.max, s.mean, s.std, s.count, s.missing
        );
    }
    match &array.values {
        Values::F32(v) => first!(v, k),
        Values::F64(v) => first!(v, k),
        Values::I8(v) => first!(v, k),
        Values::I16(v) => first!(v, k),
        Values::I32(v) => first!(v, k),
        Values::I64(v) => first!(v, k),
        Values::U8(v) => first!(v, k),
        Values::U16(v) => first!(v, k),
        Values::U32(v) => first!(v, k),
        Values::U64(v) => first!(v, k),
        Values::C64(v) => println!("  first {:?}", &v[..v.len().min(2 * k)]),
        Values::C128(v) => println!("  first {:?}", &v[..v.len().min(2 * k)]),
        Values::Chars(v) => println!("  text {:?}", String::from_utf8_lossy(v)),
        Values::Words(v) => println!("  first words {:08x?}", &v[..v.len().min(k)]),
        _ => println!("  (element type not printable)"),
    }
    Ok(())
}
