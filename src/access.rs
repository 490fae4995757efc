//! Access control as the manager applies it: role socket options and the ZAP domain of the
//! binding roles, the rules behind the ZAP handler (refusals go to the JSONL log and the debug
//! output), the warning for a bind open to the network, and the allow list of remote calls.

use crate::error::{Error, Result};
use crate::json::Json;
use crate::logging::{Direction, Entry};
use crate::manager::{Manager, Role};
use crate::protocol::Call;
use crate::role_options::{self, Value};
use crate::security::{certs, exposure_warning, zap, ROLE_ZAP_DOMAIN};
use std::path::Path;
use std::sync::Arc;

/// libzmq's `ZMQ_CURVE_SERVER`.
const CURVE_SERVER: i32 = 47;

impl Manager {
    /// Set an option on a role socket: remembered, and applied now if the socket exists.
    pub fn set_role_option(&self, role: Role, option: i32, value: &[u8]) -> Result<()> {
        let spec = role_options::spec(option)?;
        let value = spec.parse(value)?;
        self.role_options.set(role as usize, spec, value.clone());
        self.with_existing(role, |s| spec.apply(s, &value))
            .unwrap_or(Ok(()))
    }

    /// Prepare a new role socket: the binding roles get the library's ZAP domain (so address
    /// rules apply to them), then the host's options for the role are applied.
    pub(crate) fn prepare_role_socket(&self, role: Role, sock: &zmq::Socket) -> Result<()> {
        if matches!(role, Role::Server | Role::Publisher) {
            sock.set_zap_domain(ROLE_ZAP_DOMAIN)
                .map_err(|e| Error::zmq("zmq_setsockopt(ZMQ_ZAP_DOMAIN)", e))?;
            // Rules set before a shutdown are enforced again.
            // An owned handle: the context may be replaced after a shutdown.
            let ctx = self.context().clone();
            self.security.sync_zap(&ctx)?;
        }
        self.role_options.apply_all(role as usize, sock)
    }

    /// After a bind: one warning line when the endpoint is open to the network unchecked.
    pub(crate) fn warn_if_exposed(&self, role: Role, endpoint: &str) {
        let curve = matches!(
            self.role_options.get(role as usize, CURVE_SERVER),
            Some(Value::Int(v)) if v != 0
        );
        if let Some(w) = exposure_warning(endpoint, curve, self.security.has_address_rule()) {
            self.output(&w);
        }
    }

    fn change_rules<T>(
        self: &Arc<Self>,
        change: impl FnOnce(&mut crate::security::rules::Rules) -> Result<T>,
    ) -> Result<T> {
        let weak = Arc::downgrade(self);
        let report: zap::Reporter = Arc::new(move |r: &zap::Refusal| {
            if let Some(m) = weak.upgrade() {
                m.report_refusal(r);
            }
        });
        let ctx = self.context().clone();
        self.security.update_rules(&ctx, report, change)
    }

    fn report_refusal(&self, r: &zap::Refusal) {
        let doc = Json::obj([
            ("refused", Json::Str(r.address.clone())),
            ("mechanism", Json::Str(r.mechanism.clone())),
            ("domain", Json::Str(r.domain.clone())),
            ("reason", Json::Str(r.reason.clone())),
        ]);
        self.log_entry(Entry::Json(&doc), Some(Direction::Incoming), None);
        self.debug(&format!(
            "refused a connection from {} ({}): {}",
            r.address, r.mechanism, r.reason
        ));
    }

    /// Allow an IP address or CIDR block (from then on all others are refused).
    pub fn auth_allow(self: &Arc<Self>, address: &[u8]) -> Result<()> {
        let b = self.change_rules(|r| r.allow(address))?;
        self.debug(&format!("auth: allowed {b}"));
        Ok(())
    }

    /// Deny an IP address or CIDR block.
    pub fn auth_deny(self: &Arc<Self>, address: &[u8]) -> Result<()> {
        let b = self.change_rules(|r| r.deny(address))?;
        self.debug(&format!("auth: denied {b}"));
        Ok(())
    }

    /// Allow a CURVE client key (Z85).
    pub fn auth_allow_key(self: &Arc<Self>, key: &[u8]) -> Result<()> {
        self.change_rules(|r| r.allow_key(key))
    }

    /// Allow the public keys of every `*.key` certificate in a folder; returns how many.
    pub fn auth_allow_keys_from(self: &Arc<Self>, dir: &Path) -> Result<usize> {
        let keys = certs::read_folder(dir)?;
        if keys.is_empty() {
            return Err(Error::new(
                crate::error::Code::InvalidCertificate,
                format!("No *.key certificate in \"{}\".", dir.display()),
            ));
        }
        let n = keys.len();
        self.change_rules(|r| {
            keys.into_iter().for_each(|k| r.allow_key_bytes(k));
            Ok(())
        })?;
        Ok(n)
    }

    /// Remove every rule; the ZAP handler stops.
    pub fn auth_reset(&self) {
        self.security.reset_rules();
    }

    /// Whether a remote call may reach the dispatcher; a refused one is logged.
    pub(crate) fn call_allowed(&self, call: &Call) -> bool {
        if self.security.call_allowed(call.name().as_bytes()) {
            return true;
        }
        let doc = Json::obj([
            ("refused function", Json::Str(call.name().to_string())),
            ("reason", Json::Str("not in the allowed functions".into())),
        ]);
        self.log_entry(
            Entry::Json(&doc),
            Some(Direction::Incoming),
            Some(&call.identity),
        );
        self.debug(&format!(
            "refused a call of \"{}\": not in the allowed functions",
            call.name()
        ));
        false
    }
}
