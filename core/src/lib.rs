//! # degreed
//!
//! The sans-IO core of the Degreed REST API SDK for Rust, Python and JavaScript.
//!
//! It builds token and API requests as plain [`http::Request`] values, reads
//! [`http::Response`] values, and holds every policy (token caching and refresh ahead of
//! expiry, one refresh on 401, retries with capped jittered back-off honouring `Retry-After`,
//! pacing under rate limits, pagination, 7-day date windows, scope checks, error mapping) as
//! state machines that tell a driver what to do next. It opens no socket, reads no clock and
//! never sleeps: time and randomness come in as arguments, so the same code runs natively,
//! in Python (through pyo3) and in browsers (through wasm-bindgen), and behaves the same
//! everywhere.
//!
//! ## The pieces
//!
//! - [`Config`]: environment × data center → token URL and API base URL (or custom URLs);
//! - [`catalog`]: every operation with its method, path template, scope and paging kind
//!   ([`operations`], [`operation`]); [`minimal_scopes`] computes what an API key needs;
//! - [`ApiRequest`]: builds and checks a request for any operation, before anything is sent;
//! - [`Session`] and [`Call`]: the state machine a driver loops over ([`Step`]); it ends
//!   with a [`Reply`] ([`response`] reads answers) and asks the [`RetryPolicy`] one question
//!   after a failure ([`RetryPolicy::decide`]: retry after a back-off, or stop);
//! - [`wire`]: how the API spells keys and writes timestamps (a leaf module);
//! - [`Pager`]: walks `links.next` pages (same origin only) and date windows;
//! - [`Error`]: one error type split by cause ([`ErrorKind`]), never holding a secret;
//! - [`models`]: forgiving, normalized resources;
//! - `driver` (cargo features `ureq` and `reqwest`, off by default): ready-made clients
//!   on ureq and on reqwest + tokio (`blocking` is the old name of `ureq`).
//!   With the feature `tracing` they report the core's [`event`]s (`request`, `response`,
//!   `retry`, `wait`, `token`, `maybe_applied`) as `tracing` events with target `degreed`,
//!   inside a `degreed.call` span per request.
//!
//! ## A driver over any HTTP client
//!
//! A driver sends what the core asks for, sleeps when told to, and passes the time in. Here
//! the "HTTP client" is a function with canned answers, and the clock is a variable that
//! moves forward instead of sleeping; a real driver calls its HTTP stack, sleeps, and reads
//! the system clock. The loop walks every page of `users.list`:
//!
//! ```
//! use degreed::{
//!     ApiRequest, Config, Credentials, Failure, Pager, Session, SessionOptions, Step, Timestamp,
//! };
//!
//! /// Any HTTP client will do. This one answers from a script.
//! fn http_send(request: &http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, String> {
//!     let body = match (request.uri().path(), request.uri().query()) {
//!         ("/oauth/token", _) => {
//!             r#"{"access_token": "abc", "token_type": "bearer", "expires_in": 3600}"#
//!         }
//!         ("/api/v2/users", Some("limit=2")) => {
//!             r#"{"data": [{"id": "u1", "attributes": {"first-name": "Ada"}},
//!                          {"id": "u2", "attributes": {"first-name": "Grace"}}],
//!                 "links": {"next": "https://api.example/api/v2/users?limit=2&next=p2"}}"#
//!         }
//!         ("/api/v2/users", Some("limit=2&next=p2")) => {
//!             r#"{"data": [{"id": "u3", "attributes": {"first-name": "Edsger"}}],
//!                 "links": {"next": null}}"#
//!         }
//!         _ => return Err("no route".to_owned()),
//!     };
//!     let response = http::Response::builder()
//!         .status(200)
//!         .header("content-type", "application/json")
//!         .body(body.as_bytes().to_vec())
//!         .map_err(|e| e.to_string())?;
//!     Ok(response)
//! }
//!
//! let config = Config::custom("https://auth.example", "https://api.example")?;
//! let credentials = Credentials::new("my-client-id", "my-client-secret");
//! let mut session = Session::new(config.clone(), credentials, SessionOptions::default());
//! let mut now = Timestamp::parse("2024-05-01T09:00:00Z")?; // a real driver reads the clock
//!
//! let mut pager = Pager::new(ApiRequest::new("users.list")?.limit(2));
//! while let Some(request) = pager.next_request() {
//!     let mut call = session.call(&request)?; // caller errors surface here, before any I/O
//!     let reply = loop {
//!         match call.poll(&mut session, now, 0.5) {
//!             Step::Send(http_request) => match http_send(&http_request) {
//!                 Ok(response) => call.receive(&mut session, response, now),
//!                 Err(e) => call.fail(&mut session, Failure::MaybeSent, &e, now),
//!             },
//!             Step::Wait(duration) => now = now.add(duration), // a real driver sleeps
//!             Step::Done(result) => break result?,
//!         }
//!     };
//!     for user in pager.on_reply(&reply, &config)?.items {
//!         println!("{} {}", user["id"], user["attributes"]["first-name"]);
//!     }
//! }
//! assert_eq!(pager.items(), 3);
//! assert_eq!(session.stats().token_requests, 1); // one token, cached for both pages
//! # Ok::<(), degreed::Error>(())
//! ```
//!
//! Report a connection error with [`Failure::NotSent`] when the request cannot have left
//! (DNS failure, connection refused) and [`Failure::MaybeSent`] otherwise: the core retries
//! the first for any method, the second only for requests that are safe to repeat.

#![warn(missing_docs)]

pub mod call;
pub mod catalog;
pub mod config;
pub mod datetime;
#[cfg(any(feature = "ureq", feature = "reqwest"))]
pub mod driver;
pub mod env;
pub mod error;
pub mod event;
pub mod models;
mod number;
pub mod ops;
pub mod paging;
pub mod ratelimit;
pub mod request;
pub mod response;
pub mod retry;
pub mod scope;
pub mod secret;
pub mod spec;
pub mod token;
pub mod window;
pub mod wire;

pub use call::{Call, Session, SessionOptions, Stats, Step};
pub use catalog::{minimal_scopes, operation, operations, Operation};
pub use config::{Config, DataCenter, Environment, Settings};
pub use datetime::{Date, Timestamp};
pub use error::{ApiError, Error, ErrorKind, ErrorObject};
pub use event::{Event, WaitReason};
pub use paging::{Page, Pager};
pub use ratelimit::{Pacer, RateLimit};
pub use request::ApiRequest;
pub use response::Reply;
pub use retry::{Failure, Retry, RetryPolicy};
pub use scope::{Access, Scope, ScopeSet};
pub use secret::{AccessToken, ClientSecret, Credentials};
pub use token::Token;

// The README's Rust quickstart is compiled as a doctest, so it cannot drift from the API.
#[cfg(all(doctest, feature = "ureq"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeQuickstart;
