//! Reading responses: status → typed error, body → JSON, headers → request id.
//!
//! Nothing here trusts the server: bodies may be empty, truncated, HTML or huge, and every
//! path ends in a value or an [`Error`], never a panic.

use std::time::Duration;

use http::header::HeaderName;
use http::HeaderMap;
use serde_json::Value;

use crate::catalog::Operation;
use crate::datetime::Timestamp;
use crate::error::excerpt;
use crate::error::{ApiError, Error, ErrorObject};
use crate::ratelimit::RateLimit;

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The operation that was called.
    pub operation: &'static Operation,
    /// HTTP status (2xx).
    pub status: u16,
    /// The response's request id, when present.
    pub request_id: Option<String>,
    /// The rate-limit headers, when present.
    pub rate_limit: Option<RateLimit>,
    /// The JSON body; `None` for an empty body (204).
    pub body: Option<Value>,
}

impl Reply {
    /// `body.data`, when present.
    pub fn data(&self) -> Option<&Value> {
        self.body.as_ref()?.get("data")
    }
}

/// Headers that carry a request id, in the order they are tried.
const REQUEST_ID_HEADERS: [HeaderName; 4] = [X_REQUEST_ID, REQUEST_ID, CORRELATION_ID, AMZN_ID];
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");
const AMZN_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

/// Every response header the core reads (request ids, `Retry-After`, the rate-limit
/// headers). A host's response ([`crate::spec::incoming`]) keeps only these: names are
/// compared with them rather than parsed, which keeps `http`'s header-name parser (4 KiB of
/// the gzipped wasm package) out of the bindings. A header read anywhere in the core must be
/// one of them (a test reads each through `incoming`).
pub(crate) static READ_HEADERS: [HeaderName; 8] = [
    X_REQUEST_ID,
    REQUEST_ID,
    CORRELATION_ID,
    AMZN_ID,
    http::header::RETRY_AFTER,
    crate::ratelimit::LIMIT,
    crate::ratelimit::REMAINING,
    crate::ratelimit::RESET,
];

/// The request id of a response, when the server sent one.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(h)?.to_str().ok())
        .map(|v| excerpt(v.trim()))
}

/// A short, printable excerpt of a body for error messages.
pub fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    excerpt(&flat)
}

/// Parses a JSON body, or says where it broke.
pub fn parse_json(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(body).map_err(|e| json_error(status, request_id(headers), &e, body))
}

/// The [`Error::Decode`] for a body that is not JSON.
pub(crate) fn json_error(
    status: u16,
    request_id: Option<String>,
    error: &serde_json::Error,
    body: &[u8],
) -> Error {
    Error::Decode {
        message: if body.is_empty() {
            "empty body".to_owned()
        } else {
            error.to_string()
        },
        path: "$".to_owned(),
        excerpt: body_excerpt(body),
        status,
        request_id,
        maybe_applied: false,
    }
}

/// Parses `Retry-After`: delta seconds (integer or decimal) or an HTTP-date relative to `now`.
pub fn parse_retry_after(value: &str, now: Timestamp) -> Option<Duration> {
    let v = value.trim();
    if let Some(secs) = parse_seconds(v) {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    Timestamp::parse_http_date(v)
        .ok()
        .map(|at| at.duration_since(now))
}

/// A decimal number (`120`, `1.5`, `-2`, `.5`, `1e3`: the forms `str::parse::<f64>` takes,
/// but not `inf`, `NaN` or a number too large for an `f64`, which every caller refuses
/// anyway), for a number of seconds sent as text (`Retry-After`, a token's `expires_in`):
/// [`crate::number::parse_finite`], which rounds as `str::parse` does without its tables.
pub(crate) fn parse_seconds(text: &str) -> Option<f64> {
    crate::number::parse_finite(text)
}

/// The `Retry-After` of a response.
pub fn retry_after(headers: &HeaderMap, now: Timestamp) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()
        .and_then(|v| parse_retry_after(v, now))
}

/// What the server said in an error response: `errors[]`, an OAuth `error`, or text.
pub fn api_error(status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let mut api = ApiError {
        status,
        request_id: request_id(headers),
        ..ApiError::default()
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => {
            if let Some(list) = json.get("errors").and_then(Value::as_array) {
                api.errors = list
                    .iter()
                    .filter_map(|e| ErrorObject::from_map(e.as_object()?.clone()).ok())
                    .collect();
            }
            let oauth = ["error_description", "error", "message", "Message"]
                .iter()
                .find_map(|k| json.get(*k).and_then(Value::as_str));
            api.message = api
                .errors
                .iter()
                .find_map(|e| e.detail.clone().or_else(|| e.title.clone()))
                .or_else(|| oauth.map(excerpt))
                .unwrap_or_default();
        }
        Err(_) => api.message = body_excerpt(body),
    }
    if api.message.is_empty() {
        api.message = reason(status).to_owned();
    }
    api
}

fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error")
}

/// The typed error for a non-success API response.
pub fn error_for_status(status: u16, headers: &HeaderMap, body: &[u8], now: Timestamp) -> Error {
    let api = Box::new(api_error(status, headers, body));
    match status {
        401 => Error::Authentication(api),
        403 => Error::PermissionDenied {
            message: api.to_string(),
            missing_scope: None,
            api: Some(api),
        },
        404 => Error::NotFound(api),
        409 => Error::Conflict(api),
        429 => Error::RateLimited {
            retry_after: retry_after(headers, now),
            api,
        },
        // A redirect is not followed (the token must not leave the API host): treat it, like
        // a 5xx, as the server failing to answer the request.
        300..=399 | 500..=599 => Error::Server(api),
        _ => Error::InvalidRequest {
            message: api.to_string(),
            api: Some(api),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_read_as_str_parse_reads_them() {
        let forms = [
            "0",
            "7",
            "120",
            "1.5",
            "0.25",
            ".5",
            "5.",
            "+3",
            "-2",
            "007",
            "1e3",
            "1E+2",
            "25e-1",
            "3599.999",
            "0.001",
            "86400",
            "12345678901234567890123",
            "1e400",
            "1e-400",
        ];
        let mut texts: Vec<String> = forms.iter().map(|s| s.to_string()).collect();
        for n in (0..100_000u32).step_by(7) {
            texts.push(format!("{}.{:03}", n / 1000, n % 1000));
            texts.push(format!("{}.{}", n, n % 10));
        }
        for t in &texts {
            let std = t.parse::<f64>().ok().filter(|v| v.is_finite());
            assert_eq!(parse_seconds(t), std, "{t}");
        }
        for bad in [
            "", ".", "e3", "1e", "1e+", "1.2.3", "1 2", "inf", "NaN", "0x10", "1_000",
        ] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn maps_statuses() {
        let now = Timestamp::from_unix_millis(0);
        let body = br#"{"errors":[{"id":"1","code":"quota-exceeded","status":429,"detail":"Maximum 70 requests allowed per 1m."}]}"#;
        let e = error_for_status(
            429,
            &headers(&[("retry-after", "7"), ("x-request-id", "r1")]),
            body,
            now,
        );
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(e.errors()[0].code.as_deref(), Some("quota-exceeded"));
        assert_eq!(e.request_id(), Some("r1"));
        assert!(e.to_string().contains("Maximum 70 requests"));
        let e = error_for_status(
            502,
            &HeaderMap::new(),
            b"<html><body><h1>Bad gateway</h1></body></html>",
            now,
        );
        assert_eq!(e.kind(), crate::ErrorKind::Server);
        assert!(e.to_string().contains("Bad gateway"));
        let e = error_for_status(
            403,
            &HeaderMap::new(),
            br#"{"error":"invalid_client"}"#,
            now,
        );
        assert!(e.to_string().contains("invalid_client"));
        assert_eq!(
            error_for_status(400, &HeaderMap::new(), b"", now).kind(),
            crate::ErrorKind::InvalidRequest
        );
        assert_eq!(
            error_for_status(409, &HeaderMap::new(), b"{}", now).kind(),
            crate::ErrorKind::Conflict
        );
    }

    #[test]
    fn retry_after_forms() {
        let now = Timestamp::parse("1994-11-06T08:49:30Z").unwrap();
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("2e1", now), Some(Duration::from_secs(20)));
        assert_eq!(parse_retry_after("inf", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn decode_errors_carry_an_excerpt() {
        let e = parse_json(200, &HeaderMap::new(), br#"{"data": [1, 2"#).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert!(e.to_string().contains(r#"{"data": [1, 2"#), "{e}");
    }
}
