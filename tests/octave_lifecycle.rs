//! Octave sessions that end the way careless users end them: `exit` (or the end of an
//! `--eval` script) while sockets are open, the message handler runs and traffic flows, with no
//! `zeromq_stop` first. Each scenario runs 10 times; every run must exit with status 0 and
//! print no crash, panic or emergency line. Peers are plain libzmq sockets of this test
//! process on 127.0.0.1 with ephemeral ports.

mod common;

use common::octave::{eval, Session};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Runs per scenario: crashes at exit were seen in 8 to 10 runs of 10.
const RUNS: usize = 10;
/// Longest time one session may take.
const LIMIT: Duration = Duration::from_secs(60);
/// A request Octave's handler answers (no such function: a 101 reply, but a reply).
const CALL: &str = r#"{"version":1,"CallFunction":{"name":"no_such_function_here"}}"#;

/// A libzmq socket of this process serving or feeding the Octave session on its own thread
/// until dropped.
struct Peer {
    endpoint: String,
    stop: Arc<AtomicBool>,
    count: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Peer {
    /// Runs `step` every millisecond (it returns how many messages it handled) on a socket of
    /// `kind` that binds (endpoint None) or connects.
    fn start(
        kind: zmq::SocketType,
        connect: Option<&str>,
        step: impl Fn(&zmq::Socket) -> usize + Send + 'static,
    ) -> Peer {
        let ctx = zmq::Context::new();
        let s = ctx.socket(kind).expect("socket");
        s.set_linger(0).expect("linger");
        let endpoint = match connect {
            Some(ep) => {
                s.connect(ep).expect("connect");
                ep.to_string()
            }
            None => {
                s.bind("tcp://127.0.0.1:*").expect("bind");
                s.get_last_endpoint().expect("endpoint").expect("utf-8")
            }
        };
        if kind == zmq::SUB {
            s.set_subscribe(b"").expect("subscribe");
        }
        let stop = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicUsize::new(0));
        let (stop2, count2) = (Arc::clone(&stop), Arc::clone(&count));
        let thread = std::thread::spawn(move || {
            let _ctx = ctx;
            while !stop2.load(Ordering::SeqCst) {
                count2.fetch_add(step(&s), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        Peer {
            endpoint,
            stop,
            count,
            thread: Some(thread),
        }
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Every message waiting on `s`, without blocking.
fn drain(s: &zmq::Socket) -> Vec<Vec<Vec<u8>>> {
    let mut all = Vec::new();
    while let Ok(m) = s.recv_multipart(zmq::DONTWAIT) {
        all.push(m);
    }
    all
}

/// A ROUTER answering every request with a small reply.
fn router_answering() -> Peer {
    Peer::start(zmq::ROUTER, None, |s| {
        let got = drain(s);
        for m in &got {
            let _ = s.send_multipart([&m[0][..], b"", b"{\"errorCode\":{\"value\":0}}"], 0);
        }
        got.len()
    })
}

/// A PUB sending a message every millisecond.
fn publisher() -> Peer {
    Peer::start(zmq::PUB, None, |s| {
        let _ = s.send_multipart([&b"data"[..], b"payload"], zmq::DONTWAIT);
        1
    })
}

/// A DEALER sending a request every millisecond to `endpoint`, counting replies.
fn caller(endpoint: &str) -> Peer {
    Peer::start(zmq::DEALER, Some(endpoint), |s| {
        let _ = s.send_multipart([&b""[..], CALL.as_bytes()], zmq::DONTWAIT);
        drain(s).len()
    })
}

/// A SUB receiving everything from `endpoint`, counting messages.
fn subscriber(endpoint: &str) -> Peer {
    Peer::start(zmq::SUB, Some(endpoint), |s| drain(s).len())
}

fn repeat(what: &str, f: impl Fn(usize)) {
    for run in 0..RUNS {
        eprintln!("{what}: run {}", run + 1);
        f(run);
    }
}

#[test]
fn exit_after_client_connect_without_a_server() {
    repeat("client, nobody listening", |_| {
        eval(
            "zeromq_client_connect('tcp://127.0.0.1:1'); disp('MARK-DONE'); exit",
            LIMIT,
        )
        .assert_clean("exit after zeromq_client_connect", "MARK-DONE");
    });
}

#[test]
fn exit_after_client_call_to_a_live_server() {
    repeat("client, live server", |_| {
        let server = router_answering();
        let script = format!(
            "zeromq_client_connect('{}'); zeromq_client_send('{CALL}'); \
             r = zeromq_client_recv(); zeromq_client_send('{CALL}'); \
             disp('MARK-DONE'); exit",
            server.endpoint
        );
        eval(&script, LIMIT).assert_clean("exit with a reply in flight", "MARK-DONE");
        assert!(server.count() >= 1, "the server got no request");
    });
}

#[test]
fn exit_after_sub_connect_without_a_publisher() {
    repeat("subscriber, nobody listening", |_| {
        eval(
            "zeromq_sub_connect('tcp://127.0.0.1:1'); zeromq_sub_add_filter(''); \
             disp('MARK-DONE'); exit",
            LIMIT,
        )
        .assert_clean("exit after zeromq_sub_connect", "MARK-DONE");
    });
}

#[test]
fn exit_while_receiving_from_a_live_publisher() {
    repeat("subscriber, live publisher", |_| {
        let publisher = publisher();
        let script = format!(
            "zeromq_sub_connect('{}'); zeromq_sub_add_filter(''); \
             for k = 1:20, [m, f] = zeromq_sub_recv(); end; \
             printf('MARK-GOT %s\\n', f); exit",
            publisher.endpoint
        );
        eval(&script, LIMIT).assert_clean("exit while messages arrive", "MARK-GOT data");
    });
}

/// Binds the session's server (and starts the handler when asked), returns its endpoint.
fn bind_server(session: &mut Session, handler: bool) -> String {
    session.send(&format!(
        "zeromq_server_bind('tcp://127.0.0.1:*'); {} e = zeromq_endpoints('server'); \
         printf('MARK-EP %s\\n', e{{1}});",
        if handler {
            "zeromq_handler_start();"
        } else {
            ""
        }
    ));
    session.value_after("MARK-EP", LIMIT)
}

#[test]
fn exit_with_a_bound_server_and_requests_arriving() {
    repeat("server without handler, live caller", |_| {
        let mut s = Session::piped();
        let ep = bind_server(&mut s, false);
        let _caller = caller(&ep);
        s.send("m = zeromq_server_recv(); printf('MARK-GOT %d\\n', numel(m)); exit");
        s.wait(LIMIT)
            .assert_clean("exit with requests arriving", "MARK-GOT");
    });
}

#[test]
fn exit_while_the_handler_serves_calls() {
    repeat("server with handler, live caller", |_| {
        let mut s = Session::piped();
        let ep = bind_server(&mut s, true);
        let caller = caller(&ep);
        s.send(
            "n = 0; while n == 0, n = zeromq_handler_process(1); end; disp('MARK-SERVED'); exit",
        );
        s.wait(LIMIT)
            .assert_clean("exit while calls arrive", "MARK-SERVED");
        assert!(caller.count() >= 1, "no call was answered");
    });
}

#[test]
fn exit_while_publishing_to_a_live_subscriber() {
    repeat("publisher, live subscriber", |_| {
        let mut s = Session::piped();
        s.send(
            "zeromq_pub_bind('tcp://127.0.0.1:*'); e = zeromq_endpoints('publisher'); \
             printf('MARK-EP %s\\n', e{1});",
        );
        let sub = subscriber(&s.value_after("MARK-EP", LIMIT));
        // The heartbeat (sent at once on a bind) may come before the subscription is made:
        // publish until the subscriber has something, then exit at once.
        s.send(
            "for k = 1:2000, zeromq_pub_send('data', 'x'); pause(0.002); end; \
             disp('MARK-DONE'); exit",
        );
        let ended = s.wait(LIMIT);
        ended.assert_clean("exit while publishing", "MARK-DONE");
        assert!(sub.count() >= 1, "the subscriber got nothing");
    });
}

/// At an interactive prompt (readline, the idle hook serving calls) the user types `exit`
/// while a client keeps calling and a subscriber listens.
#[cfg(unix)]
#[test]
fn exit_typed_at_the_prompt_while_serving() {
    repeat("interactive prompt, live caller", |_| {
        let mut s = Session::interactive();
        let ep = bind_server(&mut s, true);
        s.send(
            "zeromq_pub_bind('tcp://127.0.0.1:*'); e = zeromq_endpoints('publisher'); \
             printf('MARK-PUB %s\\n', e{1});",
        );
        let _sub = subscriber(&s.value_after("MARK-PUB", LIMIT));
        let caller = caller(&ep);
        // Calls are served by the idle hook while Octave waits at the prompt.
        let deadline = std::time::Instant::now() + LIMIT;
        while caller.count() < 5 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(caller.count() >= 5, "the prompt served no calls");
        s.send("disp('MARK-BYE'); exit");
        s.wait(LIMIT)
            .assert_clean("exit typed at the prompt", "MARK-BYE");
    });
}
