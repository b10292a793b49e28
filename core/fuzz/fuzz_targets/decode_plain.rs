//! Random data areas through the decoders of one datyp family.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fst24::fuzzing::decode_family(fst24::fuzzing::Family::Plain, data);
});
