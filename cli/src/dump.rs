//! `fst24 dump`: decode one record, print its statistics and first values.

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

fn stats(v: impl Iterator<Item = f64>) -> (f64, f64, f64, usize) {
    let (mut lo, mut hi, mut sum, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0.0, 0usize);
    for x in v.filter(|x| x.is_finite()) {
        lo = lo.min(x);
        hi = hi.max(x);
        sum += x;
        n += 1;
    }
    (lo, hi, if n > 0 { sum / n as f64 } else { f64::NAN }, n)
}

macro_rules! numeric {
    ($v:expr, $k:expr) => {{
        let (lo, hi, mean, n) = stats($v.iter().map(|&x| x as f64));
        println!("  min {lo}  max {hi}  mean {mean}  ({n} finite values)");
        println!("  first {:?}", &$v[..$v.len().min($k)]);
    }};
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let file = open(&args.file)?;
    let err = |source: fst24::Error| CliError::msg(args.file.clone(), source);
    let rec = file.record(args.record).map_err(err)?;
    let mut options = DecodeOptions::default();
    if args.missing {
        options.missing = MissingMode::Marker;
    }
    let array = file.read_with(args.record, &options).map_err(err)?;
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
    match &array.values {
        Values::F32(v) => numeric!(v, k),
        Values::F64(v) => numeric!(v, k),
        Values::I8(v) => numeric!(v, k),
        Values::I16(v) => numeric!(v, k),
        Values::I32(v) => numeric!(v, k),
        Values::I64(v) => numeric!(v, k),
        Values::U8(v) => numeric!(v, k),
        Values::U16(v) => numeric!(v, k),
        Values::U32(v) => numeric!(v, k),
        Values::U64(v) => numeric!(v, k),
        Values::C64(v) => println!("  first {:?}", &v[..v.len().min(2 * k)]),
        Values::C128(v) => println!("  first {:?}", &v[..v.len().min(2 * k)]),
        Values::Chars(v) => println!("  text {:?}", String::from_utf8_lossy(v)),
        Values::Words(v) => println!("  first words {:08x?}", &v[..v.len().min(k)]),
        _ => println!("  (element type not printable)"),
    }
    Ok(())
}
