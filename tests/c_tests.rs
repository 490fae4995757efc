//! Builds the CMake project (which builds the library with cargo, the C/C++ test programs in
//! `tests/c` and any host glue that can be built here) into `target/tmp/c-tests-build` and
//! runs ctest. Fails when cmake is missing, when anything does not build, or when any ctest
//! test fails.
//!
//! Environment:
//! - `ZEROMQ_XOP_CMAKE_ARGS`: extra arguments for the configure step, separated by blanks
//!   (e.g. `-DZEROMQ_XOP_BUILD_IGOR=OFF -DZEROMQ_XOP_SANITIZE=OFF`).
//! - `ZEROMQ_XOP_CTEST_ARGS`: extra arguments for ctest (e.g. `-R test_pubsub`).
//! - `CMAKE` / `CTEST`: the programs to use (default: `cmake` / `ctest` on PATH).

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// Per-test limit passed to ctest, in seconds.
const CTEST_TIMEOUT_S: &str = "300";

fn program(var: &str, default: &str) -> OsString {
    env::var_os(var).unwrap_or_else(|| OsString::from(default))
}

fn split_args(var: &str) -> Vec<String> {
    env::var(var)
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Runs a command, prints what it printed (captured by the test harness unless it fails or
/// `--nocapture` is given) and panics with `what` when it cannot start or exits non-zero.
fn run(what: &str, cmd: &mut Command) -> Output {
    println!("+ {:?}", cmd);
    let start = Instant::now();
    let output = match cmd.output() {
        Ok(output) => output,
        Err(err) => panic!("{what}: cannot run {:?}: {err}", cmd.get_program()),
    };
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    println!("({what} took {:.1} s)", start.elapsed().as_secs_f64());
    assert!(
        output.status.success(),
        "{what} failed ({}); its output is above",
        output.status
    );
    output
}

fn require_cmake(cmake: &OsString) {
    match Command::new(cmake).arg("--version").output() {
        Ok(out) if out.status.success() => {
            println!(
                "{}",
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .next()
                    .unwrap_or("")
            );
        }
        Ok(out) => panic!(
            "`{} --version` failed ({}): the C tests need a working CMake >= 3.16",
            cmake.to_string_lossy(),
            out.status
        ),
        Err(err) => panic!(
            "cmake not found (`{}`: {err}). The C tests need CMake >= 3.16 and a C/C++ compiler: \
             install them (e.g. `apt-get install cmake build-essential`) or point the CMAKE \
             variable at cmake.",
            cmake.to_string_lossy()
        ),
    }
}

#[test]
fn c_tests_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let build: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("c-tests-build");
    let cmake = program("CMAKE", "cmake");
    let ctest = program("CTEST", "ctest");
    require_cmake(&cmake);
    std::fs::create_dir_all(&build).expect("create the build directory");

    // Configure. The library is built by cargo from CMake (release profile), with the cargo
    // that runs this test, into the target directory this test was built in.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR has a parent")
        .to_path_buf();
    let mut configure = Command::new(&cmake);
    configure
        .arg("-S")
        .arg(root)
        .arg("-B")
        .arg(&build)
        .arg("-DCMAKE_BUILD_TYPE=Release")
        .arg(format!(
            "-DZEROMQ_XOP_CARGO_TARGET_DIR={}",
            target_dir.display()
        ));
    if let Some(cargo) = env::var_os("CARGO") {
        let mut arg = OsString::from("-DCARGO=");
        arg.push(cargo);
        configure.arg(arg);
    }
    configure.args(split_args("ZEROMQ_XOP_CMAKE_ARGS"));
    configure.env_remove("CARGO_TARGET_DIR");
    run("cmake configure", &mut configure);

    // Build (two jobs: cargo parallelises on its own).
    run(
        "cmake build",
        Command::new(&cmake)
            .arg("--build")
            .arg(&build)
            .arg("--config")
            .arg("Release")
            .arg("--parallel")
            .arg("2"),
    );

    // Test.
    run(
        "ctest",
        Command::new(&ctest)
            .current_dir(&build)
            .arg("--output-on-failure")
            .arg("--timeout")
            .arg(CTEST_TIMEOUT_S)
            .arg("-C")
            .arg("Release")
            .arg("-j")
            .arg("2")
            .args(split_args("ZEROMQ_XOP_CTEST_ARGS")),
    );
}
