//! The committed C header must match what cbindgen generates from the sources.
//! Regenerate with `ZEROMQ_XOP_BLESS=1 cargo test --test header`.

use std::path::Path;

#[test]
fn committed_header_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header")
        .write(&mut generated);
    let path = root.join("include/zeromq_xop.h");
    if std::env::var_os("ZEROMQ_XOP_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write header");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/zeromq_xop.h is stale: run `ZEROMQ_XOP_BLESS=1 cargo test --test header` and commit it"
    );
}
