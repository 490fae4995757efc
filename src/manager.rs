//! The library as one object: the services (settings, log, host queue, security, context),
//! the four role sockets, the message handler and the heartbeat, wired together. The C ABI
//! uses one global instance; tests build their own. Nothing below this module knows of it:
//! each operation here is the parts' own, plus what ties them (a publisher bind starts the
//! heartbeat, a stop stops the handler first).

use crate::error::Result;
use crate::handler::Handler;
use crate::heartbeat::{Beat, Heartbeat};
use crate::host_queue::OutputFn;
use crate::logging::Logger;
use crate::roles::Roles;
use crate::services::Services;
use crate::socket::Frames;
use std::ops::Deref;
use std::sync::{Arc, Weak};
use std::time::Duration;

pub use crate::role::Role;
pub use crate::roles::{check_router_frames, MAX_FILTER_LENGTH};
pub use crate::settings::{
    SET_FLAGS_DEBUG, SET_FLAGS_DEFAULT, SET_FLAGS_IPV6, SET_FLAGS_LOGGING, SET_FLAGS_NOBUSYWAITRECV,
};

/// The library: its services and the parts built on them.
pub struct Manager {
    services: Arc<Services>,
    /// The four role sockets.
    pub roles: Arc<Roles>,
    /// The message handler (thread, dispatcher).
    pub handler: Arc<Handler>,
    heartbeat: Heartbeat,
}

/// A manager is used through its services (`settings`, `log`, `security`, output) as much as
/// through its own operations.
impl Deref for Manager {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.services
    }
}

impl Manager {
    /// A manager with its own libzmq context and default settings.
    pub fn new() -> Arc<Manager> {
        Manager::with_logger(Logger::default())
    }

    /// A manager logging to the given logger.
    pub fn with_logger(log: Logger) -> Arc<Manager> {
        let services = Arc::new(Services::with_logger(log));
        let roles = Arc::new(Roles::new(Arc::clone(&services)));
        Arc::new(Manager {
            handler: Arc::new(Handler::new(Arc::clone(&roles))),
            roles,
            services,
            heartbeat: Heartbeat::default(),
        })
    }

    // ---------------------------------------------------------------- settings

    /// Apply `zeromq_set` flags (SPEC 3).
    pub fn set_flags(&self, flags: i32) -> Result<()> {
        self.settings
            .set_flags(flags, |on| self.roles.set_ipv6(on))?;
        if flags & SET_FLAGS_DEBUG != 0 {
            let (a, b, c) = zmq::version();
            self.debug(&format!(
                "libzmq version {a}.{b}.{c}, zeromq-xop {}",
                env!("CARGO_PKG_VERSION")
            ));
        }
        Ok(())
    }

    /// The current settings as `zeromq_set` bits.
    pub fn flags(&self) -> i32 {
        self.settings.flags()
    }

    /// Set the server's inbound message size limit (see [`Roles::set_max_message_size`]).
    pub fn set_max_message_size(&self, bytes: i64) -> Result<()> {
        self.roles.set_max_message_size(bytes)
    }

    /// The server's inbound message size limit.
    pub fn max_message_size(&self) -> i64 {
        self.settings.max_message_size()
    }

    /// Install (or remove) the host's output function (see
    /// [`crate::host_queue::HostQueue::set_output`]).
    pub fn set_output(&self, sink: Option<OutputFn>) {
        self.host.set_output(sink);
    }

    // ---------------------------------------------------------------- role sockets

    /// Bind (server, publisher) or connect (client, subscriber); the resolved endpoint is
    /// recorded and returned. A publisher bind starts the heartbeat.
    pub fn attach(self: &Arc<Self>, role: Role, endpoint: &[u8]) -> Result<String> {
        let resolved = self.roles.attach(role, endpoint)?;
        if role == Role::Publisher {
            self.start_heartbeat();
            self.heartbeat.activate();
        }
        Ok(resolved)
    }

    /// The endpoints a role is bound or connected to.
    pub fn endpoints(&self, role: Role) -> Vec<String> {
        self.roles.endpoints(role)
    }

    /// Set an option on a role socket (see [`Roles::set_option`]).
    pub fn set_role_option(&self, role: Role, option: i32, value: &[u8]) -> Result<()> {
        self.roles.set_option(role, option, value)
    }

    /// Client: send `[empty, payload]`.
    pub fn client_send(&self, payload: &[u8]) -> Result<()> {
        self.roles.client_send(payload)
    }

    /// Server: send `[identity, empty, payload]`.
    pub fn server_send(&self, identity: &[u8], payload: &[u8]) -> Result<()> {
        self.roles.server_send(identity, payload)
    }

    /// Publisher: send `[filter, payload]`.
    pub fn pub_send(&self, filter: &[u8], payload: &[u8]) -> Result<()> {
        self.roles.pub_send(filter, payload)
    }

    /// Publisher: send two or more frames, the first being the filter.
    pub fn pub_send_multi(&self, frames: &[&[u8]]) -> Result<()> {
        self.roles.pub_send_multi(frames)
    }

    /// Client receive: returns the payload.
    pub fn client_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        self.roles.client_recv(timeout_ms)
    }

    /// Server receive: returns `[identity, payload]`.
    pub fn server_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        self.roles.server_recv(timeout_ms)
    }

    /// Subscriber receive of exactly `[filter, payload]`.
    pub fn sub_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        self.roles.sub_recv(timeout_ms)
    }

    /// Subscriber receive of two or more frames.
    pub fn sub_recv_multi(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        self.roles.sub_recv_multi(timeout_ms)
    }

    /// Subscribe to a filter (byte-exact; empty means everything).
    pub fn sub_add_filter(&self, filter: &[u8]) -> Result<()> {
        self.roles.sub_add_filter(filter)
    }

    /// Unsubscribe a filter; the empty filter removes every filter.
    pub fn sub_remove_filter(&self, filter: &[u8]) -> Result<()> {
        self.roles.sub_remove_filter(filter)
    }

    /// The current filter list.
    pub fn filters(&self) -> Vec<Vec<u8>> {
        self.roles.filters()
    }

    // ---------------------------------------------------------------- heartbeat

    /// Set the heartbeat's topic and period (`period_ms` 0: no heartbeat).
    pub fn set_heartbeat(&self, topic: &[u8], period_ms: i32) -> Result<()> {
        self.heartbeat.set(topic, period_ms)
    }

    /// The heartbeat's topic and period.
    pub fn heartbeat(&self) -> (Vec<u8>, Duration) {
        self.heartbeat.get()
    }

    /// Start the heartbeat thread if it is not running. It publishes through the publisher
    /// role socket, which it holds only weakly: a manager can be dropped while its heartbeat
    /// thread sleeps.
    pub fn start_heartbeat(&self) {
        let roles: Weak<Roles> = Arc::downgrade(&self.roles);
        let publish = Box::new(move |topic: &[u8]| {
            let Some(roles) = roles.upgrade() else {
                return Beat::Gone;
            };
            // Only an open, bound publisher beats (a closed one is not opened again here).
            let sent = roles.with_existing(Role::Publisher, |s, endpoints| {
                (!endpoints.is_empty())
                    .then(|| crate::roles::send_frames(s, &[topic, b""], "publisher"))
            });
            match sent.flatten() {
                None => Beat::NotBound,
                Some(Ok(())) => Beat::Sent,
                Some(Err(e)) => {
                    let text = format!("Could not send the heartbeat: {}", e.detail);
                    roles.services().emergency(&text);
                    Beat::Sent
                }
            }
        });
        if let Err(e) = self.heartbeat.start(publish) {
            self.emergency(&format!("Could not start the heartbeat thread: {e}"));
        }
    }

    /// Stop the heartbeat thread promptly and wait for it.
    pub fn stop_heartbeat(&self) {
        self.heartbeat.stop();
    }

    // ---------------------------------------------------------------- stop

    /// Close every socket, dropping binds, connections and filters; stop the handler and drop
    /// its queued calls (SPEC 9.1 and 15.6). Settings survive.
    pub fn stop(&self) {
        self.handler.stop();
        self.host.clear_calls();
        self.heartbeat.deactivate();
        self.roles.stop();
    }

    /// Stop everything: handler, heartbeat, sockets, then terminate the libzmq context, which
    /// joins libzmq's own threads (host shutdown or unload; see docs/HARDENING.md). Sockets
    /// are closed with a linger of [`crate::roles::CLOSE_LINGER_MS`]: the termination waits
    /// at most that long for messages still queued.
    pub fn shutdown(&self) {
        self.stop();
        self.stop_heartbeat();
        self.security.stop_zap();
        // The last reference to the context terminates it (zmq_ctx_term): every socket of
        // this manager is closed by now, and each of them held a reference.
        self.release_context();
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        self.handler.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_publisher_bind_starts_the_heartbeat_and_stop_silences_it() {
        let m = Manager::new();
        m.set_heartbeat(b"hb", 30).unwrap();
        let ep = m.attach(Role::Publisher, b"tcp://127.0.0.1:*").unwrap();
        let ctx = zmq::Context::new();
        let sub = ctx.socket(zmq::SUB).unwrap();
        sub.set_linger(0).unwrap();
        sub.set_subscribe(b"hb").unwrap();
        sub.set_rcvtimeo(5000).unwrap();
        sub.connect(&ep).unwrap();
        let beat = sub.recv_multipart(0).expect("a heartbeat within 5 s");
        assert_eq!(beat, [b"hb".to_vec(), Vec::new()]);
        m.stop();
        // Drain what was on its way, then nothing more arrives.
        sub.set_rcvtimeo(200).unwrap();
        while sub.recv_multipart(0).is_ok() {}
        assert!(sub.recv_multipart(0).is_err());
        // Dropped while its heartbeat thread sleeps: nothing waits for the manager.
        let t = Instant::now();
        m.shutdown();
        drop(m);
        assert!(t.elapsed() < Duration::from_secs(2));
    }
}
