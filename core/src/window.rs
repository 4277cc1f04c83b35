//! Date windows: some list endpoints accept at most a week between `filter[start_date]` and
//! `filter[end_date]`, so a longer range is walked as consecutive windows.
//!
//! Degreed does not say whether `end_date` includes its day. Consecutive windows therefore
//! share their boundary day (one ends on the day the next starts on): read exclusively, each
//! window stops where the next begins and nothing is lost; read inclusively, the boundary day
//! comes twice and [`Overlap`] drops the repeats by id. Either way the walk returns what one
//! request for the whole range would, each item once.

use std::collections::HashSet;

use serde_json::Value;

use crate::datetime::Date;
use crate::error::Error;

/// The longest window, in days (both ends inclusive), that windowed list endpoints accept.
pub const MAX_WINDOW_DAYS: i64 = 7;

/// Splits `start..end` into windows of at most `MAX_WINDOW_DAYS` days (`end - start` at most
/// `MAX_WINDOW_DAYS - 1`, so a server that counts both ends accepts them), each starting on the
/// day the previous one ends.
pub fn split(start: Date, end: Date) -> Result<Vec<(Date, Date)>, Error> {
    if end < start {
        return Err(Error::invalid(format!(
            "the end date {end} is before the start date {start}"
        )));
    }
    let mut out = Vec::new();
    let mut from = start;
    loop {
        let to = from.add_days(MAX_WINDOW_DAYS - 1).min(end);
        out.push((from, to));
        if to >= end {
            return Ok(out);
        }
        from = to;
    }
}

/// What a windowed walk remembers to drop the items a boundary day brings twice: the ids of
/// the items dated near the end of the previous window (those the next window may repeat),
/// and those of the window being walked, so far. Only items near a boundary are remembered,
/// so the state stays small however long the walk (an item with no readable timestamp counts
/// as near: it might be on the boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlap {
    /// The last day of the window being walked.
    end: Option<Date>,
    /// Ids of the previous window's items near its end.
    previous: HashSet<String>,
    /// Ids of this window's items near its end, so far.
    current: HashSet<String>,
}

/// How far (in days) from a boundary an item's timestamp may be and still be remembered: the
/// server's day may not be the timestamp's (time zones), so the day on each side counts too.
const NEAR_DAYS: i64 = 1;

impl Overlap {
    /// Called with the end day of each window's first request: a new end starts a new window
    /// (what this one remembered becomes the previous window's); the same end (a page resumed
    /// or retried) changes nothing.
    pub fn enter(&mut self, end: Date) {
        if self.end == Some(end) {
            return;
        }
        if self.end.is_some() {
            self.previous = std::mem::take(&mut self.current);
        }
        self.end = Some(end);
    }

    /// Whether `item` is new to the walk (else the previous window returned it already);
    /// remembers it when it is near the end of the window being walked.
    pub fn keep(&mut self, item: &Value) -> bool {
        let id = match item.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            // Without an id an item cannot be recognised: it is passed on.
            _ => return true,
        };
        if self.previous.contains(&id) {
            return false;
        }
        if self.end.is_some_and(|end| near(item, end)) {
            self.current.insert(id);
        }
        true
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.previous.len() + self.current.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The state as JSON, for a walk's cursor (ids sorted, so a cursor is reproducible).
    pub fn to_json(&self) -> Value {
        let sorted = |set: &HashSet<String>| {
            let mut ids: Vec<&String> = set.iter().collect();
            ids.sort();
            Value::from(ids.into_iter().cloned().collect::<Vec<_>>())
        };
        serde_json::json!({
            "end": self.end.map(|d| d.to_string()),
            "previous": sorted(&self.previous),
            "current": sorted(&self.current),
        })
    }

    /// The state read back from [`Overlap::to_json`]; `None` when it is not that shape.
    pub fn from_json(v: &Value) -> Option<Overlap> {
        let ids = |key: &str| -> Option<HashSet<String>> {
            v.get(key)?
                .as_array()?
                .iter()
                .map(|id| id.as_str().map(str::to_owned))
                .collect()
        };
        let end = match v.get("end")? {
            Value::Null => None,
            Value::String(s) => Some(s.parse().ok()?),
            _ => return None,
        };
        Some(Overlap {
            end,
            previous: ids("previous")?,
            current: ids("current")?,
        })
    }
}

/// Whether any timestamp of `item` (its own members and its `attributes`) is within
/// [`NEAR_DAYS`] of `end`, or it has none that reads.
fn near(item: &Value, end: Date) -> bool {
    let members = item
        .as_object()
        .into_iter()
        .chain(item.get("attributes").and_then(Value::as_object));
    let mut dated = false;
    for (key, value) in members.flatten() {
        let Value::String(s) = value else { continue };
        if !crate::models::is_time_field(&crate::request::kebab_case(key)) {
            continue;
        }
        if let Some(Some(t)) = crate::models::read_time(s) {
            dated = true;
            if t.date().days_until(end).abs() <= NEAR_DAYS {
                return true;
            }
        }
    }
    !dated
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn splits_into_weeks_that_share_their_boundary_day() {
        let w = split(d("2024-01-01"), d("2024-01-20")).unwrap();
        let shown: Vec<String> = w.iter().map(|(a, b)| format!("{a}..{b}")).collect();
        assert_eq!(
            shown,
            [
                "2024-01-01..2024-01-07",
                "2024-01-07..2024-01-13",
                "2024-01-13..2024-01-19",
                "2024-01-19..2024-01-20"
            ]
        );
        assert_eq!(split(d("2024-01-01"), d("2024-01-01")).unwrap().len(), 1);
        assert_eq!(split(d("2024-01-01"), d("2024-01-07")).unwrap().len(), 1);
        assert!(split(d("2024-01-02"), d("2024-01-01")).is_err());
        let year = split(d("2023-01-01"), d("2023-12-31")).unwrap();
        assert_eq!(year.len(), 61);
        assert_eq!(year.first().unwrap().0, d("2023-01-01"));
        assert_eq!(year.last().unwrap().1, d("2023-12-31"));
        for (a, b) in &year {
            assert!((1..MAX_WINDOW_DAYS).contains(&a.days_until(*b)), "{a}..{b}");
        }
        for pair in year.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
    }

    #[test]
    fn overlap_drops_repeats_and_remembers_only_the_boundary() {
        let item = |id: &str, at: &str| json!({"id": id, "attributes": {"completed-at": at}});
        let mut o = Overlap::default();
        o.enter(d("2024-01-07"));
        assert!(o.keep(&item("early", "2024-01-02T10:00:00")));
        assert!(o.keep(&item("edge", "2024-01-07T00:00:00")));
        assert!(o.keep(&item("eve", "2024-01-06T23:59:59.9")));
        assert!(o.keep(&json!({"id": 7, "attributes": {"title": "undated"}})));
        assert!(o.keep(&json!({"attributes": {"title": "no id"}})));
        assert_eq!(o.len(), 3, "{o:?}");
        // The same end again (a resumed page): nothing moves.
        o.enter(d("2024-01-07"));
        assert!(o.keep(&item("edge", "2024-01-07T00:00:00")));
        assert_eq!(o.len(), 3);
        let mut o2 = Overlap::default();
        o2.enter(d("2024-01-07"));
        o2.keep(&item("edge", "2024-01-07T00:00:00"));
        o2.enter(d("2024-01-13"));
        assert!(!o2.keep(&item("edge", "2024-01-07T00:00:00")));
        assert!(o2.keep(&item("new", "2024-01-08T00:00:00")));
        // Read back from a cursor.
        let back = Overlap::from_json(&o2.to_json()).unwrap();
        assert_eq!(back, o2);
        assert_eq!(Overlap::from_json(&json!({"end": 5})), None);
        // Two windows later the first window's ids are forgotten.
        o2.enter(d("2024-01-19"));
        assert!(o2.is_empty());
    }
}
