//! Any bytes as the segments after a valid RSF segment 0: segment headers and trailers,
//! directories, entries, metadata words and extended JSON.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fst24::fuzzing::scan_rsf(data);
});
