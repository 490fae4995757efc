//! Phase A's reading of a request (SPEC 4.3), in one pass over the text: serde visitors keep
//! only the members validation looks at (`version`, `messageID`, `binary`, `CallFunction` with
//! its `name` and `params`), strings borrowed from the payload where they have no escapes.
//! No JSON tree is built, except for wave objects among the parameters (rare, and read by
//! [`crate::wave_params`] from a `serde_json` map).
//!
//! The outcome is exactly that of parsing the whole document into a `serde_json::Value` and
//! looking members up in it: the same deserializer validates every part of the text (numbers
//! out of range, invalid escapes and UTF-8, nesting depth, trailing characters), a member
//! given twice counts once and its last value wins, and `CallFunction`'s member count counts
//! distinct keys.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

type Error = serde_json::Error;

/// What validation needs of a request document (all unset when it is not an object).
#[derive(Default)]
pub(super) struct Request<'de> {
    /// `version`, if present.
    pub version: Option<Piece<'de>>,
    /// `messageID`, if present.
    pub message_id: Option<Piece<'de>>,
    /// `binary`, if present.
    pub binary: Option<Piece<'de>>,
    /// `CallFunction`, if present.
    pub operation: Option<Operation<'de>>,
}

/// A member's value as far as validation distinguishes it.
pub(super) enum Piece<'de> {
    /// A string.
    Str(Cow<'de, str>),
    /// A number.
    Number(Number),
    /// `true` / `false`
    Bool(bool),
    /// An object (kept only among the parameters, as a wave object's map).
    Object(Map<String, Value>),
    /// `null`, an array, or an object not kept.
    Other,
}

/// A number token as `serde_json` reads it.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Number {
    /// An integer token >= 0.
    UInt(u64),
    /// A negative integer token.
    Int(i64),
    /// Any other (finite) number.
    Float(f64),
}

impl Number {
    /// The value, as `serde_json::Number::as_f64` gives it.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::UInt(u) => u as f64,
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// The `CallFunction` member.
pub(super) enum Operation<'de> {
    /// Not an object.
    NotObject,
    /// An object.
    Object {
        /// The number of distinct keys.
        keys: usize,
        /// `name`, if present.
        name: Option<Piece<'de>>,
        /// `params`, if present: its elements when it is an array.
        params: Option<Option<Vec<Piece<'de>>>>,
    },
}

mod scan;

/// Read a request's text; an error when it is not valid JSON.
pub(super) fn read(payload: &[u8]) -> Result<Request<'_>, Error> {
    if let Some(request) = scan::scan(payload) {
        return Ok(request);
    }
    let mut de = serde_json::Deserializer::from_slice(payload);
    let request = de.deserialize_any(RequestVisitor)?;
    de.end()?;
    Ok(request)
}

/// Implements the visitor methods of a value kind this module does not keep: numbers,
/// strings, booleans and `null` give `$other`; arrays and objects are read through (their
/// contents validated and dropped) and give `$other` too, unless the visitor defines them.
macro_rules! other_values {
    (@seq $other:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq)?;
            Ok($other)
        }
    };
    (@map $other:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map)?;
            Ok($other)
        }
    };
    ($other:expr; $($skip:ident),*) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($other)
        }
        $(other_values!(@$skip $other);)*
    };
}

/// A value that is validated and dropped. Unlike `serde::de::IgnoredAny` it goes through
/// `deserialize_any`, which validates what `serde_json::Value` does (number ranges, UTF-8).
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    other_values!((); seq, map);
}

fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element_seed(Skip)?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_key_seed(Skip)?.is_some() {
        map.next_value_seed(Skip)?;
    }
    Ok(())
}

/// Reads a [`Piece`]; objects are kept as maps when `keep_objects`.
struct PieceSeed {
    keep_objects: bool,
}

impl<'de> DeserializeSeed<'de> for PieceSeed {
    type Value = Piece<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Piece<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PieceSeed {
    type Value = Piece<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Piece<'de>, E> {
        Ok(Piece::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Piece<'de>, E> {
        Ok(Piece::Number(if i >= 0 {
            Number::UInt(i as u64)
        } else {
            Number::Int(i)
        }))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Piece<'de>, E> {
        Ok(Piece::Number(Number::UInt(u)))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Piece<'de>, E> {
        // `serde_json::Value` makes a non-finite double `null`.
        Ok(if f.is_finite() {
            Piece::Number(Number::Float(f))
        } else {
            Piece::Other
        })
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Piece<'de>, E> {
        Ok(Piece::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Piece<'de>, E> {
        Ok(Piece::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_unit<E>(self) -> Result<Piece<'de>, E> {
        Ok(Piece::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Piece<'de>, A::Error> {
        skip_seq(seq)?;
        Ok(Piece::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Piece<'de>, A::Error> {
        if !self.keep_objects {
            skip_map(map)?;
            return Ok(Piece::Other);
        }
        // As `serde_json::Value` builds an object: a later duplicate key replaces the value.
        let mut object = Map::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            object.insert(k, v);
        }
        Ok(Piece::Object(object))
    }
}

/// A member's key, borrowed from the payload unless it has escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

struct RequestVisitor;

impl<'de> Visitor<'de> for RequestVisitor {
    type Value = Request<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a request object")
    }
    other_values!(Request::default(); seq);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Request<'de>, A::Error> {
        let mut r = Request::default();
        let scalar = || PieceSeed {
            keep_objects: false,
        };
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match &*key {
                "version" => r.version = Some(map.next_value_seed(scalar())?),
                "messageID" => r.message_id = Some(map.next_value_seed(scalar())?),
                "binary" => r.binary = Some(map.next_value_seed(scalar())?),
                "CallFunction" => r.operation = Some(map.next_value_seed(OperationSeed)?),
                _ => map.next_value_seed(Skip)?,
            }
        }
        Ok(r)
    }
}

struct OperationSeed;

impl<'de> DeserializeSeed<'de> for OperationSeed {
    type Value = Operation<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Operation<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OperationSeed {
    type Value = Operation<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CallFunction object")
    }
    other_values!(Operation::NotObject; seq);
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Operation<'de>, A::Error> {
        let (mut name, mut params) = (None, None);
        // Distinct keys other than name and params: more than two are never needed.
        let mut others: Vec<Cow<'de, str>> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match &*key {
                "name" => {
                    name = Some(map.next_value_seed(PieceSeed {
                        keep_objects: false,
                    })?)
                }
                "params" => params = Some(map.next_value_seed(ParamsSeed)?),
                _ => {
                    if others.len() < 3 && !others.contains(&key) {
                        others.push(key);
                    }
                    map.next_value_seed(Skip)?;
                }
            }
        }
        Ok(Operation::Object {
            keys: others.len() + usize::from(name.is_some()) + usize::from(params.is_some()),
            name,
            params,
        })
    }
}

/// `params`: its elements when it is an array, `None` otherwise.
struct ParamsSeed;

impl<'de> DeserializeSeed<'de> for ParamsSeed {
    type Value = Option<Vec<Piece<'de>>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ParamsSeed {
    type Value = Option<Vec<Piece<'de>>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a parameter array")
    }
    other_values!(None; map);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(p) = seq.next_element_seed(PieceSeed { keep_objects: true })? {
            items.push(p);
        }
        Ok(Some(items))
    }
}
