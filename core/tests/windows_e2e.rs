//! Date windows against the sandbox, under both readings of `filter[end_date]`: every windowed
//! list walked over 36 days gives each item exactly once, whether the server includes the end
//! day (`--window-end inclusive`) or not (`exclusive`). Degreed does not say which it does.
//!
//! Each list is walked seven times, its start moved a day each time, so that every day of the
//! range with items on it is a boundary shared by two windows in one of the walks: the test
//! counts those items and fails if there are none (it could not fail otherwise).
//!
//! Run with `cargo test -p degreed --features ureq --test windows_e2e`.
#![cfg(feature = "ureq")]

use std::collections::BTreeSet;
use std::time::Duration;

use degreed::driver::blocking::Client;
use degreed::{ApiRequest, Config, Credentials, Date, SessionOptions};
use degreed_sandbox::{Options, Sandbox};

/// The attribute each windowed list is filtered on by the sandbox (tests/README.md, "Dates
/// filtered"). An operation made windowed without an entry here fails the test.
fn date_attribute(op: &str) -> &'static str {
    match op {
        "completions.list" => "completed-at",
        "required_learning.list" => "created-at",
        "recommendations.list" => "recommended-at",
        "logins.list" => "logged-in-at",
        "views.list" => "viewed-at",
        "pathways.list" => "modified-at",
        "skill_ratings.list" => "rated-at",
        "user_skills.list" | "user_followers.list" => "followed-at",
        other => panic!("{other} is windowed: say which attribute the sandbox filters it on"),
    }
}

/// Days walked: more than four weeks, so a walk has six windows.
const SPAN: i64 = 35;

fn client(base: &str) -> Client {
    let config = Config::custom(base, base)
        .unwrap()
        .with_timeout(Duration::from_secs(20))
        .unwrap();
    Client::new(
        config,
        Credentials::new(
            degreed_sandbox::DEFAULT_CLIENT_ID,
            degreed_sandbox::DEFAULT_CLIENT_SECRET,
        ),
        SessionOptions::default(),
    )
}

/// `(id, day)` of every item of `op`, unfiltered.
fn everything(client: &Client, op: &str) -> Vec<(String, Date)> {
    let attribute = date_attribute(op);
    let request = ApiRequest::new(op).unwrap().limit(1000);
    let mut out = Vec::new();
    for page in client.pages(request) {
        for item in page.unwrap().items {
            let at = item["attributes"][attribute].as_str().unwrap();
            out.push((
                item["id"].as_str().unwrap().to_owned(),
                at[..10].parse().unwrap(),
            ));
        }
    }
    out
}

/// The start of the `SPAN`-day range holding the most items, its first window's end on an
/// item's day.
fn busiest_start(items: &[(String, Date)]) -> Date {
    let count = |start: Date| {
        let end = start.add_days(SPAN);
        items
            .iter()
            .filter(|(_, d)| start <= *d && *d <= end)
            .count()
    };
    items
        .iter()
        .map(|(_, d)| d.add_days(-6))
        .max_by_key(|s| (count(*s), *s))
        .expect("the sandbox seeds this list")
}

/// Walks each windowed list seven times; the number of items lying on a shared boundary day.
fn check_every_list(inclusive: bool) -> usize {
    let sb = Sandbox::start(
        Options::default()
            .quiet(true)
            .rate_limit(0)
            .anchor_date("2026-06-15")
            .sizes(60, 200, 200)
            .window_end_inclusive(inclusive),
    )
    .expect("sandbox");
    let client = client(sb.base_url());
    let mut on_boundaries = 0;
    let windowed: Vec<&str> = degreed::operations()
        .filter(|o| o.windowed)
        .map(|o| o.name)
        .collect();
    assert_eq!(windowed.len(), 9, "{windowed:?}");
    for op in windowed {
        let items = everything(&client, op);
        let first = busiest_start(&items);
        let mut hits = 0;
        for shift in 0..7 {
            let (start, end) = (first.add_days(shift), first.add_days(shift + SPAN));
            let in_range = |d: Date| start <= d && (d < end || (inclusive && d == end));
            let expected: BTreeSet<&str> = items
                .iter()
                .filter(|(_, d)| in_range(*d))
                .map(|(id, _)| id.as_str())
                .collect();
            let request = ApiRequest::new(op).unwrap().limit(1000);
            let mut got = Vec::new();
            for page in client.pages_between(request, start, end).unwrap() {
                for item in page.unwrap().items {
                    got.push(item["id"].as_str().unwrap().to_owned());
                }
            }
            let unique: BTreeSet<&str> = got.iter().map(String::as_str).collect();
            assert_eq!(
                unique.len(),
                got.len(),
                "{op} {start}..{end} (inclusive: {inclusive}): an item came twice"
            );
            assert_eq!(
                unique, expected,
                "{op} {start}..{end} (inclusive: {inclusive})"
            );
            // Boundaries shared by two windows: every sixth day after the start.
            hits += items
                .iter()
                .filter(|(_, d)| {
                    let k = start.days_until(*d);
                    k > 0 && k < SPAN && k % 6 == 0
                })
                .count();
        }
        assert!(
            hits > 0,
            "{op}: no item on a boundary, the test proves nothing"
        );
        on_boundaries += hits;
    }
    on_boundaries
}

#[test]
fn windows_lose_nothing_when_the_end_day_is_included() {
    let hits = check_every_list(true);
    eprintln!("inclusive: {hits} items on shared boundary days");
}

#[test]
fn windows_lose_nothing_when_the_end_day_is_excluded() {
    let hits = check_every_list(false);
    eprintln!("exclusive: {hits} items on shared boundary days");
}

/// A walk stopped after any page and resumed from its cursor (in a new client, as after a
/// crash) still gives each item once: the ids remembered at the boundary travel in the cursor.
#[test]
fn a_walk_resumed_from_its_cursor_gives_each_item_once() {
    let sb = Sandbox::start(
        Options::default()
            .quiet(true)
            .rate_limit(0)
            .anchor_date("2026-06-15")
            .sizes(60, 200, 200)
            .window_end_inclusive(true),
    )
    .expect("sandbox");
    let op = "completions.list";
    let items = everything(&client(sb.base_url()), op);
    let start = busiest_start(&items);
    let end = start.add_days(SPAN);
    let walk = |client: &Client| {
        let request = ApiRequest::new(op).unwrap().limit(3);
        client.pages_between(request, start, end).unwrap()
    };
    let ids = |page: degreed::Page| -> Vec<String> {
        let id = |i: &serde_json::Value| i["id"].as_str().unwrap().to_owned();
        page.items.iter().map(id).collect()
    };
    let all: Vec<String> = walk(&client(sb.base_url()))
        .flat_map(|p| ids(p.unwrap()))
        .collect();
    let pages = walk(&client(sb.base_url())).count();
    assert!(pages > 12, "{pages} pages");
    let config = Config::custom(sb.base_url(), sb.base_url()).unwrap();
    let operation = degreed::operation(op).unwrap();
    for stop in 1..pages {
        let mut first = walk(&client(sb.base_url()));
        let mut seen: Vec<String> = first
            .by_ref()
            .take(stop)
            .flat_map(|p| ids(p.unwrap()))
            .collect();
        let cursor = first.pager().cursor(&config, Vec::new()).unwrap();
        let (pager, unread) = degreed::Pager::resume(operation, &cursor, &config).unwrap();
        assert!(unread.is_empty());
        seen.extend(
            client(sb.base_url())
                .pager(pager)
                .flat_map(|p| ids(p.unwrap())),
        );
        assert_eq!(seen, all, "stopped after page {stop}");
    }
}
