//! Security: CURVE keys and certificate files, address and key rules enforced by a ZAP handler
//! inside the library, and the list of functions remote clients may call.
//!
//! Nothing here knows the manager: `crate::access` wires it to the role sockets, the log and
//! the host's output.

pub mod certs;
pub mod keys;
pub mod rules;
pub mod zap;

use crate::error::Result;
use parking_lot::{Mutex, RwLock};
use rules::Rules;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The ZAP domain the server and publisher roles get, so that address rules apply to them
/// even without CURVE (libzmq asks the handler about NULL connections only with a domain).
pub const ROLE_ZAP_DOMAIN: &str = "zeromq-xop";

/// Rules, the ZAP handler and the function allow list.
#[derive(Default)]
pub struct Security {
    rules: Arc<RwLock<Rules>>,
    zap: zap::Zap,
    reporter: Mutex<Option<zap::Reporter>>,
    calls: RwLock<BTreeSet<Vec<u8>>>,
}

impl Security {
    /// Change the rules; with any rule the ZAP handler runs (started in `ctx`), without any it
    /// stops. `report` is kept for refusals (also after a restart).
    pub fn update_rules<T>(
        &self,
        ctx: &crate::socket::context::Context,
        report: zap::Reporter,
        change: impl FnOnce(&mut Rules) -> Result<T>,
    ) -> Result<T> {
        let r = change(&mut self.rules.write())?;
        *self.reporter.lock() = Some(report);
        self.sync_zap(ctx)?;
        Ok(r)
    }

    /// Start the handler when rules exist and it does not run (e.g. after a shutdown); stop it
    /// when no rule exists.
    pub fn sync_zap(&self, ctx: &crate::socket::context::Context) -> Result<()> {
        if self.rules.read().is_empty() {
            self.zap.stop();
            return Ok(());
        }
        let report = self.reporter.lock().clone();
        match report {
            Some(report) => self.zap.start(ctx, Arc::clone(&self.rules), report),
            None => Ok(()),
        }
    }

    /// Remove every rule and stop the handler.
    pub fn reset_rules(&self) {
        *self.rules.write() = Rules::default();
        self.zap.stop();
    }

    /// Whether an address rule exists.
    pub fn has_address_rule(&self) -> bool {
        self.rules.read().has_address_rule()
    }

    /// Whether the ZAP handler runs.
    pub fn zap_running(&self) -> bool {
        self.zap.is_running()
    }

    /// Stop the ZAP handler (library shutdown); the rules stay and it starts again with the
    /// next role socket that binds.
    pub fn stop_zap(&self) {
        self.zap.stop();
    }

    /// Let remote clients call `name` (once any name is listed, only listed names).
    pub fn allow_call(&self, name: &[u8]) {
        self.calls.write().insert(name.to_vec());
    }

    /// Let remote clients call every function again.
    pub fn reset_calls(&self) {
        self.calls.write().clear();
    }

    /// Whether remote clients may call `name`.
    pub fn call_allowed(&self, name: &[u8]) -> bool {
        let calls = self.calls.read();
        calls.is_empty() || calls.contains(name)
    }
}

/// The warning for a bind that anyone on the network can reach unchecked: a TCP-like endpoint
/// whose host is not a loopback address, on a socket without CURVE, with no address rule.
pub fn exposure_warning(endpoint: &str, curve: bool, address_rule: bool) -> Option<String> {
    if curve || address_rule {
        return None;
    }
    let (scheme, rest) = endpoint.split_once("://")?;
    if !matches!(scheme, "tcp" | "ws" | "wss") {
        return None;
    }
    let host = match rest.rsplit_once(':') {
        Some((h, _)) => h,
        None => rest,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host == "localhost" || rules::peer_ip(host).is_some_and(|ip| ip.is_loopback());
    (!loopback).then(|| {
        format!(
            "Warning: {endpoint} is reachable from the network without CURVE or an address \
             rule: anyone who reaches it can call the host's functions (see the README, \
             \"Security\")."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposure() {
        assert!(exposure_warning("tcp://0.0.0.0:5670", false, false).is_some());
        assert!(exposure_warning("tcp://[::]:5670", false, false).is_some());
        assert!(exposure_warning("tcp://eth0:5670", false, false).is_some());
        assert!(exposure_warning("tcp://127.0.0.1:5670", false, false).is_none());
        assert!(exposure_warning("tcp://[::1]:5670", false, false).is_none());
        assert!(exposure_warning("tcp://localhost:5670", false, false).is_none());
        assert!(exposure_warning("ipc:///tmp/x", false, false).is_none());
        assert!(exposure_warning("tcp://0.0.0.0:5670", true, false).is_none());
        assert!(exposure_warning("tcp://0.0.0.0:5670", false, true).is_none());
    }

    #[test]
    fn call_list() {
        let s = Security::default();
        assert!(s.call_allowed(b"system"));
        s.allow_call(b"add");
        assert!(s.call_allowed(b"add"));
        assert!(!s.call_allowed(b"system"));
        s.reset_calls();
        assert!(s.call_allowed(b"system"));
    }
}
