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
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
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
