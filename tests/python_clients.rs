//! pyzmq clients (REQ, pipelining DEALER, 20 concurrent DEALERs, a SUB) against the
//! `zeromq-xop demo` host process. Needs python3 with pyzmq and numpy
//! (`scripts/install-deps.sh`).

use std::process::{Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    // Two consecutive free ports: the server and the publisher (server + 1).
    for _ in 0..50 {
        let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let p = a.local_addr().unwrap().port();
        if p < 65000 && std::net::TcpListener::bind(("127.0.0.1", p + 1)).is_ok() {
            return p;
        }
    }
    panic!("no free port pair");
}

#[test]
fn pyzmq_clients_against_the_demo_host() {
    let port = free_port();
    let server = format!("tcp://127.0.0.1:{port}");
    let publish = format!("tcp://127.0.0.1:{}", port + 1);
    let mut host = Command::new(env!("CARGO_BIN_EXE_zeromq-xop"))
        .args(["demo", &server, "--exit-after", "120"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the demo host");
    std::thread::sleep(Duration::from_millis(300));
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/test_demo_clients.py"
    );
    let out = Command::new("timeout")
        .args(["100", "python3", script, &server, &publish])
        .output()
        .expect("run python3");
    let _ = host.kill();
    let _ = host.wait();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "python clients failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
}
