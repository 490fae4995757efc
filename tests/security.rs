//! Security end to end over loopback: CURVE on the server role with real libzmq clients (right
//! key, wrong server key, unlisted client key, no CURVE at all), address rules (a client bound
//! to source address 127.0.0.2), the allow list of functions, refusals in the log, the warning
//! for an open bind, and a ZAP thread that never keeps the context alive.

mod common;

use common::host_loop::HostLoop;

use serde_json::Value as J;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zeromq_xop::logging::Logger;
use zeromq_xop::manager::{Manager, Role, SET_FLAGS_DEBUG, SET_FLAGS_LOGGING};
use zeromq_xop::protocol::{Call, Reply, Value};
use zeromq_xop::security::keys;

/// How long a refused client waits for a reply that must not come.
const REFUSED_WAIT_MS: i32 = 1500;

struct Host {
    m: Arc<Manager>,
    host_loop: HostLoop,
    endpoint: String,
    log: std::path::PathBuf,
    output: Arc<Mutex<Vec<String>>>,
}

fn echo_dispatch(call: &Call, reply: &mut Reply) {
    reply.push(Value::String(
        format!("{} called", call.name()).into_bytes(),
    ));
}

impl Host {
    /// A host whose server role is prepared by `setup` before it binds `endpoint`.
    fn start(name: &str, endpoint: &str, setup: impl FnOnce(&Arc<Manager>)) -> Host {
        let dir = std::env::temp_dir().join(format!("zxop-sec-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let log = dir.join("Log.jsonl");
        let m = Manager::with_logger(Logger::new(log.clone()));
        m.set_flags(SET_FLAGS_LOGGING | SET_FLAGS_DEBUG).unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let out2 = output.clone();
        m.set_output(Some(Box::new(move |t: &str| {
            out2.lock().unwrap().push(t.to_string())
        })));
        m.handler.set_dispatcher(Some(Arc::new(echo_dispatch)));
        setup(&m);
        let endpoint = m.attach(Role::Server, endpoint.as_bytes()).unwrap();
        m.handler.start().unwrap();
        let host_loop = HostLoop::start(&m);
        Host {
            m,
            host_loop,
            endpoint,
            log,
            output,
        }
    }

    /// Wait (bounded) for a log line containing `text`.
    fn logged(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if std::fs::read_to_string(&self.log).is_ok_and(|s| s.contains(text)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn finish(self) {
        self.host_loop.finish();
        let m = self.m.clone();
        common::within(
            Duration::from_secs(10),
            "shutdown with the ZAP thread",
            move || {
                m.shutdown();
                assert!(!m.security.zap_running());
            },
        );
        if let Some(dir) = self.log.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

struct Curve<'a> {
    server_public: &'a str,
    public: &'a str,
    secret: &'a str,
}

/// A REQ client (optionally CURVE) that calls `name` and returns the reply's result value, or
/// `None` when nothing arrives within the bound.
fn call(ctx: &zmq::Context, ep: &str, curve: Option<&Curve<'_>>, name: &str) -> Option<J> {
    let s = ctx.socket(zmq::REQ).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(REFUSED_WAIT_MS).unwrap();
    if let Some(c) = curve {
        s.set_curve_serverkey(c.server_public.as_bytes()).unwrap();
        s.set_curve_publickey(c.public.as_bytes()).unwrap();
        s.set_curve_secretkey(c.secret.as_bytes()).unwrap();
    }
    s.connect(ep).unwrap();
    let req = serde_json::json!({"version": 1, "CallFunction": {"name": name, "params": []}});
    s.send(req.to_string().as_bytes(), 0).unwrap();
    match s.recv_string(0) {
        Ok(Ok(text)) => Some(serde_json::from_str(&text).unwrap()),
        Err(zmq::Error::EAGAIN) => None,
        other => panic!("unexpected receive result {other:?}"),
    }
}

fn curve_server(m: &Arc<Manager>, secret: &str) {
    m.set_role_option(Role::Server, 47, &1i32.to_ne_bytes())
        .unwrap();
    m.set_role_option(Role::Server, 49, secret.as_bytes())
        .unwrap();
}

#[test]
fn curve_clients_with_right_and_wrong_keys() {
    let (server_public, server_secret) = keys::keypair().unwrap();
    let (client_public, client_secret) = keys::keypair().unwrap();
    let (other_public, _) = keys::keypair().unwrap();
    let host = Host::start("curve", "tcp://127.0.0.1:*", |m| {
        curve_server(m, &server_secret)
    });
    let ctx = zmq::Context::new();
    let right = Curve {
        server_public: &server_public,
        public: &client_public,
        secret: &client_secret,
    };
    let wrong_server = Curve {
        server_public: &other_public,
        ..right
    };
    let v = call(&ctx, &host.endpoint, Some(&right), "f").expect("CURVE reply");
    assert_eq!(v["result"]["value"], "f called");
    assert!(call(&ctx, &host.endpoint, Some(&wrong_server), "f").is_none());
    assert!(call(&ctx, &host.endpoint, None, "f").is_none());
    // The server keeps serving.
    assert!(call(&ctx, &host.endpoint, Some(&right), "g").is_some());

    // Only listed client keys: this client's key is not on the list.
    host.m.auth_allow_key(other_public.as_bytes()).unwrap();
    assert!(host.m.security.zap_running());
    assert!(call(&ctx, &host.endpoint, Some(&right), "f").is_none());
    assert!(host.logged("is not allowed"), "refusal not logged");
    assert!(host.logged(&client_public));
    host.m.auth_allow_key(client_public.as_bytes()).unwrap();
    assert!(call(&ctx, &host.endpoint, Some(&right), "f").is_some());
    let out = host.output.lock().unwrap().join("\n");
    host.m.flush_output();
    assert!(
        host.output
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("refused a connection from 127.0.0.1")),
        "no debug line for the refusal: {out}"
    );
    host.finish();
}

#[test]
fn address_rules_on_loopback() {
    let host = Host::start("addr", "tcp://127.0.0.1:*", |_| {});
    let ctx = zmq::Context::new();
    let port = host.endpoint.rsplit(':').next().unwrap().to_string();
    let from_2 = format!("tcp://127.0.0.2:0;127.0.0.1:{port}");
    assert!(call(&ctx, &host.endpoint, None, "f").is_some());
    assert!(
        call(&ctx, &from_2, None, "f").is_some(),
        "source 127.0.0.2 not usable"
    );

    host.m.auth_deny(b"127.0.0.2").unwrap();
    assert!(call(&ctx, &from_2, None, "f").is_none());
    assert!(host.logged("address 127.0.0.2 is denied"));
    assert!(call(&ctx, &host.endpoint, None, "f").is_some());

    host.m.auth_reset();
    assert!(!host.m.security.zap_running());
    host.m.auth_allow(b"10.0.0.0/8").unwrap();
    assert!(call(&ctx, &host.endpoint, None, "f").is_none());
    assert!(host.logged("is not in the allowed addresses"));
    host.m.auth_allow(b"127.0.0.0/30").unwrap();
    assert!(call(&ctx, &host.endpoint, None, "f").is_some());

    let e = host.m.auth_allow(b"127.0.0.1/33").unwrap_err();
    assert_eq!(e.code, zeromq_xop::error::Code::InvalidAddress);
    host.finish();
}

#[test]
fn only_allowed_functions_reach_the_dispatcher() {
    let host = Host::start("calls", "tcp://127.0.0.1:*", |m| {
        m.security.allow_call(b"add")
    });
    let ctx = zmq::Context::new();
    let v = call(&ctx, &host.endpoint, None, "add").unwrap();
    assert_eq!(v["result"]["value"], "add called");
    let v = call(&ctx, &host.endpoint, None, "system").unwrap();
    assert_eq!(v["errorCode"]["value"], 101);
    assert!(host.logged("\"refused function\":\"system\""));
    host.m.security.reset_calls();
    let v = call(&ctx, &host.endpoint, None, "system").unwrap();
    assert_eq!(v["result"]["value"], "system called");
    host.finish();
}

#[test]
fn open_bind_warns_once_and_rules_silence_it() {
    let host = Host::start("warn", "tcp://0.0.0.0:*", |_| {});
    host.m.flush_output();
    let warnings = |h: &Host| {
        h.output
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("Warning:") && l.contains("without CURVE"))
            .count()
    };
    assert_eq!(warnings(&host), 1);
    host.m.auth_allow(b"127.0.0.1").unwrap();
    host.m.attach(Role::Publisher, b"tcp://0.0.0.0:*").unwrap();
    host.m.flush_output();
    assert_eq!(warnings(&host), 1);
    host.finish();
    let quiet = Host::start("quiet", "tcp://127.0.0.1:*", |_| {});
    quiet.m.flush_output();
    assert_eq!(warnings(&quiet), 0);
    quiet.finish();
}

#[test]
fn zap_thread_never_keeps_the_context_alive() {
    for _ in 0..5 {
        let m = Manager::with_logger(Logger::new(std::env::temp_dir().join("zxop-sec-x.jsonl")));
        m.auth_deny(b"192.0.2.0/24").unwrap();
        m.attach(Role::Server, b"tcp://127.0.0.1:*").unwrap();
        assert!(m.security.zap_running());
        // Dropping the last reference stops the thread and terminates the context.
        common::within(
            Duration::from_secs(10),
            "drop with a ZAP thread",
            move || {
                m.stop();
                drop(m)
            },
        );
    }
}

#[test]
fn rules_changing_under_connecting_clients() {
    let host = Host::start("churn", "tcp://127.0.0.1:*", |_| {});
    let ep = host.endpoint.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    // Clients connect, call and disconnect without pause while the rules change.
    let clients = std::thread::spawn(move || {
        let ctx = zmq::Context::new();
        let mut answered = 0;
        while !stop2.load(Ordering::SeqCst) {
            let s = ctx.socket(zmq::REQ).unwrap();
            s.set_linger(0).unwrap();
            s.set_rcvtimeo(200).unwrap();
            s.connect(&ep).unwrap();
            s.send(
                &br#"{"version":1,"CallFunction":{"name":"f","params":[]}}"#[..],
                0,
            )
            .unwrap();
            if s.recv_bytes(0).is_ok() {
                answered += 1;
            }
        }
        answered
    });
    let m = host.m.clone();
    common::within(
        Duration::from_secs(60),
        "rules changing 100 times",
        move || {
            for i in 0..100 {
                if i % 2 == 0 {
                    m.auth_deny(b"192.0.2.0/24").unwrap();
                } else {
                    m.auth_reset();
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        },
    );
    stop.store(true, Ordering::SeqCst);
    let answered = clients.join().unwrap();
    assert!(answered > 0, "no client was ever answered");
    // Afterwards the server still serves and the rules still work.
    let ctx = zmq::Context::new();
    assert!(call(&ctx, &host.endpoint, None, "f").is_some());
    host.m.auth_deny(b"127.0.0.1").unwrap();
    assert!(call(&ctx, &host.endpoint, None, "f").is_none());
    host.finish();
}
