//! Resumable walks: a pager's cursor, taken between pages or after a failed page, continues
//! the walk in a new pager exactly where it stopped; the progress counters survive.

use degreed::{operation, ApiRequest, Config, Pager, Reply};
use serde_json::{json, Value};

fn config() -> Config {
    Config::custom("https://auth.example", "https://api.example").unwrap()
}

/// The items of the fake server: two a day from 2024-01-01 to 2024-01-21, one at midnight
/// and one late in the evening, so every window boundary has items on it.
fn dated_items() -> Vec<Value> {
    (1..=21)
        .flat_map(|day| {
            [("00:00:00", "a"), ("23:59:59.9", "b")].map(|(time, tag)| {
                json!({"id": format!("{day:02}{tag}"),
                       "attributes": {"completed-at": format!("2024-01-{day:02}T{time}")}})
            })
        })
        .collect()
}

/// A fake server for `completions.list`: the items dated in the request's window (its end day
/// included or not, as `inclusive` says), two a page; a `next` link carries the window and
/// the offset (as a real cursor would, opaquely).
fn reply_with(request: &ApiRequest, inclusive: bool) -> Reply {
    let url = request.prepare(&config()).unwrap().url().clone();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.clone());
    let (start, end, offset) = match get("next") {
        Some(next) => {
            let parts: Vec<&str> = next.split('_').collect();
            (
                parts[0].to_owned(),
                parts[1].to_owned(),
                parts[2].parse().unwrap(),
            )
        }
        None => (
            get("filter[start_date]").unwrap(),
            get("filter[end_date]").unwrap(),
            0,
        ),
    };
    let in_window: Vec<Value> = dated_items()
        .into_iter()
        .filter(|i| {
            let day = &i["attributes"]["completed-at"].as_str().unwrap()[..10];
            day >= start.as_str() && (day < end.as_str() || (inclusive && day == end))
        })
        .collect();
    let page: Vec<Value> = in_window.iter().skip(offset).take(2).cloned().collect();
    let mut body = json!({ "data": page });
    if offset + 2 < in_window.len() {
        let next = format!("{start}_{end}_{}", offset + 2);
        body["links"] =
            json!({"next": format!("https://api.example/api/v2/completions?next={next}")});
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

fn walk_with(pager: &mut Pager, stop_after: Option<usize>, inclusive: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(req) = pager.next_request() {
        let reply = reply_with(&req, inclusive);
        out.extend(ids(&pager.on_reply(&reply, &config()).unwrap()));
        n += 1;
        if Some(n) == stop_after {
            break;
        }
    }
    out
}

fn walk(pager: &mut Pager, stop_after: Option<usize>) -> Vec<String> {
    walk_with(pager, stop_after, true)
}

/// 2024-01-01 to 2024-01-22: four windows sharing their boundary days (7, 13, 19).
fn three_weeks() -> Pager {
    let req = ApiRequest::new("completions.list").unwrap().limit(2);
    Pager::windowed(
        req,
        "2024-01-01".parse().unwrap(),
        "2024-01-22".parse().unwrap(),
    )
    .unwrap()
}

#[test]
fn every_item_once_whether_the_end_day_is_included_or_not() {
    let expected: Vec<String> = dated_items()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    for inclusive in [true, false] {
        let got = walk_with(&mut three_weeks(), None, inclusive);
        assert_eq!(got, expected, "inclusive: {inclusive}");
    }
}

#[test]
fn a_cursor_between_pages_resumes_with_the_rest_exactly_once() {
    let all = walk(&mut three_weeks(), None);
    assert_eq!(all.len(), 42);
    let pages = three_weeks();
    let mut counted = pages.clone();
    walk(&mut counted, None);
    for stop in 1..counted.pages() as usize {
        let mut first = three_weeks();
        let mut seen = walk(&mut first, Some(stop));
        let cursor = first.cursor(&config(), Vec::new()).unwrap();
        assert!(!cursor.contains("client"), "{cursor}");
        let op = operation("completions.list").unwrap();
        let (mut second, unread) = Pager::resume(op, &cursor, &config()).unwrap();
        assert!(unread.is_empty());
        assert_eq!(
            (second.pages(), second.items()),
            (stop as u64, seen.len() as u64)
        );
        assert_eq!(second.windows(), 4);
        seen.extend(walk(&mut second, None));
        assert_eq!(seen, all, "stopped after page {stop}");
        assert!(second.is_done());
    }
    // The ids kept to drop repeats are those near a boundary, not the whole walk's.
    let mut half = three_weeks();
    walk(&mut half, Some(8));
    let cursor: Value = serde_json::from_str(&half.cursor(&config(), Vec::new()).unwrap()).unwrap();
    let kept = cursor["overlap"]["previous"].as_array().unwrap().len()
        + cursor["overlap"]["current"].as_array().unwrap().len();
    assert!((1..=8).contains(&kept), "{cursor}");
}

#[test]
fn a_cursor_after_a_failed_page_retries_that_page_and_keeps_unread_items() {
    let mut first = three_weeks();
    walk(&mut first, Some(1));
    assert_eq!(first.windows_left(), 3);
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
fn a_cursor_after_a_refused_answer_retries_that_page() {
    // The answer came but the page rules refused it (items not a list): the cursor must still
    // hold the request, or resuming would list nothing (it did, before).
    let op = operation("users.list").unwrap();
    let body = br#"{"data": "not a list", "links": {"next": null}}"#;
    for kept_raw in [false, true] {
        let mut pager = Pager::new(ApiRequest::new("users.list").unwrap().limit(2));
        let sent = pager.next_request().unwrap();
        let reply = Reply {
            operation: op,
            status: 200,
            request_id: None,
            rate_limit: None,
            body: if kept_raw {
                None
            } else {
                Some(serde_json::from_slice(body).unwrap())
            },
        };
        let refused = if kept_raw {
            let page = degreed::paging::scan(op.paging, body.to_vec()).unwrap();
            pager.take_raw(&reply, page, &config()).map(|_| ())
        } else {
            pager.take_reply(reply, &config()).map(|_| ())
        };
        assert_eq!(refused.unwrap_err().kind(), degreed::ErrorKind::Decode);
        let cursor = pager.cursor(&config(), Vec::new()).unwrap();
        let (mut again, _) = Pager::resume(op, &cursor, &config()).unwrap();
        let retried = again
            .next_request()
            .expect("the refused page is asked for again");
        assert_eq!(
            retried.prepare(&config()).unwrap().url(),
            sent.prepare(&config()).unwrap().url(),
            "kept raw: {kept_raw}"
        );
        assert_eq!(again.pages(), 0);
    }
}

#[test]
fn a_walk_resumed_after_any_failed_page_gives_each_item_once() {
    let all = walk(&mut three_weeks(), None);
    for stop in 1..all.len() / 2 {
        let mut first = three_weeks();
        let mut seen = walk(&mut first, Some(stop));
        if first.next_request().is_none() {
            break; // sent, and no answer came
        }
        let cursor = first.cursor(&config(), Vec::new()).unwrap();
        let op = operation("completions.list").unwrap();
        let (mut again, _) = Pager::resume(op, &cursor, &config()).unwrap();
        seen.extend(walk(&mut again, None));
        assert_eq!(seen, all, "failed at page {}", stop + 1);
    }
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
