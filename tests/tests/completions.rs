//! Completions (identifier types, invalid user, duplicates, 7-day windows) and required learning.

mod common;
use common::*;
use serde_json::{json, Value};

fn completion(user: &str, utype: &str, content: &str, ctype: &str) -> Value {
    json!({"data": {"attributes": {
        "user-id": user, "user-identifier-type": utype, "content-id": content, "content-id-type": ctype,
        "content-type": "course", "completed-at": "2024-05-01T00:00:00", "percentile": 80, "is-verified": true
    }}})
}

#[test]
fn completion_by_every_identifier_type() {
    let sb = start();
    let t = sb.token();
    let u = sb.get("/api/v2/users?limit=1", &t).json()["data"][0].clone();
    let c = sb.get("/api/v2/content/courses?limit=1", &t).json()["data"][0].clone();
    let uid = u["id"].as_str().unwrap();
    let cases = [
        (uid.to_string(), "UserId"),
        (
            u["attributes"]["organization-email"]
                .as_str()
                .unwrap()
                .to_uppercase(),
            "email",
        ),
        (
            u["attributes"]["employee-id"].as_str().unwrap().to_string(),
            "EmployeeId",
        ),
        (
            u["attributes"]["alias-uid"].as_str().unwrap().to_string(),
            "AliasUid",
        ),
    ];
    let content_cases = [
        (c["id"].as_str().unwrap().to_string(), "Id"),
        (
            c["attributes"]["external-id"].as_str().unwrap().to_string(),
            "externalId",
        ),
        (
            c["attributes"]["url"].as_str().unwrap().to_string(),
            "ContentUrl",
        ),
        (
            c["attributes"]["external-id"].as_str().unwrap().to_string(),
            "ExternalId",
        ),
    ];
    for ((user, utype), (content, ctype)) in cases.iter().zip(content_cases.iter()) {
        let r = sb.post(
            "/api/v2/completions",
            &t,
            &completion(user, utype, content, ctype),
        );
        assert_eq!(r.status, 201, "{utype}/{ctype}: {}", r.text);
        let d = r.json()["data"].clone();
        assert_eq!(d["type"], "completions");
        assert_eq!(d["relationships"][2]["user"]["data"]["id"], uid);
        assert_eq!(d["relationships"][0]["content"]["data"]["id"], c["id"]);
        assert!(d["attributes"]["points-earned"].is_string());
        assert_eq!(d["attributes"]["completed-at"], "2024-05-01T00:00:00");
        assert_eq!(d["included"][0]["type"], "content");
        assert_eq!(d["included"][0]["id"], c["id"]);
    }
    // Every POST is a new record: four creates, four distinct ids, four log entries.
    let log = sb.log();
    assert_eq!(log.len(), 4);
    let ids: std::collections::HashSet<_> = log
        .iter()
        .map(|w| w["resource_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 4);
    // Fraction and Z are accepted on completed-at.
    let mut b = completion(uid, "UserId", c["id"].as_str().unwrap(), "Id");
    b["data"]["attributes"]["completed-at"] = json!("2024-05-02T10:11:12.345Z");
    assert_eq!(sb.post("/api/v2/completions", &t, &b).status, 201);
    b["data"]["attributes"]["completed-at"] = json!("last tuesday");
    assert_eq!(sb.post("/api/v2/completions", &t, &b).status, 400);
}

#[test]
fn unknown_user_or_content_is_400() {
    let sb = start();
    let t = sb.token();
    let c = sb.get("/api/v2/content?limit=1", &t).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sb.post(
        "/api/v2/completions",
        &t,
        &completion("ghost@example.com", "Email", &c, "Id"),
    );
    assert_eq!(r.status, 400);
    let v = r.json();
    let e = &v["errors"][0];
    assert_eq!(e["code"], "bad-request");
    assert_eq!(e["status"], 400);
    assert_eq!(e["detail"], "Invalid user identifier: ghost@example.com");
    assert_eq!(e["source"], "ghost@example.com");
    let uid = sb.get("/api/v2/users?limit=1", &t).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sb.post(
        "/api/v2/completions",
        &t,
        &completion(&uid, "UserId", "NOPE-1", "ExternalId"),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["detail"], "Invalid content identifier: NOPE-1");
    let r = sb.post(
        "/api/v2/completions",
        &t,
        &completion(&uid, "Nickname", &c, "Id"),
    );
    assert_eq!(r.status, 400);
    assert!(sb.log().is_empty());
}

#[test]
fn seven_day_window_rule_on_every_windowed_feed() {
    let sb = start();
    let t = sb.token();
    for feed in [
        "completions",
        "required-learning",
        "recommendations",
        "logins",
        "views",
        "pathways",
        "skill-ratings",
        "user-skills",
        "user-followers",
    ] {
        // Seven days, both ends included: end - start is at most 6.
        let r = sb.get(
            &format!(
                "/api/v2/{feed}?filter[start_date]={}&filter[end_date]={}",
                day(7),
                day(0)
            ),
            &t,
        );
        assert_eq!(r.status, 400, "{feed}");
        assert!(
            r.error()["detail"].as_str().unwrap().contains("7 days"),
            "{feed}"
        );
        let r = sb.get(
            &format!(
                "/api/v2/{feed}?filter[start_date]={}&filter[end_date]={}",
                day(6),
                day(0)
            ),
            &t,
        );
        assert_eq!(r.status, 200, "{feed}: {}", r.text);
        let r = sb.get(
            &format!("/api/v2/{feed}?filter[start_date]=2024-13-01&filter[end_date]=2024-01-02"),
            &t,
        );
        assert_eq!(r.status, 400, "{feed}");
    }
    // Inverted range.
    assert_eq!(
        sb.get(
            &format!(
                "/api/v2/completions?filter[start_date]={}&filter[end_date]={}",
                day(0),
                day(3)
            ),
            &t
        )
        .status,
        400
    );
    // No filter → everything; a window → only matching dates, and the windows partition the feed.
    let (all, _) = sb.walk("/api/v2/completions?limit=1000", &t);
    assert_eq!(all.len(), 60);
    let mut total = 0;
    for w in 0..13 {
        let (start, end) = (day(w * 7 + 6), day(w * 7));
        let (items, _) = sb.walk(
            &format!(
                "/api/v2/completions?limit=1000&filter[start_date]={start}&filter[end_date]={end}"
            ),
            &t,
        );
        for c in &items {
            let d = &c["attributes"]["completed-at"].as_str().unwrap()[..10];
            assert!(
                d >= start.as_str() && d <= end.as_str(),
                "{d} not in {start}..{end}"
            );
        }
        total += items.len();
    }
    assert_eq!(total, 60, "completions fall in the last 90 days");
}

#[test]
fn completion_patch_and_delete() {
    let sb = start();
    let t = sb.token();
    let id = sb.get("/api/v2/completions?limit=1", &t).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sb.patch(
        &format!("/api/v2/completions/{id}"),
        &t,
        &json!({"data": {"id": id, "attributes": {"is-verified": true, "percentile": 99}}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["data"]["attributes"]["percentile"], 99);
    assert_eq!(
        sb.patch(
            &format!("/api/v2/completions/{id}"),
            &t,
            &json!({"data": {"attributes": {"percentile": 101}}})
        )
        .status,
        400
    );
    assert_eq!(sb.get(&format!("/api/v2/completions/{id}"), &t).status, 200);
    assert_eq!(
        sb.delete(&format!("/api/v2/completions/{id}"), &t).status,
        204
    );
    assert_eq!(sb.get(&format!("/api/v2/completions/{id}"), &t).status, 404);
    assert_eq!(
        sb.delete(&format!("/api/v2/completions/{id}"), &t).status,
        404
    );
}

#[test]
fn window_end_read_exclusively() {
    let sb = start_with(quiet().window_end_inclusive(false));
    let t = sb.token();
    let range = |a: i64, b: i64| {
        format!(
            "/api/v2/completions?limit=1000&filter[start_date]={}&filter[end_date]={}",
            day(a),
            day(b)
        )
    };
    // Seven days with the end day left out: end - start may be 7, not 8.
    assert_eq!(sb.get(&range(7, 0), &t).status, 200);
    assert_eq!(sb.get(&range(8, 0), &t).status, 400);
    // Windows that end where the next starts partition the feed.
    let mut total = 0;
    for w in 0..14 {
        let (start, end) = (day(w * 7 + 6), day(w * 7 - 1));
        let (items, _) = sb.walk(&range(w * 7 + 6, w * 7 - 1), &t);
        for c in &items {
            let d = &c["attributes"]["completed-at"].as_str().unwrap()[..10];
            assert!(
                d >= start.as_str() && d < end.as_str(),
                "{d} not in {start}..{end}"
            );
        }
        total += items.len();
    }
    assert_eq!(total, 60);
}

#[test]
fn undocumented_writes_are_not_simulated() {
    // No source shows the bodies of required-learning, skill-rating or user-skill writes.
    let sb = start();
    let t = sb.token();
    for (method, path) in [
        ("POST", "/api/v2/required-learning"),
        ("PATCH", "/api/v2/required-learning/x1"),
        ("DELETE", "/api/v2/required-learning/x1"),
        ("POST", "/api/v2/skill-ratings"),
        ("POST", "/api/v2/user-skills"),
    ] {
        let auth = format!("Bearer {t}");
        let r = sb.raw(
            method,
            path,
            &[("Authorization", auth.as_str())],
            Some(b"{}"),
        );
        assert!(
            matches!(r.status, 404 | 405),
            "{method} {path}: {}",
            r.status
        );
    }
}
