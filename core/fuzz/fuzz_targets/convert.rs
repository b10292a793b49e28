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
    for code in fst24_cli::fuzzing::convert_both(scratch(), data, "32M") {
        assert!(code <= 1, "exit status {code}");
    }
});
