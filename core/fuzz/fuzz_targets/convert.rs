//! Any bytes as a whole file through `fst24 convert` to NetCDF and to zarr (in a scratch
//! directory, with a small memory limit): exit status 0 or 1, never a panic or abort.
#![no_main]

use std::sync::OnceLock;

fn scratch() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::path::Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("fst24-fuzz-convert-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let input = dir.join("in.fst");
    std::fs::write(&input, data).expect("write input");
    for (to, out) in [("netcdf", "out.nc"), ("zarr", "out.zarr")] {
        let out = dir.join(out);
        let code = fst24_cli::run([
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
            "32M".as_ref(),
        ]);
        assert!(code <= 1, "exit status {code}");
    }
});
