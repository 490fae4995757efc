//! Certificate files in the format of pyzmq's `zmq.auth.create_certificates` (czmq's ZPL):
//! `NAME.key` holds the public key, `NAME.key_secret` both keys, in a `curve` section after a
//! comment banner and a `metadata` section. Users keep making and reading them with pyzmq.

use super::keys::{parse_z85, z85, Key};
use crate::error::{Code, Error, Result};
use std::path::{Path, PathBuf};

/// The keys of a certificate file.
#[derive(Debug)]
pub struct Certificate {
    /// The public key.
    pub public: Key,
    /// The secret key (only in a `.key_secret` file).
    pub secret: Option<Key>,
}

fn cert_error(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::new(
        Code::InvalidCertificate,
        format!("Certificate file \"{}\": {why}.", path.display()),
    )
}

/// The text of a certificate: public only when `secret` is `None`.
pub fn certificate_text(public: &Key, secret: Option<&Key>) -> String {
    let now = crate::logging::timestamp(std::time::SystemTime::now());
    let banner = match secret {
        Some(_) => {
            "#   ZeroMQ CURVE **Secret** Certificate\n\
                    #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n"
        }
        None => {
            "#   ZeroMQ CURVE Public Certificate\n\
                 #   Exchange securely, or use a secure mechanism to verify the contents\n\
                 #   of this file after exchange.\n"
        }
    };
    let mut text =
        format!("#   ****  Generated on {now} by zeromq-xop  ****\n{banner}\nmetadata\ncurve\n");
    text.push_str(&format!("    public-key = \"{}\"\n", z85(public)));
    if let Some(secret) = secret {
        text.push_str(&format!("    secret-key = \"{}\"\n", z85(secret)));
    }
    text
}

/// Write one certificate file (a secret one readable by its owner only, where the platform
/// has such permissions).
pub fn write(path: &Path, public: &Key, secret: Option<&Key>) -> Result<()> {
    let text = certificate_text(public, secret);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret.is_some() {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| cert_error(path, e))
}

/// Make a new key pair and write `dir/NAME.key` and `dir/NAME.key_secret`, as pyzmq's
/// `create_certificates(dir, name)` does. Returns the file paths and the keys.
pub fn create(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf, Key, Key)> {
    if name.is_empty() || name.contains(['/', '\\', '\0']) {
        return Err(Error::invalid_arg(format!(
            "The certificate name \"{}\" must be a plain, non-empty file name.",
            name.escape_default()
        )));
    }
    let (public, secret) = super::keys::keypair()?;
    let public = parse_z85(public.as_bytes(), "public key")?;
    let secret = parse_z85(secret.as_bytes(), "secret key")?;
    let public_path = dir.join(format!("{name}.key"));
    let secret_path = dir.join(format!("{name}.key_secret"));
    write(&public_path, &public, None)?;
    write(&secret_path, &public, Some(&secret))?;
    Ok((public_path, secret_path, public, secret))
}

/// Read a certificate file (public or secret), as pyzmq's `load_certificate` does: the first
/// `public-key` and `secret-key` lines outside comments, values quoted or not.
pub fn read(path: &Path) -> Result<Certificate> {
    let text = std::fs::read(path).map_err(|e| cert_error(path, e))?;
    parse(&text, path)
}

/// The keys in the text of a certificate file (`path` names it in errors).
pub fn parse(text: &[u8], path: &Path) -> Result<Certificate> {
    let mut public = None;
    let mut secret = None;
    for line in text.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if line.starts_with(b"#") {
            continue;
        }
        let slot = if line.starts_with(b"public-key") {
            &mut public
        } else if line.starts_with(b"secret-key") {
            &mut secret
        } else {
            continue;
        };
        if slot.is_none() {
            let Some(eq) = line.iter().position(|&b| b == b'=') else {
                return Err(cert_error(path, "a key line without '='"));
            };
            let value = line[eq + 1..].trim_ascii();
            let value = value
                .strip_prefix(b"\"")
                .and_then(|v| v.strip_suffix(b"\""))
                .unwrap_or(value);
            let key = parse_z85(value, "key").map_err(|e| cert_error(path, e.detail))?;
            *slot = Some(key);
        }
    }
    let public = public.ok_or_else(|| cert_error(path, "no public-key line"))?;
    Ok(Certificate { public, secret })
}

/// The public keys of every `*.key` file in a folder (pyzmq's `load_certificates`).
pub fn read_folder(dir: &Path) -> Result<Vec<Key>> {
    let entries = std::fs::read_dir(dir).map_err(|e| cert_error(dir, e))?;
    let mut keys = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| cert_error(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "key") && path.is_file() {
            keys.push(read(&path)?.public);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_read_and_folder() {
        let dir = std::env::temp_dir().join(format!("zeromq-xop-certs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (pub_path, sec_path, public, secret) = create(&dir, "server").unwrap();
        let c = read(&pub_path).unwrap();
        assert_eq!(c.public, public);
        assert!(c.secret.is_none());
        let c = read(&sec_path).unwrap();
        assert_eq!((c.public, c.secret), (public, Some(secret)));
        assert_eq!(read_folder(&dir).unwrap(), vec![public]);
        std::fs::write(dir.join("bad.key"), "curve\n    public-key = \"short\"\n").unwrap();
        assert_eq!(
            read_folder(&dir).unwrap_err().code,
            Code::InvalidCertificate
        );
        assert_eq!(
            read(&dir.join("none.key")).unwrap_err().code,
            Code::InvalidCertificate
        );
        assert!(create(&dir, "a/b").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
