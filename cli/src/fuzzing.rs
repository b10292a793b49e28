//! Drivers shared by the CLI's mutant tests (`tests/mutants.rs`) and the `convert` fuzz
//! target (`core/fuzz`). Only with the `internals` feature; not part of any API.

use std::path::Path;

/// Writes `bytes` to `dir/in.fst` and runs `fst24 convert` on it to NetCDF (`dir/out.nc`)
/// and to zarr (`dir/out.zarr`), replacing earlier outputs, under `--memory-limit
/// memory_limit`; returns the two exit statuses (0 written, 1 refused: anything else, or
/// a panic, is a bug).
///
/// # Panics
/// When `dir/in.fst` cannot be written.
pub fn convert_both(dir: &Path, bytes: &[u8], memory_limit: &str) -> [u8; 2] {
    let input = dir.join("in.fst");
    std::fs::write(&input, bytes).expect("write the input file");
    [("netcdf", "out.nc"), ("zarr", "out.zarr")].map(|(to, out)| {
        let out = dir.join(out);
        crate::run([
            "fst24".as_ref(),
            "convert".as_ref(),
            input.as_os_str(),
            "--to".as_ref(),
            to.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
            "--force".as_ref(),
            "--quiet".as_ref(),
            "--memory-limit".as_ref(),
            memory_limit.as_ref(),
        ])
    })
}
