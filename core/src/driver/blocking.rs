//! A blocking client on [`ureq`] (feature `ureq`; `blocking`, its old name, still works).
//!
//! ```no_run
//! use degreed::driver::blocking::Client;
//! use degreed::{ApiRequest, Config, Credentials, Environment, DataCenter, SessionOptions};
//!
//! let client = Client::new(
//!     Config::new(Environment::Betatest, DataCenter::Us),
//!     Credentials::new("my-client-id", std::env::var("DEGREED_CLIENT_SECRET")?),
//!     SessionOptions::default(),
//! );
//! for user in client.pages(ApiRequest::new("users.list")?.limit(1000)).items() {
//!     let user = user?;
//!     println!("{} {}", user["id"], user["attributes"]["email"]);
//! }
//! let user = client.execute(&ApiRequest::new("users.get")?.path_param("zk3jPZ"))?;
//! println!("{:?}", user.data());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::iter::FusedIterator;
use std::time::Duration;

use serde_json::Value;
use ureq::{Agent, AsSendBody};

use super::{describe, io_not_sent, Shared, USER_AGENT};
use crate::call::{SessionOptions, Stats, Step};
use crate::config::Config;
use crate::datetime::Date;
use crate::error::Error;
use crate::models::Model;
use crate::paging::{Page, Pager, RawPage};
use crate::request::ApiRequest;
use crate::response::Reply;
use crate::retry::Failure;
use crate::secret::Credentials;

/// A Degreed API client that blocks the calling thread.
///
/// Clones share the token, the pacer and the counters, and may be used from several threads
/// at once.
#[derive(Clone)]
pub struct Client {
    shared: Shared,
    agent: Agent,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::debug_client("blocking::Client", &self.shared, f)
    }
}

impl Client {
    /// A client with its own ureq agent (rustls with the webpki roots; proxies from the
    /// usual environment variables).
    pub fn new(config: Config, credentials: Credentials, options: SessionOptions) -> Self {
        let agent = Agent::new_with_config(
            Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .user_agent(USER_AGENT)
                .build(),
        );
        Self::with_agent(agent, config, credentials, options)
    }

    /// A client on a ureq agent of your own (custom TLS roots, proxy, connection pool).
    /// Status codes, redirects and the timeout (the time the call has left) are still set
    /// per request by the client.
    pub fn with_agent(
        agent: Agent,
        config: Config,
        credentials: Credentials,
        options: SessionOptions,
    ) -> Self {
        Client {
            shared: Shared::new(config, credentials, options),
            agent,
        }
    }

    /// Runs one request to completion: token, pacing, retries and all.
    ///
    /// Caller errors (a missing path parameter, a scope outside
    /// [`SessionOptions::scopes`]) are returned before anything is sent.
    pub fn execute(&self, request: &ApiRequest) -> Result<Reply, Error> {
        self.run(request, false).map(|(reply, _)| reply)
    }

    /// [`Client::execute`] keeping a list answer as bytes ([`crate::Call::keep_raw_page`]): the
    /// reply and its page, checked but not parsed.
    fn execute_raw(&self, request: &ApiRequest) -> Result<(Reply, Option<RawPage>), Error> {
        self.run(request, true)
    }

    fn run(&self, request: &ApiRequest, raw: bool) -> Result<(Reply, Option<RawPage>), Error> {
        #[cfg(feature = "tracing")]
        let _span = tracing::debug_span!(
            target: "degreed",
            "degreed.call",
            operation = request.operation().name
        )
        .entered();
        let mut call = self.shared.start(request)?;
        if raw {
            call.keep_raw_page();
        }
        loop {
            match self.shared.poll(&mut call) {
                Step::Send(http_request) => match self.send(http_request, call.send_timeout()) {
                    Ok(response) => self.shared.receive(&mut call, response),
                    Err(Failed::TooLarge(status)) => self.shared.too_large(&mut call, status),
                    Err(Failed::NoResponse(failure, message)) => {
                        self.shared.fail(&mut call, failure, &message)
                    }
                },
                Step::Wait(duration) => std::thread::sleep(duration),
                Step::Done(result) => return result.map(|reply| (reply, call.take_raw_page())),
            }
        }
    }

    /// Every page of a list request, fetched lazily as the iterator advances.
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

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<http::Response<Vec<u8>>, Failed> {
        let (parts, body) = request.into_parts();
        let result = if body.is_empty() {
            self.agent
                .run(self.configure(http::Request::from_parts(parts, ()), timeout))
        } else {
            self.agent
                .run(self.configure(http::Request::from_parts(parts, body), timeout))
        };
        let response = result.map_err(|e| {
            let (failure, message) = classify(&e);
            Failed::NoResponse(failure, message)
        })?;
        let (parts, body) = response.into_parts();
        let bytes = match body
            .into_with_config()
            .limit(self.shared.max_body_bytes())
            .read_to_vec()
        {
            Ok(bytes) => bytes,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return Err(Failed::TooLarge(parts.status.as_u16()))
            }
            Err(e) => {
                let what = if matches!(e, ureq::Error::Timeout(_)) {
                    "timed out"
                } else {
                    "reading the response"
                };
                return Err(Failed::NoResponse(Failure::MaybeSent, describe(what, &e)));
            }
        };
        Ok(http::Response::from_parts(parts, bytes))
    }

    /// `timeout` is the time the call has left: it bounds the whole exchange, body included
    /// (ureq's global timeout), so a server that trickles cannot hold the call past it.
    fn configure<S: AsSendBody>(
        &self,
        request: http::Request<S>,
        timeout: Duration,
    ) -> http::Request<S> {
        self.agent
            .configure_request(request)
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .build()
    }
}

/// Why a send produced no response to hand to the core.
enum Failed {
    /// The body passed the session's limit (the status line had arrived).
    TooLarge(u16),
    /// No (complete) response.
    NoResponse(Failure, String),
}

/// Whether a ureq error happened before the request could have reached the server.
fn classify(error: &ureq::Error) -> (Failure, String) {
    use ureq::{Error as E, Timeout};
    let failure = match error {
        E::HostNotFound
        | E::ConnectionFailed
        | E::BadUri(_)
        | E::Http(_)
        | E::Tls(_)
        | E::Rustls(_)
        | E::TlsRequired
        | E::RequireHttpsOnly(_)
        | E::InvalidProxyUrl
        | E::ConnectProxyFailed(_)
        | E::Timeout(Timeout::Resolve | Timeout::Connect) => Failure::NotSent,
        E::Io(io) if io_not_sent(io.kind()) => Failure::NotSent,
        _ => Failure::MaybeSent,
    };
    let what = match (failure, error) {
        (_, E::Timeout(_)) => "timed out",
        (Failure::NotSent, _) => "could not connect",
        _ => "the request failed",
    };
    (failure, describe(what, error))
}

/// The pages of a list request; see [`Client::pages`]. After an error the iterator ends.
#[derive(Debug)]
pub struct Pages {
    client: Client,
    config: Config,
    pager: Pager,
    failed: bool,
}

impl Pages {
    /// The items of every page, one by one.
    pub fn items(self) -> Items {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    /// The items of every page as typed models (`pages.models::<User>()`), read straight
    /// from each page's bytes by [`crate::models::decode_raw_page`]: no `Value` tree is built (see
    /// `bash scripts/bench.sh --rust`). After an error the iterator ends.
    pub fn models<M: Model>(self) -> Models<M> {
        Models {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    /// The next page as typed models, `None` at the end; see [`Pages::models`]. The page
    /// rules are those of [`Pages::next`] (the next link, the items member, a windowed
    /// walk's repeats dropped).
    pub fn next_models<M: Model>(&mut self) -> Option<Result<Vec<M>, Error>> {
        if self.failed {
            return None;
        }
        let request = self.pager.next_request()?;
        let result = self
            .client
            .execute_raw(&request)
            .and_then(|(reply, raw)| self.pager.take_models(&reply, raw, &self.config));
        self.failed = result.is_err();
        Some(result)
    }

    /// The pager (pages and items read so far).
    pub fn pager(&self) -> &Pager {
        &self.pager
    }
}

impl Iterator for Pages {
    type Item = Result<Page, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let request = self.pager.next_request()?;
        let result = self
            .client
            .execute(&request)
            .and_then(|reply| self.pager.on_reply(&reply, &self.config));
        self.failed = result.is_err();
        Some(result)
    }
}

impl FusedIterator for Pages {}

/// The items of every page of a list request (raw JSON:API objects); see [`Pages::items`].
#[derive(Debug)]
pub struct Items {
    pages: Pages,
    buffer: VecDeque<Value>,
}

impl Iterator for Items {
    type Item = Result<Value, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.buffer.extend(page.items),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl FusedIterator for Items {}

/// The items of every page of a list request as typed models; see [`Pages::models`].
#[derive(Debug)]
pub struct Models<M> {
    pages: Pages,
    buffer: VecDeque<M>,
}

impl<M: Model> Models<M> {
    /// The pager (pages and items read so far).
    pub fn pager(&self) -> &Pager {
        &self.pages.pager
    }
}

impl<M: Model> Iterator for Models<M> {
    type Item = Result<M, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next_models::<M>()? {
                Ok(models) => self.buffer.extend(models),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<M: Model> FusedIterator for Models<M> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_refused_is_not_sent_and_retried_then_reported() {
        // Bind then drop a listener: nothing listens on that port any more.
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
                retry: crate::RetryPolicy {
                    max_retries: 1,
                    base_delay: Duration::from_millis(1),
                    ..Default::default()
                },
                ..Default::default()
            },
        );
        let e = client
            .execute(&ApiRequest::new("users.list").unwrap())
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
        assert_eq!(client.stats().retries, 1);
        assert_eq!(client.stats().token_requests, 2);
        assert!(!format!("{client:?} {e:?}").contains("secret-value-xyz"));
    }
}
