//! Running GNU Octave for the tests of the MEX gateway (`host-glue/matlab`): the first caller
//! builds the static library (`cargo test` builds only the rlib) with the profile of the test
//! run and compiles `zeromq_mex.mex` with `host-glue/matlab/build.sh` into
//! `target/<profile>/octave-mex/`; scenarios of a Python driver in `host-glue/matlab/tests`
//! then run one at a time, each bounded by a timeout.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Longest time one scenario may take before it is killed and failed.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(600);

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn glue_dir() -> PathBuf {
    crate_dir().join("host-glue").join("matlab")
}

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn octave() -> String {
    std::env::var("OCTAVE").unwrap_or_else(|_| "octave".to_string())
}

/// `target/<profile>`: this executable is `target/<profile>/deps/octave-<hash>`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    exe.parent()
        .and_then(Path::parent)
        .expect("the test executable lives in target/<profile>/deps")
        .to_path_buf()
}

fn require(program: &str, args: &[&str], install: &str) -> Result<(), String> {
    match Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "`{program} {}` failed ({status}); install {install}",
            args.join(" ")
        )),
        Err(e) => Err(format!("`{program}` cannot run ({e}); install {install}")),
    }
}

/// Runs a command to completion, killing it after `timeout`; Ok when it exits with 0.
fn run(mut command: Command, what: &str, timeout: Duration) -> Result<(), String> {
    let mut child = command
        .spawn()
        .map_err(|e| format!("{what}: cannot start ({e})"))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("{what} failed ({status})")),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{what} did not finish within {timeout:?} and was killed"
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(format!("{what}: {e}")),
        }
    }
}

/// Builds the static library and the MEX file once; returns the folder holding the MEX file.
fn build_mex() -> Result<PathBuf, String> {
    require(
        &octave(),
        &["--version"],
        "GNU Octave (apt-get install octave liboctave-dev)",
    )?;
    require(
        "mkoctfile",
        &["--version"],
        "Octave's development files (apt-get install liboctave-dev)",
    )?;
    require(
        &python(),
        &["-c", "import zmq, numpy"],
        "pyzmq and numpy for python3 (pip install pyzmq numpy)",
    )?;

    let profile = profile_dir();
    let profile_name = profile
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("debug")
        .to_string();
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["build", "--lib"]).current_dir(crate_dir());
    if profile_name != "debug" {
        cargo.args(["--profile", &profile_name]);
    }
    run(cargo, "cargo build --lib", Duration::from_secs(1800))?;
    let lib = profile.join("libzeromq_xop.a");
    if !lib.is_file() {
        return Err(format!("{} was not built", lib.display()));
    }

    let out = profile.join("octave-mex");
    let mut build = Command::new("sh");
    build
        .arg(glue_dir().join("build.sh"))
        .arg("--lib")
        .arg(&lib)
        .arg("--out")
        .arg(&out);
    run(build, "host-glue/matlab/build.sh", Duration::from_secs(600))?;
    Ok(out)
}

pub fn mex_dir() -> PathBuf {
    static MEX: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match MEX.get_or_init(build_mex) {
        Ok(dir) => dir.clone(),
        Err(e) => panic!("the Octave MEX gateway could not be built: {e}"),
    }
}

/// Runs one scenario of the Python driver `host-glue/matlab/tests/<driver>`; scenarios run
/// one at a time.
pub fn scenario_of(driver_script: &str, name: &str) {
    static SERIAL: Mutex<()> = Mutex::new(());
    let dir = mex_dir();
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut driver = Command::new(python());
    driver
        .arg(glue_dir().join("tests").join(driver_script))
        .arg("--octave")
        .arg(octave())
        .arg("--mex-dir")
        .arg(&dir)
        .arg(name);
    if let Err(e) = run(driver, &format!("{driver_script} {name}"), SCENARIO_TIMEOUT) {
        panic!("Octave scenario `{name}`: {e} (its checks are printed above)");
    }
}
