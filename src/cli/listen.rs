//! `zeromq-xop listen`: subscribe and print what a publisher sends.

use super::{check, option, split_options, take_frames};
use std::ffi::c_char;
use std::time::Instant;
use zeromq_xop::ffi::socket::*;

fn show(frame: &[u8]) -> String {
    match std::str::from_utf8(frame) {
        Ok(s) if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => s.to_string(),
        _ => format!("<{} bytes>", frame.len()),
    }
}

/// Run the command.
pub fn run(args: &[String]) -> i32 {
    match listen(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("zeromq-xop listen: {e}");
            2
        }
    }
}

fn listen(args: &[String]) -> Result<(), String> {
    let (pos, opts) = split_options(args, &["--count", "--timeout"])?;
    let ep = pos
        .first()
        .ok_or_else(|| format!("needs ENDPOINT\n{}", super::USAGE))?;
    let count: u64 = option(&opts, "--count", 0)?;
    let timeout: i64 = option(&opts, "--timeout", -1)?;
    let filters: Vec<String> = if pos.len() > 1 {
        pos[1..].to_vec()
    } else {
        vec![String::new()]
    };
    // SAFETY: plain calls with valid pointers.
    unsafe {
        check(
            "zeromq_sub_connect",
            zeromq_sub_connect(ep.as_ptr() as *const c_char, ep.len()),
        )?;
        for f in &filters {
            check(
                "zeromq_sub_add_filter",
                zeromq_sub_add_filter(f.as_ptr() as *const c_char, f.len()),
            )?;
        }
    }
    let started = Instant::now();
    let mut seen = 0u64;
    loop {
        let wait = if timeout < 0 {
            1000
        } else {
            let left = timeout - started.elapsed().as_millis() as i64;
            if left <= 0 {
                break;
            }
            left.min(1000) as i32
        };
        let mut msg = std::ptr::null_mut();
        // SAFETY: valid out pointer.
        check("zeromq_sub_recv_multi", unsafe {
            zeromq_sub_recv_multi(wait, &mut msg)
        })?;
        if msg.is_null() {
            continue;
        }
        let frames = take_frames(msg);
        let rest: Vec<String> = frames[1..].iter().map(|f| show(f)).collect();
        println!("{}: {}", show(&frames[0]), rest.join(" | "));
        seen += 1;
        if count > 0 && seen >= count {
            break;
        }
    }
    zeromq_stop();
    if count > 0 && seen < count {
        return Err(format!(
            "received {seen} of {count} messages before the timeout"
        ));
    }
    Ok(())
}
