#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rustenc_fuzz::envelope_v2_inner(data));
