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
    let out = Command::new("php-config")
        .arg(arg)
        .output()
        .expect("php-config not found: install php8.2-dev (apt-get install -y php8.2-dev)");
    assert!(out.status.success(), "php-config {arg} failed");
    String::from_utf8(out.stdout).expect("php-config printed non-UTF-8")
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    if env::var_os("CARGO_FEATURE_PHP").is_none() {
        return; // the pure layers alone (fuzzing) need no PHP headers
    }

    let includes = php_config("--includes");
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
