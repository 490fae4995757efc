//! Inputs that must stay safe to use afterwards, checked on the core library: a subscriber
//! filter at the length limit on a thread with a small stack, the limit itself.

use std::time::{Duration, Instant};
use zeromq_xop::error::Code;
use zeromq_xop::manager::{Manager, Role, MAX_FILTER_LENGTH};

/// libzmq recurses once per filter byte when it adds, removes and frees a subscription: at
/// the limit that must fit in a small host thread stack with room to spare (Windows' default
/// is 1 MiB, Rust's 2 MiB, Linux main threads 8 MiB). At 1024 bytes 96 KiB is enough; 4096
/// bytes overflowed 256 KiB.
#[test]
fn a_filter_at_the_limit_is_safe_on_a_256_kib_stack() {
    let t = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let m = Manager::new();
            let topic = vec![b'a'; MAX_FILTER_LENGTH];
            m.sub_add_filter(&topic).expect("a filter at the limit");
            let ep = m
                .attach(Role::Publisher, b"tcp://127.0.0.1:*")
                .expect("bind");
            m.attach(Role::Subscriber, ep.as_bytes()).expect("connect");
            let deadline = Instant::now() + Duration::from_secs(10);
            let got = loop {
                m.pub_send(&topic, b"x").expect("publish");
                if let Some(f) = m.sub_recv(50).expect("receive") {
                    break f;
                }
                assert!(Instant::now() < deadline, "the long topic never arrived");
            };
            assert_eq!(&got[0][..], &topic[..]);
            m.sub_remove_filter(&topic).expect("remove");
            m.sub_add_filter(&topic).expect("add again");
            m.stop();
            m.sub_add_filter(&topic).expect("add after stop");
            m.shutdown();
        })
        .expect("thread");
    t.join().expect("no stack overflow");
}

#[test]
fn a_longer_filter_is_refused_with_its_own_code() {
    let m = Manager::new();
    let e = m
        .sub_add_filter(&vec![b'a'; MAX_FILTER_LENGTH + 1])
        .expect_err("over the limit");
    assert_eq!(e.code, Code::FilterTooLong);
    assert!(
        e.detail.contains(&MAX_FILTER_LENGTH.to_string()),
        "{}",
        e.detail
    );
    assert!(m.filters().is_empty());
    m.shutdown();
}
