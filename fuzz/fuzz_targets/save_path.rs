#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| rustenc_fuzz::save_path(data));
