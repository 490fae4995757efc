//! Row 7 of `zeromq-xop-bench`: what CURVE costs. The library's server and publisher with CURVE
//! (and a CURVE client or subscriber) against the same without CURVE, in the same run: the
//! CallFunction round trip, and publishing 64 B and 1 MiB messages. Encryption runs on libzmq's
//! I/O threads, so the publishing rows are timed by wall clock from the first send until the
//! subscriber has every message of the block.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use zeromq_xop::manager::{Manager, Role};
use zeromq_xop::protocol::{Call, Reply, Value};
use zeromq_xop::security::keys;

/// One measurement: the figure with CURVE and the same without.
pub struct Cost {
    /// Row id.
    pub id: &'static str,
    /// What was measured.
    pub what: String,
    /// Unit of both figures.
    pub unit: &'static str,
    /// With CURVE.
    pub curve: f64,
    /// Without CURVE.
    pub plain: f64,
}

type R<T> = Result<T, String>;

fn err<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> String {
    move |e| format!("{what}: {e}")
}

struct Keys {
    server_public: String,
    server_secret: String,
    client_public: String,
    client_secret: String,
}

impl Keys {
    fn new() -> R<Keys> {
        let (server_public, server_secret) = keys::keypair().map_err(|e| e.detail)?;
        let (client_public, client_secret) = keys::keypair().map_err(|e| e.detail)?;
        Ok(Keys {
            server_public,
            server_secret,
            client_public,
            client_secret,
        })
    }

    /// CURVE server options on a role of `m`.
    fn serve(&self, m: &Manager, role: Role) -> R<()> {
        m.set_role_option(role, 47, &1i32.to_ne_bytes())
            .and_then(|()| m.set_role_option(role, 49, self.server_secret.as_bytes()))
            .map_err(|e| e.detail)
    }

    /// CURVE client options on a raw socket.
    fn client(&self, s: &zmq::Socket) -> R<()> {
        s.set_curve_serverkey(self.server_public.as_bytes())
            .and_then(|()| s.set_curve_publickey(self.client_public.as_bytes()))
            .and_then(|()| s.set_curve_secretkey(self.client_secret.as_bytes()))
            .map_err(err("CURVE client options"))
    }
}

/// A manager serving `add` on a host thread.
struct Host {
    m: Arc<Manager>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Host {
    fn start(keys: Option<&Keys>) -> R<(Host, String)> {
        let m = Manager::new();
        if let Some(k) = keys {
            k.serve(&m, Role::Server)?;
            k.serve(&m, Role::Publisher)?;
        }
        m.handler
            .set_dispatcher(Some(Arc::new(|_: &Call, r: &mut Reply| {
                r.push(Value::Variable(3.0))
            })));
        let ep = m
            .attach(Role::Server, b"tcp://127.0.0.1:*")
            .map_err(|e| e.detail)?;
        m.handler.start().map_err(|e| e.detail)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (m2, s2) = (m.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s2.load(Ordering::Relaxed) {
                m2.handler.wait(20);
                m2.handler.process();
            }
        });
        Ok((
            Host {
                m,
                stop,
                thread: Some(thread),
            },
            ep,
        ))
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.m.shutdown();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

const REQUEST: &[u8] = br#"{"version": 1, "CallFunction": {"name": "add", "params": [1, 2]}}"#;

/// The median round trip (µs) of each client, `rounds` interleaved rounds of `calls` calls.
fn round_trips(clients: &[zmq::Socket; 2], rounds: usize, calls: usize) -> R<[f64; 2]> {
    let mut lat: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut reply = zmq::Message::new();
    for round in 0..=rounds {
        for which in [round % 2, 1 - round % 2] {
            let s = &clients[which];
            for _ in 0..calls {
                let t = Instant::now();
                s.send(REQUEST, 0).map_err(err("send"))?;
                s.recv(&mut reply, 0).map_err(err("no reply within 10 s"))?;
                if round > 0 {
                    lat[which].push(t.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
    }
    let [a, b] = lat;
    Ok([median(a), median(b)])
}

/// A subscriber counting what it receives on the topic "bench".
struct Drain {
    count: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drain {
    fn start(ctx: &zmq::Context, ep: &str, keys: Option<&Keys>) -> R<Drain> {
        let s = ctx.socket(zmq::SUB).map_err(err("SUB"))?;
        if let Some(k) = keys {
            k.client(&s)?;
        }
        s.set_rcvhwm(0).map_err(err("RCVHWM"))?;
        s.set_rcvtimeo(50).map_err(err("RCVTIMEO"))?;
        s.set_subscribe(b"bench").map_err(err("SUBSCRIBE"))?;
        s.connect(ep).map_err(err("connect"))?;
        let count = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c2, s2) = (count.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut m = zmq::Message::new();
            while !s2.load(Ordering::Relaxed) {
                if s.recv(&mut m, 0).is_ok() && !m.get_more() {
                    c2.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        Ok(Drain {
            count,
            stop,
            thread: Some(thread),
        })
    }

    fn wait_for(&self, n: u64) -> R<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.count.load(Ordering::Relaxed) < n {
            if Instant::now() > deadline {
                return Err("the subscriber did not get every message within 20 s".into());
            }
            std::thread::yield_now();
        }
        Ok(())
    }
}

impl Drop for Drain {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Messages per second of each publisher (wall clock until delivered), median of `blocks`
/// interleaved blocks of `count` messages of `size` bytes.
fn publish(pubs: [(&Manager, &Drain); 2], size: usize, blocks: usize, count: usize) -> R<[f64; 2]> {
    let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    for (m, d) in pubs {
        let deadline = Instant::now() + Duration::from_secs(10);
        while d.count.load(Ordering::Relaxed) == 0 {
            m.pub_send(b"bench", b"probe").map_err(|e| e.detail)?;
            if Instant::now() > deadline {
                return Err("the subscriber never got a message".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let mut rates: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for block in 0..=blocks {
        for which in [block % 2, 1 - block % 2] {
            let (m, d) = pubs[which];
            std::thread::sleep(Duration::from_millis(2));
            let before = d.count.load(Ordering::Relaxed);
            let t = Instant::now();
            for _ in 0..count {
                m.pub_send(b"bench", &payload).map_err(|e| e.detail)?;
            }
            d.wait_for(before + count as u64)?;
            if block > 0 {
                rates[which].push(count as f64 / t.elapsed().as_secs_f64());
            }
        }
    }
    let [a, b] = rates;
    Ok([median(a), median(b)])
}

/// Row 7: CURVE against no CURVE.
pub fn costs(quick: bool) -> R<Vec<Cost>> {
    eprintln!("row 7: CURVE ...");
    let keys = Keys::new()?;
    let (curve_host, curve_ep) = Host::start(Some(&keys))?;
    let (plain_host, plain_ep) = Host::start(None)?;
    let ctx = zmq::Context::new();
    let client = |ep: &str, k: Option<&Keys>| -> R<zmq::Socket> {
        let s = ctx.socket(zmq::REQ).map_err(err("REQ"))?;
        if let Some(k) = k {
            k.client(&s)?;
        }
        s.set_rcvtimeo(10_000).map_err(err("RCVTIMEO"))?;
        s.connect(ep).map_err(err("connect"))?;
        Ok(s)
    };
    let clients = [client(&curve_ep, Some(&keys))?, client(&plain_ep, None)?];
    let (rounds, calls) = if quick { (2, 100) } else { (10, 1000) };
    let [rt_curve, rt_plain] = round_trips(&clients, rounds, calls)?;
    let mut out = vec![Cost {
        id: "7a",
        what: format!(
            "CallFunction round trip, tcp loopback, p50 of {rounds} rounds of {calls}: CURVE (baseline: the same without CURVE)"
        ),
        unit: "µs",
        curve: rt_curve,
        plain: rt_plain,
    }];

    let pub_ep = |h: &Host| -> R<String> {
        h.m.attach(Role::Publisher, b"tcp://127.0.0.1:*")
            .map_err(|e| e.detail)
    };
    let curve_drain = Drain::start(&ctx, &pub_ep(&curve_host)?, Some(&keys))?;
    let plain_drain = Drain::start(&ctx, &pub_ep(&plain_host)?, None)?;
    let pubs = [
        (&*curve_host.m, &curve_drain),
        (&*plain_host.m, &plain_drain),
    ];
    for (id, size, label, (blocks, count)) in [
        (
            "7b",
            64usize,
            "64 B",
            if quick { (4, 200) } else { (60, 500) },
        ),
        (
            "7c",
            1 << 20,
            "1 MiB",
            if quick { (4, 4) } else { (30, 10) },
        ),
    ] {
        let [curve, plain] = publish(pubs, size, blocks, count)?;
        let mb = size as f64 / 1e6;
        out.push(Cost {
            id,
            what: format!(
                "zeromq_pub_send, {label} payload, sent and delivered, median of {blocks} blocks of {count}: CURVE (baseline: the same without CURVE)"
            ),
            unit: "MB/s",
            curve: curve * mb,
            plain: plain * mb,
        });
    }
    Ok(out)
}
