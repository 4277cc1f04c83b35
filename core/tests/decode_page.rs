//! `models::decode_page`: typed models read straight from a page's bytes, with no `Value`
//! tree, by the rules of `decode_list` (which reads the tree). Each model keeps its item's
//! text exactly as received.

use degreed::models::{
    self, decode_list, decode_page, Completion, ContentSkill, Group, Login, Model,
    RequiredLearning, Resource, User, XapiStatement,
};
use degreed::{Error, ErrorKind, Reply};
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn reply_of(body: &[u8]) -> Reply {
    Reply {
        operation: degreed::operation("users.list").unwrap(),
        status: 200,
        request_id: None,
        rate_limit: None,
        body: serde_json::from_slice(body).ok(),
    }
}

/// The models from the bytes equal those from the tree, and each keeps its item's text as
/// it appears in the page.
fn same_as_the_tree<M: Model + PartialEq + std::fmt::Debug>(
    body: &[u8],
    raw_json: impl Fn(&M) -> &str,
) -> Vec<M> {
    same_as_the_tree_kept(body, raw_json, true)
}

/// [`same_as_the_tree`]; `exact`: the items' text is as in the page (else the compact text
/// of the parsed item: pages read from a tree).
fn same_as_the_tree_kept<M: Model + PartialEq + std::fmt::Debug>(
    body: &[u8],
    raw_json: impl Fn(&M) -> &str,
    exact: bool,
) -> Vec<M> {
    let from_bytes = decode_page::<M>(body).unwrap();
    let from_tree = decode_list::<M>(&reply_of(body)).unwrap();
    assert_eq!(from_bytes, from_tree);
    let text = std::str::from_utf8(body).unwrap();
    let key = M::LIST_KEY;
    let items = serde_json::from_slice::<Value>(body).unwrap()[key].clone();
    for (i, m) in from_bytes.iter().enumerate() {
        let raw = raw_json(m);
        if exact {
            assert!(
                text.contains(raw),
                "item {i}'s text is not in the page: {raw}"
            );
        }
        let item = if items.is_array() {
            items[i].clone()
        } else {
            items.clone()
        };
        assert_eq!(
            serde_json::from_str::<Value>(raw).unwrap(),
            item,
            "item {i}"
        );
    }
    from_bytes
}

#[test]
fn every_list_fixture_reads_as_from_the_tree() {
    let users = same_as_the_tree::<User>(&fixture("users_list.json"), User::raw_json);
    assert_eq!(users.len(), 3);
    assert_eq!(users[0].first_name.as_deref(), Some("Zoë"));
    assert_eq!(users[2].extra["favorite-color"], "teal");
    assert_eq!(users[2].manager_id(), Some("zk3jPZ"));
    let completions =
        same_as_the_tree::<Completion>(&fixture("completions_list.json"), Completion::raw_json);
    // Included resources keep their own text too.
    let text = String::from_utf8(fixture("completions_list.json")).unwrap();
    let page: Value = serde_json::from_str(&text).unwrap();
    for (i, c) in completions.iter().enumerate() {
        for (j, inc) in c.included.iter().enumerate() {
            assert!(text.contains(inc.raw_json()), "{}", inc.raw_json());
            assert_eq!(inc.raw(), page["data"][i]["included"][j]);
        }
        if let Some(content) = &c.content {
            assert_eq!(content.raw(), c.included[0].raw());
        }
    }
    assert!(completions[0].content.is_some());
    same_as_the_tree::<RequiredLearning>(
        &fixture("required_learning_list.json"),
        RequiredLearning::raw_json,
    );
    same_as_the_tree::<Group>(&fixture("groups_list.json"), Group::raw_json);
    same_as_the_tree::<ContentSkill>(&fixture("content_skills.json"), ContentSkill::raw_json);
    same_as_the_tree::<Login>(&fixture("logins_fractions.json"), Login::raw_json);
    // Statements are read from a tree: their text is the compact text of each.
    same_as_the_tree_kept::<XapiStatement>(
        &fixture("xapi_statements.json"),
        XapiStatement::raw_json,
        false,
    );
    for name in [
        "users_list.json",
        "completions_list.json",
        "groups_list.json",
    ] {
        let list = same_as_the_tree::<Resource>(&fixture(name), Resource::raw_json);
        // A resource decodes as a typed model from its text.
        for r in &list {
            let user: User = r.to_model().unwrap();
            assert_eq!(user.raw_json(), r.raw_json());
        }
    }
}

#[test]
fn layouts_whitespace_and_escapes() {
    let users: Value = serde_json::from_slice(&fixture("users_list.json")).unwrap();
    let items = users["data"].clone();
    let compact = serde_json::to_string(&users).unwrap();
    let pretty = serde_json::to_string_pretty(&users).unwrap();
    let data_last = format!(
        "{{\"links\":{},\"data\":{}}}",
        users["links"],
        serde_json::to_string_pretty(&items).unwrap()
    );
    let spaced = format!(
        " \r\n{{ \"data\" :\t[ {} ,\n\t{} ,{} ] , \"meta\" : {{ }} }}\n ",
        items[0], items[1], items[2]
    );
    // The first member name of an item with an escape, an item without members, a list
    // member written with an escape: read from a tree instead, with the same models (their
    // text is then the item's compact text).
    let escaped_key = format!(
        "{{\"data\":[{{\"\\u0069d\":\"x1\",\"type\":\"users\"}},{},{{}}]}}",
        items[1]
    );
    let escaped_list = format!("{{\"d\\u0061ta\":[{}],\"links\":{{}}}}", items[0]);
    let escaped_after = format!("{{\"data\":[{}],\"l\\u0069nks\":{{}}}}", items[0]);
    for (page, exact) in [
        (compact, true),
        (pretty, true),
        (data_last, true),
        (spaced, true),
        (escaped_key, false),
        (escaped_list, false),
        (escaped_after, false),
    ] {
        let list = same_as_the_tree_kept::<User>(page.as_bytes(), User::raw_json, exact);
        assert!(!list.is_empty(), "{page}");
        same_as_the_tree_kept::<Resource>(page.as_bytes(), Resource::raw_json, exact);
    }
    // `included` last in its item (the fixture), followed by other members (sorted keys),
    // with two resources, empty, spaced out, or nested in an included resource.
    let completions: Value = serde_json::from_slice(&fixture("completions_list.json")).unwrap();
    let c0 = &completions["data"][0];
    let mut two = c0.clone();
    two["included"] = json!([c0["included"][0], {"type": "content/course", "id": "c2",
        "attributes": {"title": "T"}, "included": [{"type": "x", "id": "n"}]}]);
    let mut empty = c0.clone();
    empty["included"] = json!([]);
    let spaced = format!(
        "{{\"data\":[{{\"id\":\"s\",\"included\" : [ {} ,\n {} ] , \"type\":\"completions\"}} , {}]}}",
        c0["included"][0], two["included"][1], two
    );
    for page in [
        serde_json::to_string(&completions).unwrap(),
        serde_json::to_string_pretty(&json!({"data": [two, empty, c0]})).unwrap(),
        spaced,
    ] {
        let list = same_as_the_tree::<Completion>(page.as_bytes(), Completion::raw_json);
        for c in &list {
            for inc in &c.included {
                assert!(page.contains(inc.raw_json()), "{}", inc.raw_json());
            }
        }
        same_as_the_tree::<Resource>(page.as_bytes(), Resource::raw_json);
    }
    // Non-ASCII and escapes inside an item are kept as sent.
    let odd = r#"{"data":[{"id":"a\"b","attributes":{"first-name":"Z\u00f6e","bio":"é\n"}}]}"#;
    let list = same_as_the_tree::<User>(odd.as_bytes(), User::raw_json);
    assert_eq!(list[0].id.as_deref(), Some("a\"b"));
    assert_eq!(list[0].first_name.as_deref(), Some("Zöe"));
    assert_eq!(list[0].raw_json(), &odd[9..odd.len() - 2]);
}

#[test]
fn shapes_read_as_decode_list_reads_them() {
    for (body, len) in [
        (json!({"data": null}), 0),
        (json!({"data": []}), 0),
        (json!({"data": {"id": "one", "type": "users"}}), 1),
        (json!({"data": [{"id": "a"}], "included": []}), 1),
    ] {
        let text = serde_json::to_vec(&body).unwrap();
        let list = decode_page::<User>(&text).unwrap();
        assert_eq!(list.len(), len, "{body}");
        assert_eq!(list, decode_list::<User>(&reply_of(&text)).unwrap());
    }
    // A repeated list member: the last one, as a parsed tree has it.
    let twice = br#"{"data":[{"id":"first"}],"data":[{"id":"second"}]}"#;
    let list = decode_page::<User>(twice).unwrap();
    assert_eq!(list[0].id.as_deref(), Some("second"));
    // xAPI's list member.
    let stmts = decode_page::<XapiStatement>(br#"{"statements":[{"id":"s1"}],"more":""}"#);
    assert_eq!(stmts.unwrap()[0].id.as_deref(), Some("s1"));
}

fn decode_error(body: &[u8]) -> (String, String, String) {
    match decode_page::<Completion>(body) {
        Err(Error::Decode {
            path,
            message,
            excerpt,
            status,
            ..
        }) => {
            assert_eq!(status, 200);
            (path, message, excerpt)
        }
        other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
    }
}

#[test]
fn refused_values_name_their_path_as_from_the_tree() {
    let (path, message, excerpt) = decode_error(&fixture("completions_bad_date.json"));
    assert_eq!(path, "$.data[3].attributes.completed-at");
    assert!(message.contains("date-time"), "{message}");
    assert!(excerpt.contains("yesterday"), "{excerpt}");
    let cases = [
        (json!({"data": [{"id": "a"}, 7]}), "$.data[1]"),
        (json!({"data": [{"id": {"x": 1}}]}), "$.data[0].id"),
        (
            json!({"data": [{"attributes": []}]}),
            "$.data[0].attributes",
        ),
        (
            json!({"data": [{"relationships": [{"user": {"data": true}}]}]}),
            "$.data[0].relationships[0].user.data",
        ),
        (
            json!({"data": [{"relationships": [{"user": {"data": [{"id": "u"}, [1]]}}]}]}),
            "$.data[0].relationships[0].user.data[1]",
        ),
        (
            json!({"data": [{"relationships": [{"user": {"id": []}}]}]}),
            "$.data[0].relationships[0].user.id",
        ),
        (
            json!({"data": [{"relationships": [5]}]}),
            "$.data[0].relationships[0]",
        ),
        (
            json!({"data": [{"relationships": 5}]}),
            "$.data[0].relationships",
        ),
        (
            json!({"data": [{"attributes": {"points-earned": "lots"}}]}),
            "$.data[0].attributes.points-earned",
        ),
        (
            json!({"data": [{"attributes": {"isVerified": "perhaps"}}]}),
            "$.data[0].attributes.isVerified",
        ),
        (
            json!({"data": [{"attributes": {"content-type": {"a": 1}}}]}),
            "$.data[0].attributes.content-type",
        ),
        (
            json!({"data": [{"included": [{"type": "content", "attributes": {"is-internal": "x"}}]}]}),
            "$.data[0].included[0].attributes.is-internal",
        ),
        (
            json!({"data": [{"included": [{}, "x"]}]}),
            "$.data[0].included[1]",
        ),
        (
            json!({"data": [{"included": {"type": "content", "attributes": {"is-internal": "x"}}}]}),
            "$.data[0].included.attributes.is-internal",
        ),
        (json!({"data": [{"included": 5}]}), "$.data[0].included"),
        (json!({"data": "nope"}), "$.data"),
        (json!({"links": {}}), "$.data"),
        (json!([1, 2]), "$.data"),
    ];
    for (body, want) in cases {
        let text = serde_json::to_vec(&body).unwrap();
        let (path, message, excerpt) = decode_error(&text);
        assert_eq!(path, want, "{body}");
        // The same error as from the tree.
        match decode_list::<Completion>(&reply_of(&text)) {
            Err(Error::Decode {
                path: p,
                message: m,
                excerpt: x,
                ..
            }) => assert_eq!((p, m, x), (path, message, excerpt), "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
    // Bodies that are not JSON, or empty.
    for body in [&b"<html>502</html>"[..], b"{\"data\": [", b"{} x", b"\xff"] {
        let (path, _, _) = decode_error(body);
        assert_eq!(path, "$", "{}", String::from_utf8_lossy(body));
    }
    let (path, message, _) = decode_error(b" ");
    assert_eq!(path, "$.data");
    assert!(message.contains("no `data`"), "{message}");
    // An invalid UTF-8 byte in a member the models do not read is still refused.
    let e = decode_page::<User>(b"{\"data\":[{\"id\":\"a\",\"x\":\"\xff\"}]}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn raw_is_parsed_on_demand_and_compared_as_json() {
    let page = br#"{"data": [ {"type": "users", "id": "u1", "attributes": {"bio": "x", "custom-thing": [1, 2]}} ]}"#;
    let user = &decode_page::<User>(page).unwrap()[0];
    assert_eq!(
        user.raw_json(),
        r#"{"type": "users", "id": "u1", "attributes": {"bio": "x", "custom-thing": [1, 2]}}"#
    );
    assert_eq!(user.raw()["attributes"]["custom-thing"], json!([1, 2]));
    assert_eq!(user.extra["custom-thing"], json!([1, 2]));
    // The same item read from a tree keeps its compact text, and equals this one.
    let from_tree = User::from_item(&user.raw()).unwrap();
    assert_ne!(from_tree.raw_json(), user.raw_json());
    assert_eq!(&from_tree, user);
    assert_eq!(
        models::decode_items::<User>(&[user.raw()]).unwrap()[0],
        *user
    );
}
