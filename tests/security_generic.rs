//! Security on generic sockets (through the C ABI, the library's own context): a binding
//! socket with a ZAP domain is checked by the address rules, and CURVE set with
//! `zeromq_socket_set_option` encrypts and refuses clients without the server's key.

mod common;

use std::ffi::{c_char, c_void};
use zeromq_xop::ffi::generic::*;
use zeromq_xop::ffi::message::zeromq_message_free;
use zeromq_xop::ffi::options::*;
use zeromq_xop::ffi::security::*;
use zeromq_xop::security::keys;

/// A generic PULL socket bound to a fresh loopback port; its id and endpoint.
fn pull_socket(options: &[(i32, &[u8])]) -> (u64, String) {
    let mut id = 0u64;
    unsafe {
        assert_eq!(zeromq_socket_new(7, &mut id), 0); // ZEROMQ_PULL
        for (option, value) in options {
            let rc =
                zeromq_socket_set_option(id, *option, value.as_ptr() as *const c_void, value.len());
            assert_eq!(rc, 0, "option {option}");
        }
        let ep = "tcp://127.0.0.1:*";
        assert_eq!(
            zeromq_socket_bind(id, ep.as_ptr() as *const c_char, ep.len()),
            0
        );
        let mut msg = std::ptr::null_mut();
        assert_eq!(zeromq_socket_endpoints(id, &mut msg), 0);
        let eps = common::frames_of(msg);
        zeromq_message_free(msg);
        (id, String::from_utf8(eps[0].clone()).unwrap())
    }
}

/// Whether a PUSH client (optionally CURVE: server key, public, secret) gets one message
/// through to the socket within `wait_ms`.
fn delivered(id: u64, ep: &str, curve: Option<(&str, &str, &str)>, wait_ms: i32) -> bool {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUSH).unwrap();
    s.set_linger(0).unwrap();
    if let Some((server, public, secret)) = curve {
        s.set_curve_serverkey(server.as_bytes()).unwrap();
        s.set_curve_publickey(public.as_bytes()).unwrap();
        s.set_curve_secretkey(secret.as_bytes()).unwrap();
    }
    // A refused connection leaves no peer to queue for: the send waits at most this long.
    s.set_sndtimeo(1000).unwrap();
    s.connect(ep).unwrap();
    let _ = s.send(&b"hello"[..], 0);
    let mut msg = std::ptr::null_mut();
    let rc = unsafe { zeromq_socket_recv(id, wait_ms, &mut msg) };
    assert_eq!(rc, 0);
    let got = !msg.is_null();
    unsafe { zeromq_message_free(msg) };
    got
}

#[test]
fn generic_sockets_take_the_rules_and_curve() {
    // A binding socket with a ZAP domain: the address rules apply.
    let (plain, plain_ep) = pull_socket(&[(ZEROMQ_OPT_ZAP_DOMAIN, b"lab")]);
    let port = plain_ep.rsplit(':').next().unwrap();
    let from_2 = format!("tcp://127.0.0.2:0;127.0.0.1:{port}");
    assert!(delivered(plain, &plain_ep, None, 5000));
    let deny = "127.0.0.2";
    assert_eq!(
        unsafe { zeromq_auth_deny(deny.as_ptr() as *const c_char, deny.len()) },
        0
    );
    assert!(
        !delivered(plain, &from_2, None, 1000),
        "denied address got through"
    );
    assert!(delivered(plain, &plain_ep, None, 5000));

    // CURVE through zeromq_socket_set_option; client keys listed.
    let (server_public, server_secret) = keys::keypair().unwrap();
    let (client_public, client_secret) = keys::keypair().unwrap();
    let (curve, curve_ep) = pull_socket(&[
        (ZEROMQ_OPT_CURVE_SERVER, &1i32.to_ne_bytes()),
        (ZEROMQ_OPT_CURVE_SECRETKEY, server_secret.as_bytes()),
    ]);
    let right = (
        server_public.as_str(),
        client_public.as_str(),
        client_secret.as_str(),
    );
    assert!(delivered(curve, &curve_ep, Some(right), 5000));
    assert!(
        !delivered(curve, &curve_ep, None, 1000),
        "no CURVE got through"
    );
    let wrong = (client_public.as_str(), right.1, right.2);
    assert!(!delivered(curve, &curve_ep, Some(wrong), 1000));
    let (other, _) = keys::keypair().unwrap();
    assert_eq!(
        unsafe { zeromq_auth_allow_key(other.as_ptr() as *const c_char, other.len()) },
        0
    );
    assert!(
        !delivered(curve, &curve_ep, Some(right), 1000),
        "unlisted key got through"
    );
    assert_eq!(zeromq_auth_reset(), 0);
    assert_eq!(zeromq_socket_close(plain), 0);
    assert_eq!(zeromq_socket_close(curve), 0);
}
