//! Date windows: some list endpoints accept at most a week between `filter[start_date]` and
//! `filter[end_date]`, so a longer range is walked as consecutive windows.

use crate::datetime::Date;
use crate::error::Error;

/// The longest window, in days (both ends inclusive), that windowed list endpoints accept.
pub const MAX_WINDOW_DAYS: i64 = 7;

/// Splits `start..=end` into consecutive inclusive windows of at most `MAX_WINDOW_DAYS` days.
pub fn split(start: Date, end: Date) -> Result<Vec<(Date, Date)>, Error> {
    if end < start {
        return Err(Error::invalid(format!(
            "the end date {end} is before the start date {start}"
        )));
    }
    let mut out = Vec::new();
    let mut from = start;
    while from <= end {
        let to = from.add_days(MAX_WINDOW_DAYS - 1).min(end);
        out.push((from, to));
        from = to.add_days(1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_into_weeks_without_gaps_or_overlap() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let w = split(d("2024-01-01"), d("2024-01-20")).unwrap();
        let shown: Vec<String> = w.iter().map(|(a, b)| format!("{a}..{b}")).collect();
        assert_eq!(
            shown,
            [
                "2024-01-01..2024-01-07",
                "2024-01-08..2024-01-14",
                "2024-01-15..2024-01-20"
            ]
        );
        assert_eq!(split(d("2024-01-01"), d("2024-01-01")).unwrap().len(), 1);
        assert!(split(d("2024-01-02"), d("2024-01-01")).is_err());
        let year = split(d("2023-01-01"), d("2023-12-31")).unwrap();
        assert_eq!(year.len(), 53);
        for pair in year.windows(2) {
            assert_eq!(pair[0].1.add_days(1), pair[1].0);
        }
    }
}
