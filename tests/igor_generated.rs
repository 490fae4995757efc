//! The Igor XOP's generated files (function table, resources, parameter structs, procedure
//! constants) must match host-glue/igor/functions.json: runs `generate.py --check`.

mod common;

#[test]
fn igor_generated_files_are_in_sync() {
    common::assert_generated_in_sync("igor");
}
