//! JSON values as replies and log lines carry them: a tree with sorted object keys whose
//! leaves include whole waves, written through [`crate::json_writer::Writer`] in the reference
//! XOP's layout.

use crate::json_writer::Writer;
use crate::reply::Reply;
use crate::wave::Wave;
use std::collections::BTreeMap;

/// A JSON value to be written. Objects keep their keys sorted.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer token.
    Int(i64),
    /// A double, written like C's `%.15g` (non-finite values as strings).
    Num(f64),
    /// A pre-formatted number token.
    Raw(String),
    /// A string (already valid UTF-8).
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object with sorted keys.
    Obj(BTreeMap<String, Json>),
    /// A serialized wave (`null` when absent).
    Wave(Option<Box<Wave>>),
    /// A remote call's reply document, written in its layout by [`Reply::write`].
    Reply(Box<Reply>),
}

// The conversions live beside the variant, so that the reply module needs no JSON tree.
impl Reply {
    /// The reply document (SPEC 4.6) as a JSON value (a copy; see [`Reply::into_json`]). A reply
    /// with neither result nor error is an internal error (10004).
    pub fn to_json(&self) -> Json {
        Json::Reply(Box::new(self.clone()))
    }

    /// [`Reply::to_json`], consuming the reply: waves are moved, not copied (a large wave's
    /// data is not duplicated to send it).
    pub fn into_json(self) -> Json {
        Json::Reply(Box::new(self))
    }
}

impl Json {
    /// An object from key/value pairs.
    pub fn obj<I: IntoIterator<Item = (&'static str, Json)>>(items: I) -> Json {
        Json::Obj(items.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// A string from bytes, replacing invalid UTF-8.
    pub fn bytes(b: &[u8]) -> Json {
        Json::Str(String::from_utf8_lossy(b).into_owned())
    }

    /// Convert a parsed document, keeping its number tokens.
    pub fn from_value(v: &serde_json::Value) -> Json {
        use serde_json::Value;
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Raw(n.to_string()),
            Value::String(s) => Json::Str(s.clone()),
            Value::Array(a) => Json::Arr(a.iter().map(Json::from_value).collect()),
            Value::Object(o) => Json::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), Json::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// An upper bound of the size of this value's pretty text written at nesting depth
    /// `depth` (the compact text is never longer); `None` when it does not fit in `usize`.
    pub fn size_bound(&self, depth: usize) -> Option<usize> {
        let line = depth.checked_mul(4)?.checked_add(4)?;
        let inner = depth.checked_add(1)?;
        let item = match self {
            Json::Null | Json::Bool(_) | Json::Int(_) | Json::Num(_) => 32,
            Json::Raw(t) => t.len(),
            Json::Str(s) => s.len().checked_mul(6)?.checked_add(2)?,
            Json::Arr(a) => a
                .iter()
                .try_fold(2usize, |acc, v| acc.checked_add(v.size_bound(inner)?))?,
            Json::Obj(o) => o.iter().try_fold(2usize, |acc, (k, v)| {
                acc.checked_add(k.len().checked_mul(6)?.checked_add(4)?)?
                    .checked_add(v.size_bound(inner)?)
            })?,
            Json::Wave(None) => 4,
            Json::Wave(Some(w)) => w.json_size_bound(depth)?,
            Json::Reply(r) => return r.size_bound(depth),
        };
        item.checked_add(line)
    }

    /// Pretty text like [`Json::to_pretty`], with the memory reserved fallibly first: `None`
    /// when it cannot be had (an absurdly large wave), instead of ending the process.
    pub fn try_pretty(&self) -> Option<Vec<u8>> {
        self.try_write(true)
    }

    /// Compact text like [`Json::to_compact`], with the memory reserved fallibly first.
    pub fn try_compact(&self) -> Option<Vec<u8>> {
        self.try_write(false)
    }

    fn try_write(&self, pretty: bool) -> Option<Vec<u8>> {
        let bound = self.size_bound(0)?;
        let mut out = Vec::new();
        out.try_reserve_exact(bound).ok()?;
        self.write(&mut Writer::new(&mut out, pretty));
        // Give back a large reservation's unused part; a small one is not worth a reallocation.
        if out.capacity() > 1 << 16 && out.capacity() - out.len() > out.len() / 8 {
            out.shrink_to_fit();
        }
        Some(out)
    }

    /// Pretty text (4-space indent, `": "` separators), as replies are sent.
    pub fn to_pretty(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        self.write(&mut Writer::new(&mut out, true));
        out
    }

    /// Compact text, as log lines are written.
    pub fn to_compact(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        self.write(&mut Writer::new(&mut out, false));
        out
    }

    /// Write this value at the writer's current position.
    pub fn write(&self, w: &mut Writer<'_>) {
        match self {
            Json::Null => w.raw(b"null"),
            Json::Bool(b) => w.raw(if *b { b"true" } else { b"false" }),
            Json::Int(i) => w.int(*i),
            Json::Num(v) => w.f64(*v),
            Json::Raw(t) => w.raw(t.as_bytes()),
            Json::Str(s) => w.str(s.as_bytes()),
            Json::Arr(a) => {
                w.begin(b'[');
                for v in a {
                    v.write(w);
                }
                w.end(b']');
            }
            Json::Obj(o) => {
                w.begin(b'{');
                for (k, v) in o {
                    w.key(k);
                    v.write(w);
                }
                w.end(b'}');
            }
            Json::Wave(wave) => crate::wave::write_wave(wave.as_deref(), w),
            Json::Reply(r) => r.write(w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_and_compact_layout() {
        let v = Json::obj([
            ("b", Json::Arr(vec![Json::Int(1), Json::Num(2.5)])),
            ("a", Json::obj([("value", Json::Num(f64::NAN))])),
            ("c", Json::Arr(vec![])),
            ("d", Json::obj([])),
        ]);
        assert_eq!(
            String::from_utf8(v.to_pretty()).unwrap(),
            "{\n    \"a\": {\n        \"value\": \"nan\"\n    },\n    \"b\": [\n        1,\n        2.5\n    ],\n    \"c\": [],\n    \"d\": {}\n}"
        );
        assert_eq!(
            String::from_utf8(v.to_compact()).unwrap(),
            "{\"a\":{\"value\":\"nan\"},\"b\":[1,2.5],\"c\":[],\"d\":{}}"
        );
    }

    /// The reply's own writer gives what the sorted tree of its parsed text gives: keys in
    /// sorted order at every level, the same layout.
    #[test]
    fn replies_are_written_like_sorted_trees() {
        for r in crate::reply::tests::sample_replies() {
            let text = r.to_json().to_pretty();
            let parsed: serde_json::Value = serde_json::from_slice(&text).unwrap();
            // (The tree keeps number tokens as serde_json writes them: the samples' numbers
            // are written the same way by both.)
            let tree = Json::from_value(&parsed).to_pretty();
            assert_eq!(
                String::from_utf8_lossy(&tree),
                String::from_utf8_lossy(&text)
            );
            assert_eq!(
                Json::from_value(&parsed).to_compact(),
                r.to_json().to_compact()
            );
        }
    }
}
