//! The subcommands of the `zeromq-xop` command.

pub mod call;
pub mod demo;
pub mod listen;
pub mod secure;
pub mod support;

pub use support::{check, take_frames};

/// The command's help text.
pub const USAGE: &str = "\
usage:
  zeromq-xop demo [ENDPOINT] [--pub ENDPOINT] [--exit-after SECONDS]
                  [--curve CERT] [--allow-keys DIR] [--allow ADDRS] [--deny ADDRS]
                  [--allow-functions NAMES]
      Serve the demo functions on ENDPOINT (default tcp://127.0.0.1:5670) and publish
      heartbeats and call events on --pub (default: the server port + 1). --curve turns on
      CURVE with a secret certificate file (pyzmq's NAME.key_secret); --allow-keys accepts only
      clients whose public certificates (*.key) are in DIR; --allow/--deny take comma-separated
      IP addresses or CIDR blocks; --allow-functions the functions clients may call.
  zeromq-xop call ENDPOINT FUNCTION [PARAM...] [--timeout MS] [--id MESSAGEID]
      Send one CallFunction request and print the reply. A PARAM that reads as a JSON number
      or true/false is sent as such; prefix it with str: to send it as a string.
  zeromq-xop listen ENDPOINT [FILTER...] [--count N] [--timeout MS]
      Subscribe (to everything when no FILTER is given) and print what is published.";

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
