//! Parsing responses shaped as documented (fixtures in `tests/fixtures/`, written from the
//! shapes of `shared/degreed-api.md` §3): typed models, paging, the uniform `normalize`
//! output, and error bodies.

use std::time::Duration;

use degreed::catalog::Paging;
use degreed::models::{
    self, decode_items, decode_list, decode_one, normalize, AssignmentStatus, Completion, Content,
    ContentSkill, ContentType, Course, DurationType, Group, GroupPrivacy, KeyCase, Login, Model,
    PermissionRole, ProfileVisibility, Relationship, RequiredLearning, Resource, User,
    XapiStatement,
};
use degreed::paging::read_page;
use degreed::response::{error_for_status, parse_json};
use degreed::{Config, Error, ErrorKind, Reply, Timestamp};
use http::HeaderMap;
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json_fixture(name: &str) -> Value {
    parse_json(200, &HeaderMap::new(), &fixture(name)).unwrap()
}

fn reply(op: &str, name: &str) -> Reply {
    Reply {
        operation: degreed::operation(op).unwrap(),
        status: 200,
        request_id: Some("req-42".into()),
        rate_limit: None,
        body: Some(json_fixture(name)),
    }
}

fn cfg() -> Config {
    Config::custom("https://auth.example", "https://api.example").unwrap()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

#[test]
fn users_list_with_next_link() {
    let r = reply("users.list", "users_list.json");
    let page = read_page(Paging::Cursor, r.body.as_ref().unwrap(), &cfg(), 200).unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(
        page.next.unwrap().as_str(),
        "https://api.example/api/v2/users?limit=3&next=plErSU"
    );

    let users: Vec<User> = decode_list(&r).unwrap();
    assert_eq!(users.len(), 3);
    let zoe = &users[0];
    assert_eq!(zoe.id.as_deref(), Some("zk3jPZ"));
    assert_eq!(zoe.resource_type.as_deref(), Some("users"));
    assert_eq!(zoe.first_name.as_deref(), Some("Zoë"));
    assert_eq!(zoe.profile_visibility, Some(ProfileVisibility::Everyone));
    assert_eq!(zoe.permission_role, Some(PermissionRole::Admin));
    assert_eq!(zoe.login_disabled, Some(false));
    assert_eq!(zoe.personal_email, None);
    assert_eq!(zoe.created_at, Some(ts("2022-03-16T10:15:29.5034801Z")));
    assert_eq!(zoe.created_at.unwrap().subsec_nanos(), 503_480_100);
    assert_eq!(zoe.total_points, Some(1200.0));
    assert_eq!(zoe.daily_logins, Some(57));
    assert_eq!(zoe.manager_id(), None, "manager data is null");
    assert_eq!(
        zoe.relationships.get("manager"),
        Some(&Relationship::One(None))
    );
    assert_eq!(
        zoe.self_link.as_deref(),
        Some("https://api.example/api/v2/users/zk3jPZ")
    );
    assert!(zoe.extra.is_empty(), "{:?}", zoe.extra);
    assert_eq!(&zoe.raw(), &r.body.as_ref().unwrap()["data"][0]);

    // Anonymized: .NET minimum dates are no dates; strings for booleans and numbers.
    let anon = &users[1];
    assert_eq!(anon.first_name.as_deref(), Some("Anonymous"));
    assert_eq!(anon.created_at, None);
    assert_eq!(anon.last_login_at, None);
    assert_eq!(anon.login_disabled, Some(true));
    assert_eq!(anon.permission_role, Some(PermissionRole::Member));
    assert_eq!(anon.total_points, Some(0.0));
    assert!(anon.relationships.is_empty());

    // Unknown enum values, unknown fields, relationships as an object.
    let soren = &users[2];
    assert_eq!(
        soren.profile_visibility,
        Some(ProfileVisibility::Unknown("Team".into()))
    );
    assert_eq!(
        soren.permission_role.as_ref().map(PermissionRole::as_str),
        Some("Curator")
    );
    assert_eq!(soren.total_points, Some(12.5));
    assert_eq!(soren.login_disabled, Some(false));
    assert_eq!(soren.extra["favorite-color"], "teal");
    assert_eq!(soren.extra["custom-attributes"]["cost-center"], "CC-7");
    assert_eq!(soren.manager_id(), Some("zk3jPZ"));
    assert_eq!(soren.created_at.unwrap().subsec_nanos(), 123_000_000);
}

#[test]
fn completions_with_relationship_arrays_and_included_content() {
    let r = reply("completions.list", "completions_list.json");
    let page = read_page(Paging::Cursor, r.body.as_ref().unwrap(), &cfg(), 200).unwrap();
    assert_eq!(page.next, None, "next: null ends the walk");

    let list: Vec<Completion> = decode_list(&r).unwrap();
    assert_eq!(list.len(), 2);
    let c = &list[0];
    assert_eq!(c.id.as_deref(), Some("zrNodlZ"));
    assert_eq!(c.completed_at, Some(ts("2022-03-13T21:31:12.44")));
    assert_eq!(c.completed_at.unwrap().subsec_nanos(), 440_000_000);
    assert_eq!(c.added_at.unwrap().subsec_nanos(), 123_456_700);
    assert_eq!(
        c.points_earned,
        Some(12.0),
        "points-earned arrives as a string"
    );
    assert_eq!(c.is_verified, Some(true));
    assert_eq!(c.rating, None);
    assert_eq!(c.access_method.as_deref(), Some("Mac Web"));
    assert_eq!(c.user_id(), Some("zk3jPZ"));
    assert_eq!(c.content_id(), Some("zQZrYE5"));
    assert_eq!(c.provider_id(), None);
    assert_eq!(c.relationships.len(), 3);
    let summary = c.content.as_ref().unwrap();
    assert_eq!(summary.id.as_deref(), Some("zQZrYE5"));
    assert_eq!(summary.content_type, Some(ContentType::Course));
    assert_eq!(summary.content_duration, Some(2.5));
    assert_eq!(summary.content_duration_type, Some(DurationType::Hours));
    assert_eq!(summary.is_internal, Some(true));
    assert_eq!(c.included.len(), 1);
    assert_eq!(
        c.included[0].attribute("content_type"),
        Some(&json!("Course"))
    );

    let d = &list[1];
    assert_eq!(d.points_earned, Some(7.5));
    assert_eq!(d.is_verified, Some(false));
    assert_eq!(d.rating, Some(4.0));
    assert_eq!(d.added_at, None);
    assert_eq!(d.provider_id(), Some("pRv9"));
    assert_eq!(d.extra["certificate-url"], "https://certs.example.com/1");
    let summary = d.content.as_ref().unwrap();
    assert_eq!(
        summary.content_type,
        Some(ContentType::Unknown("Webinar".into()))
    );
    assert_eq!(summary.content_duration, Some(45.0));
    assert_eq!(summary.content_duration_type, Some(DurationType::Minutes));
    assert_eq!(summary.is_internal, Some(false));
}

#[test]
fn decode_errors_name_the_json_path_and_quote_the_value() {
    let r = reply("completions.list", "completions_bad_date.json");
    let e = decode_list::<Completion>(&r).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    match &e {
        Error::Decode {
            path,
            excerpt,
            status,
            request_id,
            message,
            maybe_applied,
        } => {
            assert!(!maybe_applied, "a read's unreadable answer applied nothing");
            assert_eq!(path, "$.data[3].attributes.completed-at");
            assert!(excerpt.contains("yesterday"), "{excerpt}");
            assert!(message.contains("date-time"), "{message}");
            assert_eq!(*status, 200);
            assert_eq!(request_id.as_deref(), Some("req-42"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().contains("$.data[3].attributes.completed-at"),
        "{e}"
    );
    // The same failure through a page's items.
    let items = r.body.unwrap()["data"].as_array().unwrap().clone();
    let e = decode_items::<Completion>(&items).unwrap_err();
    assert!(e.to_string().contains("$.data[3].attributes.completed-at"));
    // The first three items are fine on their own.
    assert_eq!(decode_items::<Completion>(&items[..3]).unwrap().len(), 3);

    // Other shapes that cannot be read.
    let cases = [
        (json!({"data": [{"id": "a"}, 7]}), "$.data[1]"),
        (
            json!({"data": [{"attributes": []}]}),
            "$.data[0].attributes",
        ),
        (
            json!({"data": [{"relationships": [{"user": {"data": true}}]}]}),
            "$.data[0].relationships[0].user.data",
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
            json!({"data": [{"attributes": {"is-verified": "perhaps"}}]}),
            "$.data[0].attributes.is-verified",
        ),
        (
            json!({"data": [{"included": [{"type": "content", "attributes": {"is-internal": "x"}}]}]}),
            "$.data[0].included[0].attributes.is-internal",
        ),
        (json!({"data": "nope"}), "$.data"),
    ];
    for (body, want) in cases {
        let r = Reply {
            body: Some(body.clone()),
            ..reply("completions.list", "completions_list.json")
        };
        match decode_list::<Completion>(&r) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, want, "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn required_learning_statuses() {
    let list: Vec<RequiredLearning> = decode_list(&reply(
        "required_learning.list",
        "required_learning_list.json",
    ))
    .unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].status, Some(AssignmentStatus::Pending));
    assert_eq!(list[0].due_at, Some(ts("2024-06-30T00:00:00")));
    assert_eq!(list[0].user_id(), Some("zk3jPZ"));
    assert_eq!(
        list[0].content.as_ref().unwrap().title.as_deref(),
        Some("Introduction to Rust")
    );
    assert_eq!(list[1].status, Some(AssignmentStatus::InProgress));
    assert_eq!(list[1].assignment_type.as_deref(), Some("Self-Assigned"));
    assert_eq!(list[1].due_at, None);
    assert!(list[1].content.is_none());
    assert_eq!(list[1].content_id(), None);
    assert_eq!(
        list[2].status,
        Some(AssignmentStatus::Unknown("Overdue".into()))
    );
}

#[test]
fn content_item_with_float_looking_external_id() {
    let r = reply("content.get", "content_item.json");
    let c: Content = decode_one(&r).unwrap();
    assert_eq!(c.external_id.as_deref(), Some("4.68235223453215E+18"));
    assert_eq!(c.content_type, Some(ContentType::Course));
    assert_eq!(c.duration, Some(2.5));
    assert_eq!(c.duration_type, Some(DurationType::Hours));
    assert_eq!(c.is_obsolete, Some(false));
    assert_eq!(c.learning_minutes, Some(150.25));
    assert_eq!(c.provider, None);
    assert_eq!(
        c.groups_with_access_ids,
        Some(vec!["g1".to_owned(), "g2".to_owned()])
    );
    assert_eq!(c.publish_date, Some(ts("2021-10-01T00:00:00")));
    assert_eq!(c.created_at.unwrap().subsec_nanos(), 149_000_000);
    // Kind-specific attributes stay in `extra` on the generic model ...
    assert_eq!(c.extra["cost-units"], "199");
    assert_eq!(c.extra["review-score"], 4.6);
    // ... and are typed on the kind's model.
    let course: Course = decode_one(&r).unwrap();
    assert_eq!(course.cost_units, Some(199.0));
    assert_eq!(course.difficulty.as_deref(), Some("Beginner"));
    // Relationships as an object, to many, capitalised name.
    match c.relationships.get("skill") {
        Some(Relationship::Many(skills)) => {
            let names: Vec<&str> = skills.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(names, ["Rust", "Best Practices"]);
            assert_eq!(skills[0].resource_type.as_deref(), Some("skills"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        c.relationships.get("Skill").unwrap().ids(),
        ["Rust", "Best Practices"]
    );

    let skills: Vec<ContentSkill> =
        decode_list(&reply("content.skills.list", "content_skills.json")).unwrap();
    let names: Vec<&str> = skills.iter().filter_map(ContentSkill::skill_name).collect();
    assert_eq!(names, ["Best Practices", "Rust"]);
}

#[test]
fn groups_with_created_by() {
    let r = reply("groups.list", "groups_list.json");
    let page = read_page(Paging::Cursor, r.body.as_ref().unwrap(), &cfg(), 200).unwrap();
    assert_eq!(page.next, None, "an empty next ends the walk");
    let groups: Vec<Group> = decode_list(&r).unwrap();
    assert_eq!(groups[0].privacy, Some(GroupPrivacy::Administrative));
    assert_eq!(groups[0].created_by_id(), Some("zk3jPZ"));
    assert_eq!(groups[0].relationships.id("createdBy"), Some("zk3jPZ"));
    assert_eq!(groups[0].modified_at.unwrap().subsec_nanos(), 550_000_000);
    assert_eq!(
        groups[1].privacy,
        Some(GroupPrivacy::Unknown("Secret".into()))
    );
    assert_eq!(groups[1].external_group_id.as_deref(), Some("42"));
    assert_eq!(groups[1].created_by_id(), None);
}

#[test]
fn xapi_statements_with_more() {
    let r = reply("xapi.statements.list", "xapi_statements.json");
    let page = read_page(Paging::Xapi, r.body.as_ref().unwrap(), &cfg(), 200).unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        page.next.unwrap().as_str(),
        "https://api.example/xAPI/statements?next=MjAyMC0wMi0xMg"
    );
    let stmts: Vec<XapiStatement> = decode_list(&r).unwrap();
    let s = &stmts[0];
    assert_eq!(
        s.id.as_deref(),
        Some("6f1c7f4e-4c1a-4f59-9a3e-0d0c1f8d2b11")
    );
    let actor = s.actor.as_ref().unwrap();
    assert_eq!(actor.mbox.as_deref(), Some("mailto:zoe.okafor@example.com"));
    assert_eq!(actor.object_type.as_deref(), Some("Agent"));
    assert_eq!(s.verb_name(), Some("completed"));
    assert_eq!(s.verb.as_ref().unwrap().display["en-US"], "completed");
    assert_eq!(
        s.object.as_ref().unwrap().id.as_deref(),
        Some("https://api.example/xAPI/activities/zQZrYE5")
    );
    assert_eq!(s.timestamp.unwrap().subsec_nanos(), 895_454_500);
    assert_eq!(s.stored, Some(ts("2020-02-12T21:05:56Z")));
    assert_eq!(s.context.as_ref().unwrap()["platform"], "Degreed");
    assert_eq!(stmts[1].version.as_deref(), Some("1.0.3"));
    assert_eq!(stmts[1].extra["attachments"], json!([]));
    // A statement that is not an object is a typed error at its path.
    let bad = Reply {
        body: Some(json!({"statements": [{"id": "a"}, "b"]})),
        ..r
    };
    match decode_list::<XapiStatement>(&bad) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "$.statements[1]"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fraction_digits_zero_to_seven_and_dotnet_minimum() {
    let logins: Vec<Login> = decode_list(&reply("logins.list", "logins_fractions.json")).unwrap();
    let nanos: Vec<Option<u32>> = logins
        .iter()
        .map(|l| l.logged_in_at.map(Timestamp::subsec_nanos))
        .collect();
    assert_eq!(
        nanos,
        [
            Some(0),
            Some(100_000_000),
            Some(120_000_000),
            Some(123_000_000),
            Some(123_400_000),
            Some(123_450_000),
            Some(123_456_000),
            Some(123_456_700),
            None
        ]
    );
    for l in &logins[..8] {
        assert_eq!(
            l.logged_in_at.unwrap().unix_secs(),
            ts("2024-05-01T10:00:00Z").unix_secs(),
            "no offset means UTC"
        );
    }
    // normalize (what the bindings read) agrees: 6 digits and +00:00, null for the minimum.
    let body = json_fixture("logins_fractions.json");
    let n = normalize(&body["data"][7], KeyCase::Snake);
    assert_eq!(
        n["attributes"]["logged_in_at"],
        "2024-05-01T10:00:00.123456+00:00"
    );
    let n = normalize(&body["data"][8], KeyCase::Camel);
    assert_eq!(n["attributes"]["loggedInAt"], Value::Null);
    assert_eq!(n["time_fields"], json!(["loggedInAt"]));
}

#[test]
fn every_other_model_reads_its_fixture() {
    let items = json_fixture("misc_items.json");
    let get = |k: &str| &items[k];

    let r = models::Recommendation::from_item(get("recommendation")).unwrap();
    assert_eq!(r.recommender_id(), Some("zk3jPZ"));
    assert_eq!(r.user_id(), Some("m8QvLx"));
    assert_eq!(
        r.content.unwrap().content_type,
        Some(ContentType::Article),
        "`included` as a single object"
    );
    let p = models::Pathway::from_item(get("pathway")).unwrap();
    assert_eq!(p.sections, Some(json!(4)));
    assert_eq!(
        models::PathwayTag::from_item(get("pathway_tag"))
            .unwrap()
            .tag
            .as_deref(),
        Some("Python")
    );
    assert_eq!(
        models::PathwayCollaborator::from_item(get("pathway_collaborator"))
            .unwrap()
            .user_id(),
        Some("zk3jPZ")
    );
    assert_eq!(
        models::PathwayFollower::from_item(get("pathway_follower"))
            .unwrap()
            .employee_id
            .as_deref(),
        Some("E10003")
    );
    assert_eq!(
        models::SkillPlan::from_item(get("skill_plan"))
            .unwrap()
            .name
            .as_deref(),
        Some("Leadership Plan")
    );
    assert_eq!(
        models::SkillPlanFollower::from_item(get("skill_plan_follower"))
            .unwrap()
            .is_primary_plan,
        Some(true)
    );
    assert_eq!(
        models::GroupMembership::from_item(get("group_membership"))
            .unwrap()
            .role
            .as_deref(),
        Some("Leader")
    );
    let sr = models::SkillRating::from_item(get("skill_rating")).unwrap();
    assert_eq!(sr.rating, Some(6.0));
    assert_eq!(sr.user_id(), Some("zk3jPZ"));
    let us = models::UserSkill::from_item(get("user_skill")).unwrap();
    assert_eq!(us.certifiable_skill_guid, None);
    assert_eq!(us.skill_id.as_deref(), Some("S0001"));
    let cs = models::CertifiableSkill::from_item(get("certifiable_skill")).unwrap();
    assert_eq!(cs.is_featured, Some(true));
    assert_eq!(cs.cost, Some(50.0));
    let l = models::Login::from_item(get("login")).unwrap();
    assert_eq!(l.logged_in_at.unwrap().subsec_nanos(), 123_456_700);
    let v = models::View::from_item(get("view")).unwrap();
    assert_eq!(v.view_count, Some(17));
    assert_eq!(v.content_type, Some(ContentType::Video));
    assert_eq!(v.content_id(), Some("zQV1pwa"));
    assert_eq!(
        models::SearchTerm::from_item(get("search_term"))
            .unwrap()
            .count,
        Some(321)
    );
    let uf = models::UserFollower::from_item(get("user_follower")).unwrap();
    assert_eq!(uf.follower_id(), Some("zk3jPZ"));
    assert_eq!(uf.following_id(), Some("m8QvLx"));
    assert_eq!(
        models::Provider::from_item(get("provider"))
            .unwrap()
            .name
            .as_deref(),
        Some("Partner Academy")
    );
    assert_eq!(
        models::Licence::from_item(get("licence"))
            .unwrap()
            .is_enabled,
        Some(true)
    );
    let t = models::TodaysLearning::from_item(get("todays_learning")).unwrap();
    assert_eq!(t.reason.as_deref(), Some("Based on your skills"));
    assert_eq!(t.content_id(), Some("zQZrYE5"));
    let b = models::Book::from_item(get("book")).unwrap();
    assert_eq!(b.authors, Some(vec!["Ann Lee".to_owned()]));
    assert_eq!(b.pages, Some(320));
    assert_eq!(b.isbn13.as_deref(), Some("9781234567897"));
    assert_eq!(b.publish_date.unwrap().date().to_string(), "2020-02-29");
    let a = models::Article::from_item(get("article")).unwrap();
    assert_eq!(a.num_words, Some(1200));
    assert_eq!(a.duration_type, Some(DurationType::Words));
    assert_eq!(
        models::Video::from_item(get("video")).unwrap().duration,
        Some(12.0)
    );
    assert_eq!(
        models::Assessment::from_item(get("assessment"))
            .unwrap()
            .content_type,
        Some(ContentType::Assessment)
    );
    assert_eq!(
        models::Podcast::from_item(get("podcast")).unwrap().duration,
        Some(45.0)
    );
    assert_eq!(
        models::Event::from_item(get("event"))
            .unwrap()
            .duration_type,
        Some(DurationType::Days)
    );
    // The generic resource keeps everything and converts to any model.
    let res = Resource::from_item(get("book")).unwrap();
    assert_eq!(res.attribute("isbn13"), None, "spellings differ: i-s-b-n13");
    assert_eq!(res.attribute("i_s_b_n13"), Some(&json!("9781234567897")));
    assert_eq!(res.to_model::<models::Book>().unwrap().pages, Some(320));
    assert_eq!(
        <models::Book as Model>::TYPE,
        "content/books",
        "the documented type"
    );
}

#[test]
fn decode_one_shapes() {
    let one = |body: Value| Reply {
        body: Some(body),
        ..reply("users.get", "users_list.json")
    };
    let u: User = decode_one(&one(json!({"data": {"id": "a", "attributes": {}}}))).unwrap();
    assert_eq!(u.id.as_deref(), Some("a"));
    let u: User = decode_one(&one(json!({"data": [{"id": 7}]}))).unwrap();
    assert_eq!(u.id.as_deref(), Some("7"), "numeric ids become strings");
    for bad in [
        json!({}),
        json!({"data": null}),
        json!({"data": [1, 2]}),
        json!([]),
    ] {
        let e = decode_one::<User>(&one(bad.clone())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{bad}");
        assert_eq!(e.request_id(), Some("req-42"));
    }
    let empty = Reply {
        body: None,
        ..reply("users.delete", "users_list.json")
    };
    assert!(decode_one::<User>(&empty).is_err());
    // An empty body (204) or a body without the list is not an empty list.
    assert_eq!(
        decode_list::<User>(&empty).unwrap_err().kind(),
        ErrorKind::Decode
    );
    for bad in [json!({}), json!(null), json!([]), json!("hi")] {
        let e = decode_list::<User>(&one(bad.clone())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{bad}");
    }
    assert!(decode_list::<User>(&one(json!({"data": []})))
        .unwrap()
        .is_empty());
    let x: XapiStatement = decode_one(&one(json!({"id": "s1", "verb": {"id": "v/x"}}))).unwrap();
    assert_eq!(x.verb_name(), Some("x"));
}

#[test]
fn error_bodies() {
    let now = Timestamp::parse("2024-05-01T00:00:00Z").unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "r-400".parse().unwrap());
    let e = error_for_status(400, &headers, &fixture("error_400.json"), now);
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.request_id(), Some("r-400"));
    let obj = &e.errors()[0];
    assert_eq!(obj.code.as_deref(), Some("bad-request"));
    assert_eq!(obj.source, Some(json!("nobody@example.com")));
    assert!(
        e.to_string()
            .contains("Invalid user identifier: nobody@example.com"),
        "{e}"
    );

    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "30".parse().unwrap());
    let e = error_for_status(429, &headers, &fixture("error_429.json"), now);
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(e.errors()[0].code.as_deref(), Some("quota-exceeded"));
    assert!(e
        .to_string()
        .contains("Maximum 70 requests allowed per 1m."));
    assert_eq!(e.to_json()["retry_after"], 30.0);

    let html = fixture("error_page.html");
    let e = error_for_status(502, &HeaderMap::new(), &html, now);
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(e.to_string().contains("502 Bad Gateway"), "{e}");
    assert!(e.errors().is_empty());
    // The same page with a 200 is a decode error quoting the page, not a crash.
    let e = parse_json(200, &HeaderMap::new(), &html).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("<!DOCTYPE html>"), "{e}");
    for status in [401, 403, 404, 409, 410, 500, 503] {
        let e = error_for_status(status, &HeaderMap::new(), b"", now);
        assert_eq!(e.status(), Some(status));
    }
}

#[test]
fn normalize_matches_the_typed_view() {
    let body = json_fixture("completions_list.json");
    let n = normalize(&body["data"][0], KeyCase::Snake);
    assert_eq!(n["relationships"]["user"]["id"], "zk3jPZ");
    assert_eq!(n["relationships"]["provider"], Value::Null);
    // Numbers sent as strings read as the schema's type, as the typed model reads them.
    assert_eq!(n["attributes"]["points_earned"], 12);
    assert_eq!(
        n["attributes"]["completed_at"],
        "2022-03-13T21:31:12.440000+00:00"
    );
    assert_eq!(n["included"][0]["attributes"]["content_type"], "Course");
    let typed = Completion::from_item(&body["data"][0]).unwrap();
    assert_eq!(
        typed.points_earned,
        n["attributes"]["points_earned"].as_f64()
    );
    assert_eq!(
        typed.completed_at.unwrap().unix_millis(),
        ts(n["attributes"]["completed_at"].as_str().unwrap()).unix_millis()
    );
    let g = json_fixture("groups_list.json");
    let n = normalize(&g["data"][0], KeyCase::Camel);
    assert_eq!(n["relationships"]["createdBy"]["id"], "zk3jPZ");
}
