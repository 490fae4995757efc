//! Fuzz harness for the parsers of security input: Z85 keys, address rules (IP / CIDR text and
//! the peer addresses libzmq reports) and certificate files. Each result is checked against an
//! independent model: a key parses exactly when it is 40 characters of the Z85 alphabet whose
//! groups fit 32 bits, and then re-encodes to the same text; a block contains an address
//! exactly when their leading `prefix` bits agree.

use std::net::IpAddr;
use std::path::Path;
use zeromq_xop::error::Code;
use zeromq_xop::security::certs;
use zeromq_xop::security::keys::{parse_z85, z85};
use zeromq_xop::security::rules::{peer_ip, Block, Request, Rules};

const ALPHABET: &[u8] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

fn model_key_ok(text: &[u8]) -> bool {
    let text = text.strip_suffix(b"\0").unwrap_or(text);
    text.len() == 40
        && text.chunks(5).all(|g| {
            g.iter().all(|c| ALPHABET.contains(c))
                && g.iter().fold(0u64, |v, c| {
                    v * 85 + ALPHABET.iter().position(|a| a == c).unwrap() as u64
                }) <= u64::from(u32::MAX)
        })
}

fn check_key(text: &[u8]) {
    match parse_z85(text, "key") {
        Ok(key) => {
            assert!(model_key_ok(text), "accepted a bad key {text:?}");
            let canonical = text.strip_suffix(b"\0").unwrap_or(text);
            assert_eq!(z85(&key).as_bytes(), canonical, "key does not round-trip");
        }
        Err(e) => {
            assert!(
                !model_key_ok(text),
                "refused a good key {text:?}: {}",
                e.detail
            );
            let stripped = text.strip_suffix(b"\0").unwrap_or(text);
            let expected = if stripped.len() == 40 {
                Code::InvalidKey
            } else {
                Code::InvalidArg
            };
            assert_eq!(e.code, expected);
        }
    }
}

fn bits(ip: IpAddr) -> (u128, u32) {
    match ip {
        IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => (u128::from(u32::from(v4)), 32),
            None => (u128::from(a), 128),
        },
    }
}

fn check_block(text: &[u8], probe: &[u8]) {
    let Ok(block) = Block::parse(text) else {
        return;
    };
    // The block's own text parses again to the same block.
    let shown = block.to_string();
    assert_eq!(Block::parse(shown.as_bytes()).unwrap(), block, "{shown}");
    let (base, width) = bits(shown.split('/').next().unwrap().parse().unwrap());
    let prefix: u32 = shown.rsplit('/').next().unwrap().parse().unwrap();
    assert!(prefix <= width);
    let Some(ip) = std::str::from_utf8(probe).ok().and_then(peer_ip) else {
        return;
    };
    let (addr, addr_width) = bits(ip);
    let model = addr_width == width && (prefix == 0 || (base ^ addr) >> (width - prefix) == 0);
    assert_eq!(block.contains(ip), model, "{shown} contains {ip}?");
}

/// The fuzz entry point: the first byte chooses the parser, the rest is split in two.
pub fn security_parsing(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let cut = rest.iter().position(|&b| b == b'|').unwrap_or(rest.len());
    let (a, b) = (&rest[..cut], rest.get(cut + 1..).unwrap_or(&[]));
    match mode % 4 {
        0 => check_key(rest),
        1 => check_block(a, b),
        2 => {
            if let Ok(cert) = certs::parse(rest, Path::new("fuzz")) {
                assert_eq!(z85(&cert.public).len(), 40);
            }
        }
        _ => {
            let mut rules = Rules::default();
            let _ = rules.allow(a);
            let _ = rules.deny(a);
            let address = String::from_utf8_lossy(b);
            let _ = rules.decide(&Request {
                address: &address,
                mechanism: if b.len() % 2 == 0 { b"CURVE" } else { b"NULL" },
                client_key: b.get(..32),
            });
        }
    }
}
