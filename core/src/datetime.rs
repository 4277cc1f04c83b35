//! Timestamps and calendar dates without a clock.
//!
//! The core never reads the time (`SystemTime::now()` panics on wasm32-unknown-unknown): the
//! driver passes "now" in as a [`Timestamp`]. Parsing is forgiving of what Degreed sends:
//! 0–9 fraction digits, no offset (taken as UTC), `Z` or `±HH:MM`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::error::{excerpt, Error};

/// An instant in UTC, with nanosecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A date, checked.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, Error> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(Error::invalid(format!(
                "{year:04}-{month:02}-{day:02} is not a date"
            )));
        }
        Ok(Date { year, month, day })
    }

    /// Year.
    pub fn year(self) -> i32 {
        self.year
    }
    /// Month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// Day of month, 1-31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `days` days later (earlier when negative).
    pub fn add_days(self, days: i64) -> Date {
        let (year, month, day) = civil_from_days(self.days_since_epoch() + days);
        Date { year, month, day }
    }

    /// `other - self` in days.
    pub fn days_until(self, other: Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }

    /// Midnight UTC at the start of this date.
    pub fn start(self) -> Timestamp {
        Timestamp {
            secs: self.days_since_epoch() * 86_400,
            nanos: 0,
        }
    }
}

impl FromStr for Date {
    type Err = Error;
    /// Parses `yyyy-mm-dd` (a longer date-time string is cut to its date).
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        let b = t.as_bytes();
        let bad = || Error::invalid(format!("`{s}` is not a date (expected yyyy-mm-dd)"));
        if b.len() < 10
            || b[4] != b'-'
            || b[7] != b'-'
            || (b.len() > 10 && b[10] != b'T' && b[10] != b' ')
        {
            return Err(bad());
        }
        let year = digits(&b[0..4]).ok_or_else(bad)? as i32;
        let month = digits(&b[5..7]).ok_or_else(bad)? as u8;
        let day = digits(&b[8..10]).ok_or_else(bad)? as u8;
        Date::new(year, month, day).map_err(|_| bad())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |acc, d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp { secs: 0, nanos: 0 };

    /// From milliseconds since the Unix epoch (what `Date.now()` returns).
    pub fn from_unix_millis(ms: i64) -> Self {
        Timestamp {
            secs: ms.div_euclid(1000),
            nanos: (ms.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// From (fractional) seconds since the Unix epoch (what Python's `time.time()` returns).
    pub fn from_unix_secs_f64(secs: f64) -> Self {
        if !secs.is_finite() {
            return Timestamp::EPOCH;
        }
        let whole = secs.floor();
        Timestamp {
            secs: whole as i64,
            nanos: (((secs - whole) * 1e9) as u32).min(999_999_999),
        }
    }

    /// From seconds and nanoseconds since the Unix epoch.
    pub fn from_unix(secs: i64, nanos: u32) -> Self {
        Timestamp {
            secs: secs.saturating_add(i64::from(nanos / 1_000_000_000)),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_secs(self) -> i64 {
        self.secs
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.secs
            .saturating_mul(1000)
            .saturating_add(i64::from(self.nanos / 1_000_000))
    }

    /// Nanoseconds within the second.
    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// The calendar date (UTC).
    pub fn date(self) -> Date {
        let (year, month, day) = civil_from_days(self.secs.div_euclid(86_400));
        Date { year, month, day }
    }

    /// `self + d`, saturating.
    // An inherent method rather than `ops::Add`: it saturates instead of overflowing.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, d: Duration) -> Timestamp {
        let secs = self
            .secs
            .saturating_add(i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Timestamp::from_unix(secs, self.nanos + d.subsec_nanos())
    }

    /// `self - earlier`, or zero when `earlier` is later.
    pub fn duration_since(self, earlier: Timestamp) -> Duration {
        if self <= earlier {
            return Duration::ZERO;
        }
        // In i128: two far-apart instants (a hostile header, a saturated sum) overflow i64.
        let mut secs = i128::from(self.secs) - i128::from(earlier.secs);
        let nanos = if self.nanos >= earlier.nanos {
            self.nanos - earlier.nanos
        } else {
            secs -= 1;
            self.nanos + 1_000_000_000 - earlier.nanos
        };
        Duration::new(u64::try_from(secs).unwrap_or(u64::MAX), nanos)
    }

    /// Whether this is .NET's `DateTime.MinValue` (`0001-01-01T00:00:00`), which Degreed sends
    /// for "no date" (never logged in, anonymized records).
    pub fn is_dotnet_min(self) -> bool {
        self.date()
            == Date {
                year: 1,
                month: 1,
                day: 1,
            }
            && self.secs % 86_400 == 0
            && self.nanos == 0
    }

    /// Parses an ISO-8601 date-time as Degreed writes it: `2022-03-16T10:15:29.5034801`,
    /// `2022-02-17T00:00:00`, `2021-10-26T20:39:22.1494434Z`, `...+02:00`. No offset = UTC.
    /// A bare date is midnight UTC.
    pub fn parse(s: &str) -> Result<Timestamp, Error> {
        let bad = || Error::invalid(format!("`{}` is not an ISO-8601 date-time", excerpt(s)));
        let t = s.trim();
        let date: Date = t.get(..10).ok_or_else(bad)?.parse().map_err(|_| bad())?;
        let rest = &t.as_bytes()[10..];
        if rest.is_empty() {
            return Ok(date.start());
        }
        if (rest[0] != b'T' && rest[0] != b't' && rest[0] != b' ')
            || rest.len() < 6
            || rest[3] != b':'
        {
            return Err(bad());
        }
        let hh = digits(&rest[1..3]).ok_or_else(bad)?;
        let mm = digits(&rest[4..6]).ok_or_else(bad)?;
        let mut i = 6;
        let mut ss = 0;
        if rest.len() >= 9 && rest[6] == b':' {
            ss = digits(&rest[7..9]).ok_or_else(bad)?;
            i = 9;
        }
        if hh > 23 || mm > 59 || ss > 60 {
            return Err(bad());
        }
        let mut nanos = 0u32;
        if rest.get(i) == Some(&b'.') || rest.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < rest.len() && rest[i].is_ascii_digit() {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(rest[i] - b'0');
                }
                i += 1;
            }
            let n = i - start;
            if n == 0 {
                return Err(bad());
            }
            for _ in n..9 {
                nanos *= 10;
            }
        }
        let offset_secs: i64 = match &rest[i..] {
            [] | [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2]
            | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
                let oh = digits(&[*h1, *h2]).ok_or_else(bad)?;
                let om = digits(&[*m1, *m2]).ok_or_else(bad)?;
                // Real offsets run from -12:00 to +14:00; `+99:99` would shift by days.
                if om > 59 || oh * 60 + om > 14 * 60 {
                    return Err(bad());
                }
                let o = i64::from(oh * 3600 + om * 60);
                if *sign == b'+' {
                    o
                } else {
                    -o
                }
            }
            _ => return Err(bad()),
        };
        let secs = date.days_since_epoch() * 86_400 + i64::from(hh * 3600 + mm * 60 + ss.min(59))
            - offset_secs;
        let t = Timestamp { secs, nanos };
        // An offset can push an edge date out of years 1-9999, which no host can represent.
        if !(1..=9999).contains(&t.date().year) {
            return Err(bad());
        }
        Ok(t)
    }

    /// Parses an HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`), as sent in `Retry-After`.
    pub fn parse_http_date(s: &str) -> Result<Timestamp, Error> {
        let bad = || Error::invalid(format!("`{}` is not an HTTP date", excerpt(s)));
        let parts: Vec<&str> = s.split_whitespace().collect();
        let [_, day, mon, year, time, zone] = parts.as_slice() else {
            return Err(bad());
        };
        if !zone.eq_ignore_ascii_case("GMT") && *zone != "UTC" {
            return Err(bad());
        }
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(mon))
            .ok_or_else(bad)? as u8
            + 1;
        let day = digits(day.as_bytes()).ok_or_else(bad)? as u8;
        let year = digits(year.as_bytes()).ok_or_else(bad)? as i32;
        let date = Date::new(year, month, day).map_err(|_| bad())?;
        let hms: Vec<u32> = time
            .split(':')
            .map(|p| digits(p.as_bytes()))
            .collect::<Option<_>>()
            .ok_or_else(bad)?;
        let [h, m, sec] = hms.as_slice() else {
            return Err(bad());
        };
        if *h > 23 || *m > 59 || *sec > 60 {
            return Err(bad());
        }
        Ok(Timestamp {
            secs: date.days_since_epoch() * 86_400 + i64::from(h * 3600 + m * 60 + sec.min(&59)),
            nanos: 0,
        })
    }
}

impl FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Timestamp::parse(s)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with `Z`, with as many fraction digits as needed (none when whole).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date();
        let s = self.secs.rem_euclid(86_400);
        write!(f, "{d}T{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)?;
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_degreed_shapes() {
        let t = Timestamp::parse("2022-03-16T10:15:29.5034801").unwrap();
        assert_eq!(t.to_string(), "2022-03-16T10:15:29.5034801Z");
        assert_eq!(
            Timestamp::parse("2022-02-17T00:00:00").unwrap().to_string(),
            "2022-02-17T00:00:00Z"
        );
        assert_eq!(
            Timestamp::parse("2022-03-13T21:31:12.44")
                .unwrap()
                .subsec_nanos(),
            440_000_000
        );
        assert_eq!(
            Timestamp::parse("2021-10-26T20:39:22.1494434Z")
                .unwrap()
                .to_string(),
            "2021-10-26T20:39:22.1494434Z"
        );
        assert_eq!(
            Timestamp::parse("2024-01-01T02:00:00+02:00").unwrap(),
            Timestamp::parse("2024-01-01T00:00:00Z").unwrap()
        );
        assert_eq!(
            Timestamp::parse("2024-01-01T14:00:00+14:00").unwrap(),
            Timestamp::parse("2024-01-01T00:00:00-00:00").unwrap()
        );
        assert!(Timestamp::parse("2024-01-01T00:00:00-14:00").is_ok());
        assert_eq!(
            Timestamp::parse("2024-05-01").unwrap().to_string(),
            "2024-05-01T00:00:00Z"
        );
        assert!(Timestamp::parse("0001-01-01T00:00:00")
            .unwrap()
            .is_dotnet_min());
        for bad in [
            "",
            "2024",
            "2024-13-01T00:00:00",
            "2024-02-30",
            "2024-01-01T25:00:00",
            "2024-01-01T00:00:00.",
            "2024-01-01T00:00:00 junk",
            "2024-01-01T00:00:00+99:99",
            "2024-01-01T00:00:00+14:01",
            "2024-01-01T00:00:00-15:00",
            "2024-01-01T00:00:00+01:60",
            "2024-01-01T00:00:00+0160",
            "ünïcode-ü-üT",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        let t = Timestamp::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(t.to_string(), "1994-11-06T08:49:37Z");
        assert!(Timestamp::parse_http_date("Sun, 06 Nov 1994").is_err());
    }

    #[test]
    fn dates_and_arithmetic() {
        let d: Date = "2024-02-27".parse().unwrap();
        assert_eq!(d.add_days(3).to_string(), "2024-03-01");
        assert_eq!(d.days_until(d.add_days(400)), 400);
        assert!("2023-02-29".parse::<Date>().is_err());
        let t = Timestamp::from_unix_millis(1_700_000_000_123);
        assert_eq!(t.unix_millis(), 1_700_000_000_123);
        assert_eq!(
            t.add(Duration::from_millis(900)).duration_since(t),
            Duration::from_millis(900)
        );
        assert_eq!(
            t.duration_since(t.add(Duration::from_secs(1))),
            Duration::ZERO
        );
        assert_eq!(
            Timestamp::from_unix_millis(-1).to_string(),
            "1969-12-31T23:59:59.999Z"
        );
    }
}
