//! Server garbage becomes a typed error, never a panic: every parser of the core is fed
//! arbitrary bytes, arbitrary JSON and near-miss shapes (JSON:API items with random values,
//! date-like strings, request specs with random members).

use std::str::FromStr;

use degreed::catalog::Paging;
use degreed::models::{self, normalize, KeyCase, Model};
use degreed::ratelimit::{parse_period, RateLimit};
use degreed::response::{api_error, error_for_status, parse_json, parse_retry_after};
use degreed::{
    paging, spec, AccessToken, ApiRequest, Config, Date, Error, ErrorKind, Reply, Scope, ScopeSet,
    Timestamp, Token,
};
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Cases per property in the suite; a long run sets `PROPTEST_CASES` (e.g. 100000).
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        // Integration tests have no lib.rs beside them to store regressions next to.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn cfg() -> Config {
    Config::custom("https://auth.example", "https://api.example").unwrap()
}

/// Keys a parser looks for, and some it does not.
const KEYS: &[&str] = &[
    "data",
    "attributes",
    "relationships",
    "included",
    "links",
    "next",
    "self",
    "id",
    "type",
    "statements",
    "more",
    "errors",
    "detail",
    "title",
    "code",
    "status",
    "source",
    "error",
    "error_description",
    "message",
    "access_token",
    "token_type",
    "expires_in",
    "scope",
    "operation",
    "path",
    "query",
    "filters",
    "limit",
    "ids",
    "body",
    "window",
    "start",
    "end",
    "employee-id",
    "created-at",
    "completed-at",
    "points-earned",
    "is-verified",
    "content-type",
    "duration",
    "duration-type",
    "privacy",
    "created_by",
    "manager",
    "user",
    "content",
    "provider",
    "external-id",
    "num-words",
    "rating",
    "view-count",
    "count",
    "i-s-b-n13",
    "authors",
    "actor",
    "verb",
    "object",
    "timestamp",
    "stored",
    "display",
    "objectType",
    "mbox",
    "sections",
    "groups-with-access-ids",
    "due-at",
    "logged-in-at",
    "",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// Strings shaped like what Degreed sends, and near misses.
fn shaped_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,12})?)?)?(Z|[+-][0-9]{2}:?[0-9]{2}|junk)?",
        "(Mon|Sun|Xyz), [0-9]{1,3} (Jan|Nov|Foo) [0-9]{1,6} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,3} (GMT|UTC|PST)",
        "-?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{1,4})?[smhdw]?",
        "(true|false|TRUE|yes|no|0|1|null|NaN|inf|-inf)",
        "(https?|ftp)://(api\\.example|evil\\.example|127\\.0\\.0\\.1:[0-9]{1,5})(/[a-zA-Z0-9%?&=#\\[\\]{}|^ .-]{0,30})?",
        "/[a-zA-Z0-9/%?&=#\\[\\]._-]{0,40}",
        "[a-z_]{0,12}(:|_)(read|write|all|admin)",
        Just("0001-01-01T00:00:00".to_owned()),
        Just("9999-12-31T23:59:60.9999999-23:59".to_owned()),
        any::<String>(),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        shaped_string().prop_map(Value::from),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Mostly scalars: what attribute values are.
fn attr_value() -> impl Strategy<Value = Value> {
    prop_oneof![4 => json_leaf(), 1 => arb_json()]
}

/// `{"data": ...}` with an identifier, a list of them, null or junk.
fn rel_data() -> impl Strategy<Value = Value> {
    let ident = || {
        (attr_value(), attr_value()).prop_map(|(id, ty)| serde_json::json!({"id": id, "type": ty}))
    };
    prop_oneof![
        ident(),
        prop::collection::vec(ident(), 0..3).prop_map(Value::Array),
        json_leaf(),
        arb_json(),
    ]
    .prop_map(|d| serde_json::json!({ "data": d }))
}

/// Relationships as Degreed sends them (array of single-key objects), as an object, or junk.
fn relationships() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec((key(), rel_data()), 0..4).prop_map(|kv| {
            Value::Array(
                kv.into_iter()
                    .map(|(k, v)| Value::Object(std::iter::once((k, v)).collect()))
                    .collect(),
            )
        }),
        prop::collection::vec((key(), rel_data()), 0..4)
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        arb_json(),
    ]
}

/// A JSON:API item with random attributes (no `included`).
fn flat_item() -> impl Strategy<Value = Value> {
    (
        prop::option::of(json_leaf()),
        prop::option::of(json_leaf()),
        prop::collection::vec((key(), attr_value()), 0..12),
    )
        .prop_map(|(id, ty, attrs)| {
            serde_json::json!({"id": id, "type": ty, "attributes": Value::Object(attrs.into_iter().collect())})
        })
}

/// A JSON:API-looking item with random values in the right places.
fn jsonapi_item() -> impl Strategy<Value = Value> {
    (
        prop::option::of(json_leaf()),
        prop::option::of(json_leaf()),
        prop::collection::vec((key(), attr_value()), 0..12),
        prop::option::of(relationships()),
        prop::option::of(prop::collection::vec(
            prop_oneof![flat_item(), arb_json()],
            0..3,
        )),
        prop::option::of(arb_json()),
    )
        .prop_map(|(id, ty, attrs, rels, included, links)| {
            let mut m = Map::new();
            if let Some(id) = id {
                m.insert("id".into(), id);
            }
            if let Some(ty) = ty {
                m.insert("type".into(), ty);
            }
            m.insert(
                "attributes".into(),
                Value::Object(attrs.into_iter().collect()),
            );
            if let Some(r) = rels {
                m.insert("relationships".into(), r);
            }
            if let Some(i) = included {
                m.insert("included".into(), Value::Array(i));
            }
            if let Some(l) = links {
                m.insert("links".into(), l);
            }
            Value::Object(m)
        })
}

fn any_item() -> impl Strategy<Value = Value> {
    prop_oneof![2 => jsonapi_item(), 1 => arb_json()]
}

fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        (arb_json(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            // Truncated JSON.
            let s = serde_json::to_vec(&v).unwrap();
            let n = cut.index(s.len() + 1);
            s[..n].to_vec()
        }),
        Just(b"<html><body>502 Bad Gateway</body></html>".to_vec()),
    ]
}

const HEADER_NAMES: &[&str] = &[
    "retry-after",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-request-id",
    "request-id",
    "content-type",
];

fn headers() -> impl Strategy<Value = HeaderMap> {
    prop::collection::vec(
        (
            prop::sample::select(HEADER_NAMES),
            prop_oneof![
                shaped_string().prop_map(String::into_bytes),
                prop::collection::vec(any::<u8>(), 0..40),
            ],
        ),
        0..6,
    )
    .prop_map(|pairs| {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_bytes(&value) {
                h.append(HeaderName::from_static(name), v);
            }
        }
        h
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(
            &[200u16, 201, 204, 400, 401, 403, 404, 409, 410, 429, 500, 502, 503][..]
        ),
        100u16..=999,
    ]
}

fn now() -> impl Strategy<Value = Timestamp> {
    (-100_000_000_000i64..300_000_000_000).prop_map(Timestamp::from_unix_millis)
}

/// Every error must be one of ours and printable, and its JSON form must build.
fn typed(e: &Error) {
    let _ = e.kind();
    let _ = e.to_string();
    let j = e.to_json();
    assert!(j["kind"].is_string());
}

macro_rules! all_models {
    ($mac:ident) => {
        $mac!(
            models::Resource,
            models::User,
            models::Content,
            models::Course,
            models::Article,
            models::Book,
            models::Video,
            models::Assessment,
            models::Podcast,
            models::Event,
            models::ContentSummary,
            models::ContentSkill,
            models::TodaysLearning,
            models::Completion,
            models::RequiredLearning,
            models::Recommendation,
            models::Pathway,
            models::PathwayTag,
            models::PathwayCollaborator,
            models::PathwayFollower,
            models::SkillPlan,
            models::SkillPlanFollower,
            models::Group,
            models::GroupMembership,
            models::SkillRating,
            models::UserSkill,
            models::CertifiableSkill,
            models::Login,
            models::View,
            models::SearchTerm,
            models::UserFollower,
            models::Provider,
            models::Licence,
            models::XapiStatement
        )
    };
}

fn decode_item_with_every_model(item: &Value) {
    macro_rules! each {
        ($($m:ty),*) => {$(
            match <$m as Model>::from_item(item) {
                Ok(m) => drop(m),
                Err(e) => {
                    typed(&e);
                    assert_eq!(e.kind(), ErrorKind::Decode, "{}: {e}", stringify!($m));
                }
            }
        )*};
    }
    all_models!(each);
}

fn decode_reply_with_every_model(reply: &Reply) {
    macro_rules! each {
        ($($m:ty),*) => {$(
            for r in [
                models::decode_list::<$m>(reply).map(drop),
                models::decode_one::<$m>(reply).map(drop),
            ] {
                if let Err(e) = r {
                    typed(&e);
                    assert_eq!(e.kind(), ErrorKind::Decode);
                }
            }
        )*};
    }
    all_models!(each);
}

/// `decode_page` of the body's bytes (compact and pretty) agrees with `decode_list` of its
/// tree: the same models (raw JSON included), or an error for both.
/// `text` (compact JSON) with JSON whitespace of random kinds and lengths after every
/// structural character outside strings.
fn spaced(text: &[u8], mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2);
    let (mut in_str, mut escaped) = (false, false);
    for &b in text {
        out.push(b);
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                for i in 0..(seed % 4) {
                    out.push([b' ', b'\n', b'\t', b'\r'][((seed >> (8 + 2 * i)) % 4) as usize]);
                }
            }
            _ => {}
        }
    }
    out
}

fn decode_bytes_with_every_model(reply: &Reply, seed: u64) {
    // Printed until printing what it parses to gives it back: serde_json's float parsing is
    // not exact, and a model's raw text is compared by the JSON it parses to.
    // Some extreme floats never settle (1.6347830107729562e305 and ...563e305 print as each
    // other): then only agreement on success or failure is checked.
    let mut body = reply.body.clone().unwrap();
    let mut stable = false;
    for _ in 0..4 {
        let again: Value = serde_json::from_slice(&serde_json::to_vec(&body).unwrap()).unwrap();
        stable = again == body;
        if stable {
            break;
        }
        body = again;
    }
    let compact = serde_json::to_vec(&body).unwrap();
    let texts = [
        spaced(&compact, seed | 1),
        serde_json::to_vec_pretty(&body).unwrap(),
        compact,
    ];
    // The tree the text parses to.
    let replies: Vec<Reply> = texts
        .iter()
        .map(|t| Reply {
            body: Some(serde_json::from_slice(t).unwrap()),
            ..reply.clone()
        })
        .collect();
    macro_rules! each {
        ($($m:ty),*) => {$(
            for (text, reply) in texts.iter().zip(&replies) {
                match (models::decode_page::<$m>(text), &models::decode_list::<$m>(reply)) {
                    (Ok(a), Ok(b)) => {
                        if stable {
                            assert_eq!(&a, b, "{}", stringify!($m));
                        }
                    }
                    (Err(e), Err(_)) => {
                        typed(&e);
                        assert_eq!(e.kind(), ErrorKind::Decode);
                    }
                    (a, b) => panic!("{}: bytes {a:?}, tree {b:?}", stringify!($m)),
                }
            }
        )*};
    }
    all_models!(each);
}

fn op_names() -> Vec<&'static str> {
    degreed::operations().map(|o| o.name).collect()
}

/// A request spec with random members around a real operation name.
fn spec_json() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            4 => prop::sample::select(op_names()).prop_map(Value::from),
            1 => json_leaf(),
        ],
        prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "path",
                        "query",
                        "filters",
                        "limit",
                        "attributes",
                        "relationships",
                        "ids",
                        "body",
                        "window",
                    ][..],
                ),
                prop_oneof![
                    arb_json(),
                    prop::collection::vec(shaped_string().prop_map(Value::from), 0..3)
                        .prop_map(Value::Array),
                    (shaped_string(), shaped_string()).prop_map(|(a, b)| {
                        serde_json::json!({"start": a, "end": b, "x": [a, b]})
                    }),
                ],
            ),
            0..6,
        ),
    )
        .prop_map(|(op, members)| {
            let mut m: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            m.insert("operation".into(), op);
            Value::Object(m)
        })
}

/// Prepares and converts a request if it is valid: neither may panic.
fn prepare_and_convert(req: &ApiRequest, config: &Config) {
    match req.prepare(config) {
        Ok(p) => {
            let http = p.to_http(&AccessToken::new("tok"));
            assert!(http.uri().host().is_some());
        }
        Err(e) => {
            typed(&e);
            assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn token_responses(status in status(), headers in headers(), body in body_bytes(),
                       now in now(), scoped in any::<bool>()) {
        let mut resp = http::Response::new(body);
        *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
        *resp.headers_mut() = headers;
        let requested = ScopeSet::parse("users:read").unwrap();
        match Token::from_response(&resp, scoped.then_some(&requested), now) {
            Ok(t) => { let _ = t.needs_refresh(now); let _ = format!("{t:?}"); }
            Err(e) => typed(&e),
        }
    }

    #[test]
    fn error_responses(status in status(), headers in headers(), body in body_bytes(), now in now()) {
        let api = api_error(status, &headers, &body);
        let _ = api.to_string();
        let e = error_for_status(status, &headers, &body, now);
        typed(&e);
        prop_assert_eq!(e.status(), Some(status));
    }

    #[test]
    fn json_bodies(status in status(), headers in headers(), body in body_bytes()) {
        if let Err(e) = parse_json(status, &headers, &body) {
            typed(&e);
            prop_assert_eq!(e.kind(), ErrorKind::Decode);
        }
    }

    #[test]
    fn pages_and_next_links(body in prop_oneof![arb_json(), jsonapi_item().prop_map(|i| serde_json::json!({"data": [i]}))],
                            next in prop::option::of(shaped_string()),
                            more in prop::option::of(shaped_string())) {
        let mut body = body;
        if let Value::Object(m) = &mut body {
            if let Some(n) = next { m.insert("links".into(), serde_json::json!({"next": n})); }
            if let Some(n) = more { m.insert("more".into(), Value::from(n)); }
        }
        let config = cfg();
        let list_ops = [
            degreed::operation("users.list").unwrap(),
            degreed::operation("xapi.statements.list").unwrap(),
            degreed::operation("users.get").unwrap(),
        ];
        for op in list_ops {
            match paging::read_page(op.paging, &body, &config, 200) {
                Ok(page) => {
                    if let Some(url) = page.next {
                        prop_assert!(config.is_api_origin(&url));
                        prepare_and_convert(&ApiRequest::for_url(op, url), &config);
                    }
                }
                Err(e) => { typed(&e); prop_assert_eq!(e.kind(), ErrorKind::Decode); }
            }
            let reply = Reply { operation: op, status: 200, request_id: None, rate_limit: None, body: Some(body.clone()) };
            let mut pager = degreed::Pager::new(ApiRequest::for_operation(op));
            let _ = pager.next_request();
            if let Err(e) = pager.on_reply(&reply, &config) { typed(&e); }
        }
        let _ = Paging::None;
    }

    #[test]
    fn normalize_anything(item in any_item()) {
        for case in [KeyCase::Snake, KeyCase::Camel] {
            let n = normalize(&item, case);
            if item.is_object() {
                prop_assert!(n["time_fields"].is_array());
            }
        }
    }

    #[test]
    fn every_model_from_any_item(item in any_item()) {
        decode_item_with_every_model(&item);
    }

    #[test]
    fn every_model_from_any_reply(items in prop::collection::vec(any_item(), 0..4),
                                  shape in 0u8..4, extra in arb_json(), seed in any::<u64>()) {
        let body = match shape {
            0 => serde_json::json!({"data": items}),
            1 => serde_json::json!({"statements": items, "more": extra}),
            2 => serde_json::json!({"data": items.first().cloned().unwrap_or(Value::Null)}),
            _ => extra,
        };
        let reply = Reply {
            operation: degreed::operation("users.list").unwrap(),
            status: 200,
            request_id: Some("r".into()),
            rate_limit: None,
            body: Some(body),
        };
        decode_reply_with_every_model(&reply);
        decode_bytes_with_every_model(&reply, seed);
    }

    #[test]
    fn pages_of_any_bytes(body in body_bytes()) {
        macro_rules! each {
            ($($m:ty),*) => {$(
                if let Err(e) = models::decode_page::<$m>(&body) {
                    typed(&e);
                    assert_eq!(e.kind(), ErrorKind::Decode);
                }
            )*};
        }
        all_models!(each);
    }

    #[test]
    fn timestamps_and_dates(s in shaped_string(), now in now()) {
        match Timestamp::parse(&s) {
            Ok(t) => {
                // Whatever parses prints and, within years 1-9999, re-parses to the same
                // instant (an offset can push 9999-12-31 into year 10000, which prints but
                // does not parse).
                let shown = t.to_string();
                if (1..=9999).contains(&t.date().year()) {
                    prop_assert_eq!(Timestamp::parse(&shown).unwrap(), t);
                }
                let _ = models::normalize_time(&s);
            }
            Err(e) => { typed(&e); prop_assert_eq!(e.kind(), ErrorKind::InvalidRequest); }
        }
        if let Err(e) = Timestamp::parse_http_date(&s) { typed(&e); }
        match Date::from_str(&s) {
            Ok(d) => prop_assert_eq!(Date::from_str(&d.to_string()).unwrap(), d),
            Err(e) => typed(&e),
        }
        let _ = parse_retry_after(&s, now);
        let _ = parse_period(&s);
        match Scope::from_str(&s) {
            Ok(scope) => prop_assert_eq!(Scope::from_str(&scope.to_string()).unwrap(), scope),
            Err(e) => typed(&e),
        }
        let _ = ScopeSet::parse(&s);
    }

    #[test]
    fn any_string_parsers(s in any::<String>(), now in now()) {
        if let Err(e) = Timestamp::parse(&s) { typed(&e); }
        if let Err(e) = Timestamp::parse_http_date(&s) { typed(&e); }
        if let Err(e) = Date::from_str(&s) { typed(&e); }
        if let Err(e) = Scope::from_str(&s) { typed(&e); }
        let _ = parse_retry_after(&s, now);
        let _ = parse_period(&s);
        let _ = models::normalize_time(&s);
        let _ = models::convert_key(&s, KeyCase::Camel);
        let _ = models::is_time_field(&s);
    }

    #[test]
    fn rate_limit_headers(headers in headers()) {
        if let Some(rl) = RateLimit::from_headers(&headers) {
            let mut pacer = degreed::Pacer::new(Some(70));
            let t = Timestamp::from_unix_millis(0);
            pacer.observe(rl, t);
            let _ = pacer.delay(t);
        }
    }

    #[test]
    fn request_specs(spec in prop_oneof![4 => spec_json(), 1 => arb_json()]) {
        let config = cfg();
        let tenant = cfg().with_organization_code("ACME").unwrap();
        match spec::request_from_spec(&spec) {
            Ok(req) => {
                prepare_and_convert(&req, &config);
                prepare_and_convert(&req, &tenant);
            }
            Err(e) => { typed(&e); prop_assert_eq!(e.kind(), ErrorKind::InvalidRequest); }
        }
        match spec::pager_from_spec(&spec) {
            Ok(mut pager) => {
                if let Some(req) = pager.next_request() { prepare_and_convert(&req, &config); }
            }
            Err(e) => typed(&e),
        }
    }

    #[test]
    fn typed_builders_with_odd_input(id in any::<String>(), text in any::<String>(),
                                     n in any::<i64>(), f in any::<f64>(), limit in any::<u32>()) {
        use degreed::ops;
        let config = cfg();
        prepare_and_convert(&ops::users::get(id.as_str()), &config);
        prepare_and_convert(&ops::users::get(ops::users::UserIdentifier::Email(&id)), &config);
        prepare_and_convert(&ops::content::list().external_id(text.clone()).term(text.clone()).limit(limit).build(), &config);
        prepare_and_convert(&ops::groups::users::list(&id).limit(limit).build(), &config);
        let course = ops::content::NewCourse {
            title: text.clone(),
            external_id: id.clone(),
            duration: f,
            duration_type: models::DurationType::parse(&text),
            ..Default::default()
        };
        match ops::content::courses::create(course) {
            Ok(r) => prepare_and_convert(&r, &config),
            Err(e) => { typed(&e); prop_assert_eq!(e.kind(), ErrorKind::InvalidRequest); }
        }
        let article = ops::content::NewArticle {
            title: text.clone(), external_id: id.clone(), url: text.clone(), num_words: n,
            ..Default::default()
        };
        if let Err(e) = ops::content::articles::create(article) { typed(&e); }
        match ops::groups::members::add(&id, [text.as_str(), id.as_str()]) {
            Ok(r) => prepare_and_convert(&r, &config),
            Err(e) => typed(&e),
        }
        let _ = ops::xapi::statements::create(Value::from(text.clone()));
    }
}
