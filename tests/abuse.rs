//! Abuse of the C ABI: every exported function with NULL pointers, NULL with a length, lengths
//! that cannot be real, out-of-range indexes and roles, handles from the wrong place, calls in
//! the wrong order, re-entrant calls from callbacks, and eight threads calling everything at
//! once. Nothing may crash, hang or report success for nonsense.
//!
//! The functions are called through their `extern "C"` definitions, exactly as a C host calls
//! them. They share the library's global state, so the tests in this file (one process) run one
//! at a time behind [`serial`]; every test ends with `zeromq_stop`. Every potentially blocking
//! step runs under a watchdog ([`within`]) so a deadlock fails the test instead of hanging it.
//!
//! Environment: `ZEROMQ_XOP_ABUSE_SECONDS` sets how long the eight threads run (default 4).

mod common;
use common::{frames_of, last_error, within};
use std::ffi::{c_char, c_void};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::igor::*;
use zeromq_xop::ffi::library::*;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;

const INVALID: i32 = ZEROMQ_ERR_INVALID_ARG;
/// Lengths no buffer can have (more than `isize::MAX` bytes).
const HUGE: [usize; 3] = [usize::MAX, isize::MAX as usize + 1, usize::MAX / 2 + 7];

fn serial() -> MutexGuard<'static, ()> {
    let g = common::serial("abuse");
    // A clean start whatever the previous test left behind.
    unsafe {
        zeromq_stop();
        zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT);
        zeromq_set_max_message_size(1024);
        zeromq_set_dispatcher(None, null_mut());
        zeromq_set_output(None, null_mut());
    }
    g
}

fn c(s: &str) -> (*const c_char, usize) {
    (s.as_ptr() as *const c_char, s.len())
}

/// A non-NULL pointer to a real byte, for calls with impossible lengths: the library must
/// refuse the length without reading.
fn one_byte() -> *const c_char {
    static B: u8 = b'x';
    &B as *const u8 as *const c_char
}

fn bound_endpoint(role: i32) -> String {
    let mut m = null_mut();
    assert_eq!(unsafe { zeromq_endpoints(role, &mut m) }, 0);
    let f = frames_of(m);
    unsafe { zeromq_message_free(m) };
    String::from_utf8(f.last().expect("an endpoint").clone()).unwrap()
}

#[test]
fn null_pointers_and_impossible_lengths() {
    let _g = serial();
    within(Duration::from_secs(60), "NULL/length abuse", || unsafe {
        // Every (ptr, len) input: NULL with a length, and real pointers with impossible lengths.
        type In = unsafe extern "C" fn(*const c_char, usize) -> i32;
        let inputs: [(&str, In); 10] = [
            ("zeromq_set_logging_template", zeromq_set_logging_template),
            ("zeromq_set_log_path", zeromq_set_log_path),
            ("zeromq_server_bind", zeromq_server_bind),
            ("zeromq_client_connect", zeromq_client_connect),
            ("zeromq_pub_bind", zeromq_pub_bind),
            ("zeromq_sub_connect", zeromq_sub_connect),
            ("zeromq_client_send", zeromq_client_send),
            ("zeromq_sub_add_filter", zeromq_sub_add_filter),
            ("zeromq_sub_remove_filter", zeromq_sub_remove_filter),
            ("zeromq_has", zeromq_has),
        ];
        for (name, f) in inputs {
            let want = if name == "zeromq_has" { 0 } else { INVALID };
            assert_eq!(f(null(), 1), want, "{name}(NULL, 1)");
            assert_eq!(f(null(), usize::MAX), want, "{name}(NULL, SIZE_MAX)");
            for huge in HUGE {
                assert_eq!(f(one_byte(), huge), want, "{name}(ptr, {huge})");
            }
            if name != "zeromq_has" {
                assert!(!last_error().is_empty(), "{name}: no detail text");
            }
        }
        // NULL with length 0 is the empty string: valid input, refused on its merits.
        assert_eq!(
            zeromq_set_logging_template(null(), 0),
            ZEROMQ_ERR_INVALID_LOGGING_TEMPLATE
        );
        for f in [
            zeromq_server_bind as In,
            zeromq_client_connect,
            zeromq_pub_bind,
            zeromq_sub_connect,
            zeromq_set_log_path,
        ] {
            assert_eq!(f(null(), 0), INVALID);
        }
        assert_eq!(zeromq_has(null(), 0), 0);
        assert_eq!(
            zeromq_sub_remove_filter(null(), 0),
            0,
            "the empty filter removes all"
        );

        // Two (ptr, len) pairs.
        type In2 = unsafe extern "C" fn(*const c_char, usize, *const c_char, usize) -> i32;
        for (name, f) in [
            ("zeromq_server_send", zeromq_server_send as In2),
            ("zeromq_pub_send", zeromq_pub_send),
        ] {
            let (p, l) = c("abc");
            assert_eq!(f(null(), 3, p, l), INVALID, "{name}");
            assert_eq!(f(p, l, null(), 3), INVALID, "{name}");
            for huge in HUGE {
                assert_eq!(f(one_byte(), huge, p, l), INVALID, "{name}");
                assert_eq!(f(p, l, one_byte(), huge), INVALID, "{name}");
            }
        }
        assert_eq!(
            zeromq_server_send(null(), 0, null(), 0),
            INVALID,
            "empty identity"
        );

        // Frame lists.
        assert_eq!(zeromq_pub_send_multi(null(), 2), INVALID);
        assert_eq!(zeromq_pub_send_multi(null(), usize::MAX), INVALID);
        let ok = zeromq_frame {
            data: b"t".as_ptr() as *const c_void,
            len: 1,
        };
        let frames = [
            ok,
            zeromq_frame {
                data: null(),
                len: 5,
            },
        ];
        assert_eq!(zeromq_pub_send_multi(frames.as_ptr(), 2), INVALID);
        let frames = [
            ok,
            zeromq_frame {
                data: one_byte() as *const c_void,
                len: usize::MAX,
            },
        ];
        assert_eq!(zeromq_pub_send_multi(frames.as_ptr(), 2), INVALID);
        assert_eq!(zeromq_pub_send_multi([ok].as_ptr(), 1), INVALID);
        assert_eq!(zeromq_pub_send_multi([ok].as_ptr(), 0), INVALID);
        for huge in [usize::MAX, usize::MAX / 16 + 1, isize::MAX as usize] {
            assert_eq!(
                zeromq_pub_send_multi([ok, ok].as_ptr(), huge),
                INVALID,
                "count {huge}"
            );
        }

        // Out pointers.
        type Recv = unsafe extern "C" fn(i32, *mut *mut zeromq_message) -> i32;
        for f in [
            zeromq_server_recv as Recv,
            zeromq_client_recv,
            zeromq_sub_recv,
            zeromq_sub_recv_multi,
        ] {
            assert_eq!(f(0, null_mut()), INVALID);
        }
        assert_eq!(zeromq_endpoints(0, null_mut()), INVALID);
        let mut m = null_mut();
        for role in [-1, 4, i32::MIN, i32::MAX] {
            assert_eq!(zeromq_endpoints(role, &mut m), INVALID, "role {role}");
            assert!(m.is_null(), "out written on failure");
        }
        let (p, l) = c("{}");
        assert_eq!(zeromq_test_callfunction(p, l, null_mut()), INVALID);
        assert_eq!(zeromq_test_callfunction(null(), 2, &mut m), INVALID);
        assert_eq!(
            zeromq_test_callfunction(one_byte(), usize::MAX, &mut m),
            INVALID
        );
        assert!(m.is_null());
        // (NULL, 0) is the empty request: answered with REQ_INVALID_JSON_OBJECT.
        assert_eq!(zeromq_test_callfunction(null(), 0, &mut m), 0);
        let reply = String::from_utf8(frames_of(m).remove(0)).unwrap();
        zeromq_message_free(m);
        assert!(reply.contains("\"value\": 3"), "{reply}");

        // Messages: NULL handle, NULL outs, out-of-range frames, free(NULL).
        assert_eq!(zeromq_message_frame_count(null()), 0);
        let (mut d, mut l) = (null(), 0usize);
        assert_eq!(zeromq_message_frame(null(), 0, &mut d, &mut l), INVALID);
        zeromq_message_free(null_mut());
        zeromq_message_free(null_mut());
        assert_eq!(zeromq_endpoints(ZEROMQ_ROLE_SERVER, &mut m), 0);
        assert_eq!(zeromq_message_frame_count(m), 0);
        for index in [0, 1, usize::MAX] {
            assert_eq!(zeromq_message_frame(m, index, &mut d, &mut l), INVALID);
        }
        zeromq_message_free(m);
        let (p, l2) = c("{\"version\":1,\"CallFunction\":{\"name\":\"f\"}}");
        assert_eq!(zeromq_test_callfunction(p, l2, &mut m), 0);
        assert_eq!(zeromq_message_frame(m, 0, null_mut(), &mut l), INVALID);
        assert_eq!(zeromq_message_frame(m, 0, &mut d, null_mut()), INVALID);
        assert_eq!(zeromq_message_frame(m, 0, &mut d, &mut l), 0);
        assert!(l > 0);
        zeromq_message_free(m);

        // The last-error copy.
        assert_eq!(zeromq_last_error(null_mut(), 1, null_mut()), INVALID);
        assert_eq!(
            zeromq_last_error(null_mut(), usize::MAX, null_mut()),
            INVALID
        );
        assert_eq!(zeromq_last_error(null_mut(), 0, null_mut()), 0);
        let mut len = 0usize;
        assert_eq!(zeromq_last_error(null_mut(), 0, &mut len), 0);
        assert!(len > 0);
        let mut one = [0x55 as c_char; 1];
        assert_eq!(zeromq_last_error(one.as_mut_ptr(), 1, null_mut()), 0);
        assert_eq!(one[0], 0, "a 1-byte buffer gets just the terminator");
        let mut small = [0x55 as c_char; 4];
        assert_eq!(zeromq_last_error(small.as_mut_ptr(), 4, &mut len), 0);
        assert_eq!(small[3], 0);

        // Library facts with NULL outs.
        zeromq_libzmq_version(null_mut(), null_mut(), null_mut());
        let mut major = 0;
        zeromq_libzmq_version(&mut major, null_mut(), null_mut());
        assert!(major >= 4);
        assert!(!zeromq_library_version().is_null());
        for cap in ["", "ipc\0", "no such capability", "\u{ff}"] {
            let (p, l) = c(cap);
            assert_eq!(zeromq_has(p, l), 0, "{cap:?}");
        }

        // Settings with values out of range.
        for flags in [0, -1, i32::MIN, 32, 64, 1 << 30] {
            assert_eq!(
                zeromq_set(flags),
                ZEROMQ_ERR_UNKNOWN_SET_FLAG,
                "flags {flags}"
            );
        }
        for size in [-2, i64::MIN] {
            assert_eq!(zeromq_set_max_message_size(size), INVALID);
        }
        assert_eq!(zeromq_set_max_message_size(i64::MAX), 0);
        assert_eq!(zeromq_set_max_message_size(1024), 0);

        // Calls and replies: NULL handles and NULL outs (outside a dispatch).
        let (mut name, mut nl) = (null(), 0usize);
        assert_eq!(zeromq_call_name(null(), &mut name, &mut nl), INVALID);
        assert_eq!(zeromq_call_param_count(null()), 0);
        let (mut kind, mut text, mut tl) = (0, null(), 0usize);
        assert_eq!(
            zeromq_call_param(null(), 0, &mut kind, &mut text, &mut tl),
            INVALID
        );
        let mut v = 0.0;
        assert_eq!(zeromq_call_param_double(null(), 0, &mut v), INVALID);
        let r: *mut zeromq_reply = null_mut();
        assert_eq!(zeromq_reply_error(r, 101, null(), 0), INVALID);
        assert_eq!(zeromq_reply_multiple(r), INVALID);
        assert_eq!(zeromq_reply_variable(r, 1.0), INVALID);
        assert_eq!(zeromq_reply_string(r, null(), 0), INVALID);
        assert_eq!(zeromq_reply_string(r, null(), 5), INVALID);
        assert_eq!(zeromq_reply_dfref(r, one_byte(), usize::MAX), INVALID);
        assert_eq!(zeromq_reply_wave(r, null_mut()), INVALID);
        assert_eq!(zeromq_reply_by_ref_variable(r, f64::NAN), INVALID);
        assert_eq!(zeromq_reply_by_ref_string(r, null(), 1), INVALID);
        assert_eq!(zeromq_reply_by_ref_dfref(r, null(), 0), INVALID);

        // Igor helpers.
        let mut sig = std::mem::zeroed::<zeromq_igor_signature>();
        assert_eq!(
            zeromq_igor_check_call(0, 4, null(), 3, 3, null(), 0, &mut sig),
            INVALID
        );
        assert_eq!(
            zeromq_igor_check_call(0, 4, null(), 0, 0, null(), 2, &mut sig),
            INVALID
        );
        assert_eq!(
            zeromq_igor_check_call(0, 4, null(), 0, 0, null(), usize::MAX, &mut sig),
            INVALID
        );
        let bad_text = [zeromq_igor_text {
            data: null(),
            len: 3,
        }];
        assert_eq!(
            zeromq_igor_check_call(0, 4, null(), 0, 0, bad_text.as_ptr(), 1, &mut sig),
            INVALID
        );
        let huge_text = [zeromq_igor_text {
            data: one_byte(),
            len: usize::MAX,
        }];
        assert_eq!(
            zeromq_igor_check_call(0, 4, null(), 0, 0, huge_text.as_ptr(), 1, &mut sig),
            INVALID
        );
        let _ = zeromq_igor_check_call(0, 4, null(), 0, 0, null(), 0, null_mut());
        for t in [i32::MIN, -1, 0, 0x4000, 0x7fff_ffff] {
            let _ = zeromq_igor_param_kind(t);
            let _ = zeromq_igor_return_kind(t);
        }
        assert_eq!(zeromq_igor_parse_double(null(), 1, &mut v), INVALID);
        assert_eq!(
            zeromq_igor_parse_double(one_byte(), usize::MAX, &mut v),
            INVALID
        );
        let (p, l) = c("1.5");
        assert_eq!(zeromq_igor_parse_double(p, l, null_mut()), INVALID);
        let (mut off, mut ol) = (0usize, 0usize);
        assert_eq!(
            zeromq_igor_clean_history(null_mut(), 3, &mut off, &mut ol),
            INVALID
        );
        assert_eq!(
            zeromq_igor_clean_history(one_byte() as *mut c_char, usize::MAX, &mut off, &mut ol),
            INVALID
        );
        assert_eq!(
            zeromq_igor_clean_history(null_mut(), 0, &mut off, &mut ol),
            0
        );
        assert_eq!(ol, 0);

        assert_eq!(zeromq_stop(), 0);
    });
}

#[test]
fn calls_in_the_wrong_order() {
    let _g = serial();
    within(Duration::from_secs(60), "wrong order", || unsafe {
        assert_eq!(zeromq_stop(), 0);
        assert_eq!(zeromq_stop(), 0, "stop twice");
        assert_eq!(zeromq_handler_stop(), 0, "handler stop without a handler");
        assert_eq!(zeromq_handler_stop(), 0);
        assert_eq!(
            zeromq_handler_start(),
            ZEROMQ_ERR_HANDLER_NO_CONNECTION,
            "start before bind"
        );
        let mut n = 7u32;
        assert_eq!(zeromq_handler_process(&mut n), 0);
        assert_eq!(n, 0);
        assert_eq!(zeromq_handler_process(null_mut()), 0);
        assert_eq!(zeromq_handler_wait(0), 0);
        assert_eq!(zeromq_handler_wait(5), 0);

        // Receiving before any bind or connect: nothing, not an error.
        let mut m = null_mut();
        type Recv = unsafe extern "C" fn(i32, *mut *mut zeromq_message) -> i32;
        for f in [
            zeromq_server_recv as Recv,
            zeromq_client_recv,
            zeromq_sub_recv,
            zeromq_sub_recv_multi,
        ] {
            assert_eq!(f(0, &mut m), 0);
            assert!(m.is_null());
            assert_eq!(f(3, &mut m), 0);
            assert!(m.is_null());
        }
        // Sending before connecting: the client cannot queue, the server knows no peer.
        let (p, l) = c("x");
        assert_eq!(zeromq_client_send(p, l), INVALID);
        assert_eq!(zeromq_server_send(p, l, p, l), INVALID);
        assert_eq!(
            zeromq_pub_send(p, l, p, l),
            0,
            "PUB without bind drops silently"
        );
        // Filters.
        assert_eq!(
            zeromq_sub_remove_filter(p, l),
            ZEROMQ_ERR_MESSAGE_FILTER_MISSING
        );
        assert_eq!(zeromq_sub_add_filter(p, l), 0);
        assert_eq!(
            zeromq_sub_add_filter(p, l),
            ZEROMQ_ERR_MESSAGE_FILTER_DUPLICATED
        );
        // Handler twice, stop in between, restart after stop needs a new bind.
        let (ep, el) = c("tcp://127.0.0.1:*");
        assert_eq!(zeromq_server_bind(ep, el), 0);
        assert_eq!(zeromq_handler_start(), 0);
        assert_eq!(zeromq_handler_start(), ZEROMQ_ERR_HANDLER_ALREADY_RUNNING);
        assert_eq!(zeromq_stop(), 0);
        assert_eq!(zeromq_handler_start(), ZEROMQ_ERR_HANDLER_NO_CONNECTION);
        assert_eq!(zeromq_endpoints(ZEROMQ_ROLE_SERVER, &mut m), 0);
        assert_eq!(zeromq_message_frame_count(m), 0, "stop forgets the binds");
        zeromq_message_free(m);
        assert_eq!(
            zeromq_sub_remove_filter(p, l),
            ZEROMQ_ERR_MESSAGE_FILTER_MISSING,
            "stop forgets filters"
        );
        // Binding the same endpoint twice.
        assert_eq!(zeromq_server_bind(ep, el), 0);
        let bound = bound_endpoint(ZEROMQ_ROLE_SERVER);
        let (bp, bl) = c(&bound);
        assert_eq!(zeromq_server_bind(bp, bl), INVALID);
        assert!(
            last_error().contains(&bound),
            "the detail names the endpoint: {}",
            last_error()
        );
        // Endpoints that are not endpoints.
        for bad in [
            "",
            "abcd:1234",
            "tcp://",
            "tcp://localhost:5555",
            "ipc://",
            "\0",
            "inproc://",
        ] {
            let (p, l) = c(bad);
            assert_ne!(zeromq_server_bind(p, l), 0, "bind {bad:?}");
            assert_ne!(zeromq_pub_bind(p, l), 0, "pub bind {bad:?}");
        }
        let bytes = [0xffu8, 0xfe, b':', b'/'];
        assert_eq!(
            zeromq_client_connect(bytes.as_ptr() as *const c_char, 4),
            INVALID,
            "non-UTF-8 endpoint"
        );
        // Dispatcher removed while a handler runs: calls are answered 101.
        assert_eq!(zeromq_set_dispatcher(None, null_mut()), 0);
        let (q, ql) = c("{\"version\":1,\"CallFunction\":{\"name\":\"f\"}}");
        assert_eq!(zeromq_test_callfunction(q, ql, &mut m), 0);
        assert!(String::from_utf8(frames_of(m).remove(0))
            .unwrap()
            .contains("\"value\": 101"));
        zeromq_message_free(m);
        assert_eq!(zeromq_stop(), 0);
    });
}

// ------------------------------------------------------------------------------------------
// Re-entrancy: library calls from inside the dispatcher and from the output function.

static NESTED_RESULTS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

unsafe extern "C" fn reentrant_dispatch(
    _: *mut c_void,
    call: *const zeromq_call,
    reply: *mut zeromq_reply,
) {
    let mut results = Vec::new();
    let (mut name, mut len) = (null(), 0usize);
    results.push(zeromq_call_name(call, &mut name, &mut len));
    let name = std::slice::from_raw_parts(name as *const u8, len).to_vec();
    match &name[..] {
        b"Nested" => {
            // A nested IDLE pass runs nothing; a nested test call dispatches recursively.
            let mut n = 9u32;
            results.push(zeromq_handler_process(&mut n));
            results.push(n as i32);
            let (p, l) = c("{\"version\":1,\"CallFunction\":{\"name\":\"Leaf\"}}");
            let mut m = null_mut();
            results.push(zeromq_test_callfunction(p, l, &mut m));
            zeromq_message_free(m);
            results.push(zeromq_handler_stop());
            results.push(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG));
            results.push(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT));
            results.push(zeromq_reply_variable(reply, 1.0));
        }
        b"Stop" => {
            // The whole library stopped from inside a dispatch.
            results.push(zeromq_stop());
            results.push(zeromq_reply_string(
                reply,
                b"stopped".as_ptr() as *const c_char,
                7,
            ));
        }
        b"Twice" => {
            results.push(zeromq_reply_variable(reply, 1.0));
            results.push(zeromq_reply_error(
                reply,
                107,
                b"  hist\r".as_ptr() as *const c_char,
                7,
            ));
            results.push(zeromq_reply_error(reply, 0, null(), 0));
            results.push(zeromq_reply_error(reply, 2, null(), 0));
            results.push(zeromq_reply_error(reply, i32::MIN, null(), 0));
            let mut v = 0.0;
            results.push(zeromq_call_param_double(call, usize::MAX, &mut v));
            let (mut k, mut t, mut l) = (0, null(), 0usize);
            results.push(zeromq_call_param(call, 0, &mut k, &mut t, &mut l));
            results.push(zeromq_call_param(call, 1, null_mut(), &mut t, &mut l));
            results.push(zeromq_call_param(call, 0, null_mut(), null_mut(), &mut l));
        }
        _ => {
            results.push(zeromq_reply_variable(reply, 2.0));
        }
    }
    NESTED_RESULTS.lock().unwrap().extend(results);
}

static OUTPUT_LINES: AtomicUsize = AtomicUsize::new(0);
static OUTPUT_REENTER: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn reentrant_output(_: *mut c_void, text: *const c_char, len: usize) {
    assert!(!text.is_null() || len == 0);
    OUTPUT_LINES.fetch_add(1, Ordering::SeqCst);
    if OUTPUT_REENTER.swap(false, Ordering::SeqCst) {
        // A host whose print function calls back into the library.
        let _ = zeromq_set(ZEROMQ_SET_FLAGS_DEBUG);
        let _ = zeromq_flags();
        let mut n = 0;
        let _ = zeromq_handler_process(&mut n);
    }
}

fn test_call(json: &str) -> String {
    let mut m = null_mut();
    let (p, l) = c(json);
    assert_eq!(unsafe { zeromq_test_callfunction(p, l, &mut m) }, 0);
    let r = String::from_utf8(frames_of(m).remove(0)).unwrap();
    unsafe { zeromq_message_free(m) };
    r
}

#[test]
fn reentrant_calls_from_callbacks() {
    let _g = serial();
    within(Duration::from_secs(60), "re-entrant calls", || unsafe {
        assert_eq!(
            zeromq_set_dispatcher(Some(reentrant_dispatch), null_mut()),
            0
        );
        NESTED_RESULTS.lock().unwrap().clear();
        let r = test_call("{\"version\":1,\"CallFunction\":{\"name\":\"Nested\"}}");
        assert!(r.contains("\"value\": 1\n"), "{r}");
        let results = NESTED_RESULTS.lock().unwrap().clone();
        // name, process, processed count, Leaf's own name call, Leaf's reply, test_callfunction,
        // handler_stop, set DEBUG, set DEFAULT, reply_variable
        assert_eq!(
            results,
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "results inside the dispatch"
        );

        NESTED_RESULTS.lock().unwrap().clear();
        let r =
            test_call("{\"version\":1,\"CallFunction\":{\"name\":\"Twice\",\"params\":[\"a\"]}}");
        assert!(
            r.contains("\"value\": 107") && r.contains("\"history\": \"hist\""),
            "{r}"
        );
        let results = NESTED_RESULTS.lock().unwrap().clone();
        assert_eq!(
            results,
            [0, 0, 0, INVALID, INVALID, INVALID, INVALID, 0, INVALID, INVALID]
        );

        // The network path: stop the library from inside a dispatch of a queued call.
        let (ep, el) = c("tcp://127.0.0.1:*");
        assert_eq!(zeromq_server_bind(ep, el), 0);
        let endpoint = bound_endpoint(ZEROMQ_ROLE_SERVER);
        assert_eq!(zeromq_handler_start(), 0);
        let ctx = zmq::Context::new();
        let client = ctx.socket(zmq::DEALER).unwrap();
        client.set_linger(0).unwrap();
        client.connect(&endpoint).unwrap();
        client
            .send_multipart(
                [
                    &b""[..],
                    b"{\"version\":1,\"CallFunction\":{\"name\":\"Stop\"}}",
                ],
                0,
            )
            .unwrap();
        let end = Instant::now() + Duration::from_secs(10);
        let mut processed = 0u32;
        while processed == 0 && Instant::now() < end {
            zeromq_handler_wait(50);
            zeromq_handler_process(&mut processed);
        }
        assert_eq!(processed, 1);
        assert_eq!(
            zeromq_handler_start(),
            ZEROMQ_ERR_HANDLER_NO_CONNECTION,
            "stopped from the dispatch"
        );

        // The output function calling back into the library must not deadlock.
        OUTPUT_LINES.store(0, Ordering::SeqCst);
        assert_eq!(zeromq_set_output(Some(reentrant_output), null_mut()), 0);
        OUTPUT_REENTER.store(true, Ordering::SeqCst);
        assert_eq!(zeromq_set(ZEROMQ_SET_FLAGS_DEBUG), 0);
        assert_eq!(zeromq_set(ZEROMQ_SET_FLAGS_DEFAULT), 0);
        assert!(OUTPUT_LINES.load(Ordering::SeqCst) >= 1);
        assert_eq!(zeromq_set_output(None, null_mut()), 0);
        assert_eq!(zeromq_set_dispatcher(None, null_mut()), 0);
        assert_eq!(zeromq_stop(), 0);
    });
}

#[test]
fn huge_real_inputs() {
    let _g = serial();
    within(Duration::from_secs(120), "huge inputs", || unsafe {
        // A 16 MiB string parameter through the whole local pipeline.
        let big = "x".repeat(16 << 20);
        let json =
            format!("{{\"version\":1,\"CallFunction\":{{\"name\":\"f\",\"params\":[\"{big}\"]}}}}");
        let r = test_call(&json);
        assert!(r.contains("\"value\": 101"));
        // 4 MiB frames through pub/sub and client/server; the server's default limit drops it.
        let (ep, el) = c("tcp://127.0.0.1:*");
        assert_eq!(zeromq_pub_bind(ep, el), 0);
        let pub_ep = bound_endpoint(ZEROMQ_ROLE_PUBLISHER);
        let (pp, pl) = c(&pub_ep);
        assert_eq!(zeromq_sub_connect(pp, pl), 0);
        // Only the test's topic: a heartbeat (["heartbeat", ""]) must not be taken for it.
        assert_eq!(
            zeromq_sub_add_filter(b"big".as_ptr() as *const c_char, 3),
            0
        );
        let payload = vec![0xabu8; 4 << 20];
        let mut got: *mut zeromq_message = null_mut();
        let end = Instant::now() + Duration::from_secs(20);
        while got.is_null() && Instant::now() < end {
            assert_eq!(
                zeromq_pub_send(
                    b"big".as_ptr() as *const c_char,
                    3,
                    payload.as_ptr() as *const c_char,
                    payload.len()
                ),
                0
            );
            assert_eq!(zeromq_sub_recv(200, &mut got), 0);
        }
        let f = frames_of(got);
        zeromq_message_free(got);
        assert_eq!(f[0], b"big");
        assert_eq!(f[1].len(), payload.len());
        assert_eq!(zeromq_server_bind(ep, el), 0);
        let srv = bound_endpoint(ZEROMQ_ROLE_SERVER);
        let (sp, sl) = c(&srv);
        assert_eq!(zeromq_client_connect(sp, sl), 0);
        assert_eq!(
            zeromq_client_send(payload.as_ptr() as *const c_char, payload.len()),
            0
        );
        let mut m = null_mut();
        assert_eq!(zeromq_server_recv(300, &mut m), 0);
        assert!(m.is_null(), "a message over the limit must not arrive");
        assert_eq!(zeromq_stop(), 0);
    });
}

// ------------------------------------------------------------------------------------------
// Eight threads calling everything at once.

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
            let (lp, ll) = c("/tmp/zeromq-xop-abuse.jsonl");
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
            let (ep, el) = c("tcp://127.0.0.1:*");
            assert_eq!(zeromq_server_bind(ep, el), 0);
            assert_eq!(zeromq_handler_start(), 0);
            let endpoint = bound_endpoint(ZEROMQ_ROLE_SERVER);
            let (p, l) = c(&endpoint);
            assert_eq!(zeromq_client_connect(p, l), 0);
            let (q, ql) = c("{\"version\":1,\"messageID\":\"after\",\"CallFunction\":{\"name\":\"Add\",\"params\":[40,2]}}");
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
            let (ep, el) = c("tcp://127.0.0.1:*");
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

// ------------------------------------------------------------------------------------------
// Waves.

use zeromq_xop::ffi::wave::*;

unsafe fn new_wave(t: i32, dims: &[u64]) -> *mut zeromq_wave {
    let mut w = null_mut();
    assert_eq!(
        zeromq_wave_new(t, dims.as_ptr(), dims.len(), &mut w),
        0,
        "wave {t:#x} {dims:?}"
    );
    w
}

#[test]
fn wave_builder_abuse() {
    let _g = serial();
    within(Duration::from_secs(60), "wave abuse", || unsafe {
        let mut w: *mut zeromq_wave = null_mut();
        let d = [3u64, 2];
        // Creation: bad types, dimension counts, sizes and pointers.
        assert_eq!(
            zeromq_wave_new(ZEROMQ_NT_FP64, d.as_ptr(), 2, null_mut()),
            INVALID
        );
        assert_eq!(zeromq_wave_new(ZEROMQ_NT_FP64, null(), 1, &mut w), INVALID);
        for n in [0, 5, usize::MAX] {
            assert_eq!(
                zeromq_wave_new(ZEROMQ_NT_FP64, d.as_ptr(), n, &mut w),
                INVALID,
                "ndims {n}"
            );
        }
        for t in [
            -1,
            1,
            0x41,
            0x200,
            0x4001,
            i32::MIN,
            i32::MAX,
            ZEROMQ_NT_FP64 | ZEROMQ_NT_UNSIGNED,
        ] {
            assert_eq!(
                zeromq_wave_new(t, d.as_ptr(), 2, &mut w),
                INVALID,
                "type {t:#x}"
            );
        }
        for dims in [
            [u64::MAX, 2, 1, 1],
            [1 << 32, 1 << 32, 1, 1],
            [u64::MAX, u64::MAX, u64::MAX, u64::MAX],
        ] {
            assert_eq!(
                zeromq_wave_new(ZEROMQ_NT_FP64 | ZEROMQ_NT_CMPLX, dims.as_ptr(), 4, &mut w),
                INVALID,
                "{dims:?}"
            );
        }
        assert!(w.is_null(), "out written on failure");
        // A big wave is only described, never allocated up front.
        let big = new_wave(ZEROMQ_NT_I8, &[1 << 40]);
        assert_eq!(zeromq_wave_set_data(big, null(), 0), INVALID);
        zeromq_wave_free(big);

        // Setters on NULL and on the wrong kind of wave, with bad points and lengths.
        let num = new_wave(ZEROMQ_NT_FP64, &d);
        let text = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &d);
        let refs = new_wave(ZEROMQ_WAVE_TYPE, &[2]);
        let dfr = new_wave(ZEROMQ_DATAFOLDER_TYPE, &[2]);
        let data = [0.5f64; 6];
        let p = data.as_ptr() as *const c_void;
        assert_eq!(zeromq_wave_set_data(null_mut(), p, 48), INVALID);
        assert_eq!(zeromq_wave_set_data(num, null(), 48), INVALID);
        for n in [0, 47, 49, 96, usize::MAX] {
            assert_eq!(zeromq_wave_set_data(num, p, n), INVALID, "{n} bytes");
        }
        assert_eq!(zeromq_wave_set_data(num, p, 48), 0);
        assert_eq!(zeromq_wave_set_data(text, p, 48), INVALID);
        let s = b"abc".as_ptr() as *const c_char;
        for point in [6, 7, usize::MAX] {
            assert_eq!(zeromq_wave_set_text(text, point, s, 3), INVALID);
            assert_eq!(zeromq_wave_set_dfref(dfr, point, s, 3), INVALID);
            assert_eq!(zeromq_wave_set_wave(refs, point, null_mut()), INVALID);
        }
        assert_eq!(zeromq_wave_set_text(null_mut(), 0, s, 3), INVALID);
        assert_eq!(zeromq_wave_set_text(text, 0, null(), 3), INVALID);
        assert_eq!(zeromq_wave_set_text(text, 0, s, usize::MAX), INVALID);
        assert_eq!(zeromq_wave_set_text(num, 0, s, 3), INVALID);
        assert_eq!(zeromq_wave_set_text(text, 5, s, 3), 0);
        assert_eq!(zeromq_wave_set_dfref(text, 0, s, 3), INVALID);
        assert_eq!(zeromq_wave_set_dfref(dfr, 1, null(), 0), 0);
        for dim in [2, 4, usize::MAX] {
            assert_eq!(
                zeromq_wave_set_scaling(num, dim, 1.0, 0.0),
                INVALID,
                "dim {dim}"
            );
            assert_eq!(zeromq_wave_set_dim_unit(num, dim, s, 3), INVALID);
            assert_eq!(zeromq_wave_set_dim_label(num, dim, -1, s, 3), INVALID);
        }
        for index in [-2, 3, i64::MIN, i64::MAX] {
            assert_eq!(
                zeromq_wave_set_dim_label(num, 0, index, s, 3),
                INVALID,
                "index {index}"
            );
        }
        assert_eq!(zeromq_wave_set_scaling(num, 1, f64::NAN, f64::INFINITY), 0);
        assert_eq!(zeromq_wave_set_scaling(null_mut(), 0, 1.0, 0.0), INVALID);
        assert_eq!(zeromq_wave_set_dim_unit(num, 0, null(), 1), INVALID);
        assert_eq!(zeromq_wave_set_data_unit(num, null(), 1), INVALID);
        assert_eq!(
            zeromq_wave_set_data_unit(num, one_byte(), usize::MAX),
            INVALID
        );
        assert_eq!(zeromq_wave_set_data_unit(null_mut(), s, 3), INVALID);
        assert_eq!(zeromq_wave_set_note(num, null(), 1), INVALID);
        assert_eq!(zeromq_wave_set_note(null_mut(), s, 3), INVALID);
        assert_eq!(
            zeromq_wave_set_note(num, b"\xff\x00\"".as_ptr() as *const c_char, 3),
            0
        );
        assert_eq!(zeromq_wave_set_full_scale(null_mut(), 1.0, 2.0), INVALID);
        assert_eq!(zeromq_wave_set_full_scale(num, f64::NAN, 2.0), 0);
        assert_eq!(zeromq_wave_set_modification(null_mut(), 0), INVALID);
        assert_eq!(zeromq_wave_set_modification(num, i64::MIN), 0);

        // Ownership: a refused child stays with the caller; a wave cannot hold itself.
        assert_eq!(zeromq_wave_set_wave(refs, 0, refs), INVALID);
        let child = new_wave(ZEROMQ_NT_I32, &[1]);
        assert_eq!(
            zeromq_wave_set_wave(num, 0, child),
            INVALID,
            "not a wave reference wave"
        );
        assert_eq!(zeromq_wave_set_wave(refs, 9, child), INVALID);
        assert_eq!(zeromq_wave_set_wave(null_mut(), 0, child), INVALID);
        assert_eq!(
            zeromq_wave_set_wave(refs, 0, child),
            0,
            "the caller still owned it"
        );
        let child2 = new_wave(ZEROMQ_TEXT_WAVE_TYPE, &[1]);
        assert_eq!(
            zeromq_wave_set_wave(refs, 0, child2),
            0,
            "replaces (and frees) the first child"
        );
        assert_eq!(zeromq_wave_set_wave(refs, 1, null_mut()), 0);

        // Nesting to the limit and one past it; serialize and free the deepest chain on a
        // thread with a small stack (hosts call from threads they did not size).
        let mut chain = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
        let mut depth = 1;
        loop {
            let parent = new_wave(ZEROMQ_WAVE_TYPE, &[1]);
            if zeromq_wave_set_wave(parent, 0, chain) != 0 {
                zeromq_wave_free(parent);
                break;
            }
            chain = parent;
            depth += 1;
            assert!(depth < 100_000, "no nesting limit");
        }
        let chain_addr = chain as usize;
        let json_len = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let chain = chain_addr as *mut zeromq_wave;
                let mut m = null_mut();
                assert_eq!(zeromq_wave_serialize(chain, &mut m), 0);
                let n = frames_of(m)[0].len();
                zeromq_message_free(m);
                zeromq_wave_free(chain);
                n
            })
            .unwrap()
            .join()
            .expect("deep nesting on a small stack");
        println!(
            "wave reference waves nest {depth} levels; the deepest serializes to {json_len} bytes"
        );

        // Serialization of every wave built above, and of NULL.
        let mut m = null_mut();
        assert_eq!(zeromq_wave_serialize(num, null_mut()), INVALID);
        assert_eq!(zeromq_wave_serialize(null(), &mut m), 0);
        assert_eq!(frames_of(m), vec![b"null".to_vec()]);
        zeromq_message_free(m);
        for w in [num, text, refs, dfr] {
            let mut m = null_mut();
            assert_eq!(zeromq_wave_serialize(w, &mut m), 0);
            let json = frames_of(m).remove(0);
            zeromq_message_free(m);
            serde_json::from_slice::<serde_json::Value>(&json).expect("valid JSON");
        }
        // A reply takes ownership of its wave even when the reply pointer is NULL.
        assert_eq!(zeromq_reply_wave(null_mut(), num), INVALID);
        for w in [text, refs, dfr] {
            zeromq_wave_free(w);
        }
        zeromq_wave_free(null_mut());
    });
}
