//! Ready-made drivers: the [`Call`] loop over a real HTTP client.
//!
//! The core itself does no I/O. These drivers, each behind a cargo feature, are the ~20-line
//! loop of the crate docs wrapped around a real HTTP stack:
//!
//! - `ureq` (formerly `blocking`, still accepted) → [`blocking::Client`] on
//!   [`ureq`](https://docs.rs/ureq) (no async runtime);
//! - `reqwest` → [`reqwest::Client`] on [`reqwest`](https://docs.rs/reqwest) and tokio (TLS
//!   backend: `reqwest-rustls`, `reqwest-native-tls`, or the application's own choice).
//!
//! Both take the same `(Config, Credentials, SessionOptions)`, share one [`Session`] (token,
//! pacer, counters) between clones and threads, read the time from [`SystemTime`], draw the
//! back-off jitter from a small xorshift generator, and tell the core whether a connection
//! error happened before the request could have left ([`Failure::NotSent`]: DNS, refused
//! connection, TLS handshake) or possibly after ([`Failure::MaybeSent`]: reset, timeout,
//! truncated response), so writes are never repeated blindly.
//!
//! Redirects are not followed (the bearer token must stay on the API origin), every request
//! is sent with the time its call has left ([`Call::send_timeout`]), and response bodies are
//! capped at [`Session::max_body_bytes`](crate::Session::max_body_bytes).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::call::{Call, Session, SessionOptions, Stats, Step};
use crate::config::Config;
use crate::datetime::Timestamp;
use crate::error::Error;
use crate::request::ApiRequest;
use crate::retry::Failure;
use crate::secret::Credentials;

#[cfg(feature = "ureq")]
pub mod blocking;
#[cfg(feature = "reqwest")]
pub mod reqwest;

/// The default largest response body a driver reads (64 MiB); a longer one fails the call.
pub const MAX_BODY_BYTES: u64 = crate::call::DEFAULT_MAX_BODY_BYTES;

/// The `User-Agent` the drivers send.
pub const USER_AGENT: &str = concat!("degreed-rust/", env!("CARGO_PKG_VERSION"));

/// The current time, from the system clock.
pub fn now() -> Timestamp {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => Timestamp::from_unix(
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(_) => Timestamp::EPOCH,
    }
}

/// A tiny xorshift64* generator for back-off jitter (no cryptographic use).
#[derive(Debug, Clone)]
pub(crate) struct XorShift(u64);

impl XorShift {
    /// Seeded from the clock and a process-wide counter, so clients started together differ.
    pub(crate) fn seeded() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let t = now();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let seed = (t.unix_secs() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ u64::from(t.subsec_nanos()).rotate_left(32)
            ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03);
        XorShift(if seed == 0 {
            0x2545_F491_4F6C_DD1D
        } else {
            seed
        })
    }

    /// A uniform value in `[0, 1)`.
    pub(crate) fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct State {
    session: Session,
    rng: XorShift,
}

/// The session and jitter source shared by the clones of one driver client. The lock is
/// held only while the core decides, never across I/O or sleeping.
#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<State>>);

impl Shared {
    pub(crate) fn new(config: Config, credentials: Credentials, options: SessionOptions) -> Self {
        Shared(Arc::new(Mutex::new(State {
            session: Session::new(config, credentials, options),
            rng: XorShift::seeded(),
        })))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The core's state stays consistent between calls, so a panic elsewhere while the
        // lock was held does not make it unusable.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn start(&self, request: &ApiRequest) -> Result<Call, Error> {
        self.lock().session.call(request)
    }

    pub(crate) fn poll(&self, call: &mut Call) -> Step {
        let step = {
            let mut state = self.lock();
            let random = state.rng.next_f64();
            call.poll(&mut state.session, now(), random)
        };
        forward(call);
        step
    }

    pub(crate) fn receive(&self, call: &mut Call, response: http::Response<Vec<u8>>) {
        call.receive(&mut self.lock().session, response, now());
        forward(call);
    }

    pub(crate) fn fail(&self, call: &mut Call, failure: Failure, message: &str) {
        call.fail(&mut self.lock().session, failure, message, now());
        forward(call);
    }

    pub(crate) fn too_large(&self, call: &mut Call, status: u16) {
        call.too_large(&mut self.lock().session, status, now());
    }

    pub(crate) fn max_body_bytes(&self) -> u64 {
        self.lock().session.max_body_bytes()
    }

    pub(crate) fn stats(&self) -> Stats {
        self.lock().session.stats()
    }

    pub(crate) fn config(&self) -> Config {
        self.lock().session.config().clone()
    }

    pub(crate) fn client_id(&self) -> String {
        self.lock().session.client_id().to_owned()
    }

    pub(crate) fn clear_token(&self) {
        self.lock().session.clear_token();
    }
}

/// Hands a call's events to `tracing` (feature `tracing`; target `degreed`): retries and
/// pacing waits at INFO, a write that may have been applied at WARN, the rest at DEBUG, each
/// with the `event` name, the operation and the core's one-line text. Without the feature
/// the events are dropped.
fn forward(call: &mut Call) {
    let events = call.take_events();
    #[cfg(feature = "tracing")]
    for event in &events {
        use crate::event::Event;
        let name = event.name();
        let text = tracing::field::display(event);
        match event {
            Event::Retry {
                operation,
                status,
                request_id,
                wait,
                ..
            } => tracing::info!(
                target: "degreed",
                event = name,
                operation,
                status,
                request_id = request_id.as_deref(),
                wait_ms = wait.as_millis() as u64,
                "{text}"
            ),
            Event::Wait {
                operation, wait, ..
            } => tracing::info!(
                target: "degreed",
                event = name,
                operation,
                wait_ms = wait.as_millis() as u64,
                "{text}"
            ),
            Event::MaybeApplied { operation, .. } => {
                tracing::warn!(target: "degreed", event = name, operation, "{text}")
            }
            _ => tracing::debug!(target: "degreed", event = name, "{text}"),
        }
    }
    drop(events);
}

/// `Debug` for a driver client: who and where, never the secret or the token.
pub(crate) fn debug_client(
    name: &str,
    shared: &Shared,
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    let config = shared.config();
    f.debug_struct(name)
        .field("client_id", &shared.client_id())
        .field("base_url", &config.base_url().as_str())
        .field("stats", &shared.stats())
        .finish_non_exhaustive()
}

/// A one-line description of a transport error: `what` plus the innermost cause (the most
/// specific part, such as "Connection refused (os error 111)").
pub(crate) fn describe(what: &str, error: &(dyn std::error::Error + 'static)) -> String {
    let mut inner = error;
    while let Some(source) = inner.source() {
        inner = source;
    }
    let detail = inner.to_string();
    if detail.is_empty() {
        what.to_owned()
    } else {
        format!("{what}: {detail}")
    }
}

/// Whether an I/O error kind means the request cannot have left this machine.
pub(crate) fn io_not_sent(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        kind,
        ConnectionRefused
            | AddrNotAvailable
            | AddrInUse
            | HostUnreachable
            | NetworkUnreachable
            | NetworkDown
            | NotFound
            | PermissionDenied
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_is_uniform_enough_and_in_range() {
        let mut r = XorShift(12345);
        let mut sum = 0.0;
        for _ in 0..10_000 {
            let x = r.next_f64();
            assert!((0.0..1.0).contains(&x));
            sum += x;
        }
        let mean = sum / 10_000.0;
        assert!((0.45..0.55).contains(&mean), "{mean}");
        let (mut a, mut b) = (XorShift::seeded(), XorShift::seeded());
        assert_ne!(
            a.next_f64(),
            b.next_f64(),
            "two clients draw different jitter"
        );
    }

    #[test]
    fn now_is_after_2024() {
        assert!(now() > Timestamp::parse("2024-01-01T00:00:00Z").unwrap());
    }

    #[test]
    fn describe_takes_the_innermost_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused here");
        assert_eq!(describe("connect", &io), "connect: refused here");
        assert!(io_not_sent(io.kind()));
        assert!(!io_not_sent(std::io::ErrorKind::ConnectionReset));
    }
}
