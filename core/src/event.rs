//! What a call did, as events every binding forwards unchanged: `request`, `response`,
//! `retry`, `wait`, `token` and `maybe_applied`.
//!
//! The [`Call`](crate::Call) state machine queues events as it decides; a driver drains them
//! with [`Call::take_events`](crate::Call::take_events) after each step and hands them to the
//! host's logging (Python `logging`, a JS `onEvent` callback, Rust `tracing`). The names and
//! fields are the same in every language because they are made here.
//!
//! An event never holds a secret, a query string or a body: a request is named by its method,
//! its path *template* (`/api/v2/users/{id}`) and its operation, so ids, filters, cursors,
//! tokens and credentials cannot leak into logs.

use std::fmt;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::models::KeyCase;

/// Why a call waits before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// The server answered 429: every call of the client waits out `Retry-After`.
    RetryAfter,
    /// The server's rate-limit headers say the window is nearly spent.
    RateLimit,
    /// The client's own requests-per-minute budget.
    Budget,
}

impl WaitReason {
    /// `retry_after`, `rate_limit` or `budget`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::RetryAfter => "retry_after",
            WaitReason::RateLimit => "rate_limit",
            WaitReason::Budget => "budget",
        }
    }
}

/// One thing a call did or decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A request is being sent.
    Request {
        /// The operation's dotted name, or `token` for a token request.
        operation: &'static str,
        /// HTTP method.
        method: &'static str,
        /// The path template (`/api/v2/users/{id}`); the token endpoint's path for tokens.
        path: String,
        /// 1 for the first attempt, 2 for the first retry, ...
        attempt: u32,
    },
    /// A response arrived.
    Response {
        /// The operation's dotted name, or `token`.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The response's request id, when sent.
        request_id: Option<String>,
        /// Time from sending to the answer.
        elapsed: Duration,
        /// The attempt this answers.
        attempt: u32,
    },
    /// The request will be tried again after `wait`.
    Retry {
        /// The operation's dotted name, or `token`.
        operation: &'static str,
        /// The status that caused the retry; `None` for a request without an answer.
        status: Option<u16>,
        /// Why: `status`, `no_response`, `unreadable_response` or `unauthorized`.
        cause: &'static str,
        /// The failed attempt's request id, when the server sent one.
        request_id: Option<String>,
        /// Time from sending to the failure.
        elapsed: Duration,
        /// The back-off before the next attempt.
        wait: Duration,
        /// The attempt that comes next.
        attempt: u32,
    },
    /// The call waits before sending, to stay under a rate limit.
    Wait {
        /// The operation's dotted name.
        operation: &'static str,
        /// How long.
        wait: Duration,
        /// Why.
        reason: WaitReason,
    },
    /// An access token was obtained.
    Token {
        /// `false` for the client's first token, `true` for a replacement.
        refreshed: bool,
        /// The token's scopes (sorted, comma-joined), when known.
        scopes: Option<String>,
        /// Its lifetime, when the server said.
        expires_in: Option<Duration>,
    },
    /// A write whose answer was lost: it may have been applied. Look before trying again.
    MaybeApplied {
        /// The operation's dotted name.
        operation: &'static str,
        /// HTTP method.
        method: &'static str,
        /// The path template.
        path: String,
        /// Time from sending to the failure.
        elapsed: Duration,
    },
}

/// Seconds with three decimals (`1.250`), as `{:.3}` prints `as_secs_f64()`, but without
/// bringing the float-formatting code into the wasm package (half a millisecond rounds up).
pub(crate) struct Secs3(pub Duration);

impl fmt::Display for Secs3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = (self.0.subsec_nanos() + 500_000) / 1_000_000;
        let secs = self.0.as_secs().saturating_add(u64::from(ms / 1000));
        write!(f, "{secs}.{:03}", ms % 1000)
    }
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

impl Event {
    /// The event's name: `request`, `response`, `retry`, `wait`, `token` or `maybe_applied`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Request { .. } => "request",
            Event::Response { .. } => "response",
            Event::Retry { .. } => "retry",
            Event::Wait { .. } => "wait",
            Event::Token { .. } => "token",
            Event::MaybeApplied { .. } => "maybe_applied",
        }
    }

    /// The event as a JSON object with an `event` key holding its name. With
    /// [`KeyCase::Snake`] durations are seconds (`wait`, `elapsed`, `expires_in`), the Python
    /// convention; with [`KeyCase::Camel`] they are milliseconds (`waitMs`, `elapsedMs`,
    /// `expiresInMs`), as JavaScript expects. The event names are the same in both.
    pub fn to_json(&self, case: KeyCase) -> Value {
        let camel = case == KeyCase::Camel;
        let mut map = Map::new();
        map.insert("event".into(), json!(self.name()));
        let mut put = |snake: &str, camel_key: &str, value: Value| {
            map.insert(if camel { camel_key } else { snake }.to_owned(), value);
        };
        let duration = |put: &mut dyn FnMut(&str, &str, Value), key: &str, d: Duration| {
            let camel_key = format!("{}Ms", crate::models::convert_key(key, KeyCase::Camel));
            let v = if camel { millis(d) } else { secs(d) };
            put(key, &camel_key, json!(v));
        };
        match self {
            Event::Request {
                operation,
                method,
                path,
                attempt,
            } => {
                put("operation", "operation", json!(operation));
                put("method", "method", json!(method));
                put("path", "path", json!(path));
                put("attempt", "attempt", json!(attempt));
            }
            Event::Response {
                operation,
                status,
                request_id,
                elapsed,
                attempt,
            } => {
                put("operation", "operation", json!(operation));
                put("status", "status", json!(status));
                put("request_id", "requestId", json!(request_id));
                duration(&mut put, "elapsed", *elapsed);
                put("attempt", "attempt", json!(attempt));
            }
            Event::Retry {
                operation,
                status,
                cause,
                request_id,
                elapsed,
                wait,
                attempt,
            } => {
                put("operation", "operation", json!(operation));
                put("status", "status", json!(status));
                put("cause", "cause", json!(cause));
                put("request_id", "requestId", json!(request_id));
                duration(&mut put, "elapsed", *elapsed);
                duration(&mut put, "wait", *wait);
                put("attempt", "attempt", json!(attempt));
            }
            Event::Wait {
                operation,
                wait,
                reason,
            } => {
                put("operation", "operation", json!(operation));
                duration(&mut put, "wait", *wait);
                put("reason", "reason", json!(reason.as_str()));
            }
            Event::Token {
                refreshed,
                scopes,
                expires_in,
            } => {
                put("refreshed", "refreshed", json!(refreshed));
                put("scopes", "scopes", json!(scopes));
                match expires_in {
                    Some(d) => duration(&mut put, "expires_in", *d),
                    None => put("expires_in", "expiresInMs", Value::Null),
                }
            }
            Event::MaybeApplied {
                operation,
                method,
                path,
                elapsed,
            } => {
                put("operation", "operation", json!(operation));
                put("method", "method", json!(method));
                put("path", "path", json!(path));
                duration(&mut put, "elapsed", *elapsed);
            }
        }
        Value::Object(map)
    }
}

/// One line for a log: `retry users.list: status 503, request id r-1, after 0.120 s; waiting
/// 1.000 s before attempt 2`.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rid = |r: &Option<String>| r.as_deref().unwrap_or("-").to_owned();
        match self {
            Event::Request {
                operation,
                method,
                path,
                attempt,
            } => write!(
                f,
                "request {operation}: {method} {path} (attempt {attempt})"
            ),
            Event::Response {
                operation,
                status,
                request_id,
                elapsed,
                attempt,
            } => write!(
                f,
                "response {operation}: status {status}, request id {}, {} s (attempt {attempt})",
                rid(request_id),
                Secs3(*elapsed)
            ),
            Event::Retry {
                operation,
                status,
                cause,
                request_id,
                elapsed,
                wait,
                attempt,
            } => {
                write!(f, "retry {operation}: ")?;
                match status {
                    Some(s) => write!(f, "status {s}")?,
                    None => f.write_str(cause)?,
                }
                write!(
                    f,
                    ", request id {}, after {} s; waiting {} s before attempt {attempt}",
                    rid(request_id),
                    Secs3(*elapsed),
                    Secs3(*wait)
                )
            }
            Event::Wait {
                operation,
                wait,
                reason,
            } => write!(
                f,
                "wait {operation}: {} s ({})",
                Secs3(*wait),
                reason.as_str()
            ),
            Event::Token {
                refreshed,
                scopes,
                expires_in,
            } => {
                let what = if *refreshed { "refreshed" } else { "fetched" };
                write!(
                    f,
                    "token {what}: scopes {}",
                    scopes.as_deref().unwrap_or("-")
                )?;
                match expires_in {
                    Some(d) => write!(f, ", expires in {} s", d.as_secs()),
                    None => f.write_str(", no expiry"),
                }
            }
            Event::MaybeApplied {
                operation,
                method,
                path,
                elapsed,
            } => write!(
                f,
                "maybe_applied {operation}: {method} {path} got no answer after {} s; \
                 it may have been applied, look before trying again",
                Secs3(*elapsed)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_print_as_three_decimals() {
        let mut nanos = 1u64;
        while nanos < 400_000_000_000 {
            let d = Duration::from_nanos(nanos);
            // Exact half milliseconds aside (they round up here), the same text as `{:.3}`.
            if nanos % 1_000_000 != 500_000 {
                assert_eq!(
                    Secs3(d).to_string(),
                    format!("{:.3}", d.as_secs_f64()),
                    "{nanos}"
                );
            }
            nanos = nanos * 3 + 7;
        }
        assert_eq!(Secs3(Duration::from_micros(999_500)).to_string(), "1.000");
    }

    #[test]
    fn json_in_both_cases() {
        let e = Event::Retry {
            operation: "users.list",
            status: Some(503),
            cause: "status",
            request_id: Some("r-1".into()),
            elapsed: Duration::from_millis(120),
            wait: Duration::from_secs(1),
            attempt: 2,
        };
        assert_eq!(
            e.to_json(KeyCase::Snake),
            json!({"event": "retry", "operation": "users.list", "status": 503, "cause": "status",
                   "request_id": "r-1", "elapsed": 0.12, "wait": 1.0, "attempt": 2})
        );
        assert_eq!(
            e.to_json(KeyCase::Camel),
            json!({"event": "retry", "operation": "users.list", "status": 503, "cause": "status",
                   "requestId": "r-1", "elapsedMs": 120.0, "waitMs": 1000.0, "attempt": 2})
        );
        let t = Event::Token {
            refreshed: false,
            scopes: None,
            expires_in: Some(Duration::from_secs(3600)),
        };
        assert_eq!(t.to_json(KeyCase::Camel)["expiresInMs"], json!(3_600_000.0));
        assert_eq!(t.to_json(KeyCase::Snake)["expires_in"], json!(3600.0));
        assert_eq!(
            e.to_string(),
            "retry users.list: status 503, request id r-1, after 0.120 s; waiting 1.000 s before attempt 2"
        );
    }
}
