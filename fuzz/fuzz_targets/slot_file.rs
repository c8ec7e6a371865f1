#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rustenc_fuzz::slot_file(data));
