//! Request building for every catalogue operation, generic and typed: method, URL (path
//! parameters percent-encoded), query, headers and body, checked on the `http::Request` the
//! driver would send.

use std::collections::BTreeSet;

use degreed::catalog::{Body, Method, Operation, Paging};
use degreed::models::{ContentIdType, ContentType, DurationType, UserIdentifierType};
use degreed::ops;
use degreed::ops::completions::{CompletionUpdate, NewCompletion};
use degreed::ops::content::{ContentUpdate, NewArticle, NewBook, NewCourse, NewVideo};
use degreed::ops::users::{NewUser, UserIdentifier, UserUpdate};
use degreed::{AccessToken, ApiRequest, Config, Date, ErrorKind, Timestamp};
use serde_json::{json, Value};

const BASE: &str = "https://api.example";
/// A path parameter that needs encoding, and how it must appear in the path.
const ODD_ID: &str = "zk3 jPZ+é";
const ODD_ID_ENCODED: &str = "zk3%20jPZ+%C3%A9";

fn cfg() -> Config {
    Config::custom("https://auth.example", BASE).unwrap()
}

fn to_http(req: &ApiRequest, config: &Config) -> http::Request<Vec<u8>> {
    req.prepare(config)
        .unwrap_or_else(|e| panic!("{}: {e}", req.operation().name))
        .to_http(&AccessToken::new("tok"))
}

fn body_json(r: &http::Request<Vec<u8>>) -> Option<Value> {
    if r.body().is_empty() {
        None
    } else {
        Some(serde_json::from_slice(r.body()).expect("the body is JSON"))
    }
}

fn expected_path(op: &Operation, encoded_param: &str) -> String {
    op.path
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                encoded_param
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A sample request for any operation, with the query string and body it must produce.
fn sample(op: &'static Operation) -> (ApiRequest, Option<String>, Option<Value>) {
    let mut req = ApiRequest::for_operation(op);
    for _ in op.path_params() {
        req = req.path_param(ODD_ID);
    }
    let mut query = Vec::new();
    if op.paging != Paging::None {
        if op.windowed {
            req = req
                .filter("start_date", "2024-01-01")
                .filter("end_date", "2024-01-07");
            query.push("filter[start_date]=2024-01-01&filter[end_date]=2024-01-07".to_owned());
        }
        req = req.filter("term", "a&b c/é").limit(25);
        query.push("filter[term]=a%26b%20c%2F%C3%A9&limit=25".to_owned());
    }
    let body = match op.body {
        Body::None => None,
        Body::Resource(ty) => {
            let mut attrs = json!({"first_name": "Zoë", "isActive": true, "external-id": "X-1"});
            let mut sent = json!({"first-name": "Zoë", "is-active": true, "external-id": "X-1"});
            // A create is refused without the fields the schema requires on it.
            for wire in degreed::models::schema::required_on_create_of(op.name).split(' ') {
                let value = if wire.ends_with("-at") {
                    "2024-05-01T00:00:00"
                } else {
                    "V"
                };
                if !wire.is_empty() && sent.get(wire).is_none() {
                    attrs[wire.replace('-', "_")] = json!(value);
                    sent[wire] = json!(value);
                }
            }
            req = req.attributes(attrs);
            let mut data = json!({ "type": ty, "attributes": sent });
            if op.method == Method::Patch {
                data["id"] = json!(ODD_ID);
            }
            Some(json!({ "data": data }))
        }
        Body::Relationships(ty) => {
            req = req.ids(["x1", "Best Practices"]);
            Some(json!({"data": [{"type": ty, "id": "x1"}, {"type": ty, "id": "Best Practices"}]}))
        }
        Body::Raw => {
            let stmt = json!({"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "v"}, "object": {"id": "o"}});
            req = req.raw_body(stmt.clone());
            Some(stmt)
        }
    };
    let query = (!query.is_empty()).then(|| query.join("&"));
    (req, query, body)
}

#[test]
fn every_operation_builds_the_documented_request() {
    let ops: Vec<&'static Operation> = degreed::operations().collect();
    assert!(ops.len() >= 85, "only {} operations", ops.len());
    for op in ops {
        let (req, query, body) = sample(op);
        let http = to_http(&req, &cfg());
        let name = op.name;
        assert_eq!(http.method().as_str(), op.method.as_str(), "{name}");
        let uri = http.uri();
        assert_eq!(uri.scheme_str(), Some("https"), "{name}");
        assert_eq!(uri.host(), Some("api.example"), "{name}");
        assert_eq!(uri.path(), expected_path(op, ODD_ID_ENCODED), "{name}");
        assert_eq!(uri.query().map(str::to_owned), query, "{name}");

        let h = http.headers();
        assert_eq!(h["accept"], "application/json", "{name}");
        assert_eq!(h["authorization"], "Bearer tok", "{name}");
        assert!(
            h.get(degreed::request::ORGANIZATION_HEADER).is_none(),
            "{name}"
        );
        match &body {
            Some(_) => {
                assert_eq!(h["content-type"], "application/json", "{name}");
                assert_eq!(h.len(), 3, "{name}: {h:?}");
            }
            None => {
                assert!(h.get("content-type").is_none(), "{name}");
                assert_eq!(h.len(), 2, "{name}: {h:?}");
            }
        }
        assert_eq!(body_json(&http), body, "{name}");
    }
}

#[test]
fn body_rules_hold_for_every_operation() {
    for op in degreed::operations() {
        let mut req = ApiRequest::for_operation(op);
        for _ in op.path_params() {
            req = req.path_param("id1");
        }
        let name = op.name;
        match op.body {
            Body::None => {
                let e = req.attributes(json!({"a": 1})).prepare(&cfg()).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{name}");
            }
            Body::Resource(_) => {
                assert!(req.clone().prepare(&cfg()).is_err(), "{name}: no body");
                assert!(
                    req.clone().ids(["a"]).prepare(&cfg()).is_err(),
                    "{name}: wrong kind"
                );
                assert!(
                    req.attributes(json!([1])).prepare(&cfg()).is_err(),
                    "{name}: attributes must be an object"
                );
            }
            Body::Relationships(_) => {
                assert!(req.clone().prepare(&cfg()).is_err(), "{name}: no body");
                let empty: [&str; 0] = [];
                assert!(req.clone().ids(empty).prepare(&cfg()).is_err(), "{name}");
                assert!(req.ids(["a", " "]).prepare(&cfg()).is_err(), "{name}");
            }
            Body::Raw => {
                assert!(req.prepare(&cfg()).is_err(), "{name}: no body");
            }
        }
    }
}

#[test]
fn bad_ids_are_refused_before_sending() {
    let mut checked = 0;
    for op in degreed::operations().filter(|op| op.path_param_count() > 0) {
        for bad in [
            "", "  ", "a/b", "a?b", "a#b", "a\\b", ".", "..", "a\nb", "a\u{0}b",
        ] {
            let mut req = ApiRequest::for_operation(op);
            for _ in op.path_params() {
                req = req.path_param(bad);
            }
            let (ok_req, _, _) = sample(op);
            // Give the request a valid body so only the id can be wrong.
            let req = match op.body {
                Body::Resource(_) => req.attributes(json!({"a": 1})),
                Body::Relationships(_) => req.ids(["x"]),
                Body::Raw => req.raw_body(json!({})),
                Body::None => req,
            };
            let e = req.prepare(&cfg()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{} {bad:?}", op.name);
            assert!(ok_req.prepare(&cfg()).is_ok());
            checked += 1;
        }
        // Too few or too many path parameters.
        assert!(ApiRequest::for_operation(op).prepare(&cfg()).is_err());
    }
    assert!(checked > 500, "{checked}");
    // Typed builders go through the same check.
    for r in [
        ops::users::get(""),
        ops::users::get("a/b"),
        ops::users::get(UserIdentifier::Email("a?b@example.com")),
        ops::content::courses::get("#x"),
        ops::groups::users::list("..").build(),
    ] {
        assert_eq!(
            r.prepare(&cfg()).unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
    }
}

#[test]
fn limit_bounds() {
    for op in degreed::operations().filter(|op| op.paging != Paging::None) {
        let mut base = ApiRequest::for_operation(op);
        for _ in op.path_params() {
            base = base.path_param("id1");
        }
        for ok in [1, 100, 1000] {
            assert!(
                base.clone().limit(ok).prepare(&cfg()).is_ok(),
                "{} {ok}",
                op.name
            );
        }
        for bad in [0, -1, 1001, i64::MAX] {
            let e = base.clone().limit(bad).prepare(&cfg()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{} {bad}", op.name);
            assert!(e.to_string().contains("limit"), "{e}");
        }
        let e = base
            .clone()
            .query("limit", "ten")
            .prepare(&cfg())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    }
    assert!(ops::users::list().limit(0).build().prepare(&cfg()).is_err());
    assert!(ops::users::list()
        .limit(1001)
        .build()
        .prepare(&cfg())
        .is_err());
    // The typed limit replaces, never repeats.
    let r = to_http(&ops::logins::list().limit(5).limit(1000).build(), &cfg());
    assert_eq!(r.uri().query(), Some("limit=1000"));
}

#[test]
fn organization_code_header_only_where_accepted() {
    let tenant = cfg().with_organization_code("ACME-EU").unwrap();
    let mut with_header = 0;
    for op in degreed::operations() {
        let (req, _, _) = sample(op);
        match req.prepare(&tenant) {
            Ok(p) => {
                assert!(op.tenant_header, "{} accepted the tenant", op.name);
                let http = p.to_http(&AccessToken::new("tok"));
                assert_eq!(
                    http.headers()[degreed::request::ORGANIZATION_HEADER],
                    "ACME-EU",
                    "{}",
                    op.name
                );
                with_header += 1;
            }
            Err(e) => {
                assert!(!op.tenant_header, "{}: {e}", op.name);
                assert_eq!(e.kind(), ErrorKind::InvalidRequest);
                assert!(e.to_string().contains("organization"), "{e}");
            }
        }
    }
    // Users, content (generic and typed reads and creates) and completions.
    assert!(with_header >= 20, "{with_header}");
    assert!(
        degreed::operation("completions.update")
            .unwrap()
            .tenant_header
    );
    assert!(!degreed::operation("users.update").unwrap().tenant_header);
}

#[test]
fn next_links_keep_the_server_query_and_refuse_other_origins() {
    let op = degreed::operation("users.list").unwrap();
    let next = url::Url::parse("https://api.example/api/v2/users?limit=1000&next=plErSU").unwrap();
    let http = to_http(&ApiRequest::for_url(op, next), &cfg());
    assert_eq!(http.uri().query(), Some("limit=1000&next=plErSU"));
    for foreign in [
        "https://evil.example/api/v2/users?next=x",
        "http://api.example/api/v2/users?next=x",
        "https://api.example:444/api/v2/users?next=x",
    ] {
        let url = url::Url::parse(foreign).unwrap();
        assert!(
            ApiRequest::for_url(op, url).prepare(&cfg()).is_err(),
            "{foreign}"
        );
    }
}

/// Every typed builder, one per catalogue operation.
fn typed_builders() -> Vec<ApiRequest> {
    let t = Timestamp::parse("2024-05-01T13:45:10.1234567").unwrap();
    let new_user = || NewUser {
        employee_id: "E1".into(),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        organization_email: "ann@example.com".into(),
        ..Default::default()
    };
    let title = || ContentUpdate {
        title: Some("New title".into()),
        ..Default::default()
    };
    let mut v = vec![
        ops::users::list().build(),
        ops::users::get("zk3jPZ"),
        ops::users::create(new_user()).unwrap(),
        ops::users::update(
            "zk3jPZ",
            UserUpdate {
                bio: Some("hi".into()),
                ..Default::default()
            },
        )
        .unwrap(),
        ops::users::delete("zk3jPZ"),
        ops::users::completions::list("zk3jPZ").build(),
        ops::users::required_learning::list("zk3jPZ").build(),
        ops::users::recommended_learning::list("zk3jPZ").build(),
        ops::users::skill_ratings::list("zk3jPZ").build(),
        ops::users::user_skills::list("zk3jPZ").build(),
        ops::users::skill_plans::list("zk3jPZ").build(),
        ops::users::todays_learning::list("zk3jPZ").build(),
        ops::users::v3::create(new_user()).unwrap(),
        ops::content::list().build(),
        ops::content::get("c1"),
        ops::content::skills::list("c1").build(),
        ops::content::skills::add("c1", ["Leadership"]).unwrap(),
        ops::content::skills::remove("c1", ["Leadership"]).unwrap(),
        ops::completions::list().build(),
        ops::completions::get("zrNodlZ"),
        ops::completions::create(NewCompletion::new(
            "ann@example.com",
            UserIdentifierType::Email,
            "COURSE-1",
            ContentIdType::ExternalId,
            ContentType::Course,
            t,
        ))
        .unwrap(),
        ops::completions::update(
            "zrNodlZ",
            CompletionUpdate {
                percentile: Some(80.0),
                ..Default::default()
            },
        )
        .unwrap(),
        ops::completions::delete("zrNodlZ"),
        ops::required_learning::list().build(),
        ops::required_learning::get("72YeaV"),
        ops::recommendations::list().build(),
        ops::pathways::list().build(),
        ops::pathways::get("p1"),
        ops::pathways::tags::list("p1").build(),
        ops::pathways::collaborators::list("p1").build(),
        ops::pathways::groups::list("p1").build(),
        ops::pathways::followers::list("p1").build(),
        ops::skill_plans::list().build(),
        ops::skill_plans::get("s1"),
        ops::skill_plans::followers::list("s1").build(),
        ops::groups::list().build(),
        ops::groups::get("g1"),
        ops::groups::users::list("g1").build(),
        ops::groups::members::add("g1", ["u1"]).unwrap(),
        ops::groups::members::remove("g1", ["u1"]).unwrap(),
        ops::skill_ratings::list().build(),
        ops::user_skills::list().build(),
        ops::certifiable_skills::list().build(),
        ops::certifiable_skills::get("cs1"),
        ops::logins::list().build(),
        ops::views::list().build(),
        ops::search_terms::list().build(),
        ops::user_followers::list().build(),
        ops::providers::list().build(),
        ops::providers::get("pr1"),
        ops::providers::licences::list("pr1").build(),
        ops::xapi::statements::list().build(),
        ops::xapi::statements::create(
            json!({"actor": {"name": "A"}, "verb": {"id": "v"}, "object": {"id": "o"}}),
        )
        .unwrap(),
    ];
    macro_rules! kind {
        ($m:ident, $new:expr) => {
            v.push(ops::content::$m::list().build());
            v.push(ops::content::$m::get("c1"));
            v.push(ops::content::$m::create($new).unwrap());
            v.push(ops::content::$m::update("c1", title()).unwrap());
            v.push(ops::content::$m::delete("c1"));
        };
    }
    kind!(
        articles,
        NewArticle {
            external_id: "A-1".into(),
            title: "T".into(),
            url: "https://x.example/a".into(),
            num_words: 900,
            ..Default::default()
        }
    );
    kind!(
        books,
        NewBook {
            external_id: "B-1".into(),
            title: "T".into(),
            ..Default::default()
        }
    );
    kind!(
        videos,
        NewVideo {
            external_id: "V-1".into(),
            title: "T".into(),
            duration: 12.0,
            duration_type: DurationType::Minutes,
            ..Default::default()
        }
    );
    kind!(courses, course());
    kind!(
        assessments,
        ops::content::NewAssessment {
            external_id: Some("AS-1".into()),
            title: Some("T".into()),
            ..Default::default()
        }
    );
    kind!(
        podcasts,
        ops::content::NewPodcast {
            external_id: Some("P-1".into()),
            title: Some("T".into()),
            ..Default::default()
        }
    );
    kind!(
        events,
        ops::content::NewEvent {
            external_id: Some("EV-1".into()),
            title: Some("T".into()),
            ..Default::default()
        }
    );
    v
}

fn course() -> NewCourse {
    NewCourse {
        title: "Intro to Rust".into(),
        external_id: "COURSE-1".into(),
        duration: 2.5,
        duration_type: DurationType::Hours,
        url: Some("https://learn.example/rust".into()),
        ..Default::default()
    }
}

#[test]
fn every_operation_has_a_typed_builder() {
    let built = typed_builders();
    let names: Vec<&str> = built.iter().map(|r| r.operation().name).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "a builder is listed twice");
    let catalogue: BTreeSet<&str> = degreed::operations().map(|op| op.name).collect();
    let missing: Vec<_> = catalogue.difference(&unique).collect();
    assert!(missing.is_empty(), "no typed builder for {missing:?}");
    for r in &built {
        let op = r.operation();
        let http = to_http(r, &cfg());
        assert_eq!(http.method().as_str(), op.method.as_str(), "{}", op.name);
        let segs = op.path.split('/').count();
        assert_eq!(http.uri().path().split('/').count(), segs, "{}", op.name);
        assert_eq!(
            !http.body().is_empty(),
            op.body != Body::None,
            "{}",
            op.name
        );
    }
}

#[test]
fn users_typed() {
    let r = to_http(&ops::users::list().limit(1000).build(), &cfg());
    assert_eq!(r.uri(), "https://api.example/api/v2/users?limit=1000");

    let r = to_http(
        &ops::users::get_by(UserIdentifier::Email("a@b.com")),
        &cfg(),
    );
    assert_eq!(
        r.uri(),
        "https://api.example/api/v2/users/a@b.com?identifier=email"
    );
    let r = to_http(
        &ops::users::get(UserIdentifier::EmployeeId("E 10001")),
        &cfg(),
    );
    assert_eq!(
        r.uri(),
        "https://api.example/api/v2/users/E%2010001?identifier=employee-id"
    );
    let r = to_http(&ops::users::get("zk3jPZ"), &cfg());
    assert_eq!(r.uri(), "https://api.example/api/v2/users/zk3jPZ");
    let r = to_http(
        &ops::users::completions::list(UserIdentifier::Email("a@b.com"))
            .start_date(Date::new(2024, 1, 1).unwrap())
            .limit(10)
            .build(),
        &cfg(),
    );
    assert_eq!(
        r.uri(),
        "https://api.example/api/v2/users/a@b.com/completions?identifier=email&filter[start_date]=2024-01-01&limit=10"
    );
    let r = to_http(
        &ops::users::list()
            .email("a+b@example.com")
            .employee_id("E1")
            .build(),
        &cfg(),
    );
    assert_eq!(
        r.uri().query(),
        Some("filter[email]=a%2Bb%40example.com&filter[employee_id]=E1")
    );

    let r = to_http(
        &ops::users::create(NewUser {
            employee_id: "E1".into(),
            first_name: "Zoë".into(),
            last_name: "Lee".into(),
            organization_email: "zoe@example.com".into(),
            login_disabled: Some(false),
            permission_role: Some(degreed::models::PermissionRole::LearningProfessional),
            password: Some("Secret123".into()),
            manager_id: Some("m1".into()),
            ..Default::default()
        })
        .unwrap(),
        &cfg(),
    );
    assert_eq!(r.method(), http::Method::POST);
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": {"type": "users", "attributes": {
            "employee-id": "E1", "first-name": "Zoë", "last-name": "Lee",
            "organization-email": "zoe@example.com", "login-disabled": false,
            "permission-role": "LearningProfessional", "password": "Secret123"},
            "relationships": [{"manager": {"data": {"type": "users", "id": "m1"}}}]}})
    );

    // The password never shows in Debug.
    let u = NewUser {
        password: Some("Secret123".into()),
        ..Default::default()
    };
    assert!(!format!("{u:?}").contains("Secret123"));

    // Required fields are named.
    let e = ops::users::create(NewUser {
        employee_id: "E1".into(),
        last_name: "Lee".into(),
        organization_email: "a@b.com".into(),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.to_string().contains("`first-name` is required"), "{e}");
    assert!(e.to_string().contains("users.create"), "{e}");
    let e = ops::users::create(NewUser {
        employee_id: "E1".into(),
        first_name: "A".into(),
        last_name: "Lee".into(),
        organization_email: "not-an-email".into(),
        ..Default::default()
    })
    .unwrap_err();
    assert!(e.to_string().contains("organization-email"), "{e}");

    // Updates: data.id from the path, only the fields set, nothing-to-update refused.
    let r = to_http(
        &ops::users::update(
            "zk3jPZ",
            UserUpdate {
                manager_id: Some("m2".into()),
                bio: Some(String::new()),
                ..Default::default()
            },
        )
        .unwrap(),
        &cfg(),
    );
    assert_eq!(r.method(), http::Method::PATCH);
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": {"type": "users", "id": "zk3jPZ", "attributes": {"bio": ""},
            "relationships": [{"manager": {"data": {"type": "users", "id": "m2"}}}]}})
    );
    let e = ops::users::update("zk3jPZ", UserUpdate::default()).unwrap_err();
    assert!(e.to_string().contains("nothing to update"), "{e}");
    let e = ops::users::update(
        "zk3jPZ",
        UserUpdate {
            manager_id: Some(" ".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("manager_id"), "{e}");
}

#[test]
fn content_typed() {
    let r = to_http(&ops::content::courses::create(course()).unwrap(), &cfg());
    assert_eq!(r.uri().path(), "/api/v2/content/courses");
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": {"type": "content/courses", "attributes": {
            "title": "Intro to Rust", "external-id": "COURSE-1", "duration": 2.5,
            "duration-type": "Hours", "url": "https://learn.example/rust"}}})
    );
    let e = ops::content::courses::create(NewCourse {
        duration: 0.0,
        ..course()
    })
    .unwrap_err();
    assert!(e.to_string().contains("`duration` is required"), "{e}");
    let e = ops::content::courses::create(NewCourse {
        duration_type: DurationType::default(),
        ..course()
    })
    .unwrap_err();
    assert!(e.to_string().contains("`duration-type` is required"), "{e}");
    let e = ops::content::courses::create(NewCourse {
        cost_units: Some(f64::NAN),
        ..course()
    })
    .unwrap_err();
    assert!(e.to_string().contains("`cost-units`"), "{e}");
    let e = ops::content::articles::create(NewArticle {
        external_id: "A".into(),
        title: "T".into(),
        num_words: 10,
        ..Default::default()
    })
    .unwrap_err();
    assert!(e.to_string().contains("`url` is required"), "{e}");

    let mut book = NewBook {
        external_id: "B-1".into(),
        title: "Rust".into(),
        isbn13: Some("9780000000000".into()),
        author: Some("Ann".into()),
        publish_date: Some(Date::new(2020, 2, 29).unwrap()),
        ..Default::default()
    };
    book.extra.insert("customField".into(), json!(1));
    book.extra.insert("title".into(), json!("ignored"));
    let r = to_http(&ops::content::books::create(book).unwrap(), &cfg());
    assert_eq!(
        body_json(&r).unwrap()["data"]["attributes"],
        json!({"external-id": "B-1", "title": "Rust", "i-s-b-n13": "9780000000000",
               "author": "Ann", "publish-date": "2020-02-29", "custom-field": 1})
    );

    // Un-obsolete: PATCH with data.id and only `obsolete`.
    let r = to_http(
        &ops::content::courses::update(
            "zQZrYE5",
            ContentUpdate {
                obsolete: Some(false),
                ..Default::default()
            },
        )
        .unwrap(),
        &cfg(),
    );
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": {"type": "content/courses", "id": "zQZrYE5", "attributes": {"obsolete": false}}})
    );

    // Filters as the API spells them; a float-looking external id is sent as text.
    let r = to_http(
        &ops::content::list()
            .external_id("4.68E+18")
            .internal_only(false)
            .include_restricted(true)
            .modified_after(Date::new(2024, 1, 1).unwrap())
            .term("data science")
            .limit(1000)
            .build(),
        &cfg(),
    );
    assert_eq!(
        r.uri().query(),
        Some("filter[external_id]=4.68E%2B18&filter[internal_only]=false&filter[include_restricted]=true&filter[modified_after]=2024-01-01&filter[term]=data%20science&limit=1000")
    );
    let r = to_http(
        &ops::content::books::list()
            .url("https://x.example/?a=1")
            .build(),
        &cfg(),
    );
    assert_eq!(
        r.uri(),
        "https://api.example/api/v2/content/books?filter[url]=https%3A%2F%2Fx.example%2F%3Fa%3D1"
    );

    let r = to_http(
        &ops::content::skills::add("c1", ["Best Practices", "Rust"]).unwrap(),
        &cfg(),
    );
    assert_eq!(r.method(), http::Method::PATCH);
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": [{"type": "skills", "id": "Best Practices"}, {"type": "skills", "id": "Rust"}]})
    );
    let none: Vec<String> = Vec::new();
    let e = ops::content::skills::remove("c1", none).unwrap_err();
    assert!(e.to_string().contains("skill_names"), "{e}");
}

#[test]
fn completions_typed() {
    let at = Timestamp::parse("2024-05-01T13:45:10.9876543").unwrap();
    let mut c = NewCompletion::new(
        "ann@example.com",
        UserIdentifierType::Email,
        "COURSE-123",
        ContentIdType::parse("externalId"),
        ContentType::parse("course"),
        at,
    );
    c.percentile = Some(80.0);
    c.is_verified = Some(true);
    let r = to_http(&ops::completions::create(c.clone()).unwrap(), &cfg());
    assert_eq!(r.uri(), "https://api.example/api/v2/completions");
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": {"type": "completions", "attributes": {
            "user-id": "ann@example.com", "user-identifier-type": "Email",
            "content-id": "COURSE-123", "content-id-type": "ExternalId", "content-type": "Course",
            "completed-at": "2024-05-01T13:45:10", "percentile": 80, "is-verified": true}}})
    );
    // An unknown enum value is sent as given.
    c.content_type = ContentType::parse("Webinar");
    let r = to_http(&ops::completions::create(c.clone()).unwrap(), &cfg());
    assert_eq!(
        body_json(&r).unwrap()["data"]["attributes"]["content-type"],
        "Webinar"
    );
    c.user_id = " ".into();
    let e = ops::completions::create(c.clone()).unwrap_err();
    assert!(e.to_string().contains("`user-id` is required"), "{e}");
    c.user_id = "ann@example.com".into();
    c.completed_at = Timestamp::parse("0001-01-01T00:00:00").unwrap();
    let e = ops::completions::create(c).unwrap_err();
    assert!(e.to_string().contains("completed-at"), "{e}");

    let r = to_http(
        &ops::completions::list()
            .start_date(Date::new(2024, 1, 1).unwrap())
            .end_date(Date::new(2024, 1, 7).unwrap())
            .limit(1000)
            .build(),
        &cfg(),
    );
    assert_eq!(
        r.uri().query(),
        Some("filter[start_date]=2024-01-01&filter[end_date]=2024-01-07&limit=1000")
    );
    // Long ranges become 7-day windows.
    let mut pager = ops::completions::list()
        .limit(1000)
        .pager_between(
            Date::new(2024, 1, 1).unwrap(),
            Date::new(2024, 1, 31).unwrap(),
        )
        .unwrap();
    let first = pager.next_request().unwrap();
    let q = to_http(&first, &cfg()).uri().query().unwrap().to_owned();
    assert_eq!(
        q,
        "limit=1000&filter[start_date]=2024-01-01&filter[end_date]=2024-01-07"
    );

    let r = to_http(
        &ops::completions::update(
            "zrNodlZ",
            CompletionUpdate {
                completed_at: Some(at),
                ..Default::default()
            },
        )
        .unwrap(),
        &cfg(),
    );
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": {"type": "completions", "id": "zrNodlZ",
            "attributes": {"completed-at": "2024-05-01T13:45:10"}}})
    );
    assert_eq!(ops::wire_datetime(at), "2024-05-01T13:45:10");
}

#[test]
fn groups_xapi_and_others_typed() {
    let r = to_http(
        &ops::groups::members::add("g1", vec!["u1".to_owned(), "u2".to_owned()]).unwrap(),
        &cfg(),
    );
    assert_eq!(r.method(), http::Method::POST);
    assert_eq!(
        r.uri(),
        "https://api.example/api/v2/groups/g1/relationships/members"
    );
    assert_eq!(
        body_json(&r).unwrap(),
        json!({"data": [{"type": "users", "id": "u1"}, {"type": "users", "id": "u2"}]})
    );
    let r = to_http(&ops::groups::members::remove("g1", ["u1"]).unwrap(), &cfg());
    assert_eq!(r.method(), http::Method::DELETE);
    assert_eq!(r.headers()["content-type"], "application/json");
    let e = ops::groups::members::add("g1", ["u1", ""]).unwrap_err();
    assert!(e.to_string().contains("user_ids[1]"), "{e}");

    let since = Timestamp::parse("2024-01-01T00:00:00").unwrap();
    let r = to_http(
        &ops::xapi::statements::list()
            .since(since)
            .ascending(true)
            .verb("https://api.example/xAPI/verbs/completed")
            .limit(500)
            .build(),
        &cfg(),
    );
    assert_eq!(r.uri().path(), "/xAPI/statements");
    assert_eq!(
        r.uri().query(),
        Some("since=2024-01-01T00%3A00%3A00Z&ascending=true&verb=https%3A%2F%2Fapi.example%2FxAPI%2Fverbs%2Fcompleted&limit=500")
    );
    for bad in [
        json!([]),
        json!("statement"),
        json!({"verb": {}, "object": {}}),
        json!([{"actor": {}, "verb": {}, "object": {}}, 5]),
    ] {
        let e = ops::xapi::statements::create(bad.clone()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{bad}");
    }
    let batch =
        json!([{"actor": {}, "verb": {}, "object": {}}, {"actor": {}, "verb": {}, "object": {}}]);
    let r = to_http(
        &ops::xapi::statements::create(batch.clone()).unwrap(),
        &cfg(),
    );
    assert_eq!(body_json(&r).unwrap(), batch);

    let r = to_http(
        &ops::skill_ratings::list().skill_name("Rust").build(),
        &cfg(),
    );
    assert_eq!(r.uri().query(), Some("filter[skill_name]=Rust"));
}

#[test]
fn unknown_operation_and_spec_parity() {
    assert!(ApiRequest::new("users.frobnicate").is_err());
    // The spec face of the bindings builds the same request as the typed builder.
    let typed = to_http(&ops::users::get(UserIdentifier::Email("a@b.com")), &cfg());
    let spec = degreed::spec::request_from_spec(
        &json!({"operation": "users.get", "path": ["a@b.com"], "query": {"identifier": "email"}}),
    )
    .unwrap();
    let spec = to_http(&spec, &cfg());
    assert_eq!(typed.uri(), spec.uri());
    assert_eq!(typed.headers(), spec.headers());
}
