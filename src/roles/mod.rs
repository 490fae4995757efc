//! The four role sockets of the reference (client DEALER, server ROUTER, publisher PUB,
//! subscriber SUB): a thin layer over [`GenericSocket`]s. Each is created on first use with the
//! role's defaults and the host's role options, records its binds and connections (and the
//! subscriber its filters), and is closed by `zeromq_stop` and created again by the next role
//! call. The role functions' frame layouts are in `messages.rs`, the filters in `filters.rs`,
//! the handler thread's claim on the server socket in `watch.rs`.

mod filters;
mod messages;
mod watch;

pub use messages::{check_router_frames, printable, send_error, send_frames};
pub use watch::{mark_handler_thread, on_handler_thread, ServerWatch};

use crate::error::{Code, Error, Result};
use crate::host_queue::processing_here;
use crate::role::Role;
use crate::security::{exposure_warning, ROLE_ZAP_DOMAIN};
use crate::services::Services;
use crate::settings::transport_limit;
use crate::socket::context::{Context, Socket};
use crate::socket::options::{role_option, RoleOptions};
use crate::socket::waker::RawFd;
use crate::socket::GenericSocket;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest subscriber filter in bytes. libzmq's subscription trie adds, removes and
/// frees a filter with one level of recursion per byte (on the caller's thread and on its
/// reaper thread): a 1024-byte filter needs under 96 KiB of stack (4096 bytes needed about
/// 300 KiB, 200 000 overflowed Octave's 8 MiB), safe on any host thread; longer filters are
/// refused (`FilterTooLong`). Measured by tests/hardening.rs.
pub const MAX_FILTER_LENGTH: usize = 1024;

/// How long a closed socket's queued messages may delay the context's termination, in ms.
pub const CLOSE_LINGER_MS: i32 = 200;

/// How long an address closed by `zeromq_stop` may still be held by libzmq (which releases
/// listeners asynchronously): a bind to it within this time is retried.
const RELEASE_GRACE: Duration = Duration::from_secs(2);

const ROLES: [Role; 4] = [
    Role::Client,
    Role::Server,
    Role::Publisher,
    Role::Subscriber,
];

/// One role's socket and the subscriber's filters.
struct Slot {
    sock: GenericSocket,
    /// Locked before the socket when both are (`filters.rs`, `stop`).
    filters: Mutex<Vec<Vec<u8>>>,
}

/// The four role sockets.
pub struct Roles {
    svc: Arc<Services>,
    slots: [Slot; 4],
    /// Options the host set on the role sockets (kept across `zeromq_stop`).
    options: RoleOptions,
    /// Endpoints unbound by `zeromq_stop` lately, for [`Roles::attach`]'s retry.
    released: Mutex<Vec<(String, Instant)>>,
    client_serial: AtomicU64,
    /// The handler thread's sleep on the server socket.
    pub watch: ServerWatch,
    /// The server socket a remote call closed with `zeromq_stop`: kept until that call's
    /// reply has gone out through it.
    retired: Mutex<Option<Socket>>,
}

impl Roles {
    /// The role sockets (none open yet) over `svc`.
    pub fn new(svc: Arc<Services>) -> Roles {
        Roles {
            svc,
            slots: ROLES.map(|r| Slot {
                sock: GenericSocket::unopened(r.kind()),
                filters: Mutex::new(Vec::new()),
            }),
            options: RoleOptions::default(),
            released: Mutex::new(Vec::new()),
            client_serial: AtomicU64::new(0),
            watch: ServerWatch::default(),
            retired: Mutex::new(None),
        }
    }

    /// The services the role sockets use.
    pub fn services(&self) -> &Arc<Services> {
        &self.svc
    }

    fn slot(&self, role: Role) -> &Slot {
        &self.slots[role as usize]
    }

    /// A new socket for `role` with the role's defaults, then the host's options.
    fn open(&self, role: Role) -> Result<Socket> {
        let e = |call: &'static str| move |err| Error::zmq(call, err);
        let s = self
            .svc
            .context()
            .socket_raw(role.kind())
            .map_err(e("zmq_socket"))?;
        s.set_linger(0).map_err(e("zmq_setsockopt(ZMQ_LINGER)"))?;
        s.set_sndtimeo(0)
            .map_err(e("zmq_setsockopt(ZMQ_SNDTIMEO)"))?;
        s.set_rcvtimeo(0)
            .map_err(e("zmq_setsockopt(ZMQ_RCVTIMEO)"))?;
        match role {
            Role::Client => {
                let n = self.client_serial.fetch_add(1, Ordering::Relaxed);
                let id = format!("zeromq xop: dealer {}-{}", std::process::id(), n);
                s.set_identity(id.as_bytes())
                    .map_err(e("zmq_setsockopt(ZMQ_ROUTING_ID)"))?;
            }
            Role::Server => {
                s.set_identity(b"zeromq xop: router")
                    .map_err(e("zmq_setsockopt(ZMQ_ROUTING_ID)"))?;
                s.set_router_mandatory(true)
                    .map_err(e("zmq_setsockopt(ZMQ_ROUTER_MANDATORY)"))?;
                s.set_maxmsgsize(transport_limit(self.svc.settings.max_message_size()))
                    .map_err(e("zmq_setsockopt(ZMQ_MAXMSGSIZE)"))?;
            }
            _ => {}
        }
        if self.svc.settings.ipv6() {
            s.set_ipv6(true).map_err(e("zmq_setsockopt(ZMQ_IPV6)"))?;
        }
        if role.binds() {
            // The binding roles get the library's ZAP domain, so address rules apply to them;
            // rules set before a shutdown are enforced again.
            s.set_zap_domain(ROLE_ZAP_DOMAIN)
                .map_err(e("zmq_setsockopt(ZMQ_ZAP_DOMAIN)"))?;
            self.svc.security.sync_zap(&self.svc.context())?;
        }
        self.options.apply_all(role as usize, &s)?;
        Ok(s)
    }

    /// Run `f` with the role's socket (created on first use) and its endpoints, under the
    /// socket's lock.
    pub fn with_socket<T>(
        &self,
        role: Role,
        f: impl FnOnce(&Socket, &mut Vec<String>) -> Result<T>,
    ) -> Result<T> {
        let mut wake = false;
        let r = self.slot(role).sock.with_open(
            || self.open(role),
            |s, endpoints| {
                let r = f(s, endpoints);
                // The handler sleeps on the server socket's notification descriptor, which
                // this use may have consumed (decided under the socket's lock).
                wake = role == Role::Server && self.watch.must_wake(s);
                Ok(r)
            },
        );
        // Outside the socket's lock.
        if wake {
            self.watch.wake();
        }
        r.and_then(|r| r)
    }

    /// Run `f` with the role's socket and endpoints only if the socket is open.
    pub fn with_existing<T>(
        &self,
        role: Role,
        f: impl FnOnce(&Socket, &[String]) -> T,
    ) -> Option<T> {
        let mut out = None;
        let _ = self.slot(role).sock.with_socket(|s, endpoints| {
            out = Some(f(s, endpoints));
            Ok(())
        });
        out
    }

    /// The serial number of the role's socket (its id for polling), if it is open.
    pub fn serial(&self, role: Role) -> Option<u64> {
        self.with_existing(role, |s, _| s.serial())
    }

    /// Events and notification descriptor of the role socket with serial number `serial`, for
    /// a poller; `Code::Closed` once that socket is gone.
    pub fn poll_state(&self, role: Role, serial: u64) -> Result<(zmq::PollEvents, RawFd)> {
        let mut wake = false;
        let r = self
            .with_existing(role, |s, _| {
                if s.serial() != serial {
                    return Err(Error::new(
                        Code::Closed,
                        format!("The {role:?} role socket this id was given for was closed."),
                    ));
                }
                let ev = s
                    .get_events()
                    .map_err(|e| Error::zmq("zmq_getsockopt(ZMQ_EVENTS)", e))?;
                let fd = s
                    .get_fd()
                    .map_err(|e| Error::zmq("zmq_getsockopt(ZMQ_FD)", e))?;
                // Reading the events may have consumed the signal the handler sleeps on.
                wake = role == Role::Server && self.watch.must_wake(s);
                Ok((ev, fd as RawFd))
            })
            .unwrap_or_else(|| {
                Err(Error::new(
                    Code::Closed,
                    format!("The {role:?} role socket was closed."),
                ))
            });
        if wake {
            self.watch.wake();
        }
        r
    }

    /// Bind (server, publisher) or connect (client, subscriber); the resolved endpoint is
    /// recorded and returned.
    pub fn attach(&self, role: Role, endpoint: &[u8]) -> Result<String> {
        let ep = endpoint_str(endpoint)?;
        let resolved = self.with_socket(role, |sock, endpoints| {
            let r = if role.binds() {
                self.bind_retrying(sock, ep)
            } else {
                sock.connect(ep)
            };
            r.map_err(|err| {
                let call = if role.binds() {
                    "zmq_bind"
                } else {
                    "zmq_connect"
                };
                let mut e = Error::zmq(call, err);
                e.detail = format!("{} ({} endpoint \"{}\")", e.detail, role.name(), ep);
                e
            })?;
            let last = match sock.get_last_endpoint() {
                Ok(Ok(s)) if !s.is_empty() => s,
                _ => ep.to_string(),
            };
            endpoints.push(last.clone());
            Ok(last)
        })?;
        if role.binds() {
            self.warn_if_exposed(role, &resolved);
        }
        let how = if role.binds() {
            "bound to"
        } else {
            "connected to"
        };
        self.svc.debug(&format!("{} {how} {resolved}", role.name()));
        Ok(resolved)
    }

    /// Bind, retrying briefly when the address is still held by a socket closed just now.
    fn bind_retrying(&self, sock: &zmq::Socket, ep: &str) -> std::result::Result<(), zmq::Error> {
        let deadline = Instant::now() + Duration::from_millis(1000);
        loop {
            match sock.bind(ep) {
                Err(zmq::Error::EADDRINUSE)
                    if Instant::now() < deadline
                        && (self.release_retired(ep) || self.recently_released(ep)) =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                r => return r,
            }
        }
    }

    /// A remote function that called `zeromq_stop` binds the server again: the address may
    /// be held by the server socket kept for that call's reply. The host's bind wins (the
    /// reply then cannot reach its client, whose connection the unbind closes): returns
    /// whether that socket let go of `ep`.
    fn release_retired(&self, ep: &str) -> bool {
        let released = matches!(&*self.retired.lock(), Some(s) if s.unbind(ep).is_ok());
        if released {
            self.release(ep.to_string());
        }
        released
    }

    fn recently_released(&self, ep: &str) -> bool {
        let mut rel = self.released.lock();
        rel.retain(|(_, t)| t.elapsed() < RELEASE_GRACE);
        rel.iter().any(|(e, _)| e == ep)
    }

    /// Remember an unbound endpoint; older ones are dropped here, so the list stays small
    /// however often the host stops and binds.
    fn release(&self, ep: String) {
        let mut rel = self.released.lock();
        rel.retain(|(_, t)| t.elapsed() < RELEASE_GRACE);
        rel.push((ep, Instant::now()));
    }

    /// After a bind: one warning line when the endpoint is open to the network unchecked.
    fn warn_if_exposed(&self, role: Role, endpoint: &str) {
        let curve = self.options.curve_server(role as usize);
        let rules = self.svc.security.has_address_rule();
        if let Some(w) = exposure_warning(endpoint, curve, rules) {
            self.svc.output(&w);
        }
    }

    /// The endpoints a role is bound or connected to.
    pub fn endpoints(&self, role: Role) -> Vec<String> {
        self.with_existing(role, |_, eps| eps.to_vec())
            .unwrap_or_default()
    }

    /// Whether the server has at least one bind.
    pub fn server_bound(&self) -> bool {
        self.with_existing(Role::Server, |_, eps| !eps.is_empty())
            .unwrap_or(false)
    }

    /// Close every role socket, dropping binds, connections and filters (SPEC 9.1). Sockets
    /// are closed with a linger of [`CLOSE_LINGER_MS`]: messages already queued (a reply just
    /// sent) may still go out while the context terminates, for a bounded time.
    pub fn stop(&self) {
        for role in [
            Role::Client,
            Role::Subscriber,
            Role::Publisher,
            Role::Server,
        ] {
            let slot = self.slot(role);
            let mut filters = slot.filters.lock();
            let Some((sock, endpoints)) = slot.sock.take() else {
                filters.clear();
                continue;
            };
            let _ = sock.set_linger(CLOSE_LINGER_MS);
            if role == Role::Server && processing_here() {
                // A remote function called zeromq_stop: its client waits for the reply on
                // this socket's connection (unbinding would close it). Only the first: a
                // server bound and stopped again during the call is not that socket.
                let mut retired = self.retired.lock();
                if retired.is_none() {
                    *retired = Some(sock);
                    endpoints.into_iter().for_each(|ep| self.release(ep));
                    continue;
                }
            }
            for f in filters.drain(..) {
                let _ = sock.set_unsubscribe(&f);
            }
            for ep in endpoints {
                if role.binds() {
                    let _ = sock.unbind(&ep);
                    self.release(ep);
                } else {
                    let _ = sock.disconnect(&ep);
                }
            }
        }
    }

    /// The server socket that `zeromq_stop`, called by a remote function, took out of use:
    /// the reply to that call goes out through it.
    pub fn take_retired(&self) -> Option<Socket> {
        self.retired.lock().take()
    }

    /// Apply the IPv6 setting to the open role sockets.
    pub fn set_ipv6(&self, on: bool) -> Result<()> {
        for role in ROLES {
            if let Some(r) = self.with_existing(role, |s, _| s.set_ipv6(on)) {
                r.map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_IPV6)", e))?;
            }
        }
        Ok(())
    }

    /// Set the server's inbound message size limit (-1: none). The library enforces it on
    /// every request it receives, so it takes effect at once, also on a bound server: a
    /// larger request is answered with an error reply ([`Roles::answer_oversized`]). libzmq
    /// itself only drops messages over the transport limit the binds were made with
    /// ([`transport_limit`]); raising the limit beyond that on a bound server fails.
    pub fn set_max_message_size(&self, bytes: i64) -> Result<()> {
        if bytes < -1 {
            return Err(Error::invalid_arg(format!(
                "The maximum message size must be -1 (no limit) or >= 0, not {bytes}."
            )));
        }
        let checked = self.with_existing(Role::Server, |sock, endpoints| {
            let wanted = transport_limit(bytes);
            if endpoints.is_empty() {
                return sock
                    .set_maxmsgsize(wanted)
                    .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_MAXMSGSIZE)", e));
            }
            let bound = sock.get_maxmsgsize().unwrap_or(-1);
            if bound >= 0 && (wanted < 0 || wanted > bound) {
                return Err(Error::invalid_arg(format!(
                    "The server is bound with a transport limit of {bound} bytes; a limit of \
                     {bytes} takes effect only for a new server: call zeromq_stop, set the \
                     limit, then bind again."
                )));
            }
            Ok(())
        });
        checked.unwrap_or(Ok(()))?;
        self.svc.settings.store_max_message_size(bytes);
        Ok(())
    }

    /// Set an option on a role socket: applied now if the socket exists, and remembered
    /// (applied to every new socket of the role) once libzmq took it. A value libzmq refuses
    /// is an error now, also when no socket is open (it is tried on a scratch socket of the
    /// role's type), never a role whose every new socket fails.
    pub fn set_option(&self, role: Role, option: i32, value: &[u8]) -> Result<()> {
        let option = role_option(option)?;
        let value = option.role_value(value)?;
        match self.with_existing(role, |s, _| option.apply(s, &value)) {
            Some(applied) => applied?,
            None => {
                // A context of its own: the library's may not have started yet (its context
                // options can be set until its first socket exists).
                let scratch = Context::new()
                    .socket_raw(role.kind())
                    .map_err(|e| Error::zmq("zmq_socket", e))?;
                let _ = scratch.set_linger(0);
                option.apply(&scratch, &value)?;
            }
        }
        self.options.set(role as usize, option, value);
        Ok(())
    }
}

fn endpoint_str(ep: &[u8]) -> Result<&str> {
    let s = std::str::from_utf8(ep)
        .map_err(|_| Error::invalid_arg("The endpoint is not valid UTF-8."))?;
    if s.contains('\0') {
        return Err(Error::invalid_arg("The endpoint contains a NUL character."));
    }
    if s.is_empty() {
        return Err(Error::invalid_arg(
            "The endpoint is empty; expected e.g. \"tcp://127.0.0.1:5555\".",
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests;
