//! HTTP-level behaviour: health, CORS, request ids, 404/405/406/413 (catalogue coverage is
//! checked against the core itself: core/tests/description.rs), every read endpoint, groups and skills writes, control endpoints.

mod common;
use common::*;
use degreed_sandbox::routes::table;
use hyper::Method;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{Read, Write};

#[test]
fn health_cors_and_request_ids() {
    let sb = start();
    let r = sb.raw("GET", "/health", &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"status": "ok"}));
    let r = sb.raw(
        "OPTIONS",
        "/api/v2/users",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type",
            ),
        ],
        None,
    );
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let methods = r.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "PATCH", "DELETE", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let headers = r
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for h in [
        "authorization",
        "content-type",
        "accept",
        "x-degreed-organization-code",
    ] {
        assert!(headers.contains(h), "{headers}");
    }
    let t = sb.token();
    let a = sb.get("/api/v2/users?limit=1", &t);
    let b = sb.get("/api/v2/users?limit=1", &t);
    let expose = a.header("access-control-expose-headers").unwrap();
    for h in [
        "Retry-After",
        "X-Rate-Limit-Limit",
        "X-Rate-Limit-Remaining",
        "X-Rate-Limit-Reset",
        "X-Request-Id",
    ] {
        assert!(expose.contains(h), "{expose}");
    }
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert_ne!(
        a.header("x-request-id").unwrap(),
        b.header("x-request-id").unwrap()
    );
    assert!(sb
        .raw("GET", "/nope", &[], None)
        .header("x-request-id")
        .is_some());
}

#[test]
fn not_found_method_not_allowed_not_acceptable() {
    let sb = start();
    let t = sb.token();
    let r = sb.get("/api/v2/nothing-here", &t);
    assert_eq!(r.status, 404);
    assert_eq!(r.error()["code"], "not-found");
    assert_eq!(sb.raw("GET", "/elsewhere", &[], None).status, 404);
    let r = sb.call("DELETE", "/api/v2/users", Some(&t), None);
    assert_eq!(r.status, 405);
    assert_eq!(r.error()["status"], 405);
    let allow = r.header("allow").unwrap();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    assert_eq!(
        sb.call("PUT", "/api/v2/content/courses", Some(&t), None)
            .status,
        405
    );
    assert_eq!(sb.raw("POST", "/health", &[], None).status, 405);
    let auth = format!("Bearer {t}");
    let r = sb.raw(
        "GET",
        "/api/v2/users",
        &[("Authorization", &auth), ("Accept", "text/xml")],
        None,
    );
    assert_eq!(r.status, 406);
    assert_eq!(r.error()["code"], "not-acceptable");
    let r = sb.raw(
        "GET",
        "/api/v2/users?limit=1",
        &[
            ("Authorization", &auth),
            ("Accept", "application/json, text/plain, */*"),
        ],
        None,
    );
    assert_eq!(r.status, 200);
}

#[test]
fn oversized_bodies_are_413() {
    let sb = start_with(quiet().max_body(1024));
    let t = sb.token_for("sandbox", "sandbox-secret", Some("users:write"));
    let big = json!({"data": {"attributes": {"bio": "x".repeat(4000)}}});
    let r = sb.post("/api/v2/users", &t, &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.error()["code"], "payload-too-large");
    // Streamed (chunked, no Content-Length) bodies are cut off at the limit too.
    let mut s = std::net::TcpStream::connect(sb.handle.addr()).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let head = format!("POST /api/v2/users HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {t}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", sb.handle.addr());
    s.write_all(head.as_bytes()).unwrap();
    for _ in 0..4 {
        let _ = s.write_all(format!("200\r\n{}\r\n", "y".repeat(512)).as_bytes());
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap();
    let status = String::from_utf8_lossy(&buf[..n]);
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert!(sb.log().is_empty());
    // A body within the limit is fine.
    assert_eq!(
        sb.post("/api/v2/users", &t, &user_body("E1", "e1@example.com"))
            .status,
        201
    );
}

#[test]
fn every_read_endpoint_answers() {
    let sb = start();
    let t = sb.token();
    let mut checked = 0;
    for route in table().iter().filter(|r| r.method == Method::GET) {
        let path = if let Some((prefix, rest)) = route.path.split_once("{id}") {
            let list = format!(
                "{}?limit=1&filter[internal_only]=false&filter[include_restricted]=true",
                prefix.trim_end_matches('/')
            );
            let v = sb.get(&list, &t).json();
            let id = v["data"][0]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("no item for {}", route.path))
                .to_string();
            format!("{prefix}{id}{rest}")
        } else {
            route.path.clone()
        };
        let r = sb.get(&path, &t);
        assert_eq!(r.status, 200, "{} {path}: {}", route.name, r.text);
        let v: Value = r.json();
        if route.name.ends_with(".list") {
            let items = v
                .get("data")
                .or_else(|| v.get("statements"))
                .and_then(Value::as_array);
            assert!(items.is_some(), "{}: {}", route.name, r.text);
            for it in items
                .unwrap()
                .iter()
                .filter(|it| it.get("attributes").is_some())
            {
                assert!(
                    it["type"].is_string() && it["id"].is_string(),
                    "{}",
                    route.name
                );
                assert!(
                    it["links"]["self"].as_str().unwrap().starts_with("http://"),
                    "{}",
                    route.name
                );
                if let Some(rels) = it.get("relationships") {
                    assert!(
                        rels.is_array(),
                        "{}: relationships must be an array",
                        route.name
                    );
                }
            }
        } else {
            assert!(v["data"]["id"].is_string(), "{}", route.name);
            assert!(v["links"]["self"].is_string(), "{}", route.name);
        }
        checked += 1;
    }
    assert!(checked >= 45, "{checked}");
}

#[test]
fn group_membership_writes() {
    let sb = start();
    let t = sb.token();
    let gid = sb.get("/api/v2/groups?limit=1", &t).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let members = |sb: &Sb| -> HashSet<String> {
        let (items, _) = sb.walk(&format!("/api/v2/groups/{gid}/users"), &t);
        items
            .iter()
            .map(|m| {
                m["relationships"][0]["user"]["data"]["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let before = members(&sb);
    let (users, _) = sb.walk("/api/v2/users?limit=100", &t);
    let outsider = users
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .find(|u| !before.contains(u))
        .unwrap();
    let body = json!({"data": [{"type": "users", "id": outsider}]});
    let path = format!("/api/v2/groups/{gid}/relationships/members");
    assert_eq!(sb.post(&path, &t, &body).status, 204);
    assert!(members(&sb).contains(&outsider));
    let r = sb.post(
        &path,
        &t,
        &json!({"data": [{"type": "users", "id": "ghost1"}]}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["source"], "ghost1");
    assert_eq!(sb.call("DELETE", &path, Some(&t), Some(&body)).status, 204);
    assert_eq!(members(&sb), before);
    assert_eq!(sb.log().len(), 2);
    assert_eq!(
        sb.post("/api/v2/groups/nope99/relationships/members", &t, &body)
            .status,
        404
    );
}

#[test]
fn control_endpoints() {
    let sb = start();
    let r = sb.raw("GET", "/_sandbox/clock", &[], None);
    assert_eq!(r.json()["offset_secs"], 0);
    sb.advance(30);
    assert_eq!(
        sb.raw("GET", "/_sandbox/clock", &[], None).json()["offset_secs"],
        30
    );
    assert_eq!(
        sb.control("/_sandbox/clock", &json!({"advance_secs": -5}))
            .status,
        400
    );
    assert_eq!(
        sb.raw("GET", "/_sandbox/revoke-tokens", &[], None).status,
        405
    );
    assert_eq!(sb.raw("GET", "/_sandbox/nope", &[], None).status, 404);
    let s = sb.stats();
    for k in [
        "requests",
        "api_requests",
        "rate_limited",
        "faults_injected",
        "tokens_issued",
    ] {
        assert!(s[k].is_u64(), "{k}: {s}");
    }
    let cfg = sb
        .control(
            "/_sandbox/config",
            &json!({"faults": "500=0.5,latency=5ms", "token_ttl": 10}),
        )
        .json();
    assert_eq!(cfg["faults"], "500=0.5,latency=5ms");
    assert_eq!(cfg["token_ttl"], 10);
}
