use crate::common::{bound_endpoint, frames_of, last_error, test_call, text_arg, within};
use crate::{one_byte, serial, HUGE, INVALID, RECEIVES};
use std::ffi::{c_char, c_void};
use std::ptr::{null, null_mut};
use std::time::{Duration, Instant};
use zeromq_xop::ffi::handler::*;
use zeromq_xop::ffi::igor::*;
use zeromq_xop::ffi::library::*;
use zeromq_xop::ffi::message::*;
use zeromq_xop::ffi::reply::*;
use zeromq_xop::ffi::socket::*;

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
            let (p, l) = text_arg("abc");
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
        for f in RECEIVES {
            assert_eq!(f(0, null_mut()), INVALID);
        }
        assert_eq!(zeromq_endpoints(0, null_mut()), INVALID);
        let mut m = null_mut();
        for role in [-1, 4, i32::MIN, i32::MAX] {
            assert_eq!(zeromq_endpoints(role, &mut m), INVALID, "role {role}");
            assert!(m.is_null(), "out written on failure");
        }
        let (p, l) = text_arg("{}");
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
        let (p, l2) = text_arg("{\"version\":1,\"CallFunction\":{\"name\":\"f\"}}");
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
            let (p, l) = text_arg(cap);
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
        let (p, l) = text_arg("1.5");
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
        let (ep, el) = text_arg("tcp://127.0.0.1:*");
        assert_eq!(zeromq_pub_bind(ep, el), 0);
        let pub_ep = bound_endpoint(ZEROMQ_ROLE_PUBLISHER);
        let (pp, pl) = text_arg(&pub_ep);
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
        let (sp, sl) = text_arg(&srv);
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
