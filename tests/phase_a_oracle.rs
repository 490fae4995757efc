//! Phase A's one-pass reader against the tree parser it replaced
//! (`harness::phase_a_oracle`): the same call or the same rejection (code, message ID, logged
//! document, detail) for every committed fuzz input and for generated requests that stress
//! what a one-pass reader could get wrong: members given twice (the last wins, a key counts
//! once), escaped keys, numbers at and past the limits of a double, wrong types at every key,
//! nesting, invalid text anywhere, wave parameters with data frames.

use zeromq_xop_fuzz_harness::phase_a_oracle::check_phase_a_against_tree;

use std::path::Path;

#[test]
fn every_committed_fuzz_input_parses_as_the_tree_parser_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for sub in ["corpus", "regressions"] {
        for target in std::fs::read_dir(root.join(sub)).unwrap() {
            for file in std::fs::read_dir(target.unwrap().path()).unwrap() {
                let data = std::fs::read(file.unwrap().path()).unwrap();
                check_phase_a_against_tree(&data, &[]);
                // Inputs of the message targets carry a binary prefix before the JSON.
                if let Some(at) = data.iter().position(|&b| b == b'{') {
                    check_phase_a_against_tree(&data[at..], &[]);
                }
                count += 1;
            }
        }
    }
    assert!(count > 100, "only {count} committed inputs");
}

/// A deterministic generator of request texts (xorshift).
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// White space between tokens, mostly none or one space.
    fn space(&mut self, out: &mut String) {
        out.push_str(self.pick(&["", "", " ", " ", "\n", "\t ", "\r\n  "]));
    }

    fn number(&mut self) -> &'static str {
        self.pick(&[
            "1",
            "1.0",
            "1e0",
            "10e-1",
            "-0",
            "0",
            "-1",
            "2",
            "0.1",
            "1E2",
            "1e+2",
            "1e400",
            "-1e400",
            "1.5e-320",
            "1e-400",
            "4.9e-324",
            "1.7976931348623157e308",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "0.30000000000000004",
            "1e15",
            "999999999999999",
            "-123456789012345.5",
            // Not JSON:
            "01",
            "1.",
            ".5",
            "NaN",
            "+1",
            "-",
        ])
    }

    fn string(&mut self) -> String {
        let long = "x".repeat(255 + self.below(3));
        match self.below(14) {
            0 => long,
            1 => "".into(),
            2 => "add".into(),
            3 => "\\u00e9t\\u00E9".into(),
            4 => "\\ud83d\\ude00".into(),
            5 => "\\ud800".into(),
            6 => "tab\t".into(),
            7 => "é ü 😀".into(),
            8 => "a\\\"b\\\\c\\/d\\n".into(),
            9 => "\\x".into(),
            10 => "\u{7f}".into(),
            11 => "na\\u006de".into(),
            _ => self.pick(&["f", "F", "m1", "name", "params"]).into(),
        }
    }

    fn quoted(&mut self, s: &str, out: &mut String) {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }

    /// A value of any kind.
    fn value(&mut self, depth: usize, out: &mut String) {
        match self.below(if depth > 3 { 5 } else { 9 }) {
            0 | 1 => out.push_str(self.number()),
            2 => {
                let s = self.string();
                self.quoted(&s, out);
            }
            3 => out.push_str(self.pick(&["true", "false", "null"])),
            4 => {
                let s = self.pick(&["f", "1", "", "binary"]).to_string();
                self.quoted(&s, out);
            }
            5 | 6 => self.array(depth, out, |g, d, o| g.value(d, o)),
            7 => self.wave(out),
            _ => {
                let keys = ["a", "b", "type", "data", "name"];
                self.object(depth, out, &keys, |g, _, d, o| g.value(d, o));
            }
        }
    }

    fn array(&mut self, depth: usize, out: &mut String, item: fn(&mut Gen, usize, &mut String)) {
        out.push('[');
        let n = self.below(4);
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            self.space(out);
            item(self, depth + 1, out);
            self.space(out);
        }
        out.push(']');
    }

    /// An object of members with keys from `keys` (repeats allowed).
    fn object(
        &mut self,
        depth: usize,
        out: &mut String,
        keys: &[&str],
        member: fn(&mut Gen, &str, usize, &mut String),
    ) {
        out.push('{');
        let n = self.below(5);
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            self.space(out);
            let k = self.pick(keys);
            self.quoted(k, out);
            self.space(out);
            out.push(':');
            self.space(out);
            member(self, k, depth + 1, out);
            self.space(out);
        }
        out.push('}');
    }

    /// A wave object (valid or not), its data inline or in frame 0 or 1.
    fn wave(&mut self, out: &mut String) {
        out.push_str(self.pick(&[
            r#"{"type": "NT_FP64", "data": {"buffer": 0}, "dimension": {"size": [2]}}"#,
            r#"{"type": "NT_FP64", "data": {"buffer": 1}, "dimension": {"size": [1]}}"#,
            r#"{"type":"NT_I16","data":{"raw":[1,2,3]}}"#,
            r#"{"data":{"raw":[1.5,"nan",-0]}}"#,
            r#"{"type": "TEXT_WAVE_TYPE", "data": {"raw": ["a", "b"]}}"#,
            r#"{"type": "NT_FP64", "data": {"buffer": -1}}"#,
            r#"{"type": "NT_FP64", "data": {"raw": [1]}, "data": {"buffer": 0}}"#,
            r#"{"type": "nonsense"}"#,
            r#"{}"#,
        ]));
    }

    fn param(&mut self, depth: usize, out: &mut String) {
        match self.below(6) {
            0 => self.wave(out),
            _ => self.value(depth, out),
        }
    }

    fn operation(&mut self, out: &mut String) {
        if self.below(8) == 0 {
            return self.value(1, out);
        }
        let keys = [
            "name",
            "params",
            "params",
            "name",
            "x",
            "n\\u0061me",
            "Name",
        ];
        self.object(1, out, &keys, |g, k, d, o| match (k, g.below(5)) {
            ("name" | "n\\u0061me", 0) => g.value(d, o),
            ("name" | "n\\u0061me", _) => {
                let s = g.pick(&["f", "add", "", "F"]).to_string();
                g.quoted(&s, o)
            }
            ("params", 0) => g.value(d, o),
            ("params", _) => g.array(d, o, |g, d, o| g.param(d, o)),
            _ => g.value(d, o),
        });
    }

    /// A request of the accepted shape, members in any order, parameters of any kind.
    fn well_formed(&mut self, out: &mut String) {
        let mut members = vec!["\"version\": 1".to_string()];
        let mut op = String::from("{\"name\": \"f\", \"params\": ");
        self.array(1, &mut op, |g, d, o| g.param(d, o));
        op.push('}');
        members.push(format!("\"CallFunction\": {op}"));
        if self.below(2) == 0 {
            members.push("\"messageID\": \"m1\"".into());
        }
        if self.below(2) == 0 {
            members.push("\"binary\": true".into());
        }
        let first = self.below(members.len());
        members.swap(0, first);
        out.push('{');
        out.push_str(&members.join(", "));
        out.push('}');
    }

    fn request(&mut self) -> (Vec<u8>, Vec<Vec<u8>>) {
        let mut out = String::new();
        self.space(&mut out);
        if self.below(12) == 0 {
            self.value(0, &mut out);
        } else if self.below(3) == 0 {
            self.well_formed(&mut out);
        } else {
            let keys = [
                "version",
                "version",
                "messageID",
                "CallFunction",
                "CallFunction",
                "binary",
                "other",
                "vers\\u0069on",
                "Version",
            ];
            self.object(0, &mut out, &keys, |g, k, d, o| match (k, g.below(4)) {
                ("version" | "vers\\u0069on", 0) => g.value(d, o),
                ("version" | "vers\\u0069on", _) => o.push('1'),
                ("messageID", 0) => g.value(d, o),
                ("messageID", _) => {
                    let s = g.string();
                    g.quoted(&s, o)
                }
                ("CallFunction", _) => g.operation(o),
                ("binary", 0) => g.value(d, o),
                ("binary", _) => o.push_str(g.pick(&["true", "false"])),
                _ => g.value(d, o),
            });
        }
        self.space(&mut out);
        let mut out = out.into_bytes();
        match self.below(30) {
            0 => out.truncate(self.below(out.len() + 1)),
            1 => out.extend_from_slice(self.pick(&["}", " x", ",", "{}"]).as_bytes()),
            _ => {}
        }
        let frames = (0..self.below(3))
            .map(|_| vec![0x3f; 8 * (1 + self.below(2))])
            .collect();
        (out, frames)
    }
}

#[test]
fn generated_requests_parse_as_the_tree_parser_does() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for _ in 0..30_000 {
        let (text, frames) = g.request();
        let frames: Vec<&[u8]> = frames.iter().map(|f| &f[..]).collect();
        check_phase_a_against_tree(&text, &frames);
        accepted += usize::from(zeromq_xop::protocol::parse_request(&text).is_ok());
    }
    // The generator reaches the accepting path too, not only rejections.
    assert!(accepted > 500, "only {accepted} accepted requests");
}

#[test]
fn edge_cases_parse_as_the_tree_parser_does() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let cases = [
        // Nesting at and past the reader's depth limit, in an ignored member.
        format!(
            r#"{{"version":1,"x":{},"CallFunction":{{"name":"f"}}}}"#,
            deep(126)
        ),
        format!(
            r#"{{"version":1,"x":{},"CallFunction":{{"name":"f"}}}}"#,
            deep(200)
        ),
        // Invalid UTF-8 and a lone surrogate in an ignored member.
        "{\"version\":1,\"x\":\"\u{fffd}\",\"CallFunction\":{\"name\":\"f\"}}".into(),
        r#"{"version":1,"x":"\udc00","CallFunction":{"name":"f"}}"#.into(),
        r#"{"version":1,"x":1e400,"CallFunction":{"name":"f"}}"#.into(),
        r#"{"version":1,"CallFunction":{"name":"f","name":"g"}}"#.into(),
        r#"{"version":1,"CallFunction":{"name":"f","name":"g","params":[]}}"#.into(),
        r#"{"version":1,"CallFunction":{"x":1,"x":2,"name":"f"}}"#.into(),
        r#"{"version":1,"CallFunction":{"x":1,"y":2,"name":"f"}}"#.into(),
        r#"{"version":1,"CallFunction":{"name":"f","params":[1],"params":5}}"#.into(),
        r#"{"version":1,"CallFunction":{"name":"f"},"CallFunction":5}"#.into(),
        r#"{"version":2,"version":1,"CallFunction":{"name":"f"}}"#.into(),
        r#"{"version":1,"messageID":5,"messageID":"m","CallFunction":{"name":"f"}}"#.into(),
        r#"{"version":1,"binary":true,"binary":1,"CallFunction":{"name":"f","params":[0.1]}}"#
            .into(),
    ];
    for text in &cases {
        check_phase_a_against_tree(text.as_bytes(), &[]);
    }
    let mut invalid_utf8 = br#"{"version":1,"x":"#.to_vec();
    invalid_utf8.extend_from_slice(b"\"\xff\xfe\",\"CallFunction\":{\"name\":\"f\"}}");
    check_phase_a_against_tree(&invalid_utf8, &[]);
}
