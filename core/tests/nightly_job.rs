//! The nightly_job recipe (`examples/nightly_job.rs`, compiled in as a module) against an
//! in-process sandbox: the sample CSVs and a re-run, and the shared fault scenario
//! (`tests/scenarios/faults.json`, also replayed by the Python and JS suites): no write lost
//! or duplicated, checked against the sandbox's write log.
#![cfg(feature = "ureq")]

#[allow(dead_code)]
#[path = "../examples/nightly_job.rs"]
mod nightly_job;

use std::io::{Read, Write};
use std::net::TcpStream;

use clap::Parser;
use degreed_sandbox::{Options, Sandbox, SandboxHandle, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use nightly_job::{Args, CompletionRow, CourseRow, Outcome};
use serde_json::{json, Value};

fn sandbox() -> SandboxHandle {
    Sandbox::start(Options::default().quiet(true).rate_limit(0)).expect("the sandbox starts")
}

fn args(sb: &SandboxHandle) -> Args {
    let url = sb.base_url();
    let (id, secret) = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    Args::try_parse_from([
        "nightly_job",
        "--base-url",
        url,
        "--client-id",
        id,
        "--client-secret",
        secret,
    ])
    .expect("valid arguments")
}

/// A `/_sandbox/...` control request (POST when `body` is given) over a bare socket.
fn control(sb: &SandboxHandle, path: &str, body: Option<Value>) -> Value {
    let mut stream = TcpStream::connect(sb.addr()).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let method = if body.is_empty() { "GET" } else { "POST" };
    let length = body.len();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nContent-Length: {length}\r\n\r\n{body}"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.contains(" 200 "), "{head}");
    serde_json::from_str(body).unwrap()
}

#[test]
fn the_sample_csvs_then_a_rerun_that_changes_nothing() {
    let sb = sandbox();
    let args = args(&sb);
    let client = args.client().unwrap();
    let today = degreed::driver::now().date();
    let (courses, completions) = nightly_job::sync(&client, &args.data, today).unwrap();
    let courses: Vec<Outcome> = courses.into_iter().map(Result::unwrap).collect();
    let created = courses.iter().filter(|&&o| o == Outcome::Created).count();
    assert_eq!((created, courses.len()), (6, 7), "{courses:?}");
    assert_eq!(
        courses[6],
        Outcome::Updated,
        "COURSE-0001 exists: updated in place"
    );
    // A fresh sandbox knows only the seeded employees (the Python job imports the others).
    assert_eq!(completions.iter().filter(|r| r.is_ok()).count(), 2);
    for e in completions.iter().filter_map(|r| r.as_ref().err()) {
        assert!(e.to_string().contains("Invalid user identifier"), "{e}");
    }

    let (again, _) = nightly_job::sync(&client, &args.data, today).unwrap();
    assert!(
        again.iter().all(|r| matches!(r, Ok(Outcome::Unchanged))),
        "{again:?}"
    );
}

#[test]
fn no_write_lost_or_duplicated_under_faults() {
    let scenario: Value =
        serde_json::from_str(include_str!("../../tests/scenarios/faults.json")).unwrap();
    let sb = sandbox();
    let client = args(&sb).client().unwrap();
    let today = degreed::driver::now().date();
    for step in scenario["steps"].as_array().unwrap() {
        control(
            &sb,
            "/_sandbox/config",
            Some(json!({"write_faults": step["write_faults"]})),
        );
        let done = if let Some(course) = step.get("course") {
            let row: CourseRow = serde_json::from_value(course.clone()).unwrap();
            nightly_job::publish_course(&client, &row).map(drop)
        } else {
            let row: CompletionRow = serde_json::from_value(step["completion"].clone()).unwrap();
            nightly_job::record_completion(&client, &row, today)
        };
        done.unwrap_or_else(|e| panic!("{step}: {e}"));
    }
    let log = control(&sb, "/_sandbox/log", None)["writes"]
        .as_array()
        .unwrap()
        .clone();
    let want = scenario["writes"].as_array().unwrap();
    assert_eq!(log.len(), want.len(), "{log:#?}");
    for (got, want) in log.iter().zip(want) {
        assert_eq!(
            (&got["method"], &got["resource_type"]),
            (&want["method"], &want["resource_type"])
        );
        for (key, value) in want["attributes"].as_object().unwrap() {
            assert_eq!(&got["body"]["data"]["attributes"][key], value, "{got}");
        }
    }
}

#[test]
fn command_line() {
    let parse = |extra: &[&str]| {
        let base = [
            "nightly_job",
            "--client-id",
            "id",
            "--client-secret",
            "s3cret",
        ];
        Args::try_parse_from(base.iter().chain(extra))
    };
    let args = parse(&["--data-center", "eu"]).unwrap();
    assert!(
        args.data.join("courses.csv").is_file(),
        "{}",
        args.data.display()
    );
    assert_eq!(args.data_center, degreed::DataCenter::Eu);
    assert!(parse(&["--environment", "nowhere"]).is_err());
    assert!(parse(&["--bogus"]).is_err());
}

/// The README's Rust snippet of the recipe is made of the example's own lines, in order.
#[test]
fn the_readme_snippet_is_in_the_example() {
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("### Recipes in Rust and JavaScript").unwrap()..];
    let block = section
        .split("```rust,ignore\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let source = include_str!("../examples/nightly_job.rs");
    let mut lines = source.lines().map(str::trim);
    for want in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(
            lines.any(|l| l == want),
            "README line not in the example (in order): {want}"
        );
    }
}
