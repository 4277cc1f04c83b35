//! The ready-made drivers against the sandbox, over real HTTP on loopback.
//!
//! Run with `cargo test -p degreed --features ureq,reqwest`. Each test starts its own
//! sandbox in-process (`degreed_sandbox::Sandbox::start`) on a free port.
#![cfg(any(feature = "ureq", feature = "reqwest"))]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use degreed::{ApiRequest, Config, Credentials, ErrorKind};
use degreed_sandbox::{Options, Sandbox, SandboxHandle};
use serde_json::{json, Value};

const SECRET: &str = degreed_sandbox::DEFAULT_CLIENT_SECRET;

fn sandbox(options: Options) -> SandboxHandle {
    Sandbox::start(options.quiet(true)).expect("the sandbox starts")
}

fn config(sb: &SandboxHandle) -> Config {
    Config::custom(sb.base_url(), sb.base_url())
        .unwrap()
        .with_timeout(Duration::from_secs(10))
        .unwrap()
}

fn credentials() -> Credentials {
    Credentials::new(degreed_sandbox::DEFAULT_CLIENT_ID, SECRET)
}

/// A control-endpoint request over a bare socket (no feature needed), returning the JSON.
fn control(sb: &SandboxHandle, method: &str, path: &str, body: Option<Value>) -> Value {
    let mut stream = TcpStream::connect(sb.addr()).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        sb.addr(),
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.contains(" 200 "), "{method} {path}: {head}");
    serde_json::from_str(body).unwrap()
}

fn writes(sb: &SandboxHandle) -> Vec<Value> {
    control(sb, "GET", "/_sandbox/log", None)["writes"]
        .as_array()
        .unwrap()
        .clone()
}

fn set_faults(sb: &SandboxHandle, faults: &str) {
    control(
        sb,
        "POST",
        "/_sandbox/config",
        Some(json!({ "faults": faults })),
    );
}

/// Retries quick enough for tests, and enough of them to ride out injected faults.
fn fast_retries(max_retries: u32) -> degreed::SessionOptions {
    degreed::SessionOptions {
        retry: degreed::RetryPolicy {
            max_retries,
            base_delay: Duration::from_millis(10),
            ..degreed::RetryPolicy::default()
        },
        ..degreed::SessionOptions::default()
    }
}

fn new_user(n: u32) -> ApiRequest {
    ApiRequest::new("users.create").unwrap().attributes(json!({
        "employee_id": format!("E-{n}"),
        "first_name": "Grace",
        "last_name": format!("Hopper {n}"),
        "organization_email": format!("grace{n}@example.com"),
    }))
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("an id").to_owned())
        .collect()
}

fn assert_unique(ids: &[String]) {
    let mut sorted = ids.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicates in {ids:?}");
}

#[cfg(feature = "ureq")]
mod blocking {
    use super::*;
    use degreed::driver::blocking::Client;
    use degreed::{Error, SessionOptions};
    use degreed_sandbox::ClientSpec;

    fn client(sb: &SandboxHandle) -> Client {
        Client::new(config(sb), credentials(), SessionOptions::default())
    }

    #[test]
    fn lists_every_user_across_pages() {
        let sb = sandbox(Options::default().sizes(23, 5, 5));
        let c = client(&sb);
        let mut pages = c.pages(ApiRequest::new("users.list").unwrap().limit(5));
        let mut all = Vec::new();
        for page in pages.by_ref() {
            all.extend(page.unwrap().items);
        }
        assert_eq!(pages.pager().pages(), 5);
        assert_eq!(all.len(), 23);
        assert_unique(&ids(&all));
        let s = c.stats();
        assert_eq!((s.token_requests, s.requests), (1, 5));
        // The item iterator sees the same users.
        let again: Result<Vec<Value>, Error> = c
            .pages(ApiRequest::new("users.list").unwrap().limit(10))
            .items()
            .collect();
        assert_eq!(ids(&again.unwrap()), ids(&all));
    }

    #[test]
    fn creates_and_reads_a_user_and_a_missing_one_is_not_found() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        let created = c.execute(&new_user(1)).unwrap();
        assert_eq!(created.status, 201);
        let id = created.data().unwrap()["id"].as_str().unwrap().to_owned();
        let got = c
            .execute(&ApiRequest::new("users.get").unwrap().path_param(&id))
            .unwrap();
        assert_eq!(
            got.data().unwrap()["attributes"]["organization-email"],
            "grace1@example.com"
        );
        let log = writes(&sb);
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0]["method"], "POST");

        let e = c
            .execute(
                &ApiRequest::new("users.get")
                    .unwrap()
                    .path_param("no-such-user"),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        assert_eq!(e.status(), Some(404));
        assert!(!e.errors().is_empty());
    }

    #[test]
    fn caller_errors_are_raised_before_sending() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        let e = c
            .execute(&ApiRequest::new("users.get").unwrap())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        let e = c
            .execute(&ApiRequest::new("users.list").unwrap().limit(5000))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        assert_eq!(c.stats().token_requests, 0, "nothing was sent");
    }

    #[test]
    fn wrong_secret_is_an_authentication_error_without_the_secret() {
        let sb = sandbox(Options::default());
        let wrong = "not-the-right-secret-42";
        let c = Client::new(
            config(&sb),
            Credentials::new(degreed_sandbox::DEFAULT_CLIENT_ID, wrong),
            SessionOptions::default(),
        );
        let e = c
            .execute(&ApiRequest::new("users.list").unwrap())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
        for shown in [e.to_string(), format!("{e:?}"), format!("{c:?}")] {
            assert!(!shown.contains(wrong), "{shown}");
        }
    }

    #[test]
    fn a_key_without_the_scope_gets_permission_denied() {
        let sb = sandbox(
            Options::default().client(ClientSpec::parse("reader:reader-pw:users:read").unwrap()),
        );
        let c = Client::new(
            config(&sb),
            Credentials::new("reader", "reader-pw"),
            SessionOptions::default(),
        );
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();
        let e = c.execute(&new_user(2)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
        assert!(writes(&sb).is_empty());
        // Declaring the scopes up front refuses the write before sending anything.
        let c = Client::new(
            config(&sb),
            Credentials::new("reader", "reader-pw"),
            SessionOptions {
                scopes: Some(degreed::ScopeSet::parse("users:read").unwrap()),
                ..SessionOptions::default()
            },
        );
        let e = c.execute(&new_user(3)).unwrap_err();
        assert_eq!(e.missing_scope().unwrap().to_string(), "users:write");
        assert_eq!(c.stats().requests, 0);
    }

    #[test]
    fn a_revoked_token_is_replaced_once() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();
        control(&sb, "POST", "/_sandbox/revoke-tokens", Some(json!({})));
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();
        let s = c.stats();
        assert_eq!((s.token_requests, s.requests, s.retries), (2, 3, 1));
    }

    #[test]
    fn an_expired_token_is_refreshed_before_use() {
        let sb = sandbox(Options::default().token_ttl(3600));
        let c = client(&sb);
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();
        // The sandbox's clock moves on; the client's does not, so the server answers 401
        // and the client refreshes once.
        sb.advance_clock(7200);
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();
        assert_eq!(c.stats().token_requests, 2);
    }

    #[test]
    fn server_faults_on_reads_are_retried() {
        let sb = sandbox(Options::default().sizes(30, 5, 5));
        let c = Client::new(config(&sb), credentials(), fast_retries(8));
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();
        set_faults(&sb, "500=0.1,503=0.1,malformed=0.05,html=0.05,reset=0.05");
        let items: Result<Vec<Value>, Error> = c
            .pages(ApiRequest::new("users.list").unwrap().limit(2))
            .items()
            .collect();
        let items = items.unwrap();
        assert_eq!(items.len(), 30);
        assert_unique(&ids(&items));
        assert!(c.stats().retries > 0, "{:?}", c.stats());
    }

    #[test]
    fn a_write_that_may_have_been_applied_is_not_repeated() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        c.execute(&ApiRequest::new("users.list").unwrap()).unwrap();

        // Applied, then the connection drops: one write, reported as maybe applied.
        set_faults(&sb, "after:reset=1");
        let e = c.execute(&new_user(4)).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport {
                    maybe_applied: true,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(writes(&sb).len(), 1);

        // Refused before applying with a 503: not retried either (the client cannot know).
        set_faults(&sb, "before:503=1");
        let e = c.execute(&new_user(5)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert_eq!(e.status(), Some(503));
        assert_eq!(writes(&sb).len(), 1);

        // A garbled success body on a write: a decode error, the write applied once.
        set_faults(&sb, "after:malformed=1");
        let e = c.execute(&new_user(6)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert_eq!(writes(&sb).len(), 2);
    }

    #[test]
    fn a_rate_limited_bulk_job_completes() {
        let sb = sandbox(Options::default().rate_limit(5).rate_window_secs(1));
        let c = client(&sb);
        let started = std::time::Instant::now();
        for _ in 0..16 {
            c.execute(&ApiRequest::new("users.list").unwrap().limit(1))
                .unwrap();
        }
        // 16 requests at 5 a second need at least 3 windows.
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    }

    /// Typed models read from each page's bytes equal those decoded from the parsed items,
    /// over pages, and over date windows (whose repeats the pager drops from the bytes).
    #[test]
    fn typed_models_come_straight_from_the_pages() {
        use degreed::models::{decode_items, Completion, User};
        let sb = sandbox(
            Options::default()
                .sizes(23, 5, 40)
                .anchor_date("2024-02-15"),
        );
        let c = client(&sb);
        let list = || ApiRequest::new("users.list").unwrap().limit(5);
        let items: Vec<Value> = c.pages(list()).items().map(Result::unwrap).collect();
        let want: Vec<User> = decode_items(&items).unwrap();
        let mut models = c.pages(list()).models::<User>();
        let got: Vec<User> = models.by_ref().map(Result::unwrap).collect();
        assert_eq!(models.pager().pages(), 5);
        assert_eq!(got.len(), 23);
        assert_eq!(got, want);
        assert!(got
            .iter()
            .all(|u| u.id.is_some() && u.raw_json().starts_with('{')));

        let window = || {
            c.pages_between(
                ApiRequest::new("completions.list").unwrap().limit(7),
                "2024-01-01".parse().unwrap(),
                "2024-02-14".parse().unwrap(),
            )
            .unwrap()
        };
        let items: Vec<Value> = window().items().map(Result::unwrap).collect();
        let want: Vec<Completion> = decode_items(&items).unwrap();
        let got: Vec<Completion> = window().models().map(Result::unwrap).collect();
        assert!(!want.is_empty());
        assert_eq!(got, want);
    }

    /// A page that is not a list, or a model that does not fit the page, is a typed error
    /// that ends the walk.
    #[test]
    fn a_typed_walk_reports_a_broken_page_and_ends() {
        use degreed::models::Completion;
        let sb = sandbox(Options::default().sizes(3, 1, 1));
        let c = client(&sb);
        // Users are no completions: `completed-at` and the rest do not fit, or an `id` is
        // fine and the rest absent. Either way, no panic; a mismatch is a Decode error.
        let mut walk = c
            .pages(ApiRequest::new("users.list").unwrap().limit(2))
            .models::<Completion>();
        for item in walk.by_ref() {
            if let Err(e) = item {
                assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
            }
        }
        assert!(walk.next().is_none());
        // A body the server garbles on every try fails the walk with a typed error.
        set_faults(&sb, "malformed=1.0");
        let c = Client::new(config(&sb), credentials(), fast_retries(1));
        let mut walk = c
            .pages(ApiRequest::new("users.list").unwrap().limit(2))
            .models::<degreed::models::User>();
        let e = walk.next().unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert!(walk.next().is_none());
    }

    #[test]
    fn windows_of_a_month_are_accepted_by_the_server() {
        let sb = sandbox(Options::default().anchor_date("2024-02-15"));
        let c = client(&sb);
        let mut pages = c
            .pages_between(
                ApiRequest::new("completions.list").unwrap().limit(100),
                "2024-01-01".parse().unwrap(),
                "2024-01-30".parse().unwrap(),
            )
            .unwrap();
        for page in pages.by_ref() {
            page.unwrap();
        }
        assert!(pages.pager().pages() >= 5);
    }

    #[test]
    fn threads_share_one_token() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..3 {
                        c.execute(&ApiRequest::new("users.list").unwrap().limit(2))
                            .unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let s = c.stats();
        assert_eq!((s.token_requests, s.requests), (1, 12));
    }
}

#[cfg(feature = "reqwest")]
mod reqwest {
    use super::*;
    use degreed::driver::reqwest::Client;
    use degreed::{Error, SessionOptions};

    fn client(sb: &SandboxHandle) -> Client {
        Client::new(config(sb), credentials(), SessionOptions::default()).unwrap()
    }

    #[tokio::test]
    async fn lists_every_user_across_pages() {
        let sb = sandbox(Options::default().sizes(23, 5, 5));
        let c = client(&sb);
        let mut pages = c.pages(ApiRequest::new("users.list").unwrap().limit(5));
        let mut all = Vec::new();
        while let Some(page) = pages.next_page().await.unwrap() {
            all.extend(page.items);
        }
        assert_eq!(pages.pager().pages(), 5);
        assert_eq!(all.len(), 23);
        assert_unique(&ids(&all));
        assert!(pages.next_page().await.unwrap().is_none());
        let mut items = c.pages(ApiRequest::new("users.list").unwrap().limit(4));
        let first = items.next_item().await.unwrap().unwrap();
        let rest = items.collect_items().await.unwrap();
        assert_eq!(rest.len(), 22);
        assert_eq!(first["id"], all[0]["id"]);
        assert_eq!(c.stats().token_requests, 1);
    }

    /// Typed models read from each page's bytes equal those decoded from the parsed items.
    #[tokio::test]
    async fn typed_models_come_straight_from_the_pages() {
        use degreed::models::{decode_items, User};
        let sb = sandbox(Options::default().sizes(23, 5, 5));
        let c = client(&sb);
        let list = || ApiRequest::new("users.list").unwrap().limit(5);
        let items = c.pages(list()).collect_items().await.unwrap();
        let want: Vec<User> = decode_items(&items).unwrap();
        let mut pages = c.pages(list());
        let first = pages.next_models::<User>().await.unwrap().unwrap();
        assert_eq!(first.len(), 5);
        let rest = pages.collect_models::<User>().await.unwrap();
        assert_eq!([first, rest].concat(), want);
    }

    /// The TLS crypto provider is the application's choice: building a client must not
    /// install a process-wide one (it once installed rustls' ring provider).
    #[tokio::test]
    async fn a_client_installs_no_process_wide_crypto_provider() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        c.execute(&ApiRequest::new("users.list").unwrap().limit(1))
            .await
            .unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }

    #[tokio::test]
    async fn creates_a_user_and_a_missing_one_is_not_found() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        let created = c.execute(&new_user(1)).await.unwrap();
        assert_eq!(created.status, 201);
        assert_eq!(writes(&sb).len(), 1);
        let e = c
            .execute(&ApiRequest::new("users.get").unwrap().path_param("nobody"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.status(), Some(404));
    }

    #[tokio::test]
    async fn wrong_secret_is_an_authentication_error() {
        let sb = sandbox(Options::default());
        let c = Client::new(
            config(&sb),
            Credentials::new("sandbox", "wrong-secret-77"),
            SessionOptions::default(),
        )
        .unwrap();
        let e = c
            .execute(&ApiRequest::new("users.list").unwrap())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        assert!(!format!("{e} {e:?} {c:?}").contains("wrong-secret-77"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tasks_share_one_token() {
        let sb = sandbox(Options::default());
        let c = client(&sb);
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let c = c.clone();
                tokio::spawn(async move {
                    c.execute(&ApiRequest::new("users.list").unwrap().limit(2))
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let s = c.stats();
        assert_eq!((s.token_requests, s.requests), (1, 6));
    }

    #[tokio::test]
    async fn a_write_that_may_have_been_applied_is_not_repeated() {
        let sb = sandbox(Options::default());
        let c = Client::new(config(&sb), credentials(), fast_retries(3)).unwrap();
        c.execute(&ApiRequest::new("users.list").unwrap())
            .await
            .unwrap();
        set_faults(&sb, "after:reset=1");
        let e = c.execute(&new_user(7)).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport {
                    maybe_applied: true,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(writes(&sb).len(), 1);
        // Reads through the same faults are retried until the retries run out.
        let e = c
            .execute(&ApiRequest::new("users.list").unwrap())
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport {
                    maybe_applied: false,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(c.stats().retries, 3);
        set_faults(&sb, "");
        c.execute(&ApiRequest::new("users.list").unwrap())
            .await
            .unwrap();
    }

    /// A server that accepts connections and never answers; counts the connections.
    async fn black_hole() -> (String, tokio::sync::mpsc::UnboundedReceiver<()>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().take(8) {
                held.push(stream);
                if tx.send(()).is_err() {
                    break;
                }
            }
        });
        (base, rx)
    }

    #[tokio::test]
    async fn a_cancelled_token_request_does_not_stall_the_next_call() {
        let (base, mut connections) = black_hole().await;
        let c = Client::new(
            Config::custom(&base, &base).unwrap(),
            credentials(),
            SessionOptions::default(),
        )
        .unwrap();
        let list = ApiRequest::new("users.list").unwrap();
        let first = tokio::time::timeout(Duration::from_millis(200), c.execute(&list)).await;
        assert!(first.is_err(), "the first call was cut short");
        connections.recv().await.unwrap();
        // Had the abandoned token fetch stayed registered, this call would wait for it
        // (up to twice the timeout) instead of connecting.
        let second = tokio::time::timeout(Duration::from_millis(500), c.execute(&list)).await;
        assert!(second.is_err());
        let got = tokio::time::timeout(Duration::from_millis(100), connections.recv()).await;
        assert!(got.is_ok(), "the second call sent its own token request");
        assert_eq!(c.stats().token_requests, 2);
    }
}
