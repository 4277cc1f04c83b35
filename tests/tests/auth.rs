//! Token endpoint, bearer authentication and scope enforcement.

mod common;
use common::*;
use degreed_sandbox::ClientSpec;
use serde_json::json;

fn with_ro() -> Sb {
    start_with(
        quiet()
            .client(ClientSpec::parse("ro:ro-secret:users:read,content:read").unwrap())
            .client(ClientSpec::parse("xa:xa-secret:xapi:all").unwrap())
            .token_ttl(100),
    )
}

#[test]
fn token_success_shape() {
    let sb = start();
    let r = sb.token_form("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox-secret&scope=users%3Aread%2Ccontent%3Aread");
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 5_183_999);
    assert!(v["access_token"].as_str().unwrap().len() >= 20);
    assert!(v["refresh_token"].is_string());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    // Token requests are not rate limited and carry no rate headers.
    assert!(r.header("x-rate-limit-limit").is_none());
}

#[test]
fn bad_secret_is_403_without_echoing_it() {
    let sb = start();
    let r = sb.token_form(
        "grant_type=client_credentials&client_id=sandbox&client_secret=TopSecretValue42",
    );
    assert_eq!(r.status, 403);
    assert!(!r.text.contains("TopSecretValue42"), "{}", r.text);
    let e = r.error();
    assert_eq!(e["code"], "forbidden");
    assert_eq!(e["status"], 403);
    assert!(e["id"].is_string() && e["title"].is_string() && e["detail"].is_string());
    let r = sb.token_form("grant_type=client_credentials&client_id=nobody&client_secret=x");
    assert_eq!(r.status, 403);
    let r = sb.token_form("grant_type=client_credentials");
    assert_eq!(r.status, 403);
}

#[test]
fn scope_the_client_lacks_is_403() {
    let sb = with_ro();
    let r = sb.token_form(
        "grant_type=client_credentials&client_id=ro&client_secret=ro-secret&scope=users%3Awrite",
    );
    assert_eq!(r.status, 403);
    assert!(r.error()["detail"]
        .as_str()
        .unwrap()
        .contains("users:write"));
    let r = sb.token_form(
        "grant_type=client_credentials&client_id=ro&client_secret=ro-secret&scope=nope%3Aread",
    );
    assert_eq!(r.status, 403);
}

#[test]
fn comma_space_and_underscore_scopes() {
    let sb = with_ro();
    for scope in [
        "users:read,content:read",
        "users:read content:read",
        "users_read,content_read",
        "users:read, content:read",
    ] {
        let t = sb.token_for("ro", "ro-secret", Some(scope));
        assert_eq!(sb.get("/api/v2/users?limit=1", &t).status, 200, "{scope}");
        assert_eq!(sb.get("/api/v2/content?limit=1", &t).status, 200, "{scope}");
    }
    // Only users:read → content is forbidden, naming the scope.
    let t = sb.token_for("ro", "ro-secret", Some("users:read"));
    let r = sb.get("/api/v2/content", &t);
    assert_eq!(r.status, 403);
    assert!(
        r.error()["detail"]
            .as_str()
            .unwrap()
            .contains("content:read"),
        "{}",
        r.text
    );
    // The reference marks `scope` required: a token request without it (or with an empty
    // one) is refused.
    for form in [
        "grant_type=client_credentials&client_id=ro&client_secret=ro-secret",
        "grant_type=client_credentials&client_id=ro&client_secret=ro-secret&scope=",
    ] {
        let r = sb.token_form(form);
        assert_eq!(r.status, 400, "{}", r.text);
        assert_eq!(r.json()["error"], "invalid_scope");
    }
}

#[test]
fn basic_auth_credentials() {
    let sb = start();
    let basic = format!(
        "Basic {}",
        degreed_sandbox::util::base64_encode(b"sandbox:sandbox-secret")
    );
    let r = sb.raw(
        "POST",
        "/oauth/token",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", &basic),
        ],
        Some(b"grant_type=client_credentials&scope=users:read"),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

#[test]
fn grant_type_errors_and_method() {
    let sb = start();
    let r = sb.token_form("grant_type=password&client_id=sandbox&client_secret=sandbox-secret");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    assert_eq!(r.error()["status"], 400);
    let r = sb.token_form("client_id=sandbox&client_secret=sandbox-secret");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_request");
    assert_eq!(sb.raw("GET", "/oauth/token", &[], None).status, 405);
}

#[test]
fn missing_invalid_expired_and_revoked_tokens_are_401() {
    let sb = with_ro();
    let r = sb.call("GET", "/api/v2/users", None, None);
    assert_eq!(r.status, 401);
    assert_eq!(r.error()["code"], "unauthorized");
    assert!(r.header("www-authenticate").is_some());
    let r = sb.get("/api/v2/users", "not-a-token");
    assert_eq!(r.status, 401);
    let r = sb.raw(
        "GET",
        "/api/v2/users",
        &[("Authorization", "Basic abc")],
        None,
    );
    assert_eq!(r.status, 401);

    // Expiry: the ro sandbox issues 100 s tokens.
    let t = sb.token_for("ro", "ro-secret", Some("users:read"));
    assert_eq!(sb.get("/api/v2/users?limit=1", &t).status, 200);
    sb.advance(99);
    assert_eq!(sb.get("/api/v2/users?limit=1", &t).status, 200);
    sb.advance(2);
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.status, 401);
    assert!(r.error()["detail"].as_str().unwrap().contains("expired"));

    // Revocation.
    let t = sb.token();
    assert_eq!(sb.get("/api/v2/users?limit=1", &t).status, 200);
    let r = sb.control("/_sandbox/revoke-tokens", &json!({}));
    assert_eq!(r.status, 200);
    assert!(r.json()["revoked"].as_u64().unwrap() >= 1);
    assert_eq!(sb.get("/api/v2/users?limit=1", &t).status, 401);
    let t2 = sb.token();
    assert_ne!(t, t2);
    assert_eq!(sb.get("/api/v2/users?limit=1", &t2).status, 200);
    assert!(sb.stats()["tokens_issued"].as_u64().unwrap() >= 3);
}

#[test]
fn scope_enforcement_read_write_and_xapi_all() {
    let sb = with_ro();
    let ro = sb.token_for("ro", "ro-secret", Some("users:read"));
    let r = sb.post("/api/v2/users", &ro, &user_body("E-RO-1", "ro@example.com"));
    assert_eq!(r.status, 403);
    let e = r.error();
    assert_eq!(e["code"], "forbidden");
    assert!(e["detail"].as_str().unwrap().contains("users:write"), "{e}");
    assert!(sb.log().is_empty());

    // users:write also reads users (the legacy docs accept either users scope), but a
    // write scope is no read scope elsewhere.
    let cw = sb.token_for("sandbox", "sandbox-secret", Some("completions:write"));
    assert_eq!(sb.get("/api/v2/completions", &cw).status, 403);
    let cw = sb.token_for("sandbox", "sandbox-secret", Some("content:write"));
    assert_eq!(sb.get("/api/v2/content?limit=1", &cw).status, 200);
    let rw = sb.token_for("sandbox", "sandbox-secret", Some("users:write"));
    assert_eq!(sb.get("/api/v2/users?limit=1", &rw).status, 200);
    assert_eq!(
        sb.post("/api/v2/users", &rw, &user_body("E-RW-1", "rw@example.com"))
            .status,
        201
    );
    assert_eq!(sb.get("/api/v2/groups", &rw).status, 403);

    // xapi:all covers reading and writing statements.
    let xa = sb.token_for("xa", "xa-secret", Some("xapi:all"));
    assert_eq!(sb.get("/xAPI/statements?limit=1", &xa).status, 200);
    let st = json!({"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": "urn:x"}});
    assert_eq!(sb.post("/xAPI/statements", &xa, &st).status, 200);
    let xr = sb.token_for("sandbox", "sandbox-secret", Some("xapi:read"));
    assert_eq!(sb.post("/xAPI/statements", &xr, &st).status, 403);
}
