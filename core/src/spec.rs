//! A plain-data face of the core for the language bindings.
//!
//! Python and JavaScript drive the same state machines through these few types: a request
//! is described as JSON (a *spec*), outgoing requests and incoming responses are plain
//! method/URL/headers/bytes, and results come back as JSON. Keeping this here means both
//! bindings parse specs and report results identically, and stay thin.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::call::Session;
use crate::catalog::{Body, Method, Operation, Paging};
use crate::datetime::{Date, Timestamp};
use crate::error::Error;
use crate::models::{check_times, convert_key, normalize, KeyCase};
use crate::paging::Pager;
use crate::request::ApiRequest;
use crate::response::Reply;

/// A request to send, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Header pairs (names lower-case).
    pub headers: Vec<(String, String)>,
    /// Body bytes (empty for none).
    pub body: Vec<u8>,
}

impl From<http::Request<Vec<u8>>> for Outgoing {
    fn from(req: http::Request<Vec<u8>>) -> Self {
        let (parts, body) = req.into_parts();
        Outgoing {
            method: parts.method.as_str().to_owned(),
            url: parts.uri.to_string(),
            headers: parts
                .headers
                .iter()
                .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect(),
            body,
        }
    }
}

/// Builds an `http::Response` from what a host HTTP stack returned, with the headers the core
/// reads (request ids, `Retry-After`, the rate-limit headers; names in any case): the others
/// and values that are not valid HTTP are dropped. A status outside 100..=999 becomes 502 so
/// it is treated as a server failure rather than a crash.
pub fn incoming<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: Vec<u8>,
) -> http::Response<Vec<u8>> {
    let mut resp = http::Response::new(body);
    *resp.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    for (k, v) in headers {
        // Compared with the names the core reads, not parsed (see `READ_HEADERS`).
        let k = k.as_ref().trim();
        let name = crate::response::READ_HEADERS
            .iter()
            .find(|n| n.as_str().eq_ignore_ascii_case(k));
        if let (Some(name), Ok(value)) = (name, http::HeaderValue::from_str(v.as_ref().trim())) {
            resp.headers_mut().append(name.clone(), value);
        }
    }
    resp
}

/// Header pairs a host sent as JSON text (`[["retry-after", "3"], ...]`), for [`incoming`];
/// none when the text is anything else (not a list of pairs of strings). Read through a
/// `Value`: a typed serde target would bring serde's error messages, which format floats and
/// quote strings, into the wasm package (about 5 KiB gzipped).
pub fn header_pairs(json: &[u8]) -> Vec<(String, String)> {
    let Ok(Value::Array(list)) = serde_json::from_slice(json) else {
        return Vec::new();
    };
    let pair = |p: Value| match p {
        Value::Array(kv) => match <[Value; 2]>::try_from(kv) {
            Ok([Value::String(k), Value::String(v)]) => Some((k, v)),
            _ => None,
        },
        _ => None,
    };
    list.into_iter()
        .map(pair)
        .collect::<Option<_>>()
        .unwrap_or_default()
}

/// Seconds as `f64`, for hosts whose sleep takes seconds.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// A [`Session`] from a client's options as a host gave them: a JSON object with the host's
/// names (`case`) and units, read by the one description, [`crate::config::SESSION_OPTIONS`]
/// ([`crate::config::session_parts`]).
pub fn session_from_options(options: &Value, case: KeyCase) -> Result<Session, Error> {
    let Value::Object(map) = options else {
        return Err(Error::invalid("the client options must be an object"));
    };
    let (config, credentials, options) = crate::config::session_parts(map, case)?;
    Ok(Session::new(config, credentials, options))
}

/// The operation catalogue as plain data for the bindings: per operation `name`, `method`,
/// `path`, `path_params`, `scope`, `scopes`, `source`, `source_ref`, `filters`, `paging`
/// (`none`, `cursor`, `xapi`), `body` (`none`, `resource`, `relationships`, `raw`),
/// `body_type`, `idempotent`, `windowed` and `tenant_header`; keys in `case`.
pub fn catalog_json(case: KeyCase) -> Value {
    let ops = crate::catalog::operations().map(|op| {
        let (body, body_type) = match op.body {
            Body::None => ("none", None),
            Body::Resource(t) => ("resource", Some(t)),
            Body::Relationships(t) => ("relationships", Some(t)),
            Body::Raw => ("raw", None),
        };
        let paging = match op.paging {
            Paging::None => "none",
            Paging::Cursor => "cursor",
            Paging::Xapi => "xapi",
        };
        let fields = serde_json::json!({
            "name": op.name,
            "method": op.method.as_str(),
            "path": op.path,
            "path_params": op.path_params().collect::<Vec<_>>(),
            "scope": op.scope().map(|s| s.to_string()),
            "scopes": op.scopes,
            "source": op.source.kind(),
            "source_ref": op.source.reference(),
            "filters": op.filters,
            "paging": paging,
            "body": body,
            "body_type": body_type,
            "idempotent": op.is_idempotent(),
            "windowed": op.windowed,
            "tenant_header": op.tenant_header,
        });
        match fields {
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, v)| (convert_key(&k, case), v))
                    .collect(),
            ),
            other => other,
        }
    });
    Value::Array(ops.collect())
}

/// A query or filter value as text. `{"instant": "<RFC 3339>"}` is a point in time given
/// as a host's own date-time type (Python's `datetime`, JavaScript's `Date`): xAPI takes it as
/// an instant (RFC 3339 UTC), every other operation as its UTC day (`yyyy-mm-dd`), the form
/// their date filters take; so every host sends it the same way.
fn query_value(v: &Value, xapi: bool) -> Result<Option<String>, Error> {
    Ok(match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(m) if m.len() == 1 && m.contains_key("instant") => {
            let text = m.get("instant").and_then(Value::as_str).unwrap_or("");
            let t = Timestamp::parse(text).map_err(|_| {
                Error::invalid(format!(
                    "`{}` is not a point in time",
                    crate::error::excerpt(text)
                ))
            })?;
            Some(if xapi {
                t.to_string()
            } else {
                t.date().to_string()
            })
        }
        other => Some(crate::wire::json_text(other)),
    })
}

fn pairs(v: Option<&Value>, what: &str, xapi: bool) -> Result<Vec<(String, String)>, Error> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, v)| {
                query_value(v, xapi)
                    .map(|v| Some((k.clone(), v?)))
                    .transpose()
            })
            .collect(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([Value::String(k), v]) => Ok(query_value(v, xapi)?.map(|v| (k.clone(), v))),
                _ => Err(Error::invalid(format!(
                    "`{what}` entries must be [key, value] pairs"
                ))),
            })
            .filter_map(Result::transpose)
            .collect(),
        Some(_) => Err(Error::invalid(format!(
            "`{what}` must be an object or a list of pairs"
        ))),
    }
}

/// The keys of a `{key: value}` object or `[[key, value], ...]` list (nulls included).
fn keys(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::Object(m)) => m.keys().map(String::as_str).collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|p| p.as_array()?.first()?.as_str())
            .collect(),
        _ => Vec::new(),
    }
}

/// Builds an [`ApiRequest`] from a JSON spec:
///
/// ```json
/// {"operation": "users.get", "path": ["a@b.com"], "query": {"identifier": "email"},
///  "filters": {"external_id": "C-1"}, "named_filters": {"email": "a@b.com"}, "limit": 100,
///  "attributes": {...}, "relationships": [...], "ids": [...], "body": {...}, "case": "camel"}
/// ```
///
/// `{"operation": "custom", "method": "GET", "raw_path": "/api/v2/badges"}` calls an endpoint
/// the catalogue lacks. `named_filters` are checked against the list's known filters (an
/// unknown name is an [`Error::InvalidRequest`] with a "did you mean" hint); `filters` and
/// `query` are sent as given. Every key but `operation` is optional; query and filter values
/// may be strings, numbers, booleans (`null` drops the key) or a host's date-time as
/// `{"instant": "<RFC 3339>"}`, sent as a day except to xAPI. A create missing an attribute
/// the schema requires on create is an [`Error::InvalidRequest`] naming it (`"case":
/// "camel"` names it in camelCase).
pub fn request_from_spec(spec: &Value) -> Result<ApiRequest, Error> {
    let Some(obj) = spec.as_object() else {
        return Err(Error::invalid("a request spec must be an object"));
    };
    let name = obj
        .get("operation")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid("the spec has no `operation`"))?;
    let mut req = if name == "custom" {
        // {"operation": "custom", "method": "GET", "raw_path": "/api/v2/badges"}
        let field = |k: &str| {
            obj.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| Error::invalid(format!("a custom request needs `{k}`")))
        };
        ApiRequest::custom(field("method")?.parse()?, field("raw_path")?)
    } else {
        ApiRequest::new(name)?
    };
    match obj.get("path") {
        None | Some(Value::Null) => {}
        Some(Value::Array(params)) => {
            for p in params {
                let s = match p {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        return Err(Error::invalid(format!(
                            "`{name}`: path parameters must be strings"
                        )))
                    }
                };
                req = req.path_param(s);
            }
        }
        Some(_) => return Err(Error::invalid("`path` must be a list")),
    }
    // xAPI takes plain parameters (`since`, `until`, `verb`, `ascending`), with instants
    // in RFC 3339 UTC, however the host language spelled them.
    let xapi = req.operation().paging == Paging::Xapi;
    for (k, v) in pairs(obj.get("query"), "query", xapi)? {
        let v = if xapi { xapi_value(&k, v) } else { v };
        req = req.query(k, v);
    }
    // Filters named as keyword arguments (`users.list(email=...)`) must be filters the list
    // knows: a misspelling would be ignored by the server and return every record. The
    // `filters` mapping is the unchecked escape hatch.
    let named = obj.get("named_filters");
    for key in keys(named) {
        crate::catalog::check_filter(req.operation(), key)?;
    }
    let all = pairs(obj.get("filters"), "filters", xapi)?
        .into_iter()
        .chain(pairs(named, "named_filters", xapi)?);
    for (k, v) in all {
        req = if xapi {
            let v = xapi_value(&k, v);
            req.query(k, v)
        } else {
            req.filter(&k, v)
        };
    }
    match obj.get("limit") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => {
            req = req.limit(
                n.as_i64()
                    .ok_or_else(|| Error::invalid("limit must be an integer"))?,
            )
        }
        Some(_) => return Err(Error::invalid("limit must be an integer")),
    }
    if let Some(a) = obj.get("attributes").filter(|v| !v.is_null()) {
        req = req.attributes(a.clone());
    }
    // `"case": "camel"`: errors name attributes as JavaScript spells them.
    if obj.get("case").and_then(Value::as_str) == Some("camel") {
        req = req.attribute_names(KeyCase::Camel);
    }
    if let Some(r) = obj.get("relationships").filter(|v| !v.is_null()) {
        req = req.relationships(r.clone());
    }
    if let Some(ids) = obj.get("ids").filter(|v| !v.is_null()) {
        let list = ids
            .as_array()
            .ok_or_else(|| Error::invalid("`ids` must be a list of strings"))?;
        let ids: Option<Vec<String>> = list.iter().map(|v| v.as_str().map(str::to_owned)).collect();
        req = req.ids(ids.ok_or_else(|| Error::invalid("`ids` must be a list of strings"))?);
    }
    if let Some(b) = obj.get("body").filter(|v| !v.is_null()) {
        req = req.raw_body(b.clone());
    }
    Ok(req)
}

/// An xAPI `since`/`until` that reads as a date-time or a date, in RFC 3339 UTC
/// (`2024-05-01T00:00:00Z`); anything else as given (the server judges it).
fn xapi_value(key: &str, value: String) -> String {
    if !matches!(key, "since" | "until") {
        return value;
    }
    match Timestamp::parse(&value) {
        Ok(t) => t.to_string(),
        Err(_) => value,
    }
}

/// A [`Pager`] from a spec. An optional
/// `window: {"start": "yyyy-mm-dd"|null, "end": "yyyy-mm-dd"|null, "today": "yyyy-mm-dd"}`
/// limits a list to a date range by the rules of [`Pager::dated`]: on windowed operations
/// `end` defaults to `today` (the host's clock, UTC), an `end` needs a `start`, and the
/// range is walked in the windows the API accepts; other operations get the dates given as
/// `filter[start_date]`/`filter[end_date]`, unsplit.
pub fn pager_from_spec(spec: &Value) -> Result<Pager, Error> {
    let req = request_from_spec(spec)?;
    match spec.get("window").filter(|v| !v.is_null()) {
        None => Ok(Pager::new(req)),
        Some(w) if !w.is_object() => Err(Error::invalid(
            "`window` must be an object with `start`, `end` and `today`",
        )),
        Some(w) => {
            // Errors name the caller's arguments (`start_date`, or `startDate` with
            // `"case": "camel"`), not this object's keys.
            let case = match w.get("case").and_then(Value::as_str) {
                Some("camel") => KeyCase::Camel,
                _ => KeyCase::Snake,
            };
            let name = |k: &str| convert_key(&format!("{k}_date"), case);
            let date = |k: &str| -> Result<Option<Date>, Error> {
                let what = if k == "today" {
                    "window.today".to_owned()
                } else {
                    name(k)
                };
                match w.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => s.parse().map(Some).map_err(|_| {
                        Error::invalid(format!(
                            "{what} must be a yyyy-mm-dd date, got `{}`",
                            crate::error::excerpt(s)
                        ))
                    }),
                    Some(_) => Err(Error::invalid(format!(
                        "{what} must be a yyyy-mm-dd string"
                    ))),
                }
            };
            Pager::dated_named(
                req,
                date("start")?,
                date("end")?,
                date("today")?,
                [&name("start"), &name("end")],
            )
        }
    }
}

/// Whether `op` reads one resource (`users.get`, `content.courses.get`, ...): a catalogue
/// GET without paging. Its reply must carry a `data` object ([`resource_reply_json`]).
pub fn is_resource_get(op: &Operation) -> bool {
    op.method == Method::Get && op.paging == Paging::None && !op.is_custom()
}

/// [`reply_json`] for a single-resource read: a 2xx answer whose `data` is not an object
/// (missing, `null`, a list, an empty body) is an [`Error::Decode`] at `$.data`, since a
/// read is safe to repeat and an empty resource would only hide the fault.
pub fn resource_reply_json(reply: &Reply, case: KeyCase) -> Result<Value, Error> {
    resource_reply(reply, case, normalize)
}

fn resource_reply(
    reply: &Reply,
    case: KeyCase,
    item: impl Fn(&Value, KeyCase) -> Value,
) -> Result<Value, Error> {
    match reply.data() {
        Some(Value::Object(_)) => Ok(reply_with(reply, case, item)),
        _ => Err(Error::Decode {
            message: format!("`{}`: expected a resource", reply.operation.name),
            path: "$.data".into(),
            excerpt: crate::error::excerpt(
                &reply
                    .body
                    .as_ref()
                    .map(crate::wire::json_text)
                    .unwrap_or_default(),
            ),
            status: reply.status,
            request_id: reply.request_id.clone(),
            maybe_applied: false,
        }),
    }
}

/// The JSON a binding returns for a finished call: [`resource_reply_json`] for
/// single-resource reads ([`is_resource_get`]), [`reply_json`] for everything else (a
/// write answered with 204 keeps `data: null`).
pub fn result_json(reply: &Reply, case: KeyCase) -> Result<Value, Error> {
    result_with(reply, case, normalize)
}

/// [`result_json`] with `data` as sent (the same checks, no [`normalize`]): for a binding
/// that builds its models from the raw items by the core's rules (the JavaScript package,
/// which then has no normalizer in its wasm).
pub fn raw_result_json(reply: &Reply, case: KeyCase) -> Result<Value, Error> {
    result_with(reply, case, |item, _| item.clone())
}

fn result_with(
    reply: &Reply,
    case: KeyCase,
    item: impl Fn(&Value, KeyCase) -> Value,
) -> Result<Value, Error> {
    // A timestamp that does not read as one is reported, not handed on as a string.
    let checked = match reply.data() {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_times(item, &format!("$.data[{i}]"))),
        Some(item) => check_times(item, "$.data"),
        None => Ok(()),
    };
    checked.map_err(|e| crate::models::with_reply(e, reply))?;
    if is_resource_get(reply.operation) {
        resource_reply(reply, case, item)
    } else {
        Ok(reply_with(reply, case, item))
    }
}

/// A successful reply as JSON for a binding: `{"status", "request_id", "data", "links",
/// "raw"}` with `data` normalized ([`normalize`]) in the binding's key case.
pub fn reply_json(reply: &Reply, case: KeyCase) -> Value {
    reply_with(reply, case, normalize)
}

fn reply_with(reply: &Reply, case: KeyCase, item: impl Fn(&Value, KeyCase) -> Value) -> Value {
    let mut out = Map::new();
    out.insert("status".into(), reply.status.into());
    out.insert(
        "request_id".into(),
        reply.request_id.clone().map_or(Value::Null, Value::from),
    );
    let body = reply.body.clone().unwrap_or(Value::Null);
    let data = match body.get("data") {
        Some(Value::Array(items)) => Value::Array(items.iter().map(|i| item(i, case)).collect()),
        Some(one @ Value::Object(_)) => item(one, case),
        Some(other) => other.clone(),
        None => Value::Null,
    };
    out.insert("data".into(), data);
    out.insert(
        "links".into(),
        body.get("links").cloned().unwrap_or(Value::Null),
    );
    out.insert("raw".into(), body);
    Value::Object(out)
}

/// A `now` for the core from a host's seconds-since-epoch float.
pub fn now_from_secs(secs: f64) -> Timestamp {
    Timestamp::from_unix_secs_f64(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_as_plain_data_in_either_case() {
        let s = crate::call::Stats {
            requests: 3,
            retries: 1,
            rate_limited: 2,
            token_requests: 1,
        };
        assert_eq!(
            s.to_json(KeyCase::Camel),
            serde_json::json!({"requests": 3, "retries": 1, "rateLimited": 2, "tokenRequests": 1})
        );
        assert_eq!(s.to_json(KeyCase::Snake)["token_requests"], 1);
    }

    #[test]
    fn the_catalogue_as_plain_data_in_either_case() {
        let snake = catalog_json(KeyCase::Snake);
        let camel = catalog_json(KeyCase::Camel);
        let ops = snake.as_array().unwrap();
        assert_eq!(ops.len(), crate::catalog::operations().count());
        let create = ops.iter().find(|o| o["name"] == "users.create").unwrap();
        assert_eq!(create["body"], "resource");
        assert_eq!(create["body_type"], "users");
        assert_eq!(create["idempotent"], false);
        let list = &camel.as_array().unwrap()[0];
        assert!(list.get("pathParams").is_some() && list.get("tenantHeader").is_some());
    }

    #[test]
    fn a_host_date_time_is_a_day_except_for_xapi() {
        let at = serde_json::json!({"instant": "2024-05-01T23:30:00-02:00"});
        let content = request_from_spec(&serde_json::json!({"operation": "content.list",
            "named_filters": {"modified_after": at}, "query": [["since", at]]}))
        .unwrap();
        let url = content
            .prepare(&crate::Config::default())
            .unwrap()
            .url()
            .to_string();
        assert!(url.contains("filter[modified_after]=2024-05-02"), "{url}");
        assert!(
            url.contains("since=2024-05-02&") || url.ends_with("since=2024-05-02"),
            "{url}"
        );
        let xapi = request_from_spec(&serde_json::json!({"operation": "xapi.statements.list",
            "named_filters": {"since": at}}))
        .unwrap();
        let url = xapi
            .prepare(&crate::Config::default())
            .unwrap()
            .url()
            .to_string();
        assert!(url.contains("since=2024-05-02T01%3A30%3A00Z"), "{url}");
        let bad = serde_json::json!({"operation": "content.list",
            "filters": {"x": {"instant": "soon"}}});
        assert!(request_from_spec(&bad)
            .unwrap_err()
            .to_string()
            .contains("not a point in time"));
    }
    use serde_json::json;

    #[test]
    fn specs_build_requests() {
        let cfg = test_config();
        let r = request_from_spec(&json!({"operation": "users.get", "path": ["a@b.com"], "query": {"identifier": "email", "x": null}}))
            .unwrap()
            .prepare(&cfg)
            .unwrap();
        assert_eq!(
            r.url().as_str(),
            "https://api.example/api/v2/users/a@b.com?identifier=email"
        );
        let r = request_from_spec(
            &json!({"operation": "content.list", "filters": [["internal_only", true]], "limit": 5}),
        )
        .unwrap()
        .prepare(&cfg)
        .unwrap();
        assert_eq!(r.url().query(), Some("filter[internal_only]=true&limit=5"));
        for bad in [
            json!(1),
            json!({}),
            json!({"operation": "nope"}),
            json!({"operation": "custom", "method": "PUT", "raw_path": "/x"}),
            json!({"operation": "custom", "method": "GET"}),
            json!({"operation": "users.get", "path": "x"}),
            json!({"operation": "users.list", "limit": "5"}),
        ] {
            assert!(request_from_spec(&bad).is_err(), "{bad}");
        }
        let mut p = pager_from_spec(&json!({"operation": "logins.list", "window": {"start": "2024-01-01", "end": "2024-01-31"}})).unwrap();
        assert!(p.next_request().is_some());
        assert!(pager_from_spec(&json!({"operation": "logins.list", "window": {"start": "2024-01-31", "end": "2024-01-01"}})).is_err());
    }

    fn test_config() -> crate::Config {
        crate::Config::custom("https://a.example", "https://api.example").unwrap()
    }

    /// The query string of the request a valid spec describes.
    fn query_of(spec: Value) -> String {
        request_from_spec(&spec)
            .unwrap()
            .prepare(&test_config())
            .unwrap()
            .url()
            .query()
            .unwrap_or("")
            .to_owned()
    }

    fn first_query(spec: Value) -> Result<Vec<String>, Error> {
        let cfg = test_config();
        let mut out = Vec::new();
        let mut p = pager_from_spec(&spec)?;
        let reply = |op| Reply {
            operation: crate::catalog::operation(op).unwrap(),
            status: 200,
            request_id: None,
            rate_limit: None,
            body: Some(json!({"data": []})),
        };
        let op = spec["operation"].as_str().unwrap();
        while let Some(req) = p.next_request() {
            out.push(req.prepare(&cfg)?.url().query().unwrap_or("").to_owned());
            p.on_reply(&reply(op), &cfg).unwrap();
        }
        Ok(out)
    }

    #[test]
    fn named_filters_are_checked_and_explicit_ones_are_not() {
        let e = request_from_spec(
            &json!({"operation": "users.list", "named_filters": {"emial": "x@example.com"}}),
        )
        .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
        assert!(e.to_string().contains("did you mean `email`"), "{e}");
        // A null value does not hide the misspelling.
        assert!(request_from_spec(
            &json!({"operation": "users.list", "named_filters": [["emial", null]]})
        )
        .is_err());
        assert_eq!(
            query_of(json!({"operation": "users.list", "named_filters": {"email": "x"}})),
            "filter[email]=x"
        );
        assert_eq!(
            query_of(json!({"operation": "users.list", "filters": {"emial": "x"}})),
            "filter[emial]=x"
        );
        assert_eq!(
            query_of(json!({"operation": "xapi.statements.list", "named_filters": {"verb": "v"}})),
            "verb=v"
        );
        let e = request_from_spec(
            &json!({"operation": "xapi.statements.list", "named_filters": {"sinse": "2024-01-01"}}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("did you mean `since`"), "{e}");
    }

    #[test]
    fn windows_from_partial_dates() {
        // Windowed: the end defaults to today and the range is split.
        assert_eq!(
            first_query(json!({"operation": "completions.list",
                "window": {"start": "2024-01-01", "end": null, "today": "2024-01-09"}}))
            .unwrap(),
            [
                "filter[start_date]=2024-01-01&filter[end_date]=2024-01-07",
                "filter[start_date]=2024-01-07&filter[end_date]=2024-01-09"
            ]
        );
        let e = first_query(json!({"operation": "logins.list",
            "window": {"start": null, "end": "2024-01-02", "today": "2024-01-09"}}))
        .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
        assert!(
            e.to_string()
                .contains("start_date is required with end_date"),
            "{e}"
        );
        assert!(first_query(json!({"operation": "logins.list",
            "window": {"start": "2024-02-01", "today": "2024-01-09"}}))
        .unwrap_err()
        .to_string()
        .contains("before"));
        // Nothing given: no date filters, whatever today is.
        assert_eq!(
            first_query(json!({"operation": "views.list",
                "window": {"start": null, "end": null, "today": "2024-01-09"}}))
            .unwrap(),
            [""]
        );
        assert_eq!(
            first_query(json!({"operation": "views.list"})).unwrap(),
            [""]
        );
        // Other operations: what is given, unsplit.
        assert_eq!(
            first_query(json!({"operation": "content.list",
                "window": {"start": null, "end": "2024-01-31", "today": "2024-03-01"}}))
            .unwrap(),
            ["filter[end_date]=2024-01-31"]
        );
        assert_eq!(
            first_query(json!({"operation": "content.list",
                "window": {"start": "2024-01-01", "end": "2024-03-31"}}))
            .unwrap(),
            ["filter[start_date]=2024-01-01&filter[end_date]=2024-03-31"]
        );
        for bad in [
            json!({"operation": "logins.list", "window": {"start": "yesterday", "today": "2024-01-09"}}),
            json!({"operation": "logins.list", "window": {"start": 20240101, "today": "2024-01-09"}}),
            json!({"operation": "logins.list", "window": {"start": "2024-01-01", "today": "soon"}}),
            json!({"operation": "logins.list", "window": "2024-01-01"}),
        ] {
            let e = pager_from_spec(&bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest, "{bad}");
        }
        // Errors name the caller's argument, in the binding's spelling.
        for (case, start, end) in [
            (json!(null), "start_date", "end_date"),
            (json!("snake"), "start_date", "end_date"),
            (json!("camel"), "startDate", "endDate"),
        ] {
            let e = pager_from_spec(&json!({"operation": "logins.list",
                "window": {"start": "yesterday", "today": "2024-01-09", "case": case}}))
            .unwrap_err()
            .to_string();
            assert!(
                e.contains(&format!("{start} must be")) && !e.contains("window."),
                "{e}"
            );
            let e = pager_from_spec(&json!({"operation": "logins.list",
                "window": {"start": null, "end": "2024-01-01", "today": "2024-01-09", "case": case}}))
            .unwrap_err()
            .to_string();
            assert!(
                e.contains(&format!("{start} is required with {end}")),
                "{e}"
            );
        }
    }

    #[test]
    fn xapi_filters_are_plain_parameters_with_utc_instants() {
        assert_eq!(
            query_of(json!({"operation": "xapi.statements.list", "filters": {
                "since": "2024-05-01", "until": "2024-05-02T10:00:00+02:00",
                "verb": "http://adlnet.gov/expapi/verbs/completed", "ascending": true}})),
            "ascending=true&since=2024-05-01T00%3A00%3A00Z&until=2024-05-02T08%3A00%3A00Z\
             &verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fcompleted"
        );
        // A JS Date's ISO form loses its zero milliseconds; query entries are treated alike;
        // what does not read as a time goes as given.
        assert_eq!(
            query_of(json!({"operation": "xapi.statements.list",
                "query": {"since": "2024-05-01T00:00:00.000Z"}, "filters": {"until": "later"}})),
            "since=2024-05-01T00%3A00%3A00Z&until=later"
        );
        // Other operations keep `filter[...]` and the value as given.
        assert_eq!(
            query_of(json!({"operation": "completions.list", "filters": {"since": "2024-05-01"}})),
            "filter[since]=2024-05-01"
        );
    }

    #[test]
    fn single_resource_reads_need_a_resource() {
        let op = |name| crate::catalog::operation(name).unwrap();
        let reply = |name, status, body: Option<Value>| Reply {
            operation: op(name),
            status,
            request_id: Some("rid-1".into()),
            rate_limit: None,
            body,
        };
        assert!(is_resource_get(op("users.get")));
        assert!(is_resource_get(op("content.courses.get")));
        assert!(!is_resource_get(op("users.list")));
        assert!(!is_resource_get(op("users.update")));
        assert!(!is_resource_get(crate::catalog::custom(Method::Get)));
        let ok = reply(
            "users.get",
            200,
            Some(
                json!({"data": {"id": "u1", "type": "users", "attributes": {"first-name": "Ada"}}}),
            ),
        );
        let v = resource_reply_json(&ok, KeyCase::Snake).unwrap();
        assert_eq!(v["data"]["attributes"]["first_name"], "Ada");
        assert_eq!(result_json(&ok, KeyCase::Snake).unwrap(), v);
        // The raw form: the same reply with `data` as sent.
        let raw = raw_result_json(&ok, KeyCase::Snake).unwrap();
        assert_eq!(raw["data"], ok.body.as_ref().unwrap()["data"]);
        assert_eq!(
            (&raw["status"], &raw["request_id"], &raw["raw"]),
            (&v["status"], &v["request_id"], &v["raw"])
        );
        for body in [
            None,
            Some(json!({})),
            Some(json!({"data": null})),
            Some(json!({"data": []})),
            Some(json!({"data": [{"id": "u1"}]})),
            Some(json!({"data": "u1"})),
        ] {
            let r = reply("users.get", 200, body.clone());
            for e in [
                resource_reply_json(&r, KeyCase::Camel).unwrap_err(),
                result_json(&r, KeyCase::Camel).unwrap_err(),
                raw_result_json(&r, KeyCase::Camel).unwrap_err(),
            ] {
                match e {
                    Error::Decode {
                        path,
                        message,
                        status,
                        request_id,
                        ..
                    } => {
                        assert_eq!(path, "$.data", "{body:?}");
                        assert!(message.contains("expected a resource"), "{message}");
                        assert_eq!((status, request_id.as_deref()), (200, Some("rid-1")));
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
        // A timestamp that does not read as one, in a read or a write's answer.
        for name in ["users.get", "users.update"] {
            let bad = reply(
                name,
                200,
                Some(
                    json!({"data": {"id": "u1", "type": "users", "attributes": {"created-at": "soon"}}}),
                ),
            );
            for e in [
                result_json(&bad, KeyCase::Snake).unwrap_err(),
                raw_result_json(&bad, KeyCase::Snake).unwrap_err(),
            ] {
                assert_eq!(e.kind(), crate::ErrorKind::Decode);
                assert!(
                    e.to_string().contains("$.data.attributes.created-at"),
                    "{e}"
                );
                assert_eq!(e.request_id(), Some("rid-1"));
            }
        }
        // A write answered with 204 stays `data: null`.
        let empty = result_json(&reply("users.update", 204, None), KeyCase::Snake).unwrap();
        assert_eq!(empty["data"], Value::Null);
        assert_eq!(empty["status"], 204);
    }

    #[test]
    fn incoming_tolerates_bad_parts() {
        let r = incoming(7, &[("x ok", "1"), ("x-request-id", "abc")], b"{}".to_vec());
        assert_eq!(r.status(), 502);
        assert_eq!(r.headers().len(), 1);
        let r = incoming(200, &[("Content-Type", "application/json")], Vec::new());
        assert_eq!(r.status(), 200);
    }

    #[test]
    fn incoming_keeps_the_headers_the_core_reads() {
        let now = Timestamp::from_unix(1_700_000_000, 0);
        let r = incoming(
            429,
            &[
                ("X-Correlation-ID", " c1 "),
                ("retry-after", "7"),
                ("X-Rate-Limit-Limit", "1m"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", "2023-11-14T22:14:00Z"),
                ("x-other", "dropped"),
            ],
            Vec::new(),
        );
        assert_eq!(r.headers().len(), 5);
        assert_eq!(
            crate::response::request_id(r.headers()).as_deref(),
            Some("c1")
        );
        assert_eq!(
            crate::response::retry_after(r.headers(), now),
            Some(Duration::from_secs(7))
        );
        let rl = crate::ratelimit::RateLimit::from_headers(r.headers()).unwrap();
        assert_eq!(rl.period, Some(Duration::from_secs(60)));
        assert_eq!(rl.remaining, Some(0));
        assert!(rl.reset.is_some());
        for (i, name) in crate::response::READ_HEADERS.iter().enumerate() {
            let r = incoming(
                200,
                &[(name.as_str().to_uppercase(), i.to_string())],
                Vec::new(),
            );
            assert_eq!(r.headers()[name], i.to_string().as_str(), "{name}");
        }
    }

    #[test]
    fn header_pairs_read_a_list_of_pairs_or_nothing() {
        let pairs = header_pairs(br#"[["Retry-After", "3"], ["x-request-id", "r1"]]"#);
        assert_eq!(
            pairs,
            [("Retry-After", "3"), ("x-request-id", "r1")].map(|(k, v)| (k.into(), v.into()))
        );
        assert_eq!(header_pairs(b"[]"), []);
        // Anything else is no headers at all, as a typed `Vec<(String, String)>` refused it.
        for bad in [
            &b"{}"[..],
            b"not json",
            br#"[["a", "1"], ["b"]]"#,
            br#"[["a", "1", "x"]]"#,
            br#"[["a", 1]]"#,
            br#"[["a", "1"], "b"]"#,
        ] {
            assert_eq!(header_pairs(bad), [], "{}", String::from_utf8_lossy(bad));
        }
    }
}
