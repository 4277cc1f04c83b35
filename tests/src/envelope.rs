//! Responses and the JSON:API-ish serialisation (facts §3.0, §5.2).

use crate::rng::SplitMix64;
use crate::store::Record;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// A response before it becomes an HTTP response.
#[derive(Debug, Clone)]
pub struct Resp {
    /// HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// `Content-Type` (none for empty bodies).
    pub content_type: Option<&'static str>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// JSON content type used by every JSON answer.
pub const JSON: &str = "application/json; charset=utf-8";

impl Resp {
    /// A JSON response.
    pub fn json(status: u16, v: &Value) -> Self {
        Resp {
            status,
            headers: Vec::new(),
            content_type: Some(JSON),
            body: serde_json::to_vec(v).unwrap_or_default(),
        }
    }

    /// A response without a body.
    pub fn empty(status: u16) -> Self {
        Resp {
            status,
            headers: Vec::new(),
            content_type: None,
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A Degreed-style error: `{"errors":[{"id","code","status","title","detail"[,"source"]}]}`.
    pub fn error(status: u16, code: &str, detail: impl Into<String>) -> Self {
        Self::error_src(status, code, detail, None)
    }

    /// Like [`Resp::error`] with a `source` (the offending value or attribute pointer).
    pub fn error_src(
        status: u16,
        code: &str,
        detail: impl Into<String>,
        source: Option<&str>,
    ) -> Self {
        let mut e = Map::new();
        e.insert("id".into(), Value::String(error_id()));
        e.insert("code".into(), Value::String(code.into()));
        e.insert("status".into(), json!(status));
        e.insert("title".into(), Value::String(title(status).into()));
        e.insert("detail".into(), Value::String(detail.into()));
        if let Some(s) = source {
            e.insert("source".into(), Value::String(s.into()));
        }
        Resp::json(status, &json!({ "errors": [Value::Object(e)] }))
    }

    /// 400 `bad-request`.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::error(400, "bad-request", detail)
    }

    /// 400 `bad-request` with a source.
    pub fn bad_request_src(detail: impl Into<String>, source: &str) -> Self {
        Self::error_src(400, "bad-request", detail, Some(source))
    }

    /// 404 `not-found`.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::error_src(
            404,
            "not-found",
            format!("{what} not found: {id}"),
            Some(id),
        )
    }

    /// 409 `conflict`.
    pub fn conflict(detail: impl Into<String>, source: &str) -> Self {
        Self::error_src(409, "conflict", detail, Some(source))
    }
}

/// The reason phrase used as `title`.
pub fn title(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

static ERROR_COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh UUID for error ids (not part of the seeded streams on purpose).
pub fn error_id() -> String {
    let n = ERROR_COUNTER.fetch_add(1, Ordering::Relaxed);
    SplitMix64::new(n ^ 0x5eed_e770_0000_0000).uuid()
}

/// Serialises a relationship list as Degreed does: an array of single-key objects.
pub fn relationships(rec: &Record) -> Value {
    Value::Array(
        rec.rels
            .iter()
            .map(|r| {
                let data = match &r.target {
                    Some((t, id)) => json!({ "id": id, "type": t }),
                    None => Value::Null,
                };
                let mut m = Map::new();
                m.insert(r.name.into(), json!({ "data": data }));
                Value::Object(m)
            })
            .collect(),
    )
}

/// One resource object: `{"type","id","attributes","links":{"self"},"relationships"?}`.
pub fn resource(rtype: &str, rec: &Record, attrs: Map<String, Value>, self_url: String) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Value::String(rtype.into()));
    m.insert("id".into(), Value::String(rec.id.clone()));
    m.insert("attributes".into(), Value::Object(attrs));
    m.insert("links".into(), json!({ "self": self_url }));
    if !rec.rels.is_empty() {
        m.insert("relationships".into(), relationships(rec));
    }
    Value::Object(m)
}

/// A single-resource document `{"data": item, "links": {"self": ...}}`.
pub fn single(item: Value) -> Value {
    let self_url = item.pointer("/links/self").cloned().unwrap_or(Value::Null);
    json!({ "data": item, "links": { "self": self_url } })
}
