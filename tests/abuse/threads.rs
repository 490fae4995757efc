use crate::common::{bound_endpoint, frames_of, text_arg, within};
use crate::serial;
use std::ffi::{c_char, c_void};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::igor::*;
use zeromq_xop::ffi::library::*;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;
use zeromq_xop::ffi::wave::*;

static DISPATCHED: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" fn busy_dispatch(
    _: *mut c_void,
    call: *const zeromq_call,
    reply: *mut zeromq_reply,
) {
    DISPATCHED.fetch_add(1, Ordering::Relaxed);
    let n = zeromq_call_param_count(call);
    let mut sum = 0.0;
    for i in 0..n {
        let mut v = 0.0;
        if zeromq_call_param_double(call, i, &mut v) == 0 {
            sum += v;
        }
    }
    zeromq_reply_variable(reply, sum);
    zeromq_reply_by_ref_string(reply, b"s".as_ptr() as *const c_char, 1);
}

static OUTPUT_LINES: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn counting_output(_: *mut c_void, _: *const c_char, _: usize) {
    OUTPUT_LINES.fetch_add(1, Ordering::Relaxed);
}

/// One random call of any exported function, with valid or invalid arguments.
unsafe fn random_call(rng: &mut u64, tag: usize, calls: &AtomicU64) {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    let r = *rng;
    let mut m = null_mut();
    let s = |t: &str| (t.as_ptr() as *const c_char, t.len());
    let req = "{\"version\":1,\"messageID\":\"m\",\"CallFunction\":{\"name\":\"Add\",\"params\":[1,2,\"3\"]}}";
    let ipc = format!("ipc:///tmp/zeromq-xop-abuse-{}-{}", std::process::id(), tag);
    let inproc = format!("inproc://abuse-{tag}");
    let tcp = "tcp://127.0.0.1:*";
    let endpoints = [
        tcp,
        tcp,
        tcp,
        tcp,
        tcp,
        ipc.as_str(),
        inproc.as_str(),
        "bad endpoint",
    ];
    let ep = endpoints[(r >> 8) as usize % endpoints.len()];
    let timeout = [0, 0, 1, 3][(r >> 12) as usize % 4];
    let op = (r % 40) as usize;
    let started = Instant::now();
    match op {
        0 => {
            let (p, l) = s(ep);
            zeromq_server_bind(p, l);
        }
        1 => {
            let (p, l) = s(ep);
            zeromq_pub_bind(p, l);
        }
        2 | 3 => {
            // Connect to whatever the server is bound to.
            let mut e = null_mut();
            if zeromq_endpoints(ZEROMQ_ROLE_SERVER, &mut e) == 0 {
                let f = frames_of(e);
                if let Some(ep) = f.first() {
                    zeromq_client_connect(ep.as_ptr() as *const c_char, ep.len());
                }
                zeromq_message_free(e);
            }
        }
        4 => {
            let mut e = null_mut();
            if zeromq_endpoints(ZEROMQ_ROLE_PUBLISHER, &mut e) == 0 {
                if let Some(ep) = frames_of(e).first() {
                    zeromq_sub_connect(ep.as_ptr() as *const c_char, ep.len());
                }
                zeromq_message_free(e);
            }
        }
        5..=8 => {
            let (p, l) = s(req);
            zeromq_client_send(p, l);
        }
        9 | 10 => {
            zeromq_client_recv(timeout, &mut m);
        }
        11 => {
            zeromq_server_recv(timeout, &mut m);
            if !m.is_null() {
                let f = frames_of(m);
                zeromq_server_send(
                    f[0].as_ptr() as *const c_char,
                    f[0].len(),
                    b"{}".as_ptr() as *const c_char,
                    2,
                );
            }
        }
        12 => {
            let (p, l) = s("topic");
            zeromq_pub_send(p, l, p, l);
        }
        13 => {
            let fr = [zeromq_frame {
                data: b"t".as_ptr() as *const c_void,
                len: 1,
            }; 3];
            zeromq_pub_send_multi(fr.as_ptr(), 3);
        }
        14 => {
            zeromq_sub_recv(timeout, &mut m);
        }
        15 => {
            zeromq_sub_recv_multi(timeout, &mut m);
        }
        16 => {
            let (p, l) = s(["", "topic", "heartbeat"][(r >> 16) as usize % 3]);
            zeromq_sub_add_filter(p, l);
        }
        17 => {
            let (p, l) = s(["", "topic", "heartbeat"][(r >> 16) as usize % 3]);
            zeromq_sub_remove_filter(p, l);
        }
        18 | 19 => {
            zeromq_handler_start();
        }
        20 => {
            zeromq_handler_stop();
        }
        21..=24 => {
            let mut n = 0;
            zeromq_handler_process(&mut n);
        }
        25 => {
            zeromq_handler_wait(timeout);
        }
        26 | 27 => {
            let (p, l) = s(req);
            zeromq_test_callfunction(p, l, &mut m);
        }
        28 => {
            if r >> 20 & 15 == 0 {
                zeromq_stop();
            }
        }
        29 => {
            zeromq_set(
                [
                    ZEROMQ_SET_FLAGS_DEBUG,
                    ZEROMQ_SET_FLAGS_DEFAULT,
                    ZEROMQ_SET_FLAGS_IPV6,
                    32,
                ][(r >> 16) as usize % 4],
            );
        }
        30 => {
            zeromq_flags();
        }
        31 => {
            let (p, l) = s(["{\"t\":1}", "[1]", "{\"ts\":1}"][(r >> 16) as usize % 3]);
            zeromq_set_logging_template(p, l);
        }
        32 => {
            zeromq_set_max_message_size([-1, 1024, 4096, -5][(r >> 16) as usize % 4]);
        }
        33 => {
            if r >> 20 & 7 == 0 {
                zeromq_set_dispatcher(
                    if r & (1 << 30) == 0 {
                        Some(busy_dispatch)
                    } else {
                        None
                    },
                    null_mut(),
                );
            }
        }
        34 => {
            for role in 0..4 {
                zeromq_endpoints(role, &mut m);
                zeromq_message_free(m);
                m = null_mut();
            }
        }
        35 => {
            let mut buf = [0 as c_char; 16];
            let mut len = 0;
            zeromq_last_error(buf.as_mut_ptr(), buf.len(), &mut len);
        }
        36 => {
            let (p, l) = s("ipc");
            zeromq_has(p, l);
            zeromq_library_version();
            zeromq_libzmq_version(null_mut(), null_mut(), null_mut());
        }
        37 => {
            let mut v = 0.0;
            let (p, l) = s("0x1.8p3");
            zeromq_igor_parse_double(p, l, &mut v);
            // Waves are per-thread objects: build, fill, serialize and free one.
            let mut w: *mut zeromq_wave = null_mut();
            let dims = [2u64, 3];
            if zeromq_wave_new(ZEROMQ_NT_FP64, dims.as_ptr(), 2, &mut w) == 0 {
                let data = [1.5f64; 6];
                zeromq_wave_set_data(w, data.as_ptr() as *const c_void, 48);
                zeromq_wave_set_note(w, p, l);
                zeromq_wave_serialize(w, &mut m);
                zeromq_wave_free(w);
            }
        }
        38 => {
            // Invalid arguments mixed in.
            zeromq_client_send(null(), 5);
            zeromq_server_send(null(), 0, null(), 0);
            zeromq_endpoints(9, &mut m);
        }
        _ => {
            let (p, l) = s("garbage");
            zeromq_client_send(p, l);
        }
    }
    zeromq_message_free(m);
    OP_NANOS[op].fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    calls.fetch_add(1, Ordering::Relaxed);
}

/// Time spent per kind of call in the eight-thread test, to see where it goes.
static OP_NANOS: [AtomicU64; 40] = [const { AtomicU64::new(0) }; 40];

#[test]
fn eight_threads_call_everything() {
    let _g = serial();
    let seconds: u64 = std::env::var("ZEROMQ_XOP_ABUSE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let calls = Arc::new(AtomicU64::new(0));
    let c2 = Arc::clone(&calls);
    let per_thread = within(
        Duration::from_secs(seconds + 60),
        "eight threads",
        move || unsafe {
            assert_eq!(zeromq_set_output(Some(counting_output), null_mut()), 0);
            assert_eq!(zeromq_set_dispatcher(Some(busy_dispatch), null_mut()), 0);
            let (lp, ll) = text_arg("/tmp/zeromq-xop-abuse.jsonl");
            assert_eq!(zeromq_set_log_path(lp, ll), 0);
            let end = Instant::now() + Duration::from_secs(seconds);
            let threads: Vec<_> = (0..8)
                .map(|t| {
                    let calls = Arc::clone(&c2);
                    std::thread::spawn(move || {
                        let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ ((t as u64 + 1) << 32);
                        let mut n = 0u64;
                        while Instant::now() < end {
                            random_call(&mut rng, t, &calls);
                            n += 1;
                        }
                        n
                    })
                })
                .collect();
            let counts: Vec<u64> = threads
                .into_iter()
                .map(|t| t.join().expect("a calling thread panicked"))
                .collect();
            // Still fully usable afterwards.
            assert_eq!(zeromq_stop(), 0);
            assert_eq!(zeromq_set_dispatcher(Some(busy_dispatch), null_mut()), 0);
            assert_eq!(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT), 0);
            let (ep, el) = text_arg("tcp://127.0.0.1:*");
            assert_eq!(zeromq_server_bind(ep, el), 0);
            assert_eq!(zeromq_handler_start(), 0);
            let endpoint = bound_endpoint(ZEROMQ_ROLE_SERVER);
            let (p, l) = text_arg(&endpoint);
            assert_eq!(zeromq_client_connect(p, l), 0);
            let (q, ql) = text_arg("{\"version\":1,\"messageID\":\"after\",\"CallFunction\":{\"name\":\"Add\",\"params\":[40,2]}}");
            assert_eq!(zeromq_client_send(q, ql), 0);
            let mut reply: *mut zeromq_message = null_mut();
            let stop_at = Instant::now() + Duration::from_secs(10);
            while reply.is_null() && Instant::now() < stop_at {
                zeromq_handler_wait(20);
                zeromq_handler_process(null_mut());
                assert_eq!(zeromq_client_recv(1, &mut reply), 0);
            }
            let text = String::from_utf8(frames_of(reply).remove(0)).unwrap();
            zeromq_message_free(reply);
            assert!(
                text.contains("\"after\"") && text.contains("\"value\": 42"),
                "{text}"
            );
            assert_eq!(zeromq_stop(), 0);
            assert_eq!(zeromq_set_output(None, null_mut()), 0);
            assert_eq!(zeromq_set_dispatcher(None, null_mut()), 0);
            counts
        },
    );
    let total: u64 = per_thread.iter().sum();
    println!(
        "8 threads x {seconds} s: {total} calls ({per_thread:?} per thread), {} dispatched, {} output lines",
        DISPATCHED.load(Ordering::Relaxed),
        OUTPUT_LINES.load(Ordering::Relaxed)
    );
    let mut slow: Vec<(u64, usize)> = OP_NANOS
        .iter()
        .enumerate()
        .map(|(i, n)| (n.load(Ordering::Relaxed) / 1_000_000, i))
        .collect();
    slow.sort_unstable_by(|a, b| b.cmp(a));
    println!("time per call kind (ms, kind): {:?}", &slow[..6]);
    assert_eq!(total, calls.load(Ordering::Relaxed));
    assert!(per_thread.iter().all(|&n| n > 0));
}

/// Lock-order check: starting and stopping the handler while other threads use the server
/// socket with input waiting on it.
#[test]
fn handler_start_races_server_use() {
    let _g = serial();
    within(
        Duration::from_secs(90),
        "handler start vs server use",
        || unsafe {
            let (ep, el) = text_arg("tcp://127.0.0.1:*");
            assert_eq!(zeromq_server_bind(ep, el), 0);
            let endpoint = bound_endpoint(ZEROMQ_ROLE_SERVER);
            let ctx = zmq::Context::new();
            let flood = ctx.socket(zmq::DEALER).unwrap();
            flood.set_linger(0).unwrap();
            flood.set_sndhwm(0).unwrap();
            flood.connect(&endpoint).unwrap();
            let done = Arc::new(AtomicBool::new(false));
            let d2 = Arc::clone(&done);
            let user = std::thread::spawn(move || {
                let mut m = null_mut();
                let mut n = 0u64;
                while !d2.load(Ordering::Relaxed) {
                    zeromq_server_send(
                        b"nobody".as_ptr() as *const c_char,
                        6,
                        b"x".as_ptr() as *const c_char,
                        1,
                    );
                    zeromq_server_recv(0, &mut m);
                    zeromq_message_free(m);
                    m = null_mut();
                    n += 1;
                }
                n
            });
            let end = Instant::now() + Duration::from_secs(3);
            let mut cycles = 0;
            while Instant::now() < end {
                for _ in 0..20 {
                    let _ = flood.send_multipart(
                        [
                            &b""[..],
                            b"{\"version\":1,\"CallFunction\":{\"name\":\"f\"}}",
                        ],
                        zmq::DONTWAIT,
                    );
                }
                assert_eq!(zeromq_handler_start(), 0);
                zeromq_handler_process(null_mut());
                assert_eq!(zeromq_handler_stop(), 0);
                cycles += 1;
            }
            done.store(true, Ordering::Relaxed);
            let n = user.join().unwrap();
            println!(
                "{cycles} handler start/stop cycles against {n} server calls from another thread"
            );
            assert_eq!(zeromq_stop(), 0);
        },
    );
}
