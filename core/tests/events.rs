//! The events the `Call` state machine queues for drivers: names, fields, order, and never a
//! secret, a query string or a body. A scripted fake server and a fake clock; no network.

use std::collections::VecDeque;
use std::time::Duration;

use degreed::models::KeyCase;
use degreed::{
    ApiRequest, Call, Config, Credentials, Event, Failure, Session, SessionOptions, Step,
    Timestamp, WaitReason,
};
use serde_json::json;

const SECRET: &str = "s3cr3t-client-value";
const TOKEN: &str = "tok-AAAA-1111";
/// Strings from queries and bodies that must not appear in any event.
const PRIVATE: &[&str] = &[
    SECRET,
    TOKEN,
    "cursor-xyz",
    "filter",
    "E-4242",
    "ada@example.com",
    "Lovelace",
    "client_secret",
];

enum Outcome {
    Respond(u16, Vec<(&'static str, &'static str)>, String),
    Fail(Failure),
}

struct Fake {
    session: Session,
    now: Timestamp,
    script: VecDeque<Outcome>,
    events: Vec<Event>,
}

impl Fake {
    fn new(options: SessionOptions) -> Self {
        let config = Config::custom("https://auth.example", "https://api.example").unwrap();
        Fake {
            session: Session::new(config, Credentials::new("client-1", SECRET), options),
            now: Timestamp::parse("2024-03-01T12:00:00Z").unwrap(),
            script: VecDeque::new(),
            events: Vec::new(),
        }
    }

    fn script(&mut self, outcomes: impl IntoIterator<Item = Outcome>) {
        self.script.extend(outcomes);
    }

    /// The driver loop; each answer takes 100 ms; events are drained after every step, as
    /// the bindings do.
    fn run(&mut self, request: &ApiRequest) -> Result<(), degreed::Error> {
        let mut call: Call = self.session.call(request)?;
        loop {
            let step = call.poll(&mut self.session, self.now, 0.5);
            let done = match step {
                Step::Send(_) => {
                    self.now = self.now.add(Duration::from_millis(100));
                    match self.script.pop_front().expect("unscripted request") {
                        Outcome::Respond(status, headers, body) => {
                            let mut b = http::Response::builder().status(status);
                            for (k, v) in headers {
                                b = b.header(k, v);
                            }
                            let resp = b.body(body.into_bytes()).unwrap();
                            call.receive(&mut self.session, resp, self.now);
                        }
                        Outcome::Fail(f) => call.fail(&mut self.session, f, "reset", self.now),
                    }
                    None
                }
                Step::Wait(d) => {
                    self.now = self.now.add(d);
                    None
                }
                Step::Done(r) => Some(r),
            };
            self.events.extend(call.take_events());
            if let Some(r) = done {
                return r.map(|_| ());
            }
        }
    }

    fn names(&self) -> Vec<&'static str> {
        self.events.iter().map(Event::name).collect()
    }
}

fn token(scope: &str) -> Outcome {
    let body =
        json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600, "scope": scope});
    Outcome::Respond(200, vec![], body.to_string())
}

fn ok(body: &str) -> Outcome {
    Outcome::Respond(200, vec![("x-request-id", "req-ok")], body.to_owned())
}

fn assert_private(events: &[Event]) {
    for e in events {
        let shown = [
            e.to_string(),
            format!("{e:?}"),
            e.to_json(KeyCase::Snake).to_string(),
            e.to_json(KeyCase::Camel).to_string(),
        ];
        for s in shown {
            for p in PRIVATE {
                assert!(!s.contains(p), "`{p}` leaked into an event: {s}");
            }
        }
    }
}

fn list_users() -> ApiRequest {
    ApiRequest::new("users.list")
        .unwrap()
        .set_query("next", "cursor-xyz")
        .set_query("filter[employee_id]", "E-4242")
}

#[test]
fn a_retried_list_reports_request_response_retry_and_token() {
    let mut f = Fake::new(SessionOptions::default());
    f.script([
        token("users:read"),
        Outcome::Respond(
            503,
            vec![("x-request-id", "req-503"), ("retry-after", "2")],
            "{}".into(),
        ),
        ok(r#"{"data": []}"#),
    ]);
    f.run(&list_users()).unwrap();
    assert_eq!(
        f.names(),
        ["request", "response", "token", "request", "response", "retry", "request", "response"]
    );
    assert_eq!(
        f.events[0],
        Event::Request {
            operation: "token",
            method: "POST",
            path: "/oauth/token".into(),
            attempt: 1
        }
    );
    assert_eq!(
        f.events[2],
        Event::Token {
            refreshed: false,
            scopes: Some("users:read".into()),
            expires_in: Some(Duration::from_secs(3600)),
        }
    );
    assert_eq!(
        f.events[3],
        Event::Request {
            operation: "users.list",
            method: "GET",
            path: "/api/v2/users".into(),
            attempt: 1
        }
    );
    assert_eq!(
        f.events[5],
        Event::Retry {
            operation: "users.list",
            status: Some(503),
            cause: "status",
            request_id: Some("req-503".into()),
            elapsed: Duration::from_millis(100),
            wait: Duration::from_secs(2),
            attempt: 2,
        }
    );
    let Event::Response {
        status, request_id, ..
    } = &f.events[7]
    else {
        panic!("{:?}", f.events[7])
    };
    assert_eq!((*status, request_id.as_deref()), (200, Some("req-ok")));
    assert_private(&f.events);
}

#[test]
fn a_429_makes_the_other_calls_report_a_pacing_wait() {
    let mut f = Fake::new(SessionOptions::default());
    let mut a = f.session.call(&list_users()).unwrap();
    for outcome in [
        token("users:read"),
        Outcome::Respond(429, vec![("retry-after", "5")], "{}".into()),
    ] {
        assert!(matches!(a.poll(&mut f.session, f.now, 0.5), Step::Send(_)));
        let Outcome::Respond(status, headers, body) = outcome else {
            unreachable!()
        };
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(k, v);
        }
        a.receive(&mut f.session, b.body(body.into_bytes()).unwrap(), f.now);
    }
    // The 429 blocks every call: another one waits, and says why.
    f.now = f.now.add(Duration::from_secs(1));
    let mut other = f.session.call(&list_users()).unwrap();
    let Step::Wait(d) = other.poll(&mut f.session, f.now, 0.5) else {
        panic!("expected a wait")
    };
    assert_eq!(d, Duration::from_secs(4));
    assert_eq!(
        other.take_events(),
        [Event::Wait {
            operation: "users.list",
            wait: d,
            reason: WaitReason::RetryAfter
        }]
    );
    assert!(other.take_events().is_empty(), "events are taken once");
}

#[test]
fn a_budget_wait_says_so() {
    let mut f = Fake::new(SessionOptions {
        requests_per_minute: Some(1),
        ..SessionOptions::default()
    });
    f.script([
        token("users:read"),
        ok(r#"{"data": []}"#),
        ok(r#"{"data": []}"#),
    ]);
    f.run(&list_users()).unwrap();
    // 45 s later the budget still asks for ~15 s more (within the call's 30 s deadline).
    f.now = f.now.add(Duration::from_secs(45));
    f.run(&list_users()).unwrap();
    let waits: Vec<_> = f
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Wait { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect();
    assert_eq!(waits, [WaitReason::Budget]);
}

#[test]
fn a_lost_write_is_reported_as_maybe_applied() {
    let mut f = Fake::new(SessionOptions::default());
    f.script([token("users:write"), Outcome::Fail(Failure::MaybeSent)]);
    let create = ApiRequest::new("users.create").unwrap().attributes(json!({
        "employee_id": "E-4242", "first_name": "Ada", "last_name": "Lovelace",
        "organization_email": "ada@example.com"
    }));
    let err = f.run(&create).unwrap_err();
    assert!(err.to_json()["maybe_applied"] == json!(true), "{err:?}");
    let last = f.events.last().unwrap();
    assert_eq!(
        *last,
        Event::MaybeApplied {
            operation: "users.create",
            method: "POST",
            path: "/api/v2/users".into(),
            elapsed: Duration::from_millis(100),
        }
    );
    assert!(!f.names().contains(&"retry"));
    assert_private(&f.events);
}

#[test]
fn a_write_answered_5xx_or_unreadably_is_reported_as_maybe_applied_like_its_error() {
    for answer in [
        Outcome::Respond(500, vec![], "oops".into()),
        Outcome::Respond(503, vec![], String::new()),
        Outcome::Respond(201, vec![], "{not json".into()),
    ] {
        let mut f = Fake::new(SessionOptions::default());
        f.script([token("users:write"), answer]);
        let create = ApiRequest::new("users.create").unwrap().attributes(json!({
            "employee_id": "E-4242", "first_name": "Ada", "last_name": "Lovelace",
        "organization_email": "ada@example.com"
        }));
        let err = f.run(&create).unwrap_err();
        assert!(err.maybe_applied(), "{err:?}");
        let reported = f.names().iter().filter(|n| **n == "maybe_applied").count();
        assert_eq!(reported, 1, "{:?}", f.names());
        assert_private(&f.events);
    }
    // A read that fails the same way is not a maybe-applied write.
    let mut f = Fake::new(SessionOptions {
        retry: degreed::RetryPolicy::none(),
        ..Default::default()
    });
    f.script([
        token("users:read"),
        Outcome::Respond(500, vec![], "oops".into()),
    ]);
    let err = f.run(&list_users()).unwrap_err();
    assert!(!err.maybe_applied());
    assert!(!f.names().contains(&"maybe_applied"));
}

#[test]
fn a_401_refreshes_the_token_and_says_so() {
    let mut f = Fake::new(SessionOptions::default());
    let get = ApiRequest::new("users.get")
        .unwrap()
        .path_param("E-4242")
        .set_query("identifier", "employee-id");
    f.script([
        token("users:read"),
        Outcome::Respond(401, vec![], "{}".into()),
        token("users:read"),
        ok(r#"{"data": {"type": "users", "id": "u1"}}"#),
    ]);
    f.run(&get).unwrap();
    assert_eq!(
        f.names(),
        [
            "request", "response", "token", "request", "response", "retry", "request", "response",
            "token", "request", "response"
        ]
    );
    assert!(matches!(
        f.events[5],
        Event::Retry {
            status: Some(401),
            cause: "unauthorized",
            attempt: 2,
            ..
        }
    ));
    assert!(matches!(
        f.events[8],
        Event::Token {
            refreshed: true,
            ..
        }
    ));
    // The id is a path parameter: the template is shown, not the value.
    assert!(matches!(&f.events[3], Event::Request { path, .. } if path == "/api/v2/users/{id}"));
    assert_private(&f.events);
}

#[test]
fn a_connection_failure_on_a_read_is_a_retry_without_status() {
    let mut f = Fake::new(SessionOptions::default());
    f.script([
        token("users:read"),
        Outcome::Fail(Failure::NotSent),
        ok(r#"{"data": []}"#),
    ]);
    f.run(&list_users()).unwrap();
    let retry = f.events.iter().find(|e| e.name() == "retry").unwrap();
    assert!(matches!(
        retry,
        Event::Retry {
            status: None,
            cause: "no_response",
            ..
        }
    ));
    assert!(retry.to_string().contains("no_response"), "{retry}");
}
