//! Any bytes as a whole file, then the CF dataset plan and every planned variable.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = fst24::fuzzing::limits();
    if let Ok(file) = fst24::File::from_source(std::sync::Arc::new(data.to_vec()), limits) {
        fst24::fuzzing::plan_and_read(&[&file], limits);
    }
});
