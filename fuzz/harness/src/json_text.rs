//! A JSON reader that keeps number tokens and key order, for exact checks of the output.

/// A parsed JSON value with number tokens as written and object members in written order.
#[derive(Clone, Debug, PartialEq)]
pub enum T {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<T>),
    Obj(Vec<(String, T)>),
}

impl T {
    pub fn get(&self, key: &str) -> Option<&T> {
        match self {
            T::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn keys(&self) -> Vec<&str> {
        match self {
            T::Obj(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    pub fn arr(&self) -> &[T] {
        match self {
            T::Arr(a) => a,
            _ => panic!("expected an array, got {self:?}"),
        }
    }

    pub fn str(&self) -> &str {
        match self {
            T::Str(s) => s,
            _ => panic!("expected a string, got {self:?}"),
        }
    }
}

/// Parse strict JSON text into a [`T`]; objects must have their keys sorted.
pub fn parse_t(text: &[u8]) -> Result<T, String> {
    let mut p = TParser { s: text, i: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("trailing data at {}", p.i));
    }
    Ok(v)
}

pub(crate) struct TParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl TParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Result<(), String> {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected {:?} at {}", c as char, self.i))
        }
    }

    /// `true`, `false` or `null` at the cursor, consumed.
    fn literal(&mut self) -> Option<T> {
        let s: &[u8] = self.s;
        let rest = &s[self.i.min(s.len())..];
        for (word, t) in [
            (&b"true"[..], T::Bool(true)),
            (b"false", T::Bool(false)),
            (b"null", T::Null),
        ] {
            if rest.starts_with(word) {
                self.i += word.len();
                return Some(t);
            }
        }
        None
    }

    /// The items of an object or array after its opening bracket, through `close`: `item`
    /// reads one (white space around it is skipped), `,` separates them.
    fn items(
        &mut self,
        close: u8,
        what: &str,
        mut item: impl FnMut(&mut Self) -> Result<(), String>,
    ) -> Result<(), String> {
        self.ws();
        if self.s.get(self.i) == Some(&close) {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            item(self)?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(&c) if c == close => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(format!("bad {what} at {}", self.i)),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<T, String> {
        if depth > 2000 {
            return Err("nesting too deep".into());
        }
        if let Some(literal) = self.literal() {
            return Ok(literal);
        }
        match self.s.get(self.i).copied() {
            Some(b'{') => {
                self.i += 1;
                let mut m: Vec<(String, T)> = Vec::new();
                self.items(b'}', "object", |p| {
                    let k = p.string()?;
                    p.ws();
                    p.eat(b':')?;
                    p.ws();
                    let v = p.value(depth + 1)?;
                    if let Some((prev, _)) = m.last() {
                        if prev.as_bytes() >= k.as_bytes() {
                            return Err(format!("keys not sorted: {prev:?} before {k:?}"));
                        }
                    }
                    m.push((k, v));
                    Ok(())
                })?;
                Ok(T::Obj(m))
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.items(b']', "array", |p| {
                    a.push(p.value(depth + 1)?);
                    Ok(())
                })?;
                Ok(T::Arr(a))
            }
            Some(b'"') => Ok(T::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let tok = std::str::from_utf8(&self.s[start..self.i])
                    .expect("ASCII")
                    .to_string();
                if !json_number_grammar(&tok) {
                    return Err(format!("bad number token {tok:?}"));
                }
                Ok(T::Num(tok))
            }
            _ => Err(format!("unexpected byte at {}", self.i)),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.eat(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return Err("unterminated string".into());
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("bad escape")?;
                    self.i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).ok_or("short \\u")?;
                            let hex = std::str::from_utf8(hex).map_err(|_| "bad \\u")?;
                            let cp = u32::from_str_radix(hex, 16).map_err(|_| "bad \\u")?;
                            self.i += 4;
                            let ch =
                                char::from_u32(cp).ok_or("surrogate escapes are not written")?;
                            let mut b = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        }
                        _ => return Err("bad escape".into()),
                    }
                }
                0..=0x1f => return Err("raw control character in a string".into()),
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| "string is not UTF-8".into())
    }
}

/// Whether a token follows RFC 8259's number grammar (any magnitude: `%.15g` of values near
/// the largest double gives `1.79769313486232e+308`, which is above it).
pub(crate) fn json_number_grammar(tok: &str) -> bool {
    let b = tok.as_bytes();
    // The index after the digits from `i` on.
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(i),
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        let end = digits(i + 1);
        if end == i + 1 {
            return false;
        }
        i = end;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let end = digits(i);
        if end == i {
            return false;
        }
        i = end;
    }
    i == b.len()
}

/// Remove the white space outside strings: pretty output minified must equal compact output.
pub fn minify(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut in_str = false;
    let mut esc = false;
    for &c in text {
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
            out.push(c);
        } else if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            out.push(c);
        }
    }
    out
}

/// The text the library must write for bytes: invalid UTF-8 replaced, as read back by JSON.
pub(crate) fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
