//! The heartbeat: a thread that publishes `[topic, ""]` while the publisher has a bind, at once
//! and then every period (`zeromq_set_heartbeat`; default "heartbeat" every 5 s, period 0:
//! off). It sleeps on a condition variable while there is nothing to do, so it costs nothing
//! while idle, and it knows the publisher only through the function it is started with.

use crate::error::{Error, Result};
use parking_lot::{Condvar, Mutex};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// The topic heartbeats are published on.
pub const HEARTBEAT_TOPIC: &[u8] = b"heartbeat";
/// Time between heartbeats.
pub const HEARTBEAT_PERIOD: Duration = Duration::from_secs(5);
/// The longest heartbeat topic: the longest filter a subscriber may set.
pub const MAX_TOPIC_LENGTH: usize = crate::roles::MAX_FILTER_LENGTH;

/// What one heartbeat found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beat {
    /// Published (or its failure reported).
    Sent,
    /// The publisher has no bind: sleep until [`Heartbeat::activate`].
    NotBound,
    /// The publisher is gone for good: the thread ends.
    Gone,
}

/// Publishes one heartbeat with the given topic.
pub type Publish = Box<dyn Fn(&[u8]) -> Beat + Send>;

struct State {
    active: bool,
    /// Counts activations: a beat that found no bind puts the thread to sleep only if no
    /// activation (a bind) came while it was on its way.
    activations: u64,
    stop: bool,
    thread: Option<JoinHandle<()>>,
    /// The topic frame and the period (zero: no heartbeat); kept across `stop`.
    topic: Vec<u8>,
    period: Duration,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    cv: Condvar,
}

impl Default for State {
    fn default() -> Self {
        State {
            active: false,
            activations: 0,
            stop: false,
            thread: None,
            topic: HEARTBEAT_TOPIC.to_vec(),
            period: HEARTBEAT_PERIOD,
        }
    }
}

/// The heartbeat's settings and thread.
#[derive(Default)]
pub struct Heartbeat {
    shared: Arc<Shared>,
}

impl Heartbeat {
    /// Set the topic and period (`period_ms` 0: no heartbeat); a running thread picks the
    /// change up at once.
    pub fn set(&self, topic: &[u8], period_ms: i32) -> Result<()> {
        if period_ms < 0 {
            return Err(Error::invalid_arg(format!(
                "The heartbeat period must be >= 0 ms (0: off), not {period_ms}."
            )));
        }
        if topic.len() > MAX_TOPIC_LENGTH {
            return Err(Error::invalid_arg(format!(
                "The heartbeat topic is {} bytes long; at most {MAX_TOPIC_LENGTH} are allowed.",
                topic.len()
            )));
        }
        let mut st = self.shared.state.lock();
        st.topic = topic.to_vec();
        st.period = Duration::from_millis(period_ms as u64);
        self.shared.cv.notify_all();
        Ok(())
    }

    /// The topic and period.
    pub fn get(&self) -> (Vec<u8>, Duration) {
        let st = self.shared.state.lock();
        (st.topic.clone(), st.period)
    }

    /// The publisher has a bind: beat (again).
    pub fn activate(&self) {
        let mut st = self.shared.state.lock();
        st.active = true;
        st.activations += 1;
        st.stop = false;
        self.shared.cv.notify_all();
    }

    /// The publisher lost its binds: sleep.
    pub fn deactivate(&self) {
        let mut st = self.shared.state.lock();
        st.active = false;
        self.shared.cv.notify_all();
    }

    /// Whether the thread runs.
    pub fn is_running(&self) -> bool {
        self.shared.state.lock().thread.is_some()
    }

    /// Start the thread if it is not running; it beats through `publish` while active.
    pub fn start(&self, publish: Publish) -> std::io::Result<()> {
        let mut st = self.shared.state.lock();
        if st.thread.is_some() {
            return Ok(());
        }
        st.stop = false;
        let shared = Arc::clone(&self.shared);
        st.thread = Some(
            std::thread::Builder::new()
                .name("zeromq-xop heartbeat".into())
                .spawn(move || beat_loop(&shared, publish))?,
        );
        Ok(())
    }

    /// Stop the thread promptly and wait for it (not when called on the thread itself).
    pub fn stop(&self) {
        let t = {
            let mut st = self.shared.state.lock();
            st.stop = true;
            self.shared.cv.notify_all();
            st.thread.take()
        };
        if let Some(t) = t {
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }
}

impl Drop for Heartbeat {
    /// The thread is told to end, not waited for: it holds nothing of its owner.
    fn drop(&mut self) {
        let mut st = self.shared.state.lock();
        st.stop = true;
        self.shared.cv.notify_all();
    }
}

fn beat_loop(shared: &Shared, publish: Publish) {
    let mut st = shared.state.lock();
    loop {
        if st.stop {
            return;
        }
        if !st.active || st.period.is_zero() {
            // Nothing to do until a publisher binds or a period is set: no timeout.
            shared.cv.wait(&mut st);
            continue;
        }
        let topic = st.topic.clone();
        let activations = st.activations;
        drop(st);
        let beat = publish(&topic);
        st = shared.state.lock();
        match beat {
            Beat::Gone => return,
            Beat::NotBound if st.activations == activations => st.active = false,
            Beat::NotBound => {}
            Beat::Sent => {
                if !st.stop && st.active && !st.period.is_zero() {
                    let period = st.period;
                    shared.cv.wait_for(&mut st, period);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Instant;

    fn started(hb: &Heartbeat, bound: bool) -> mpsc::Receiver<(Vec<u8>, Instant)> {
        let (tx, rx) = mpsc::channel();
        let tx = Mutex::new(tx);
        hb.start(Box::new(move |topic: &[u8]| {
            if !bound {
                return Beat::NotBound;
            }
            let _ = tx.lock().send((topic.to_vec(), Instant::now()));
            Beat::Sent
        }))
        .unwrap();
        rx
    }

    #[test]
    fn beats_at_once_and_every_period_while_active() {
        let hb = Heartbeat::default();
        hb.set(b"hb", 40).unwrap();
        let rx = started(&hb, true);
        // Not active yet: no beat.
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        hb.activate();
        let (t0, first) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(t0, b"hb");
        let (_, second) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            second - first >= Duration::from_millis(35),
            "{:?}",
            second - first
        );
        hb.deactivate();
        while rx.recv_timeout(Duration::from_millis(100)).is_ok() {}
        assert!(rx.recv_timeout(Duration::from_millis(150)).is_err());
        // A period change is picked up at once.
        hb.set(b"other", 20).unwrap();
        hb.activate();
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap().0, b"other");
        let t = Instant::now();
        hb.stop();
        assert!(t.elapsed() < Duration::from_secs(1));
        assert!(!hb.is_running());
    }

    #[test]
    fn an_unbound_publisher_puts_it_to_sleep_and_period_zero_is_off() {
        let hb = Heartbeat::default();
        assert_eq!(hb.get(), (HEARTBEAT_TOPIC.to_vec(), HEARTBEAT_PERIOD));
        hb.set(b"x", 0).unwrap();
        let rx = started(&hb, true);
        hb.activate();
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        hb.stop();
        let hb = Heartbeat::default();
        hb.set(b"x", 10).unwrap();
        let rx = started(&hb, false);
        hb.activate();
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        assert!(!hb.shared.state.lock().active);
        hb.stop();
    }

    /// The publisher binds while a beat finds it without a bind (a zeromq_stop just before):
    /// that beat's finding is out of date and must not put the heartbeat to sleep.
    #[test]
    fn a_bind_during_a_beat_that_found_none_is_not_lost() {
        let hb = Heartbeat::default();
        hb.set(b"hb", 20).unwrap();
        let (in_beat, in_beat_rx) = mpsc::channel();
        let (go, go_rx) = mpsc::channel::<()>();
        let (beats, beats_rx) = mpsc::channel();
        let first = std::sync::atomic::AtomicBool::new(true);
        hb.start(Box::new(move |_: &[u8]| {
            if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
                let _ = in_beat.send(());
                let _ = go_rx.recv_timeout(Duration::from_secs(5));
                return Beat::NotBound;
            }
            let _ = beats.send(());
            Beat::Sent
        }))
        .unwrap();
        hb.activate();
        in_beat_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        // The publisher is bound again while that beat is on its way.
        hb.activate();
        go.send(()).unwrap();
        assert!(
            beats_rx.recv_timeout(Duration::from_secs(2)).is_ok(),
            "no heartbeat after the bind"
        );
        hb.stop();
    }

    #[test]
    fn bad_settings_are_refused() {
        let hb = Heartbeat::default();
        assert!(hb.set(b"t", -1).is_err());
        assert!(hb.set(&[b'a'; MAX_TOPIC_LENGTH + 1], 10).is_err());
        assert!(hb.set(&[b'a'; MAX_TOPIC_LENGTH], 10).is_ok());
    }
}
