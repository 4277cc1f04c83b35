//! The sandbox clock (`real now + offset`) and date/time formatting without a date crate.
//!
//! Tokens, cursors and rate windows all read this clock, so `POST /_sandbox/clock`
//! moves every deadline at once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Real time plus a settable forward offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

/// The furthest the sandbox clock may move from the real time (100 years): far enough for
/// any expiry test, near enough that every date stays in years 1-9999.
pub const MAX_OFFSET_SECS: i64 = 100 * 366 * 86_400;

impl Clock {
    /// A clock with no offset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sandbox "now" in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        real_now_ms() + self.offset_ms.load(Ordering::SeqCst)
    }

    /// Moves the clock forward (negative values are allowed but not advertised), within
    /// [`MAX_OFFSET_SECS`] of the real time either way.
    pub fn advance_secs(&self, secs: i64) {
        self.try_advance_secs(secs);
    }

    /// [`Clock::advance_secs`], or `false` (and no change) when the offset would leave
    /// ±[`MAX_OFFSET_SECS`]: the clock never wraps.
    pub fn try_advance_secs(&self, secs: i64) -> bool {
        let max = MAX_OFFSET_SECS * 1000;
        self.offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                o.checked_add(secs.checked_mul(1000)?)
                    .filter(|n| (-max..=max).contains(n))
            })
            .is_ok()
    }

    /// Current offset in whole seconds.
    pub fn offset_secs(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst) / 1000
    }
}

/// Wall-clock milliseconds since the Unix epoch.
pub fn real_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `yyyy-mm-dd` of a millisecond timestamp.
pub fn fmt_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `yyyy-mm-ddTHH:MM:SS[.f…]` (no offset) from a time in 100-ns ticks since the epoch, with
/// `digits` (0..=7) fraction digits, trailing zeros kept (as .NET's `o`-like output varies).
pub fn fmt_ticks(ticks: i64, digits: usize) -> String {
    let secs = ticks.div_euclid(10_000_000);
    let frac = ticks.rem_euclid(10_000_000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let mut s = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        (sod % 3600) / 60,
        sod % 60
    );
    let digits = digits.min(7);
    if digits > 0 {
        let f = format!("{frac:07}");
        s.push('.');
        s.push_str(&f[..digits]);
    }
    s
}

/// Like [`fmt_ticks`] but with trailing fraction zeros trimmed, as .NET serialises
/// `DateTime` (`2022-03-13T21:31:12.44`, `2022-02-17T00:00:00`).
pub fn fmt_ticks_trimmed(ticks: i64, digits: usize) -> String {
    let s = fmt_ticks(ticks, digits);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `yyyy-mm-ddTHH:MM:SS` (no fraction, no offset) of a millisecond timestamp.
pub fn fmt_secs(ms: i64) -> String {
    fmt_ticks(ms.div_euclid(1000) * 10_000_000, 0)
}

/// The rate-limit reset format: UTC, 7 fraction digits, `Z` (`2021-10-26T20:39:22.1494434Z`).
pub fn fmt_reset(ms: i64) -> String {
    format!("{}Z", fmt_ticks(ms * 10_000, 7))
}

/// Parses `yyyy-mm-dd` into a day number.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses an ISO-8601 date or date-time into milliseconds since the epoch:
/// `yyyy-mm-dd`, `yyyy-mm-ddTHH:MM[:SS[.fffffff]]`, optionally followed by `Z` or `±HH:MM`
/// (no offset = UTC).
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 10 {
        return None;
    }
    let day = parse_date(s.get(..10)?)?;
    let mut ms = day * DAY_MS;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    // Split off the offset.
    let (time, offset_ms) =
        if let Some(t) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
            (t, 0)
        } else if let Some(pos) = rest.rfind(['+', '-']) {
            let (t, off) = rest.split_at(pos);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let off = &off[1..];
            let (h, m) = off
                .split_once(':')
                .unwrap_or((off.get(..2)?, off.get(2..).unwrap_or("00")));
            let h: i64 = h.parse().ok()?;
            let m: i64 = if m.is_empty() { 0 } else { m.parse().ok()? };
            (t, sign * (h * 3600 + m * 60) * 1000)
        } else {
            (rest, 0)
        };
    let (hms, frac) = match time.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (time, None),
    };
    let mut parts = hms.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let mi: i64 = parts.next()?.parse().ok()?;
    let sec: i64 = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 60 || hms.len() < 5 {
        return None;
    }
    ms += (h * 3600 + mi * 60 + sec) * 1000;
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits = f.to_string();
        digits.truncate(3);
        while digits.len() < 3 {
            digits.push('0');
        }
        ms += digits.parse::<i64>().ok()?;
    }
    Some(ms - offset_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-800_000, -1, 0, 1, 18_000, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(fmt_date(0), "1970-01-01");
    }

    #[test]
    fn formats() {
        let ms = parse_datetime("2021-10-26T20:39:22.149").unwrap();
        assert_eq!(fmt_reset(ms), "2021-10-26T20:39:22.1490000Z");
        assert_eq!(fmt_ticks(ms * 10_000, 3), "2021-10-26T20:39:22.149");
        assert_eq!(fmt_ticks(ms * 10_000, 0), "2021-10-26T20:39:22");
        assert_eq!(fmt_secs(ms), "2021-10-26T20:39:22");
        assert_eq!(fmt_ticks_trimmed(ms * 10_000, 7), "2021-10-26T20:39:22.149");
        assert_eq!(
            fmt_ticks_trimmed((ms - 149) * 10_000, 7),
            "2021-10-26T20:39:22"
        );
        assert_eq!(
            fmt_ticks(days_from_civil(1, 1, 1) * 864_000_000_000, 0),
            "0001-01-01T00:00:00"
        );
    }

    #[test]
    fn parses() {
        let base = parse_datetime("2024-05-01").unwrap();
        assert_eq!(parse_datetime("2024-05-01T00:00:00"), Some(base));
        assert_eq!(parse_datetime("2024-05-01T00:00:00Z"), Some(base));
        assert_eq!(parse_datetime("2024-05-01T02:00:00+02:00"), Some(base));
        assert_eq!(
            parse_datetime("2024-05-01T00:00:00.5034801"),
            Some(base + 503)
        );
        assert_eq!(parse_datetime("2024-05-01T00:00"), Some(base));
        assert!(parse_datetime("2024-13-01").is_none());
        assert!(parse_datetime("2024-02-30").is_none());
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_datetime("2024-05-01T25:00:00").is_none());
    }
}
