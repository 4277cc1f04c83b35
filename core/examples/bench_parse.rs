//! What the core costs on the CPU, next to plain `serde_json`: parsing a 1000-item page,
//! normalizing its items (what the Python and JavaScript bindings do), decoding typed models
//! (from a parsed tree with `decode_list`, and from the bytes with `decode_page`), and the
//! `Call` state machine per request, all without a network.
//!
//! ```text
//! cargo run --release -p degreed --example bench_parse               # timings, about 10 s
//! cargo run --release -p degreed --example bench_parse -- --quick    # fewer samples, about 3 s
//! cargo run --release -p degreed --example bench_parse -- --callgrind
//!     # adds instructions per operation, counted with valgrind (repeatable across runs)
//! ```
//!
//! Part of `scripts/bench.sh`; a benchmark, not a test. Times are medians over repeated
//! batches (`std::time::Instant`); "per item" divides by the page's 1000 items; MB/s is the
//! page's JSON size over the median time. The pages are generated here in the shape the API
//! (and the sandbox) sends: kebab-case attributes, timestamps with 0 to 7 fraction digits,
//! `relationships` as an array of one-key objects, `included` content in completions.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use degreed::catalog::Paging;
use degreed::models::{self, Completion, KeyCase, User};
use degreed::{
    ApiRequest, Config, Credentials, Pager, Reply, Session, SessionOptions, Step, Timestamp,
};
use serde::Deserialize;
use serde_json::{json, Value};

const ITEMS: usize = 1000;
const BASE: &str = "https://api.example";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fx = Fixtures::new();
    let mut cases = cases(&fx);

    // `--one INDEX ITERS`: run one case ITERS times, for callgrind (see `count_instructions`).
    if let Some(i) = args.iter().position(|a| a == "--one") {
        let index: usize = args[i + 1].parse().expect("case index");
        let iters: usize = args[i + 2].parse().expect("iterations");
        for _ in 0..iters {
            (cases[index].run)(1);
        }
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let callgrind = args.iter().any(|a| a == "--callgrind");
    let budget = Duration::from_millis(if quick { 150 } else { 600 });

    println!(
        "pages: users {} items, {:.1} KB; completions {} items, {:.1} KB (JSON as the API sends it)",
        ITEMS,
        fx.users.len() as f64 / 1024.0,
        ITEMS,
        fx.completions.len() as f64 / 1024.0,
    );
    let counts = if callgrind {
        count_instructions(&cases)
    } else {
        vec![None; cases.len()]
    };
    let mut rows: Vec<Row> = Vec::new();
    for (case, ir) in cases.iter_mut().zip(counts) {
        let (ns, best) = median_ns(case, budget);
        rows.push(Row {
            group: case.group,
            name: case.name,
            ns,
            best,
            items: case.items,
            bytes: case.bytes,
            ratio: case.baseline.map(|b| {
                if b == rows.len() {
                    1.0
                } else {
                    ns / rows[b].ns
                }
            }),
            ir,
        });
    }
    print_table(&rows, callgrind);
    println!();
    println!("median/op and best: over repeated batches (std::time::Instant); per item, MB/s and");
    println!("vs parse use the median; vs parse: against serde_json::from_slice -> Value of the");
    println!("same page (the users page for the Call rows).");
    if callgrind {
        println!("instr/op: instructions inside the measured code only (valgrind --tool=callgrind");
        println!(
            "--toggle-collect), averaged over 3 pages or 200 requests; repeatable to about 1%."
        );
    }
}

// ---------------------------------------------------------------------------------------
// Measuring

struct Case<'a> {
    group: &'static str,
    name: &'static str,
    /// Items per operation (for "per item"); 0 when not a page.
    items: usize,
    /// JSON bytes read per operation (for MB/s); 0 when not meaningful.
    bytes: usize,
    /// Operations per timed batch (cheap operations are timed in batches).
    batch: usize,
    /// The case this one is compared with (index), if any.
    baseline: Option<usize>,
    /// Prepares inputs for `n` operations (not timed), then runs them (timed); returns the
    /// time the `n` operations took.
    run: Box<dyn FnMut(usize) -> Duration + 'a>,
}

/// The only code callgrind counts (`--toggle-collect`): the operations themselves, including
/// dropping what they produced, and none of the preparation.
#[inline(never)]
fn bench_measured_region<R>(f: impl FnOnce() -> R) -> R {
    let out = f();
    black_box(&out);
    out
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    bench_measured_region(f);
    start.elapsed()
}

/// Median and best nanoseconds per operation: batches until the time budget is spent (at
/// least 11, at most 301), after one warm-up batch.
fn median_ns(case: &mut Case<'_>, budget: Duration) -> (f64, f64) {
    (case.run)(case.batch);
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < 301 && (samples.len() < 11 || start.elapsed() < budget) {
        let d = (case.run)(case.batch);
        samples.push(d.as_nanos() as f64 / case.batch as f64);
    }
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0])
}

/// Instructions per operation of each case, by running this program under
/// `valgrind --tool=callgrind` with collection on only inside `bench_measured_region`
/// (a few cases at a time, one per CPU).
fn count_instructions(cases: &[Case<'_>]) -> Vec<Option<f64>> {
    let exe = std::env::current_exe().expect("current exe");
    let parallel = std::thread::available_parallelism().map_or(1, |n| n.get());
    let iters = |case: &Case<'_>| if case.items > 0 { 3 } else { 200 };
    let mut out = Vec::new();
    let indexes: Vec<usize> = (0..cases.len()).collect();
    for chunk in indexes.chunks(parallel) {
        let children: Vec<_> = chunk
            .iter()
            .map(|&i| {
                Command::new("valgrind")
                    .args([
                        "--tool=callgrind",
                        "--callgrind-out-file=/dev/null",
                        "--toggle-collect=*bench_measured_region*",
                    ])
                    .arg(&exe)
                    .args(["--one", &i.to_string(), &iters(&cases[i]).to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
            })
            .collect();
        for (&i, child) in chunk.iter().zip(children) {
            let ir = child
                .ok()
                .and_then(|c| c.wait_with_output().ok())
                .and_then(|o| {
                    let text = String::from_utf8_lossy(&o.stderr).into_owned();
                    // "==123== Collected : 45678"
                    text.lines()
                        .find_map(|l| l.split("Collected :").nth(1))
                        .and_then(|n| n.trim().parse::<f64>().ok())
                });
            if ir.is_none() {
                eprintln!("callgrind: no count for `{}`", cases[i].name);
            }
            out.push(ir.map(|n| n / iters(&cases[i]) as f64));
        }
    }
    out
}

struct Row {
    group: &'static str,
    name: &'static str,
    ns: f64,
    best: f64,
    items: usize,
    bytes: usize,
    ratio: Option<f64>,
    ir: Option<f64>,
}

fn human_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn print_table(rows: &[Row], callgrind: bool) {
    let width = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut group = "";
    for r in rows {
        if r.group != group {
            group = r.group;
            println!();
            print!(
                "{:<width$}  {:>10}  {:>10}  {:>9}  {:>8}  {:>8}",
                group, "median/op", "best", "per item", "MB/s", "vs parse"
            );
            if callgrind {
                print!("  {:>14}", "instr/op");
            }
            println!();
        }
        let per_item = if r.items > 0 {
            human_ns(r.ns / r.items as f64)
        } else {
            "-".into()
        };
        let mbs = if r.bytes > 0 {
            format!("{:.0}", r.bytes as f64 / (r.ns / 1e9) / 1e6)
        } else {
            "-".into()
        };
        let name_pad = width + r.name.len() - r.name.chars().count();
        let ratio = r.ratio.map_or_else(|| "-".into(), |x| format!("{x:.2}x"));
        print!(
            "{:<name_pad$}  {:>10}  {:>10}  {:>9}  {:>8}  {:>8}",
            r.name,
            human_ns(r.ns),
            human_ns(r.best),
            per_item,
            mbs,
            ratio
        );
        if callgrind {
            match r.ir {
                Some(n) => print!("  {:>14}", thousands(n.round() as u64)),
                None => print!("  {:>14}", "n/a"),
            }
        }
        println!();
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------
// The cases

fn cases(fx: &Fixtures) -> Vec<Case<'_>> {
    let mut v = Vec::new();
    for (group, body, decode, decode_bytes) in [
        (
            "users page (1000 items)",
            &fx.users,
            decode_users as fn(Value) -> usize,
            (|b| models::decode_page::<User>(b).unwrap().len()) as fn(&[u8]) -> usize,
        ),
        (
            "completions page (1000 items, with included)",
            &fx.completions,
            decode_completions as fn(Value) -> usize,
            (|b| models::decode_page::<Completion>(b).unwrap().len()) as fn(&[u8]) -> usize,
        ),
    ] {
        let typed_by_hand: fn(&[u8]) -> usize = if group.starts_with("users") {
            |b| {
                serde_json::from_slice::<HandPage<HandUser>>(b)
                    .unwrap()
                    .data
                    .len()
            }
        } else {
            |b| {
                serde_json::from_slice::<HandPage<HandCompletion>>(b)
                    .unwrap()
                    .data
                    .len()
            }
        };
        let first = v.len();
        v.push(page_case(
            group,
            "serde_json::from_slice -> Value (baseline)",
            body,
            first,
            move |b| {
                let v: Value = serde_json::from_slice(b).unwrap();
                black_box(&v);
            },
        ));
        v.push(page_case(
            group,
            "paging::scan: page checked, no tree (Python, JS)",
            body,
            first,
            move |b| {
                let page = degreed::paging::scan(Paging::Cursor, b.to_vec()).unwrap();
                black_box(&page);
            },
        ));
        v.push(page_case(
            group,
            "serde_json -> hand-written #[derive(Deserialize)] structs",
            body,
            first,
            move |b| {
                black_box(typed_by_hand(b));
            },
        ));
        v.push(page_case(
            group,
            "from_slice + models::normalize each item (bindings)",
            body,
            first,
            |b| {
                let v: Value = serde_json::from_slice(b).unwrap();
                let out: Vec<Value> = v["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| models::normalize(i, KeyCase::Snake))
                    .collect();
                black_box(&out);
            },
        ));
        v.push(page_case(
            group,
            "from_slice -> Value + decode_list typed models (from the tree)",
            body,
            first,
            move |b| {
                black_box(decode(serde_json::from_slice(b).unwrap()));
            },
        ));
        v.push(page_case(
            group,
            "decode_page: typed models from the bytes (Rust SDK)",
            body,
            first,
            move |b| {
                black_box(decode_bytes(b));
            },
        ));
    }

    let per_request = "one request through the Call state machine (no network)";
    let config = fx.config.clone();
    let users_req = ApiRequest::new("users.list").unwrap().limit(1000);

    // Token cached, empty page: the state machine alone.
    {
        let mut session = warm_session(fx);
        let req = users_req.clone();
        let empty = fx.empty.clone();
        v.push(Case {
            group: per_request,
            name: "Call, token cached, empty page: poll, receive, poll",
            items: 0,
            bytes: 0,
            batch: 200,
            baseline: None,
            run: Box::new(move |n| {
                let responses: Vec<_> = (0..n).map(|_| response(&empty)).collect();
                timed(|| {
                    for r in responses {
                        black_box(run_call(&mut session, &req, vec![r]));
                    }
                })
            }),
        });
    }
    // Fresh session: token request + API request.
    {
        let (cfg, req) = (config.clone(), users_req.clone());
        let (empty, token) = (fx.empty.clone(), fx.token.clone());
        v.push(Case {
            group: per_request,
            name: "Call, new session: token request + API request",
            items: 0,
            bytes: 0,
            batch: 100,
            baseline: None,
            run: Box::new(move |n| {
                let responses: Vec<_> = (0..n)
                    .map(|_| vec![response(&token), response(&empty)])
                    .collect();
                let sessions: Vec<_> = (0..n).map(|_| new_session(&cfg)).collect();
                timed(|| {
                    for (mut s, r) in sessions.into_iter().zip(responses) {
                        black_box(run_call(&mut s, &req, r));
                    }
                })
            }),
        });
    }
    // Token cached, full users page: the parse happens inside `receive`.
    {
        let mut session = warm_session(fx);
        let req = users_req.clone();
        let body = fx.users.clone();
        v.push(Case {
            group: per_request,
            name: "Call, token cached, 1000-user page (JSON parse included)",
            items: ITEMS,
            bytes: body.len(),
            batch: 1,
            baseline: Some(0),
            run: Box::new(move |n| {
                let responses: Vec<_> = (0..n).map(|_| response(&body)).collect();
                timed(|| {
                    for r in responses {
                        black_box(run_call(&mut session, &req, vec![r]));
                    }
                })
            }),
        });
    }
    // Pager::on_reply alone, on an already parsed 1000-user reply.
    {
        let (cfg, req) = (config.clone(), users_req.clone());
        let reply = users_reply(fx);
        v.push(Case {
            group: per_request,
            name: "Pager::on_reply of a parsed 1000-user reply",
            items: ITEMS,
            bytes: 0,
            batch: 1,
            baseline: Some(0),
            run: Box::new(move |n| {
                let mut pagers: Vec<_> = (0..n).map(|_| Pager::new(req.clone())).collect();
                timed(|| {
                    for p in &mut pagers {
                        black_box(p.on_reply(&reply, &cfg).unwrap());
                    }
                })
            }),
        });
    }
    // What a binding does per page before building host objects.
    {
        let mut session = warm_session(fx);
        let (cfg, req) = (config, users_req);
        let body = fx.users.clone();
        v.push(Case {
            group: per_request,
            name: "binding path: Call + Pager::on_reply + normalize, users page",
            items: ITEMS,
            bytes: body.len(),
            batch: 1,
            baseline: Some(0),
            run: Box::new(move |n| {
                let responses: Vec<_> = (0..n).map(|_| response(&body)).collect();
                let mut pagers: Vec<_> = (0..n).map(|_| Pager::new(req.clone())).collect();
                timed(|| {
                    for (r, p) in responses.into_iter().zip(&mut pagers) {
                        let reply = run_call(&mut session, &req, vec![r]);
                        let page = p.on_reply(&reply, &cfg).unwrap();
                        let out: Vec<Value> = page
                            .items
                            .iter()
                            .map(|i| models::normalize(i, KeyCase::Snake))
                            .collect();
                        black_box(&out);
                    }
                })
            }),
        });
    }
    v
}

fn page_case<'a>(
    group: &'static str,
    name: &'static str,
    body: &'a [u8],
    baseline: usize,
    op: impl Fn(&[u8]) + 'a,
) -> Case<'a> {
    Case {
        group,
        name,
        items: ITEMS,
        bytes: body.len(),
        batch: 1,
        baseline: Some(baseline),
        run: Box::new(move |n| {
            timed(|| {
                for _ in 0..n {
                    op(body);
                }
            })
        }),
    }
}

fn decode_users(v: Value) -> usize {
    models::decode_list::<User>(&reply_of(v)).unwrap().len()
}

fn decode_completions(v: Value) -> usize {
    models::decode_list::<Completion>(&reply_of(v))
        .unwrap()
        .len()
}

fn reply_of(body: Value) -> Reply {
    Reply {
        operation: degreed::operation("users.list").unwrap(),
        status: 200,
        request_id: None,
        rate_limit: None,
        body: Some(body),
    }
}

fn users_reply(fx: &Fixtures) -> Reply {
    reply_of(serde_json::from_slice(&fx.users).unwrap())
}

fn now() -> Timestamp {
    Timestamp::from_unix(1_714_554_000, 0)
}

fn new_session(config: &Config) -> Session {
    Session::new(
        config.clone(),
        Credentials::new("bench-client", "bench-secret"),
        SessionOptions::default(),
    )
}

/// A session that already holds a token.
fn warm_session(fx: &Fixtures) -> Session {
    let mut session = new_session(&fx.config);
    let req = ApiRequest::new("users.list").unwrap().limit(1000);
    run_call(
        &mut session,
        &req,
        vec![response(&fx.token), response(&fx.empty)],
    );
    session
}

fn response(body: &[u8]) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-request-id", "5a2b4936-3225-4271-8fe9-3517d32606c4")
        .body(body.to_vec())
        .unwrap()
}

/// Runs one call to completion, answering each `Send` with the next canned response.
fn run_call(
    session: &mut Session,
    req: &ApiRequest,
    responses: Vec<http::Response<Vec<u8>>>,
) -> Reply {
    let mut responses = responses.into_iter();
    let mut call = session.call(req).unwrap();
    loop {
        match call.poll(session, now(), 0.5) {
            Step::Send(request) => {
                black_box(&request);
                let r = responses.next().expect("a canned response");
                call.receive(session, r, now());
            }
            Step::Wait(d) => panic!("unexpected wait {d:?}"),
            Step::Done(result) => return result.unwrap(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// What a Rust user would write by hand with serde (dates left as strings).

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandPage<T> {
    data: Vec<T>,
    links: Option<HandLinks>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandLinks {
    next: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandId {
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandRel {
    data: Option<HandId>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandUser {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    attributes: HandUserAttributes,
    #[serde(default)]
    relationships: Vec<BTreeMap<String, HandRel>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
struct HandUserAttributes {
    employee_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    organization_email: Option<String>,
    personal_email: Option<String>,
    profile_visibility: Option<String>,
    bio: Option<String>,
    location: Option<String>,
    login_disabled: Option<bool>,
    permission_role: Option<String>,
    job_role: Option<String>,
    created_at: Option<String>,
    last_login_at: Option<String>,
    total_points: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandCompletion {
    id: String,
    attributes: HandCompletionAttributes,
    #[serde(default)]
    relationships: Vec<BTreeMap<String, HandRel>>,
    #[serde(default)]
    included: Vec<HandIncluded>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
struct HandCompletionAttributes {
    employee_id: Option<String>,
    completed_at: Option<String>,
    added_at: Option<String>,
    points_earned: Option<String>,
    is_verified: Option<bool>,
    access_method: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandIncluded {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    attributes: BTreeMap<String, Value>,
}

// ---------------------------------------------------------------------------------------
// Fixtures: pages in the API's shape, generated deterministically.

struct Fixtures {
    users: Vec<u8>,
    completions: Vec<u8>,
    empty: Vec<u8>,
    token: Vec<u8>,
    config: Config,
}

/// xorshift64*: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len() as u64) as usize]
    }
    fn id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let len = 6 + self.below(2) as usize;
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
    /// A Degreed-style timestamp: no offset, 0 to 7 fraction digits.
    fn timestamp(&mut self) -> String {
        let secs = 1_577_836_800 + self.below(6 * 365 * 86_400) as i64;
        let whole = Timestamp::from_unix(secs, 0).to_string();
        let base = whole.trim_end_matches('Z');
        let digits = self.below(8) as usize;
        if digits == 0 {
            base.to_owned()
        } else {
            let frac = format!("{:07}", self.below(10_000_000));
            format!("{base}.{}", &frac[..digits])
        }
    }
}

const FIRST: &[&str] = &[
    "Ada", "Grace", "Wojciech", "Raúl", "Søren", "Aiko", "Chidi", "Priya", "Émile", "Zoë", "Mateo",
    "Ingrid",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Johansson",
    "Silva",
    "Kierkegaard",
    "Tanaka",
    "Okafor",
    "Raman",
    "Durand",
    "Müller",
];
const CITIES: &[&str] = &[
    "Zürich", "Málaga", "London", "Boston", "Pune", "Kraków", "Osaka",
];
const ROLES: &[&str] = &[
    "Software Engineer",
    "Finance Controller",
    "Nurse",
    "Sales Manager",
    "Data Analyst",
];

impl Fixtures {
    fn new() -> Self {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut user_ids = Vec::with_capacity(ITEMS);
        let mut users = Vec::with_capacity(ITEMS);
        for i in 0..ITEMS {
            let id = rng.id();
            let (first, last) = (rng.pick(FIRST), rng.pick(LAST));
            let manager = if i == 0 || rng.below(5) == 0 {
                Value::Null
            } else {
                json!({"id": user_ids[rng.below(i as u64) as usize], "type": "users"})
            };
            let never = rng.below(10) == 0;
            users.push(json!({
                "attributes": {
                    "alias-uid": format!("AU{}", 50_000 + i),
                    "bio": if rng.below(4) == 0 { json!("Likes learning things.") } else { Value::Null },
                    "created-at": rng.timestamp(),
                    "daily-digest-email": rng.below(2) == 0,
                    "daily-logins": rng.below(400),
                    "employee-id": format!("E{}", 10_000 + i),
                    "first-login-at": if never { "0001-01-01T00:00:00".to_owned() } else { rng.timestamp() },
                    "first-name": first,
                    "full-name": format!("{first} {last}"),
                    "is-active-learner": rng.below(2) == 0,
                    "job-role": rng.pick(ROLES),
                    "last-login-at": if never { "0001-01-01T00:00:00".to_owned() } else { rng.timestamp() },
                    "last-name": last,
                    "location": rng.pick(CITIES),
                    "login-disabled": rng.below(20) == 0,
                    "organization-email": format!("{}.{}{i}@example.com", first.to_lowercase(), last.to_lowercase()),
                    "permission-role": rng.pick(&["LearnerOnly", "Manager", "Admin", "LearnerOnly"]),
                    "personal-email": Value::Null,
                    "preferred-language": rng.pick(&["en", "de", "fr", "es", "zh"]),
                    "profile-image-url": Value::Null,
                    "profile-visibility": rng.pick(&["Everyone", "Private", "Organization"]),
                    "real-time-email-notification": rng.below(2) == 0,
                    "restricted": false,
                    "total-points": rng.below(5000),
                    "weekly-digest-email": rng.below(2) == 0,
                },
                "id": id,
                "links": {"self": format!("{BASE}/api/v2/users/{id}")},
                "relationships": [{"manager": {"data": manager}}],
                "type": "users",
            }));
            user_ids.push(id);
        }
        let users = page(users, "users");

        let kinds = ["Article", "Book", "Course", "Video", "Podcast"];
        let mut completions = Vec::with_capacity(ITEMS);
        for _ in 0..ITEMS {
            let id = rng.id();
            let content_id = rng.id();
            let kind = kinds[rng.below(kinds.len() as u64) as usize];
            let user = &user_ids[rng.below(ITEMS as u64) as usize];
            let provider = if rng.below(3) == 0 {
                json!({"id": rng.id(), "type": "providers"})
            } else {
                Value::Null
            };
            completions.push(json!({
                "attributes": {
                    "access-method": rng.pick(&["Mac Web", "Windows Web", "iOS App", "Android App", "API"]),
                    "added-at": rng.timestamp(),
                    "completed-at": rng.timestamp(),
                    "employee-id": format!("E{}", 10_000 + rng.below(ITEMS as u64)),
                    "is-verified": rng.below(2) == 0,
                    "points-earned": format!("{}", rng.below(30) as f64 / 2.0),
                    "rating": Value::Null,
                },
                "id": id,
                "included": [{
                    "attributes": {
                        "content-duration": rng.below(3000),
                        "content-duration-type": rng.pick(&["Minutes", "Words", "Hours"]),
                        "content-type": kind,
                        "is-internal": rng.below(2) == 0,
                        "provider": Value::Null,
                        "title": format!("Why It Matters: {} {}", rng.pick(ROLES), rng.below(100)),
                        "url": format!("https://learning.example.com/{}/{}", kind.to_lowercase(), content_id),
                    },
                    "id": content_id,
                    "links": {"self": format!("{BASE}/api/v2/content/{content_id}")},
                    "type": "content",
                }],
                "links": {"self": format!("{BASE}/api/v2/completions/{id}")},
                "relationships": [
                    {"content": {"data": {"id": content_id, "type": "content"}}},
                    {"provider": {"data": provider}},
                    {"user": {"data": {"id": user, "type": "users"}}},
                ],
                "type": "completions",
            }));
        }
        let completions = page(completions, "completions");
        let empty = serde_json::to_vec(&json!({
            "data": [], "links": {"self": format!("{BASE}/api/v2/users?limit=1000")}
        }))
        .unwrap();
        let token = serde_json::to_vec(&json!({
            "access_token": "bench-access-token", "token_type": "bearer",
            "expires_in": 5_183_999, "refresh_token": "bench-refresh"
        }))
        .unwrap();
        Fixtures {
            users,
            completions,
            empty,
            token,
            config: Config::custom(&format!("{BASE}/oauth/token"), BASE).unwrap(),
        }
    }
}

fn page(items: Vec<Value>, path: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "data": items,
        "links": {
            "next": format!("{BASE}/api/v2/{path}?limit=1000&next=Fpv6bd"),
            "self": format!("{BASE}/api/v2/{path}?limit=1000"),
        },
    }))
    .unwrap()
}
