//! Cursor pagination: walking, limits, single-use tokens, expiry, snapshot isolation, xAPI `more`.

mod common;
use common::*;
use serde_json::{json, Value};
use std::collections::HashSet;

fn next_token(v: &Value) -> Option<String> {
    let n = v["links"].get("next")?.as_str()?;
    Some(n.split("next=").nth(1).unwrap().to_string())
}

#[test]
fn walk_to_the_end_with_fresh_tokens() {
    let sb = start();
    let t = sb.token();
    let mut url = format!("{}/api/v2/users?limit=7", sb.base);
    let mut ids = Vec::new();
    let mut tokens = HashSet::new();
    let mut used = Vec::new();
    loop {
        let r = sb.get(&url, &t);
        assert_eq!(r.status, 200, "{}", r.text);
        let v = r.json();
        assert!(v["links"]["self"].as_str().unwrap().starts_with(&sb.base));
        ids.extend(
            v["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_string()),
        );
        match next_token(&v) {
            Some(tok) => {
                let next = v["links"]["next"].as_str().unwrap().to_string();
                assert!(
                    next.starts_with(&format!("{}/api/v2/users?limit=7&next=", sb.base)),
                    "{next}"
                );
                assert!(tokens.insert(tok.clone()), "token reused");
                used.push(next.clone());
                url = next;
            }
            None => {
                assert!(v["links"].get("next").is_none(), "last page must omit next");
                break;
            }
        }
    }
    assert_eq!(ids.len(), 25);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 25, "duplicates");
    assert_eq!(tokens.len(), 3); // pages 7+7+7+4
                                 // Each token works once.
    let r = sb.get(&used[0], &t);
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["code"], "invalid-cursor");
    assert_eq!(sb.get("/api/v2/users?next=bogus1", &t).status, 400);
    // A cursor belongs to its resource.
    let v = sb.get("/api/v2/users?limit=5", &t).json();
    let tok = next_token(&v).unwrap();
    assert_eq!(
        sb.get(&format!("/api/v2/groups?next={tok}"), &t).status,
        400
    );
}

#[test]
fn limit_bounds() {
    let sb = start();
    let t = sb.token();
    for bad in ["0", "-1", "1001", "abc", "2.5", ""] {
        let r = sb.get(&format!("/api/v2/users?limit={bad}"), &t);
        if bad.is_empty() {
            assert_eq!(r.status, 400, "empty limit");
        } else {
            assert_eq!(r.status, 400, "limit={bad}");
            assert_eq!(r.error()["code"], "bad-request");
        }
    }
    let r = sb.get("/api/v2/users?limit=1000", &t);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 25);
    assert!(r.json()["links"].get("next").is_none());
    let r = sb.get("/api/v2/users?limit=1", &t);
    assert_eq!(r.json()["data"].as_array().unwrap().len(), 1);
    // Default page size is 100: the 60 completions fit on one page.
    let r = sb.get("/api/v2/completions", &t).json();
    assert_eq!(r["data"].as_array().unwrap().len(), 60);
    assert!(r["links"].get("next").is_none());
}

#[test]
fn cursor_expires_after_120s_idle() {
    let sb = start();
    let t = sb.token();
    let v = sb.get("/api/v2/users?limit=5", &t).json();
    sb.advance(119);
    let v2 = sb.get(v["links"]["next"].as_str().unwrap(), &t);
    assert_eq!(v2.status, 200, "still fresh at 119 s");
    sb.advance(121);
    let r = sb.get(v2.json()["links"]["next"].as_str().unwrap(), &t);
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["code"], "invalid-cursor");
    assert!(r.error()["detail"].as_str().unwrap().contains("expired"));
}

#[test]
fn snapshot_isolation() {
    let sb = start();
    let t = sb.token();
    let v = sb.get("/api/v2/users?limit=10", &t).json();
    let mut ids: Vec<String> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    let created = sb
        .post(
            "/api/v2/users",
            &t,
            &user_body("E55555", "mid.walk@example.com"),
        )
        .json();
    let new_id = created["data"]["id"].as_str().unwrap().to_string();
    let (rest, _) = sb.walk(v["links"]["next"].as_str().unwrap(), &t);
    ids.extend(rest.iter().map(|u| u["id"].as_str().unwrap().to_string()));
    assert_eq!(ids.len(), 25);
    assert!(!ids.contains(&new_id));
    let (fresh, _) = sb.walk("/api/v2/users?limit=10", &t);
    assert_eq!(fresh.len(), 26);
}

#[test]
fn xapi_more_paging_and_filters() {
    let sb = start();
    let t = sb.token();
    let first = sb.get("/xAPI/statements?limit=40", &t).json();
    assert!(first["statements"].is_array());
    let more = first["more"].as_str().unwrap();
    assert!(more.starts_with(&format!("{}/xAPI/statements?limit=40&next=", sb.base)));
    let mut all: Vec<Value> = first["statements"].as_array().unwrap().clone();
    let mut url = more.to_string();
    loop {
        let v = sb.get(&url, &t).json();
        all.extend(v["statements"].as_array().unwrap().iter().cloned());
        match v.get("more").and_then(Value::as_str) {
            Some(m) => url = m.to_string(),
            None => break,
        }
    }
    let ids: HashSet<_> = all
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), all.len());
    let everything = sb.get("/xAPI/statements?limit=1000", &t).json();
    assert_eq!(
        everything["statements"].as_array().unwrap().len(),
        all.len()
    );
    assert!(everything.get("more").is_none());
    // Newest first by default; ascending=true reverses.
    let ts: Vec<&str> = all
        .iter()
        .map(|s| s["timestamp"].as_str().unwrap())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] >= w[1]));
    let asc = sb.get("/xAPI/statements?limit=5&ascending=true", &t).json();
    let a: Vec<&str> = asc["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["timestamp"].as_str().unwrap())
        .collect();
    assert!(a.windows(2).all(|w| w[0] <= w[1]));
    // verb, since/until.
    let done = sb
        .get("/xAPI/statements?limit=1000&verb=completed", &t)
        .json();
    let n_done = done["statements"].as_array().unwrap().len();
    assert_eq!(n_done, 60);
    assert!(done["statements"][0]["verb"]["id"]
        .as_str()
        .unwrap()
        .starts_with(&sb.base));
    let since = format!("{}T00:00:00", day(7));
    let recent = sb
        .get(&format!("/xAPI/statements?limit=1000&since={since}"), &t)
        .json();
    assert!(recent["statements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["timestamp"].as_str().unwrap() > since.as_str()));
    assert_eq!(sb.get("/xAPI/statements?since=soon", &t).status, 400);
    // POST a single statement and an array.
    let st = json!({"actor": {"objectType": "Agent", "mbox": "mailto:zoe@example.com"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}}, "object": {"id": "https://example.org/x"}});
    let r = sb.post("/xAPI/statements", &t, &st);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    let r = sb.post("/xAPI/statements", &t, &json!([st.clone(), st.clone()]));
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    let exp = sb.get("/xAPI/statements?verb=experienced", &t).json();
    assert_eq!(exp["statements"].as_array().unwrap().len(), 3);
    assert_eq!(
        sb.post("/xAPI/statements", &t, &json!({"verb": {}})).status,
        400
    );
    assert_eq!(sb.log().len(), 3);
}
