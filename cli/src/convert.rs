//! `fst24 convert`: one or more FST files to NetCDF (classic CDF-2/CDF-5) or zarr v2,
//! through the core dataset plan (variables, dims, CF coordinates and attributes).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use std::ops::Range;

use fst24::dataset::{plan, read_variable, read_variable_into, DatasetPlan, PlanOptions};
use fst24::{DecodeOptions, ElementType, MissingMode, Values};

use crate::publish::{Kind, Output};
use crate::{open_with, CliError};

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Classic NetCDF: CDF-2 (64-bit offsets), or CDF-5 when a type or size needs it.
    Netcdf,
    /// A zarr v2 directory store with consolidated metadata.
    Zarr,
}

/// Arguments of `fst24 convert`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Input files (their records are planned together, as one dataset), then the
    /// output unless `-o` names it.
    #[arg(required = true)]
    files: Vec<String>,
    /// Output format.
    #[arg(long)]
    to: Format,
    /// Output file (netcdf) or directory (zarr); default: the last positional argument.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Separate `time` (forecast reference) and `forecast` (lead time) dimensions.
    #[arg(long)]
    forecast_axis: bool,
    /// Add `PX`, the pressure (hPa) of model levels, from the `!!` descriptor and `P0`
    /// (fstd2nc's `add_px`; as vgrid's `vgd_levels`).
    #[arg(long)]
    pressure: bool,
    /// Add `GZ`, the height (m) of hybrid-height levels (21001, 21002), from the `!!`
    /// descriptor and `ME` (fstd2nc's `add_gz`).
    #[arg(long)]
    height: bool,
    /// Replace an existing output.
    #[arg(long)]
    force: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Most memory one record or one slab of a variable may take (bytes, or with a K, M
    /// or G suffix); larger ones are refused with an error naming the variable.
    #[arg(long, value_parser = parse_bytes)]
    memory_limit: Option<u64>,
}

/// `123`, `64K`, `512M`, `4G` (powers of 1024).
fn parse_bytes(text: &str) -> Result<u64, String> {
    let (digits, shift) = match text.char_indices().last() {
        Some((i, 'K' | 'k')) => (&text[..i], 10),
        Some((i, 'M' | 'm')) => (&text[..i], 20),
        Some((i, 'G' | 'g')) => (&text[..i], 30),
        _ => (text, 0),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("{text:?} is not a byte count (e.g. 512M)"))
}

/// Something the output format cannot hold, left out with a warning.
#[derive(Debug, Clone)]
pub(crate) struct Skipped {
    pub name: String,
    pub is_coord: bool,
    pub reason: &'static str,
}

impl Skipped {
    pub(crate) fn coord(name: &str, reason: &'static str) -> Self {
        Skipped {
            name: name.to_string(),
            is_coord: true,
            reason,
        }
    }
    pub(crate) fn variable(name: &str, reason: &'static str) -> Self {
        Skipped {
            name: name.to_string(),
            is_coord: false,
            reason,
        }
    }
}

/// Where the writers get each data variable's values from (and report progress).
///
/// A variable is read in parts: one index of its first dimension at a time (e.g. one time
/// step, all levels), so memory holds a slab, not the whole variable. Parts are
/// consecutive in C order.
pub(crate) trait Sink {
    /// How many parts data variable `index` is read in.
    fn parts(&self, index: usize) -> usize;
    /// Values of part `part` of data variable `index`, C order.
    fn read(&mut self, index: usize, part: usize) -> Result<Values, String>;
}

/// Reads planned variables from the open files, drawing a progress bar on stderr.
struct Reader<'a> {
    files: &'a [&'a fst24::File],
    plan: &'a DatasetPlan,
    options: DecodeOptions,
    progress: Option<Progress>,
}

struct Progress {
    total: usize,
    done: usize,
    start: Instant,
}

impl Progress {
    fn draw(&self, name: &str) {
        const WIDTH: usize = 30;
        let filled = (self.done * WIDTH).checked_div(self.total).unwrap_or(WIDTH);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {}/{} records  {:.1}s  {name:<12}",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            self.done,
            self.total,
            self.start.elapsed().as_secs_f64()
        );
        let _ = err.flush();
    }
}

impl Sink for Reader<'_> {
    fn parts(&self, index: usize) -> usize {
        let var = &self.plan.variables[index];
        if var.outer_ndim == 0 {
            1
        } else {
            var.shape[0]
        }
    }

    fn read(&mut self, index: usize, part: usize) -> Result<Values, String> {
        let var = &self.plan.variables[index];
        let fail = |e: fst24::Error| format!("variable {}: {e}", var.name);
        let (values, records) = if var.outer_ndim == 0 {
            let v = read_variable(self.files, var, &self.options).map_err(fail)?;
            (v, var.records.iter().flatten().count())
        } else {
            let mut ranges: Vec<Range<usize>> =
                var.shape[..var.outer_ndim].iter().map(|&n| 0..n).collect();
            ranges[0] = part..part + 1;
            let per_part = var.shape[1..]
                .iter()
                .try_fold(1usize, |acc, &n| acc.checked_mul(n))
                .unwrap_or(usize::MAX);
            let scalars = match var.dtype {
                ElementType::C64 | ElementType::C128 => per_part.saturating_mul(2),
                _ => per_part,
            };
            // Sizes come from headers: the slab is checked against the limits and
            // allocated fallibly, so a hostile record is an error, not an abort.
            let located = |e| fail(fst24::dataset::locate(self.files, var, e));
            for file in self.files {
                file.limits()
                    .check_alloc(var.bytes_of(per_part))
                    .map_err(located)?;
            }
            if part == 0 {
                fst24::dataset::check_records(self.files, var).map_err(fail)?;
            }
            let mut v = Values::try_zeroed(var.dtype, scalars).map_err(located)?;
            read_variable_into(self.files, var, Some(&ranges), v.as_out(), &self.options)
                .map_err(fail)?;
            let slots = var.records.len() / var.shape[0].max(1);
            let start = part * slots;
            let n = var.records[start..start + slots].iter().flatten().count();
            (v, n)
        };
        if let Some(p) = &mut self.progress {
            p.done += records;
            p.draw(&var.name);
        }
        Ok(values)
    }
}

/// Rejects names that cannot be a NetCDF name or a zarr key safely: a name from the file
/// becomes a path under the zarr directory, so `..` or `/` would escape it.
fn check_name(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    if bad {
        Err(format!(
            "variable or coordinate name {name:?} cannot be written (empty, leading '.', '/', '\\' or control characters)"
        ))
    } else {
        Ok(())
    }
}

fn failure(path: &std::path::Path, message: impl std::fmt::Display) -> CliError {
    CliError::msg(path.display().to_string(), message)
}

pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let (inputs, out) = match &args.output {
        Some(out) => (&args.files[..], out.clone()),
        None => match args.files.split_last() {
            Some((last, rest)) if !rest.is_empty() => (rest, PathBuf::from(last)),
            _ => {
                return Err(CliError::msg(
                    "convert",
                    "needs an output: FILE... OUT, or -o OUT",
                ))
            }
        },
    };
    let mut options = fst24::OpenOptions::default();
    if let Some(limit) = args.memory_limit {
        options.limits.max_alloc_bytes = limit;
    }
    let opened = inputs
        .iter()
        .map(|p| open_with(p, options))
        .collect::<Result<Vec<_>, _>>()?;
    let files: Vec<&fst24::File> = opened.iter().collect();
    let options = PlanOptions::default()
        .with_forecast_axis(args.forecast_axis)
        .with_pressure(args.pressure)
        .with_height(args.height);
    let plan = plan(&files, &options).map_err(|e| CliError::msg(inputs.join(" "), e))?;
    for w in &plan.warnings {
        eprintln!("fst24: warning: {w}");
    }
    if plan.variables.is_empty() {
        // An empty netCDF/zarr would look like a successful conversion.
        return Err(CliError::msg(
            inputs.join(" "),
            "no field to convert (only character, descriptor or positional records)",
        ));
    }
    let names = plan.coords.iter().map(|c| &c.name);
    for name in names.chain(plan.variables.iter().map(|v| &v.name)) {
        check_name(name).map_err(|e| CliError::msg(inputs.join(" "), e))?;
    }
    let out = &out;
    let kind = match args.to {
        Format::Netcdf => Kind::File,
        Format::Zarr => Kind::Zarr,
    };
    let input_paths: Vec<&Path> = inputs.iter().map(Path::new).collect();
    let target =
        Output::prepare(out, kind, args.force, &input_paths).map_err(|e| failure(out, e))?;
    let mut decode = DecodeOptions::default();
    decode.missing = MissingMode::Nan;
    let total = plan
        .variables
        .iter()
        .map(|v| v.records.iter().flatten().count())
        .sum();
    let show = !args.quiet && std::io::stderr().is_terminal();
    let mut reader = Reader {
        files: &files,
        plan: &plan,
        options: decode,
        progress: show.then(|| Progress {
            total,
            done: 0,
            start: Instant::now(),
        }),
    };
    // A failure drops `target`, which removes the temporary; the old output stays.
    let skipped = match args.to {
        Format::Netcdf => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(target.temp())
                .map_err(|e| failure(out, e))?;
            crate::netcdf::write(&plan, file, &mut reader)
        }
        Format::Zarr => crate::zarr::write(&plan, target.temp(), &mut reader),
    }
    .map_err(|e| failure(out, e))?;
    target.publish().map_err(|e| failure(out, e))?;
    if show {
        eprintln!();
    }
    for s in skipped {
        let what = if s.is_coord { "coordinate" } else { "variable" };
        eprintln!("fst24: warning: {what} {} left out: {}", s.name, s.reason);
    }
    if !args.quiet {
        eprintln!(
            "fst24: wrote {} ({} variables, {} coordinates, {total} records)",
            out.display(),
            plan.variables.len(),
            plan.coords.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn byte_counts_with_suffixes() {
        assert_eq!(super::parse_bytes("512"), Ok(512));
        assert_eq!(super::parse_bytes("64K"), Ok(64 << 10));
        assert_eq!(super::parse_bytes("2g"), Ok(2 << 30));
        assert!(super::parse_bytes("x").is_err());
        assert!(super::parse_bytes("99999999999G").is_err());
    }

    #[test]
    fn names_that_would_escape_the_store_are_refused() {
        assert!(check_name("TT").is_ok());
        assert!(check_name("a_1").is_ok());
        for bad in ["", "..", "../x", "a/b", ".zattrs", "a\\b", "a\nb"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
