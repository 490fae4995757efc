//! pyzmq clients with CURVE against the `zeromq-xop demo` host: certificates made by pyzmq's
//! `zmq.auth.create_certificates` (the host reads them), a certificate the library writes
//! (pyzmq reads it), REQ/DEALER/SUB with the right keys, a wrong server key, an unlisted client
//! key, no CURVE, a denied source address and a function outside the allow list. Needs python3
//! with pyzmq (`scripts/install-deps.sh`).

use std::ffi::c_char;
use std::process::{Command, Stdio};
use zeromq_xop::ffi::security::zeromq_curve_cert_create;

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/python/test_security_clients.py"
);

fn python(args: &[&str]) -> String {
    let out = Command::new("timeout")
        .args(["100", "python3", SCRIPT])
        .args(args)
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "python3 {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn two_free_ports() -> (u16, u16) {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    (
        a.local_addr().unwrap().port(),
        b.local_addr().unwrap().port(),
    )
}

#[test]
fn pyzmq_curve_clients_and_certificates() {
    let dir = std::env::temp_dir().join(format!("zxop-pysec-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let base = dir.to_str().unwrap().to_string();
    python(&["make", &base]);

    // A certificate written by the library, for pyzmq to read.
    let ours = dir.join("ours");
    std::fs::create_dir_all(&ours).unwrap();
    let ours_s = ours.to_str().unwrap();
    let mut public = [0 as c_char; 41];
    let rc = unsafe {
        zeromq_curve_cert_create(
            ours_s.as_ptr() as *const c_char,
            ours_s.len(),
            b"host".as_ptr() as *const c_char,
            4,
            public.as_mut_ptr(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, 0);
    let public: String = public[..40].iter().map(|&c| c as u8 as char).collect();

    let (p1, p2) = two_free_ports();
    let server = format!("tcp://127.0.0.1:{p1}");
    let publish = format!("tcp://127.0.0.1:{p2}");
    let mut host = Command::new(env!("CARGO_BIN_EXE_zeromq-xop"))
        .args(["demo", &server, "--pub", &publish, "--exit-after", "120"])
        .args(["--curve", &format!("{base}/server.key_secret")])
        .args(["--allow-keys", &format!("{base}/clients")])
        .args(["--deny", "127.0.0.2"])
        .args(["--allow-functions", "add,greet"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the demo host");
    // No wait for the host: the first client's request waits (bounded) until it is served.
    let our_cert = format!("{ours_s}/host.key_secret");
    let result = std::panic::catch_unwind(|| {
        python(&["check", &server, &publish, &base, &our_cert, &public])
    });
    let _ = host.kill();
    let _ = host.wait();
    let stdout = result.unwrap();
    println!("{stdout}");
    assert!(stdout.contains("checks passed"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}
