//! Target `logging_template`: template validation (SPEC 8.3), log lines and timestamps.

use std::time::Duration;

use crate::{input::*, json_text::*};
use zeromq_xop::error::Code;
use zeromq_xop::json::Json;
use zeromq_xop::logging::{Direction, Entry, Logger};

pub(crate) fn scratch_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("zeromq-xop-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&d);
    d
}

/// Fuzz entry: template validation, log lines, timestamps.
pub fn logging_template(data: &[u8]) {
    let split = data
        .first()
        .map_or(0, |&b| b as usize)
        .min(data.len().saturating_sub(1));
    let (template, rest) = if data.is_empty() {
        (data, data)
    } else {
        data[1..].split_at(split)
    };
    // One file per thread: the test harness may replay and mutate at the same time.
    let path = scratch_dir()
        .join(format!("template-{:?}.jsonl", std::thread::current().id()).replace(['(', ')'], ""));
    let _ = std::fs::remove_file(&path);
    let log = Logger::new(path.clone());
    let parsed = serde_json::from_slice::<serde_json::Value>(template).ok();
    let expected_ok = parsed
        .as_ref()
        .and_then(|v| v.as_object())
        .is_some_and(|o| {
            !["direction", "json", "str", "ts"]
                .iter()
                .any(|k| o.contains_key(*k))
        });
    let r = log.set_template(template);
    assert_eq!(r.is_ok(), expected_ok, "template {:?}", lossy(template));
    if let Err(e) = &r {
        assert_eq!(e.code, Code::InvalidLoggingTemplate);
        assert!(!path.exists());
    } else {
        assert_eq!(std::fs::read(&path).unwrap(), b"{}\n");
    }
    let (id, payload) = rest.split_at(rest.len() / 3);
    log.log(Entry::Str(payload), Some(Direction::Incoming), Some(id));
    let doc = serde_json::from_slice::<serde_json::Value>(payload).ok();
    if let Some(doc) = &doc {
        log.log(
            Entry::Json(&Json::from_value(doc)),
            Some(Direction::Outgoing),
            None,
        );
    }
    log.log(Entry::Str(b"IDLE event messages: #1"), None, None);
    let text = std::fs::read(&path).unwrap();
    let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    assert_eq!(
        lines.pop(),
        Some(&b""[..]),
        "every line ends with a newline"
    );
    if expected_ok {
        assert_eq!(lines.remove(0), b"{}");
    }
    assert_eq!(lines.len(), 2 + usize::from(doc.is_some()));
    let template_obj = if expected_ok {
        parsed.and_then(|v| v.as_object().cloned())
    } else {
        None
    };
    for (i, line) in lines.iter().enumerate() {
        assert!(!line.contains(&b'\n'));
        let t =
            parse_t(line).unwrap_or_else(|e| panic!("log line is not JSON ({e}): {}", lossy(line)));
        assert_eq!(minify(line), *line, "log lines are compact");
        let v: serde_json::Value = serde_json::from_slice(line).expect("serde_json reads the line");
        let obj = v.as_object().unwrap();
        if let Some(tpl) = &template_obj {
            for (k, tv) in tpl {
                if k == "remote identity" && i == 0 && !id.is_empty() {
                    continue;
                }
                assert_eq!(obj.get(k), Some(tv), "template member {k}");
            }
        }
        let ts = t.get("ts").expect("ts").str();
        check_timestamp(ts);
        match i {
            0 => {
                assert_eq!(t.get("str"), Some(&T::Str(lossy(payload))));
                assert_eq!(t.get("direction"), Some(&T::Str("Incoming".into())));
                if !id.is_empty() {
                    assert_eq!(t.get("remote identity"), Some(&T::Str(lossy(id))));
                }
            }
            1 if doc.is_some() => {
                assert_eq!(obj.get("json"), doc.as_ref());
                assert_eq!(t.get("direction"), Some(&T::Str("Outgoing".into())));
            }
            _ => {
                assert_eq!(
                    t.get("str"),
                    Some(&T::Str("IDLE event messages: #1".into()))
                );
                assert!(t.get("direction").is_none());
            }
        }
    }
    // Timestamps of arbitrary instants.
    let mut r = Reader::new(data);
    let secs = r.u64() % 253_402_300_800; // up to 9999-12-31
    let nanos = (r.u64() % 1_000_000_000) as u32;
    let t = std::time::UNIX_EPOCH + Duration::new(secs, nanos);
    let ts = zeromq_xop::logging::timestamp(t);
    check_timestamp(&ts);
    assert_eq!(ts, expected_timestamp(secs, nanos));
}

fn check_timestamp(ts: &str) {
    let b = ts.as_bytes();
    assert_eq!(b.len(), 34, "timestamp {ts}");
    assert!(ts.ends_with("+0000"));
    for (i, &c) in b[..29].iter().enumerate() {
        match i {
            4 | 7 => assert_eq!(c, b'-'),
            10 => assert_eq!(c, b'T'),
            13 | 16 => assert_eq!(c, b':'),
            19 => assert_eq!(c, b'.'),
            _ => assert!(c.is_ascii_digit(), "timestamp {ts}"),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` by counting days, month by month.
fn expected_timestamp(secs: u64, nanos: u32) -> String {
    let mut days = secs / 86_400;
    let rem = secs % 86_400;
    let mut year = 1970u64;
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    loop {
        let n = if leap(year) { 366 } else { 365 };
        if days < n {
            break;
        }
        days -= n;
        year += 1;
    }
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}+0000",
        year,
        month + 1,
        days + 1,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        nanos
    )
}
