//! Date windows: some list endpoints accept at most a week between `filter[start_date]` and
//! `filter[end_date]`, so a longer range is walked as consecutive windows.
//!
//! Degreed does not say whether `end_date` includes its day. Consecutive windows therefore
//! share their boundary day (one ends on the day the next starts on): read exclusively, each
//! window stops where the next begins and nothing is lost; read inclusively, the boundary day
//! comes twice and [`Overlap`] drops the repeats by id. Either way the walk returns what one
//! request for the whole range would, each item once.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

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
    previous: Ids,
    /// Ids of this window's items near its end, so far.
    current: Ids,
}

/// A set of ids, hashed by FNV-1a: SipHash and its random keys would be code in the wasm
/// package for this alone (as for the pager's links).
type Ids = HashSet<String, BuildHasherDefault<Fnv>>;

#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
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
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let near = self.end.is_some_and(|end| near(item, end));
        self.keep_parts(id, near)
    }

    /// [`Overlap::keep`] for an item already read by [`scan_items`]: its id, and whether it
    /// is dated near the end of the window being walked.
    pub fn keep_parts(&mut self, id: Option<String>, near: bool) -> bool {
        // Without an id an item cannot be recognised: it is passed on.
        let Some(id) = id else { return true };
        if self.previous.contains(&id) {
            return false;
        }
        if near && self.end.is_some() {
            self.current.insert(id);
        }
        true
    }

    /// The last day of the window being walked.
    pub fn end(&self) -> Option<Date> {
        self.end
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
        let sorted = |set: &Ids| {
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
        let ids = |key: &str| -> Option<Ids> {
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

/// What [`Overlap`] needs of each item of a page body, read without building the items (a
/// page the host parses itself is not parsed twice): its id, and whether it has a timestamp
/// within a day of `end` or none at all. `items_key` holds the list (or a single item).
pub fn scan_items(
    body: &[u8],
    items_key: &str,
    end: Option<Date>,
) -> Result<Vec<(Option<String>, bool)>, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_slice(body);
    scan::Page { items_key, end }.deserialize(&mut de)
}

mod scan {
    //! serde visitors for [`super::scan_items`].

    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use crate::datetime::Date;

    type Found = Vec<(Option<String>, bool)>;

    fn is_time_key(key: &str) -> bool {
        crate::models::is_time_field(&crate::request::kebab_case(key))
    }

    /// Reads every member of an item (or of its `attributes`): the id, and the days of its
    /// timestamps as `(dated, near)`.
    fn read_members<'de, A: MapAccess<'de>>(
        mut map: A,
        end: Option<Date>,
        nested: bool,
    ) -> Result<(Option<String>, bool, bool), A::Error> {
        let (mut id, mut dated, mut near) = (None, false, false);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if !nested && key == "id" {
                id = map.next_value_seed(Id)?;
            } else if !nested && key == "attributes" {
                let (d, n) = map.next_value_seed(Attributes(end))?;
                dated |= d;
                near |= n;
            } else if is_time_key(&key) {
                if let Some(day) = map.next_value_seed(Day)? {
                    dated = true;
                    near |= end.is_some_and(|e| day.days_until(e).abs() <= super::NEAR_DAYS);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((id, dated, near))
    }

    macro_rules! seed {
        ($t:ty, $v:ty) => {
            impl<'de> DeserializeSeed<'de> for $t {
                type Value = $v;
                fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$v, D::Error> {
                    d.deserialize_any(self)
                }
            }
        };
    }

    /// Anything but the expected shape is ignored (the page was checked by `paging::scan`).
    macro_rules! ignore_others {
        ($default:expr) => {
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok($default)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok($default)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok($default)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok($default)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok($default)
            }
        };
    }

    pub(super) struct Page<'k> {
        pub(super) items_key: &'k str,
        pub(super) end: Option<Date>,
    }
    seed!(Page<'_>, Found);

    impl<'de> Visitor<'de> for Page<'_> {
        type Value = Found;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a page")
        }
        ignore_others!(Vec::new());
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Found, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found, A::Error> {
            let mut found = Vec::new();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if key == self.items_key {
                    found = map.next_value_seed(List(self.end))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }

    /// The items: a list, or one object.
    struct List(Option<Date>);
    seed!(List, Found);

    impl<'de> Visitor<'de> for List {
        type Value = Found;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("items")
        }
        ignore_others!(Vec::new());
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Found, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Found, A::Error> {
            let mut found = Vec::new();
            while let Some(item) = seq.next_element_seed(Item(self.0))? {
                found.push(item);
            }
            Ok(found)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Found, A::Error> {
            let (id, dated, near) = read_members(map, self.0, false)?;
            Ok(vec![(id, near || !dated)])
        }
    }

    struct Item(Option<Date>);
    seed!(Item, (Option<String>, bool));

    impl<'de> Visitor<'de> for Item {
        type Value = (Option<String>, bool);
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an item")
        }
        ignore_others!((None, true));
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok((None, true))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok((None, true))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let (id, dated, near) = read_members(map, self.0, false)?;
            Ok((id, near || !dated))
        }
    }

    /// `attributes`: `(dated, near)`.
    struct Attributes(Option<Date>);
    seed!(Attributes, (bool, bool));

    impl<'de> Visitor<'de> for Attributes {
        type Value = (bool, bool);
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("attributes")
        }
        ignore_others!((false, false));
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok((false, false))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok((false, false))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let (_, dated, near) = read_members(map, self.0, true)?;
            Ok((dated, near))
        }
    }

    /// An id: a string or a number.
    struct Id;
    seed!(Id, Option<String>);

    impl<'de> Visitor<'de> for Id {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an id")
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // As serde_json prints it, so both ways of reading a page agree.
            Ok(Some(crate::wire::json_text(&v.into())))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }

    /// A timestamp's day, when it reads as one.
    struct Day;
    seed!(Day, Option<Date>);

    impl<'de> Visitor<'de> for Day {
        type Value = Option<Date>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a timestamp")
        }
        ignore_others!(None);
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(match crate::models::read_time(v) {
                Some(Some(t)) => Some(t.date()),
                _ => None,
            })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
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

    #[test]
    fn items_read_from_bytes_are_judged_as_parsed_ones() {
        let end = d("2024-01-07");
        let items = json!([
            {"id": "edge", "attributes": {"completed-at": "2024-01-07T00:00:00"}},
            {"id": "eve", "attributes": {"completedAt": "2024-01-06T23:59:59.9", "title": "x"}},
            {"id": "early", "attributes": {"completed-at": "2024-01-02T10:00:00"}},
            {"id": "far-but-top", "timestamp": "2024-01-08T01:00:00", "attributes": null},
            {"id": 7, "attributes": {"title": "undated"}},
            {"id": 7.5, "attributes": {"completed-at": "0001-01-01T00:00:00"}},
            {"attributes": {"completed-at": "2024-01-07T00:00:00"}},
            {"id": "odd", "attributes": ["x"], "included": [{"modified-at": "2024-01-07T00:00:00"}]},
            {"id": "bad", "attributes": {"completed-at": 5, "rated-at": "soon"}},
        ]);
        let body = serde_json::to_vec(&json!({"links": {}, "data": items})).unwrap();
        let found = scan_items(&body, "data", Some(end)).unwrap();
        assert_eq!(found.len(), 9);
        let (mut by_value, mut by_bytes) = (Overlap::default(), Overlap::default());
        by_value.enter(end);
        by_bytes.enter(end);
        for (item, (id, near)) in items.as_array().unwrap().iter().zip(found) {
            assert_eq!(by_value.keep(item), by_bytes.keep_parts(id, near), "{item}");
        }
        assert_eq!(by_value, by_bytes);
        assert_eq!(by_value.len(), 7, "{by_value:?}");
        // One object where a list was expected, and pages without items.
        let one = serde_json::to_vec(&json!({"data": {"id": "solo"}})).unwrap();
        assert_eq!(
            scan_items(&one, "data", Some(end)).unwrap(),
            [(Some("solo".into()), true)]
        );
        for body in [r#"{"data": null}"#, r#"{"links": {}}"#, "null", "[1]"] {
            assert!(scan_items(body.as_bytes(), "data", Some(end))
                .unwrap()
                .is_empty());
        }
    }
}
