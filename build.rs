//! Generates Rust bindings for the parts of PHP's session engine and INI API
//! that ext-php-rs does not bind (`ext/session/php_session.h` is out of reach of
//! its allow-list).
//!
//! The functions are never called through these declarations (the seam
//! resolves them with `dlsym`, see `src/php/engine.rs`); they are there so the
//! compiler checks the seam's function-pointer types against the headers.
//!
//! Only the listed items are generated (`allowlist_recursively(false)`); the
//! types they mention (`zend_string`, `zend_long`, `zend_module_entry`) come
//! from `ext_php_rs::ffi`, so there is one definition of each. bindgen also
//! emits compile-time layout assertions for `ps_module_struct`, which check the
//! struct against the header PHP was built with.

use std::{env, path::PathBuf, process::Command};

fn php_config(arg: &str) -> String {
    // PHP_CONFIG as ext-php-rs reads it, so both see the same PHP.
    let php_config = env::var_os("PHP_CONFIG").unwrap_or_else(|| "php-config".into());
    let out = Command::new(php_config)
        .arg(arg)
        .output()
        .expect("php-config not found: install PHP's headers (scripts/setup, or apt-get install -y php8.4-dev on Debian 13)");
    assert!(out.status.success(), "php-config {arg} failed");
    String::from_utf8(out.stdout).expect("php-config printed non-UTF-8")
}

/// Stops the build against a thread-safe (ZTS) PHP. rustenc keeps per-process
/// state (keys, the checked directory) and is tested only with the NTS builds
/// Debian ships; no ZTS PHP is available to test it with, so it must not load
/// untested into one.
fn refuse_zts(includes: &str) {
    let Some(main_dir) = includes
        .split_whitespace()
        .filter_map(|arg| arg.strip_prefix("-I"))
        .find(|dir| dir.ends_with("/main"))
    else {
        return;
    };
    let header = PathBuf::from(main_dir).join("php_config.h");
    println!("cargo:rerun-if-changed={}", header.display());
    let config = std::fs::read_to_string(&header).unwrap_or_default();
    if config.lines().any(|line| line.trim() == "#define ZTS 1") {
        panic!(
            "\n\nrustenc: this PHP is a thread-safe (ZTS) build ({}). rustenc is tested \
             only with non-thread-safe (NTS) PHP, as Debian and most distributions ship it, \
             and refuses to build for ZTS until it is tested there. Build against an NTS PHP \
             (its php-config on PATH, or in PHP_CONFIG).\n",
            header.display()
        );
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    if env::var_os("CARGO_FEATURE_PHP").is_none() {
        return; // the pure layers alone (fuzzing) need no PHP headers
    }

    let includes = php_config("--includes");
    refuse_zts(&includes);
    let bindings = bindgen::Builder::default()
        .header_contents(
            "rustenc_wrapper.h",
            "#include \"php.h\"\n#include \"SAPI.h\"\n#include \"fopen_wrappers.h\"\n#include \"php_open_temporary_file.h\"\n#include \"ext/session/php_session.h\"\n",
        )
        .clang_args(includes.split_whitespace())
        .allowlist_recursively(false)
        .allowlist_type("ps_module_struct")
        .allowlist_type("ps_module")
        .allowlist_function("zend_ini_long")
        .allowlist_function("zend_ini_string_ex")
        .allowlist_function("display_ini_entries")
        .allowlist_function("zend_unregister_ini_entries_ex")
        .allowlist_function("php_session_register_module")
        .allowlist_function("php_session_create_id")
        .allowlist_function("php_log_err_with_severity")
        .allowlist_function("php_get_temporary_directory")
        .allowlist_var("PHP_VERSION_ID")
        .allowlist_function("php_check_open_basedir_ex")
        .allowlist_function("sapi_getenv")
        .raw_line("#[allow(unused_imports)] pub use ext_php_rs::ffi::{zend_long, zend_module_entry, zend_string};")
        .raw_line("#[allow(non_camel_case_types)] pub type zend_result = ::std::os::raw::c_int;")
        .layout_tests(true)
        .generate()
        .expect("bindgen could not parse php_session.h (is libclang-dev installed?)");

    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("php_session.rs");
    bindings.write_to_file(out).expect("cannot write bindings");
}
