//! What every part of the library uses: the settings, the message log, the host queue (calls
//! and output), the security rules and the libzmq context. The role sockets and the handler are
//! built on these; nothing here knows of them.

use crate::host_queue::HostQueue;
use crate::logging::{Direction, Entry, Logger};
use crate::security::Security;
use crate::settings::Settings;
use crate::socket::context::Context;
use parking_lot::Mutex;

/// The services shared by the role sockets, the handler and the C ABI.
#[derive(Default)]
pub struct Services {
    /// Process-wide settings.
    pub settings: Settings,
    /// The message log.
    pub log: Logger,
    /// Calls and output waiting for the host's thread.
    pub host: HostQueue,
    /// Rules, the ZAP handler and the allowed remote calls.
    pub security: Security,
    /// The libzmq context: created on first use, terminated by the library's shutdown (so no
    /// libzmq thread outlives a host's unload of the library) and created again afterwards.
    ctx: Mutex<Option<Context>>,
}

impl Services {
    /// Services logging to `log`, with default settings.
    pub fn with_logger(log: Logger) -> Services {
        Services {
            log,
            ..Services::default()
        }
    }

    /// The libzmq context (created when there is none: after a shutdown the library works
    /// again).
    pub fn context(&self) -> Context {
        self.ctx.lock().get_or_insert_with(Context::new).clone()
    }

    /// Give up the library's handle to the context: it terminates (`zmq_ctx_term`) once the
    /// last socket in it is closed.
    pub fn release_context(&self) {
        let ctx = self.ctx.lock().take();
        drop(ctx);
    }

    /// Whether message logging is on.
    pub fn logging(&self) -> bool {
        self.settings.logging()
    }

    /// Log an entry if logging is on.
    pub fn log_entry(&self, entry: Entry<'_>, dir: Option<Direction>, identity: Option<&[u8]>) {
        if self.logging() {
            self.log.log(entry, dir, identity);
        }
    }

    /// A line of output for the host (see [`HostQueue::output`]).
    pub fn output(&self, text: &str) {
        self.host.output(text);
    }

    /// Deliver queued output (on the host's thread).
    pub fn flush_output(&self) {
        self.host.flush_output();
    }

    /// A debug line (only when the debug flag is on).
    pub fn debug(&self, text: &str) {
        if self.settings.debug() {
            self.output(&format!("Debug: {text}"));
        }
    }

    /// An emergency line (always).
    pub fn emergency(&self, text: &str) {
        self.output(&format!("Emergency: {text}"));
    }
}
