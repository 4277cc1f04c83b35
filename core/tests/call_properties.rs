//! Properties of the `Call` state machine against hostile servers (issue 12), with proptest:
//! sequences of answers (any status, 401/408/429/5xx among them, `Retry-After` and
//! `X-Rate-Limit-*` headers with hostile values, empty, garbled, echoing and over-long bodies,
//! connection failures, clock jumps forward and back) for reads and writes. For every sequence:
//!
//! * nothing panics, and the call ends within a bounded number of sends and polls;
//! * no wait is zero, longer than the retry policy's cap, or past the call's deadline, and a
//!   request never gets more time than is left before the deadline;
//! * a POST is sent again only after an answer that says it was not applied (429, 401, a
//!   connection that failed before sending); a POST whose last answer may mean it was
//!   applied (a 2xx, a 5xx, no answer) ends with `maybe_applied()`, and one that was never
//!   applied does not;
//! * the bearer token goes only to the API origin (also when a page's `next` link points
//!   elsewhere), the client secret only to the token endpoint, and neither comes back out
//!   in an error.
//!
//! `PROPTEST_CASES` sets the cases per property for a long run (the suite runs 256).

use std::time::Duration;

use degreed::{
    ApiRequest, Call, Config, Credentials, Error, Failure, Pager, Reply, RetryPolicy, Session,
    SessionOptions, Step, Timestamp,
};
use proptest::prelude::*;
use serde_json::{json, Value};

const SECRET: &str = "prop-secret-C0FFEE-value";
const TOKENS: &[&str] = &["tok-prop-AAAA", "tok-prop-BBBB"];
const AUTH: &str = "https://auth.example";
const API: &str = "https://api.example";
/// The session's body limit: small, so over-long bodies are cheap to make.
const MAX_BODY: u64 = 4096;
/// Far more polls than any call needs; a call still going after these loops.
const MAX_POLLS: usize = 10_000;

fn proptest_config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What the fake server does with one request, after the clock moved by `jump_ms` (negative:
/// the clock was set back).
#[derive(Debug, Clone)]
struct Turn {
    jump_ms: i64,
    answer: Answer,
}

#[derive(Debug, Clone)]
enum Answer {
    /// A token-endpoint success with this token and `expires_in`.
    Token(&'static str, Value),
    /// Any response.
    Http {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
        /// For an over-long body: the driver stops reading and reports `too_large` (as real
        /// drivers do) instead of handing the body over.
        stop_reading: bool,
    },
    /// No response.
    Fail(Failure),
}

fn jump_ms() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => Just(0i64),
        4 => 0i64..2_000,
        2 => 0i64..300_000,
        1 => Just(3_600_000i64),
        1 => Just(400 * 86_400_000i64),
        1 => -600_000i64..0,
        1 => Just(-400 * 86_400_000i64),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        6 => prop::sample::select(vec![
            200u16, 201, 204, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 504
        ]),
        1 => 100u16..600,
    ]
}

fn header() -> impl Strategy<Value = (&'static str, String)> {
    let retry_after = prop::sample::select(vec![
        "0",
        "1",
        "3",
        "-1",
        "120",
        "86400",
        "99999999999999999999",
        "1e9",
        " 5 ",
        "NaN",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sat, 02 Mar 2024 12:00:00 GMT",
        "soon",
        "",
    ]);
    let limit = prop::sample::select(vec![
        "1m",
        "366d",
        "0s",
        "1e308m",
        "-5m",
        "abc",
        "99999999999d",
        "1s",
    ]);
    let remaining = prop::sample::select(vec!["0", "1", "69", "-1", "4294967296", "x", ""]);
    let reset = prop::sample::select(vec![
        "2024-03-01T12:00:01Z",
        "2024-03-01T12:01:00",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00",
        "1970-01-01T00:00:00Z",
        "garbage",
    ]);
    prop_oneof![
        retry_after.prop_map(|v| ("retry-after", v.to_owned())),
        limit.prop_map(|v| ("x-rate-limit-limit", v.to_owned())),
        remaining.prop_map(|v| ("x-rate-limit-remaining", v.to_owned())),
        reset.prop_map(|v| ("x-rate-limit-reset", v.to_owned())),
        prop::sample::select(vec![
            "application/json",
            "text/html",
            "",
            "application/vnd.api+json"
        ])
        .prop_map(|v| ("content-type", v.to_owned())),
        Just(("location", "https://evil.example/steal".to_owned())),
        Just(("x-request-id", "req-1".to_owned())),
    ]
}

/// Links a page may point to: the same origin, and every kind of elsewhere.
const NEXT_LINKS: &[&str] = &[
    "https://api.example/api/v2/users?cursor=2",
    "https://API.EXAMPLE/api/v2/users?cursor=3",
    "/api/v2/users?cursor=4",
    "https://evil.example/api/v2/users?cursor=x",
    "http://api.example/api/v2/users?cursor=x",
    "https://api.example:8443/api/v2/users",
    "https://api.example@evil.example/api/v2/users",
    "https://evil.example\\@api.example/",
    "//evil.example/api/v2/users",
    "https://api.example.evil.example/api/v2/users",
    "https://api.example./api/v2/users",
    "javascript:alert(1)",
    "",
];

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => Just(Vec::new()),
        3 => Just(br#"{"data": {"type": "users", "id": "u1", "attributes": {"first-name": "Ada"}}}"#.to_vec()),
        2 => prop::sample::select(NEXT_LINKS).prop_map(|next| json!({
            "data": [{"type": "users", "id": "u2", "attributes": {}}],
            "links": {"next": next},
        }).to_string().into_bytes()),
        1 => Just(br#"{"data": []}"#.to_vec()),
        2 => Just(br#"{"data": {"type": "users", "id": "u1", "attr"#.to_vec()),
        // An error page quoting what the client sent.
        2 => Just(format!(
            r#"{{"errors": [{{"detail": "secret {SECRET}, bearer {} and {}"}}], "error_description": "{SECRET}"}}"#,
            TOKENS[0], TOKENS[1]
        ).into_bytes()),
        1 => Just(b"<html>502 Bad Gateway</html>".to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => Just(vec![b' '; MAX_BODY as usize + 1]),
        1 => Just([b"[".repeat(MAX_BODY as usize / 2), b"]".repeat(MAX_BODY as usize / 2)].concat()),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    let token = (
        prop::sample::select(TOKENS),
        prop::sample::select(vec![
            json!(3600),
            json!(0),
            json!(1),
            json!(-5),
            json!(1e300),
            json!("3600"),
            json!(null),
            json!(u64::MAX),
        ]),
    )
        .prop_map(|(t, ttl)| Answer::Token(t, ttl));
    let http = (
        status(),
        prop::collection::vec(header(), 0..4),
        body(),
        any::<bool>(),
    )
        .prop_map(|(status, headers, body, stop_reading)| Answer::Http {
            status,
            headers,
            body,
            stop_reading,
        });
    prop_oneof![
        3 => token,
        6 => http,
        1 => Just(Answer::Fail(Failure::NotSent)),
        2 => Just(Answer::Fail(Failure::MaybeSent)),
    ]
}

fn turns() -> impl Strategy<Value = Vec<Turn>> {
    prop::collection::vec(
        (jump_ms(), answer()).prop_map(|(jump_ms, answer)| Turn { jump_ms, answer }),
        1..14,
    )
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Get,
    List,
    Create,
    Update,
    Delete,
}

impl Op {
    fn request(self) -> ApiRequest {
        let attrs = json!({"employee_id": "E9", "first_name": "New", "last_name": "User",
            "organization_email": "new@example.com"});
        match self {
            Op::Get => ApiRequest::new("users.get").unwrap().path_param("u1"),
            Op::List => ApiRequest::new("users.list").unwrap().limit(10),
            Op::Create => ApiRequest::new("users.create").unwrap().attributes(attrs),
            Op::Update => ApiRequest::new("users.update")
                .unwrap()
                .path_param("u1")
                .attributes(attrs),
            Op::Delete => ApiRequest::new("users.delete").unwrap().path_param("u1"),
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop::sample::select(vec![Op::Get, Op::List, Op::Create, Op::Update, Op::Delete])
}

#[derive(Debug, Clone)]
struct Setup {
    max_retries: u32,
    timeout: Duration,
    requests_per_minute: Option<u32>,
    random: f64,
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        0u32..7,
        prop::sample::select(vec![
            Duration::from_millis(1),
            Duration::from_millis(300),
            Duration::from_secs(2),
            Duration::from_secs(30),
            Duration::from_secs(3600),
            Duration::from_secs(3 * 86_400),
        ]),
        prop::sample::select(vec![None, Some(1), Some(60), Some(100_000)]),
        prop_oneof![Just(0.0), Just(0.999_999), 0.0f64..1.0],
    )
        .prop_map(
            |(max_retries, timeout, requests_per_minute, random)| Setup {
                max_retries,
                timeout,
                requests_per_minute,
                random,
            },
        )
}

fn start_time() -> Timestamp {
    Timestamp::parse("2024-03-01T12:00:00Z").unwrap()
}

/// A fake driver: a session, a clock, and a script of answers played in a loop.
struct Driver {
    session: Session,
    config: Config,
    policy: RetryPolicy,
    random: f64,
    now: Timestamp,
    turns: Vec<Turn>,
    next_turn: usize,
    sends: usize,
    /// Tokens the session has held: they must never come out in an error.
    held: Vec<String>,
}

/// What a POST's answer says about whether it was applied.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Applied {
    /// Refused before applying (429, 401, not sent) or a 4xx.
    No,
    /// A 2xx, a 5xx or no answer.
    Maybe,
    /// 1xx, 3xx: not specified here.
    Unknown,
}

impl Driver {
    fn new(setup: &Setup, turns: Vec<Turn>) -> Self {
        let config = Config::custom(AUTH, API)
            .unwrap()
            .with_timeout(setup.timeout)
            .unwrap();
        let policy = RetryPolicy {
            max_retries: setup.max_retries,
            ..RetryPolicy::default()
        };
        let options = SessionOptions {
            retry: policy,
            requests_per_minute: setup.requests_per_minute,
            max_body_bytes: Some(MAX_BODY),
            ..SessionOptions::default()
        };
        Driver {
            session: Session::new(
                config.clone(),
                Credentials::new("client-1", SECRET),
                options,
            ),
            config,
            policy,
            random: setup.random,
            now: start_time(),
            turns,
            next_turn: 0,
            sends: 0,
            held: Vec::new(),
        }
    }

    fn next_turn(&mut self) -> Turn {
        let turn = self.turns[self.next_turn % self.turns.len()].clone();
        self.next_turn += 1;
        turn
    }

    /// Checks where a request goes and what it carries; true for an API request.
    fn check_request(&self, req: &http::Request<Vec<u8>>) -> Result<bool, TestCaseError> {
        let uri = req.uri();
        let auth = req
            .headers()
            .get(http::header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        let shown = format!("{uri} {:?}", req.headers());
        let body = String::from_utf8_lossy(req.body());
        if uri.scheme_str() == Some("https")
            && uri.host() == Some("auth.example")
            && uri.port().is_none()
        {
            prop_assert_eq!(uri.path(), "/oauth/token");
            prop_assert!(
                auth.as_deref().is_none_or(|a| !a.starts_with("Bearer")),
                "a bearer token sent to the token endpoint"
            );
            return Ok(false);
        }
        // Anything else must be the API origin, exactly.
        prop_assert!(
            uri.scheme_str() == Some("https")
                && uri.host() == Some("api.example")
                && uri.port().is_none(),
            "a request to another origin: {}",
            uri
        );
        prop_assert!(
            !shown.contains(SECRET) && !body.contains(SECRET),
            "the client secret sent to the API"
        );
        let bearer = auth.as_deref().and_then(|a| a.strip_prefix("Bearer "));
        prop_assert!(
            bearer.is_some_and(|t| TOKENS.contains(&t)),
            "an API request without an issued token: {:?}",
            auth
        );
        Ok(true)
    }

    /// Runs one call to the end; the result and the `Applied` class of its last API answer
    /// (`None` when no API request was sent).
    fn run(
        &mut self,
        request: &ApiRequest,
    ) -> Result<(Result<Reply, Error>, Option<Applied>), TestCaseError> {
        let post = request.operation().method.as_str() == "POST";
        // A page's `next` link the core refuses ends here, before anything is sent.
        let mut call: Call = match self.session.call(request) {
            Ok(call) => call,
            Err(e) => return Ok((Err(e), None)),
        };
        let mut last: Option<Applied> = None;
        let mut api_sends = 0usize;
        let cap = self.policy.max_retry_after.max(self.policy.max_delay);
        for _ in 0..MAX_POLLS {
            match call.poll(&mut self.session, self.now, self.random) {
                Step::Send(req) => {
                    let deadline = call.deadline().expect("a deadline once polled");
                    prop_assert!(
                        self.now.add(call.send_timeout())
                            <= deadline
                                .add(Duration::from_millis(1))
                                .max(self.now.add(Duration::from_millis(1))),
                        "a request given {:?} with {:?} left",
                        call.send_timeout(),
                        deadline.duration_since(self.now)
                    );
                    let api = self.check_request(&req)?;
                    self.sends += 1;
                    if api {
                        api_sends += 1;
                        if post && api_sends > 1 {
                            prop_assert_eq!(
                                last,
                                Some(Applied::No),
                                "a POST sent again after an answer that may mean it was applied"
                            );
                        }
                    }
                    let turn = self.next_turn();
                    let ms = self.now.unix_millis().saturating_add(turn.jump_ms);
                    self.now = Timestamp::from_unix_millis(ms.max(0));
                    let applied = self.answer(&mut call, turn.answer);
                    if let Some(t) = self.session.token() {
                        let t = t.access_token().expose_secret().to_owned();
                        if !self.held.contains(&t) {
                            self.held.push(t);
                        }
                    }
                    if api {
                        last = Some(applied);
                    }
                }
                Step::Wait(d) => {
                    let deadline = call.deadline().expect("a deadline once polled");
                    prop_assert!(d > Duration::ZERO, "a zero wait spins");
                    prop_assert!(d <= cap, "a wait of {:?} (cap {:?})", d, cap);
                    prop_assert!(
                        self.now.add(d) <= deadline,
                        "a wait of {:?} with {:?} left",
                        d,
                        deadline.duration_since(self.now)
                    );
                    self.now = self.now.add(d);
                }
                Step::Done(result) => {
                    if let Err(e) = &result {
                        let shown = format!("{e} {e:?} {}", e.to_json());
                        for secret in self.held.iter().map(String::as_str).chain([SECRET]) {
                            prop_assert!(
                                !shown.contains(secret),
                                "a secret in an error: {}",
                                shown
                            );
                        }
                    }
                    return Ok((result, last));
                }
            }
        }
        Err(TestCaseError::fail(format!(
            "the call did not end in {MAX_POLLS} polls ({} sends)",
            self.sends
        )))
    }

    /// Delivers an answer to the call; what it says about a write being applied.
    fn answer(&mut self, call: &mut Call, answer: Answer) -> Applied {
        match answer {
            Answer::Token(token, ttl) => {
                let body =
                    json!({"access_token": token, "token_type": "bearer", "expires_in": ttl});
                let resp = http::Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(body.to_string().into_bytes())
                    .unwrap();
                call.receive(&mut self.session, resp, self.now);
                Applied::Maybe
            }
            Answer::Http {
                status,
                headers,
                body,
                stop_reading,
            } => {
                let applied = match status {
                    400..=499 => Applied::No, // 429 and 401 among them
                    200..=299 | 500..=599 => Applied::Maybe,
                    _ => Applied::Unknown,
                };
                if stop_reading && body.len() as u64 > self.session.max_body_bytes() {
                    call.too_large(&mut self.session, status, self.now);
                    return applied;
                }
                let mut b = http::Response::builder().status(status);
                for (k, v) in &headers {
                    if let Ok(v) = http::HeaderValue::from_str(v) {
                        b = b.header(*k, v);
                    }
                }
                call.receive(&mut self.session, b.body(body).unwrap(), self.now);
                applied
            }
            Answer::Fail(f) => {
                call.fail(&mut self.session, f, "connection reset by peer", self.now);
                if f == Failure::NotSent {
                    Applied::No
                } else {
                    Applied::Maybe
                }
            }
        }
    }

    /// Most sends one call may make: every attempt of the retry policy for the token and the
    /// API request, one refresh after a 401, one token per scope alternative.
    fn send_bound(&self, request: &ApiRequest) -> usize {
        let attempts = self.policy.max_retries as usize + 1;
        2 * attempts + 2 + request.operation().scopes.len()
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn a_call_ends_in_bounded_steps_within_its_deadline(
        op in op(), setup in setup(), turns in turns(),
    ) {
        let mut d = Driver::new(&setup, turns);
        let request = op.request();
        let (result, last) = d.run(&request)?;
        prop_assert!(d.sends <= d.send_bound(&request), "{} sends", d.sends);
        let post = matches!(op, Op::Create);
        if let Err(e) = &result {
            if post && last == Some(Applied::Maybe) {
                prop_assert!(e.maybe_applied(), "a POST whose answer may mean applied: {:?}", e);
            }
            if !post || last.is_none() || last == Some(Applied::No) {
                prop_assert!(!e.maybe_applied(), "maybe_applied without a write in doubt: {:?}", e);
            }
        }
    }

    #[test]
    fn a_session_survives_calls_after_hostile_ones(
        ops in prop::collection::vec(op(), 1..5), setup in setup(), turns in turns(),
    ) {
        // The session's shared state (token, pacer, a token fetch in progress) carried from
        // call to call keeps every property.
        let mut d = Driver::new(&setup, turns);
        for op in ops {
            d.sends = 0;
            let request = op.request();
            let _ = d.run(&request)?;
            prop_assert!(d.sends <= d.send_bound(&request), "{} sends", d.sends);
        }
    }

    #[test]
    fn a_walk_never_takes_the_token_elsewhere(setup in setup(), turns in turns()) {
        let mut d = Driver::new(&setup, turns);
        let mut pager = Pager::new(Op::List.request());
        let config = d.config.clone();
        for _ in 0..12 {
            let Some(request) = pager.next_request() else { break };
            let (result, _) = d.run(&request)?;
            let Ok(reply) = result else { break };
            if pager.take_reply(reply, &config).is_err() {
                break;
            }
        }
    }
}

// Regressions the properties found, as plain tests.

fn setup_with(max_retries: u32, timeout: Duration, requests_per_minute: Option<u32>) -> Setup {
    Setup {
        max_retries,
        timeout,
        requests_per_minute,
        random: 0.5,
    }
}

fn turn(jump_ms: i64, answer: Answer) -> Turn {
    Turn { jump_ms, answer }
}

fn http(status: u16, headers: &[(&'static str, &str)], body: &[u8]) -> Answer {
    Answer::Http {
        status,
        headers: headers.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        body: body.to_vec(),
        stop_reading: true,
    }
}

#[test]
fn a_token_replaced_for_a_wider_scope_is_still_redacted() {
    // Without caller scopes the first token covers users:read only; a content call gets a
    // new token for both, and the old one stays valid: a server quoting it later must not
    // get it into an error.
    let quote = format!(r#"{{"errors": [{{"detail": "you sent {}"}}]}}"#, TOKENS[0]);
    let turns = vec![
        turn(0, Answer::Token(TOKENS[0], json!(3600))),
        turn(0, http(200, &[], br#"{"data": []}"#)),
        turn(0, Answer::Token(TOKENS[1], json!(3600))),
        turn(0, http(503, &[], quote.as_bytes())),
    ];
    let mut d = Driver::new(&setup_with(0, Duration::from_secs(30), None), turns);
    d.run(&Op::List.request()).unwrap().0.unwrap();
    let content = ApiRequest::new("content.list").unwrap();
    let e = d.run(&content).unwrap().0.unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert!(!format!("{e} {e:?}").contains(TOKENS[0]), "{e:?}");
}

#[test]
fn a_retry_after_in_the_past_retries_without_a_zero_wait() {
    let turns = vec![
        turn(0, Answer::Token(TOKENS[0], json!(3600))),
        turn(
            0,
            http(
                429,
                &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
                b"",
            ),
        ),
        turn(0, http(200, &[], br#"{"data": []}"#)),
    ];
    let mut d = Driver::new(&setup_with(1, Duration::from_secs(30), None), turns);
    // `run` fails the test on a zero wait.
    d.run(&Op::List.request()).unwrap().0.unwrap();
    assert_eq!(d.sends, 3);
}

#[test]
fn a_write_answered_by_an_over_long_server_error_may_have_been_applied() {
    let turns = vec![
        turn(0, Answer::Token(TOKENS[0], json!(3600))),
        turn(0, http(500, &[], &vec![b' '; MAX_BODY as usize + 1])),
    ];
    let mut d = Driver::new(&setup_with(3, Duration::from_secs(30), None), turns);
    let e = d.run(&Op::Create.request()).unwrap().0.unwrap_err();
    assert!(e.maybe_applied(), "{e:?}");
    assert_eq!(d.sends, 2, "not sent again");
}

#[test]
fn a_clock_set_back_by_a_year_neither_stretches_the_deadline_nor_the_pacing() {
    // A budget of one request a minute, then the clock goes back 400 days while the request
    // is in flight and the answer asks for a retry: the pacer's records are in the "future".
    let turns = vec![
        turn(0, Answer::Token(TOKENS[0], json!(3600))),
        turn(-400 * 86_400_000, http(503, &[], b"")),
        turn(0, http(200, &[], br#"{"data": []}"#)),
    ];
    let mut d = Driver::new(&setup_with(2, Duration::from_secs(300), Some(1)), turns);
    let started = d.now;
    let _ = d.run(&Op::List.request()).unwrap();
    // The wall time spent after the jump is what was left of the 300 s, not 400 days.
    let spent = d.now.duration_since(Timestamp::from_unix_millis(
        started.unix_millis() - 400 * 86_400_000,
    ));
    assert!(spent <= Duration::from_secs(301), "{spent:?}");
}
