//! Per-client fixed-window rate limiting with Degreed's headers (facts §5.3).

use crate::clock::fmt_reset;
use std::collections::HashMap;

/// Outcome of counting one request.
#[derive(Debug, Clone)]
pub struct RateInfo {
    /// `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`, `X-Rate-Limit-Reset`.
    pub headers: Vec<(&'static str, String)>,
    /// `Some(seconds)` when the request is over the limit (the `Retry-After` value).
    pub retry_after: Option<u64>,
    /// The limit (for the 429 message).
    pub limit: u32,
    /// The period string (`1m`, `30s`).
    pub period: String,
}

/// Window state per client id.
#[derive(Debug, Default)]
pub struct Limiter {
    windows: HashMap<String, (i64, u32)>,
}

/// `1m`, `12h`, `1d`, or `Ns` for windows that are not whole minutes.
pub fn period(window_secs: u64) -> String {
    match window_secs {
        0 => "0s".into(),
        w if w % 86_400 == 0 => format!("{}d", w / 86_400),
        w if w % 3600 == 0 => format!("{}h", w / 3600),
        w if w % 60 == 0 => format!("{}m", w / 60),
        w => format!("{w}s"),
    }
}

impl Limiter {
    /// Forgets every window.
    pub fn reset(&mut self) {
        self.windows.clear();
    }

    /// Counts a request of `client` at `now_ms`. `None` when limiting is off (`limit == 0`).
    pub fn hit(
        &mut self,
        client: &str,
        now_ms: i64,
        limit: u32,
        window_secs: u64,
    ) -> Option<RateInfo> {
        if limit == 0 {
            return None;
        }
        let window_ms = (window_secs.max(1) as i64) * 1000;
        let w = self
            .windows
            .entry(client.to_string())
            .or_insert((now_ms, 0));
        if now_ms >= w.0 + window_ms || now_ms < w.0 {
            *w = (now_ms, 0);
        }
        w.1 = w.1.saturating_add(1);
        let reset_ms = w.0 + window_ms;
        let remaining = limit.saturating_sub(w.1);
        let over = w.1 > limit;
        let period = period(window_secs.max(1));
        let retry_after = over.then(|| (((reset_ms - now_ms).max(0) as u64).div_ceil(1000)).max(1));
        Some(RateInfo {
            headers: vec![
                ("x-rate-limit-limit", period.clone()),
                ("x-rate-limit-remaining", remaining.to_string()),
                ("x-rate-limit-reset", fmt_reset(reset_ms)),
            ],
            retry_after,
            limit,
            period,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_and_resets() {
        let mut l = Limiter::default();
        for i in 0..3 {
            let r = l.hit("c", 1000 + i, 3, 60).unwrap();
            assert!(r.retry_after.is_none());
            assert_eq!(r.headers[1].1, (2 - i).to_string());
        }
        let r = l.hit("c", 2000, 3, 60).unwrap();
        assert_eq!(r.retry_after, Some(59));
        assert_eq!(r.headers[0].1, "1m");
        assert!(l.hit("other", 2000, 3, 60).unwrap().retry_after.is_none());
        assert!(l.hit("c", 61_000, 3, 60).unwrap().retry_after.is_none());
        assert!(l.hit("c", 0, 0, 60).is_none());
        assert_eq!(period(2), "2s");
        assert_eq!(period(3600), "1h");
        assert_eq!(period(90), "90s");
    }
}
