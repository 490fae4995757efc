//! Running GNU Octave with the MEX gateway (`host-glue/matlab`): building the MEX file once per
//! test binary, one-shot `--eval` runs, and sessions fed command by command through a pipe or a
//! pseudo-terminal (an interactive prompt with readline and the idle hook), with the checks
//! every lifecycle test makes on how a session ended.
//!
//! Octave with its development files, python3, pyzmq and numpy are required: when one is
//! missing the tests fail and say what to install (see `host-glue/matlab/DEPENDENCIES.txt`).
//! `PYTHON` chooses the Python interpreter, `OCTAVE` the octave executable.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn glue_dir() -> PathBuf {
    crate_dir().join("host-glue").join("matlab")
}

pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

pub fn octave() -> String {
    std::env::var("OCTAVE").unwrap_or_else(|_| "octave".to_string())
}

/// `target/<profile>`: this executable is `target/<profile>/deps/octave-<hash>`.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    exe.parent()
        .and_then(Path::parent)
        .expect("the test executable lives in target/<profile>/deps")
        .to_path_buf()
}

pub fn require(program: &str, args: &[&str], install: &str) -> Result<(), String> {
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
pub fn run(mut command: Command, what: &str, timeout: Duration) -> Result<(), String> {
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
    // Release builds ship without the library's debug information (27 MB before).
    let size = std::fs::metadata(out.join("zeromq_mex.mex"))
        .map_err(|e| format!("zeromq_mex.mex: {e}"))?
        .len();
    if profile_name != "debug" && size > 8 << 20 {
        return Err(format!("zeromq_mex.mex is {size} bytes: not stripped"));
    }
    Ok(out)
}

pub fn mex_dir() -> PathBuf {
    static MEX: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match MEX.get_or_init(build_mex) {
        Ok(dir) => dir.clone(),
        Err(e) => panic!("the Octave MEX gateway could not be built: {e}"),
    }
}

/// The `addpath` command that makes the gateway and its m-files visible.
pub fn addpath_command() -> String {
    format!(
        "addpath('{}'); addpath('{}');",
        mex_dir().display(),
        glue_dir().display()
    )
}

/// How a session ended: its status and everything it printed.
#[derive(Debug)]
pub struct Ended {
    pub status: Option<ExitStatus>,
    pub output: String,
}

impl Ended {
    /// Fails unless the session exited by itself with status 0 (no signal, no core dump, no
    /// timeout) and printed no panic, emergency line or crash report; `expect` must appear
    /// at the start of a printed line (the scenario really ran up to its end).
    pub fn assert_clean(&self, what: &str, expect: &str) {
        let bad = [
            "panic",
            "Emergency",
            "Segmentation",
            "fatal",
            "abort",
            "core dumped",
        ];
        let found: Vec<&str> = bad
            .iter()
            .copied()
            .filter(|b| self.output.to_lowercase().contains(&b.to_lowercase()))
            .collect();
        let ok = matches!(self.status, Some(s) if s.success());
        let reached = self.output.lines().any(|l| printed(l, expect));
        assert!(
            ok && found.is_empty() && reached,
            "{what}: status {:?}, unwanted {found:?}, expected {expect:?}; output:\n{}",
            self.status,
            self.output
        );
    }
}

/// Whether `line` is one the session printed starting with `marker`.
fn printed(line: &str, marker: &str) -> bool {
    line.trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .starts_with(marker)
}

/// Collects a reader's text into `all` and sends each line to the returned channel.
fn collect(reader: impl Read + Send + 'static, all: Arc<Mutex<String>>) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(reader);
        let mut buf = Vec::new();
        while matches!(r.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
            let line = String::from_utf8_lossy(&buf).into_owned();
            all.lock().unwrap().push_str(&line);
            let _ = tx.send(line);
            buf.clear();
        }
    });
    rx
}

/// A running Octave session that reads its commands from a pipe or a pseudo-terminal.
pub struct Session {
    child: Child,
    input: Box<dyn Write + Send>,
    lines: Receiver<String>,
    output: Arc<Mutex<String>>,
}

impl Session {
    /// Octave reading commands from a pipe (no readline, no prompt), stderr merged into the
    /// output.
    pub fn piped() -> Session {
        let mut child = Command::new(octave())
            .args(["--no-gui", "--quiet", "--no-init-file", "--no-history"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("octave starts");
        let output = Arc::new(Mutex::new(String::new()));
        let lines = collect(child.stdout.take().expect("stdout"), Arc::clone(&output));
        let _ = collect(child.stderr.take().expect("stderr"), Arc::clone(&output));
        let input = Box::new(child.stdin.take().expect("stdin"));
        Session::ready(child, input, lines, output)
    }

    /// Octave at an interactive prompt: its terminal is a pseudo-terminal, so readline and
    /// the input event hooks run as for a user typing.
    #[cfg(unix)]
    pub fn interactive() -> Session {
        use std::os::fd::{FromRawFd, OwnedFd};
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty writes two descriptors; the other arguments may be NULL.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let child = Command::new(octave())
            .args(["--no-gui", "--quiet", "--no-init-file", "--no-history"])
            .env("TERM", "dumb")
            .stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave))
            .spawn()
            .expect("octave starts");
        let reader = std::fs::File::from(master.try_clone().expect("dup"));
        let output = Arc::new(Mutex::new(String::new()));
        let lines = collect(reader, Arc::clone(&output));
        Session::ready(child, Box::new(std::fs::File::from(master)), lines, output)
    }

    fn ready(
        child: Child,
        input: Box<dyn Write + Send>,
        lines: Receiver<String>,
        output: Arc<Mutex<String>>,
    ) -> Session {
        let mut s = Session {
            child,
            input,
            lines,
            output,
        };
        s.send(&addpath_command());
        s
    }

    /// Type one line of commands.
    pub fn send(&mut self, command: &str) {
        self.input
            .write_all(format!("{command}\n").as_bytes())
            .and_then(|_| self.input.flush())
            .expect("octave reads its input");
    }

    /// The first line printed from now on that starts with `marker` (a terminal echoes the
    /// commands typed, which contain it too), waiting at most `limit`.
    pub fn line_with(&mut self, marker: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if printed(&line, marker) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "no line with {marker:?} within {limit:?}; output:\n{}",
                    self.output.lock().unwrap()
                ),
            }
        }
    }

    /// The text after `marker` on the next line that has it, trimmed.
    pub fn value_after(&mut self, marker: &str, limit: Duration) -> String {
        let line = self.line_with(marker, limit);
        let at = line.find(marker).expect("marker") + marker.len();
        line[at..].trim().to_string()
    }

    /// Wait for the session to end by itself (it is killed after `limit`).
    pub fn wait(mut self, limit: Duration) -> Ended {
        let status = wait_bounded(&mut self.child, limit);
        // Let the readers take the last output.
        std::thread::sleep(Duration::from_millis(50));
        let output = self.output.lock().unwrap().clone();
        Ended { status, output }
    }
}

/// The child's status, or None when it had to be killed after `limit`.
fn wait_bounded(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// `octave --eval script` (after the addpath), bounded by `limit`.
pub fn eval(script: &str, limit: Duration) -> Ended {
    let mut child = Command::new(octave())
        .args([
            "--no-gui",
            "--quiet",
            "--no-init-file",
            "--no-history",
            "--eval",
        ])
        .arg(format!("{} {script}", addpath_command()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("octave starts");
    let output = Arc::new(Mutex::new(String::new()));
    let _ = collect(child.stdout.take().expect("stdout"), Arc::clone(&output));
    let _ = collect(child.stderr.take().expect("stderr"), Arc::clone(&output));
    let status = wait_bounded(&mut child, limit);
    std::thread::sleep(Duration::from_millis(50));
    let output = output.lock().unwrap().clone();
    Ended { status, output }
}

/// Longest time one scenario of a Python driver may take before it is killed and failed.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(600);

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
