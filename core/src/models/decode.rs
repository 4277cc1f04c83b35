//! The forgiving decoder behind every typed model.
//!
//! Each attribute is read by a [`Field`] implementation that accepts what Degreed is known to
//! send (numbers as strings, booleans as `"true"`/`"false"`, `0001-01-01T00:00:00` for "no
//! date", `null` anywhere) and fails only on a value that cannot mean the field's type. A
//! failure names the JSON path of the value and quotes a short excerpt of it.

use serde_json::{Map, Value};

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
        excerpt: excerpt(&value.to_string()),
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
        format!("{path}[{}]", Value::from(key))
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

impl Field for String {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            _ => Err("expected a string"),
        }
    }
}

impl Field for f64 {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a number";
        match value {
            Value::Null => Ok(None),
            Value::Number(n) => n.as_f64().map(Some).ok_or(EXPECTED),
            Value::String(s) if blank(s) => Ok(None),
            // `str::parse::<f64>`'s rounding, without its tables (`crate::number`).
            Value::String(s) => crate::number::parse_finite(s.trim())
                .map(Some)
                .ok_or(EXPECTED),
            _ => Err(EXPECTED),
        }
    }
}

fn whole(n: f64) -> Option<i64> {
    // `i64::MAX as f64` rounds up to 2^63, which is out of range: compare strictly.
    (n.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n))
        .then_some(n as i64)
}

impl Field for i64 {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a whole number";
        match value {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().and_then(whole))
                .map(Some)
                .ok_or(EXPECTED),
            Value::String(s) if blank(s) => Ok(None),
            Value::String(s) => {
                let t = s.trim();
                t.parse::<i64>()
                    .ok()
                    .or_else(|| crate::number::parse_finite(t).and_then(whole))
                    .map(Some)
                    .ok_or(EXPECTED)
            }
            _ => Err(EXPECTED),
        }
    }
}

impl Field for bool {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a boolean";
        match value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Ok(Some(false)),
                Some(1) => Ok(Some(true)),
                _ => Err(EXPECTED),
            },
            Value::String(s) if blank(s) => Ok(None),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" => Ok(Some(false)),
                _ => Err(EXPECTED),
            },
            _ => Err(EXPECTED),
        }
    }
}

impl Field for Timestamp {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected an ISO-8601 date-time";
        match value {
            Value::Null => Ok(None),
            Value::String(s) if blank(s) => Ok(None),
            Value::String(s) => match Timestamp::parse(s) {
                Ok(t) if t.is_dotnet_min() => Ok(None),
                Ok(t) => Ok(Some(t)),
                Err(_) => Err(EXPECTED),
            },
            _ => Err(EXPECTED),
        }
    }
}

impl Field for Date {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a date (yyyy-mm-dd)";
        match value {
            Value::Null => Ok(None),
            Value::String(s) if blank(s) => Ok(None),
            Value::String(s) => match s.parse::<Date>() {
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

/// A list of strings; a single string is read as a list of one.
impl Field for Vec<String> {
    fn decode(value: &Value) -> Result<Option<Self>, &'static str> {
        const EXPECTED: &str = "expected a list of strings";
        match value {
            Value::Null => Ok(None),
            Value::Array(items) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| String::decode(v).ok().flatten().ok_or(EXPECTED))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Value::String(s) if blank(s) => Ok(Some(Vec::new())),
            other => String::decode(other)
                .map(|s| s.map(|s| vec![s]))
                .map_err(|_| EXPECTED),
        }
    }
}

/// The envelope of one item: everything but its attributes.
pub(crate) struct Head<'a> {
    pub(crate) id: Option<String>,
    pub(crate) resource_type: Option<String>,
    pub(crate) self_link: Option<String>,
    pub(crate) attributes: Option<&'a Map<String, Value>>,
    pub(crate) relationships: super::Relationships,
    pub(crate) included: Vec<super::Resource>,
}

impl<'a> Head<'a> {
    pub(crate) fn read(item: &'a Value, path: &str) -> Result<Self, Error> {
        let Value::Object(obj) = item else {
            return Err(fail(path.to_owned(), "expected an object", item));
        };
        let id = match obj.get("id") {
            None => None,
            Some(v) => field_at::<String>(v, || join(path, "id"))?,
        };
        let resource_type = match obj.get("type") {
            None => None,
            Some(v) => field_at::<String>(v, || join(path, "type"))?,
        };
        let self_link = obj
            .get("links")
            .and_then(|l| l.get("self"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let attributes = match obj.get("attributes") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(other) => return Err(fail(join(path, "attributes"), "expected an object", other)),
        };
        let relationships = match obj.get("relationships") {
            None => super::Relationships::default(),
            Some(v) => super::Relationships::decode(v, &join(path, "relationships"))?,
        };
        let included = match obj.get("included") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => {
                let base = join(path, "included");
                list.iter()
                    .enumerate()
                    .map(|(i, v)| super::Resource::decode_at(v, &index(&base, i)))
                    .collect::<Result<_, _>>()?
            }
            Some(one @ Value::Object(_)) => {
                vec![super::Resource::decode_at(one, &join(path, "included"))?]
            }
            Some(other) => {
                return Err(fail(
                    join(path, "included"),
                    "expected a list of resources",
                    other,
                ))
            }
        };
        Ok(Head {
            id,
            resource_type,
            self_link,
            attributes,
            relationships,
            included,
        })
    }
}

/// The attribute name in the API's spelling: `employee_id`/`employeeId` → `employee-id`.
pub(crate) fn canonical_key(key: &str) -> std::borrow::Cow<'_, str> {
    // Degreed sends kebab-case already: then the key is its own spelling, with no allocation.
    let kebab = key.bytes().enumerate().all(|(i, b)| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || (b == b'-' && i > 0 && !key.ends_with('-'))
    }) && !key.contains("--");
    if kebab {
        std::borrow::Cow::Borrowed(key)
    } else {
        std::borrow::Cow::Owned(crate::wire::kebab_case(key))
    }
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
            /// The item exactly as received.
            pub raw: serde_json::Value,
        }

        impl $crate::models::Model for $name {
            const TYPE: &'static str = $rtype;

            fn from_item_at(
                item: &serde_json::Value,
                path: &str,
            ) -> Result<Self, $crate::error::Error> {
                use $crate::models::decode::{canonical_key, field_at, join, Head};
                let head = Head::read(item, path)?;
                #[allow(unused_mut)]
                let mut out = $name {
                    id: head.id,
                    resource_type: head.resource_type,
                    relationships: head.relationships,
                    included: head.included,
                    self_link: head.self_link,
                    raw: item.clone(),
                    ..Default::default()
                };
                if let Some(attrs) = head.attributes {
                    let base = join(path, "attributes");
                    for (key, value) in attrs {
                        match &*canonical_key(key) {
                            $( $($key)|+ => {
                                out.$field = field_at::<$fty>(value, || join(&base, key))?;
                            } )*
                            _ => {
                                out.extra.insert(key.clone(), value.clone());
                            }
                        }
                    }
                }
                $( $(
                    out.$ifield = $crate::models::decode_included::<$ity>(item, path, $itype)?;
                )* )?
                Ok(out)
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
                let folded = $crate::models::enums::fold(s);
                $(
                    if folded == $crate::models::enums::fold($wire)
                        $(|| folded == $crate::models::enums::fold($alias))*
                    {
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
                match value {
                    serde_json::Value::Null => Ok(None),
                    serde_json::Value::String(s) if s.trim().is_empty() => Ok(None),
                    serde_json::Value::String(s) => Ok(Some($name::parse(s))),
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
    fn paths() {
        assert_eq!(join("$.data[3]", "attributes"), "$.data[3].attributes");
        assert_eq!(join("$", "odd key"), "$[\"odd key\"]");
        assert_eq!(index("$.data", 2), "$.data[2]");
    }
}
