//! The Igor XOP's generated files (function table, resources, parameter structs, procedure
//! constants) must match host-glue/igor/functions.json: runs `generate.py --check`.

use std::path::Path;
use std::process::Command;

#[test]
fn igor_generated_files_are_in_sync() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("host-glue").join("igor").join("generate.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let output = Command::new(&python)
        .arg(&script)
        .arg("--check")
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} (set PYTHON to a Python 3): {e}"));
    assert!(
        output.status.success(),
        "generate.py --check failed ({}); run `python3 host-glue/igor/generate.py`:\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
