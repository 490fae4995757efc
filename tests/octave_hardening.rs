//! Hostile and careless use of the MATLAB/Octave gateway in a real Octave, with pyzmq clients
//! (`tests/python/req_client.py`): remote functions that call `exit`, `quit` or
//! `zeromq_stop`, requests over the size limit, subscription filters at and over the length
//! limit, the heartbeat setting.

mod common;

use common::octave::{crate_dir, eval, python, Session};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

/// A folder of remote functions for the session (created once per test binary).
fn functions_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zeromq-xop-octave-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, args, body) in [
        ("remote_exit", "", "exit(0);"),
        ("remote_quit", "", "quit(3);"),
        ("remote_stop", "", "zeromq_stop(); r = 42;"),
        ("remote_len", "x", "r = numel(x);"),
    ] {
        std::fs::write(
            dir.join(format!("{name}.m")),
            format!("function r = {name}({args})\n  r = 0;\n  {body}\nend\n"),
        )
        .expect("write function");
    }
    dir
}

/// A session serving remote calls, with the remote functions on its path; returns it and
/// the server's endpoint.
fn serving(interactive: bool) -> (Session, String) {
    let mut s = if interactive {
        Session::interactive()
    } else {
        Session::piped()
    };
    s.send(&format!(
        "addpath('{}'); zeromq_server_bind('tcp://127.0.0.1:*'); zeromq_handler_start(); \
         e = zeromq_endpoints('server'); printf('MARK-EP %s\\n', e{{1}});",
        functions_dir().display()
    ));
    let ep = s.value_after("MARK-EP", LIMIT);
    (s, ep)
}

/// Calls `function` with the pyzmq REQ client; returns its output line and exit status.
fn pyzmq_call(endpoint: &str, function: &str, extra: &[&str]) -> (String, bool) {
    let out = Command::new(python())
        .arg(crate_dir().join("tests/python/req_client.py"))
        .args([endpoint, function])
        .args(extra)
        .output()
        .expect("python3 runs");
    (
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        out.status.success(),
    )
}

/// `exit` and `quit` inside a remote function, at the prompt (idle hook) and in a script
/// (zeromq_handler_process): the client gets a 107 reply saying so, the session ends with
/// the status the function asked for, without a core dump.
#[test]
fn remote_exit_and_quit_answer_then_end_the_session() {
    for interactive in [true, false] {
        for (function, status) in [("remote_exit", 0), ("remote_quit", 3)] {
            for _ in 0..3 {
                let (mut s, ep) = serving(interactive);
                if !interactive {
                    s.send("while true, zeromq_handler_process(1); end");
                }
                let (reply, ok) = pyzmq_call(&ep, function, &[]);
                assert!(ok, "{function}: no reply");
                assert!(
                    reply.contains("\"value\": 107") && reply.contains("ended the session"),
                    "{function}: {reply}"
                );
                let ended = s.wait(LIMIT);
                assert_eq!(
                    ended.status.and_then(|s| s.code()),
                    Some(status),
                    "{function} (interactive: {interactive}): {:?}\n{}",
                    ended.status,
                    ended.output
                );
                for bad in ["panic", "Emergency", "Segmentation", "core dumped", "abort"] {
                    assert!(!ended.output.contains(bad), "{bad}:\n{}", ended.output);
                }
            }
        }
    }
}

/// `zeromq_stop` inside a remote function: the call is answered (through the socket it
/// closed), nothing raw is printed, and the session goes on.
#[test]
fn remote_zeromq_stop_is_answered() {
    for interactive in [true, false] {
        let (mut s, ep) = serving(interactive);
        if !interactive {
            s.send("n = 0; while n == 0, n = zeromq_handler_process(1); end");
        }
        let (reply, ok) = pyzmq_call(&ep, "remote_stop", &[]);
        assert!(ok && reply.contains("42"), "remote_stop: {reply}");
        // Everything is closed: a new bind works and the session is alive.
        s.send(
            "zeromq_server_bind('tcp://127.0.0.1:*'); e = zeromq_endpoints('server'); \
             printf('MARK-AGAIN %d\\n', numel(e)); exit",
        );
        s.wait(LIMIT)
            .assert_clean("after a remote zeromq_stop", "MARK-AGAIN 1");
    }
}

/// Filters over the limit are refused with zeromq:FILTER_TOO_LONG; one at the limit can be
/// added, removed, added again, closed by zeromq_stop and left open at exit.
#[test]
fn filter_length_limit_in_octave() {
    let script = "\
        try, zeromq_sub_add_filter(repmat('a', 1, 200000)); disp('MARK-ACCEPTED'); \
        catch err, printf('MARK-REFUSED %s\\n', err.identifier); end; \
        try, zeromq_sub_add_filter(repmat('a', 1, 1025)); disp('MARK-ACCEPTED'); \
        catch err, printf('MARK-REFUSED %s\\n', err.identifier); end; \
        f = repmat('a', 1, 1024); zeromq_sub_add_filter(f); zeromq_sub_remove_filter(f); \
        zeromq_sub_add_filter(f); zeromq_stop(); zeromq_sub_add_filter(f); \
        zeromq_sub_connect('tcp://127.0.0.1:1'); disp('MARK-DONE'); exit";
    for _ in 0..3 {
        let ended = eval(script, LIMIT);
        ended.assert_clean("a filter at the limit, exit without cleanup", "MARK-DONE");
        let refused = ended
            .output
            .matches("MARK-REFUSED zeromq:FILTER_TOO_LONG")
            .count();
        assert_eq!(refused, 2, "{}", ended.output);
        assert!(!ended.output.contains("MARK-ACCEPTED"), "{}", ended.output);
    }
}

/// With the heartbeat off a subscriber to "" sees only the session's messages; a custom
/// topic and period arrive; bad arguments raise zeromq:INVALID_ARG.
#[test]
fn heartbeat_setting_in_octave() {
    let mut s = Session::piped();
    s.send(
        "try, zeromq_set_heartbeat('heartbeat', -1); catch err, \
         printf('MARK-NEG %s\\n', err.identifier); end; \
         try, zeromq_set_heartbeat(repmat('h', 1, 1025), 10); catch err, \
         printf('MARK-LONG %s\\n', err.identifier); end; \
         zeromq_set_heartbeat('alive', 50); zeromq_pub_bind('tcp://127.0.0.1:*'); \
         e = zeromq_endpoints('publisher'); printf('MARK-EP %s\\n', e{1});",
    );
    assert!(s
        .line_with("MARK-NEG", LIMIT)
        .contains("zeromq:INVALID_ARG"));
    assert!(s
        .line_with("MARK-LONG", LIMIT)
        .contains("zeromq:INVALID_ARG"));
    let ep = s.value_after("MARK-EP", LIMIT);
    let ctx = zmq::Context::new();
    let sub = ctx.socket(zmq::SUB).expect("socket");
    sub.set_linger(0).expect("linger");
    sub.set_subscribe(b"").expect("subscribe");
    sub.connect(&ep).expect("connect");
    let topics_for = |d: Duration| {
        let mut topics = Vec::new();
        let end = Instant::now() + d;
        while Instant::now() < end {
            if sub.poll(zmq::POLLIN, 20).unwrap_or(0) > 0 {
                let m = sub.recv_multipart(0).expect("receive");
                topics.push(String::from_utf8_lossy(&m[0]).into_owned());
            }
        }
        topics
    };
    let beats = topics_for(Duration::from_millis(1000));
    assert!(
        beats.iter().filter(|t| *t == "alive").count() >= 5,
        "{beats:?}"
    );
    // Off, kept across zeromq_stop: only the session's own messages arrive.
    s.send(
        "zeromq_set_heartbeat('heartbeat', 0); zeromq_stop(); \
         zeromq_pub_bind(e{1}); disp('MARK-REBOUND'); \
         for k = 1:400, zeromq_pub_send('data', 'x'); pause(0.005); end; \
         disp('MARK-DONE'); exit",
    );
    s.line_with("MARK-REBOUND", LIMIT);
    // Heartbeats sent before the change may still be queued: look from the first message
    // published after it.
    let topics = topics_for(Duration::from_millis(1500));
    let first = topics
        .iter()
        .position(|t| t == "data")
        .expect("nothing arrived");
    assert!(topics[first..].iter().all(|t| t == "data"), "{topics:?}");
    assert!(topics.len() - first > 50, "{topics:?}");
    s.wait(LIMIT).assert_clean("heartbeat off", "MARK-DONE");
}

/// A pyzmq REQ client sending more than the 1 KiB default gets a reply it can read (code
/// 8, both sizes named); a limit raised on the bound server takes effect at once.
#[test]
fn oversized_request_is_answered_in_octave() {
    let (mut s, ep) = serving(true);
    let (reply, ok) = pyzmq_call(&ep, "remote_len", &["--pad", "5000"]);
    assert!(ok, "no reply: {reply}");
    assert!(
        reply.contains("\"value\": 8") && reply.contains("1024"),
        "{reply}"
    );
    s.send("zeromq_set_max_message_size(10000); disp('MARK-RAISED');");
    s.line_with("MARK-RAISED", LIMIT);
    let (reply, ok) = pyzmq_call(&ep, "remote_len", &["--pad", "5000"]);
    assert!(ok && reply.contains("5000"), "{reply}");
    s.send("disp('MARK-BYE'); exit");
    s.wait(LIMIT).assert_clean("oversized requests", "MARK-BYE");
}
