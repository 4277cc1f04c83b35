//! The `Call` state machine driven by arbitrary bytes: the input picks the operation, the
//! retry policy, the deadline and every answer (status, hostile rate-limit and `Retry-After`
//! headers, bodies, connection failures, clock jumps forward and back). Asserts what
//! core/tests/call_properties.rs asserts: the call ends within bounded polls; no wait is zero,
//! over the cap or past the deadline; a POST is not sent again after an answer that may mean
//! it was applied; requests go only to the token endpoint and the API origin; no secret comes
//! back in an error.
#![no_main]

use std::time::Duration;

use degreed::{
    ApiRequest, Config, Credentials, Failure, RetryPolicy, Session, SessionOptions, Step, Timestamp,
};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-secret-C0FFEE";
const TOKENS: &[&str] = &["tok-fuzz-AAAA", "tok-fuzz-BBBB"];

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }
    fn pick<T: Copy>(&mut self, table: &[T]) -> T {
        table[usize::from(self.byte()) % table.len()]
    }
    fn bytes(&mut self) -> Vec<u8> {
        let n = usize::from(self.byte()).min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken.to_vec()
    }
}

const STATUSES: &[u16] = &[
    200, 201, 204, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 504, 302, 100,
];
const JUMPS_MS: &[i64] = &[
    0,
    0,
    0,
    1,
    50,
    999,
    30_000,
    3_600_000,
    400 * 86_400_000,
    -2,
    -600_000,
    -400 * 86_400_000,
];
const HEADER_VALUES: &[(&str, &str)] = &[
    ("retry-after", "0"),
    ("retry-after", "1"),
    ("retry-after", "99999999999999999999"),
    ("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
    ("x-rate-limit-limit", "366d"),
    ("x-rate-limit-limit", "1m"),
    ("x-rate-limit-remaining", "0"),
    ("x-rate-limit-remaining", "4294967296"),
    ("x-rate-limit-reset", "9999-12-31T23:59:59Z"),
    ("x-rate-limit-reset", "2024-03-01T12:00:01Z"),
    ("content-type", "text/html"),
    ("location", "https://evil.example/"),
];
const BODIES: &[&str] = &[
    "",
    r#"{"data": {"type": "users", "id": "u1", "attributes": {}}}"#,
    r#"{"data": [], "links": {"next": "https://evil.example/api/v2/users"}}"#,
    r#"{"data": [{"id": "u2"}], "links": {"next": "/api/v2/users?cursor=2"}}"#,
    r#"{"data": {"type": "users", "id": "u1", "attr"#,
    r#"{"errors": [{"detail": "fuzz-secret-C0FFEE tok-fuzz-AAAA tok-fuzz-BBBB"}]}"#,
    "<html>502</html>",
];

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let (name, post) = input.pick(&[
        ("users.get", false),
        ("users.list", false),
        ("users.create", true),
        ("users.update", false),
        ("users.delete", false),
    ]);
    let mut request = ApiRequest::new(name).unwrap();
    if name != "users.list" && name != "users.create" {
        request = request.path_param("u1");
    }
    if name == "users.create" || name == "users.update" {
        // A create needs the fields the schema requires on it (refused before sending).
        request = request.attributes(serde_json::json!({"employee_id": "E1", "first_name": "F",
            "last_name": "L", "organization_email": "f@example.com"}));
    }
    let policy = RetryPolicy {
        max_retries: u32::from(input.byte() % 7),
        ..RetryPolicy::default()
    };
    let timeout = input.pick(&[1u64, 300, 2_000, 30_000, 3_600_000]);
    let config = Config::custom("https://auth.example", "https://api.example")
        .unwrap()
        .with_timeout(Duration::from_millis(timeout))
        .unwrap();
    let options = SessionOptions {
        retry: policy,
        requests_per_minute: input.pick(&[None, Some(1), Some(60)]),
        max_body_bytes: Some(1024),
        ..SessionOptions::default()
    };
    let random = f64::from(input.byte()) / 256.0;
    let mut session = Session::new(config, Credentials::new("client-1", SECRET), options);
    let mut now = Timestamp::from_unix_millis(1_709_294_400_000);
    let mut call = session.call(&request).unwrap();
    let cap = policy.max_retry_after.max(policy.max_delay);
    let mut held: Vec<String> = Vec::new();
    let mut api_sends = 0;
    let mut last_maybe = false;
    for _ in 0..10_000 {
        match call.poll(&mut session, now, random) {
            Step::Send(req) => {
                let uri = req.uri().clone();
                let api = match (uri.scheme_str(), uri.host(), uri.port()) {
                    (Some("https"), Some("auth.example"), None) => false,
                    (Some("https"), Some("api.example"), None) => true,
                    _ => panic!("a request to another origin: {uri}"),
                };
                if api {
                    api_sends += 1;
                    assert!(
                        !(post && api_sends > 1 && last_maybe),
                        "a POST sent again after a maybe-applied answer"
                    );
                    assert!(!String::from_utf8_lossy(req.body()).contains(SECRET));
                }
                let jump = input.pick(JUMPS_MS);
                now = Timestamp::from_unix_millis((now.unix_millis() + jump).max(0));
                let maybe = match input.byte() % 8 {
                    0 => {
                        let token = input.pick(TOKENS);
                        let ttl = input.pick(&[
                            "3600",
                            "0",
                            "1",
                            "-5",
                            "1e300",
                            "\"x\"",
                            "18446744073709551615",
                        ]);
                        let body = format!(
                            r#"{{"access_token":"{token}","token_type":"bearer","expires_in":{ttl}}}"#
                        );
                        call.receive(&mut session, http::Response::new(body.into_bytes()), now);
                        true
                    }
                    5 => {
                        call.fail(&mut session, Failure::NotSent, "refused", now);
                        false
                    }
                    6 => {
                        call.fail(&mut session, Failure::MaybeSent, "reset", now);
                        true
                    }
                    kind => {
                        let status = if kind == 7 {
                            100 + u16::from(input.byte()) * 2
                        } else {
                            input.pick(STATUSES)
                        };
                        let mut resp = http::Response::new(if kind == 7 {
                            input.bytes()
                        } else {
                            input.pick(BODIES).as_bytes().to_vec()
                        });
                        *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
                        for _ in 0..input.byte() % 4 {
                            let (k, v) = input.pick(HEADER_VALUES);
                            resp.headers_mut()
                                .append(k, http::HeaderValue::from_static(v));
                        }
                        if input.byte() % 4 == 0 {
                            call.too_large(&mut session, status, now);
                        } else {
                            call.receive(&mut session, resp, now);
                        }
                        matches!(status, 200..=299 | 500..=599)
                    }
                };
                if api {
                    last_maybe = maybe;
                }
                if let Some(t) = session.token() {
                    let t = t.access_token().expose_secret().to_owned();
                    if !held.contains(&t) {
                        held.push(t);
                    }
                }
            }
            Step::Wait(d) => {
                let deadline = call.deadline().expect("a deadline once polled");
                assert!(d > Duration::ZERO && d <= cap, "a wait of {d:?}");
                assert!(now.add(d) <= deadline, "a wait past the deadline");
                now = now.add(d);
            }
            Step::Done(result) => {
                if let Err(e) = result {
                    let shown = format!("{e} {e:?} {}", e.to_json());
                    for secret in held.iter().map(String::as_str).chain([SECRET]) {
                        assert!(!shown.contains(secret), "a secret in an error: {shown}");
                    }
                }
                return;
            }
        }
    }
    panic!("the call did not end in 10,000 polls");
});
