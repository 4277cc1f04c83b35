//! The `Call` state machine, driven by a scripted fake driver with a fake clock: no network.
//!
//! Every test scripts the server's answers (or connection failures) in order, runs the same
//! loop a real driver runs, and then checks what was sent, how long the driver was told to
//! wait, and what came out.

use std::collections::VecDeque;
use std::time::Duration;

use degreed::{
    ApiRequest, Call, Config, Credentials, Error, ErrorKind, Failure, Pager, Reply, RetryPolicy,
    ScopeSet, Session, SessionOptions, Step, Timestamp,
};
use serde_json::{json, Value};

const SECRET: &str = "s3cr3t-client-value";
const TOKEN_1: &str = "tok-AAAA-1111";
const TOKEN_2: &str = "tok-BBBB-2222";

// ---------------------------------------------------------------------------------------------
// The fake driver
// ---------------------------------------------------------------------------------------------

/// What the fake server does with the next request.
enum Outcome {
    Respond(http::Response<Vec<u8>>),
    Fail(Failure),
}

/// What the driver did, in order.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    /// A request to the token endpoint.
    Token,
    /// An API request: method, path and query, and the bearer token it carried.
    Api {
        method: String,
        target: String,
        bearer: String,
    },
    /// A sleep.
    Wait(Duration),
}

impl Event {
    fn is_api(&self) -> bool {
        matches!(self, Event::Api { .. })
    }
}

/// A session plus a fake clock, a fixed "random" value and a script of answers.
struct Driver {
    session: Session,
    now: Timestamp,
    random: f64,
    script: VecDeque<Outcome>,
    log: Vec<Event>,
    /// The `scope` of every token request, in order.
    token_scopes: Vec<String>,
}

fn config() -> Config {
    // A deadline far away, so the tests of waits are not cut short by it (the deadline has
    // tests of its own below).
    Config::custom("https://auth.example", "https://api.example")
        .unwrap()
        .with_timeout(Duration::from_secs(3 * 24 * 3600))
        .unwrap()
}

fn start_time() -> Timestamp {
    Timestamp::parse("2024-03-01T12:00:00Z").unwrap()
}

impl Driver {
    fn new(options: SessionOptions) -> Self {
        Driver {
            session: Session::new(config(), Credentials::new("client-1", SECRET), options),
            now: start_time(),
            random: 0.5,
            script: VecDeque::new(),
            log: Vec::new(),
            token_scopes: Vec::new(),
        }
    }

    fn default() -> Self {
        Driver::new(SessionOptions::default())
    }

    /// Queues answers for the following requests.
    fn script(&mut self, outcomes: impl IntoIterator<Item = Outcome>) -> &mut Self {
        self.script.extend(outcomes);
        self
    }

    fn advance(&mut self, d: Duration) {
        self.now = self.now.add(d);
    }

    /// Records a `Send` and returns the scripted outcome for it.
    fn send(&mut self, req: &http::Request<Vec<u8>>) -> Outcome {
        let url = req.uri().to_string();
        if url == "https://auth.example/oauth/token" {
            assert_eq!(req.method(), http::Method::POST);
            // The reference marks `scope` required: every token request of every test
            // names a non-empty scope list.
            let scope = url::form_urlencoded::parse(req.body())
                .find(|(k, _)| k == "scope")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            assert!(!scope.is_empty(), "a token request without scope");
            self.token_scopes.push(scope);
            self.log.push(Event::Token);
        } else {
            let bearer = req
                .headers()
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default()
                .to_owned();
            let target = url
                .strip_prefix("https://api.example")
                .unwrap_or_else(|| panic!("request to an unexpected origin: {url}"))
                .to_owned();
            self.log.push(Event::Api {
                method: req.method().to_string(),
                target,
                bearer,
            });
        }
        self.script
            .pop_front()
            .unwrap_or_else(|| panic!("unscripted request {} {url}", req.method()))
    }

    /// One poll, with the driver's side effects (send, sleep) applied; `Some` when done.
    fn step(&mut self, call: &mut Call) -> Option<Result<Reply, Error>> {
        match call.poll(&mut self.session, self.now, self.random) {
            Step::Send(req) => {
                match self.send(&req) {
                    Outcome::Respond(resp) => call.receive(&mut self.session, resp, self.now),
                    Outcome::Fail(f) => {
                        call.fail(&mut self.session, f, "connection reset", self.now)
                    }
                }
                None
            }
            Step::Wait(d) => {
                assert!(d > Duration::ZERO, "a zero wait would spin");
                self.log.push(Event::Wait(d));
                self.advance(d);
                None
            }
            Step::Done(result) => Some(result),
        }
    }

    /// The whole driver loop for one request.
    fn run(&mut self, request: &ApiRequest) -> Result<Reply, Error> {
        let mut call = self.session.call(request)?;
        for _ in 0..1000 {
            if let Some(result) = self.step(&mut call) {
                if let Err(e) = &result {
                    assert_no_secret(e);
                }
                return result;
            }
        }
        panic!("the call did not finish in 1000 steps: {:?}", self.log);
    }

    fn api_events(&self) -> Vec<&Event> {
        self.log.iter().filter(|e| e.is_api()).collect()
    }

    fn waits(&self) -> Vec<Duration> {
        self.log
            .iter()
            .filter_map(|e| match e {
                Event::Wait(d) => Some(*d),
                _ => None,
            })
            .collect()
    }

    fn kinds(&self) -> String {
        self.log
            .iter()
            .map(|e| match e {
                Event::Token => "T".to_owned(),
                Event::Api { .. } => "A".to_owned(),
                Event::Wait(d) => format!("W{}", d.as_secs_f64()),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn assert_no_secret(e: &Error) {
    for shown in [e.to_string(), format!("{e:?}"), e.to_json().to_string()] {
        for secret in [SECRET, TOKEN_1, TOKEN_2] {
            assert!(!shown.contains(secret), "secret in error: {shown}");
        }
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).unwrap()
}

fn respond(status: u16, body: &str) -> Outcome {
    Outcome::Respond(response(
        status,
        &[("content-type", "application/json")],
        body,
    ))
}

fn respond_with(status: u16, headers: &[(&str, &str)], body: &str) -> Outcome {
    Outcome::Respond(response(status, headers, body))
}

fn token(access_token: &str, ttl: u64) -> Outcome {
    respond(
        200,
        &json!({"access_token": access_token, "token_type": "bearer", "expires_in": ttl})
            .to_string(),
    )
}

fn users_page(ids: &[&str], next: Value) -> Outcome {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({"type": "users", "id": id, "attributes": {"first-name": id}}))
        .collect();
    let mut body = json!({ "data": data });
    if !next.is_null() {
        body["links"] = json!({ "next": next });
    }
    respond(200, &body.to_string())
}

fn ok_user() -> Outcome {
    respond(
        200,
        r#"{"data": {"type": "users", "id": "u1", "attributes": {"first-name": "Ada"}}}"#,
    )
}

fn created_user() -> Outcome {
    respond(
        201,
        r#"{"data": {"type": "users", "id": "u9", "attributes": {"first-name": "New"}}}"#,
    )
}

fn list_users() -> ApiRequest {
    ApiRequest::new("users.list").unwrap()
}

fn get_user() -> ApiRequest {
    ApiRequest::new("users.get").unwrap().path_param("u1")
}

fn create_user() -> ApiRequest {
    ApiRequest::new("users.create").unwrap().attributes(
        json!({"employee_id": "E9", "first_name": "New", "last_name": "User",
            "organization_email": "new@example.com"}),
    )
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

#[test]
fn token_is_fetched_once_and_cached_across_calls() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600), ok_user(), ok_user(), ok_user()]);
    for _ in 0..3 {
        let reply = d.run(&get_user()).unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.data().unwrap()["id"], "u1");
    }
    assert_eq!(d.kinds(), "T A A A");
    for e in d.api_events() {
        assert_eq!(
            e,
            &Event::Api {
                method: "GET".into(),
                target: "/api/v2/users/u1".into(),
                bearer: TOKEN_1.into()
            }
        );
    }
    let stats = d.session.stats();
    assert_eq!(
        (stats.token_requests, stats.requests, stats.retries),
        (1, 3, 0)
    );
}

#[test]
fn token_is_refreshed_ahead_of_expiry() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600), ok_user()]);
    d.run(&get_user()).unwrap();
    // 301 s before expiry: outside the 300 s margin, the cached token is still used.
    d.advance(secs(3600.0 - 301.0));
    d.script([ok_user()]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T A A");
    // Inside the margin: a new token is fetched before the request is sent.
    d.advance(secs(2.0));
    d.script([token(TOKEN_2, 3600), ok_user()]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T A A T A");
    let Event::Api { bearer, .. } = d.log.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(bearer, TOKEN_2);
    assert_eq!(d.session.stats().token_requests, 2);
}

#[test]
fn one_refresh_on_401_then_success() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond(401, r#"{"errors":[{"detail":"token revoked"}]}"#),
        token(TOKEN_2, 3600),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T A T A");
    let bearers: Vec<_> = d
        .api_events()
        .into_iter()
        .map(|e| match e {
            Event::Api { bearer, .. } => bearer.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(bearers, [TOKEN_1, TOKEN_2]);
    assert_eq!(d.session.stats().retries, 1);
}

#[test]
fn a_second_401_is_an_authentication_error() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond(401, "{}"),
        token(TOKEN_2, 3600),
        respond(401, r#"{"errors":[{"detail":"still no"}]}"#),
    ]);
    let e = d.run(&create_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
    assert_eq!(e.status(), Some(401));
    assert!(e.to_string().contains("still no"), "{e}");
    assert_eq!(d.kinds(), "T A T A", "exactly one refresh");
}

#[test]
fn token_endpoint_403_is_authentication_without_the_secret() {
    let mut d = Driver::default();
    d.script([respond(
        403,
        r#"{"error":"invalid_client","error_description":"Invalid client credentials"}"#,
    )]);
    let e = d.run(&ApiRequest::new("groups.list").unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.status(), Some(403));
    assert!(e.to_string().contains("Invalid client credentials"), "{e}");
    assert_no_secret(&e);
    assert_eq!(d.kinds(), "T", "not retried, no API request");
    let shown = format!("{:?}", d.session);
    assert!(!shown.contains(SECRET), "{shown}");
    // An operation several scopes allow tries each before giving up (the key may hold
    // only another of them).
    let mut d = Driver::default();
    let refused = || respond(403, r#"{"error":"invalid_scope"}"#);
    d.script([refused(), refused()]);
    let e = d.run(&list_users()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(d.token_scopes, ["users:read", "users:write"]);
    d.script([refused(), token(TOKEN_1, 3600), ok_user()]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.token_scopes[2..], ["users:read", "users:write"]);
    // Once a token was granted, a refused wider token is a missing scope; the session
    // keeps the granted one for the calls it allows.
    d.script([refused()]);
    let e = d.run(&ApiRequest::new("groups.list").unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert_eq!(e.missing_scope().unwrap().to_string(), "groups:read");
    assert_eq!(d.token_scopes[4], "groups:read,users:write");
    d.script([ok_user()]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.token_scopes.len(), 5);
}

#[test]
fn token_endpoint_5xx_is_retried() {
    let mut d = Driver::default();
    d.script([
        respond(503, ""),
        Outcome::Fail(Failure::MaybeSent),
        token(TOKEN_1, 3600),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T W0.25 T W0.5 T A");
}

// ---------------------------------------------------------------------------------------------
// Scopes
// ---------------------------------------------------------------------------------------------

#[test]
fn scope_outside_the_session_scopes_is_refused_before_sending() {
    let mut d = Driver::new(SessionOptions {
        scopes: Some(ScopeSet::parse("users:read,completions:write").unwrap()),
        ..SessionOptions::default()
    });
    let e = d.session.call(&create_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert_eq!(e.missing_scope().unwrap().to_string(), "users:write");
    assert!(e.to_string().contains("users:write"), "{e}");
    assert!(e.to_string().contains("users.create"), "{e}");
    assert_eq!(e.status(), None, "nothing was sent");
    let e = d.run(&ApiRequest::new("groups.list").unwrap()).unwrap_err();
    assert!(e.to_string().contains("groups:read"), "{e}");
    assert!(d.log.is_empty(), "no Send step at all: {:?}", d.log);
    assert_eq!(d.session.stats().token_requests, 0);
    // A write scope covers the read only where Degreed documents it (content, xAPI).
    let e = d
        .run(&ApiRequest::new("completions.list").unwrap())
        .unwrap_err();
    assert_eq!(e.missing_scope().unwrap().to_string(), "completions:read");
    let mut d = Driver::new(SessionOptions {
        scopes: Some(ScopeSet::parse("content:write,users:read").unwrap()),
        ..SessionOptions::default()
    });
    d.script([token(TOKEN_1, 3600), respond(200, r#"{"data": []}"#)]);
    d.run(&ApiRequest::new("content.list").unwrap()).unwrap();
    assert_eq!(d.token_scopes, ["content:write,users:read"]);
    // A call whose scope is uncertain is sent when the client holds one of the scopes
    // that may allow it (the server decides).
    d.script([respond(200, r#"{"data": []}"#)]);
    d.run(
        &ApiRequest::new("users.completions.list")
            .unwrap()
            .path_param("u1"),
    )
    .unwrap();
    assert_eq!(d.api_events().len(), 2);
    let e = d
        .session
        .call(&ApiRequest::new("logins.list").unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("the scope `logins:read`"), "{e}");
    let e = d
        .session
        .call(&ApiRequest::new("certifiable_skills.list").unwrap())
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("one of the scopes `skill:read|user_skills:read|skill_ratings:read`"),
        "{e}"
    );
}

#[test]
fn without_caller_scopes_tokens_ask_for_what_the_calls_need() {
    let mut d = Driver::default();
    // The first token asks for the first call's scope.
    d.script([token(TOKEN_1, 3600), ok_user()]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.token_scopes, ["users:read"]);
    // A call the token's scopes allow reuses it.
    d.script([respond(200, r#"{"data": []}"#)]);
    d.run(
        &ApiRequest::new("users.completions.list")
            .unwrap()
            .path_param("u1"),
    )
    .unwrap();
    assert_eq!(
        d.token_scopes.len(),
        1,
        "users:read allows the per-user list"
    );
    // A call that needs more gets a new token for the union, not only its own scope.
    d.script([token(TOKEN_2, 3600), respond(200, r#"{"data": []}"#)]);
    d.run(&ApiRequest::new("groups.list").unwrap()).unwrap();
    assert_eq!(d.token_scopes, ["users:read", "groups:read,users:read"]);
    let bearers: Vec<&str> = d
        .api_events()
        .iter()
        .map(|e| match e {
            Event::Api { bearer, .. } => bearer.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(bearers, [TOKEN_1, TOKEN_1, TOKEN_2]);
    // The earlier scopes stay: no new token for a users call.
    d.script([ok_user()]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.token_scopes.len(), 2);
    // After a 401 the new token asks for the same union.
    d.script([
        respond(401, "{}"),
        token(TOKEN_1, 3600),
        respond(200, r#"{"data": []}"#),
    ]);
    d.run(&ApiRequest::new("groups.list").unwrap()).unwrap();
    assert_eq!(d.token_scopes[2], "groups:read,users:read");
    // A custom request (scope unknown) uses the token there is.
    d.script([respond(200, r#"{"data": []}"#)]);
    d.run(&ApiRequest::custom(
        degreed::catalog::Method::Get,
        "/api/v2/badges",
    ))
    .unwrap();
    assert_eq!(d.token_scopes.len(), 3);
    // As the first call of a client without scopes, it cannot name a scope: refused
    // before anything is sent.
    let mut d = Driver::default();
    let e = d
        .run(&ApiRequest::custom(
            degreed::catalog::Method::Get,
            "/api/v2/badges",
        ))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.to_string().contains("give the client `scopes`"), "{e}");
    assert!(d.log.is_empty());
}

#[test]
fn token_scope_narrower_than_needed_is_refused() {
    let mut d = Driver::default();
    d.script([respond(
        200,
        r#"{"access_token": "tok-AAAA-1111", "expires_in": 3600, "scope": "users:read content:read"}"#,
    )]);
    let e = d.run(&create_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert_eq!(e.missing_scope().unwrap().to_string(), "users:write");
    assert_eq!(d.kinds(), "T", "refused before the API request");
    // What the token does carry still works.
    d.script([ok_user()]);
    d.run(&get_user()).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[test]
fn retry_after_429_waits_then_retries() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(
            429,
            &[("retry-after", "3")],
            r#"{"errors":[{"code":"quota-exceeded"}]}"#,
        ),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T A W3 A");
    let s = d.session.stats();
    assert_eq!((s.rate_limited, s.retries, s.requests), (1, 1, 2));
}

#[test]
fn a_429_on_post_is_retried_too() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(429, &[("retry-after", "1")], ""),
        created_user(),
    ]);
    assert_eq!(d.run(&create_user()).unwrap().status, 201);
    assert_eq!(d.kinds(), "T A W1 A");
}

#[test]
fn a_429_blocks_the_other_calls_too() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600)]);
    let mut a = d.session.call(&get_user()).unwrap();
    let mut b = d.session.call(&list_users()).unwrap();
    d.step(&mut a); // token
    let Step::Send(_) = a.poll(&mut d.session, d.now, 0.5) else {
        panic!("a should send")
    };
    a.receive(
        &mut d.session,
        response(429, &[("retry-after", "3")], ""),
        d.now,
    );
    // `b` has not been rate limited itself, but must wait the same 3 s.
    match b.poll(&mut d.session, d.now, 0.5) {
        Step::Wait(w) => assert_eq!(w, secs(3.0)),
        other => panic!("expected Wait, got {other:?}"),
    }
    d.advance(secs(1.0));
    match b.poll(&mut d.session, d.now, 0.5) {
        Step::Wait(w) => assert_eq!(w, secs(2.0)),
        other => panic!("expected Wait, got {other:?}"),
    }
    d.advance(secs(2.0));
    assert!(matches!(b.poll(&mut d.session, d.now, 0.5), Step::Send(_)));
}

#[test]
fn retry_after_as_http_date() {
    let mut d = Driver::default();
    d.now = Timestamp::parse("1994-11-06T08:49:30Z").unwrap();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(503, &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")], ""),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T A W7 A");
}

#[test]
fn retry_after_is_clamped() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(429, &[("retry-after", "86400")], ""),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.waits(), [RetryPolicy::default().max_retry_after]);
}

#[test]
fn server_errors_are_retried_for_get_not_for_post() {
    for status in [500, 502, 503, 504] {
        let mut d = Driver::default();
        d.script([token(TOKEN_1, 3600), respond(status, "oops"), ok_user()]);
        d.run(&get_user()).unwrap();
        assert_eq!(d.api_events().len(), 2, "GET retried after {status}");

        let mut d = Driver::default();
        d.script([token(TOKEN_1, 3600), respond(status, "oops")]);
        let e = d.run(&create_user()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert_eq!(e.status(), Some(status));
        assert_eq!(d.api_events().len(), 1, "POST not retried after {status}");
        assert!(d.script.is_empty());
    }
    // PATCH and DELETE are idempotent: retried.
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600), respond(503, ""), respond(204, "")]);
    let reply = d
        .run(&ApiRequest::new("users.delete").unwrap().path_param("u1"))
        .unwrap();
    assert_eq!((reply.status, reply.body.clone()), (204, None));
    assert_eq!(d.api_events().len(), 2);
}

#[test]
fn other_client_errors_are_not_retried() {
    for (status, kind) in [
        (400, ErrorKind::InvalidRequest),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (501, ErrorKind::Server),
    ] {
        let mut d = Driver::default();
        d.script([
            token(TOKEN_1, 3600),
            respond(status, r#"{"errors":[{"detail":"nope"}]}"#),
        ]);
        let e = d.run(&get_user()).unwrap_err();
        assert_eq!(e.kind(), kind, "{status}");
        assert_eq!(d.kinds(), "T A", "{status}");
    }
}

#[test]
fn not_sent_is_retried_even_for_post() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        Outcome::Fail(Failure::NotSent),
        created_user(),
    ]);
    assert_eq!(d.run(&create_user()).unwrap().status, 201);
    assert_eq!(d.kinds(), "T A W0.25 A");
}

#[test]
fn maybe_sent_on_post_is_not_retried_and_may_have_been_applied() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600), Outcome::Fail(Failure::MaybeSent)]);
    let e = d.run(&create_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(
        matches!(
            e,
            Error::Transport {
                maybe_applied: true,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.to_json()["maybe_applied"], true);
    assert!(e.to_string().contains("connection reset"), "{e}");
    assert_eq!(d.kinds(), "T A");

    // The same failure on a GET is retried; a GET that finally fails was not "applied".
    let mut d = Driver::new(SessionOptions {
        retry: RetryPolicy {
            max_retries: 1,
            ..RetryPolicy::default()
        },
        ..SessionOptions::default()
    });
    d.script([
        token(TOKEN_1, 3600),
        Outcome::Fail(Failure::MaybeSent),
        Outcome::Fail(Failure::MaybeSent),
    ]);
    let e = d.run(&get_user()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                maybe_applied: false,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(d.api_events().len(), 2);
}

#[test]
fn retries_stop_at_max_retries() {
    for max in [0, 1, 3] {
        let mut d = Driver::new(SessionOptions {
            retry: RetryPolicy {
                max_retries: max,
                ..RetryPolicy::default()
            },
            ..SessionOptions::default()
        });
        d.script([token(TOKEN_1, 3600)]);
        // (502: a 503 gets Degreed's maintenance waits once the retries are used up.)
        d.script((0..=max).map(|_| respond(502, "busy")));
        let mut call = d.session.call(&get_user()).unwrap();
        let result = loop {
            if let Some(r) = d.step(&mut call) {
                break r;
            }
        };
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Server);
        assert_eq!(call.retries(), max);
        assert_eq!(d.api_events().len() as u32, max + 1);
        assert_eq!(d.session.stats().retries, u64::from(max));
    }
}

#[test]
fn backoff_grows_is_capped_and_uses_the_random_input() {
    let policy = RetryPolicy {
        max_retries: 5,
        base_delay: secs(1.0),
        max_delay: secs(4.0),
        max_retry_after: secs(60.0),
        ..RetryPolicy::default()
    };
    let run = |random: f64| {
        let mut d = Driver::new(SessionOptions {
            retry: policy,
            ..SessionOptions::default()
        });
        d.random = random;
        d.script([token(TOKEN_1, 3600)]);
        d.script((0..5).map(|_| respond(502, "")));
        d.script([ok_user()]);
        d.run(&get_user()).unwrap();
        d.waits()
    };
    // min(max, base × 2^n) × random: 1, 2, 4, 4, 4 (capped), scaled by random.
    assert_eq!(
        run(0.5),
        [secs(0.5), secs(1.0), secs(2.0), secs(2.0), secs(2.0)]
    );
    assert_eq!(
        run(0.25),
        [secs(0.25), secs(0.5), secs(1.0), secs(1.0), secs(1.0)]
    );
    // A random value near 0 still waits a tenth of the base.
    assert_eq!(run(0.0), [secs(0.1); 5]);
}

#[test]
fn garbled_success_body_is_retried_for_get_and_a_decode_error_for_post() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond(200, r#"{"data": [{"id": "u1""#),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.api_events().len(), 2);

    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600), respond(201, "<html>proxy</html>")]);
    let e = d.run(&create_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.status(), Some(201));
    assert!(e.to_string().contains("<html>proxy</html>"), "{e}");
    assert_eq!(d.api_events().len(), 1, "a POST is never repeated");
}

/// `Error::maybe_applied` is the one answer to "look before sending this write again?": true
/// for a POST that got no answer, a 5xx or an unreadable 2xx; false for reads, idempotent
/// writes (retried by the core) and refusals, whatever the kind.
#[test]
fn maybe_applied_is_true_only_for_a_write_whose_outcome_is_unknown() {
    let patch = || {
        ApiRequest::new("users.update")
            .unwrap()
            .path_param("u1")
            .attributes(json!({"first_name": "X"}))
    };
    let no_retry = || {
        Driver::new(SessionOptions {
            retry: RetryPolicy {
                max_retries: 0,
                ..RetryPolicy::default()
            },
            ..SessionOptions::default()
        })
    };
    let cases: Vec<(&str, ApiRequest, Outcome, ErrorKind, bool)> = vec![
        (
            "POST, no answer",
            create_user(),
            Outcome::Fail(Failure::MaybeSent),
            ErrorKind::Transport,
            true,
        ),
        (
            "POST, not sent",
            create_user(),
            Outcome::Fail(Failure::NotSent),
            ErrorKind::Transport,
            false,
        ),
        (
            "POST, 500",
            create_user(),
            respond(500, "oops"),
            ErrorKind::Server,
            true,
        ),
        (
            "POST, 503",
            create_user(),
            respond(503, ""),
            ErrorKind::Server,
            true,
        ),
        (
            "POST, 201 unreadable",
            create_user(),
            respond(201, "<html>"),
            ErrorKind::Decode,
            true,
        ),
        (
            "POST, 409",
            create_user(),
            respond(409, "taken"),
            ErrorKind::Conflict,
            false,
        ),
        (
            "POST, 400",
            create_user(),
            respond(400, "bad"),
            ErrorKind::InvalidRequest,
            false,
        ),
        (
            "GET, no answer",
            get_user(),
            Outcome::Fail(Failure::MaybeSent),
            ErrorKind::Transport,
            false,
        ),
        (
            "GET, 500",
            get_user(),
            respond(500, "oops"),
            ErrorKind::Server,
            false,
        ),
        (
            "GET, 200 unreadable",
            get_user(),
            respond(200, "<html>"),
            ErrorKind::Decode,
            false,
        ),
        (
            "PATCH, 500",
            patch(),
            respond(500, "oops"),
            ErrorKind::Server,
            false,
        ),
        (
            "PATCH, no answer",
            patch(),
            Outcome::Fail(Failure::MaybeSent),
            ErrorKind::Transport,
            false,
        ),
    ];
    for (name, request, outcome, kind, want) in cases {
        let mut d = no_retry();
        d.script([token(TOKEN_1, 3600), outcome]);
        let e = d.run(&request).unwrap_err();
        assert_eq!(e.kind(), kind, "{name}: {e:?}");
        assert_eq!(e.maybe_applied(), want, "{name}: {e:?}");
        assert_eq!(e.to_json()["maybe_applied"], want, "{name}");
    }
    // A write's 2xx that parses but is not the expected resource: applied, result unknown.
    let reply = Reply {
        operation: degreed::catalog::operation("users.create").unwrap(),
        status: 201,
        request_id: None,
        rate_limit: None,
        body: Some(json!({"data": "u9"})),
    };
    let e = degreed::models::decode_one::<degreed::models::User>(&reply).unwrap_err();
    assert!(e.maybe_applied(), "{e:?}");
    let read = Reply {
        operation: degreed::catalog::operation("users.get").unwrap(),
        ..reply
    };
    let e = degreed::models::decode_one::<degreed::models::User>(&read).unwrap_err();
    assert!(!e.maybe_applied(), "{e:?}");
}

// ---------------------------------------------------------------------------------------------
// Sharing one session
// ---------------------------------------------------------------------------------------------

#[test]
fn concurrent_calls_share_one_token_request() {
    let mut d = Driver::default();
    let mut a = d.session.call(&get_user()).unwrap();
    let mut b = d.session.call(&list_users()).unwrap();
    let Step::Send(req) = a.poll(&mut d.session, d.now, 0.5) else {
        panic!("a fetches the token")
    };
    assert_eq!(req.uri(), "https://auth.example/oauth/token");
    // While `a` fetches, `b` waits rather than asking for a second token.
    for _ in 0..3 {
        let Step::Wait(w) = b.poll(&mut d.session, d.now, 0.5) else {
            panic!("b should wait for a's token request")
        };
        assert!(w > Duration::ZERO && w < secs(1.0), "{w:?}");
        d.advance(w);
    }
    let Outcome::Respond(resp) = token(TOKEN_1, 3600) else {
        unreachable!()
    };
    a.receive(&mut d.session, resp, d.now);
    let Step::Send(req_b) = b.poll(&mut d.session, d.now, 0.5) else {
        panic!("b sends with the shared token")
    };
    assert_eq!(req_b.headers()["authorization"], "Bearer tok-AAAA-1111");
    let Step::Send(req_a) = a.poll(&mut d.session, d.now, 0.5) else {
        panic!("a sends")
    };
    assert_eq!(req_a.uri(), "https://api.example/api/v2/users/u1");
    assert_eq!(d.session.stats().token_requests, 1);
}

#[test]
fn a_failed_token_request_lets_the_waiting_call_try_itself() {
    let mut d = Driver::default();
    let one = ApiRequest::new("completions.get").unwrap().path_param("c1");
    let mut a = d.session.call(&one).unwrap();
    let mut b = d.session.call(&one).unwrap();
    assert!(matches!(a.poll(&mut d.session, d.now, 0.5), Step::Send(_)));
    assert!(matches!(b.poll(&mut d.session, d.now, 0.5), Step::Wait(_)));
    a.receive(&mut d.session, response(403, &[], "{}"), d.now);
    assert!(matches!(
        a.poll(&mut d.session, d.now, 0.5),
        Step::Done(Err(Error::Authentication(_)))
    ));
    let Step::Send(req) = b.poll(&mut d.session, d.now, 0.5) else {
        panic!("b fetches a token itself")
    };
    assert_eq!(req.uri(), "https://auth.example/oauth/token");
}

// ---------------------------------------------------------------------------------------------
// Pacing
// ---------------------------------------------------------------------------------------------

fn rate_headers(remaining: u32, reset: Timestamp) -> Vec<(&'static str, String)> {
    vec![
        ("x-rate-limit-limit", "1m".to_owned()),
        ("x-rate-limit-remaining", remaining.to_string()),
        ("x-rate-limit-reset", reset.to_string()),
    ]
}

fn ok_with_rate(remaining: u32, reset: Timestamp) -> Outcome {
    let headers = rate_headers(remaining, reset);
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    respond_with(200, &pairs, r#"{"data": []}"#)
}

#[test]
fn pacer_spreads_requests_when_the_server_says_few_are_left() {
    let mut d = Driver::default();
    let reset = d.now.add(secs(60.0));
    d.script([token(TOKEN_1, 3600), ok_with_rate(70, reset)]);
    d.run(&list_users()).unwrap();
    // Plenty left: no waiting.
    d.script([ok_with_rate(69, reset)]);
    d.run(&list_users()).unwrap();
    assert!(d.waits().is_empty(), "{}", d.kinds());
    // 2 left with 60 s to go: the next request waits for its share (60 s / 3).
    d.script([ok_with_rate(2, reset), ok_with_rate(1, reset)]);
    d.run(&list_users()).unwrap();
    let before = d.now;
    let reply = d.run(&list_users()).unwrap();
    assert_eq!(reply.rate_limit.unwrap().remaining, Some(1));
    assert_eq!(d.waits(), [secs(20.0)]);
    assert_eq!(d.now.duration_since(before), secs(20.0));
    // None left: wait for the reset.
    d.script([
        ok_with_rate(0, reset),
        ok_with_rate(70, reset.add(secs(60.0))),
    ]);
    d.run(&list_users()).unwrap();
    d.run(&list_users()).unwrap();
    let last_wait = *d.waits().last().unwrap();
    assert_eq!(d.now, reset, "waited until the reset ({last_wait:?})");
    assert_eq!(d.kinds().matches('A').count(), 6);
}

#[test]
fn requests_per_minute_budget_is_shared_by_all_calls() {
    let mut d = Driver::new(SessionOptions {
        requests_per_minute: Some(3),
        ..SessionOptions::default()
    });
    d.script([token(TOKEN_1, 3600)]);
    d.script((0..5).map(|_| ok_user()));
    for _ in 0..5 {
        d.run(&get_user()).unwrap();
    }
    // Three go at once, the fourth waits until the first is a minute old, and so on.
    assert_eq!(d.kinds(), "T A A A W60 A A");
    assert_eq!(d.now.duration_since(start_time()), secs(60.0));
}

// ---------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------

/// Runs a pager to the end with the fake driver; returns item ids, or the first error.
fn walk(d: &mut Driver, mut pager: Pager) -> Result<Vec<String>, Error> {
    let config = d.session.config().clone();
    let mut ids = Vec::new();
    while let Some(request) = pager.next_request() {
        let reply = d.run(&request)?;
        let page = pager.on_reply(&reply, &config)?;
        ids.extend(
            page.items
                .iter()
                .map(|i| i["id"].as_str().unwrap_or("?").to_owned()),
        );
    }
    Ok(ids)
}

#[test]
fn pager_walks_three_pages_and_ends_on_absent_null_or_empty_next() {
    for last_next in [None, Some(Value::Null), Some(json!("")), Some(json!("  "))] {
        let mut d = Driver::default();
        let mut last = json!({"data": [{"type": "users", "id": "e"}]});
        if let Some(next) = &last_next {
            last["links"] = json!({ "next": next });
        }
        d.script([
            token(TOKEN_1, 3600),
            users_page(
                &["a", "b"],
                json!("https://api.example/api/v2/users?limit=2&next=p2"),
            ),
            // A relative link resolves against the base URL.
            users_page(&["c", "d"], json!("/api/v2/users?limit=2&next=p3")),
            respond(200, &last.to_string()),
        ]);
        let pager = Pager::new(list_users().limit(2));
        let ids = walk(&mut d, pager).unwrap();
        assert_eq!(ids, ["a", "b", "c", "d", "e"], "{last_next:?}");
        let targets: Vec<_> = d
            .api_events()
            .into_iter()
            .map(|e| match e {
                Event::Api { target, .. } => target.clone(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            targets,
            [
                "/api/v2/users?limit=2",
                "/api/v2/users?limit=2&next=p2",
                "/api/v2/users?limit=2&next=p3"
            ]
        );
        assert!(d.script.is_empty());
    }
}

/// [`walk`] with pages kept as bytes ([`Call::keep_raw_page`], [`Pager::take_raw`]), as the
/// Python binding reads them.
fn walk_raw(d: &mut Driver, mut pager: Pager) -> Result<Vec<String>, Error> {
    let config = d.session.config().clone();
    let mut ids = Vec::new();
    while let Some(request) = pager.next_request() {
        let mut call = d.session.call(&request)?;
        call.keep_raw_page();
        let reply = loop {
            if let Some(result) = d.step(&mut call) {
                break result?;
            }
        };
        assert!(reply.body.is_none(), "the page is not parsed into a tree");
        let raw = call.take_raw_page().expect("the page's bytes");
        let page = pager.take_raw(&reply, raw, &config)?;
        let body: Value = serde_json::from_slice(&page.body).unwrap();
        assert_eq!(body["data"].as_array().map_or(0, Vec::len), page.len());
        ids.extend(
            body["data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| i["id"].to_string()),
        );
    }
    Ok(ids)
}

#[test]
fn raw_pages_are_checked_retried_and_walked_like_parsed_ones() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        users_page(&["a", "b"], json!("/api/v2/users?limit=2&next=p2")),
        // A garbled page of a GET is asked for again.
        respond(200, r#"{"data": [{"id": "c""#),
        users_page(&["c"], Value::Null),
    ]);
    let ids = walk_raw(&mut d, Pager::new(list_users().limit(2))).unwrap();
    assert_eq!(ids, [r#""a""#, r#""b""#, r#""c""#]);
    assert_eq!(d.api_events().len(), 3);

    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(
            200,
            &[("x-request-id", "r-9")],
            r#"{"data": [], "links": {"next": "https://evil.example/x"}}"#,
        ),
    ]);
    let e = walk_raw(&mut d, Pager::new(list_users())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.request_id(), Some("r-9"));
    assert!(e.to_string().contains("another origin"), "{e}");
}

/// [`walk_raw`] as the JS binding reads pages: the host parses each success body itself and,
/// when it has the ordinary shape, reports only its item count and next link
/// ([`Call::receive_page`]); anything else goes to [`Call::receive`] whole.
fn walk_parsed(d: &mut Driver, mut pager: Pager) -> Result<(Vec<String>, usize), Error> {
    let config = d.session.config().clone();
    let mut ids = Vec::new();
    let mut by_host = 0;
    while let Some(request) = pager.next_request() {
        let mut call = d.session.call(&request)?;
        call.keep_raw_page();
        let mut parsed = None;
        let reply = loop {
            match call.poll(&mut d.session, d.now, d.random) {
                Step::Send(req) => match d.send(&req) {
                    Outcome::Respond(resp) => {
                        let body: Option<Value> = serde_json::from_slice(resp.body()).ok();
                        let items = body
                            .as_ref()
                            .and_then(|b| b.get("data"))
                            .and_then(Value::as_array)
                            .filter(|items| items.iter().all(Value::is_object))
                            .map(Vec::len);
                        let next = body.as_ref().and_then(|b| b["links"]["next"].as_str());
                        let (head, bytes) = resp.into_parts();
                        let head = http::Response::from_parts(head, ());
                        let taken = items.is_some_and(|n| {
                            call.receive_page(
                                &mut d.session,
                                head.clone(),
                                n,
                                next.map(str::to_owned),
                                d.now,
                            )
                        });
                        if taken {
                            by_host += 1;
                            parsed = body;
                        } else {
                            let resp = http::Response::from_parts(head.into_parts().0, bytes);
                            call.receive(&mut d.session, resp, d.now);
                        }
                    }
                    Outcome::Fail(f) => call.fail(&mut d.session, f, "connection reset", d.now),
                },
                Step::Wait(w) => d.advance(w),
                Step::Done(result) => break result?,
            }
        };
        let raw = call.take_raw_page().expect("the page");
        let page = pager.take_raw(&reply, raw, &config)?;
        let body = match parsed {
            Some(body) => body,
            None => serde_json::from_slice(&page.body).unwrap(),
        };
        ids.extend(
            body["data"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| i["id"].as_str().unwrap_or("?").to_owned()),
        );
    }
    Ok((ids, by_host))
}

#[test]
fn pages_parsed_by_the_host_follow_the_same_rules() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        users_page(&["a", "b"], json!("/api/v2/users?limit=2&next=p2")),
        // Garbled: the host cannot parse it, the core retries it.
        respond(200, r#"{"data": [{"id": "c""#),
        users_page(&["c"], json!("/api/v2/users?limit=2&next=p3")),
        // Not the ordinary shape (an item that is not an object): the core says so.
        respond(200, r#"{"data": [{"id": "d"}, 5]}"#),
    ]);
    let e = walk_parsed(&mut d, Pager::new(list_users().limit(2))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("$.data[1]"), "{e}");
    assert_eq!(d.api_events().len(), 4);

    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        users_page(&["a", "b"], json!("/api/v2/users?limit=2&next=p2")),
        respond(200, r#"{"data": [{"id": "c""#),
        users_page(&["c"], Value::Null),
    ]);
    let (ids, by_host) = walk_parsed(&mut d, Pager::new(list_users().limit(2))).unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(by_host, 2, "two pages never crossed into the core");
    assert_eq!(d.session.stats().retries, 1);

    // A link echoing the secret is scrubbed before it reaches the error.
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        users_page(&["a"], json!(format!("https://evil.example/x?t={TOKEN_1}"))),
    ]);
    let e = walk_parsed(&mut d, Pager::new(list_users())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("another origin"), "{e}");
    assert_no_secret(&e);
    assert!(!e.to_string().contains(TOKEN_1), "{e}");

    // Not a page call, or not a success: the call takes no page without its body.
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600)]);
    let mut call = d.session.call(&list_users()).unwrap();
    let head = || http::Response::builder().status(200).body(()).unwrap();
    assert!(!call.receive_page(&mut d.session, head(), 0, None, d.now));
    call.keep_raw_page();
    assert!(
        !call.receive_page(&mut d.session, head(), 0, None, d.now),
        "the call is not waiting for the page yet"
    );
}

#[test]
fn pager_refuses_a_next_link_on_another_origin() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        users_page(&["a"], json!("https://evil.example/api/v2/users?next=p2")),
    ]);
    let mut pager = Pager::new(list_users());
    let config = d.session.config().clone();
    let reply = d.run(&pager.next_request().unwrap()).unwrap();
    let e = pager.on_reply(&reply, &config).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("evil.example"), "{e}");
    assert!(pager.next_request().is_none());
    assert_eq!(
        d.api_events().len(),
        1,
        "the token never went to evil.example"
    );
    // The same link refused when built by hand, before any I/O.
    let op = degreed::operation("users.list").unwrap();
    let url = url::Url::parse("https://evil.example/api/v2/users").unwrap();
    let e = d.session.call(&ApiRequest::for_url(op, url)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
}

#[test]
fn pager_stops_when_the_server_repeats_a_next_link() {
    let mut d = Driver::default();
    let next = json!("https://api.example/api/v2/users?next=same");
    d.script([
        token(TOKEN_1, 3600),
        users_page(&["a"], next.clone()),
        users_page(&["b"], next),
    ]);
    let e = walk(&mut d, Pager::new(list_users())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(d.api_events().len(), 2);
}

#[test]
fn windowed_pager_over_30_days_makes_five_windows() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600)]);
    for w in 0..5 {
        d.script([respond(
            200,
            &json!({"data": [{"id": format!("c{w}")}], "links": {"next": null}}).to_string(),
        )]);
    }
    let pager = Pager::windowed(
        ApiRequest::new("completions.list").unwrap().limit(500),
        "2024-01-01".parse().unwrap(),
        "2024-01-30".parse().unwrap(),
    )
    .unwrap();
    let ids = walk(&mut d, pager).unwrap();
    assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4"]);
    let windows: Vec<String> = d
        .api_events()
        .into_iter()
        .map(|e| match e {
            Event::Api { target, .. } => target
                .split_once("filter[start_date]=")
                .unwrap()
                .1
                .replace("&filter[end_date]=", ".."),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        windows,
        [
            "2024-01-01..2024-01-07",
            "2024-01-07..2024-01-13",
            "2024-01-13..2024-01-19",
            "2024-01-19..2024-01-25",
            "2024-01-25..2024-01-30"
        ]
    );
    // A non-windowed operation gets the whole range in one request.
    let mut p = Pager::windowed(
        ApiRequest::new("users.list").unwrap(),
        "2024-01-01".parse().unwrap(),
        "2024-01-30".parse().unwrap(),
    )
    .unwrap();
    assert!(p.next_request().is_some());
    assert!(p.next_request().is_none());
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[test]
fn secrets_never_appear_in_debug_output_or_errors() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond(404, r#"{"errors":[{"detail":"no such user"}]}"#),
    ]);
    let e = d.run(&get_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_no_secret(&e);
    // The session now holds the token and the secret; neither shows.
    assert!(d.session.token().is_some());
    let shown = format!("{:?} {:?}", d.session, d.session.token());
    assert!(shown.contains("client-1"), "{shown}");
    for secret in [SECRET, TOKEN_1] {
        assert!(!shown.contains(secret), "{shown}");
    }
    // Nor in a call, nor in the Send step a driver might log.
    let mut call = d.session.call(&get_user()).unwrap();
    assert!(!format!("{call:?}").contains(TOKEN_1));
    let step = call.poll(&mut d.session, d.now, 0.5);
    let Step::Send(req) = &step else {
        panic!("expected Send")
    };
    assert_eq!(req.headers()["authorization"], "Bearer tok-AAAA-1111");
    let shown = format!("{step:?}");
    assert!(!shown.contains(TOKEN_1), "{shown}");
}

#[test]
fn a_token_response_that_does_not_parse_never_quotes_the_token() {
    let mut d = Driver::default();
    d.script([respond(
        200,
        r#"{"access_token": "tok-AAAA-1111", "expires_in": 36"#,
    )]);
    let e = d.run(&get_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_no_secret(&e);
}

#[test]
fn polling_a_finished_call_is_an_error_not_a_panic() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600), ok_user()]);
    let mut call = d.session.call(&get_user()).unwrap();
    let result = loop {
        if let Some(r) = d.step(&mut call) {
            break r;
        }
    };
    assert!(result.is_ok());
    assert!(matches!(
        call.poll(&mut d.session, d.now, 0.5),
        Step::Done(Err(Error::InvalidRequest { .. }))
    ));
}

#[test]
fn a_token_that_is_stale_on_arrival_is_used_once_not_refetched_forever() {
    let mut d = Driver::default();
    d.script([
        respond(
            200,
            r#"{"access_token": "tok-AAAA-1111", "expires_in": 1e-12}"#,
        ),
        ok_user(),
    ]);
    d.run(&get_user()).unwrap();
    assert_eq!(d.kinds(), "T A");
}

#[test]
fn a_rate_limit_reset_far_in_the_future_does_not_block_for_longer_than_the_window() {
    let mut d = Driver::default();
    let reset = Timestamp::parse("2100-01-01T00:00:00Z").unwrap();
    d.script([token(TOKEN_1, 3600), ok_with_rate(0, reset), ok_user()]);
    d.run(&list_users()).unwrap();
    d.run(&get_user()).unwrap();
    assert_eq!(d.waits(), [secs(60.0)], "clamped to the 1m window");
}

#[test]
fn step_debug_never_shows_the_secret_or_token() {
    let cfg = degreed::Config::custom("https://auth.example", "https://api.example").unwrap();
    let mut session = degreed::Session::new(
        cfg,
        degreed::Credentials::new("id", "hush-secret"),
        Default::default(),
    );
    let mut call = session
        .call(&degreed::ApiRequest::new("users.list").unwrap())
        .unwrap();
    let step = call.poll(&mut session, degreed::Timestamp::EPOCH, 0.5);
    let shown = format!("{step:?}");
    assert!(
        shown.starts_with("Send(POST https://auth.example/oauth/token"),
        "{shown}"
    );
    assert!(!shown.contains("hush"), "{shown}");
}

#[test]
fn custom_requests_skip_the_scope_check_and_page() {
    let cfg = degreed::Config::custom("https://auth.example", "https://api.example").unwrap();
    let options = degreed::SessionOptions {
        scopes: Some(degreed::ScopeSet::parse("users:read").unwrap()),
        ..Default::default()
    };
    let mut session = degreed::Session::new(cfg, degreed::Credentials::new("id", "s"), options);
    let req = degreed::ApiRequest::custom(degreed::catalog::Method::Get, "/api/v2/badges");
    let mut call = session
        .call(&req)
        .expect("no scope is known for a custom endpoint");
    let step = call.poll(&mut session, degreed::Timestamp::EPOCH, 0.5);
    assert!(matches!(step, degreed::Step::Send(_)), "{step:?}");
    assert_eq!(req.operation().paging, degreed::catalog::Paging::Cursor);
}

#[test]
fn cancel_releases_the_token_fetch_without_counting_a_retry() {
    let cfg = degreed::Config::custom("https://auth.example", "https://api.example").unwrap();
    let mut session = degreed::Session::new(
        cfg,
        degreed::Credentials::new("id", "s"),
        Default::default(),
    );
    let req = degreed::ApiRequest::new("users.create")
        .unwrap()
        .attributes(serde_json::json!({"employee_id": "E1", "first_name": "Ada",
            "last_name": "Lovelace", "organization_email": "ada@example.com"}));
    let mut first = session.call(&req).unwrap();
    let mut second = session.call(&req).unwrap();
    let t = degreed::Timestamp::EPOCH;
    assert!(matches!(
        first.poll(&mut session, t, 0.5),
        degreed::Step::Send(_)
    ));
    assert!(
        matches!(second.poll(&mut session, t, 0.5), degreed::Step::Wait(_)),
        "waits for the first call's token"
    );
    first.cancel(&mut session, "AbortError: the caller aborted");
    match first.poll(&mut session, t, 0.5) {
        degreed::Step::Done(Err(e)) => {
            assert_eq!(e.kind(), degreed::ErrorKind::Transport);
            assert!(e.to_string().contains("caller aborted"));
            assert_eq!(
                e.to_json()["maybe_applied"],
                false,
                "no write was in flight"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(second.poll(&mut session, t, 0.5), degreed::Step::Send(_)),
        "fetches its own token"
    );
    assert_eq!(session.stats().retries, 0);
}

// ---------------------------------------------------------------------------------------------
// The deadline: one budget for the whole call
// ---------------------------------------------------------------------------------------------

/// Runs `call` to completion; `Fail` outcomes advance the clock by `fail_after` first (a
/// socket timeout set to the time left fires then).
fn run_call(d: &mut Driver, call: &mut Call) -> Result<Reply, Error> {
    for _ in 0..1000 {
        if let Some(result) = d.step(call) {
            return result;
        }
    }
    panic!("the call did not finish: {:?}", d.log);
}

#[test]
fn every_send_gets_the_time_left_and_a_failure_at_the_deadline_is_a_timeout() {
    let mut d = Driver::default();
    d.script([token(TOKEN_1, 3600)]);
    let mut call = d.session.call(&create_user()).unwrap();
    call.set_timeout(secs(2.0)).unwrap();
    assert!(call.set_timeout(Duration::ZERO).is_err());
    // The token request gets the whole budget.
    assert!(matches!(
        call.poll(&mut d.session, d.now, 0.5),
        Step::Send(_)
    ));
    assert_eq!(call.send_timeout(), secs(2.0));
    assert_eq!(call.deadline(), Some(d.now.add(secs(2.0))));
    d.advance(secs(0.5));
    let Outcome::Respond(r) = token(TOKEN_1, 3600) else {
        unreachable!()
    };
    call.receive(&mut d.session, r, d.now);
    // The API request gets what is left.
    assert!(matches!(
        call.poll(&mut d.session, d.now, 0.5),
        Step::Send(_)
    ));
    assert_eq!(call.send_timeout(), secs(1.5));
    // The driver's timeout fires at the deadline: a timeout error, at once, and the write
    // may have been applied.
    d.advance(secs(1.5));
    call.fail(&mut d.session, Failure::MaybeSent, "read timed out", d.now);
    let e = run_call(&mut d, &mut call).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.to_json()["maybe_applied"].as_bool().unwrap());
    assert!(e.to_string().contains("2 s"), "{e}");
    assert_eq!(d.session.stats().retries, 0);
}

#[test]
fn a_retry_wait_that_would_pass_the_deadline_ends_the_call_with_its_error_at_once() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(429, &[("Retry-After", "30")], "{}"),
    ]);
    let mut call = d.session.call(&get_user()).unwrap();
    call.set_timeout(secs(10.0)).unwrap();
    let e = run_call(&mut d, &mut call).unwrap_err();
    // No wait at all: the 429 is the answer, with its Retry-After.
    assert!(d.waits().is_empty(), "{}", d.kinds());
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(secs(30.0)));

    // A wait that fits is made.
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(429, &[("Retry-After", "3")], "{}"),
        ok_user(),
    ]);
    let mut call = d.session.call(&get_user()).unwrap();
    call.set_timeout(secs(10.0)).unwrap();
    run_call(&mut d, &mut call).unwrap();
    assert_eq!(d.waits(), [secs(3.0)]);
}

// ---------------------------------------------------------------------------------------------
// 503: Degreed's error page advises trying again 30-120 s later (maintenance)
// ---------------------------------------------------------------------------------------------

fn maintenance_driver(max_maintenance_wait: Duration) -> Driver {
    Driver::new(SessionOptions {
        retry: RetryPolicy {
            max_retries: 2,
            base_delay: secs(1.0),
            max_maintenance_wait,
            ..RetryPolicy::default()
        },
        ..SessionOptions::default()
    })
}

#[test]
fn a_503_after_the_retries_waits_as_degreed_advises_when_the_deadline_allows() {
    let patch = ApiRequest::new("users.update")
        .unwrap()
        .path_param("u1")
        .attributes(json!({"first_name": "Ada"}));
    for request in [get_user(), patch] {
        let mut d = maintenance_driver(secs(300.0));
        d.script([token(TOKEN_1, 3600)]);
        d.script((0..3).map(|_| respond(503, "down")));
        // The hint of a maintenance answer is kept within 30-120 s.
        d.script([
            respond_with(503, &[("retry-after", "1")], ""),
            respond_with(503, &[("retry-after", "600")], ""),
            ok_user(),
        ]);
        let mut call = d.session.call(&request).unwrap();
        call.set_timeout(secs(600.0)).unwrap();
        run_call(&mut d, &mut call).unwrap();
        // The normal back-off first, then 30 s (the hint of 1 s raised), then 120 s (600 s
        // lowered).
        assert_eq!(
            d.waits(),
            [secs(0.5), secs(1.0), secs(30.0), secs(30.0), secs(120.0)],
            "{}",
            request.operation().name
        );
        assert_eq!(call.retries(), 5);
    }
    // Without hints the waits double from 30 s, and stop at the option's total.
    let mut d = maintenance_driver(secs(100.0));
    d.script([token(TOKEN_1, 3600)]);
    d.script((0..5).map(|_| respond(503, "down")));
    let mut call = d.session.call(&get_user()).unwrap();
    call.set_timeout(secs(600.0)).unwrap();
    let e = run_call(&mut d, &mut call).unwrap_err();
    assert_eq!(d.waits(), [secs(0.5), secs(1.0), secs(30.0), secs(60.0)]);
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(503)));
}

#[test]
fn a_503_whose_advised_wait_does_not_fit_the_deadline_fails_at_once_saying_when_to_retry() {
    let mut d = maintenance_driver(secs(300.0));
    d.script([token(TOKEN_1, 3600)]);
    d.script((0..3).map(|_| respond(503, r#"{"errors":[{"detail":"Down for maintenance"}]}"#)));
    let mut call = d.session.call(&get_user()).unwrap();
    call.set_timeout(secs(30.0)).unwrap();
    let started = d.now;
    let e = run_call(&mut d, &mut call).unwrap_err();
    // The retries were made; the 30 s wait would pass the deadline: no wait, no timeout.
    assert_eq!(d.waits(), [secs(0.5), secs(1.0)]);
    assert_eq!(d.now.duration_since(started), secs(1.5));
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(503)));
    let text = e.to_string();
    assert!(text.contains("Down for maintenance"), "{text}");
    assert!(
        text.contains("unavailable") && text.contains("30-120 s"),
        "{text}"
    );
}

#[test]
fn writes_and_calls_without_retries_get_no_maintenance_wait() {
    // A POST is not repeated at all, however long the deadline.
    let mut d = maintenance_driver(secs(300.0));
    d.script([token(TOKEN_1, 3600), respond(503, "")]);
    let e = d.run(&create_user()).unwrap_err();
    assert!(e.maybe_applied());
    assert!(e.to_string().contains("30-120 s"), "{e}");
    assert!(d.waits().is_empty());
    // Retries turned off, or the option at zero: the 503 is the answer.
    for (max_retries, wait) in [(0, secs(300.0)), (2, Duration::ZERO)] {
        let mut d = Driver::new(SessionOptions {
            retry: RetryPolicy {
                max_retries,
                max_maintenance_wait: wait,
                ..RetryPolicy::default()
            },
            ..SessionOptions::default()
        });
        d.script([token(TOKEN_1, 3600)]);
        d.script((0..=max_retries).map(|_| respond(503, "")));
        let e = d.run(&get_user()).unwrap_err();
        assert_eq!(e.status(), Some(503));
        assert!(d.waits().iter().all(|w| *w < secs(30.0)), "{}", d.kinds());
        assert!(d.script.is_empty());
    }
}

#[test]
fn a_pacing_wait_past_the_deadline_is_a_timeout_and_polling_late_is_too() {
    let mut d = Driver::new(SessionOptions {
        requests_per_minute: Some(1),
        ..Default::default()
    });
    d.script([token(TOKEN_1, 3600), ok_user()]);
    d.run(&get_user()).unwrap();
    let mut call = d.session.call(&get_user()).unwrap();
    call.set_timeout(secs(5.0)).unwrap();
    let e = run_call(&mut d, &mut call).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.to_string().contains("rate limit"), "{e}");

    let mut call = d.session.call(&get_user()).unwrap();
    call.set_deadline(d.now.add(secs(1.0)));
    d.advance(secs(2.0));
    let e = run_call(&mut d, &mut call).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(!e.to_json()["maybe_applied"].as_bool().unwrap());
}

#[test]
fn a_body_over_the_limit_is_a_decode_error_not_retried() {
    let mut d = Driver::new(SessionOptions {
        max_body_bytes: Some(64),
        ..Default::default()
    });
    assert_eq!(d.session.max_body_bytes(), 64);
    assert_eq!(
        Session::new(
            config(),
            Credentials::new("a", "b"),
            SessionOptions::default()
        )
        .max_body_bytes(),
        degreed::call::DEFAULT_MAX_BODY_BYTES
    );
    // Handed over whole by a driver that does not stop reading: still refused.
    d.script([token(TOKEN_1, 3600), respond(200, &" ".repeat(65))]);
    let e = d.run(&get_user()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.status(), Some(200));
    assert!(e.to_string().contains("limit of 64 bytes"), "{e}");
    // Reported by a driver that stopped reading.
    let mut call = d.session.call(&get_user()).unwrap();
    assert!(matches!(
        call.poll(&mut d.session, d.now, 0.5),
        Step::Send(_)
    ));
    call.too_large(&mut d.session, 200, d.now);
    let e = run_call(&mut d, &mut call).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(d.session.stats().retries, 0);
}

// ---------------------------------------------------------------------------------------------
// Hostile servers
// ---------------------------------------------------------------------------------------------

/// Every text an error carries, for looking for secrets in it.
fn shown(e: &Error) -> String {
    format!(
        "{e} {e:?} {} {}",
        e.to_json(),
        serde_json::to_string(e.errors()).unwrap()
    )
}

#[test]
fn secrets_echoed_by_the_server_are_redacted_from_errors() {
    let form_secret = "s3cr3t-client-value"; // as sent in the form body (nothing to encode)
                                             // The token endpoint (or a proxy in front of it) quotes the request body.
    let echo = format!("grant_type=client_credentials&client_secret={form_secret}");
    let token_answer = |i: usize| {
        match i {
        0 => respond(
            401,
            &json!({"error": "invalid_client", "error_description": format!("bad {echo}")})
                .to_string(),
        ),
        1 => respond_with(
            400,
            &[("content-type", "text/html")],
            &format!("<html><pre>{echo}</pre></html>"),
        ),
        _ => respond(
            403,
            &json!({"errors": [{"detail": SECRET, "title": SECRET, "source": {"body": echo}, "x": [SECRET]}]})
                .to_string(),
        ),
    }
    };
    for i in 0..3 {
        let mut d = Driver::new(SessionOptions {
            retry: RetryPolicy::none(),
            ..SessionOptions::default()
        });
        // Twice: a refused scoped token request may be tried once more without scopes.
        d.script([token_answer(i), token_answer(i)]);
        let e = d.run(&get_user()).unwrap_err();
        let text = shown(&e);
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("[redacted"), "{text}");
    }
    // An API error page quoting the Authorization header, in every kind of error.
    let quote = format!("Authorization: Bearer {TOKEN_1}");
    let api_answers = [
        respond(500, &json!({"errors": [{"detail": quote}]}).to_string()),
        respond(
            400,
            &json!({"errors": [{"title": quote, "meta": {"h": quote}}]}).to_string(),
        ),
        respond_with(404, &[("x-request-id", TOKEN_1)], &quote),
        respond_with(429, &[("retry-after", "1")], &quote),
        // A success body that does not parse: its excerpt quotes the token.
        respond(201, &format!("{TOKEN_1} {quote} {{")),
    ];
    for answer in api_answers {
        let mut d = Driver::new(SessionOptions {
            retry: RetryPolicy::none(),
            ..SessionOptions::default()
        });
        d.script([token(TOKEN_1, 3600), answer]);
        let e = d.run(&create_user()).unwrap_err();
        let text = shown(&e);
        assert!(!text.contains(TOKEN_1), "{text}");
        assert!(text.contains("[redacted"), "{text}");
    }
    // A list page echoing the token: its decode error does not quote it either.
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond(200, &json!({"data": [TOKEN_1]}).to_string()),
    ]);
    let reply = d.run(&list_users()).unwrap();
    let mut pager = Pager::new(list_users());
    pager.next_request();
    let e = pager.on_reply(&reply, &config()).unwrap_err();
    assert!(!shown(&e).contains(TOKEN_1), "{}", shown(&e));
}

#[test]
fn hostile_rate_limit_headers_never_ask_for_a_long_wait() {
    let mut d = Driver::default();
    let far = Timestamp::parse("9999-12-31T23:59:59Z").unwrap();
    let hostile = respond_with(
        200,
        &[
            ("x-rate-limit-limit", "366d"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", &far.to_string()),
        ],
        r#"{"data": []}"#,
    );
    d.script([token(TOKEN_1, 3600), hostile, ok_with_rate(70, far)]);
    d.run(&list_users()).unwrap();
    d.run(&list_users())
        .unwrap_or_else(|e| panic!("{e} {}", d.kinds()));
    let longest = RetryPolicy::default().max_retry_after;
    assert!(!d.waits().is_empty(), "{}", d.kinds());
    assert!(
        d.waits().iter().sum::<Duration>() <= longest,
        "{}",
        d.kinds()
    );
    // A huge Retry-After is clamped the same way.
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(429, &[("retry-after", "99999999999999999999")], "{}"),
        ok_with_rate(70, far),
    ]);
    d.run(&list_users()).unwrap();
    assert!(d.waits().iter().all(|w| *w <= longest), "{}", d.kinds());
}

#[test]
fn a_clock_set_back_does_not_stretch_a_wait() {
    let mut d = Driver::default();
    d.script([
        token(TOKEN_1, 3600),
        respond_with(429, &[("retry-after", "10")], "{}"),
        ok_with_rate(70, d.now.add(secs(60.0))),
    ]);
    let mut call = d.session.call(&list_users()).unwrap();
    loop {
        match call.poll(&mut d.session, d.now, 0.5) {
            Step::Send(req) => match d.send(&req) {
                Outcome::Respond(r) => call.receive(&mut d.session, r, d.now),
                Outcome::Fail(f) => call.fail(&mut d.session, f, "x", d.now),
            },
            Step::Wait(w) => {
                assert!(w <= RetryPolicy::default().max_retry_after, "{w:?}");
                d.log.push(Event::Wait(w));
                // The clock jumps a day back while the driver sleeps.
                d.now = Timestamp::from_unix(d.now.unix_secs() - 86_400 + w.as_secs() as i64, 0);
                if d.waits().len() > 3 {
                    d.now = d.now.add(secs(86_400.0));
                }
            }
            Step::Done(r) => {
                r.unwrap();
                break;
            }
        }
    }
}
