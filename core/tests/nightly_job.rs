//! The nightly job example (`examples/nightly_job.rs`) against an in-process sandbox: the
//! outcome of a first run, a second run that changes nothing, and no write lost or
//! duplicated when the sandbox drops answers after applying writes.
//!
//! The example's functions are compiled into this test as a module, so the test runs the
//! very code `cargo run --example nightly_job` runs.
#![cfg(feature = "ureq")]

#[allow(dead_code)]
#[path = "../examples/nightly_job.rs"]
mod nightly_job;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use degreed::driver::blocking::Client;
use degreed::{RetryPolicy, SessionOptions};
use degreed_sandbox::{FaultSpec, Options, Sandbox, SandboxHandle};
use nightly_job::{Args, Report, Tally};
use serde_json::Value;

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "degreed-nightly-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sandbox(options: Options) -> SandboxHandle {
    Sandbox::start(options.quiet(true).rate_limit(0)).expect("the sandbox starts")
}

fn args(sb: &SandboxHandle, out: &Path) -> Args {
    Args {
        base_url: Some(sb.base_url().to_owned()),
        client_id: Some(degreed_sandbox::DEFAULT_CLIENT_ID.to_owned()),
        client_secret: Some(degreed_sandbox::DEFAULT_CLIENT_SECRET.to_owned()),
        out: out.to_owned(),
        ..Args::default()
    }
}

fn client(sb: &SandboxHandle, out: &Path, options: SessionOptions) -> Client {
    nightly_job::make_client(&args(sb, out), options).expect("a client")
}

fn today() -> degreed::Date {
    degreed::driver::now().date()
}

fn run(client: &Client, out: &Path) -> Report {
    nightly_job::run_job(client, &Args::default().data, out, today()).expect("the job runs")
}

/// `name → (created, updated, unchanged, failed)`.
fn counts(report: &Report) -> HashMap<&'static str, (usize, usize, usize, usize)> {
    report
        .tallies
        .iter()
        .map(|t| (t.name, (t.created, t.updated, t.unchanged, t.failed.len())))
        .collect()
}

fn tally<'r>(report: &'r Report, name: &str) -> &'r Tally {
    report.tallies.iter().find(|t| t.name == name).unwrap()
}

/// The writes the sandbox applied (`GET /_sandbox/log`), over a bare socket.
fn writes(sb: &SandboxHandle) -> Vec<Value> {
    let mut stream = TcpStream::connect(sb.addr()).unwrap();
    write!(
        stream,
        "GET /_sandbox/log HTTP/1.0\r\nHost: {}\r\n\r\n",
        sb.addr()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.contains(" 200 "), "{head}");
    let log: Value = serde_json::from_str(body).unwrap();
    log["writes"].as_array().unwrap().clone()
}

fn posts_to<'w>(writes: &'w [Value], suffix: &str) -> Vec<&'w Value> {
    writes
        .iter()
        .filter(|w| w["method"] == "POST" && w["path"].as_str().unwrap().ends_with(suffix))
        .collect()
}

#[test]
fn first_run_then_a_rerun_that_changes_nothing() {
    let sb = sandbox(Options::default());
    let out = TempDir::new();
    let first_client = client(&sb, &out.0, nightly_job::session_options());
    let first = run(&first_client, &out.0);
    assert_eq!(
        counts(&first),
        HashMap::from([
            ("users", (10, 1, 1, 1)),
            ("courses", (6, 1, 0, 0)),
            ("completions", (14, 0, 0, 1)),
        ])
    );
    let users = tally(&first, "users");
    assert_eq!(users.failed[0].0, "E20011");
    assert!(
        users.failed[0].1.contains("organization_email"),
        "{users:?}"
    );
    let completions = tally(&first, "completions");
    assert_eq!(completions.failed[0].0, "E99999");
    assert!(
        completions.failed[0].1.contains("Invalid user identifier"),
        "{completions:?}"
    );

    // The export: one completion object a line, every new one among them.
    assert_eq!(
        first.export_path,
        out.0.join(format!("completions-{}.jsonl", today()))
    );
    let text = std::fs::read_to_string(&first.export_path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), first.exported);
    assert!(first.exported >= 14, "{}", first.exported);
    assert!(lines.iter().all(|l| l["type"] == "completions"));
    // The seed has no E200xx employees: their 12 completions are all the job's.
    let new_hires = lines
        .iter()
        .filter(|l| {
            l["attributes"]["employee-id"]
                .as_str()
                .is_some_and(|e| e.starts_with("E200"))
        })
        .count();
    assert_eq!(new_hires, 12);

    // What the sandbox applied: 10 users, 6 courses, 14 completions, 2 updates.
    let log = writes(&sb);
    assert_eq!(posts_to(&log, "/api/v2/users").len(), 10);
    assert_eq!(posts_to(&log, "/api/v2/content/courses").len(), 6);
    let created = posts_to(&log, "/api/v2/completions");
    assert_eq!(created.len(), 14);
    let e10002 = created
        .iter()
        .find(|w| w["body"]["data"]["attributes"]["user-id"] == "E10002")
        .expect("E10002's completion");
    assert_eq!(
        e10002["body"]["data"]["attributes"]["content-id"],
        "COURSE-0001"
    );
    assert_eq!(
        e10002["body"]["data"]["attributes"]["completed-at"],
        format!("{}T11:11:00", today().add_days(-10))
    );
    let patches: Vec<_> = log.iter().filter(|w| w["method"] == "PATCH").collect();
    assert_eq!(patches.len(), 2, "{patches:?}");
    let stats = first_client.stats();
    assert_eq!((stats.token_requests, stats.retries), (1, 0));

    // The summary, as the example prints it.
    let mut summary = Vec::new();
    nightly_job::write_summary(&mut summary, &first, &stats, Duration::from_millis(1234)).unwrap();
    let summary = String::from_utf8(summary).unwrap();
    let expected_head = "\nSummary\n                created  updated  unchanged  failed\n  \
        users              10        1          1       1\n  \
        courses             6        1          0       0\n  \
        completions        14        0          0       1\n";
    assert!(summary.starts_with(expected_head), "{summary}");
    assert!(summary.contains(&format!(
        "  requests {}, retries 0, 429s 0, token requests 1, elapsed 1.2s\nFailures\n  \
         users E20011: new user lacks organization_email\n  completions E99999: ",
        stats.requests
    )));
    assert!(!summary.contains(degreed_sandbox::DEFAULT_CLIENT_SECRET));

    // A second run, with a new client, changes nothing.
    let again_client = client(&sb, &out.0, nightly_job::session_options());
    let again = run(&again_client, &out.0);
    assert_eq!(
        counts(&again),
        HashMap::from([
            ("users", (0, 0, 12, 1)),
            ("courses", (0, 0, 7, 0)),
            ("completions", (0, 0, 14, 1)),
        ])
    );
    assert_eq!(writes(&sb).len(), log.len(), "the re-run wrote something");
    assert_eq!(again.exported, first.exported);
}

#[test]
fn the_job_asks_only_for_the_scopes_it_needs() {
    assert_eq!(
        nightly_job::minimal_scopes().to_wire(),
        "completions:write,content:write,users:write"
    );
    // With a key that lacks `completions:write`, every completion fails on its own (a
    // permission error naming the scope) and none is written; the rest of the job runs.
    let sb = sandbox(
        Options::default().client(
            degreed_sandbox::ClientSpec::parse(
                "narrow:narrow-secret:users:write,content:write,completions:read",
            )
            .unwrap(),
        ),
    );
    let out = TempDir::new();
    let client = nightly_job::make_client(
        &Args {
            client_id: Some("narrow".into()),
            client_secret: Some("narrow-secret".into()),
            ..args(&sb, &out.0)
        },
        SessionOptions::default(),
    )
    .unwrap();
    let report = run(&client, &out.0);
    let completions = tally(&report, "completions");
    assert_eq!(completions.created, 0);
    assert_eq!(completions.failed.len(), 15, "{completions:?}");
    assert!(completions
        .failed
        .iter()
        .all(|(_, reason)| reason.contains("completions:write")));
    assert_eq!(tally(&report, "users").created, 10);
    assert!(posts_to(&writes(&sb), "/api/v2/completions").is_empty());
}

#[test]
fn arguments() {
    let parse = |a: &[&str]| Args::parse(a.iter().map(|s| s.to_string()));
    let a = parse(&[
        "--base-url",
        "http://127.0.0.1:9",
        "--client-id=me",
        "--client-secret",
        "s3cret",
        "--data",
        "d",
        "--out=o",
    ])
    .unwrap()
    .unwrap();
    assert_eq!(a.base_url.as_deref(), Some("http://127.0.0.1:9"));
    assert_eq!(a.client_id.as_deref(), Some("me"));
    assert_eq!(a.client_secret.as_deref(), Some("s3cret"));
    assert_eq!((a.data, a.out), (PathBuf::from("d"), PathBuf::from("o")));
    assert!(parse(&["--help"]).unwrap().is_none());
    assert!(parse(&["--out"]).unwrap_err().contains("needs a value"));
    assert!(parse(&["--frobnicate"]).unwrap_err().contains("unknown"));
    let defaults = parse(&[]).unwrap().unwrap();
    assert!(defaults.data.join("users.csv").is_file());
}

#[test]
fn csv_reader_handles_quotes_blank_lines_and_short_rows() {
    let rows = nightly_job::parse_csv(
        "\u{feff}a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n\"multi\nline\", 2 \n4\n",
    )
    .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (rows[0].get("a"), rows[0].get("b"), rows[0].get("c")),
        ("1", "x, \"y\"", "3")
    );
    assert_eq!((rows[1].get("a"), rows[1].get("b")), ("multi\nline", "2"));
    assert_eq!((rows[2].get("a"), rows[2].get("b")), ("4", ""));
    assert_eq!(rows[2].get("nope"), "");
    assert!(nightly_job::parse_csv("a\n\"open").is_err());
    assert!(nightly_job::parse_csv("").unwrap().is_empty());
}

#[test]
fn no_write_is_lost_or_duplicated_when_answers_are_dropped_after_writes() {
    // Writes are applied, then answered with a 500 or a dropped connection: the job must
    // look before writing again. (No Retry-After faults here, to keep the test fast.)
    let sb = sandbox(
        Options::default()
            .seed(7)
            .faults(FaultSpec::parse("after:500=0.15,after:reset=0.1").unwrap()),
    );
    let out = TempDir::new();
    let options = SessionOptions {
        retry: RetryPolicy {
            max_retries: 8,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        },
        ..nightly_job::session_options()
    };
    let client = client(&sb, &out.0, options);
    let report = run(&client, &out.0);
    assert!(client.stats().retries > 0, "no fault was injected");

    let log = writes(&sb);
    let mut per_row: HashMap<(String, String), usize> = HashMap::new();
    for w in posts_to(&log, "/api/v2/completions") {
        let a = &w["body"]["data"]["attributes"];
        let key = (
            a["user-id"].as_str().unwrap().to_owned(),
            a["content-id"].as_str().unwrap().to_owned(),
        );
        *per_row.entry(key).or_default() += 1;
    }
    assert_eq!(per_row.len(), 14, "{per_row:?}");
    assert!(per_row.values().all(|&n| n == 1), "{per_row:?}");
    let users = posts_to(&log, "/api/v2/users");
    assert_eq!(users.len(), 10);
    let courses = posts_to(&log, "/api/v2/content/courses");
    assert_eq!(courses.len(), 6);

    // Only the unknown employee's completion and the user without an e-mail fail; the rows
    // whose answer was lost are counted as done (created, or found unchanged on a look).
    let c = counts(&report);
    assert_eq!(c["users"].3, 1, "{report:?}");
    assert_eq!(c["users"].0 + c["users"].1 + c["users"].2, 12);
    assert_eq!(c["courses"].3, 0, "{report:?}");
    assert_eq!(c["courses"].0 + c["courses"].1 + c["courses"].2, 7);
    assert_eq!(c["completions"], (14, 0, 0, 1), "{report:?}");

    // And a clean re-run finds everything in place.
    let calm = client_without_faults(&sb, &out.0);
    let again = run(&calm, &out.0);
    assert_eq!(
        counts(&again),
        HashMap::from([
            ("users", (0, 0, 12, 1)),
            ("courses", (0, 0, 7, 0)),
            ("completions", (0, 0, 14, 1)),
        ])
    );
}

/// Turns the faults off (`POST /_sandbox/config`) and returns a fresh client.
fn client_without_faults(sb: &SandboxHandle, out: &Path) -> Client {
    let body = r#"{"faults": ""}"#;
    let mut stream = TcpStream::connect(sb.addr()).unwrap();
    write!(
        stream,
        "POST /_sandbox/config HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        sb.addr(),
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert!(
        raw.starts_with("HTTP/1.1 200") || raw.starts_with("HTTP/1.0 200"),
        "{raw}"
    );
    client(sb, out, nightly_job::session_options())
}
