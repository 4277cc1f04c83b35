//! The drivers' `tracing` events (feature `tracing`), against the sandbox over loopback.
//!
//! Run with `cargo test -p degreed --features ureq,tracing`.
#![cfg(all(feature = "tracing", feature = "ureq"))]

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use degreed::driver::blocking::Client;
use degreed::{ApiRequest, Config, Credentials, RetryPolicy, SessionOptions};
use degreed_sandbox::{FaultSpec, Options, Sandbox};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// A subscriber that keeps every event as `(level, target, "k=v k=v ...")`, and span names.
#[derive(Clone, Default)]
struct Capture {
    events: Arc<Mutex<Vec<(Level, String, String)>>>,
    spans: Arc<Mutex<Vec<String>>>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        let mut spans = self.spans.lock().unwrap();
        spans.push(format!("{} {}", span.metadata().name(), fields.0));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let meta = event.metadata();
        self.events
            .lock()
            .unwrap()
            .push((*meta.level(), meta.target().to_owned(), fields.0));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn blocking_driver_reports_core_events_through_tracing() {
    let sb = Sandbox::start(
        Options::default()
            .quiet(true)
            .rate_limit(0)
            .sizes(12, 5, 5)
            .faults(FaultSpec::parse("503=0.4").unwrap()),
    )
    .unwrap();
    let config = Config::custom(sb.base_url(), sb.base_url()).unwrap();
    let secret = degreed_sandbox::DEFAULT_CLIENT_SECRET;
    let options = SessionOptions {
        retry: RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        ..SessionOptions::default()
    };
    let client = Client::new(
        config,
        Credentials::new(degreed_sandbox::DEFAULT_CLIENT_ID, secret),
        options,
    );
    let capture = Capture::default();
    let count = tracing::subscriber::with_default(capture.clone(), || {
        let list = ApiRequest::new("users.list").unwrap().limit(2);
        client.pages(list).items().count()
    });
    assert_eq!(count, 12);
    let events = capture.events.lock().unwrap().clone();
    assert!(events.iter().all(|(_, target, _)| target == "degreed"));
    let named = |name: &str| {
        events
            .iter()
            .filter(|(_, _, f)| f.contains(&format!("event=\"{name}\"")))
            .cloned()
            .collect::<Vec<_>>()
    };
    let requests = named("request");
    assert!(requests.len() >= 2, "{events:?}");
    assert!(requests.iter().all(|(level, _, _)| *level == Level::DEBUG));
    assert!(requests[1].2.contains("GET /api/v2/users"), "{requests:?}");
    let retries = named("retry");
    assert!(!retries.is_empty(), "503s were injected: {events:?}");
    assert!(retries.iter().all(|(level, _, f)| *level == Level::INFO
        && f.contains("status=503")
        && f.contains("wait_ms=")));
    assert_eq!(named("token").len(), 1);
    let spans = capture.spans.lock().unwrap().clone();
    assert!(spans
        .iter()
        .any(|s| s.starts_with("degreed.call operation=\"users.list\"")));
    let everything = format!("{events:?}");
    for private in [secret, "limit=", "next=", "Bearer"] {
        assert!(!everything.contains(private), "{private} in {everything}");
    }
}
