//! Resumable walks: a pager's cursor, taken between pages or after a failed page, continues
//! the walk in a new pager exactly where it stopped; the progress counters survive.

use degreed::{operation, ApiRequest, Config, Pager, Reply};
use serde_json::{json, Value};

fn config() -> Config {
    Config::custom("https://auth.example", "https://api.example").unwrap()
}

/// A fake server for `completions.list`: two pages per window, items named by window and page.
fn reply(request: &ApiRequest) -> Reply {
    let url = request.prepare(&config()).unwrap().url().clone();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.clone());
    let (start, page) = match get("next") {
        Some(next) => (next.clone(), 2),
        None => (get("filter[start_date]").unwrap(), 1),
    };
    let mut body =
        json!({"data": [{"id": format!("{start}/{page}a")}, {"id": format!("{start}/{page}b")}]});
    if page == 1 {
        body["links"] =
            json!({"next": format!("https://api.example/api/v2/completions?next={start}")});
    }
    Reply {
        operation: operation("completions.list").unwrap(),
        status: 200,
        request_id: None,
        rate_limit: None,
        body: Some(body),
    }
}

fn ids(page: &degreed::Page) -> Vec<String> {
    page.items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn walk(pager: &mut Pager, stop_after: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(req) = pager.next_request() {
        out.extend(ids(&pager.on_reply(&reply(&req), &config()).unwrap()));
        n += 1;
        if Some(n) == stop_after {
            break;
        }
    }
    out
}

fn three_weeks() -> Pager {
    let req = ApiRequest::new("completions.list").unwrap().limit(2);
    Pager::windowed(
        req,
        "2024-01-01".parse().unwrap(),
        "2024-01-21".parse().unwrap(),
    )
    .unwrap()
}

#[test]
fn a_cursor_between_pages_resumes_with_the_rest_exactly_once() {
    let all = walk(&mut three_weeks(), None);
    assert_eq!(all.len(), 12);
    for stop in 1..6 {
        let mut first = three_weeks();
        let mut seen = walk(&mut first, Some(stop));
        let cursor = first.cursor(&config(), Vec::new()).unwrap();
        assert!(!cursor.contains("client"), "{cursor}");
        let op = operation("completions.list").unwrap();
        let (mut second, unread) = Pager::resume(op, &cursor, &config()).unwrap();
        assert!(unread.is_empty());
        assert_eq!(
            (second.pages(), second.items()),
            (stop as u64, 2 * stop as u64)
        );
        assert_eq!(second.windows(), 3);
        seen.extend(walk(&mut second, None));
        assert_eq!(seen, all, "stopped after page {stop}");
        assert!(second.is_done());
    }
}

#[test]
fn a_cursor_after_a_failed_page_retries_that_page_and_keeps_unread_items() {
    let mut first = three_weeks();
    walk(&mut first, Some(1));
    assert_eq!(first.windows_left(), 2);
    let failed = first.next_request().unwrap(); // sent, and no answer came
    let cursor = first
        .cursor(&config(), vec![json!({"id": "held"})])
        .unwrap();
    let op = operation("completions.list").unwrap();
    let (mut again, unread) = Pager::resume(op, &cursor, &config()).unwrap();
    assert_eq!(unread, [json!({"id": "held"})]);
    let retried = again.next_request().unwrap();
    assert_eq!(
        retried.prepare(&config()).unwrap().url(),
        failed.prepare(&config()).unwrap().url()
    );
}

#[test]
fn foreign_or_mismatched_cursors_are_refused() {
    let op = operation("completions.list").unwrap();
    let users = operation("users.list").unwrap();
    let mut p = three_weeks();
    walk(&mut p, Some(1));
    let cursor = p.cursor(&config(), Vec::new()).unwrap();
    assert!(Pager::resume(users, &cursor, &config()).is_err());
    let mut v: Value = serde_json::from_str(&cursor).unwrap();
    v["requests"][0] = json!("https://evil.example/api/v2/completions?next=x");
    let e = Pager::resume(op, &v.to_string(), &config()).unwrap_err();
    assert_eq!(e.kind(), degreed::ErrorKind::InvalidRequest);
    assert!(Pager::resume(op, "not json", &config()).is_err());
    // A finished walk resumes as finished.
    let mut done = three_weeks();
    walk(&mut done, None);
    let (mut after, _) =
        Pager::resume(op, &done.cursor(&config(), Vec::new()).unwrap(), &config()).unwrap();
    assert!(after.next_request().is_none());
}
