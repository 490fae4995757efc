//! Builds libzmq with CURVE: libzmq's sources (from zeromq-src) compiled against libsodium
//! (compiled from source by libsodium-sys-stable), both linked statically.
//!
//! The `zmq-sys` crate would build its own libzmq without libsodium, so `.cargo/config.toml`
//! overrides its build script (it declares `links = "zmq"`) and only names the two archives;
//! this script provides them and the directories they are found in. Naming them on `zmq-sys`
//! puts them after the `zmq` crate on the link line, where its references are resolved; naming
//! libzmq here as well bundles it into this crate's rlib and static library.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Set by the override in .cargo/config.toml; without it zmq-sys links a second libzmq,
    // one without CURVE.
    if env::var_os("DEP_ZMQ_BUILT_BY_ZEROMQ_XOP").is_none() {
        panic!(
            "zmq-sys was not overridden for target {}: run cargo in the crate's directory (cargo \
             reads .cargo/config.toml from there) and see the targets listed in that file",
            env::var("TARGET").unwrap_or_default()
        );
    }
    // libzmq's sources warn by the hundred under cc's -Wall -Wextra; they are not ours to fix.
    for flags in ["CFLAGS", "CXXFLAGS"] {
        let mut value = env::var(flags).unwrap_or_default();
        value.push_str(" -w");
        env::set_var(flags, value.trim_start());
    }
    // Exported by libsodium-sys-stable's build script (`links = "sodium"`).
    let sodium_include = dep_dir("DEP_SODIUM_INCLUDE");
    let sodium_lib = dep_dir("DEP_SODIUM_LIB");
    zeromq_src::Build::new()
        .with_libsodium(Some(zeromq_src::LibLocation::new(
            sodium_lib.clone(),
            sodium_include,
        )))
        .build();
    // zeromq-src prints libsodium's directory in quotes; name it again in the form cargo takes.
    println!("cargo:rustc-link-search=native={}", sodium_lib.display());
}

fn dep_dir(name: &str) -> PathBuf {
    match env::var_os(name) {
        Some(dir) => PathBuf::from(dir),
        None => panic!("{name} is not set: libsodium-sys-stable must build libsodium from source"),
    }
}
