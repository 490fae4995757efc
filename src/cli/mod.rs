//! The subcommands of the `zeromq-xop` command.

pub mod bench;
mod bench_arrays;
pub mod call;
pub mod demo;
pub mod demo_waves;
pub mod listen;

use zeromq_xop::ffi::library::zeromq_last_error;

/// The command's help text.
pub const USAGE: &str = "\
usage:
  zeromq-xop demo [ENDPOINT] [--pub ENDPOINT] [--exit-after SECONDS]
      Serve the demo functions on ENDPOINT (default tcp://127.0.0.1:5670) and publish
      heartbeats and call events on --pub (default: the server port + 1).
  zeromq-xop call ENDPOINT FUNCTION [PARAM...] [--timeout MS] [--id MESSAGEID]
      Send one CallFunction request and print the reply. A PARAM that reads as a JSON number
      or true/false is sent as such; prefix it with str: to send it as a string.
  zeromq-xop listen ENDPOINT [FILTER...] [--count N] [--timeout MS]
      Subscribe (to everything when no FILTER is given) and print what is published.
  zeromq-xop bench [--quick]
      Measure the library against raw libzmq and print a table of ratios.";

/// The calling thread's last library error text.
pub fn last_error() -> String {
    let mut buf = vec![0u8; 1024];
    let mut len = 0usize;
    // SAFETY: the buffer has the capacity given.
    unsafe { zeromq_last_error(buf.as_mut_ptr() as *mut _, buf.len(), &mut len) };
    buf.truncate(len.min(buf.len() - 1));
    String::from_utf8_lossy(&buf).into_owned()
}

/// Turn a status into a result with the library's error text.
pub fn check(what: &str, status: i32) -> Result<(), String> {
    if status == 0 {
        Ok(())
    } else {
        Err(format!(
            "{what} failed with error {status}: {}",
            last_error()
        ))
    }
}

/// Positional arguments and `(name, value)` options.
pub type Parsed = (Vec<String>, Vec<(String, String)>);

/// Split `--name value` options from positional arguments.
pub fn split_options(args: &[String], names: &[&str]) -> Result<Parsed, String> {
    let mut pos = Vec::new();
    let mut opts = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if names.contains(&a.as_str()) {
            let v = it.next().ok_or_else(|| format!("{a} needs a value"))?;
            opts.push((a.clone(), v.clone()));
        } else if a.starts_with("--") && a.len() > 2 && a.parse::<f64>().is_err() {
            return Err(format!("unknown option {a}"));
        } else {
            pos.push(a.clone());
        }
    }
    Ok((pos, opts))
}

/// The value of an option, parsed.
pub fn option<T: std::str::FromStr>(
    opts: &[(String, String)],
    name: &str,
    default: T,
) -> Result<T, String> {
    match opts.iter().rev().find(|(n, _)| n == name) {
        None => Ok(default),
        Some((_, v)) => v.parse().map_err(|_| format!("{name}: invalid value {v}")),
    }
}

/// Frames of an owned library message, copied out, and the message freed.
pub fn take_frames(msg: *mut zeromq_xop::ffi::message::zeromq_message) -> Vec<Vec<u8>> {
    use zeromq_xop::ffi::message::*;
    let mut frames = Vec::new();
    // SAFETY: msg came from the library and is freed exactly once here.
    unsafe {
        for i in 0..zeromq_message_frame_count(msg) {
            let mut p = std::ptr::null();
            let mut n = 0usize;
            if zeromq_message_frame(msg, i, &mut p, &mut n) == 0 {
                frames.push(if n == 0 {
                    Vec::new()
                } else {
                    std::slice::from_raw_parts(p, n).to_vec()
                });
            }
        }
        zeromq_message_free(msg);
    }
    frames
}
