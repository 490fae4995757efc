//! The JSONL message log: one compact JSON object per line, built from a template object plus
//! the reserved keys `direction`, `json`/`str`, `ts` and the optional `remote identity`.

use crate::error::{Code, Error, Result};
use crate::json::Json;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Keys a template may not contain.
pub const RESERVED_KEYS: [&str; 4] = ["direction", "json", "str", "ts"];

/// Direction of a logged message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Received by this process.
    Incoming,
    /// Sent by this process.
    Outgoing,
}

/// What a log entry carries.
pub enum Entry<'a> {
    /// A parsed JSON document (key `json`).
    Json(&'a Json),
    /// A text (key `str`); invalid UTF-8 is replaced.
    Str(&'a [u8]),
}

struct Sink {
    template: BTreeMap<String, Json>,
    path: PathBuf,
}

/// The log sink: template and file path. Whether entries are written is decided by the
/// caller (the logging flag).
pub struct Logger {
    sink: Mutex<Sink>,
}

/// The default log file: `<data dir>/ZeroMQ/Log.jsonl`, with the data directory from
/// `ZEROMQ_XOP_LOG_DIR`, else the platform's per-user application data folder.
pub fn default_log_path() -> PathBuf {
    if let Some(dir) = std::env::var_os("ZEROMQ_XOP_LOG_DIR") {
        return PathBuf::from(dir).join("Log.jsonl");
    }
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
    };
    base.unwrap_or_else(std::env::temp_dir)
        .join("ZeroMQ")
        .join("Log.jsonl")
}

impl Default for Logger {
    fn default() -> Self {
        Logger::new(default_log_path())
    }
}

impl Logger {
    /// A logger writing to `path` with the empty template `{}`.
    pub fn new(path: PathBuf) -> Logger {
        Logger {
            sink: Mutex::new(Sink {
                template: BTreeMap::new(),
                path,
            }),
        }
    }

    /// The current log file path.
    pub fn path(&self) -> PathBuf {
        self.sink.lock().path.clone()
    }

    /// Change the log file (the template is kept). Nothing is written.
    pub fn set_path(&self, path: PathBuf) {
        self.sink.lock().path = path;
    }

    /// Validate and install a template (SPEC 8.3); on success a `{}` session marker line is
    /// appended to the log file. On failure the previous template stays.
    pub fn set_template(&self, text: &[u8]) -> Result<()> {
        let bad = |m: &str| Error::new(Code::InvalidLoggingTemplate, m);
        let value: serde_json::Value = serde_json::from_slice(text)
            .map_err(|_| bad("The template string is not a valid JSON text."))?;
        let obj = value.as_object().ok_or_else(|| {
            bad("The returned JSON text does not have an object at the top-level.")
        })?;
        if RESERVED_KEYS.iter().any(|k| obj.contains_key(*k)) {
            return Err(bad(
                "The returned JSON text does contain a reserved key. The following keys are \
                 reserved: [\"direction\", \"json\", \"str\", \"ts\"].",
            ));
        }
        let template = obj
            .iter()
            .map(|(k, v)| (k.clone(), Json::from_value(v)))
            .collect();
        let mut sink = self.sink.lock();
        sink.template = template;
        append_line(&sink.path, b"{}")
    }

    /// Append one entry.
    pub fn log(&self, entry: Entry<'_>, direction: Option<Direction>, identity: Option<&[u8]>) {
        let sink = self.sink.lock();
        let mut obj = sink.template.clone();
        match entry {
            Entry::Json(j) => obj.insert("json".into(), j.clone()),
            Entry::Str(s) => obj.insert("str".into(), Json::bytes(s)),
        };
        if let Some(d) = direction {
            let d = match d {
                Direction::Incoming => "Incoming",
                Direction::Outgoing => "Outgoing",
            };
            obj.insert("direction".into(), Json::Str(d.into()));
        }
        if let Some(id) = identity.filter(|i| !i.is_empty()) {
            obj.insert("remote identity".into(), Json::bytes(id));
        }
        obj.insert("ts".into(), Json::Str(timestamp(SystemTime::now())));
        // A log failure must never break messaging; it is reported through the result only
        // where the caller asked for the sink explicitly (set_template).
        // A line too large for memory (an absurdly large wave) is left out.
        if let Some(line) = Json::Obj(obj).try_compact() {
            let _ = append_line(&sink.path, &line);
        }
    }
}

fn append_line(path: &Path, line: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| {
            Error::invalid_arg(format!(
                "Could not open the log file {}: {e}",
                path.display()
            ))
        })?;
    let mut buf = Vec::with_capacity(line.len() + 1);
    buf.extend_from_slice(line);
    buf.push(b'\n');
    f.write_all(&buf).map_err(|e| {
        Error::invalid_arg(format!(
            "Could not write the log file {}: {e}",
            path.display()
        ))
    })
}

/// `YYYY-MM-DDTHH:MM:SS.fffffffff+0000` in UTC.
pub fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, dd) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}+0000",
        y,
        m,
        dd,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_nanos()
    )
}

/// Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc() {
        assert_eq!(
            timestamp(UNIX_EPOCH + Duration::new(1_685_115_358, 123)),
            "2023-05-26T15:35:58.000000123+0000"
        );
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000000+0000");
        assert_eq!(
            timestamp(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000000000+0000"
        );
    }

    #[test]
    fn template_rules_and_lines() {
        let dir = std::env::temp_dir().join(format!("zxop-log-{}", std::process::id()));
        let path = dir.join("Log.jsonl");
        let _ = std::fs::remove_file(&path);
        let log = Logger::new(path.clone());
        for bad in [
            &b"nope"[..],
            b"[1]",
            b"{\"ts\":1}",
            b"{\"json\":1}",
            b"{\"str\":1}",
            b"{\"direction\":1}",
        ] {
            assert_eq!(
                log.set_template(bad).unwrap_err().code,
                Code::InvalidLoggingTemplate
            );
        }
        assert!(!path.exists() || std::fs::read(&path).unwrap().is_empty());
        log.set_template(b"{\"blahh\":\"blubb\"}").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
        log.log(
            Entry::Str(b"hi\xff"),
            Some(Direction::Outgoing),
            Some(b"\x00id"),
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let line = text.lines().nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["blahh"], "blubb");
        assert_eq!(v["direction"], "Outgoing");
        assert_eq!(v["str"], "hi\u{fffd}");
        assert_eq!(v["remote identity"], "\u{0}id");
        assert!(v["ts"].as_str().unwrap().ends_with("+0000"));
        assert!(
            line.starts_with("{\"blahh\":\"blubb\",\"direction\":\"Outgoing\",\"remote identity\"")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
