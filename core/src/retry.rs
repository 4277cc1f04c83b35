//! The retry policy: which failures are worth another try, and how long to wait first.
//!
//! Pure functions: the jitter comes in as a random number from the driver.

use std::time::Duration;

/// Why a request failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this status.
    Status(u16),
    /// The connection failed before the request could have reached the server
    /// (DNS, connection refused).
    NotSent,
    /// The connection failed after the request may have reached the server
    /// (reset, timeout, truncated response).
    MaybeSent,
}

/// The retry policy's answer to a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again after this long.
    After(Duration),
    /// Give up: the failure is the call's answer.
    Stop,
}

/// Capped exponential back-off with full jitter, honouring server hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Back-off before the first retry (before jitter).
    pub base_delay: Duration,
    /// Largest computed back-off.
    pub max_delay: Duration,
    /// Largest `Retry-After` honoured; longer hints are clamped to this.
    pub max_retry_after: Duration,
    /// Longest a call waits in all, once its retries are used up, for a 503 to pass: Degreed
    /// answers 503 during maintenance and advises trying again 30-120 s later
    /// ([`MAINTENANCE_WAIT`]). Only idempotent requests wait, and only while the call's
    /// deadline allows; `Duration::ZERO` turns it off.
    pub max_maintenance_wait: Duration,
}

/// The shortest and longest wait Degreed's error page advises after a 503 (maintenance).
pub const MAINTENANCE_WAIT: (Duration, Duration) =
    (Duration::from_secs(30), Duration::from_secs(120));

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            max_maintenance_wait: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// What to do after `failure`, given the retries already made: try again after a
    /// back-off ([`RetryPolicy::should_retry`], [`RetryPolicy::backoff`]), or stop. The
    /// call state machine asks this, and only this.
    pub fn decide(
        &self,
        retries_so_far: u32,
        idempotent: bool,
        failure: Failure,
        random: f64,
        retry_after: Option<Duration>,
    ) -> Retry {
        if self.should_retry(retries_so_far, idempotent, failure) {
            Retry::After(self.backoff(retries_so_far, random, retry_after))
        } else {
            Retry::Stop
        }
    }

    /// Whether to try again after `failure`, given the retries already made.
    ///
    /// 429 is always retried: the server did not process the request. 500/502/503/504 and
    /// connection failures after sending are retried only for idempotent requests, because a
    /// write may have been applied before the failure. A connection that failed before
    /// sending is safe to retry for any method.
    pub fn should_retry(&self, retries_so_far: u32, idempotent: bool, failure: Failure) -> bool {
        if retries_so_far >= self.max_retries {
            return false;
        }
        match failure {
            Failure::Status(429) | Failure::NotSent => true,
            Failure::Status(500 | 502 | 503 | 504) | Failure::MaybeSent => idempotent,
            Failure::Status(_) => false,
        }
    }

    /// The wait before trying an idempotent request again after a 503 once its retries are
    /// used up (see [`RetryPolicy::max_maintenance_wait`]), after `waits` such waits lasting
    /// `waited` in all: the server's `Retry-After` kept within [`MAINTENANCE_WAIT`], else
    /// 30 s doubling up to 120 s. `None` when retries are off or the wait would take the
    /// call's maintenance waits past `max_maintenance_wait`.
    pub fn maintenance_wait(
        &self,
        waits: u32,
        waited: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let (shortest, longest) = MAINTENANCE_WAIT;
        if self.max_retries == 0 {
            return None;
        }
        let wait = retry_after
            .unwrap_or_else(|| shortest.saturating_mul(1u32 << waits.min(4)))
            .clamp(shortest, longest);
        (waited.saturating_add(wait) <= self.max_maintenance_wait).then_some(wait)
    }

    /// How long to wait before retry number `retries_so_far + 1`.
    ///
    /// A server hint (`Retry-After`) wins, clamped to `max_retry_after`; otherwise the delay
    /// is `random × min(max_delay, base_delay × 2^retries)` ("full jitter"), with `random`
    /// in `[0, 1)` from the driver. A floor of a tenth of the base keeps retries from
    /// hammering the server when `random` is close to 0.
    pub fn backoff(
        &self,
        retries_so_far: u32,
        random: f64,
        retry_after: Option<Duration>,
    ) -> Duration {
        if let Some(hint) = retry_after {
            return hint.min(self.max_retry_after);
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retries_so_far.min(20));
        let ceiling = exp.min(self.max_delay);
        let r = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        ceiling.mul_f64(r).max(self.base_delay / 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decide_is_one_answer_retry_after_a_backoff_or_stop() {
        let p = RetryPolicy::default();
        let hint = Some(Duration::from_secs(7));
        assert_eq!(
            p.decide(0, true, Failure::Status(503), 0.5, hint),
            Retry::After(Duration::from_secs(7))
        );
        assert_eq!(
            p.decide(1, false, Failure::NotSent, 0.5, None),
            Retry::After(p.backoff(1, 0.5, None))
        );
        // A write that may have been applied is not repeated; nor is anything past the bound.
        assert_eq!(
            p.decide(0, false, Failure::MaybeSent, 0.5, None),
            Retry::Stop
        );
        assert_eq!(
            p.decide(0, false, Failure::Status(500), 0.5, hint),
            Retry::Stop
        );
        assert_eq!(
            p.decide(4, true, Failure::Status(429), 0.5, hint),
            Retry::Stop
        );
        assert_eq!(
            p.decide(0, true, Failure::Status(404), 0.5, None),
            Retry::Stop
        );
    }

    #[test]
    fn what_is_retried() {
        let p = RetryPolicy::default();
        assert!(p.should_retry(0, false, Failure::Status(429)));
        assert!(p.should_retry(0, false, Failure::NotSent));
        assert!(!p.should_retry(0, false, Failure::Status(503)));
        assert!(!p.should_retry(0, false, Failure::MaybeSent));
        for s in [500, 502, 503, 504] {
            assert!(p.should_retry(3, true, Failure::Status(s)));
        }
        assert!(!p.should_retry(4, true, Failure::Status(503)));
        for s in [400, 401, 403, 404, 409, 501] {
            assert!(!p.should_retry(0, true, Failure::Status(s)), "{s}");
        }
        assert!(!RetryPolicy::none().should_retry(0, true, Failure::Status(429)));
    }

    #[test]
    fn maintenance_waits_follow_degreeds_advice_within_the_budget() {
        let p = RetryPolicy::default();
        let s = Duration::from_secs;
        assert_eq!(p.maintenance_wait(0, s(0), None), Some(s(30)));
        assert_eq!(p.maintenance_wait(1, s(30), None), Some(s(60)));
        assert_eq!(p.maintenance_wait(2, s(90), None), Some(s(120)));
        assert_eq!(p.maintenance_wait(9, s(0), None), Some(s(120)));
        assert_eq!(p.maintenance_wait(0, s(0), Some(s(1))), Some(s(30)));
        assert_eq!(p.maintenance_wait(0, s(0), Some(s(45))), Some(s(45)));
        assert_eq!(p.maintenance_wait(0, s(0), Some(s(9999))), Some(s(120)));
        assert_eq!(p.maintenance_wait(3, s(210), None), None);
        assert_eq!(p.maintenance_wait(3, s(210), Some(s(90))), Some(s(90)));
        assert_eq!(RetryPolicy::none().maintenance_wait(0, s(0), None), None);
        let off = RetryPolicy {
            max_maintenance_wait: Duration::ZERO,
            ..p
        };
        assert_eq!(off.maintenance_wait(0, s(0), None), None);
    }

    #[test]
    fn backoff_is_capped_jittered_and_honours_hints() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0, 0.999_999, None).as_millis(), 499);
        assert_eq!(p.backoff(3, 0.5, None), Duration::from_secs(2));
        assert_eq!(p.backoff(30, 0.999_999, None).as_secs(), 29);
        assert_eq!(p.backoff(2, 0.0, None), Duration::from_millis(50));
        assert_eq!(p.backoff(0, f64::NAN, None), Duration::from_millis(250));
        assert_eq!(
            p.backoff(0, 0.1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            p.backoff(0, 0.1, Some(Duration::from_secs(9999))),
            Duration::from_secs(120)
        );
    }
}
