//! Any bytes as a whole file: detection, XDF pages or RSF segments, then every record decoded.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fst24::fuzzing::open_and_read_all(data);
});
