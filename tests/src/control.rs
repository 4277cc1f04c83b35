//! Test-control endpoints under `/_sandbox/` (no auth, no rate limit, no faults).
//!
//! * `GET  /_sandbox/log` — applied writes `{"writes":[{seq,method,path,client_id,resource_type,resource_id,body}]}`
//! * `GET|POST /_sandbox/config` — `{"faults","write_faults","rate_limit","rate_window_secs","token_ttl"}` (POST: any
//!   subset; resets the fault stream to the seed and the rate windows)
//! * `GET|POST /_sandbox/clock` — POST `{"advance_secs": N}` moves the sandbox clock forward
//! * `POST /_sandbox/revoke-tokens` — forgets every issued token
//! * `GET  /_sandbox/stats` — request, 429, fault and token counters

use crate::clock::fmt_reset;
use crate::config::MAX_SECS;
use crate::envelope::Resp;
use crate::faults::{Fault, FaultSpec};
use crate::state::{fault_rng, Shared};
use hyper::Method;
use serde_json::{json, Value};
use std::collections::VecDeque;

const PATHS: &[(&str, &[Method])] = &[
    ("/_sandbox/log", &[Method::GET]),
    ("/_sandbox/config", &[Method::GET, Method::POST]),
    ("/_sandbox/clock", &[Method::GET, Method::POST]),
    ("/_sandbox/revoke-tokens", &[Method::POST]),
    ("/_sandbox/stats", &[Method::GET]),
];

fn config_doc(shared: &Shared) -> Value {
    let st = shared.lock();
    json!({
        "faults": st.cfg.faults.to_string(),
        "write_faults": st.cfg.write_faults.iter().map(|f| match f {
            Some(f) => format!("{}:{}", f.phase.name(), f.kind.name()),
            None => String::new(),
        }).collect::<Vec<_>>(),
        "rate_limit": st.cfg.rate_limit,
        "rate_window_secs": st.cfg.rate_window_secs,
        "token_ttl": st.cfg.token_ttl,
    })
}

fn clock_doc(shared: &Shared) -> Value {
    json!({ "offset_secs": shared.clock.offset_secs(), "now": fmt_reset(shared.clock.now_ms()) })
}

fn body_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Resp> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(Resp::bad_request("The body must be a JSON object.")),
    }
}

fn uint(
    m: &serde_json::Map<String, Value>,
    key: &str,
    min: u64,
    max: u64,
) -> Result<Option<u64>, Resp> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(Resp::bad_request_src(
                format!("{key} must be an integer from {min} to {max}."),
                key,
            )),
        },
    }
}

/// Serves one control request.
pub fn handle(shared: &Shared, method: &Method, path: &str, body: &[u8]) -> Resp {
    let path = path.trim_end_matches('/');
    match (method.clone(), path) {
        (Method::GET, "/_sandbox/log") => {
            let st = shared.lock();
            let writes: Vec<Value> = st
                .store
                .log
                .iter()
                .map(|e| {
                    json!({
                        "seq": e.seq, "method": e.method, "path": e.path, "client_id": e.client_id,
                        "resource_type": e.resource_type, "resource_id": e.resource_id, "body": e.body,
                    })
                })
                .collect();
            Resp::json(200, &json!({ "writes": writes }))
        }
        (Method::GET, "/_sandbox/stats") => {
            let st = shared.lock();
            Resp::json(
                200,
                &json!({
                    "requests": st.stats.requests,
                    "api_requests": st.stats.api_requests,
                    "rate_limited": st.stats.rate_limited,
                    "faults_injected": st.stats.faults_injected,
                    "faults": st.stats.faults_by_kind,
                    "tokens_issued": st.tokens.issued,
                    "writes": st.store.log.len(),
                    "live_cursors": st.cursors.len(),
                }),
            )
        }
        (Method::GET, "/_sandbox/config") => Resp::json(200, &config_doc(shared)),
        (Method::POST, "/_sandbox/config") => {
            let m = match body_object(body) {
                Ok(m) => m,
                Err(r) => return r,
            };
            if let Some(k) = m.keys().find(|k| {
                ![
                    "faults",
                    "write_faults",
                    "rate_limit",
                    "rate_window_secs",
                    "token_ttl",
                ]
                .contains(&k.as_str())
            }) {
                return Resp::bad_request_src(format!("Unknown setting {k:?}."), k);
            }
            let faults = match m.get("faults") {
                None => None,
                Some(Value::String(s)) => match FaultSpec::parse(s) {
                    Ok(f) => Some(f),
                    Err(e) => return Resp::bad_request_src(e, s),
                },
                Some(Value::Null) => Some(FaultSpec::default()),
                Some(_) => {
                    return Resp::bad_request("faults must be a spec string (\"\" for none).")
                }
            };
            let write_faults = match m.get("write_faults") {
                None => None,
                Some(Value::Array(list)) => {
                    let parsed: Result<VecDeque<_>, String> = list
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => Fault::parse_scheduled(s),
                            _ => Err("write_faults must be a list of strings.".to_owned()),
                        })
                        .collect();
                    match parsed {
                        Ok(list) => Some(list),
                        Err(e) => return Resp::bad_request_src(e, "write_faults"),
                    }
                }
                Some(_) => return Resp::bad_request("write_faults must be a list of strings."),
            };
            let (limit, window, ttl) = match (
                uint(&m, "rate_limit", 0, u64::from(u32::MAX)),
                uint(&m, "rate_window_secs", 1, MAX_SECS),
                uint(&m, "token_ttl", 0, MAX_SECS),
            ) {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                (Err(r), _, _) | (_, Err(r), _) | (_, _, Err(r)) => return r,
            };
            {
                let mut st = shared.lock();
                if let Some(f) = faults {
                    st.cfg.faults = f;
                }
                if let Some(w) = write_faults {
                    st.cfg.write_faults = w;
                }
                if let Some(l) = limit {
                    st.cfg.rate_limit = l.min(u32::MAX as u64) as u32;
                }
                if let Some(w) = window {
                    st.cfg.rate_window_secs = w;
                }
                if let Some(t) = ttl {
                    st.cfg.token_ttl = t;
                }
                st.fault_rng = fault_rng(shared.seed);
                st.limiter.reset();
            }
            Resp::json(200, &config_doc(shared))
        }
        (Method::GET, "/_sandbox/clock") => Resp::json(200, &clock_doc(shared)),
        (Method::POST, "/_sandbox/clock") => {
            let m = match body_object(body) {
                Ok(m) => m,
                Err(r) => return r,
            };
            // Bounded so the clock cannot wrap or leave the years every client can parse.
            match m.get("advance_secs").map(|v| v.as_i64()) {
                Some(Some(n)) if n >= 0 && shared.clock.try_advance_secs(n) => {
                    Resp::json(200, &clock_doc(shared))
                }
                _ => Resp::bad_request_src(
                    format!(
                        "advance_secs must be a non-negative integer keeping the clock at most \
                         {} days ahead.",
                        crate::clock::MAX_OFFSET_SECS / 86_400
                    ),
                    "advance_secs",
                ),
            }
        }
        (Method::POST, "/_sandbox/revoke-tokens") => {
            let n = shared.lock().tokens.revoke_all();
            Resp::json(200, &json!({ "revoked": n }))
        }
        (m, p) => match PATHS.iter().find(|(k, _)| *k == p) {
            Some((_, allowed)) => {
                let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
                Resp::error(
                    405,
                    "method-not-allowed",
                    format!("{m} is not allowed on {p}."),
                )
                .with_header("allow", allow.join(", "))
            }
            None => Resp::error_src(
                404,
                "not-found",
                format!("No control endpoint at {p}."),
                Some(p),
            ),
        },
    }
}
