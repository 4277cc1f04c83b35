//! Per-client fixed-window rate limiting and its headers.

mod common;
use common::*;
use degreed_sandbox::{ClientSpec, Options};
use serde_json::json;

fn well_formed_reset(v: &str) -> bool {
    // 2021-10-26T20:39:22.1494434Z
    let b = v.as_bytes();
    v.len() == 28
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[27] == b'Z'
        && v[20..27].bytes().all(|c| c.is_ascii_digit())
        && degreed_sandbox::clock::parse_datetime(v).is_some()
}

#[test]
fn default_limit_headers() {
    let sb = start_with(Options::default().quiet(true));
    let t = sb.token();
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.header("x-rate-limit-limit"), Some("1m"));
    assert_eq!(r.header("x-rate-limit-remaining"), Some("69"));
    assert!(
        well_formed_reset(r.header("x-rate-limit-reset").unwrap()),
        "{:?}",
        r.header("x-rate-limit-reset")
    );
    // Errors count and carry the headers too.
    let r = sb.get("/api/v2/users/nobody", &t);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("x-rate-limit-remaining"), Some("68"));
    // Health, control, token and OPTIONS requests are not limited and carry no headers.
    assert!(sb
        .raw("GET", "/health", &[], None)
        .header("x-rate-limit-limit")
        .is_none());
    assert!(sb
        .raw("OPTIONS", "/api/v2/users", &[], None)
        .header("x-rate-limit-limit")
        .is_none());
}

#[test]
fn small_window_429_with_retry_after() {
    let sb = start_with(
        quiet()
            .rate_limit(3)
            .rate_window_secs(30)
            .client(ClientSpec::parse("other:pw:*").unwrap()),
    );
    let t = sb.token();
    for expected in ["2", "1", "0"] {
        let r = sb.get("/api/v2/users?limit=1", &t);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-rate-limit-limit"), Some("30s"));
        assert_eq!(r.header("x-rate-limit-remaining"), Some(expected));
    }
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.status, 429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    assert!(well_formed_reset(r.header("x-rate-limit-reset").unwrap()));
    let e = r.error();
    assert_eq!(e["code"], "quota-exceeded");
    assert_eq!(e["status"], 429);
    assert_eq!(e["detail"], "Maximum 3 requests allowed per 30s.");
    // Tokens are still issued while limited, and another client has its own window.
    let other = sb.token_for("other", "pw", None);
    assert_eq!(sb.get("/api/v2/users?limit=1", &other).status, 200);
    // The window rolls over on the sandbox clock.
    sb.advance(30);
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-rate-limit-remaining"), Some("2"));
    assert_eq!(sb.stats()["rate_limited"], 1);
}

#[test]
fn runtime_config_changes_limits() {
    let sb = start_with(quiet());
    let t = sb.token();
    assert!(
        sb.get("/api/v2/users?limit=1", &t)
            .header("x-rate-limit-limit")
            .is_none(),
        "0 = off"
    );
    let r = sb.control(
        "/_sandbox/config",
        &json!({"rate_limit": 1, "rate_window_secs": 120}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["rate_limit"], 1);
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.header("x-rate-limit-limit"), Some("2m"));
    assert_eq!(sb.get("/api/v2/users?limit=1", &t).status, 429);
    assert_eq!(
        sb.control("/_sandbox/config", &json!({"rate_window_secs": 0}))
            .status,
        400
    );
    assert_eq!(
        sb.control("/_sandbox/config", &json!({"rate_limt": 5}))
            .status,
        400
    );
    let cfg = sb.raw("GET", "/_sandbox/config", &[], None).json();
    assert_eq!(cfg["rate_window_secs"], 120);
}
