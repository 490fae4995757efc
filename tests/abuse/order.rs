use crate::common::{bound_endpoint, frames_of, last_error, text_arg, within};
use crate::{serial, INVALID, RECEIVES};
use std::ffi::c_char;
use std::ptr::null_mut;
use std::time::Duration;
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::socket::*;

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
        for f in RECEIVES {
            assert_eq!(f(0, &mut m), 0);
            assert!(m.is_null());
            assert_eq!(f(3, &mut m), 0);
            assert!(m.is_null());
        }
        // Sending before connecting: the client cannot queue, the server knows no peer.
        let (p, l) = text_arg("x");
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
        let (ep, el) = text_arg("tcp://127.0.0.1:*");
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
        let (bp, bl) = text_arg(&bound);
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
            let (p, l) = text_arg(bad);
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
        let (q, ql) = text_arg("{\"version\":1,\"CallFunction\":{\"name\":\"f\"}}");
        assert_eq!(zeromq_test_callfunction(q, ql, &mut m), 0);
        assert!(String::from_utf8(frames_of(m).remove(0))
            .unwrap()
            .contains("\"value\": 101"));
        zeromq_message_free(m);
        assert_eq!(zeromq_stop(), 0);
    });
}
