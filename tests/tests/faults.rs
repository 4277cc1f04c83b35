//! Deterministic fault injection, before/after phases and each fault's shape.

mod common;
use common::*;
use degreed_sandbox::FaultSpec;
use serde_json::json;
use std::time::Instant;

const MIX: &str = "500=0.15,503=0.1,429=0.1,malformed=0.1,html=0.1,reset=0.05";

fn outcomes(sb: &Sb, t: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            match sb.try_call(
                "GET",
                &format!("/api/v2/users?limit={}", i % 5 + 1),
                Some(t),
                None,
            ) {
                Ok(r)
                    if r.status == 200
                        && serde_json::from_str::<serde_json::Value>(&r.text).is_err() =>
                {
                    "malformed".into()
                }
                Ok(r) => r.status.to_string(),
                Err(_) => "reset".into(),
            }
        })
        .collect()
}

#[test]
fn same_seed_same_requests_same_faults() {
    let spec = FaultSpec::parse(MIX).unwrap();
    let a = start_with(quiet().faults(spec.clone()));
    let b = start_with(quiet().faults(spec.clone()));
    let c = start_with(quiet().faults(spec).seed(4242));
    let (ta, tb, tc) = (a.token(), b.token(), c.token());
    let sa = outcomes(&a, &ta, 40);
    let sb_ = outcomes(&b, &tb, 40);
    let sc = outcomes(&c, &tc, 40);
    assert_eq!(sa, sb_);
    assert_ne!(sa, sc);
    for kind in ["200", "500", "503", "429", "502", "malformed", "reset"] {
        assert!(
            sa.iter().any(|s| s == kind) || sc.iter().any(|s| s == kind),
            "{kind} never happened: {sa:?}"
        );
    }
    let injected = a.stats()["faults_injected"].as_u64().unwrap();
    assert_eq!(injected as usize, sa.iter().filter(|s| *s != "200").count());
    // Re-applying the config resets the fault stream: the same sequence again.
    assert_eq!(
        a.control("/_sandbox/config", &json!({"faults": MIX}))
            .status,
        200
    );
    assert_eq!(outcomes(&a, &ta, 40), sa);
}

#[test]
fn after_faults_apply_the_write_before_faults_do_not() {
    let sb = start_with(quiet().faults(FaultSpec::parse("after:500=1").unwrap()));
    let t = sb.token();
    let r = sb.post(
        "/api/v2/users",
        &t,
        &user_body("E70001", "after@example.com"),
    );
    assert_eq!(r.status, 500);
    assert_eq!(r.error()["code"], "internal-server-error");
    let log = sb.log();
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0]["body"]["data"]["attributes"]["employee-id"],
        "E70001"
    );
    sb.control("/_sandbox/config", &json!({"faults": ""}));
    let r = sb.get("/api/v2/users/after@example.com?identifier=email", &t);
    assert_eq!(r.status, 200, "the write was applied");
    // A retry of the non-idempotent POST now conflicts: exactly what an SDK must handle.
    assert_eq!(
        sb.post(
            "/api/v2/users",
            &t,
            &user_body("E70001", "after@example.com")
        )
        .status,
        409
    );

    sb.control("/_sandbox/config", &json!({"faults": "before:503=1"}));
    let r = sb.post(
        "/api/v2/users",
        &t,
        &user_body("E70002", "before@example.com"),
    );
    assert_eq!(r.status, 503);
    assert_eq!(r.header("retry-after"), Some("1"));
    sb.control("/_sandbox/config", &json!({"faults": ""}));
    assert_eq!(
        sb.get("/api/v2/users/before@example.com?identifier=email", &t)
            .status,
        404
    );
    assert_eq!(sb.log().len(), 1);
}

#[test]
fn reset_drops_the_connection() {
    let sb = start_with(quiet().faults(FaultSpec::parse("after:reset=1").unwrap()));
    let t = sb.token();
    let err = sb.try_call(
        "POST",
        "/api/v2/users",
        Some(&t),
        Some(&user_body("E70003", "reset@example.com")),
    );
    assert!(
        err.is_err(),
        "expected a transport error, got {:?}",
        err.map(|r| r.status)
    );
    assert_eq!(
        sb.log().len(),
        1,
        "after-phase reset still applies the write"
    );
    assert!(sb.try_call("GET", "/api/v2/users", Some(&t), None).is_err());
    // Control and token endpoints are never faulted.
    assert_eq!(sb.raw("GET", "/health", &[], None).status, 200);
    let _ = sb.token();
    assert_eq!(sb.stats()["faults"]["reset"], 2);
}

#[test]
fn fault_shapes() {
    let sb = start_with(quiet().faults(FaultSpec::parse("malformed=1").unwrap()));
    let t = sb.token();
    let r = sb.get("/api/v2/users", &t);
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
    assert!(r.text.starts_with('{'));

    sb.control("/_sandbox/config", &json!({"faults": "html=1"}));
    let r = sb.get("/api/v2/users", &t);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<html>"));

    sb.control("/_sandbox/config", &json!({"faults": "429=1"}));
    let r = sb.get("/api/v2/users", &t);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(r.error()["code"], "quota-exceeded");

    sb.control("/_sandbox/config", &json!({"faults": "500=1"}));
    let r = sb.get("/api/v2/users", &t);
    assert_eq!(r.status, 500);
    assert!(r.header("x-request-id").is_some());
    // Faults never hit OPTIONS, health or token requests.
    assert_eq!(sb.raw("OPTIONS", "/api/v2/users", &[], None).status, 204);
    assert_eq!(
        sb.token_form(
            "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox-secret&scope=users%3Aread"
        )
        .status,
        200
    );
    assert_eq!(
        sb.control("/_sandbox/config", &json!({"faults": "boom=1"}))
            .status,
        400
    );
}

#[test]
fn latency_delays_api_responses() {
    let sb = start_with(quiet().faults(FaultSpec::parse("latency=150ms").unwrap()));
    let t = sb.token();
    let started = Instant::now();
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.status, 200);
    assert!(started.elapsed().as_millis() >= 150);
    let started = Instant::now();
    sb.raw("GET", "/health", &[], None);
    assert!(started.elapsed().as_millis() < 150);
}
