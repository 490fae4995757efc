//! The fast path of [`super::read`]: a scanner for the request shape clients send (each
//! member once, ASCII strings without escapes, numbers without exponent, parameters that are
//! strings, numbers, booleans or `null`). It gives up on anything else, valid or not, and the
//! serde reader takes over, so the outcome is the serde reader's for every text: what the
//! scanner accepts, it reads as that reader does.

use super::{Number, Operation, Piece, Request};
use std::borrow::Cow;

/// Read `payload` if it has the common shape; `None` otherwise.
pub(super) fn scan(payload: &[u8]) -> Option<Request<'_>> {
    let mut s = Scanner { b: payload, i: 0 };
    let mut r = Request::default();
    s.expect(b'{')?;
    s.members(b'}', |s, key| {
        match key {
            "version" if r.version.is_none() => r.version = Some(s.scalar()?),
            "messageID" if r.message_id.is_none() => r.message_id = Some(s.scalar()?),
            "binary" if r.binary.is_none() => r.binary = Some(s.scalar()?),
            "CallFunction" if r.operation.is_none() => r.operation = Some(s.operation()?),
            _ => return None,
        }
        Some(())
    })?;
    s.space();
    (s.i == s.b.len()).then_some(r)
}

struct Scanner<'de> {
    b: &'de [u8],
    i: usize,
}

impl<'de> Scanner<'de> {
    /// Skip JSON white space.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Skip white space, then consume `c` if it is next.
    fn eat(&mut self, c: u8) -> bool {
        self.space();
        let found = self.b.get(self.i) == Some(&c);
        self.i += usize::from(found);
        found
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    /// The members of an object (after its `{`) up to `close`, each key given to `member`,
    /// which reads the value.
    fn members(
        &mut self,
        close: u8,
        mut member: impl FnMut(&mut Self, &'de str) -> Option<()>,
    ) -> Option<()> {
        if self.eat(close) {
            return Some(());
        }
        loop {
            self.space();
            let key = self.string()?;
            self.expect(b':')?;
            self.space();
            member(self, key)?;
            if !self.eat(b',') {
                return self.expect(close);
            }
        }
    }

    /// A string of printable ASCII without escapes (after white space was skipped).
    fn string(&mut self) -> Option<&'de str> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let len = self.b[start..]
            .iter()
            .position(|&c| !(0x20..0x7f).contains(&c) || c == b'"' || c == b'\\')?;
        if self.b[start + len] != b'"' {
            return None;
        }
        self.i = start + len + 1;
        std::str::from_utf8(&self.b[start..start + len]).ok()
    }

    /// A string, a number, `true`, `false` or `null`.
    fn scalar(&mut self) -> Option<Piece<'de>> {
        let rest = &self.b[self.i..];
        let (piece, len) = match rest.first()? {
            b'"' => return self.string().map(|s| Piece::Str(Cow::Borrowed(s))),
            b't' if rest.starts_with(b"true") => (Piece::Bool(true), 4),
            b'f' if rest.starts_with(b"false") => (Piece::Bool(false), 5),
            b'n' if rest.starts_with(b"null") => (Piece::Other, 4),
            _ => return self.number().map(Piece::Number),
        };
        self.i += len;
        Some(piece)
    }

    /// A number without exponent, as `serde_json` reads it: integers that fit as integers
    /// (`-0` excepted), the rest as the nearest double.
    fn number(&mut self) -> Option<Number> {
        let start = self.i;
        let digits = |s: &mut Self| {
            let from = s.i;
            while s.b.get(s.i).is_some_and(u8::is_ascii_digit) {
                s.i += 1;
            }
            s.i - from
        };
        let negative = self.b.get(self.i) == Some(&b'-');
        self.i += usize::from(negative);
        let int_start = self.i;
        let int_digits = digits(self);
        if int_digits == 0 || int_digits > 1 && self.b[int_start] == b'0' {
            return None;
        }
        let fraction = self.b.get(self.i) == Some(&b'.');
        if fraction {
            self.i += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            return None;
        }
        let token = std::str::from_utf8(&self.b[start..self.i]).ok()?;
        match (fraction, negative) {
            (false, false) => token.parse().ok().map(Number::UInt),
            (false, true) => token.parse().ok().filter(|&v| v != 0).map(Number::Int),
            // Short decimals only: their nearest double is what any correct reader gives.
            (true, _) if token.len() <= 24 => token.parse().ok().map(Number::Float),
            (true, _) => None,
        }
    }

    /// `CallFunction`: an object with `name` and `params` (each at most once).
    fn operation(&mut self) -> Option<Operation<'de>> {
        self.expect(b'{')?;
        let (mut name, mut params) = (None, None);
        self.members(b'}', |s, key| {
            match key {
                "name" if name.is_none() => name = Some(s.scalar()?),
                "params" if params.is_none() => params = Some(Some(s.params()?)),
                _ => return None,
            }
            Some(())
        })?;
        Some(Operation::Object {
            keys: usize::from(name.is_some()) + usize::from(params.is_some()),
            name,
            params,
        })
    }

    /// A parameter array of scalars.
    fn params(&mut self) -> Option<Vec<Piece<'de>>> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(items);
        }
        loop {
            self.space();
            items.push(self.scalar()?);
            if !self.eat(b',') {
                self.expect(b']')?;
                return Some(items);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_common_shape_and_gives_up_on_the_rest() {
        for text in [
            r#"{"version": 1, "CallFunction": {"name": "add", "params": [1, 2]}}"#,
            r#" {"messageID":"m1","binary":true,"version":1,"CallFunction":{"params":["a",-2.5,false,null],"name":"f"}} "#,
            r#"{"version":1,"CallFunction":{}}"#,
            "{}",
        ] {
            assert!(scan(text.as_bytes()).is_some(), "{text}");
        }
        for text in [
            r#"{"version":1,"version":1}"#,
            r#"{"version":1e0}"#,
            r#"{"version":-0}"#,
            r#"{"version":18446744073709551616}"#,
            r#"{"version":1,"other":1}"#,
            r#"{"version":1,"messageID":"\u0041"}"#,
            r#"{"version":1,"messageID":"é"}"#,
            r#"{"version":1,"CallFunction":{"name":"f","params":[[1]]}}"#,
            r#"{"version":1,"CallFunction":{"name":"f","params":[1,]}}"#,
            r#"{"version":1} x"#,
            "[1]",
        ] {
            assert!(scan(text.as_bytes()).is_none(), "{text}");
        }
    }
}
