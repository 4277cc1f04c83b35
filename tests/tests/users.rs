//! Users: CRUD, validation, conflicts, identifier lookups, sub-lists, seeded shape.

mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn users_crud_round_trip_and_log() {
    let sb = start();
    let t = sb.token();
    let r = sb.post(
        "/api/v2/users",
        &t,
        &user_body("E90001", "zoe.lecka@example.com"),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let v = r.json();
    let id = v["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(v["data"]["type"], "users");
    assert_eq!(v["data"]["attributes"]["full-name"], "Zoë Łęcka");
    assert_eq!(
        v["data"]["links"]["self"],
        format!("{}/api/v2/users/{id}", sb.base)
    );
    assert_eq!(
        r.header("location"),
        Some(format!("{}/api/v2/users/{id}", sb.base).as_str())
    );
    assert!(v["data"]["relationships"].is_array());

    let r = sb.get(&format!("/api/v2/users/{id}"), &t);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"]["attributes"]["employee-id"], "E90001");

    // Partial PATCH keeps the other attributes; sets the manager.
    let first = sb.get("/api/v2/users?limit=1", &t).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"data": {"type": "users", "id": id, "attributes": {"first-name": "Søren"},
        "relationships": [{"manager": {"data": {"type": "users", "id": first}}}]}});
    let r = sb.patch(&format!("/api/v2/users/{id}"), &t, &body);
    assert_eq!(r.status, 200, "{}", r.text);
    let a = r.json()["data"].clone();
    assert_eq!(a["attributes"]["first-name"], "Søren");
    assert_eq!(a["attributes"]["last-name"], "Łęcka");
    assert_eq!(a["attributes"]["full-name"], "Søren Łęcka");
    assert_eq!(
        a["relationships"][0]["manager"]["data"]["id"],
        first.as_str()
    );

    let r = sb.delete(&format!("/api/v2/users/{id}"), &t);
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    let r = sb.get(&format!("/api/v2/users/{id}"), &t);
    assert_eq!(r.status, 404);
    assert_eq!(r.error()["code"], "not-found");
    assert_eq!(sb.delete(&format!("/api/v2/users/{id}"), &t).status, 404);

    let log = sb.log();
    let ops: Vec<(&str, &str)> = log
        .iter()
        .map(|w| {
            (
                w["method"].as_str().unwrap(),
                w["resource_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("POST", id.as_str()),
            ("PATCH", id.as_str()),
            ("DELETE", id.as_str())
        ]
    );
    assert_eq!(log[0]["client_id"], "sandbox");
    assert_eq!(log[0]["resource_type"], "users");
    assert_eq!(log[0]["seq"], 1);
    assert_eq!(
        log[0]["body"]["data"]["attributes"]["employee-id"],
        "E90001"
    );
}

#[test]
fn create_validation_is_400_with_source() {
    let sb = start();
    let t = sb.token();
    for (field, _) in [
        ("employee-id", 0),
        ("first-name", 0),
        ("last-name", 0),
        ("organization-email", 0),
    ] {
        let mut body = user_body("E90002", "v@example.com");
        body["data"]["attributes"]
            .as_object_mut()
            .unwrap()
            .remove(field);
        let r = sb.post("/api/v2/users", &t, &body);
        assert_eq!(r.status, 400, "{field}");
        let e = r.error();
        assert_eq!(e["code"], "bad-request");
        assert_eq!(e["source"], format!("/data/attributes/{field}"));
    }
    let r = sb.post("/api/v2/users", &t, &user_body("E90002", "not-an-email"));
    assert_eq!(r.status, 400);
    assert!(r.error()["detail"].as_str().unwrap().contains("e-mail"));
    let r = sb.raw(
        "POST",
        "/api/v2/users",
        &[
            ("Authorization", &format!("Bearer {t}")),
            ("Content-Type", "application/json"),
        ],
        Some(b"{not json"),
    );
    assert_eq!(r.status, 400);
    let r = sb.call("POST", "/api/v2/users", Some(&t), None);
    assert_eq!(r.status, 400);
    assert!(sb.log().is_empty());
}

#[test]
fn duplicate_employee_id_or_email_is_409() {
    let sb = start();
    let t = sb.token();
    let seeded = sb.get("/api/v2/users?limit=1", &t).json()["data"][0]["attributes"].clone();
    let emp = seeded["employee-id"].as_str().unwrap();
    let email = seeded["organization-email"].as_str().unwrap();
    let r = sb.post("/api/v2/users", &t, &user_body(emp, "fresh@example.com"));
    assert_eq!(r.status, 409);
    assert_eq!(r.error()["code"], "conflict");
    let r = sb.post(
        "/api/v2/users",
        &t,
        &user_body("E77777", &email.to_uppercase()),
    );
    assert_eq!(r.status, 409);
    // PATCH into a conflict as well.
    let created = sb
        .post(
            "/api/v2/users",
            &t,
            &user_body("E77778", "mine@example.com"),
        )
        .json();
    let id = created["data"]["id"].as_str().unwrap();
    let r = sb.patch(
        &format!("/api/v2/users/{id}"),
        &t,
        &json!({"data": {"attributes": {"employee-id": emp}}}),
    );
    assert_eq!(r.status, 409);
}

#[test]
fn identifier_lookups_and_email_filter() {
    let sb = start();
    let t = sb.token();
    let u = sb.get("/api/v2/users?limit=3", &t).json()["data"][2].clone();
    let id = u["id"].as_str().unwrap();
    let email = u["attributes"]["organization-email"].as_str().unwrap();
    let emp = u["attributes"]["employee-id"].as_str().unwrap();
    let r = sb.get(
        &format!("/api/v2/users/{}?identifier=email", email.to_uppercase()),
        &t,
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["data"]["id"], id);
    let r = sb.get(&format!("/api/v2/users/{emp}?identifier=employee-id"), &t);
    assert_eq!(r.json()["data"]["id"], id);
    assert_eq!(
        sb.get("/api/v2/users/E00000?identifier=employee-id", &t)
            .status,
        404
    );
    assert_eq!(
        sb.get(&format!("/api/v2/users/{emp}?identifier=shoe-size"), &t)
            .status,
        400
    );
    // Ids are case-sensitive.
    let flipped: String = id
        .chars()
        .map(|c| {
            if c.is_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    if flipped != id {
        assert_eq!(sb.get(&format!("/api/v2/users/{flipped}"), &t).status, 404);
    }
    let r = sb.get(&format!("/api/v2/users?filter[email]={email}"), &t);
    let data = r.json()["data"].as_array().unwrap().clone();
    assert_eq!(data.len(), 1);
    assert_eq!(data[0]["id"], id);
}

#[test]
fn seeded_users_look_like_degreed() {
    let sb = start();
    let t = sb.token();
    let (users, _) = sb.walk("/api/v2/users", &t);
    assert_eq!(users.len(), 25);
    let mut any_never = false;
    let mut any_accent = false;
    for u in &users {
        let id = u["id"].as_str().unwrap();
        assert!(
            (6..=7).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{id}"
        );
        assert!(u["links"]["self"].as_str().unwrap().starts_with("http://"));
        let a = &u["attributes"];
        assert!(a["employee-id"].as_str().unwrap().starts_with('E'));
        assert!(a["organization-email"].as_str().unwrap().contains('@'));
        any_never |= a["last-login-at"] == "0001-01-01T00:00:00";
        any_accent |= !a["full-name"].as_str().unwrap().is_ascii();
        let created = a["created-at"].as_str().unwrap();
        assert!(
            !created.ends_with('Z') && !created.contains('+'),
            "{created}"
        );
        assert!(u["relationships"][0]["manager"].is_object());
    }
    assert!(any_never && any_accent);
}

#[test]
fn v3_create_and_user_sub_lists() {
    let sb = start();
    let t = sb.token();
    let r = sb.post("/api/v3/users", &t, &user_body("E80001", "v3@example.com"));
    assert_eq!(r.status, 201, "{}", r.text);

    // Find a user with completions and check every sub-list.
    let (completions, _) = sb.walk("/api/v2/completions?limit=1000", &t);
    let uid = completions[0]["relationships"][2]["user"]["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let expected = completions
        .iter()
        .filter(|c| c["relationships"][2]["user"]["data"]["id"] == uid.as_str())
        .count();
    let r = sb.get(&format!("/api/v2/users/{uid}/completions"), &t);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"].as_array().unwrap().len(), expected);
    let email = sb.get(&format!("/api/v2/users/{uid}"), &t).json()["data"]["attributes"]
        ["organization-email"]
        .as_str()
        .unwrap()
        .to_string();
    let r = sb.get(
        &format!("/api/v2/users/{email}/completions?identifier=email"),
        &t,
    );
    assert_eq!(r.json()["data"].as_array().unwrap().len(), expected);
    for sub in [
        "required-learning",
        "recommended-learning",
        "skill-ratings",
        "user-skills",
        "skill-plans",
        "todays-learning",
    ] {
        let r = sb.get(&format!("/api/v2/users/{uid}/{sub}"), &t);
        assert_eq!(r.status, 200, "{sub}: {}", r.text);
        let v: Value = r.json();
        assert!(v["data"].is_array(), "{sub}");
        assert!(v["links"]["self"].is_string());
    }
    assert_eq!(sb.get("/api/v2/users/nobody/completions", &t).status, 404);
}
