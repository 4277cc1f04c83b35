//! The `Call` state machine: token, pacing, sending, retrying, refreshing, in one place.
//!
//! A [`Session`] holds what all calls of one client share: configuration, credentials, the
//! cached token, the pacer and counters. A [`Call`] runs one API request to completion. It
//! never performs I/O; it tells the driver what to do next:
//!
//! ```text
//! loop {
//!     match call.poll(&mut session, now(), random()) {
//!         Step::Send(request) => match http_send(request) {
//!             Ok(response) => call.receive(&mut session, response, now()),
//!             Err(e) => call.fail(&mut session, Failure::MaybeSent, &e.to_string(), now()),
//!         },
//!         Step::Wait(duration) => sleep(duration),
//!         Step::Done(result) => break result,
//!     }
//! }
//! ```

use std::time::Duration;

use crate::catalog::Operation;
use crate::config::Config;
use crate::datetime::Timestamp;
use crate::error::Error;
use crate::event::Event;
use crate::paging::{self, RawPage};
use crate::ratelimit::{Pacer, RateLimit};
use crate::request::{ApiRequest, Prepared};
use crate::response::{self, Reply};
use crate::retry::{Failure, Retry, RetryPolicy};
use crate::scope::ScopeSet;
use crate::secret::{AccessToken, Credentials, Redactor};
use crate::token::{token_request, Token};

/// Longest transport error message kept (drivers' messages carry error codes and paths).
const TRANSPORT_MESSAGE_MAX: usize = 240;

/// Replaced tokens a session still redacts from what servers say.
const RETIRED_TOKENS: usize = 4;

/// How often a call waiting for another call's token request looks again.
const TOKEN_WAIT: Duration = Duration::from_millis(25);

/// The largest response body a driver reads by default (64 MiB: a 1000-item page is a few
/// MiB); a longer one ends the call with a decode error.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 << 20;

/// A failure this close to the deadline leaves no time to try again: it is the deadline's
/// doing (a driver's socket timeout, set to the time left, fires at about the deadline).
const DEADLINE_SLACK: Duration = Duration::from_millis(50);

/// What the driver must do next.
pub enum Step {
    /// Send this request and report the outcome with [`Call::receive`] or [`Call::fail`].
    Send(http::Request<Vec<u8>>),
    /// Sleep this long, then poll again.
    Wait(Duration),
    /// The call is over.
    Done(Result<Reply, Error>),
}

// By hand: a request's headers and body hold the token or the client secret, so only the
// method and URL are shown.
impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Send(req) => write!(f, "Send({} {})", req.method(), req.uri()),
            Step::Wait(d) => f.debug_tuple("Wait").field(d).finish(),
            Step::Done(r) => f.debug_tuple("Done").field(r).finish(),
        }
    }
}

/// Options of a [`Session`].
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Scopes to request. When set, a call that none of its allowed scopes covers is
    /// refused before anything is sent. When `None`, tokens still name their scopes (the
    /// token endpoint requires `scope`): the first token asks for what the first call needs,
    /// and a later call that needs more gets a new token for the union (least privilege,
    /// as Degreed asks of API keys).
    pub scopes: Option<ScopeSet>,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// A requests-per-minute budget shared by all calls (on top of the server's headers).
    pub requests_per_minute: Option<u32>,
    /// The largest response body a driver may read; `None` is [`DEFAULT_MAX_BODY_BYTES`].
    pub max_body_bytes: Option<u64>,
}

/// Counters for reports and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// API requests sent (token requests not included).
    pub requests: u64,
    /// Retries (of API and token requests), including the one refresh after a 401.
    pub retries: u64,
    /// 429 responses received.
    pub rate_limited: u64,
    /// Token requests sent.
    pub token_requests: u64,
}

impl Stats {
    /// The counters as plain data for the bindings, keys in `case` (`rate_limited`,
    /// `rateLimited`).
    pub fn to_json(&self, case: crate::models::KeyCase) -> serde_json::Value {
        let fields = [
            ("requests", self.requests),
            ("retries", self.retries),
            ("rate_limited", self.rate_limited),
            ("token_requests", self.token_requests),
        ];
        fields
            .iter()
            .map(|(k, v)| {
                (
                    crate::models::convert_key(k, case),
                    serde_json::Value::from(*v),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    }
}

/// What the calls of one client share.
#[derive(Debug)]
pub struct Session {
    config: Config,
    credentials: Credentials,
    scopes: Option<ScopeSet>,
    /// Without caller scopes: the union of what the calls so far needed (only grows).
    needed: ScopeSet,
    retry: RetryPolicy,
    token: Option<Token>,
    /// The last tokens replaced (newest last, at most [`RETIRED_TOKENS`]): a token replaced
    /// for a wider scope, or before it expires, is still valid, so a server that quotes it
    /// later must not get it into an error.
    retired: Vec<AccessToken>,
    token_epoch: u64,
    token_fetch: Option<(u64, Timestamp)>,
    next_call: u64,
    pacer: Pacer,
    stats: Stats,
    max_body_bytes: u64,
}

impl Session {
    /// A session for one API key.
    pub fn new(config: Config, credentials: Credentials, options: SessionOptions) -> Self {
        Session {
            config,
            credentials,
            scopes: options.scopes.filter(|s| !s.is_empty()),
            needed: ScopeSet::new(),
            retry: options.retry,
            token: None,
            retired: Vec::new(),
            token_epoch: 0,
            token_fetch: None,
            next_call: 0,
            pacer: Pacer::new(options.requests_per_minute)
                .with_max_wait(options.retry.max_retry_after),
            stats: Stats::default(),
            max_body_bytes: options
                .max_body_bytes
                .filter(|n| *n > 0)
                .unwrap_or(DEFAULT_MAX_BODY_BYTES),
        }
    }

    /// The largest response body a driver may read (every driver stops reading there and
    /// reports it with [`Call::too_large`]).
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The client id (not secret).
    pub fn client_id(&self) -> &str {
        &self.credentials.client_id
    }

    /// The scopes requested for tokens, when set.
    pub fn scopes(&self) -> Option<&ScopeSet> {
        self.scopes.as_ref()
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// How long a request started at `now` would wait to stay under the rate limits (for
    /// progress displays; the calls themselves wait by [`Step::Wait`]).
    pub fn pacing_delay(&self, now: Timestamp) -> Duration {
        self.pacer.delay(now)
    }

    /// What must never come back out of the session: the client secret and the tokens
    /// (`with_token`: the current one and those it replaced; not while reading a token
    /// response, which carries the next one).
    fn redactor(&self, with_token: bool) -> Redactor {
        let mut secrets = vec![self.credentials.client_secret.expose_secret()];
        if with_token {
            let current = self.token.as_ref().map(Token::access_token);
            secrets.extend(
                self.retired
                    .iter()
                    .chain(current)
                    .map(AccessToken::expose_secret),
            );
        }
        Redactor::new(&secrets)
    }

    /// Keeps the replaced token for redaction.
    fn retire_token(&mut self) {
        if let Some(old) = self.token.take() {
            if self.retired.len() == RETIRED_TOKENS {
                self.retired.remove(0);
            }
            self.retired.push(old.access_token().clone());
        }
    }

    /// The cached token, if any.
    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    /// Uses `token` for the following calls (for callers who obtain tokens elsewhere).
    pub fn set_token(&mut self, token: Token) {
        self.retire_token();
        self.token = Some(token);
        self.token_epoch += 1;
    }

    /// Drops the cached token; the next call fetches a new one.
    pub fn clear_token(&mut self) {
        self.retire_token();
        self.token_epoch += 1;
    }

    /// Starts a call. Caller errors (bad parameters, a scope outside the requested set) are
    /// returned here, before anything is sent.
    pub fn call(&mut self, request: &ApiRequest) -> Result<Call, Error> {
        let prepared = request.prepare(&self.config)?;
        if let Some(scopes) = &self.scopes {
            check_scope(scopes, prepared.operation())?;
        }
        self.next_call += 1;
        Ok(Call {
            id: self.next_call,
            prepared,
            state: State::Start,
            retries: 0,
            refreshed: false,
            own_token: None,
            events: Vec::new(),
            attempts: (0, 0),
            sent_at: None,
            retry_note: None,
            raw_page: None,
            timeout: self.config.timeout(),
            deadline: None,
            last_poll: None,
            send_timeout: self.config.timeout(),
            requested: None,
            alt: 0,
            maintenance: (0, Duration::ZERO),
        })
    }
}

/// Refuses a call only when the scopes hold none of those that allow it. Where the
/// requirement is uncertain the catalogue lists every plausible scope, so a call is sent
/// whenever one of them is held and the server decides; a custom endpoint (no known scope)
/// is always sent.
fn check_scope(scopes: &ScopeSet, op: &Operation) -> Result<(), Error> {
    if scopes.covers_any(&op.any_of()) {
        return Ok(());
    }
    let need = op.scope();
    let wanted = if op.scopes.len() > 1 {
        format!("one of the scopes `{}`", op.scopes_display())
    } else {
        format!("the scope `{}`", op.scopes_display())
    };
    Err(Error::PermissionDenied {
        message: format!(
            "`{}` needs {wanted}, which the client's scopes ({scopes}) do not include",
            op.name
        ),
        missing_scope: need,
        api: None,
    })
}

/// The scopes of the token a call asks for. With caller scopes, those. Without, the union
/// of what earlier calls were granted plus this call's alternative number `alt` (its first
/// choice, then the next one if the key refused it) when that union allows none of its
/// scopes; `None` when nothing is known yet (a custom request as the first call).
fn scopes_to_request(session: &Session, op: &Operation, alt: usize) -> Option<ScopeSet> {
    if let Some(scopes) = &session.scopes {
        return Some(scopes.clone());
    }
    let mut wanted = session.needed.clone();
    if wanted.is_empty() || !wanted.covers_any(&op.any_of()) {
        if let Some(choice) = op.any_of().into_iter().nth(alt) {
            wanted.insert(choice);
        }
    }
    (!wanted.is_empty()).then_some(wanted)
}

#[derive(Debug)]
enum State {
    Start,
    AwaitToken,
    AwaitApi {
        epoch: u64,
    },
    /// A failed attempt, for the retry policy to answer at the next poll (which brings the
    /// jitter): try again after a back-off, or end the call with `error`.
    Failed {
        failure: Failure,
        idempotent: bool,
        retry_after: Option<Duration>,
        error: Error,
    },
    /// Waiting `delay` before a retry; `error` ends the call if the wait would pass the
    /// deadline.
    Backoff {
        delay: Duration,
        error: Error,
    },
    /// Waiting until the instant, for at most the duration asked when the wait began (a
    /// clock set back must not stretch a wait).
    WaitUntil(Timestamp, Duration),
    Finished(Option<Result<Reply, Error>>),
}

/// One API request, run to completion through token fetches, pacing and retries.
#[derive(Debug)]
pub struct Call {
    id: u64,
    prepared: Prepared,
    state: State,
    retries: u32,
    refreshed: bool,
    /// The token epoch of a token this call fetched itself: used even if it is already
    /// within its refresh margin, so a server that issues very short-lived tokens cannot
    /// send the call into an endless loop of token requests.
    own_token: Option<u64>,
    /// Events not yet taken by the driver.
    events: Vec<Event>,
    /// Token and API requests sent so far.
    attempts: (u32, u32),
    /// When the request in flight was sent.
    sent_at: Option<Timestamp>,
    /// What the pending retry is about, reported with its back-off by the next poll.
    retry_note: Option<RetryNote>,
    /// `Some` once [`Call::keep_raw_page`] asked for the page unparsed; then the page itself.
    raw_page: Option<Option<RawPage>>,
    /// The whole call's time budget: attempts, waits and retries.
    timeout: Duration,
    /// When the call must be over: set explicitly, or `timeout` after the first poll.
    deadline: Option<Timestamp>,
    /// The `now` of the last poll, to notice a clock set back.
    last_poll: Option<Timestamp>,
    /// The time left for the request of the last [`Step::Send`].
    send_timeout: Duration,
    /// The scopes of the token request in flight (the token's scopes unless the answer
    /// names them).
    requested: Option<ScopeSet>,
    /// Which of the operation's scopes the token requests add (without caller scopes): the
    /// next one is tried when the key refuses one.
    alt: usize,
    /// Waits made for a 503 to pass once the retries were used up: how many, how long in
    /// all.
    maintenance: (u32, Duration),
}

#[derive(Debug)]
struct RetryNote {
    operation: &'static str,
    status: Option<u16>,
    cause: &'static str,
    request_id: Option<String>,
    elapsed: Duration,
    attempt: u32,
}

impl Call {
    /// The operation being called.
    pub fn operation(&self) -> &'static Operation {
        self.prepared.operation()
    }

    /// Retries made so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// Replaces the call's time budget (by default the configuration's timeout). The
    /// deadline is this long after the first [`Call::poll`]: it covers connecting, the
    /// response, every retry and every wait.
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<(), Error> {
        if timeout.is_zero() {
            return Err(Error::invalid("the timeout must be greater than zero"));
        }
        self.timeout = timeout;
        self.send_timeout = timeout;
        Ok(())
    }

    /// Sets the deadline itself (a time from the driver's clock, like `now`).
    pub fn set_deadline(&mut self, deadline: Timestamp) {
        self.deadline = Some(deadline);
    }

    /// The deadline, once known (after the first poll, or [`Call::set_deadline`]).
    pub fn deadline(&self) -> Option<Timestamp> {
        self.deadline
    }

    /// The time left for the request of the last [`Step::Send`]: a driver sets its
    /// connect, read and write timeouts from it (and stops reading a body that trickles in
    /// past it), then reports the failure with [`Call::fail`].
    pub fn send_timeout(&self) -> Duration {
        self.send_timeout
    }

    fn timed_out(&mut self, what: &str, maybe_applied: bool) -> Step {
        let message = format!(
            "{what} would pass the call's deadline ({} s after it started)",
            fmt_secs(self.timeout)
        );
        self.finish(Err(Error::Timeout {
            message,
            maybe_applied,
        }))
    }

    fn time_left(&self, now: Timestamp) -> Duration {
        self.deadline
            .map_or(self.timeout, |d| d.duration_since(now))
            .max(Duration::from_millis(1))
    }

    fn passes_deadline(&self, now: Timestamp, delay: Duration) -> bool {
        self.deadline.is_some_and(|d| now.add(delay) > d)
    }

    /// The events queued since the last call (see [`crate::event`]); a driver forwards them
    /// to the host's logging after each step.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The path of the request as events show it: the operation's template, never the query.
    fn event_path(&self) -> String {
        let op = self.operation();
        if op.is_custom() {
            self.prepared.url().path().to_owned()
        } else {
            op.path.to_owned()
        }
    }

    fn elapsed(&self, now: Timestamp) -> Duration {
        self.sent_at
            .map_or(Duration::ZERO, |t| now.duration_since(t))
    }

    /// Keeps a successful answer as bytes instead of parsing it: the body is checked by
    /// [`paging::scan`] (a garbled body is retried like any other), the [`Reply`]'s `body`
    /// is `None`, and the page is taken with [`Call::take_raw_page`] and read by
    /// [`crate::Pager::take_raw`]. For bindings whose host parses JSON faster than building
    /// a tree here and converting it.
    pub fn keep_raw_page(&mut self) {
        self.raw_page.get_or_insert(None);
    }

    /// Reports a success answer to a call made with [`Call::keep_raw_page`] whose body the
    /// host parsed itself and found in the ordinary shape (see [`RawPage::parsed`]: `items`
    /// objects in an array, the next link `next`); `response` is the answer's status and
    /// headers (its body, if any, is not read). The call finishes as [`Call::receive`] would
    /// have, without the body ever crossing into the core. Returns `false`, changing nothing,
    /// when the call is not waiting for a page or the status is not a success: then the host
    /// reports the answer, body and all, to [`Call::receive`]. A body the host could not
    /// parse goes there too (it is retried like any garbled answer).
    pub fn receive_page<B>(
        &mut self,
        session: &mut Session,
        mut response: http::Response<B>,
        items: usize,
        next: Option<String>,
        now: Timestamp,
    ) -> bool {
        let status = response.status().as_u16();
        if !matches!(self.state, State::AwaitApi { .. })
            || self.raw_page.is_none()
            || !(200..300).contains(&status)
        {
            return false;
        }
        // As for a body: a next link echoing a secret is scrubbed before it can reach an
        // error or an event.
        let redactor = session.redactor(true);
        redactor.headers(response.headers_mut());
        let next = next.map(|link| {
            let mut bytes = link.into_bytes();
            redactor.bytes(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        });
        let headers = response.headers();
        let request_id = response::request_id(headers);
        self.note_response(status, request_id.clone(), now);
        let rate_limit = RateLimit::from_headers(headers);
        if let Some(rl) = rate_limit {
            session.pacer.observe(rl, now);
        }
        let page = RawPage::parsed(self.prepared.operation().paging, items, next);
        self.finish_raw(page, status, request_id, rate_limit);
        true
    }

    /// Finishes a call made with [`Call::keep_raw_page`] with its page: the reply has no body.
    fn finish_raw(
        &mut self,
        page: RawPage,
        status: u16,
        request_id: Option<String>,
        rate_limit: Option<RateLimit>,
    ) {
        self.raw_page = Some(Some(page));
        self.state = State::Finished(Some(Ok(Reply {
            operation: self.prepared.operation(),
            status,
            request_id,
            rate_limit,
            body: None,
        })));
    }

    /// Whether `other` sends the same request as this call (method, URL, body): a page
    /// requested ahead ([`crate::paging::Pager::lookahead`]) is kept when it is the one the
    /// walk asks for next.
    pub fn same_request(&self, other: &Call) -> bool {
        let (a, b) = (&self.prepared, &other.prepared);
        // The operation by identity (the catalogue's entries are statics).
        std::ptr::eq(a.operation(), b.operation()) && a.url() == b.url() && a.body() == b.body()
    }

    /// The page of a call made with [`Call::keep_raw_page`], once it is done.
    pub fn take_raw_page(&mut self) -> Option<RawPage> {
        self.raw_page.as_mut().and_then(Option::take)
    }

    /// The next step. `now` is the current time; `random` is a uniform value in `[0, 1)` used
    /// for back-off jitter.
    pub fn poll(&mut self, session: &mut Session, now: Timestamp, random: f64) -> Step {
        if let (Some(last), Some(deadline)) = (self.last_poll, self.deadline) {
            if now < last {
                // The clock was set back: keep the time that was left, not the instant, or
                // the call would last that much longer.
                self.deadline = Some(now.add(deadline.duration_since(last)));
            }
        }
        self.last_poll = Some(now);
        loop {
            match &mut self.state {
                State::Finished(result) => {
                    let mut result = result
                        .take()
                        .unwrap_or_else(|| Err(Error::invalid("the call is already finished")));
                    if let Err(e) = &mut result {
                        // The last line of defence: whatever an error quotes, the secrets go.
                        e.redact(&session.redactor(true));
                    }
                    return Step::Done(result);
                }
                State::AwaitToken | State::AwaitApi { .. } => {
                    return Step::Done(Err(Error::invalid(
                        "poll() called while a request is in flight",
                    )));
                }
                State::Failed {
                    failure,
                    idempotent,
                    retry_after,
                    error,
                } => {
                    let (failure, idempotent, retry_after) = (*failure, *idempotent, *retry_after);
                    let error = error.clone();
                    let mut decision = session.retry.decide(
                        self.retries,
                        idempotent,
                        failure,
                        random,
                        retry_after,
                    );
                    if decision == Retry::Stop && idempotent && failure == Failure::Status(503) {
                        // Maintenance, perhaps: Degreed advises trying again 30-120 s later.
                        // The wait is made only if the deadline allows (see `Backoff`): else
                        // the 503 is the answer, at once.
                        let (waits, waited) = self.maintenance;
                        if let Some(wait) =
                            session.retry.maintenance_wait(waits, waited, retry_after)
                        {
                            self.maintenance = (waits + 1, waited + wait);
                            decision = Retry::After(wait);
                        }
                    }
                    match decision {
                        Retry::After(delay) => {
                            self.retries += 1;
                            session.stats.retries += 1;
                            self.state = State::Backoff { delay, error };
                        }
                        Retry::Stop => {
                            self.retry_note = None;
                            // The event and the error give one answer: a write whose outcome
                            // is unknown (lost answer, 5xx, unreadable success) is reported
                            // whatever ended it.
                            if error.maybe_applied() {
                                self.note_maybe_applied(now);
                            }
                            self.state = State::Finished(Some(Err(error)));
                        }
                    }
                }
                _ if now >= *self.deadline.get_or_insert(now.add(self.timeout)) => {
                    return self.timed_out("going on", false);
                }
                State::WaitUntil(until, longest) => {
                    if until.duration_since(now) > *longest {
                        // The clock went back: wait no longer than first asked, from now.
                        *until = now.add(*longest);
                    }
                    if now < *until {
                        return Step::Wait(until.duration_since(now));
                    }
                    self.state = State::Start;
                }
                State::Backoff { delay, error } => {
                    let delay = *delay;
                    if self.deadline.is_some_and(|d| now.add(delay) > d) {
                        // No time left to try again: the failure that asked for the retry
                        // is the answer (a 429 keeps its `retry_after`), redacted as every
                        // error is (a token answer was read without the tokens it replaced).
                        let mut error = error.clone();
                        error.redact(&session.redactor(true));
                        self.retry_note = None;
                        return self.finish(Err(error));
                    }
                    if let Some(n) = self.retry_note.take() {
                        self.events.push(Event::Retry {
                            operation: n.operation,
                            status: n.status,
                            cause: n.cause,
                            request_id: n.request_id,
                            elapsed: n.elapsed,
                            wait: delay,
                            attempt: n.attempt,
                        });
                    }
                    if delay.is_zero() {
                        // `Retry-After: 0` or a date already past: try again now (a zero
                        // wait would only send the driver round).
                        self.state = State::Start;
                        continue;
                    }
                    self.state = State::WaitUntil(now.add(delay), delay);
                    return Step::Wait(delay);
                }
                State::Start => return self.start(session, now),
            }
        }
    }

    fn start(&mut self, session: &mut Session, now: Timestamp) -> Step {
        let fresh = session
            .token
            .as_ref()
            .filter(|t| !t.needs_refresh(now) || self.own_token == Some(session.token_epoch))
            // Without caller scopes, a token that allows none of this call's scopes is
            // replaced by one for the union of what the calls need.
            // A token this call just fetched is kept either way (then refused below when
            // the server granted less than asked), so a narrow grant cannot loop.
            .filter(|t| match (&session.scopes, t.scopes()) {
                (None, Some(held)) => {
                    self.own_token == Some(session.token_epoch)
                        || held.covers_any(&self.operation().any_of())
                }
                _ => true,
            })
            .cloned();
        let Some(token) = fresh else {
            if let Some((owner, since)) = session.token_fetch {
                let stale = now.duration_since(since) > session.config.timeout() * 2;
                if owner != self.id && !stale {
                    // Another call is fetching the token: wait for it instead of asking twice.
                    if self.passes_deadline(now, TOKEN_WAIT) {
                        return self.timed_out("waiting for another call's token", false);
                    }
                    return Step::Wait(TOKEN_WAIT);
                }
            }
            let Some(scopes) = scopes_to_request(session, self.operation(), self.alt) else {
                return self.finish(Err(Error::invalid(format!(
                    "`{}`: the scope of a custom request is unknown and the client has no \
                     scopes, so there is nothing to ask the token endpoint for (its `scope` \
                     is required); give the client `scopes`",
                    self.operation().name
                ))));
            };
            session.token_fetch = Some((self.id, now));
            session.stats.token_requests += 1;
            self.state = State::AwaitToken;
            self.send_timeout = self.time_left(now);
            self.attempts.0 += 1;
            self.sent_at = Some(now);
            self.events.push(Event::Request {
                operation: "token",
                method: "POST",
                path: session.config.token_url().path().to_owned(),
                attempt: self.attempts.0,
            });
            let request = token_request(&session.config, &session.credentials, &scopes);
            self.requested = Some(scopes);
            return Step::Send(request);
        };
        if let Some(scopes) = token.scopes() {
            if let Err(e) = check_scope(scopes, self.operation()) {
                return self.finish(Err(e));
            }
        }
        session.pacer.rebase(now);
        let (delay, reason) = session.pacer.delay_why(now);
        if !delay.is_zero() {
            if self.passes_deadline(now, delay) {
                let what = format!("waiting {} s for the rate limit", fmt_secs(delay));
                return self.timed_out(&what, false);
            }
            self.events.push(Event::Wait {
                operation: self.operation().name,
                wait: delay,
                reason,
            });
            self.state = State::WaitUntil(now.add(delay), delay);
            return Step::Wait(delay);
        }
        session.pacer.on_send(now);
        self.send_timeout = self.time_left(now);
        session.stats.requests += 1;
        self.attempts.1 += 1;
        self.sent_at = Some(now);
        self.events.push(Event::Request {
            operation: self.operation().name,
            method: self.operation().method.as_str(),
            path: self.event_path(),
            attempt: self.attempts.1,
        });
        self.state = State::AwaitApi {
            epoch: session.token_epoch,
        };
        let mut request = self.prepared.to_http(token.access_token());
        // A driver may log the step: keep the bearer token out of `Debug` output.
        if let Some(auth) = request.headers_mut().get_mut(http::header::AUTHORIZATION) {
            auth.set_sensitive(true);
        }
        Step::Send(request)
    }

    fn finish(&mut self, result: Result<Reply, Error>) -> Step {
        self.state = State::Finished(None);
        Step::Done(result)
    }

    /// Leaves the answer to a failed attempt to the retry policy, at the next poll.
    fn failed(
        &mut self,
        failure: Failure,
        idempotent: bool,
        retry_after: Option<Duration>,
        error: Error,
    ) {
        self.state = State::Failed {
            failure,
            idempotent,
            retry_after,
            error,
        };
    }

    /// Remembers what failed, for the `retry` event the next poll reports with its back-off.
    fn note_failure(
        &mut self,
        status: Option<u16>,
        cause: &'static str,
        request_id: Option<String>,
        now: Timestamp,
    ) {
        let token = matches!(self.state, State::AwaitToken);
        self.retry_note = Some(RetryNote {
            operation: if token {
                "token"
            } else {
                self.operation().name
            },
            status,
            cause,
            request_id,
            elapsed: self.elapsed(now),
            attempt: if token {
                self.attempts.0
            } else {
                self.attempts.1
            } + 1,
        });
    }

    fn note_response(&mut self, status: u16, request_id: Option<String>, now: Timestamp) {
        let token = matches!(self.state, State::AwaitToken);
        self.events.push(Event::Response {
            operation: if token {
                "token"
            } else {
                self.operation().name
            },
            status,
            request_id,
            elapsed: self.elapsed(now),
            attempt: if token {
                self.attempts.0
            } else {
                self.attempts.1
            },
        });
    }

    /// Reports the response to the request of the last [`Step::Send`].
    pub fn receive(
        &mut self,
        session: &mut Session,
        response: http::Response<Vec<u8>>,
        now: Timestamp,
    ) {
        self.receive_into(session, response, now, &mut paging::Skip);
    }

    /// [`Call::receive`] for a call made with [`Call::keep_raw_page`], building the page's
    /// items with `sink` while the core checks them ([`paging::scan_into`]): the host's
    /// values for the items member when this response finished the call with a page, else
    /// `None` (a token response, an error, a body the check refused).
    pub fn receive_into<S: paging::Sink>(
        &mut self,
        session: &mut Session,
        mut response: http::Response<Vec<u8>>,
        now: Timestamp,
        sink: &mut S,
    ) -> Option<S::Value> {
        // A server may echo what it was sent: scrub the secrets from the body before any
        // part of it can reach an error, an excerpt or a log. A token response keeps its
        // (new) token.
        let with_token = matches!(self.state, State::AwaitApi { .. });
        let redactor = session.redactor(with_token);
        redactor.bytes(response.body_mut());
        redactor.headers(response.headers_mut());
        let status = response.status().as_u16();
        if response.body().len() as u64 > session.max_body_bytes {
            // A driver should have stopped reading; one that hands over everything is still
            // held to the limit.
            self.too_large(session, status, now);
            return None;
        }
        if matches!(self.state, State::AwaitToken | State::AwaitApi { .. }) {
            self.note_response(status, response::request_id(response.headers()), now);
        }
        match self.state {
            State::AwaitToken => {
                self.release_token_fetch(session);
                match Token::from_response(&response, self.requested.as_ref(), now) {
                    Ok(token) => {
                        self.events.push(Event::Token {
                            refreshed: session.token_epoch > 0,
                            scopes: token.scopes().map(ToString::to_string),
                            expires_in: token.lifetime(),
                        });
                        if session.scopes.is_none() {
                            if let Some(granted) = &self.requested {
                                session.needed = granted.clone();
                            }
                        }
                        session.set_token(token);
                        self.own_token = Some(session.token_epoch);
                        self.state = State::Start;
                    }
                    Err(e) if status == 403 && session.scopes.is_none() => {
                        // Without caller scopes, the key may lack the scope asked for: try
                        // the operation's next alternative. When none is left and an earlier
                        // token was granted (so the credentials work), the call is refused
                        // for its scope; the session keeps what was granted, so other calls
                        // go on. Otherwise the credentials are what failed.
                        let op = self.operation();
                        if self.alt + 1 < op.scopes.len() {
                            self.alt += 1;
                            self.state = State::Start;
                        } else if session.token.is_some() {
                            let message = format!(
                                "`{}` needs the scope `{}`, which the API key does not grant \
                                 (the token endpoint refused `{}`)",
                                op.name,
                                op.scopes_display(),
                                self.requested
                                    .as_ref()
                                    .map(ScopeSet::to_wire)
                                    .unwrap_or_default()
                            );
                            self.state = State::Finished(Some(Err(Error::PermissionDenied {
                                message,
                                missing_scope: op.scope(),
                                api: e.api().cloned().map(Box::new),
                            })));
                        } else {
                            self.state = State::Finished(Some(Err(e)));
                        }
                    }
                    Err(e) => {
                        let hint = response::retry_after(response.headers(), now);
                        let rid = response::request_id(response.headers());
                        self.note_failure(Some(status), "status", rid, now);
                        self.failed(Failure::Status(status), true, hint, e);
                    }
                }
            }
            State::AwaitApi { epoch } => {
                return self.receive_api(session, response, now, epoch, sink);
            }
            _ => {}
        }
        None
    }

    fn receive_api<S: paging::Sink>(
        &mut self,
        session: &mut Session,
        response: http::Response<Vec<u8>>,
        now: Timestamp,
        epoch: u64,
        sink: &mut S,
    ) -> Option<S::Value> {
        let status = response.status().as_u16();
        let headers = response.headers();
        let rate_limit = RateLimit::from_headers(headers);
        if let Some(rl) = rate_limit {
            session.pacer.observe(rl, now);
        }
        let idempotent = self.prepared.operation().is_idempotent();
        if (200..300).contains(&status) && self.raw_page.is_some() {
            let request_id = response::request_id(headers);
            let body = response.into_body();
            let op = self.prepared.operation();
            match paging::scan_into(op.paging, body, sink) {
                Ok((page, built)) => {
                    self.finish_raw(page, status, request_id, rate_limit);
                    return built;
                }
                Err(e) => {
                    self.note_failure(Some(status), "unreadable_response", request_id.clone(), now);
                    let error = e.with_reply(status, request_id);
                    self.failed(Failure::MaybeSent, idempotent, None, error);
                }
            }
            return None;
        }
        if (200..300).contains(&status) {
            let body = response.body();
            let parsed = if body.iter().all(u8::is_ascii_whitespace) {
                Ok(None)
            } else {
                response::parse_json(status, headers, body).map(Some)
            };
            match parsed {
                Ok(body) => {
                    let reply = Reply {
                        operation: self.prepared.operation(),
                        status,
                        request_id: response::request_id(headers),
                        rate_limit,
                        body,
                    };
                    self.state = State::Finished(Some(Ok(reply)));
                }
                Err(mut e) => {
                    // A garbled success body is retried only where repeating is harmless;
                    // elsewhere the write was applied with an unknown result.
                    if let Error::Decode { maybe_applied, .. } = &mut e {
                        *maybe_applied = !idempotent;
                    }
                    let rid = response::request_id(headers);
                    self.note_failure(Some(status), "unreadable_response", rid, now);
                    self.failed(Failure::MaybeSent, idempotent, None, e);
                }
            }
            return None;
        }
        if status == 401 && !self.refreshed {
            // The token was revoked or expired early: fetch a new one, once.
            self.refreshed = true;
            session.stats.retries += 1;
            self.events.push(Event::Retry {
                operation: self.operation().name,
                status: Some(401),
                cause: "unauthorized",
                request_id: response::request_id(headers),
                elapsed: self.elapsed(now),
                wait: Duration::ZERO,
                attempt: self.attempts.1 + 1,
            });
            if session.token_epoch == epoch {
                session.clear_token();
            }
            self.state = State::Start;
            return None;
        }
        let hint = response::retry_after(headers, now);
        if status == 429 {
            session.stats.rate_limited += 1;
            let wait = hint.unwrap_or_else(|| session.retry.backoff(self.retries, 0.5, None));
            session
                .pacer
                .block(now, wait.min(session.retry.max_retry_after));
        }
        let mut error = response::error_for_status(status, headers, response.body(), now);
        if let Error::Server(api) = &mut error {
            // A write that is not repeated may have been applied before the server failed.
            api.maybe_applied = !idempotent && status >= 500;
        }
        self.note_failure(Some(status), "status", response::request_id(headers), now);
        self.failed(Failure::Status(status), idempotent, hint, error);
        None
    }

    /// Reports that the request of the last [`Step::Send`] got no response. `failure` says
    /// whether it could have reached the server ([`Failure::NotSent`] or
    /// [`Failure::MaybeSent`]); `message` is the driver's description (no secrets).
    pub fn fail(&mut self, session: &mut Session, failure: Failure, message: &str, now: Timestamp) {
        let idempotent = match self.state {
            State::AwaitToken => {
                self.release_token_fetch(session);
                true
            }
            State::AwaitApi { .. } => self.prepared.operation().is_idempotent(),
            _ => return,
        };
        let maybe_applied = failure == Failure::MaybeSent && !idempotent;
        let message = crate::error::excerpt_n(message, TRANSPORT_MESSAGE_MAX);
        if self.passes_deadline(now, DEADLINE_SLACK) {
            self.retry_note = None;
            if maybe_applied {
                self.note_maybe_applied(now);
            }
            self.state = State::Finished(Some(Err(Error::Timeout {
                message: format!(
                    "no response within the call's {} s ({message})",
                    fmt_secs(self.timeout)
                ),
                maybe_applied,
            })));
            return;
        }
        let error = Error::Transport {
            message,
            maybe_applied,
        };
        self.note_failure(None, "no_response", None, now);
        self.failed(failure, idempotent, None, error);
    }

    /// Reports that the response to the last [`Step::Send`] had a body longer than
    /// [`Session::max_body_bytes`] (the driver stopped reading it). The call ends with a
    /// decode error; it is not retried, since the same answer would come again.
    pub fn too_large(&mut self, session: &mut Session, status: u16, now: Timestamp) {
        match self.state {
            State::AwaitToken => {
                self.release_token_fetch(session);
            }
            State::AwaitApi { .. } => {}
            _ => return,
        }
        // A write's success or server-error answer that cannot be read: perhaps applied
        // (as for a 5xx or a garbled success read whole).
        let write_answered = matches!(self.state, State::AwaitApi { .. })
            && !self.prepared.operation().is_idempotent()
            && matches!(status, 200..=299 | 500..=599);
        self.note_response(status, None, now);
        if write_answered {
            self.note_maybe_applied(now);
        }
        self.state = State::Finished(Some(Err(Error::Decode {
            message: format!(
                "the response body is longer than the limit of {} bytes",
                session.max_body_bytes
            ),
            path: "$".into(),
            excerpt: String::new(),
            status,
            request_id: None,
            maybe_applied: write_answered,
        })));
    }

    /// Lets other calls fetch a token again when this call was the one fetching it.
    fn release_token_fetch(&self, session: &mut Session) {
        if session
            .token_fetch
            .is_some_and(|(owner, _)| owner == self.id)
        {
            session.token_fetch = None;
        }
    }

    fn note_maybe_applied(&mut self, now: Timestamp) {
        self.events.push(Event::MaybeApplied {
            operation: self.operation().name,
            method: self.operation().method.as_str(),
            path: self.event_path(),
            elapsed: self.elapsed(now),
        });
    }

    /// Abandons the call because the caller gave up (an abort signal, a cancelled task).
    /// A token request it was making is released so other calls fetch their own instead of
    /// waiting for it, and nothing is counted as a retry. The next [`Call::poll`] returns
    /// `Done` with a transport error whose `maybe_applied` says whether a write was in flight.
    pub fn cancel(&mut self, session: &mut Session, reason: &str) {
        self.release_token_fetch(session);
        if matches!(self.state, State::Finished(_)) {
            return;
        }
        let maybe_applied = matches!(self.state, State::AwaitApi { .. })
            && !self.prepared.operation().is_idempotent();
        if maybe_applied {
            let now = self.sent_at.unwrap_or(Timestamp::EPOCH);
            self.note_maybe_applied(now);
        }
        let message = crate::error::excerpt_n(reason, TRANSPORT_MESSAGE_MAX);
        self.state = State::Finished(Some(Err(Error::Transport {
            message,
            maybe_applied,
        })));
    }
}

/// Seconds for messages: `2`, `0.25`.
fn fmt_secs(d: Duration) -> String {
    let s = crate::event::Secs3(d).to_string();
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
