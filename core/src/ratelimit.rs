//! Rate limits: the `X-Rate-Limit-*` headers, and a pacer that spreads requests so a bulk job
//! does not run into 429s.
//!
//! Degreed allows 70 requests a minute per API client by default and reports the window on
//! responses: `X-Rate-Limit-Limit` (a period such as `1m`), `X-Rate-Limit-Remaining` and
//! `X-Rate-Limit-Reset` (an ISO-8601 instant).

use std::collections::VecDeque;
use std::time::Duration;

use http::header::HeaderName;
use http::HeaderMap;

use crate::datetime::Timestamp;
use crate::event::WaitReason;

/// The window assumed when the server names none (Degreed's is one minute).
const DEFAULT_PERIOD: Duration = Duration::from_secs(60);

/// The longest pacing wait when none is configured: headers such as
/// `X-Rate-Limit-Limit: 366d` with `Remaining: 0` must not put a client to sleep for a year
/// (the session passes its `RetryPolicy::max_retry_after`, the bound on `Retry-After`).
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(120);

/// What a response said about the rate-limit window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// The window's length (`X-Rate-Limit-Limit: 1m`).
    pub period: Option<Duration>,
    /// Requests left in the window.
    pub remaining: Option<u32>,
    /// When the window resets.
    pub reset: Option<Timestamp>,
}

/// The rate-limit headers (names, not parsed at run time: see
/// [`crate::response::READ_HEADERS`]).
pub(crate) const LIMIT: HeaderName = HeaderName::from_static("x-rate-limit-limit");
pub(crate) const REMAINING: HeaderName = HeaderName::from_static("x-rate-limit-remaining");
pub(crate) const RESET: HeaderName = HeaderName::from_static("x-rate-limit-reset");

/// Parses a period such as `1m`, `12h`, `1d`, `30s` (a bare number is seconds).
pub fn parse_period(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(
        s.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len()),
    );
    let n = crate::response::parse_seconds(num).filter(|n| n.is_finite() && *n > 0.0)?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86_400.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(secs.min(366.0 * 86_400.0)))
}

impl RateLimit {
    /// Reads the three headers; `None` when none of them is present and valid.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        let get = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let rl = RateLimit {
            period: get(&LIMIT).and_then(parse_period),
            remaining: get(&REMAINING).and_then(|v| v.trim().parse().ok()),
            reset: get(&RESET).and_then(|v| Timestamp::parse(v).ok()),
        };
        (rl != RateLimit::default()).then_some(rl)
    }
}

/// Tells a driver how long to wait before sending, for all calls of one client.
///
/// It combines three signals: a `Retry-After` block after a 429 (every call waits, not only
/// the one that got it), the server's remaining count (once it runs low, the remaining
/// requests are spread evenly until the reset), and an optional requests-per-minute budget
/// set by the caller.
#[derive(Debug, Clone, Default)]
pub struct Pacer {
    budget_per_minute: Option<u32>,
    sent: VecDeque<Timestamp>,
    observed: Option<(RateLimit, Timestamp)>,
    sent_since_observed: u32,
    high_water: u32,
    blocked_until: Option<Timestamp>,
    last_send: Option<Timestamp>,
    max_wait: Option<Duration>,
}

impl Pacer {
    /// A pacer with an optional requests-per-minute budget.
    pub fn new(budget_per_minute: Option<u32>) -> Self {
        Pacer {
            budget_per_minute: budget_per_minute.filter(|b| *b > 0),
            ..Pacer::default()
        }
    }

    /// Bounds every wait [`Pacer::delay`] asks for (default [`DEFAULT_MAX_WAIT`]).
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = Some(max_wait);
        self
    }

    /// How long to wait before sending at `now` (zero: send now), at most the pacer's
    /// maximum wait whatever the headers said.
    pub fn delay(&self, now: Timestamp) -> Duration {
        self.delay_why(now).0
    }

    fn max_wait(&self) -> Duration {
        self.max_wait.unwrap_or(DEFAULT_MAX_WAIT)
    }

    /// [`Pacer::delay`] with the signal that asks for the longest wait.
    pub fn delay_why(&self, now: Timestamp) -> (Duration, WaitReason) {
        let (wait, why) = self.unbounded_delay_why(now);
        (wait.min(self.max_wait()), why)
    }

    fn unbounded_delay_why(&self, now: Timestamp) -> (Duration, WaitReason) {
        let mut wait = Duration::ZERO;
        let mut why = WaitReason::RateLimit;
        let mut at_least = |d: Duration, reason: WaitReason| {
            if d > wait {
                wait = d;
                why = reason;
            }
        };
        if let Some(until) = self.blocked_until {
            at_least(until.duration_since(now), WaitReason::RetryAfter);
        }
        if let Some(budget) = self.budget_per_minute {
            let window = Duration::from_secs(60);
            let recent: Vec<_> = self
                .sent
                .iter()
                .filter(|t| now.duration_since(**t) < window)
                .collect();
            if recent.len() >= budget as usize {
                let oldest = *recent[recent.len() - budget as usize];
                at_least(oldest.add(window).duration_since(now), WaitReason::Budget);
            }
        }
        if let Some((rl, seen)) = &self.observed {
            if let (Some(remaining), Some(reset)) = (rl.remaining, rl.reset) {
                let left = remaining.saturating_sub(self.sent_since_observed);
                // The window seen at `seen` resets one period later at the latest: a reset
                // further away is clock skew or garbage and must not block for longer. Nor
                // may a long period (`366d`): past the longest wait, the next request goes
                // and the server's answer (a 429 and its `Retry-After`) decides.
                let horizon = rl.period.unwrap_or(DEFAULT_PERIOD).min(self.max_wait());
                let latest = seen.add(horizon);
                let to_reset = reset.min(latest).duration_since(now);
                if !to_reset.is_zero() {
                    if left == 0 {
                        at_least(to_reset, WaitReason::RateLimit);
                    } else if left.saturating_mul(2) <= self.high_water {
                        // Below half of the window's allowance: spread what is left evenly.
                        let interval = to_reset / (left + 1);
                        let since_last = self.last_send.map_or(interval, |t| now.duration_since(t));
                        at_least(interval.saturating_sub(since_last), WaitReason::RateLimit);
                    }
                }
            }
        }
        (wait, why)
    }

    /// Follows a clock set back to `now`: instants recorded later than `now` become `now`,
    /// and a block ends at most the longest wait from now. Otherwise a clock set back by days
    /// would hold every call, in capped waits, until it caught up.
    pub fn rebase(&mut self, now: Timestamp) {
        if self.sent.back().is_some_and(|t| *t > now) {
            for t in self.sent.iter_mut().filter(|t| **t > now) {
                *t = now;
            }
        }
        for t in self
            .last_send
            .iter_mut()
            .chain(self.observed.iter_mut().map(|(_, seen)| seen))
        {
            if *t > now {
                *t = now;
            }
        }
        let latest = now.add(self.max_wait());
        if let Some(until) = self.blocked_until.as_mut().filter(|u| **u > latest) {
            *until = latest;
        }
    }

    /// Records that a request is being sent at `now`.
    pub fn on_send(&mut self, now: Timestamp) {
        self.last_send = Some(now);
        self.sent_since_observed = self.sent_since_observed.saturating_add(1);
        if self.budget_per_minute.is_some() {
            self.sent.push_back(now);
            while self.sent.len() > 4096
                || self
                    .sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
            {
                self.sent.pop_front();
            }
        }
    }

    /// Records the rate-limit headers of a response received at `now`.
    pub fn observe(&mut self, rl: RateLimit, now: Timestamp) {
        if let Some(remaining) = rl.remaining {
            // A new window (reset moved) restarts the high-water mark.
            let new_window = self.observed.as_ref().and_then(|(o, _)| o.reset) != rl.reset;
            if new_window {
                self.high_water = remaining;
            } else {
                self.high_water = self.high_water.max(remaining);
            }
            self.sent_since_observed = 0;
            self.observed = Some((rl, now));
        }
    }

    /// Blocks every call until `now + retry_after` (after a 429).
    pub fn block(&mut self, now: Timestamp, retry_after: Duration) {
        let until = now.add(retry_after);
        self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms)
    }

    #[test]
    fn parses_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-rate-limit-limit", "1m".parse().unwrap());
        h.insert("x-rate-limit-remaining", "69".parse().unwrap());
        h.insert(
            "x-rate-limit-reset",
            "2021-10-26T20:39:22.1494434Z".parse().unwrap(),
        );
        let rl = RateLimit::from_headers(&h).unwrap();
        assert_eq!(rl.period, Some(Duration::from_secs(60)));
        assert_eq!(rl.remaining, Some(69));
        assert_eq!(
            rl.reset.unwrap().to_string(),
            "2021-10-26T20:39:22.1494434Z"
        );
        assert_eq!(RateLimit::from_headers(&HeaderMap::new()), None);
        assert_eq!(parse_period("12h"), Some(Duration::from_secs(43_200)));
        assert_eq!(parse_period("2s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_period("1w"), None);
        assert_eq!(parse_period(""), None);
    }

    #[test]
    fn budget_spreads_requests() {
        let mut p = Pacer::new(Some(2));
        assert_eq!(p.delay(t(0)), Duration::ZERO);
        p.on_send(t(0));
        p.on_send(t(1000));
        assert_eq!(p.delay(t(2000)), Duration::from_secs(58));
        assert_eq!(p.delay(t(60_000)), Duration::ZERO);
    }

    #[test]
    fn server_window_and_blocks() {
        let mut p = Pacer::new(None);
        let rl = |remaining, reset_ms| RateLimit {
            period: None,
            remaining: Some(remaining),
            reset: Some(t(reset_ms)),
        };
        p.observe(rl(70, 60_000), t(0));
        assert_eq!(p.delay(t(0)), Duration::ZERO, "plenty left: no pacing");
        p.observe(rl(3, 60_000), t(30_000));
        p.on_send(t(30_000));
        // 2 left after this send, 30 s to the reset: one every 10 s.
        assert_eq!(p.delay(t(30_000)), Duration::from_secs(10));
        p.observe(rl(0, 60_000), t(31_000));
        assert_eq!(p.delay(t(31_000)), Duration::from_secs(29));
        assert_eq!(p.delay(t(61_000)), Duration::ZERO);
        p.block(t(0), Duration::from_secs(5));
        assert_eq!(p.delay(t(61_000)), Duration::ZERO);
        p.block(t(61_000), Duration::from_secs(5));
        assert_eq!(p.delay(t(62_000)), Duration::from_secs(4));
    }

    #[test]
    fn a_far_reset_waits_one_window_at_most() {
        let mut p = Pacer::new(None);
        let far = Timestamp::parse("2100-01-01T00:00:00Z").unwrap();
        let rl = |period| RateLimit {
            period,
            remaining: Some(0),
            reset: Some(far),
        };
        p.observe(rl(None), t(0));
        assert_eq!(p.delay(t(0)), Duration::from_secs(60));
        assert_eq!(p.delay(t(60_000)), Duration::ZERO);
        p.observe(rl(Some(Duration::from_secs(600))), t(0));
        assert_eq!(
            p.delay(t(0)),
            DEFAULT_MAX_WAIT,
            "bounded by the maximum wait"
        );
        let p = Pacer::new(None).with_max_wait(Duration::from_secs(3600));
        let mut p = p;
        p.observe(rl(Some(Duration::from_secs(600))), t(0));
        assert_eq!(p.delay(t(0)), Duration::from_secs(600));
    }

    #[test]
    fn hostile_headers_never_ask_for_a_long_wait() {
        let mut h = HeaderMap::new();
        h.insert("x-rate-limit-limit", "366d".parse().unwrap());
        h.insert("x-rate-limit-remaining", "0".parse().unwrap());
        h.insert(
            "x-rate-limit-reset",
            "9999-12-31T23:59:59Z".parse().unwrap(),
        );
        let rl = RateLimit::from_headers(&h).unwrap();
        let mut p = Pacer::new(Some(1));
        p.observe(rl, t(0));
        p.on_send(t(0));
        p.block(t(0), Duration::MAX);
        for now in [t(0), t(1), t(-86_400_000), t(i64::MIN / 4)] {
            assert!(p.delay(now) <= DEFAULT_MAX_WAIT, "{now:?}");
        }
    }
}
