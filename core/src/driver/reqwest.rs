//! An async client on [reqwest](https://docs.rs/reqwest) and tokio (feature `reqwest`).
//!
//! It must run inside a tokio runtime with the time driver enabled (as `#[tokio::main]`
//! sets up).
//!
//! The TLS backend is the application's choice: feature `reqwest-rustls` (reqwest's rustls
//! with aws-lc-rs), `reqwest-native-tls`, or any TLS feature of `reqwest` enabled in the
//! application's own `Cargo.toml` (cargo unifies them). With `rustls-no-provider`, install
//! the rustls crypto provider you want before [`Client::new`]. This driver never installs a
//! process-wide provider itself. With no TLS backend at all, only `http://` (loopback, the
//! sandbox) works.
//!
//! ```no_run
//! use degreed::driver::reqwest::Client;
//! use degreed::{ApiRequest, Config, Credentials, Environment, DataCenter, SessionOptions};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(
//!     Config::new(Environment::Betatest, DataCenter::Us),
//!     Credentials::new("my-client-id", std::env::var("DEGREED_CLIENT_SECRET")?),
//!     SessionOptions::default(),
//! )?;
//! let mut pages = client.pages(ApiRequest::new("users.list")?.limit(1000));
//! while let Some(page) = pages.next_page().await? {
//!     for user in page.items {
//!         println!("{} {}", user["id"], user["attributes"]["email"]);
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::{describe, io_not_sent, Shared, USER_AGENT};
use crate::call::{Call, SessionOptions, Stats, Step};
use crate::config::Config;
use crate::datetime::Date;
use crate::error::Error;
use crate::models::Model;
use crate::paging::{Page, Pager, RawPage};
use crate::request::ApiRequest;
use crate::response::Reply;
use crate::retry::Failure;
use crate::secret::Credentials;

/// An async Degreed API client.
///
/// Clones share the token, the pacer and the counters; concurrent requests from several
/// tasks share one token request.
#[derive(Clone)]
pub struct Client {
    shared: Shared,
    http: ::reqwest::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::debug_client("reqwest::Client", &self.shared, f)
    }
}

impl Client {
    /// A client with its own reqwest client (the TLS backend the features chose, see the
    /// module docs; redirects not followed).
    pub fn new(
        config: Config,
        credentials: Credentials,
        options: SessionOptions,
    ) -> Result<Self, Error> {
        let http = ::reqwest::Client::builder()
            .redirect(::reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| Error::Transport {
                message: describe("could not set up the HTTP client", &e),
                maybe_applied: false,
            })?;
        Ok(Self::with_http_client(http, config, credentials, options))
    }

    /// A client on a reqwest client of your own (proxy, custom roots, connection pool).
    /// Build it with `redirect(Policy::none())` so the bearer token never follows a redirect
    /// to another host. Each request's timeout is the time its call has left (the call's
    /// deadline is [`Config::timeout`] after it starts).
    pub fn with_http_client(
        http: ::reqwest::Client,
        config: Config,
        credentials: Credentials,
        options: SessionOptions,
    ) -> Self {
        Client {
            shared: Shared::new(config, credentials, options),
            http,
        }
    }

    /// Runs one request to completion: token, pacing, retries and all.
    ///
    /// Caller errors are returned before anything is sent. Dropping the future mid-request
    /// is safe: a token request in flight is given up so other calls fetch their own.
    pub async fn execute(&self, request: &ApiRequest) -> Result<Reply, Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::debug_span!(
                target: "degreed",
                "degreed.call",
                operation = request.operation().name
            );
            self.run(request, false)
                .instrument(span)
                .await
                .map(|(reply, _)| reply)
        }
        #[cfg(not(feature = "tracing"))]
        self.run(request, false).await.map(|(reply, _)| reply)
    }

    /// [`Client::execute`] keeping a list answer as bytes ([`crate::Call::keep_raw_page`]):
    /// the reply and its page, checked but not parsed.
    async fn execute_raw(&self, request: &ApiRequest) -> Result<(Reply, Option<RawPage>), Error> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::debug_span!(
                target: "degreed",
                "degreed.call",
                operation = request.operation().name
            );
            self.run(request, true).instrument(span).await
        }
        #[cfg(not(feature = "tracing"))]
        self.run(request, true).await
    }

    async fn run(
        &self,
        request: &ApiRequest,
        raw: bool,
    ) -> Result<(Reply, Option<RawPage>), Error> {
        let mut guard = InFlight {
            shared: &self.shared,
            call: self.shared.start(request)?,
            sending: false,
        };
        if raw {
            guard.call.keep_raw_page();
        }
        loop {
            match self.shared.poll(&mut guard.call) {
                Step::Send(http_request) => {
                    guard.sending = true;
                    let timeout = guard.call.send_timeout();
                    let outcome = self.send(http_request, timeout).await;
                    guard.sending = false;
                    match outcome {
                        Ok(response) => self.shared.receive(&mut guard.call, response),
                        Err(Failed::TooLarge(status)) => {
                            self.shared.too_large(&mut guard.call, status)
                        }
                        Err(Failed::NoResponse(failure, message)) => {
                            self.shared.fail(&mut guard.call, failure, &message)
                        }
                    }
                }
                Step::Wait(duration) => tokio::time::sleep(duration).await,
                Step::Done(result) => {
                    return result.map(|reply| (reply, guard.call.take_raw_page()))
                }
            }
        }
    }

    /// Every page of a list request, fetched as [`Pages::next_page`] is awaited.
    pub fn pages(&self, request: ApiRequest) -> Pages {
        self.pager(Pager::new(request))
    }

    /// Every page of a list request for the dates `start` to `end`, in the windows the
    /// operation accepts (at most a week each for the reporting feeds).
    pub fn pages_between(
        &self,
        request: ApiRequest,
        start: Date,
        end: Date,
    ) -> Result<Pages, Error> {
        Ok(self.pager(Pager::windowed(request, start, end)?))
    }

    /// Walks a [`Pager`] built by hand.
    pub fn pager(&self, pager: Pager) -> Pages {
        Pages {
            config: self.shared.config(),
            client: self.clone(),
            pager,
            failed: false,
            buffer: VecDeque::new(),
        }
    }

    /// Counters so far (shared by all clones).
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// The configuration.
    pub fn config(&self) -> Config {
        self.shared.config()
    }

    /// Drops the cached token; the next request fetches a new one.
    pub fn clear_token(&self) {
        self.shared.clear_token();
    }

    /// `timeout` is the time the call has left: reqwest's request timeout covers the whole
    /// exchange, body included, so a server that trickles cannot hold the call past it.
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<http::Response<Vec<u8>>, Failed> {
        let mut request = ::reqwest::Request::try_from(request)
            .map_err(|e| Failed::NoResponse(Failure::NotSent, describe("invalid request", &e)))?;
        *request.timeout_mut() = Some(timeout);
        let mut response = self.http.execute(request).await.map_err(|e| {
            let failure =
                if e.is_connect() || e.is_builder() || io_kind(&e).is_some_and(io_not_sent) {
                    Failure::NotSent
                } else {
                    Failure::MaybeSent
                };
            let what = if e.is_timeout() {
                "timed out"
            } else if failure == Failure::NotSent {
                "could not connect"
            } else {
                "the request failed"
            };
            Failed::NoResponse(failure, describe(what, &e))
        })?;
        let limit = self.shared.max_body_bytes();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| {
            let what = if e.is_timeout() {
                "timed out"
            } else {
                "reading the response"
            };
            Failed::NoResponse(Failure::MaybeSent, describe(what, &e))
        })? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Failed::TooLarge(response.status().as_u16()));
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = http::Response::new(body);
        *out.status_mut() = response.status();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
    }
}

/// Why a send produced no response to hand to the core.
enum Failed {
    /// The body passed the session's limit (the status line had arrived).
    TooLarge(u16),
    /// No (complete) response.
    NoResponse(Failure, String),
}

/// The kind of the I/O error under a reqwest error, if there is one.
fn io_kind(error: &::reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = e.source();
    }
    None
}

/// Keeps a call's bookkeeping right when its future is dropped mid-request: the request is
/// reported as failed, which frees a token fetch other calls may be waiting for.
struct InFlight<'a> {
    shared: &'a Shared,
    call: Call,
    sending: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.sending {
            self.shared.fail(
                &mut self.call,
                Failure::MaybeSent,
                "the request was cancelled",
            );
        }
    }
}

/// The pages of a list request; see [`Client::pages`]. After an error the walk ends.
#[derive(Debug)]
pub struct Pages {
    client: Client,
    config: Config,
    pager: Pager,
    failed: bool,
    buffer: VecDeque<Value>,
}

impl Pages {
    /// The next page, `Ok(None)` at the end.
    pub async fn next_page(&mut self) -> Result<Option<Page>, Error> {
        if self.failed {
            return Ok(None);
        }
        let Some(request) = self.pager.next_request() else {
            return Ok(None);
        };
        let result = match self.client.execute(&request).await {
            Ok(reply) => self.pager.on_reply(&reply, &self.config),
            Err(e) => Err(e),
        };
        self.failed = result.is_err();
        result.map(Some)
    }

    /// The next item of the walk (raw JSON:API object), `Ok(None)` at the end. Mixing this
    /// with [`Pages::next_page`] skips nothing: items of a page already fetched come first.
    pub async fn next_item(&mut self) -> Result<Option<Value>, Error> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Ok(Some(item));
            }
            match self.next_page().await? {
                Some(page) => self.buffer.extend(page.items),
                None => return Ok(None),
            }
        }
    }

    /// Every remaining item, in order.
    pub async fn collect_items(mut self) -> Result<Vec<Value>, Error> {
        let mut all: Vec<Value> = self.buffer.drain(..).collect();
        while let Some(page) = self.next_page().await? {
            all.extend(page.items);
        }
        Ok(all)
    }

    /// The next page as typed models (`pages.next_models::<User>().await`), `Ok(None)` at
    /// the end, read straight from the page's bytes by [`crate::models::decode_raw_page`]: no `Value` tree
    /// is built (see `bash scripts/bench.sh --rust`). The page rules are those of
    /// [`Pages::next_page`]. Items left by [`Pages::next_item`] are not returned here: walk
    /// a list one way.
    pub async fn next_models<M: Model>(&mut self) -> Result<Option<Vec<M>>, Error> {
        if self.failed {
            return Ok(None);
        }
        let Some(request) = self.pager.next_request() else {
            return Ok(None);
        };
        let result = match self.client.execute_raw(&request).await {
            Ok((reply, raw)) => self.pager.take_models(&reply, raw, &self.config),
            Err(e) => Err(e),
        };
        self.failed = result.is_err();
        result.map(Some)
    }

    /// Every remaining item as typed models, in order; see [`Pages::next_models`].
    pub async fn collect_models<M: Model>(mut self) -> Result<Vec<M>, Error> {
        let mut all = Vec::new();
        while let Some(models) = self.next_models::<M>().await? {
            all.extend(models);
        }
        Ok(all)
    }

    /// The pager (pages and items read so far).
    pub fn pager(&self) -> &Pager {
        &self.pager
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connection_refused_is_not_sent() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let client = Client::new(
            Config::custom(&base, &base).unwrap(),
            Credentials::new("id", "secret-value-xyz"),
            SessionOptions {
                retry: crate::RetryPolicy::none(),
                ..Default::default()
            },
        )
        .unwrap();
        let e = client
            .execute(
                &ApiRequest::new("users.create")
                    .unwrap()
                    .attributes(serde_json::json!({
                        "employee-id": "E-1",
                        "first-name": "Ada",
                        "last-name": "Lovelace",
                        "organization-email": "a@b.c",
                    })),
            )
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
        assert!(e.to_string().contains("could not connect"), "{e}");
        assert!(!format!("{client:?} {e:?}").contains("secret-value-xyz"));
    }
}
