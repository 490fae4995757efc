//! Access rules as the library applies them: the rules behind the ZAP handler, whose refusals
//! go to the JSONL log and the debug output. (The role sockets' ZAP domain, options and
//! exposure warning are the roles' own; the allow list of remote calls is the handler's.)

use crate::error::{Error, Result};
use crate::json::Json;
use crate::logging::{Direction, Entry};
use crate::manager::Manager;
use crate::security::{certs, zap};
use std::path::Path;
use std::sync::Arc;

impl Manager {
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
}
