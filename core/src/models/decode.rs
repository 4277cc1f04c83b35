//! The forgiving decoder behind every typed model.
//!
//! Each attribute is read by a [`Field`] implementation that accepts what Degreed is known to
//! send (numbers as strings, booleans as `"true"`/`"false"`, `0001-01-01T00:00:00` for "no
//! date", `null` anywhere) and fails only on a value that cannot mean the field's type. A
//! failure names the JSON path of the value and quotes a short excerpt of it.

use serde_json::Value;

use crate::datetime::{Date, Timestamp};
use crate::error::excerpt;
use crate::error::Error;

/// A decode failure at `path`, quoting a short excerpt of the offending value. The status is
/// a placeholder (200) until [`super::decode_list`] and friends fill in the reply's.
pub(crate) fn fail(path: String, message: impl Into<String>, value: &Value) -> Error {
    // As JSON (a string quoted and escaped as the body had it): not `{:?}`, whose escaping
    // brings the standard library's tables of printable characters into the wasm package.
    Error::Decode {
        message: message.into(),
        path,
        excerpt: excerpt(&crate::wire::json_text(value)),
        status: 200,
        request_id: None,
        maybe_applied: false,
    }
}

/// `$.data[3]` + `completed-at` → `$.data[3].completed-at`; odd keys are bracketed.
pub(crate) fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", crate::wire::json_text(&key.into()))
    }
}

/// `$.data` + 3 → `$.data[3]`.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// A value an attribute can hold. `decode` returns `Ok(None)` for "no value" (`null`, an
/// empty string where a non-string is expected, .NET's minimum date) and `Err(expected)` when
/// the value cannot be read as the type.
pub trait Field: Sized {
    /// Reads a JSON value.
    fn decode(value: &Value) -> Result<Option<Self>, &'static str>;
}

pub(crate) fn field<T: Field>(value: &Value, path: &str) -> Result<Option<T>, Error> {
    field_at(value, || path.to_owned())
}

/// [`field`] with the path made only when the value is refused (a path costs an allocation,
/// and there is one per attribute of every item).
pub(crate) fn field_at<T: Field>(
    value: &Value,
    path: impl FnOnce() -> String,
) -> Result<Option<T>, Error> {
    T::decode(value).map_err(|expected| fail(path(), expected, value))
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A JSON value as the field rules see it: a scalar, or `Other` (a list or an object),
/// borrowed from a [`Value`] or from the JSON text ([`super::stream`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a serde_json::Number),
    Str(&'a str),
    /// A list or an object.
    Other,
}

impl Scalar<'_> {
    pub(crate) fn of(value: &Value) -> Scalar<'_> {
        match value {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => Scalar::Number(n),
            Value::String(s) => Scalar::Str(s),
            Value::Array(_) | Value::Object(_) => Scalar::Other,
        }
    }

    /// The value again (to quote it in an error; `null` for `Other`).
    pub(crate) fn to_value(self) -> Value {
        match self {
            Scalar::Null | Scalar::Other => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Number(n) => Value::Number(n.clone()),
            Scalar::Str(s) => Value::from(s),
        }
    }
}

/// A [`Field`] read from a scalar: the one place each type's rules are written, for values
/// in a [`Value`] tree ([`Field::decode`]) and in JSON text ([`super::stream::FieldSeed`]).
pub(crate) trait Lenient: Field {
    /// Reads a scalar, as [`Field::decode`] does.
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str>;
}

/// `Field` for a type read only from scalars (its rules refuse `Other`).
macro_rules! scalar_field {
    ($($t:ty),* $(,)?) => {$(
        impl Field for $t {
            fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
                <$t as Lenient>::scalar(Scalar::of(value))
            }
        }
    )*};
}

scalar_field!(String, f64, i64, bool, Timestamp, Date);

impl Lenient for String {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        match s {
            Scalar::Null => Ok(None),
            Scalar::Str(s) => Ok(Some(s.to_owned())),
            Scalar::Number(n) => Ok(Some(n.to_string())),
            Scalar::Bool(b) => Ok(Some(b.to_string())),
            Scalar::Other => Err("expected a string"),
        }
    }
}

impl Lenient for f64 {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a number";
        match s {
            Scalar::Null => Ok(None),
            Scalar::Number(n) => n.as_f64().map(Some).ok_or(EXPECTED),
            Scalar::Str(s) if blank(s) => Ok(None),
            // `str::parse::<f64>`'s rounding, without its tables (`crate::number`).
            Scalar::Str(s) => crate::number::parse_finite(s.trim())
                .map(Some)
                .ok_or(EXPECTED),
            Scalar::Bool(_) | Scalar::Other => Err(EXPECTED),
        }
    }
}

fn whole(n: f64) -> Option<i64> {
    // `i64::MAX as f64` rounds up to 2^63, which is out of range: compare strictly.
    (n.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n))
        .then_some(n as i64)
}

impl Lenient for i64 {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a whole number";
        match s {
            Scalar::Null => Ok(None),
            Scalar::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().and_then(whole))
                .map(Some)
                .ok_or(EXPECTED),
            Scalar::Str(s) if blank(s) => Ok(None),
            Scalar::Str(s) => {
                let t = s.trim();
                t.parse::<i64>()
                    .ok()
                    .or_else(|| crate::number::parse_finite(t).and_then(whole))
                    .map(Some)
                    .ok_or(EXPECTED)
            }
            Scalar::Bool(_) | Scalar::Other => Err(EXPECTED),
        }
    }
}

impl Lenient for bool {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a boolean";
        match s {
            Scalar::Null => Ok(None),
            Scalar::Bool(b) => Ok(Some(b)),
            Scalar::Number(n) => match n.as_i64() {
                Some(0) => Ok(Some(false)),
                Some(1) => Ok(Some(true)),
                _ => Err(EXPECTED),
            },
            Scalar::Str(s) if blank(s) => Ok(None),
            Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" => Ok(Some(false)),
                _ => Err(EXPECTED),
            },
            Scalar::Other => Err(EXPECTED),
        }
    }
}

impl Lenient for Timestamp {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected an ISO-8601 date-time";
        match s {
            Scalar::Null => Ok(None),
            Scalar::Str(s) if blank(s) => Ok(None),
            Scalar::Str(s) => match Timestamp::parse(s) {
                Ok(t) if t.is_dotnet_min() => Ok(None),
                Ok(t) => Ok(Some(t)),
                Err(_) => Err(EXPECTED),
            },
            _ => Err(EXPECTED),
        }
    }
}

impl Lenient for Date {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a date (yyyy-mm-dd)";
        match s {
            Scalar::Null => Ok(None),
            Scalar::Str(s) if blank(s) => Ok(None),
            Scalar::Str(s) => match s.parse::<Date>() {
                Ok(d) if d == Date::new(1, 1, 1).expect("valid date") => Ok(None),
                Ok(d) => Ok(Some(d)),
                Err(_) => Err(EXPECTED),
            },
            _ => Err(EXPECTED),
        }
    }
}

impl Field for Value {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        Ok((!value.is_null()).then(|| value.clone()))
    }
}

impl Lenient for Value {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        match s {
            Scalar::Null => Ok(None),
            Scalar::Other => Err("expected a JSON value"),
            s => Ok(Some(s.to_value())),
        }
    }
}

/// A list of strings; a single string is read as a list of one.
impl Field for Vec<String> {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a list of strings";
        match value {
            Value::Array(items) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| String::decode(v).ok().flatten().ok_or(EXPECTED))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Value::Object(_) => Err(EXPECTED),
            other => Self::scalar(Scalar::of(other)),
        }
    }
}

impl Lenient for Vec<String> {
    fn scalar(s: Scalar<'_>) -> Result<Option<Self>, &'static str> {
        match s {
            Scalar::Null => Ok(None),
            Scalar::Str(s) if blank(s) => Ok(Some(Vec::new())),
            other => String::scalar(other)
                .map(|s| s.map(|s| vec![s]))
                .map_err(|_| "expected a list of strings"),
        }
    }
}

/// The attribute name in the API's spelling: `employee_id`/`employeeId` → `employee-id`.
pub(crate) fn canonical_key(key: &str) -> std::borrow::Cow<'_, str> {
    // Degreed sends kebab-case already: then the key is its own spelling, with no allocation
    // (one pass over its bytes: this runs for every attribute of every item).
    if is_kebab(key) {
        std::borrow::Cow::Borrowed(key)
    } else {
        std::borrow::Cow::Owned(crate::wire::kebab_case(key))
    }
}

/// Lower-case ASCII letters and digits in words joined by single `-`s (or empty).
fn is_kebab(key: &str) -> bool {
    let mut prev_dash = true;
    for &b in key.as_bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => prev_dash = false,
            b'-' if !prev_dash => prev_dash = true,
            _ => return false,
        }
    }
    !prev_dash || key.is_empty()
}

/// Declares a typed resource model: the struct, its attribute decoder and its relationship
/// accessors.
macro_rules! model {
    (
        $(#[doc = $doc:literal])*
        $name:ident = $rtype:literal {
            $( $(#[doc = $fdoc:literal])* $field:ident : $fty:ty = $($key:literal)|+ ),* $(,)?
        }
        $( included { $( $(#[$imeta:meta])* $ifield:ident : $ity:ident = $itype:literal ),* $(,)? } )?
        $( rels { $( $(#[doc = $rdoc:literal])* $acc:ident => $rel:literal ),* $(,)? } )?
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            /// The Degreed id (a case-sensitive Hashid).
            pub id: Option<String>,
            /// The JSON:API `type` as sent.
            pub resource_type: Option<String>,
            $( $(#[doc = $fdoc])* pub $field: Option<$fty>, )*
            $( $( $(#[$imeta])* pub $ifield: Option<$ity>, )* )?
            /// Relationships by snake_case name (`manager`, `created_by`).
            pub relationships: $crate::models::Relationships,
            /// The item's own `included` resources.
            pub included: Vec<$crate::models::Resource>,
            /// `links.self`.
            pub self_link: Option<String>,
            /// Attributes this model does not know, under their original names.
            pub extra: serde_json::Map<String, serde_json::Value>,
            /// The item's JSON text as received ([`Self::raw_json`], [`Self::raw`]).
            raw: $crate::models::stream::RawJson,
        }

        impl $crate::models::Model for $name {
            const TYPE: &'static str = $rtype;

            fn from_item_at(
                item: &serde_json::Value,
                path: &str,
            ) -> Result<Self, $crate::error::Error> {
                $crate::models::stream::read_value(item, $crate::models::stream::Path::Root(path))
            }

            fn from_json_at(
                json: &str,
                path: &str,
            ) -> Result<Self, $crate::error::Error> {
                $crate::models::stream::read_json(json, $crate::models::stream::Path::Root(path))
            }

            fn decode_page_body(
                body: &[u8],
            ) -> Result<Option<Vec<Self>>, $crate::error::Error> {
                $crate::models::stream::read_page_spans(body)
            }
        }

        impl $crate::models::stream::Typed for $name {
            fn attribute<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
                cx: &$crate::models::stream::Cx,
                at: &$crate::models::stream::Path<'_>,
            ) -> Result<(), A::Error> {
                #[allow(unused_imports)]
                use $crate::models::stream::{FieldSeed, Path};
                match &*$crate::models::decode::canonical_key(key) {
                    $( $($key)|+ => {
                        self.$field = map.next_value_seed(
                            FieldSeed::<$fty>::new(cx, Path::Key(at, key)),
                        )?;
                    } )*
                    _ => {
                        self.extra.insert(key.to_owned(), map.next_value()?);
                    }
                }
                Ok(())
            }

            fn envelope(&mut self, e: $crate::models::stream::Envelope) {
                self.id = e.id;
                self.resource_type = e.resource_type;
                self.self_link = e.self_link;
                self.relationships = e.relationships;
                self.included = e.included;
            }

            #[allow(unused_variables)]
            fn included_item(
                &mut self,
                item: &$crate::models::Resource,
                at: &$crate::models::stream::Path<'_>,
            ) -> Result<(), $crate::error::Error> {
                $( $(
                    if self.$ifield.is_none() && $crate::models::stream::type_matches(item, $itype) {
                        self.$ifield = Some($crate::models::stream::from_resource::<$ity>(item, at)?);
                    }
                )* )?
                Ok(())
            }

            fn set_raw(&mut self, raw: $crate::models::stream::RawJson) {
                self.raw = raw;
            }

            fn included_mut(&mut self) -> &mut Vec<$crate::models::Resource> {
                &mut self.included
            }
        }

        impl $name {
            /// The model's description in the [schema](mod@crate::models::schema), declared by
            /// the same lines as the struct.
            pub const SCHEMA: $crate::models::schema::ModelSchema =
                $crate::models::schema::ModelSchema {
                    name: stringify!($name),
                    resource_type: $rtype,
                    doc: $crate::models::schema::doc(concat!($($doc, "\n"),*)),
                    fields: &[$(
                        $crate::models::schema::FieldSchema {
                            name: stringify!($field),
                            wire: &[$($key),+],
                            kind: <$fty as $crate::models::schema::SchemaType>::KIND,
                            doc: $crate::models::schema::doc(concat!($($fdoc, "\n"),*)),
                            required: false,
                        },
                    )*],
                    relationships: &[$( $(
                        $crate::models::schema::RelSchema {
                            name: stringify!($acc),
                            relationship: $rel,
                            doc: $crate::models::schema::doc(concat!($($rdoc, "\n"),*)),
                        },
                    )* )?],
                    included: &[$( $( (stringify!($ifield), stringify!($ity)), )* )?],
                };

            /// Reads one item (`data` or one element of `data[]`).
            pub fn from_item(item: &serde_json::Value) -> Result<Self, $crate::error::Error> {
                <Self as $crate::models::Model>::from_item(item)
            }

            /// The item's JSON text exactly as received (an item read from a
            /// [`serde_json::Value`] keeps that value's compact text).
            pub fn raw_json(&self) -> &str {
                self.raw.get()
            }

            /// The item as received, parsed into a [`serde_json::Value`] on each call (unknown
            /// members included). Use [`Self::raw_json`] to keep or forward it as text.
            pub fn raw(&self) -> serde_json::Value {
                self.raw.to_value()
            }

            $( $(
                $(#[doc = $rdoc])*
                pub fn $acc(&self) -> Option<&str> {
                    self.relationships.id($rel)
                }
            )* )?
        }
    };
}

pub(crate) use model;

/// Declares a string enum that keeps unknown values: parsing ignores case and `-`, `_` and
/// spaces; `as_str` gives the API's spelling.
macro_rules! string_enum {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this SDK does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every known value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The enum's description in the [schema](mod@crate::models::schema).
            pub const SCHEMA: &'static $crate::models::schema::EnumSchema =
                &$crate::models::schema::EnumSchema {
                    name: stringify!($name),
                    doc: $crate::models::schema::doc(concat!($($doc, "\n"),*)),
                    values: &[$($wire),*],
                };

            /// Parses a value, case-insensitively; never fails.
            pub fn parse(s: &str) -> Self {
                use $crate::models::enums::same_folded;
                $(
                    if same_folded(s, $wire) $(|| same_folded(s, $alias))* {
                        return $name::$variant;
                    }
                )*
                $name::Unknown(s.to_owned())
            }

            /// The API's spelling (the original text for unknown values).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(s) => s,
                }
            }

            /// Whether the value is not one this SDK knows.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl Default for $name {
            /// `Unknown("")`: "not set" (a required field left at its default is refused).
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::parse(s))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::models::schema::SchemaType for $name {
            const KIND: $crate::models::schema::Kind =
                $crate::models::schema::Kind::Enum($name::SCHEMA);
        }

        impl $crate::models::decode::Field for $name {
            fn decode(value: &serde_json::Value) -> Result<Option<Self>, &'static str> {
                <$name as $crate::models::decode::Lenient>::scalar(
                    $crate::models::decode::Scalar::of(value),
                )
            }
        }

        impl $crate::models::decode::Lenient for $name {
            fn scalar(
                s: $crate::models::decode::Scalar<'_>,
            ) -> Result<Option<Self>, &'static str> {
                match s {
                    $crate::models::decode::Scalar::Null => Ok(None),
                    $crate::models::decode::Scalar::Str(s) if s.trim().is_empty() => Ok(None),
                    $crate::models::decode::Scalar::Str(s) => Ok(Some($name::parse(s))),
                    _ => Err("expected a string"),
                }
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_scalars() {
        assert_eq!(f64::decode(&json!("12")), Ok(Some(12.0)));
        assert_eq!(f64::decode(&json!(" 12.5 ")), Ok(Some(12.5)));
        assert_eq!(f64::decode(&json!("")), Ok(None));
        assert!(f64::decode(&json!("NaN")).is_err());
        assert!(f64::decode(&json!(true)).is_err());
        assert_eq!(i64::decode(&json!("7")), Ok(Some(7)));
        assert_eq!(i64::decode(&json!(7.0)), Ok(Some(7)));
        assert!(i64::decode(&json!(7.5)).is_err());
        assert!(i64::decode(&json!(1e300)).is_err());
        assert_eq!(bool::decode(&json!("TRUE")), Ok(Some(true)));
        assert_eq!(bool::decode(&json!(0)), Ok(Some(false)));
        assert!(bool::decode(&json!("maybe")).is_err());
        assert_eq!(String::decode(&json!(4.68e18)), Ok(Some("4.68e+18".into())));
        assert!(String::decode(&json!({})).is_err());
        assert_eq!(
            Timestamp::decode(&json!("0001-01-01T00:00:00")),
            Ok(None),
            ".NET minimum is no date"
        );
        assert!(Timestamp::decode(&json!("yesterday")).is_err());
        assert_eq!(
            Vec::<String>::decode(&json!("A. Author")),
            Ok(Some(vec!["A. Author".to_owned()]))
        );
        assert!(Vec::<String>::decode(&json!([{}])).is_err());
    }

    #[test]
    fn kebab_keys_are_their_own_spelling() {
        for key in ["employee-id", "i-s-b-n13", "bio", "", "a1-b2"] {
            assert!(
                matches!(canonical_key(key), std::borrow::Cow::Borrowed(_)),
                "{key}"
            );
            assert_eq!(canonical_key(key), crate::wire::kebab_case(key), "{key}");
        }
        for key in [
            "employeeId",
            "employee_id",
            "-x",
            "x-",
            "a--b",
            "Bio",
            "é-x",
            "a b",
        ] {
            assert!(
                matches!(canonical_key(key), std::borrow::Cow::Owned(_)),
                "{key}"
            );
            assert_eq!(canonical_key(key), crate::wire::kebab_case(key), "{key}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(join("$.data[3]", "attributes"), "$.data[3].attributes");
        assert_eq!(join("$", "odd key"), "$[\"odd key\"]");
        assert_eq!(index("$.data", 2), "$.data[2]");
    }
}
