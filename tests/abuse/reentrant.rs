use crate::common::{bound_endpoint, test_call, text_arg, within};
use crate::{serial, INVALID};
use std::ffi::{c_char, c_void};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::library::*;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;

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
            let (p, l) = text_arg("{\"version\":1,\"CallFunction\":{\"name\":\"Leaf\"}}");
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
        let (ep, el) = text_arg("tcp://127.0.0.1:*");
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
