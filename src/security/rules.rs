//! Address rules (IP addresses and CIDR blocks, IPv4 and IPv6) and the decision the ZAP handler
//! makes from them and from the list of allowed CURVE client keys.

use super::keys::{parse_z85, z85, Key};
use crate::error::{Code, Error, Result};
use std::collections::BTreeSet;
use std::net::IpAddr;

/// An address block: an address and how many leading bits must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    addr: IpAddr,
    prefix: u8,
}

impl Block {
    /// Parse "10.1.2.3", "10.0.0.0/8", "::1", "fe80::/10" (an IPv4-mapped IPv6 address counts
    /// as the IPv4 address).
    pub fn parse(text: &[u8]) -> Result<Block> {
        let bad = |why: &str| {
            Error::new(
                Code::InvalidAddress,
                format!(
                    "\"{}\" is not an IP address or CIDR block: {why}.",
                    String::from_utf8_lossy(text).escape_default()
                ),
            )
        };
        let s = std::str::from_utf8(text)
            .map_err(|_| bad("not text"))?
            .trim();
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (s, None),
        };
        let addr = normalize(
            ip.parse::<IpAddr>()
                .map_err(|_| bad("expected e.g. 192.168.1.7, 10.0.0.0/8 or ::1"))?,
        );
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => return Err(bad(&format!("the prefix length must be 0 to {max}"))),
            },
        };
        Ok(Block { addr, prefix })
    }

    /// Whether `ip` lies in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, normalize(ip)) {
            (IpAddr::V4(a), IpAddr::V4(b)) => prefix_eq(&a.octets(), &b.octets(), self.prefix),
            (IpAddr::V6(a), IpAddr::V6(b)) => prefix_eq(&a.octets(), &b.octets(), self.prefix),
            _ => false,
        }
    }
}

impl std::fmt::Display for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn normalize(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let full = usize::from(bits / 8);
    let rest = bits % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    a[full] & mask == b[full] & mask
}

/// The peer address libzmq reports in a ZAP request ("127.0.0.1", "::1", "::ffff:10.0.0.2",
/// "fe80::1%eth0": the zone does not matter for the rules).
pub fn peer_ip(address: &str) -> Option<IpAddr> {
    let ip = address.split('%').next().unwrap_or(address);
    ip.parse::<IpAddr>().ok().map(normalize)
}

/// All rules: allowed and denied blocks, allowed CURVE client keys.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    allow: Vec<Block>,
    deny: Vec<Block>,
    keys: BTreeSet<Key>,
}

/// What a ZAP request is about.
pub struct Request<'a> {
    /// The peer's IP address as libzmq writes it.
    pub address: &'a str,
    /// "NULL", "PLAIN", "CURVE" or "GSSAPI".
    pub mechanism: &'a [u8],
    /// For CURVE: the client's 32-byte public key.
    pub client_key: Option<&'a [u8]>,
}

impl Rules {
    /// Whether any rule exists.
    pub fn is_empty(&self) -> bool {
        self.allow.is_empty() && self.deny.is_empty() && self.keys.is_empty()
    }

    /// Whether an address rule exists.
    pub fn has_address_rule(&self) -> bool {
        !self.allow.is_empty() || !self.deny.is_empty()
    }

    /// Allow a block: from then on every address outside the allowed blocks is refused.
    pub fn allow(&mut self, text: &[u8]) -> Result<Block> {
        let b = Block::parse(text)?;
        if !self.allow.contains(&b) {
            self.allow.push(b.clone());
        }
        Ok(b)
    }

    /// Deny a block (denial wins over an allowed block that also contains the address).
    pub fn deny(&mut self, text: &[u8]) -> Result<Block> {
        let b = Block::parse(text)?;
        if !self.deny.contains(&b) {
            self.deny.push(b.clone());
        }
        Ok(b)
    }

    /// Allow a CURVE client key (Z85 text).
    pub fn allow_key(&mut self, text: &[u8]) -> Result<()> {
        self.keys.insert(parse_z85(text, "client key")?);
        Ok(())
    }

    /// Allow a CURVE client key (binary).
    pub fn allow_key_bytes(&mut self, key: Key) {
        self.keys.insert(key);
    }

    /// Accept (with the user id to report) or refuse (with the reason) a connection.
    pub fn decide(&self, r: &Request<'_>) -> std::result::Result<String, String> {
        let ip = peer_ip(r.address);
        if let Some(ip) = ip {
            if let Some(b) = self.deny.iter().find(|b| b.contains(ip)) {
                return Err(format!("address {ip} is denied (rule {b})"));
            }
        }
        if !self.allow.is_empty() && !ip.is_some_and(|ip| self.allow.iter().any(|b| b.contains(ip)))
        {
            return Err(format!(
                "address {} is not in the allowed addresses",
                r.address
            ));
        }
        match r.mechanism {
            b"NULL" => Ok(String::new()),
            b"CURVE" => {
                let Some(key) = r.client_key.and_then(|k| Key::try_from(k).ok()) else {
                    return Err("CURVE request without a 32-byte client key".into());
                };
                if !self.keys.is_empty() && !self.keys.contains(&key) {
                    return Err(format!("client key {} is not allowed", z85(&key)));
                }
                Ok(z85(&key))
            }
            other => Err(format!(
                "mechanism {} is not supported",
                String::from_utf8_lossy(other)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn null(address: &str) -> Request<'_> {
        Request {
            address,
            mechanism: b"NULL",
            client_key: None,
        }
    }

    #[test]
    fn blocks_parse_and_match() {
        let b = Block::parse(b"10.0.0.0/8").unwrap();
        assert!(b.contains("10.200.1.1".parse().unwrap()));
        assert!(!b.contains("11.0.0.1".parse().unwrap()));
        assert!(b.contains("::ffff:10.1.1.1".parse().unwrap()));
        let b = Block::parse(b"127.0.0.2").unwrap();
        assert!(!b.contains("127.0.0.1".parse().unwrap()));
        let b = Block::parse(b"fe80::/10").unwrap();
        assert!(b.contains("fe80::1".parse().unwrap()));
        assert!(!b.contains("::1".parse().unwrap()));
        assert!(Block::parse(b"0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        for bad in [
            &b"10.0.0.0/33"[..],
            b"10.0.0/8",
            b"",
            b"host",
            b"::1/129",
            b"1.2.3.4/+8",
            b"1.2.3.4/",
        ] {
            let e = Block::parse(bad).unwrap_err();
            assert_eq!(e.code, Code::InvalidAddress, "{bad:?}");
        }
    }

    #[test]
    fn decisions() {
        let mut r = Rules::default();
        assert!(r.decide(&null("127.0.0.1")).is_ok());
        r.deny(b"127.0.0.2").unwrap();
        assert!(r.decide(&null("127.0.0.1")).is_ok());
        assert!(r.decide(&null("127.0.0.2")).unwrap_err().contains("denied"));
        r.deny(b"fe80::/10").unwrap();
        assert!(r
            .decide(&null("fe80::1%eth0"))
            .unwrap_err()
            .contains("denied"));
        r.allow(b"10.0.0.0/8").unwrap();
        assert!(r.decide(&null("127.0.0.1")).unwrap_err().contains("not in"));
        assert!(r.decide(&null("10.1.2.3")).is_ok());
        let (public, _) = super::super::keys::keypair().unwrap();
        let key = parse_z85(public.as_bytes(), "k").unwrap();
        let curve = Request {
            address: "10.0.0.1",
            mechanism: b"CURVE",
            client_key: Some(&key),
        };
        assert_eq!(r.decide(&curve).unwrap(), public);
        r.allow_key_bytes([1; 32]);
        assert!(r.decide(&curve).unwrap_err().contains("not allowed"));
        r.allow_key(public.as_bytes()).unwrap();
        assert!(r.decide(&curve).is_ok());
    }
}
