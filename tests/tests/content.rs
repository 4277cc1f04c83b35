//! Content: typed CRUD, 409 conflicts, obsolete hiding, filters, skills.

mod common;
use common::*;
use serde_json::{json, Value};

fn course(ext: &str, url: &str) -> Value {
    json!({"data": {"type": "content/courses", "attributes": {
        "title": "Sandbox Rust Course", "external-id": ext, "url": url, "duration": 3, "duration-type": "Hours",
        "summary": "Ownership, borrowing and lifetimes.", "language": "en"
    }}})
}

#[test]
fn typed_create_get_update_delete() {
    let sb = start();
    let t = sb.token();
    let r = sb.post(
        "/api/v2/content/courses",
        &t,
        &course("SBX-1", "https://example.org/rust-1"),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let d = r.json()["data"].clone();
    let id = d["id"].as_str().unwrap().to_string();
    assert_eq!(d["type"], "content/courses");
    assert_eq!(d["attributes"]["obsolete"], false);
    assert_eq!(
        d["links"]["self"],
        format!("{}/api/v2/content/courses/{id}", sb.base)
    );

    let g = sb.get(&format!("/api/v2/content/{id}"), &t).json()["data"].clone();
    assert_eq!(g["type"], "content");
    assert_eq!(g["attributes"]["content-type"], "Course");
    assert_eq!(g["attributes"]["is-obsolete"], false);
    assert_eq!(
        sb.get(&format!("/api/v2/content/courses/{id}"), &t).status,
        200
    );
    assert_eq!(
        sb.get(&format!("/api/v2/content/articles/{id}"), &t).status,
        404
    );

    let r = sb.patch(
        &format!("/api/v2/content/courses/{id}"),
        &t,
        &json!({"data": {"id": id, "type": "content/courses", "attributes": {"title": "Renamed"}}}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["data"]["attributes"]["title"], "Renamed");
    assert_eq!(r.json()["data"]["attributes"]["external-id"], "SBX-1");

    assert_eq!(
        sb.delete(&format!("/api/v2/content/courses/{id}"), &t)
            .status,
        204
    );
    assert_eq!(sb.get(&format!("/api/v2/content/{id}"), &t).status, 404);
    let kinds: Vec<String> = sb
        .log()
        .iter()
        .map(|w| {
            format!(
                "{} {}",
                w["method"].as_str().unwrap(),
                w["resource_type"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(kinds, ["POST content", "PATCH content", "DELETE content"]);
}

#[test]
fn every_kind_can_be_created_and_listed() {
    let sb = start();
    let t = sb.token();
    for (i, kind) in [
        "articles",
        "books",
        "videos",
        "courses",
        "assessments",
        "podcasts",
        "events",
    ]
    .iter()
    .enumerate()
    {
        // Missing or unusual `type` values are tolerated.
        let body = json!({"data": {"attributes": {
            "title": format!("K {kind}"), "external-id": format!("K-{i}"), "url": format!("https://example.org/k/{i}"),
            "duration": 10, "duration-type": "Minutes"
        }}});
        let r = sb.post(&format!("/api/v2/content/{kind}"), &t, &body);
        assert_eq!(r.status, 201, "{kind}: {}", r.text);
        assert_eq!(r.json()["data"]["type"], format!("content/{kind}"));
        let list = sb
            .get(&format!("/api/v2/content/{kind}?limit=1000"), &t)
            .json();
        assert!(list["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["type"] == format!("content/{kind}")));
        assert!(
            list["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["attributes"]["external-id"] == format!("K-{i}")),
            "{kind}"
        );
    }
    let r = sb.post(
        "/api/v2/content/books",
        &t,
        &json!({"data": {"type": "books", "attributes": {"title": "B", "external-id": "K-B"}}}),
    );
    assert_eq!(r.status, 201);
}

#[test]
fn required_attributes_are_400() {
    let sb = start();
    let t = sb.token();
    let mut c = course("SBX-2", "https://example.org/rust-2");
    c["data"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("duration");
    let r = sb.post("/api/v2/content/courses", &t, &c);
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["source"], "/data/attributes/duration");
    let r = sb.post(
        "/api/v2/content/articles",
        &t,
        &json!({"data": {"attributes": {"title": "A", "external-id": "A-1"}}}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["source"], "/data/attributes/url");
    let r = sb.post(
        "/api/v2/content/books",
        &t,
        &json!({"data": {"attributes": {"external-id": "B-1"}}}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["source"], "/data/attributes/title");
    assert!(sb.log().is_empty());
}

#[test]
fn duplicate_external_id_or_url_is_409() {
    let sb = start();
    let t = sb.token();
    let existing = sb.get("/api/v2/content?limit=1", &t).json()["data"][0]["attributes"].clone();
    let ext = existing["external-id"].as_str().unwrap();
    let url = existing["url"].as_str().unwrap();
    let r = sb.post(
        "/api/v2/content/courses",
        &t,
        &course(ext, "https://example.org/unique"),
    );
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.error()["code"], "conflict");
    assert_eq!(r.error()["source"], ext);
    let r = sb.post("/api/v2/content/courses", &t, &course("SBX-NEW", url));
    assert_eq!(r.status, 409);
    assert_eq!(r.error()["source"], url);
    assert!(sb.log().is_empty());
}

#[test]
fn obsolete_content_leaves_lists_but_stays_gettable() {
    let sb = start();
    let t = sb.token();
    let id = sb
        .post(
            "/api/v2/content/courses",
            &t,
            &course("SBX-OBS", "https://example.org/obs"),
        )
        .json()["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let in_list = |sb: &Sb| {
        let (items, _) = sb.walk("/api/v2/content?limit=1000", &t);
        items.iter().any(|c| c["id"] == id.as_str())
    };
    assert!(in_list(&sb));
    let r = sb.patch(
        &format!("/api/v2/content/courses/{id}"),
        &t,
        &json!({"data": {"attributes": {"obsolete": true}}}),
    );
    assert_eq!(r.status, 200);
    assert!(!in_list(&sb));
    let typed = sb.get("/api/v2/content/courses?limit=1000", &t).json();
    assert!(!typed["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id.as_str()));
    let g = sb.get(&format!("/api/v2/content/{id}"), &t);
    assert_eq!(g.status, 200);
    assert_eq!(g.json()["data"]["attributes"]["is-obsolete"], true);
    // The EDX recovery path: look up by external id, then un-obsolete.
    let found = sb
        .get("/api/v2/content?filter[external_id]=SBX-OBS", &t)
        .json();
    assert_eq!(found["data"][0]["id"], id.as_str());
    sb.patch(
        &format!("/api/v2/content/courses/{id}"),
        &t,
        &json!({"data": {"attributes": {"obsolete": false}}}),
    );
    assert!(in_list(&sb));
}

#[test]
fn content_filters() {
    let sb = start();
    let t = sb.token();
    let (default, _) = sb.walk("/api/v2/content?limit=1000", &t);
    let (all, _) = sb.walk(
        "/api/v2/content?limit=1000&filter[internal_only]=false&filter[include_restricted]=true",
        &t,
    );
    assert!(default.len() < all.len());
    assert!(default
        .iter()
        .all(|c| c["attributes"]["is-internal"] == true
            && c["attributes"]["visibility"] != "Restricted"));
    assert!(all.iter().all(|c| c["attributes"]["is-obsolete"] == false));
    let term = all[0]["attributes"]["title"]
        .as_str()
        .unwrap()
        .split(' ')
        .next_back()
        .unwrap()
        .to_lowercase();
    let (hits, _) = sb.walk(&format!("/api/v2/content?limit=1000&filter[internal_only]=false&filter[include_restricted]=true&filter[term]={}", term.replace(' ', "%20")), &t);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|c| c["attributes"]["title"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains(&term)));
    let url = all[1]["attributes"]["url"].as_str().unwrap();
    let by_url = sb.get(&format!("/api/v2/content?filter[url]={url}&filter[internal_only]=false&filter[include_restricted]=true"), &t).json();
    assert_eq!(by_url["data"].as_array().unwrap().len(), 1);
    // Date filters: nothing was modified in the future; everything was created after 2000.
    let future = day(-30);
    let r = sb
        .get(
            &format!("/api/v2/content?filter[modified_after]={future}"),
            &t,
        )
        .json();
    assert!(r["data"].as_array().unwrap().is_empty());
    let (since_2000, _) = sb.walk("/api/v2/content?limit=1000&filter[created_after]=2000-01-01&filter[internal_only]=false&filter[include_restricted]=true", &t);
    assert_eq!(since_2000.len(), all.len());
    let (old, _) = sb.walk("/api/v2/content?limit=1000&filter[end_date]=2000-01-01", &t);
    assert!(old.is_empty());
    assert_eq!(
        sb.get("/api/v2/content?filter[internal_only]=maybe", &t)
            .status,
        400
    );
    assert_eq!(
        sb.get("/api/v2/content?filter[modified_after]=yesterday", &t)
            .status,
        400
    );
}

#[test]
fn content_skills_relationships() {
    let sb = start();
    let t = sb.token();
    let id = sb.get("/api/v2/content?limit=1", &t).json()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = sb.get(&format!("/api/v2/content/{id}/skills"), &t).json();
    assert!(before["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["type"] == "skills" && s["id"].is_string()));
    let body = json!({"data": [{"type": "skills", "id": "Sandboxing"}, {"type": "skills", "id": "Best Practices"}]});
    let r = sb.patch(
        &format!("/api/v2/content/{id}/relationships/skills"),
        &t,
        &body,
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let names: Vec<String> = sb.get(&format!("/api/v2/content/{id}/skills"), &t).json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        names.contains(&"Sandboxing".to_string()) && names.contains(&"Best Practices".to_string())
    );
    let r = sb.call(
        "DELETE",
        &format!("/api/v2/content/{id}/relationships/skills"),
        Some(&t),
        Some(&json!({"data": [{"type": "skills", "id": "Sandboxing"}]})),
    );
    assert_eq!(r.status, 204);
    let names = sb.get(&format!("/api/v2/content/{id}/skills"), &t).text;
    assert!(!names.contains("Sandboxing"));
    assert_eq!(
        sb.patch(
            &format!("/api/v2/content/{id}/relationships/skills"),
            &t,
            &json!({"data": [{"type": "skills"}]})
        )
        .status,
        400
    );
    assert_eq!(sb.get("/api/v2/content/nope123/skills", &t).status, 404);
}
