//! Resources as the API returns them, made uniform.
//!
//! Degreed's envelope is JSON:API-flavoured but loose: kebab-case attributes, `relationships`
//! as an array of single-key objects (or an object), `included` inside each item, timestamps
//! without offsets and with 0–7 fraction digits, `0001-01-01T00:00:00` for "no date", numbers
//! sent as strings. [`normalize`] turns any item into one predictable shape, which the
//! bindings turn into native objects.
//!
//! For Rust callers the same items decode into typed models ([`User`], [`Completion`], ...)
//! through the [`Model`] trait, [`decode_list`] and [`decode_one`]. The models are forgiving:
//! every attribute is optional, numbers and booleans sent as strings are read, .NET's minimum
//! date reads as `None`, unknown attributes land in `extra`, unknown enum values in
//! `Unknown(..)`, and each model keeps the item as received: its JSON text (`raw_json()`),
//! parsed into a [`Value`] only when asked for (`raw()`). A value that cannot mean its
//! field's type (a date that is not a date) is an [`Error::Decode`] naming its JSON path
//! (`$.data[3].attributes.completed-at`) and quoting it.
//!
//! [`decode_page`] reads a list page straight from the bytes received, each item from its
//! own text into its model, with no [`Value`] tree: cheaper than parsing the page into one.
//!
//! Changed after 0.1.0 (breaking): models keep `raw` as text; the public field `raw: Value`
//! is gone, replaced by `raw()` (the [`Value`], parsed on each call) and `raw_json()` (the text).

use serde_json::{Map, Value};

use crate::error::Error;
use crate::response::Reply;
pub use crate::wire::{is_time_field, normalize_time, read_time};

pub(crate) mod decode;
pub(crate) mod stream;

mod content;
mod enums;
mod groups;
mod learning;
mod pathways;
mod providers;
mod reporting;
mod resource;
pub mod schema;
mod skills;
mod users;
mod xapi;

pub use content::{
    Article, Assessment, Book, Content, ContentSkill, ContentSummary, Course, Event, Podcast,
    TodaysLearning, Video,
};
pub use decode::Field;
pub use enums::{
    AssignmentStatus, ContentIdType, ContentType, DurationType, GroupPrivacy, PermissionRole,
    ProfileVisibility, UserIdentifierType,
};
pub use groups::{Group, GroupMembership};
pub use learning::{Completion, Recommendation, RequiredLearning};
pub use pathways::{
    Pathway, PathwayCollaborator, PathwayFollower, PathwayTag, SkillPlan, SkillPlanFollower,
};
pub use providers::{Licence, Provider};
pub use reporting::{Login, SearchTerm, UserFollower, View};
pub use resource::{Relationship, Relationships, Resource, ResourceId};
pub use schema::schema;
pub use skills::{CertifiableSkill, SkillRating, UserSkill};
pub use users::User;
pub use xapi::{XapiActor, XapiObject, XapiStatement, XapiVerb};

/// A typed resource read from one item of a response.
pub trait Model: Sized {
    /// The JSON:API `type` the model is usually sent with (informational: not checked).
    const TYPE: &'static str;
    /// The member of a list response that holds the items (`data`, or `statements` for xAPI).
    const LIST_KEY: &'static str = "data";

    /// Reads an item found at `path` (a JSON path such as `$.data[3]`, used in errors).
    fn from_item_at(item: &Value, path: &str) -> Result<Self, Error>;

    /// Reads one item (the `data` object of a single-resource response, or one element of
    /// `data[]`). Errors carry status 200 and no request id; [`decode_list`] and
    /// [`decode_one`] fill in the reply's.
    fn from_item(item: &Value) -> Result<Self, Error> {
        Self::from_item_at(item, "$")
    }

    /// Reads an item from its JSON text, found at `path`. The SDK's models read the text
    /// directly and keep it as their `raw_json`; this default parses it into a [`Value`] for
    /// [`Model::from_item_at`].
    fn from_json_at(json: &str, path: &str) -> Result<Self, Error> {
        let item: Value = serde_json::from_str(json)
            .map_err(|e| decode::fail(path.to_owned(), e.to_string(), &Value::Null))?;
        Self::from_item_at(&item, path)
    }

    /// The items of a list page's body for [`decode_page`], read without a [`Value`] tree;
    /// `None` to read them from the tree instead (this default, and shapes such as a page
    /// without its list). The SDK's models read the page in one pass.
    #[doc(hidden)]
    fn decode_page_body(_body: &[u8]) -> Result<Option<Vec<Self>>, Error> {
        Ok(None)
    }
}

/// Puts the reply's status and request id on a decode failure; a write's success answer that
/// cannot be read leaves the write applied with an unknown result ([`Error::maybe_applied`]).
pub(crate) fn with_reply(e: Error, reply: &Reply) -> Error {
    let mut e = e.with_reply(reply.status, reply.request_id.clone());
    if let Error::Decode { maybe_applied, .. } = &mut e {
        *maybe_applied = !reply.operation.is_idempotent();
    }
    e
}

/// Reads list items (a page's `items`), reporting failures at `$.<LIST_KEY>[i]`.
pub fn decode_items<M: Model>(items: &[Value]) -> Result<Vec<M>, Error> {
    let base = format!("$.{}", M::LIST_KEY);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| M::from_item_at(item, &decode::index(&base, i)))
        .collect()
}

/// Reads every item of a list reply (`data[]`, or `statements[]` for xAPI). A `null` list is
/// empty; a single object is a list of one; a reply without the list (`{}`, an empty body)
/// is an [`Error::Decode`], not an empty list.
///
/// The reply's body is already a [`Value`] tree: to read a page straight from the bytes
/// received, at less than the cost of parsing them into a tree, use [`decode_page`] (or
/// [`decode_raw_page`] with [`crate::Call::keep_raw_page`]).
pub fn decode_list<M: Model>(reply: &Reply) -> Result<Vec<M>, Error> {
    decode_list_body(reply.body.as_ref().unwrap_or(&Value::Null)).map_err(|e| with_reply(e, reply))
}

fn decode_list_body<M: Model>(body: &Value) -> Result<Vec<M>, Error> {
    let base = format!("$.{}", M::LIST_KEY);
    match body.get(M::LIST_KEY) {
        None => Err(decode::fail(
            base,
            format!("the list answer has no `{}`", M::LIST_KEY),
            body,
        )),
        Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => decode_items(items),
        Some(one @ Value::Object(_)) => M::from_item_at(one, &base).map(|m| vec![m]),
        Some(other) => Err(decode::fail(base, "expected a list", other)),
    }
}

/// Reads every item of a list response from its body as received (`data[]`, or
/// `statements[]` for xAPI), by the rules of [`decode_list`], without parsing the page into a
/// [`Value`] tree: in one pass over the page, each item goes straight into its model, which
/// keeps the item's text, cut from the page, as its `raw_json` (parsed only by `raw()`).
/// About 0.6 times the instructions of `serde_json::from_slice::<Value>` on a page of 1000
/// users, 0.8 times on completions with `included` content (`bash scripts/bench.sh --rust`).
///
/// A page whose items cannot be located in that pass (an item without members, a member
/// name written with escapes, a single object instead of a list) and xAPI statements are
/// read from a [`Value`] tree instead: the same models, whose text is then the compact text
/// of the item.
///
/// Errors carry status 200 and no request id; a body that is not JSON is an
/// [`Error::Decode`] at `$`, as are a page without its list and a refused value (at its JSON
/// path, `$.data[3].attributes.completed-at`).
pub fn decode_page<M: Model>(body: &[u8]) -> Result<Vec<M>, Error> {
    // An empty body is no list (as an empty reply is for `decode_list`).
    if body.iter().all(u8::is_ascii_whitespace) {
        return decode_list_body(&Value::Null);
    }
    if let Some(items) = M::decode_page_body(body)? {
        return Ok(items);
    }
    // No list, one object, or a repeated member: the tree's rules say what it is.
    let value = serde_json::from_slice(body)
        .map_err(|e| crate::response::json_error(200, None, &e, body))?;
    decode_list_body(&value)
}

/// [`decode_page`] of a page kept unparsed ([`crate::Call::keep_raw_page`], checked by
/// [`crate::Pager::take_raw`]).
pub fn decode_raw_page<M: Model>(page: &crate::paging::RawPage) -> Result<Vec<M>, Error> {
    decode_page(&page.body)
}

/// Reads the single resource of a reply (`data`; a list of exactly one is accepted).
pub fn decode_one<M: Model>(reply: &Reply) -> Result<M, Error> {
    let body = reply.body.as_ref().unwrap_or(&Value::Null);
    let out = match body.get("data") {
        Some(item @ Value::Object(_)) => M::from_item_at(item, "$.data"),
        Some(Value::Array(items)) if items.len() == 1 => M::from_item_at(&items[0], "$.data[0]"),
        Some(other) => Err(decode::fail(
            "$.data".into(),
            "expected one resource object",
            other,
        )),
        // xAPI and other bare documents: the body is the item.
        None if body.is_object() && M::LIST_KEY != "data" => M::from_item_at(body, "$"),
        None => Err(decode::fail("$".into(), "the response has no `data`", body)),
    };
    out.map_err(|e| with_reply(e, reply))
}

/// Reads the resource a create or update answered with; `None` when the answer has no
/// body (204) or no `data`, as the schema says for every host
/// ([`schema::operation_result`]): nothing is known of the record then (an update's caller
/// has the id it sent; Python returns `None` and JavaScript `null` for the same answer).
/// A body whose `data` is not a resource is an [`Error::Decode`], as for [`decode_one`].
pub fn decode_written<M: Model>(reply: &Reply) -> Result<Option<M>, Error> {
    match reply.body.as_ref().map(|b| b.get("data")) {
        None | Some(None) | Some(Some(Value::Null)) => Ok(None),
        Some(_) => decode_one(reply).map(Some),
    }
}

/// Key spelling of normalized output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCase {
    /// `employee_id` (Python, Rust).
    Snake,
    /// `employeeId` (JavaScript).
    Camel,
}

/// `employee-id` → `employee_id` or `employeeId`.
pub fn convert_key(key: &str, case: KeyCase) -> String {
    convert_kebab(&crate::wire::kebab_case(key), case)
}

/// [`convert_key`] for a key already in kebab-case.
fn convert_kebab(kebab: &str, case: KeyCase) -> String {
    match case {
        KeyCase::Snake => kebab.replace('-', "_"),
        KeyCase::Camel => {
            let mut out = String::with_capacity(kebab.len());
            let mut upper = false;
            for c in kebab.chars() {
                if c == '-' {
                    upper = !out.is_empty();
                } else if upper {
                    out.extend(c.to_uppercase());
                    upper = false;
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// How a binding spells an attribute sent as `key`, and whether its value is a timestamp
/// (`"created-at"` → `("created_at", true)`): the rule [`normalize`] applies to each
/// attribute, for bindings that build their models from the raw items.
///
/// A key the [schema](mod@schema) declares under another name is given that name
/// (`i-s-b-n13` → `isbn13`, `author` → `authors`), so every host spells each field as the
/// schema does.
pub fn attribute_rule(key: &str, case: KeyCase) -> (String, bool) {
    let kebab = crate::wire::kebab_case(key);
    let time = is_time_field(&kebab);
    let name = match schema::renamed(&kebab) {
        Some(field) => convert_kebab(&field.replace('_', "-"), case),
        None => convert_kebab(&kebab, case),
    };
    (name, time)
}

/// The conversion an attribute sent as `key` gets when its value is a string: `number`,
/// `int`, `bool` or `list` (of strings) when the [schema](mod@schema) declares the field so
/// (`points-earned` → `number`), `None` for any other key. Degreed sends numbers and
/// booleans as strings; every host reads them as the schema's type ([`read_value`]).
pub fn attribute_kind(key: &str) -> Option<&'static str> {
    let kebab = crate::wire::kebab_case(key);
    schema::converted_kind(&kebab)
}

/// A string attribute value read as `kind` ([`attribute_kind`]), by the rules of the Rust
/// models' decoders (`" 12.5 "` → `12.5`, `"TRUE"` → `true`, one string → a list of one, a
/// blank number → `null`); `None` when it cannot mean that type (then it is kept as sent).
pub fn read_value(kind: &str, text: &str) -> Option<Value> {
    use decode::{Lenient, Scalar};
    let s = Scalar::Str(text);
    match kind {
        "number" => f64::scalar(s).ok()?.map_or(Some(Value::Null), |n| {
            // Whole numbers stay integers (`"17"` → `17`), as JSON would have sent them.
            Some(if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::from(n as i64)
            } else {
                Value::from(n)
            })
        }),
        "int" => Some(i64::scalar(s).ok()?.map_or(Value::Null, Value::from)),
        "bool" => Some(bool::scalar(s).ok()?.map_or(Value::Null, Value::from)),
        "list" => Some(
            Vec::<String>::scalar(s)
                .ok()?
                .map_or(Value::Null, Value::from),
        ),
        _ => None,
    }
}

/// Checks that every timestamp [`normalize`] would convert reads as one: a time member
/// (`completed-at`, `timestamp`, ...) of the item or of its `attributes`, holding a string that
/// is neither blank nor a date-time, is an [`Error::Decode`] at its path, not a string passed on
/// as if it were a date. `path` is the item's own (`$.data[3]`); `included` items are checked
/// too. [`crate::paging::scan`] applies the same rule without building the item.
pub fn check_times(item: &Value, path: &str) -> Result<(), Error> {
    let Value::Object(obj) = item else {
        return Ok(());
    };
    let check = |k: &str, v: &Value, base: &str| match v {
        Value::String(s)
            if !s.trim().is_empty()
                && is_time_field(&crate::wire::kebab_case(k))
                && crate::wire::read_time(s).is_none() =>
        {
            Err(decode::fail(
                decode::join(base, k),
                "expected an ISO-8601 date-time",
                v,
            ))
        }
        _ => Ok(()),
    };
    for (k, v) in obj {
        match (k.as_str(), v) {
            ("attributes", Value::Object(attrs)) => {
                let base = decode::join(path, "attributes");
                for (ak, av) in attrs {
                    check(ak, av, &base)?;
                }
            }
            ("attributes", _) => {}
            ("included", Value::Array(list)) => {
                let base = decode::join(path, "included");
                for (i, v) in list.iter().enumerate() {
                    check_times(v, &decode::index(&base, i))?;
                }
            }
            ("included", one) => check_times(one, &decode::join(path, "included"))?,
            (k, v) => check(k, v, path)?,
        }
    }
    Ok(())
}

fn normalize_relationships(rel: &Value, case: KeyCase) -> Value {
    let mut out = Map::new();
    let mut add = |name: &str, v: &Value| {
        let data = v.get("data").unwrap_or(v);
        out.insert(convert_key(name, case), data.clone());
    };
    match rel {
        Value::Array(list) => {
            for entry in list {
                if let Value::Object(m) = entry {
                    for (k, v) in m {
                        add(k, v);
                    }
                }
            }
        }
        Value::Object(m) => {
            for (k, v) in m {
                add(k, v);
            }
        }
        _ => {}
    }
    Value::Object(out)
}

/// One item in a uniform shape:
///
/// ```json
/// {"id": "zk3jPZ", "type": "users",
///  "attributes": {"employee_id": "E1", "created_at": "2022-03-16T10:15:29.503480+00:00"},
///  "relationships": {"manager": {"id": "x", "type": "users"}},
///  "included": [ ...normalized items... ],
///  "links": {"self": "..."},
///  "time_fields": ["created_at"]}
/// ```
///
/// Attribute keys are converted to `case`; timestamps are normalized ([`normalize_time`]) and
/// listed in `time_fields` so a binding can turn them into native dates; unknown attributes
/// are kept. An object without `type`, `attributes` or `relationships` (an xAPI statement) keeps its
/// own keys, converted at the top level, with nothing dropped; a non-object is returned as is.
pub fn normalize(item: &Value, case: KeyCase) -> Value {
    let Value::Object(obj) = item else {
        return item.clone();
    };
    // A JSON:API resource (or identifier) always has `type`; an xAPI statement has none.
    if !["attributes", "relationships", "type"]
        .iter()
        .any(|k| obj.contains_key(*k))
    {
        return normalize_plain(obj, case);
    }
    let mut out = Map::new();
    let mut time_fields = Vec::new();
    out.insert(
        "id".into(),
        obj.get("id").cloned().map(id_string).unwrap_or(Value::Null),
    );
    out.insert(
        "type".into(),
        obj.get("type").cloned().unwrap_or(Value::Null),
    );
    let attrs = match obj.get("attributes") {
        Some(Value::Object(a)) => convert_fields(a, case, &mut time_fields),
        _ => Map::new(),
    };
    out.insert("attributes".into(), Value::Object(attrs));
    out.insert(
        "relationships".into(),
        obj.get("relationships")
            .map(|r| normalize_relationships(r, case))
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    let included = match obj.get("included") {
        Some(Value::Array(list)) => list.iter().map(|i| normalize(i, case)).collect(),
        Some(one @ Value::Object(_)) => vec![normalize(one, case)],
        _ => Vec::new(),
    };
    out.insert("included".into(), Value::Array(included));
    out.insert(
        "links".into(),
        obj.get("links").cloned().unwrap_or(Value::Null),
    );
    out.insert("time_fields".into(), Value::Array(time_fields));
    Value::Object(out)
}

/// An object outside the JSON:API envelope (an xAPI statement): keys converted at the top
/// level, nothing dropped, top-level timestamps normalized and listed in `time_fields`.
fn normalize_plain(obj: &Map<String, Value>, case: KeyCase) -> Value {
    let mut time_fields = Vec::new();
    let mut out = convert_fields(obj, case, &mut time_fields);
    out.insert("time_fields".into(), Value::Array(time_fields));
    Value::Object(out)
}

/// Keys converted to `case`, timestamps normalized ([`normalize_time`]) and their keys
/// added to `time_fields`; every other value kept as it is.
fn convert_fields(
    fields: &Map<String, Value>,
    case: KeyCase,
    time_fields: &mut Vec<Value>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in fields {
        let (key, time) = attribute_rule(k, case);
        let value = match v {
            // Blank and unreadable values stay as sent: lists and replies are checked first
            // ([`check_times`]), so an unreadable one never reaches a binding.
            Value::String(s) if time => match normalize_time(s) {
                Some(norm) => {
                    time_fields.push(Value::from(key.as_str()));
                    norm.map_or(Value::Null, Value::from)
                }
                None => v.clone(),
            },
            Value::String(s) => attribute_kind(k)
                .and_then(|kind| read_value(kind, s))
                .unwrap_or_else(|| v.clone()),
            _ => v.clone(),
        };
        out.insert(key, value);
    }
    out
}

/// Ids are strings; a server that sends a number gets it turned into one.
fn id_string(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::from(n.to_string()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_times() {
        assert_eq!(convert_key("employee-id", KeyCase::Snake), "employee_id");
        assert_eq!(convert_key("employee-id", KeyCase::Camel), "employeeId");
        assert_eq!(convert_key("i-s-b-n13", KeyCase::Camel), "iSBN13");
        // Attributes take the schema's names.
        assert_eq!(attribute_rule("i-s-b-n13", KeyCase::Camel).0, "isbn13");
        assert_eq!(attribute_rule("i-s-b-n13", KeyCase::Snake).0, "isbn13");
        assert_eq!(attribute_rule("author", KeyCase::Snake).0, "authors");
        assert_eq!(
            attribute_rule("employee-id", KeyCase::Camel).0,
            "employeeId"
        );
        assert_eq!(
            normalize_time("2022-03-16T10:15:29.5034801"),
            Some(Some("2022-03-16T10:15:29.503480+00:00".into()))
        );
        assert_eq!(
            normalize_time("2022-02-17T00:00:00"),
            Some(Some("2022-02-17T00:00:00+00:00".into()))
        );
        assert_eq!(normalize_time("0001-01-01T00:00:00"), Some(None));
        assert_eq!(normalize_time("yesterday"), None);
    }

    #[test]
    fn normalizes_degreed_quirks() {
        let item = json!({
            "type": "completions", "id": "zrNodlZ",
            "attributes": {"employee-id": "E1", "completed-at": "2022-03-13T21:31:12.44", "points-earned": "12.5",
                           "added-at": "0001-01-01T00:00:00", "odd-at": "not a date", "new-thing": [1]},
            "relationships": [{"user": {"data": {"id": "u1", "type": "users"}}}, {"provider": {"data": null}}],
            "included": [{"type": "content", "id": "c1", "attributes": {"content-type": "Course"}}],
            "links": {"self": "https://api.example/api/v2/completions/zrNodlZ"}
        });
        let n = normalize(&item, KeyCase::Snake);
        assert_eq!(
            n["attributes"]["completed_at"],
            "2022-03-13T21:31:12.440000+00:00"
        );
        assert_eq!(n["attributes"]["added_at"], Value::Null);
        assert_eq!(n["attributes"]["odd_at"], "not a date");
        assert_eq!(n["attributes"]["new_thing"], json!([1]));
        assert_eq!(n["relationships"]["user"]["id"], "u1");
        assert_eq!(n["relationships"]["provider"], Value::Null);
        assert_eq!(n["included"][0]["attributes"]["content_type"], "Course");
        assert_eq!(n["time_fields"], json!(["added_at", "completed_at"]));
        let obj_rel = normalize(
            &json!({"id": 5, "relationships": {"manager": {"data": {"id": "m"}}}}),
            KeyCase::Camel,
        );
        assert_eq!(obj_rel["id"], "5");
        assert_eq!(obj_rel["relationships"]["manager"]["id"], "m");
        assert_eq!(normalize(&json!("x"), KeyCase::Snake), json!("x"));
        let statement = json!({"id": "s1", "actor": {"mbox": "mailto:a@b"}, "timestamp": "2020-02-12T21:05:55.8954545"});
        let n = normalize(&statement, KeyCase::Camel);
        assert_eq!(n["actor"]["mbox"], "mailto:a@b");
        assert_eq!(n["timestamp"], "2020-02-12T21:05:55.895454+00:00");
        assert_eq!(n["time_fields"], json!(["timestamp"]));
    }

    #[test]
    fn values_are_read_as_the_schema_types() {
        assert_eq!(attribute_kind("points-earned"), Some("number"));
        assert_eq!(attribute_kind("pointsEarned"), Some("number"));
        assert_eq!(attribute_kind("daily-logins"), Some("int"));
        assert_eq!(attribute_kind("is-verified"), Some("bool"));
        assert_eq!(attribute_kind("author"), Some("list"));
        assert_eq!(attribute_kind("employee-id"), None);
        assert_eq!(attribute_kind("content-type"), None, "enums stay strings");
        assert_eq!(read_value("number", " 12.5 "), Some(json!(12.5)));
        assert_eq!(read_value("number", "17"), Some(json!(17)));
        assert_eq!(read_value("number", ""), Some(Value::Null));
        assert_eq!(read_value("number", "lots"), None);
        assert_eq!(read_value("int", "7"), Some(json!(7)));
        assert_eq!(read_value("bool", "TRUE"), Some(json!(true)));
        assert_eq!(read_value("list", "A. Author"), Some(json!(["A. Author"])));
        let n = normalize(
            &json!({"type": "completions", "attributes": {"points-earned": "12.5", "is-verified": "false", "rating": "x"}}),
            KeyCase::Camel,
        );
        assert_eq!(n["attributes"]["pointsEarned"], json!(12.5));
        assert_eq!(n["attributes"]["isVerified"], json!(false));
        assert_eq!(
            n["attributes"]["rating"],
            json!("x"),
            "unreadable: kept as sent"
        );
    }

    #[test]
    fn unreadable_timestamps_are_reported_with_their_path() {
        let ok = json!({"type": "users", "attributes": {"created-at": "2022-03-16T10:15:29.5", "due-date": "", "bio": "soon"},
                        "included": [{"type": "content", "attributes": {"modified-at": null}}]});
        check_times(&ok, "$.data[0]").unwrap();
        for (item, path) in [
            (
                json!({"type": "users", "attributes": {"created-at": "yesterday"}}),
                "$.data[2].attributes.created-at",
            ),
            (
                json!({"type": "users", "attributes": {"createdAt": "2024-01-01T00:00:00+99:99"}}),
                "$.data[2].attributes.createdAt",
            ),
            (
                json!({"type": "x", "included": [{}, {"type": "c", "attributes": {"publish-date": "May"}}]}),
                "$.data[2].included[1].attributes.publish-date",
            ),
            (
                json!({"id": "s1", "timestamp": "nope"}),
                "$.data[2].timestamp",
            ),
        ] {
            let e = check_times(&item, "$.data[2]").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Decode);
            assert!(e.to_string().contains(path), "{e}");
        }
    }
}
