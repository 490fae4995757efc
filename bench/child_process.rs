//! The child processes of the idle, memory and wave rows: this program started again with
//! `--child ...`, printing `name value` pairs.

use std::process::Command;

/// Run `zeromq-xop-bench --child ARGS...` and return the numbers it prints as `name value` pairs.
pub(crate) fn run_child(args: &[String]) -> Result<std::process::Child, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    Command::new(exe)
        .arg("--child")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child process: {e}"))
}

/// Wait for a child and parse its `name value` lines.
pub(crate) fn child_values(c: std::process::Child) -> Result<Vec<(String, f64)>, String> {
    let o = c.wait_with_output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&o.stdout);
    if !o.status.success() {
        return Err(format!("child process failed: {text}"));
    }
    let w: Vec<&str> = text.split_whitespace().collect();
    Ok(w.chunks(2)
        .filter_map(|p| Some((p.first()?.to_string(), p.get(1)?.parse().ok()?)))
        .collect())
}

pub(crate) fn value(v: &[(String, f64)], name: &str) -> Result<f64, String> {
    v.iter()
        .find(|(n, _)| n == name)
        .map(|(_, x)| *x)
        .ok_or_else(|| format!("child did not report {name}"))
}
