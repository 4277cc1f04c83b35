//! One error type, split by cause.
//!
//! Errors never contain the client secret or the access token: they are built from the
//! request's method and path, the response's status, headers and a short body excerpt.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::scope::Scope;

/// One entry of the API's `errors[]` array (JSON:API style). Every field is optional because
/// Degreed does not document them for all statuses; unknown fields are kept in `extra`.
///
/// Deserialized by hand ([`ErrorObject::from_map`]): serde's `flatten` would compile its
/// buffering deserializer into the wasm package for this one struct.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorObject {
    /// Error instance id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Machine-readable code (`quota-exceeded`, `bad-request`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The HTTP status, as a number or a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// Short summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Human-readable explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The offending value or pointer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// Anything else the server sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

impl<'de> Deserialize<'de> for ErrorObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::deserialize(d)?;
        ErrorObject::from_map(map).map_err(serde::de::Error::custom)
    }
}

impl ErrorObject {
    /// Reads an entry of `errors[]`: the known members (`null` is the same as absent), the
    /// rest in `extra`. A known text member that is not a string refuses the entry.
    pub fn from_map(mut extra: serde_json::Map<String, Value>) -> Result<Self, String> {
        let mut text = |key: &str| match extra.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("`{key}` must be a string")),
        };
        let (id, code, title, detail) =
            (text("id")?, text("code")?, text("title")?, text("detail")?);
        let mut any = |key: &str| extra.remove(key).filter(|v| !v.is_null());
        let (status, source) = (any("status"), any("source"));
        Ok(ErrorObject {
            id,
            code,
            status,
            title,
            detail,
            source,
            extra,
        })
    }

    fn summary(&self) -> Option<&str> {
        self.detail
            .as_deref()
            .or(self.title.as_deref())
            .or(self.code.as_deref())
    }
}

/// What the server said when it refused a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `errors[]` objects of the body (empty when the body had none).
    pub errors: Vec<ErrorObject>,
    /// The request id header of the response, when present.
    pub request_id: Option<String>,
    /// A one-line description: the first error's detail, an OAuth `error_description`, or a
    /// short excerpt of a non-JSON body.
    pub message: String,
    /// Whether the refused request may nevertheless have been applied: a 5xx answer to a
    /// write the core does not repeat (see [`Error::maybe_applied`]).
    pub maybe_applied: bool,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        let summary = self
            .errors
            .iter()
            .find_map(ErrorObject::summary)
            .unwrap_or(&self.message);
        if !summary.is_empty() {
            write!(f, ": {summary}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.status == 503 {
            // Degreed's error page: 503 during maintenance, try again 30-120 s later.
            write!(
                f,
                "; the service is unavailable (perhaps for maintenance): Degreed advises \
                 trying again in 30-120 s"
            )?;
        }
        Ok(())
    }
}

/// The broad kind of an [`Error`]; bindings map each to an exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The caller's input is invalid (caught before sending, or a 400-class answer).
    InvalidRequest,
    /// Credentials or token rejected.
    Authentication,
    /// Not allowed: a scope is missing or the record is private.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 429.
    RateLimited,
    /// 5xx.
    Server,
    /// The request did not complete (connection, reset).
    Transport,
    /// The call's deadline passed (its `timeout`, covering every attempt and wait).
    Timeout,
    /// The response could not be understood.
    Decode,
}

impl ErrorKind {
    /// Stable snake_case name (`rate_limited`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Authentication => "authentication",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
        }
    }
}

/// Everything that can go wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's input is invalid. `api` is set when the server said so (400, 405, 406,
    /// 410, 413, 422); otherwise nothing was sent.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong.
        message: String,
        /// The server's answer, when it was the server that refused.
        api: Option<Box<ApiError>>,
    },
    /// The token endpoint refused the credentials or scopes, or the API refused the token.
    #[error("authentication failed: {0}")]
    Authentication(Box<ApiError>),
    /// The token lacks a scope (checked before sending), or the API answered 403.
    #[error("permission denied: {message}")]
    PermissionDenied {
        /// What is missing.
        message: String,
        /// The scope the operation needs, when known.
        missing_scope: Option<Scope>,
        /// The server's answer, when it was the server that refused.
        api: Option<Box<ApiError>>,
    },
    /// 404.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// 409: the external id or URL is already used.
    #[error("conflict: {0}")]
    Conflict(Box<ApiError>),
    /// 429 after the retries ran out.
    #[error("rate limited: {api}")]
    RateLimited {
        /// The server's answer.
        api: Box<ApiError>,
        /// How long the server asked to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx after the retries ran out (or a write that was not retried).
    #[error("server error: {0}")]
    Server(Box<ApiError>),
    /// The request did not complete. When `maybe_applied` is true the request may have
    /// reached the server (a write may have been applied).
    #[error("transport error: {message}")]
    Transport {
        /// What the driver reported.
        message: String,
        /// Whether the server may have received (and applied) the request.
        maybe_applied: bool,
    },
    /// The call's deadline passed: its timeout covers the connection, the response, every
    /// retry and every wait. When `maybe_applied` is true a write was in flight.
    #[error("timed out: {message}")]
    Timeout {
        /// What was going on when the deadline passed.
        message: String,
        /// Whether the server may have received (and applied) the request.
        maybe_applied: bool,
    },
    /// The response body could not be decoded.
    #[error("could not decode the response (HTTP {status}) at `{path}`: {message}; body starts `{excerpt}`")]
    Decode {
        /// What went wrong.
        message: String,
        /// JSON path of the failure (`$.data[3].attributes`), `$` for the whole body.
        path: String,
        /// The first characters of the body.
        excerpt: String,
        /// HTTP status of the response.
        status: u16,
        /// The request id header, when present.
        request_id: Option<String>,
        /// Whether this was the success answer of a write the core does not repeat: the
        /// write was applied but its result is unknown (see [`Error::maybe_applied`]).
        maybe_applied: bool,
    },
}

fn redact_value(v: &mut Value, r: &crate::secret::Redactor) {
    match v {
        Value::String(s) => r.text(s),
        Value::Array(a) => a.iter_mut().for_each(|v| redact_value(v, r)),
        Value::Object(o) => o.values_mut().for_each(|v| redact_value(v, r)),
        _ => {}
    }
}

impl ApiError {
    fn redact(&mut self, r: &crate::secret::Redactor) {
        r.text(&mut self.message);
        self.request_id.iter_mut().for_each(|s| r.text(s));
        for e in &mut self.errors {
            for s in [&mut e.id, &mut e.code, &mut e.title, &mut e.detail] {
                s.iter_mut().for_each(|s| r.text(s));
            }
            e.status.iter_mut().for_each(|v| redact_value(v, r));
            e.source.iter_mut().for_each(|v| redact_value(v, r));
            e.extra.values_mut().for_each(|v| redact_value(v, r));
        }
    }
}

impl Error {
    /// A decode error with the status and request id of the reply it came from (other
    /// errors are returned as they are).
    pub(crate) fn with_reply(self, status: u16, request_id: Option<String>) -> Self {
        match self {
            Error::Decode {
                message,
                path,
                excerpt,
                maybe_applied,
                ..
            } => Error::Decode {
                message,
                path,
                excerpt,
                status,
                request_id,
                maybe_applied,
            },
            other => other,
        }
    }

    /// Removes the secrets `r` knows from every text the error carries (the session calls
    /// this on each error it reports, whatever the server echoed).
    pub(crate) fn redact(&mut self, r: &crate::secret::Redactor) {
        match self {
            Error::InvalidRequest { message, api }
            | Error::PermissionDenied { message, api, .. } => {
                r.text(message);
                api.iter_mut().for_each(|a| a.redact(r));
            }
            Error::Authentication(a)
            | Error::NotFound(a)
            | Error::Conflict(a)
            | Error::Server(a) => a.redact(r),
            Error::RateLimited { api, .. } => api.redact(r),
            Error::Transport { message, .. } | Error::Timeout { message, .. } => r.text(message),
            Error::Decode {
                message,
                path,
                excerpt,
                request_id,
                ..
            } => {
                for s in [message, path, excerpt] {
                    r.text(s);
                }
                request_id.iter_mut().for_each(|s| r.text(s));
            }
        }
    }

    /// A caller error detected before sending.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
            api: None,
        }
    }

    /// The broad kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidRequest { .. } => ErrorKind::InvalidRequest,
            Error::Authentication(_) => ErrorKind::Authentication,
            Error::PermissionDenied { .. } => ErrorKind::PermissionDenied,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Server(_) => ErrorKind::Server,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Decode { .. } => ErrorKind::Decode,
        }
    }

    /// The server's answer, when there was one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::InvalidRequest { api, .. } | Error::PermissionDenied { api, .. } => {
                api.as_deref()
            }
            Error::Authentication(a)
            | Error::NotFound(a)
            | Error::Conflict(a)
            | Error::Server(a) => Some(a),
            Error::RateLimited { api, .. } => Some(api),
            Error::Transport { .. } | Error::Timeout { .. } | Error::Decode { .. } => None,
        }
    }

    /// HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            _ => self.api().map(|a| a.status),
        }
    }

    /// The API's `errors[]` objects (empty when none).
    pub fn errors(&self) -> &[ErrorObject] {
        self.api().map(|a| a.errors.as_slice()).unwrap_or(&[])
    }

    /// The response's request id, when present.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => self.api().and_then(|a| a.request_id.as_deref()),
        }
    }

    /// How long the server asked to wait (429, 503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The scope that was missing, for permission errors detected before sending.
    pub fn missing_scope(&self) -> Option<&Scope> {
        match self {
            Error::PermissionDenied { missing_scope, .. } => missing_scope.as_ref(),
            _ => None,
        }
    }

    /// Whether a failed write may have been applied anyway, so the caller should look the
    /// record up before sending the write again: the request got no answer after it may have
    /// reached the server, the server answered 5xx, or its success answer could not be read.
    /// Only ever true for writes the core does not repeat by itself (`POST`); always false
    /// for reads, for idempotent writes (repeating them is harmless) and for 4xx refusals.
    pub fn maybe_applied(&self) -> bool {
        match self {
            Error::Transport { maybe_applied, .. }
            | Error::Timeout { maybe_applied, .. }
            | Error::Decode { maybe_applied, .. } => *maybe_applied,
            Error::Server(api) => api.maybe_applied,
            _ => false,
        }
    }

    /// The error as plain JSON (kind, message, status, errors, request id, retry-after,
    /// missing scope, maybe applied), for bindings that rebuild it as a native exception.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "kind": self.kind().as_str(),
            "message": self.to_string(),
            "status": self.status(),
            "errors": self.errors(),
            "request_id": self.request_id(),
            "retry_after": self.retry_after().map(|d| d.as_secs_f64()),
            "missing_scope": self.missing_scope().map(ToString::to_string),
            "maybe_applied": self.maybe_applied(),
        })
    }
}

/// A short, safe excerpt of untrusted text for error messages.
pub(crate) fn excerpt(s: &str) -> String {
    excerpt_n(s, 64)
}

/// [`excerpt`] with a chosen length, in characters.
pub(crate) fn excerpt_n(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_objects_read_known_members_and_keep_the_rest() {
        let e: ErrorObject = serde_json::from_value(serde_json::json!({
            "id": "e1", "code": null, "status": 400, "title": "Bad", "detail": "no",
            "source": {"pointer": "/data"}, "meta": {"x": 1}
        }))
        .unwrap();
        assert_eq!(e.id.as_deref(), Some("e1"));
        assert_eq!((&e.code, &e.status), (&None, &Some(Value::from(400))));
        assert_eq!(
            (e.title.as_deref(), e.detail.as_deref()),
            (Some("Bad"), Some("no"))
        );
        assert_eq!(e.source, Some(serde_json::json!({"pointer": "/data"})));
        assert_eq!(e.extra.keys().collect::<Vec<_>>(), ["meta"]);
        let again: ErrorObject = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(again, e);
        assert!(serde_json::from_value::<ErrorObject>(serde_json::json!({"id": 5})).is_err());
        assert!(serde_json::from_value::<ErrorObject>(serde_json::json!([1])).is_err());
    }

    #[test]
    fn display_uses_first_detail_and_request_id() {
        let api = ApiError {
            status: 400,
            errors: vec![ErrorObject {
                detail: Some("Invalid user identifier: x@y".into()),
                ..Default::default()
            }],
            request_id: Some("req-1".into()),
            message: String::new(),
            maybe_applied: false,
        };
        let e = Error::InvalidRequest {
            message: api.to_string(),
            api: Some(Box::new(api)),
        };
        assert_eq!(
            e.to_string(),
            "invalid request: HTTP 400: Invalid user identifier: x@y (request id req-1)"
        );
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.request_id(), Some("req-1"));
        assert_eq!(e.to_json()["kind"], "invalid_request");
    }
}
