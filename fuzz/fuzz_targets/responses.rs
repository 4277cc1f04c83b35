//! The response parsers on arbitrary bytes: the input is a status, a few headers and a body
//! (see `split`). None may panic; a parse error must be a typed decode error.
#![no_main]

use degreed::catalog::Paging;
use degreed::ratelimit::RateLimit;
use degreed::response::{error_for_status, parse_json, parse_retry_after};
use degreed::{paging, Config, ErrorKind, Pager, Reply, ScopeSet, Timestamp, Token};
use libfuzzer_sys::fuzz_target;

const HEADERS: &[&str] = &[
    "content-type",
    "retry-after",
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-request-id",
    "location",
];

/// Status from the first two bytes, then up to three `header\n` lines chosen by their first
/// byte, then the body.
fn split(data: &[u8]) -> Option<(u16, http::HeaderMap, &[u8])> {
    let (head, mut rest) = data.split_at_checked(2)?;
    let status = 100 + u16::from_le_bytes([head[0], head[1]]) % 500;
    let mut headers = http::HeaderMap::new();
    for _ in 0..3 {
        let Some((&which, tail)) = rest.split_first() else {
            break;
        };
        if which < 128 {
            break;
        }
        let end = tail.iter().position(|b| *b == b'\n').unwrap_or(tail.len());
        if let Ok(v) = http::HeaderValue::from_bytes(&tail[..end]) {
            headers.append(HEADERS[usize::from(which) % HEADERS.len()], v);
        }
        rest = tail.get(end + 1..).unwrap_or_default();
    }
    Some((status, headers, rest))
}

fuzz_target!(|data: &[u8]| {
    let Some((status, headers, body)) = split(data) else {
        return;
    };
    let now = Timestamp::from_unix_millis(1_709_294_400_000);
    let config = Config::custom("https://auth.example", "https://api.example").unwrap();

    let mut resp = http::Response::new(body.to_vec());
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
    *resp.headers_mut() = headers.clone();
    let requested = ScopeSet::parse("users:read").unwrap();
    if let Ok(t) = Token::from_response(&resp, Some(&requested), now) {
        let _ = t.needs_refresh(now);
    }

    let e = error_for_status(status, &headers, body, now);
    assert_eq!(e.status(), Some(status));
    let _ = e.to_json();
    if let Some(v) = headers.get("retry-after").and_then(|v| v.to_str().ok()) {
        let _ = parse_retry_after(v, now);
    }
    if let Some(rl) = RateLimit::from_headers(&headers) {
        let mut pacer = degreed::Pacer::new(Some(70));
        pacer.observe(rl, now);
        let _ = pacer.delay(now);
    }

    let parsed = parse_json(status, &headers, body);
    if let Err(e) = &parsed {
        assert_eq!(e.kind(), ErrorKind::Decode);
    }
    for name in ["users.list", "xapi.statements.list", "users.get"] {
        let op = degreed::operation(name).unwrap();
        if op.paging != Paging::None {
            let _ = paging::scan(op.paging, body.to_vec());
        }
        if let Ok(json) = &parsed {
            if let Ok(page) = paging::read_page(op.paging, json, &config, 200) {
                if let Some(next) = page.next {
                    assert!(
                        config.is_api_origin(&next),
                        "a next link off the API origin"
                    );
                }
            }
            let reply = Reply {
                operation: op,
                status: 200,
                request_id: None,
                rate_limit: None,
                body: Some(json.clone()),
            };
            let mut pager = Pager::new(degreed::ApiRequest::for_operation(op));
            let _ = pager.next_request();
            let _ = pager.on_reply(&reply, &config);
        }
    }
});
