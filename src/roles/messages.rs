//! The role functions' messages: the frame layouts of the reference (client `[empty,
//! payload]`, server `[identity, empty, payload]`, publisher and subscriber `[filter, payload,
//! ...]`), their logging, and the server's answer to a request over the size limit.

use super::{Role, Roles};
use crate::error::{req, Code, Error, Result};
use crate::logging::{Direction, Entry};
use crate::protocol::Reply;
use crate::socket::Frames;
use std::time::{Duration, Instant};

impl Roles {
    /// Client: send `[empty, payload]`.
    pub fn client_send(&self, payload: &[u8]) -> Result<()> {
        self.svc
            .log_entry(Entry::Str(payload), Some(Direction::Outgoing), None);
        self.with_socket(Role::Client, |s, _| {
            send_frames(s, &[b"", payload], "client")
        })
    }

    /// Server: send `[identity, empty, payload]`.
    pub fn server_send(&self, identity: &[u8], payload: &[u8]) -> Result<()> {
        self.svc.log_entry(
            Entry::Str(payload),
            Some(Direction::Outgoing),
            Some(identity),
        );
        if identity.is_empty() {
            return Err(Error::invalid_arg(
                "zeromq_server_send: the identity is empty.",
            ));
        }
        self.with_socket(Role::Server, |s, _| {
            send_frames(s, &[identity, b"", payload], "server")
        })
    }

    /// Send a reply's text to `identity` through the server socket; a failure is reported as
    /// output (the caller has nobody else to tell).
    pub fn send_reply_text(&self, identity: &[u8], text: &[u8]) {
        let r = self.with_socket(Role::Server, |s, _| {
            send_frames(s, &[identity, b"", text], "server")
        });
        if let Err(e) = r {
            self.report_send_failure(identity, &e);
        }
    }

    /// Report a reply that could not be sent.
    pub fn report_send_failure(&self, identity: &[u8], e: &Error) {
        self.svc.emergency(&format!(
            "Could not send the reply to {}: {}",
            printable(identity),
            e.detail
        ));
    }

    /// Publisher: send `[filter, payload]`.
    pub fn pub_send(&self, filter: &[u8], payload: &[u8]) -> Result<()> {
        if self.svc.logging() {
            let mut text = filter.to_vec();
            text.push(b':');
            text.extend_from_slice(payload);
            self.svc
                .log
                .log(Entry::Str(&text), Some(Direction::Outgoing), None);
        }
        // Publishing is the hot path of a host streaming data, and this is the whole of the
        // library's cost on top of libzmq's: one lock, no allocation, non-blocking sends (the
        // publisher never wakes the handler, so `with_socket`'s look at it is skipped).
        self.slot(Role::Publisher).sock.with_open(
            || self.open(Role::Publisher),
            |s, _| send_frames(s, &[filter, payload], "publisher"),
        )
    }

    /// Publisher: send two or more frames, the first being the filter.
    pub fn pub_send_multi(&self, frames: &[&[u8]]) -> Result<()> {
        if frames.len() < 2 {
            return Err(Error::new(
                Code::InvalidArg,
                format!(
                    "zeromq_pub_send_multi needs at least 2 frames (filter and payload), got {}.",
                    frames.len()
                ),
            ));
        }
        if self.svc.logging() {
            let mut text = frames[0].to_vec();
            text.push(b':');
            text.extend_from_slice(frames[1]);
            text.extend_from_slice(b" + [...]");
            self.svc
                .log
                .log(Entry::Str(&text), Some(Direction::Outgoing), None);
        }
        self.with_socket(Role::Publisher, |s, _| send_frames(s, frames, "publisher"))
    }

    /// Receive one whole message from a role's socket, waiting at most `timeout_ms`
    /// (-1 forever, 0 not at all). `None` when nothing arrived. A socket closed meanwhile by
    /// `zeromq_stop` or `zeromq_shutdown` ends the wait with `Code::Closed`: nothing can
    /// arrive on it any more, and a new socket opened here would wait forever with no bind or
    /// connection (after a shutdown, in a new context behind the host's back).
    pub fn recv(&self, role: Role, timeout_ms: i32) -> Result<Option<Frames>> {
        self.with_socket(role, |_, _| Ok(()))?;
        let r = self.slot(role).sock.recv(timeout_ms);
        // The receive may have consumed the signal the handler sleeps on.
        if role == Role::Server
            && self
                .with_existing(role, |s, _| self.watch.must_wake(s))
                .unwrap_or(false)
        {
            self.watch.wake();
        }
        r.map_err(|e| match e.code {
            Code::Closed => Error::new(
                Code::Closed,
                format!(
                    "The {} socket was closed (zeromq_stop or zeromq_shutdown) while this \
                     receive waited.",
                    role.name()
                ),
            ),
            _ => e,
        })
    }

    /// Client receive: `[delimiter, payload, data frames...]`, returns the frames after the
    /// delimiter.
    pub fn client_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let Some(frames) = self.recv(Role::Client, timeout_ms)? else {
            return Ok(None);
        };
        // The reference's layout is [delimiter, payload] (the delimiter's content is not
        // checked); a binary reply (the request said "binary": true) adds one frame per
        // numeric wave, returned after the payload rather than refused, so the caller loses
        // no reply it asked for.
        if frames.len() < 2 {
            return Err(layout_error(
                "client",
                &frames,
                "[delimiter, payload, data frames...]",
            ));
        }
        self.svc
            .log_entry(Entry::Str(&frames[1]), Some(Direction::Incoming), None);
        Ok(Some(frames.into_iter().skip(1).collect()))
    }

    /// Server receive: `[identity, empty, payload]`, returns `[identity, payload]`.
    pub fn server_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        let deadline = Instant::now() + Duration::from_millis(timeout_ms.max(0) as u64);
        let frames = loop {
            let left = if timeout_ms < 0 {
                -1
            } else {
                deadline
                    .saturating_duration_since(Instant::now())
                    .as_millis() as i32
            };
            let Some(frames) = self.recv(Role::Server, left)? else {
                return Ok(None);
            };
            // A request over the limit is answered (not handed to the host) and the wait
            // goes on.
            if !self.answer_oversized(&frames) {
                break frames;
            }
        };
        let frames = check_router_frames(frames)?;
        self.svc.log_entry(
            Entry::Str(&frames[1]),
            Some(Direction::Incoming),
            Some(&frames[0]),
        );
        Ok(Some(frames))
    }

    /// Subscriber receive of exactly `[filter, payload]`.
    pub fn sub_recv(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        self.sub_receive(timeout_ms, false)
    }

    /// Subscriber receive of two or more frames.
    pub fn sub_recv_multi(&self, timeout_ms: i32) -> Result<Option<Frames>> {
        self.sub_receive(timeout_ms, true)
    }

    fn sub_receive(&self, timeout_ms: i32, multi: bool) -> Result<Option<Frames>> {
        let Some(frames) = self.recv(Role::Subscriber, timeout_ms)? else {
            return Ok(None);
        };
        let fits = if multi {
            frames.len() >= 2
        } else {
            frames.len() == 2
        };
        if !fits {
            let expected = if multi {
                "at least 2 frames [filter, payload, ...]"
            } else {
                "2 frames [filter, payload]"
            };
            return Err(layout_error("subscriber", &frames, expected));
        }
        if self.svc.logging() {
            let mut text = frames[0].to_vec();
            text.push(b':');
            text.extend_from_slice(&frames[1]);
            if multi {
                text.extend_from_slice(b" + [...]");
            }
            self.svc
                .log
                .log(Entry::Str(&text), Some(Direction::Incoming), None);
        }
        Ok(Some(frames))
    }

    /// A request (`[identity, "", payload, ...]`, as received by the ROUTER) whose payload
    /// exceeds the server's limit is answered with `REQ_OUT_OF_MEMORY` and a text naming both
    /// sizes; returns whether it was. Messages of another layout are left to the layout check.
    pub fn answer_oversized(&self, frames: &[zmq::Message]) -> bool {
        let limit = self.svc.settings.max_message_size();
        // [identity, empty, json, data frames...]: the limit is on the whole request.
        if limit < 0 || frames.len() < 3 || !frames[1].is_empty() {
            return false;
        }
        let size: u64 = frames[2..].iter().map(|f| f.len() as u64).sum();
        if size <= limit as u64 {
            return false;
        }
        let text = format!(
            "Request cancelled: the request is {size} bytes, more than the server's limit of \
             {limit} bytes (zeromq_set_max_message_size)."
        );
        self.svc.log_entry(
            Entry::Str(text.as_bytes()),
            Some(Direction::Incoming),
            Some(&frames[0]),
        );
        let mut r = Reply::new(None);
        r.error_with_message(req::OUT_OF_MEMORY, &text);
        self.send_reply_text(&frames[0], &r.to_json().to_pretty());
        true
    }
}

/// Send frames with MORE on all but the last, without blocking.
#[inline]
pub fn send_frames(s: &zmq::Socket, frames: &[&[u8]], role: &str) -> Result<()> {
    let last = frames.len() - 1;
    for (i, f) in frames.iter().enumerate() {
        let flags = zmq::DONTWAIT | if i < last { zmq::SNDMORE } else { 0 };
        if let Err(err) = s.send(*f, flags) {
            return Err(send_error(err, role, i, frames.len()));
        }
    }
    Ok(())
}

/// The error of a failed send, with what it means (kept out of the sending loop).
#[cold]
#[inline(never)]
pub fn send_error(err: zmq::Error, role: &str, i: usize, count: usize) -> Error {
    let mut e = Error::zmq("zmq_send", err);
    let hint = match err {
        zmq::Error::EAGAIN => {
            " (the message could not be queued: no peer connected, or its queue is full)"
        }
        zmq::Error::EHOSTUNREACH => " (no peer with that identity is connected)",
        _ => "",
    };
    e.detail = format!(
        "{}{} on the {} socket, frame {} of {}",
        e.detail,
        hint,
        role,
        i + 1,
        count
    );
    e
}

/// Check `[identity, empty, payload]` and return `[identity, payload]`.
pub fn check_router_frames(frames: Frames) -> Result<Frames> {
    if frames.len() != 3 || !frames[1].is_empty() {
        return Err(layout_error(
            "server",
            &frames,
            "3 frames [identity, empty delimiter, payload]",
        ));
    }
    let mut it = frames.into_iter();
    let id = it.next().expect("identity");
    let _ = it.next();
    let payload = it.next().expect("payload");
    Ok(vec![id, payload])
}

fn layout_error(role: &str, frames: &Frames, expected: &str) -> Error {
    let sizes: Vec<String> = frames.iter().map(|f| f.len().to_string()).collect();
    Error::new(
        Code::InvalidMessageFormat,
        format!(
            "The {} socket received {} frame(s) of sizes [{}] where {} were expected.",
            role,
            frames.len(),
            sizes.join(", "),
            expected
        ),
    )
}

/// Bytes (a routing identity) as a quoted text line: printable ASCII as is, every other
/// byte as `\xNN`, so no raw binary reaches the host's output.
pub fn printable(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                s.push('\\');
                s.push(b as char);
            }
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}
