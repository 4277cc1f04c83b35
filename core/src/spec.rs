//! A plain-data face of the core for the language bindings.
//!
//! Python and JavaScript drive the same state machines through these few types: a request
//! is described as JSON (a *spec*), outgoing requests and incoming responses are plain
//! method/URL/headers/bytes, and results come back as JSON. Keeping this here means both
//! bindings parse specs and report results identically, and stay thin.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::datetime::{Date, Timestamp};
use crate::error::Error;
use crate::models::{normalize, KeyCase};
use crate::paging::Pager;
use crate::request::ApiRequest;

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

/// Builds an `http::Response` from what a host HTTP stack returned. Header pairs that are not
/// valid HTTP are dropped; a status outside 100..=999 becomes 502 so it is treated as a
/// server failure rather than a crash.
pub fn incoming<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: Vec<u8>,
) -> http::Response<Vec<u8>> {
    let mut resp = http::Response::new(body);
    *resp.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_GATEWAY);
    for (k, v) in headers {
        if let (Ok(name), Ok(value)) = (
            http::header::HeaderName::from_bytes(k.as_ref().trim().as_bytes()),
            http::HeaderValue::from_str(v.as_ref().trim()),
        ) {
            resp.headers_mut().append(name, value);
        }
    }
    resp
}

/// Seconds as `f64`, for hosts whose sleep takes seconds.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn query_value(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn pairs(v: Option<&Value>, what: &str) -> Result<Vec<(String, String)>, Error> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => Ok(m
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), query_value(v)?)))
            .collect()),
        Some(Value::Array(list)) => list
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([Value::String(k), v]) => Ok(query_value(v).map(|v| (k.clone(), v))),
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

/// Builds an [`ApiRequest`] from a JSON spec:
///
/// ```json
/// {"operation": "users.get", "path": ["a@b.com"], "query": {"identifier": "email"},
///  "filters": {"external_id": "C-1"}, "limit": 100,
///  "attributes": {...}, "relationships": [...], "ids": [...], "body": {...}}
/// ```
///
/// `{"operation": "custom", "method": "GET", "raw_path": "/api/v2/badges"}` calls an endpoint
/// the catalogue lacks. Every key but `operation` is optional; query and filter values may be strings, numbers or
/// booleans (`null` drops the key).
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
    for (k, v) in pairs(obj.get("query"), "query")? {
        req = req.query(k, v);
    }
    for (k, v) in pairs(obj.get("filters"), "filters")? {
        req = req.filter(&k, v);
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

/// A [`Pager`] from a spec; `window: {"start": "yyyy-mm-dd", "end": "yyyy-mm-dd"}` walks a
/// date range in the windows the operation accepts.
pub fn pager_from_spec(spec: &Value) -> Result<Pager, Error> {
    let req = request_from_spec(spec)?;
    match spec.get("window").filter(|v| !v.is_null()) {
        None => Ok(Pager::new(req)),
        Some(w) => {
            let date = |k: &str| -> Result<Date, Error> {
                w.get(k)
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        Error::invalid(format!("window.{k} must be a yyyy-mm-dd string"))
                    })?
                    .parse()
            };
            Pager::windowed(req, date("start")?, date("end")?)
        }
    }
}

/// A successful reply as JSON for a binding: `{"status", "request_id", "data", "links",
/// "raw"}` with `data` normalized ([`normalize`]) in the binding's key case.
pub fn reply_json(reply: &crate::call::Reply, case: KeyCase) -> Value {
    let mut out = Map::new();
    out.insert("status".into(), reply.status.into());
    out.insert(
        "request_id".into(),
        reply.request_id.clone().map_or(Value::Null, Value::from),
    );
    let body = reply.body.clone().unwrap_or(Value::Null);
    let data = match body.get("data") {
        Some(Value::Array(items)) => {
            Value::Array(items.iter().map(|i| normalize(i, case)).collect())
        }
        Some(item @ Value::Object(_)) => normalize(item, case),
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
    use serde_json::json;

    #[test]
    fn specs_build_requests() {
        let cfg = crate::Config::custom("https://a.example", "https://api.example").unwrap();
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

    #[test]
    fn incoming_tolerates_bad_parts() {
        let r = incoming(7, &[("x ok", "1"), ("x-request-id", "abc")], b"{}".to_vec());
        assert_eq!(r.status(), 502);
        assert_eq!(r.headers().len(), 1);
        let r = incoming(200, &[("Content-Type", "application/json")], Vec::new());
        assert_eq!(r.status(), 200);
    }
}
