//! Pagination: follow `links.next` (or xAPI's `more`) page by page, and walk long date ranges
//! as consecutive windows.
//!
//! A `next` link that is absent, `null` or empty ends the walk. A link on another origin is
//! refused, so the bearer token never leaves the configured API host.

use std::collections::VecDeque;

use serde_json::Value;
use url::Url;

use crate::call::Reply;
use crate::catalog::Paging;
use crate::config::Config;
use crate::datetime::Date;
use crate::error::Error;
use crate::request::ApiRequest;
use crate::window;

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The items (`data[]`, or xAPI `statements[]`), raw.
    pub items: Vec<Value>,
    /// The next page's URL, when there is one.
    pub next: Option<Url>,
}

/// Reads the items and the next link of a list response.
pub fn read_page(
    paging: Paging,
    body: &Value,
    config: &Config,
    status: u16,
) -> Result<Page, Error> {
    take_page(paging, body.clone(), config, status)
}

/// The member that holds a page's items, and the member that holds its next link.
fn keys(paging: Paging) -> (&'static str, NextAt) {
    match paging {
        Paging::Xapi => ("statements", NextAt::More),
        _ => ("data", NextAt::LinksNext),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NextAt {
    /// `links.next` (JSON:API).
    LinksNext,
    /// `more` (xAPI).
    More,
}

/// The next link as found in a body, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NextLink {
    /// Absent or `null`.
    None,
    /// A string.
    Text(String),
    /// Anything else.
    Invalid,
}

/// The rule for a page's next link: absent, `null` or blank ends the walk; a URL is resolved
/// against the base URL and must stay on the API's origin.
fn resolve_next(
    next: NextLink,
    config: &Config,
    fail: impl Fn(&str) -> Error,
) -> Result<Option<Url>, Error> {
    match next {
        NextLink::None => Ok(None),
        NextLink::Text(s) if s.trim().is_empty() => Ok(None),
        NextLink::Text(s) => {
            let url = config
                .base_url()
                .join(s.trim())
                .map_err(|e| fail(&format!("not a URL: {e}")))?;
            if !config.is_api_origin(&url) {
                return Err(fail(&format!(
                    "the next page is on another origin ({}); not following it with the token",
                    url.origin().ascii_serialization()
                )));
            }
            Ok(Some(url))
        }
        NextLink::Invalid => Err(fail("expected a string")),
    }
}

/// [`read_page`] on an owned body: the items are moved out, not copied (a 1000-item page
/// costs as much to copy as to parse).
pub fn take_page(
    paging: Paging,
    mut body: Value,
    config: &Config,
    status: u16,
) -> Result<Page, Error> {
    let decode = |body: &Value, path: &str, message: &str| Error::Decode {
        message: message.to_owned(),
        path: path.to_owned(),
        excerpt: crate::datetime::excerpt(&body.to_string()),
        status,
        request_id: None,
        maybe_applied: false,
    };
    let (items_key, next_at) = keys(paging);
    let next = match next_at {
        NextAt::More => body.get("more"),
        NextAt::LinksNext => body.get("links").and_then(|l| l.get("next")),
    };
    let next = match next {
        None | Some(Value::Null) => NextLink::None,
        Some(Value::String(s)) => NextLink::Text(s.clone()),
        Some(_) => NextLink::Invalid,
    };
    let next = resolve_next(next, config, |m| decode(&body, next_at.path(), m))?;
    let taken = body.as_object_mut().and_then(|o| o.remove(items_key));
    let items = match taken {
        Some(Value::Array(items)) => items,
        // A single object where a list was expected: one item.
        Some(obj @ Value::Object(_)) => vec![obj],
        None | Some(Value::Null) => Vec::new(),
        Some(other) => {
            return Err(decode(
                &other,
                &format!("$.{items_key}"),
                "expected an array",
            ));
        }
    };
    Ok(Page { items, next })
}

impl NextAt {
    fn path(self) -> &'static str {
        match self {
            NextAt::LinksNext => "$.links.next",
            NextAt::More => "$.more",
        }
    }
}

/// Where a page's items are in its body, as [`scan`] found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// Absent or `null`: no items.
    None,
    /// An array of this many items.
    List(usize),
    /// A single object where a list was expected: one item.
    One,
    /// Anything else (an error when the page is read); an excerpt of it.
    Invalid(String),
}

/// A page checked without being parsed into a tree: the body as received, where its items
/// are, and its next link. Hosts with a fast JSON parser of their own (Python's `json`,
/// JavaScript's `JSON.parse`) parse [`RawPage::body`] once, read the items from the
/// [`RawPage::items_key`] member as [`RawPage::items`] says, and build their models from the
/// core's field rules ([`crate::models::convert_key`], [`crate::models::is_time_field`],
/// [`crate::models::normalize_time`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RawPage {
    /// The body exactly as received (valid JSON).
    pub body: Vec<u8>,
    /// The member of the body that holds the items (`data`, or `statements` for xAPI).
    pub items_key: &'static str,
    /// Where the items are.
    pub items: Items,
    /// The next page's URL, once the page is read by [`Pager::take_raw`]; `None` before.
    pub next: Option<Url>,
    found_next: NextLink,
}

impl RawPage {
    /// How many items the page holds.
    pub fn len(&self) -> usize {
        match self.items {
            Items::List(n) => n,
            Items::One => 1,
            Items::None | Items::Invalid(_) => 0,
        }
    }

    /// Whether the page holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Checks a list response's body in one pass over its bytes, allocating nothing for the
/// items: the body must be JSON (else [`Error::Decode`], with status 200 and no request id),
/// and the items member and next link are located (their rules are applied by
/// [`Pager::take_raw`], as [`take_page`] does for a parsed body). A body that is empty or not
/// an object is an empty page, as with [`take_page`]; an empty body is kept as `null`.
pub fn scan(paging: Paging, body: Vec<u8>) -> Result<RawPage, Error> {
    use serde::de::DeserializeSeed;
    let (items_key, next_at) = keys(paging);
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"null".to_vec()
    } else {
        body
    };
    let mut de = serde_json::Deserializer::from_slice(&body);
    let scanned = scan::Top { items_key, next_at }
        .deserialize(&mut de)
        .and_then(|found| de.end().map(|()| found));
    let (items, found_next) =
        scanned.map_err(|e| crate::response::json_error(200, None, &e, &body))?;
    Ok(RawPage {
        body,
        items_key,
        items,
        next: None,
        found_next,
    })
}

mod scan {
    //! serde visitors that walk a page without building it.

    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::{Items, NextAt, NextLink};

    pub(super) struct Top {
        pub(super) items_key: &'static str,
        pub(super) next_at: NextAt,
    }

    /// A top-level member name, compared without allocating.
    enum Key {
        Items,
        Links,
        More,
        Other,
    }

    struct KeySeed<'a>(&'a Top);

    impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
        type Value = Key;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for KeySeed<'_> {
        type Value = Key;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a member name")
        }
        fn visit_str<E: serde::de::Error>(self, k: &str) -> Result<Key, E> {
            Ok(if k == self.0.items_key {
                Key::Items
            } else if k == "links" && self.0.next_at == NextAt::LinksNext {
                Key::Links
            } else if k == "more" && self.0.next_at == NextAt::More {
                Key::More
            } else {
                Key::Other
            })
        }
    }

    /// Accepts any JSON value and keeps nothing; scalars report what they were, for errors.
    macro_rules! ignore_rest {
        ($out:expr) => {
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok($out(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok($out(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok($out(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok($out(v.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok($out(serde_json::Value::from(v).to_string()))
            }
        };
    }

    impl<'de> DeserializeSeed<'de> for Top {
        type Value = (Items, NextLink);
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    fn empty(_: String) -> (Items, NextLink) {
        (Items::None, NextLink::None)
    }

    impl<'de> Visitor<'de> for Top {
        type Value = (Items, NextLink);
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON document")
        }
        ignore_rest!(empty);
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok((Items::None, NextLink::None))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok((Items::None, NextLink::None))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut items = Items::None;
            let mut next = NextLink::None;
            while let Some(key) = map.next_key_seed(KeySeed(&self))? {
                match key {
                    Key::Items => items = map.next_value_seed(ItemsSeed)?,
                    Key::Links => next = map.next_value_seed(LinksSeed)?,
                    Key::More => next = map.next_value_seed(NextSeed)?,
                    Key::Other => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok((items, next))
        }
    }

    struct ItemsSeed;

    impl<'de> DeserializeSeed<'de> for ItemsSeed {
        type Value = Items;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Items, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for ItemsSeed {
        type Value = Items;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of items")
        }
        ignore_rest!(Items::Invalid);
        fn visit_unit<E: serde::de::Error>(self) -> Result<Items, E> {
            Ok(Items::None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
            let mut n = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(Items::List(n))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Items, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Items::One)
        }
    }

    /// `links`: an object whose `next` member is read; anything else holds no link.
    struct LinksSeed;

    impl<'de> DeserializeSeed<'de> for LinksSeed {
        type Value = NextLink;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<NextLink, D::Error> {
            d.deserialize_any(self)
        }
    }

    fn no_link(_: String) -> NextLink {
        NextLink::None
    }

    impl<'de> Visitor<'de> for LinksSeed {
        type Value = NextLink;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("links")
        }
        ignore_rest!(no_link);
        fn visit_unit<E: serde::de::Error>(self) -> Result<NextLink, E> {
            Ok(NextLink::None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NextLink, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(NextLink::None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NextLink, A::Error> {
            let mut next = NextLink::None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == "next" {
                    next = map.next_value_seed(NextSeed)?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(next)
        }
    }

    /// A next link's value.
    struct NextSeed;

    impl<'de> DeserializeSeed<'de> for NextSeed {
        type Value = NextLink;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<NextLink, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for NextSeed {
        type Value = NextLink;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a link")
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<NextLink, E> {
            Ok(NextLink::Invalid)
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<NextLink, E> {
            Ok(NextLink::Invalid)
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<NextLink, E> {
            Ok(NextLink::Invalid)
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<NextLink, E> {
            Ok(NextLink::Invalid)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NextLink, E> {
            Ok(NextLink::Text(v.to_owned()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<NextLink, E> {
            Ok(NextLink::None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NextLink, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(NextLink::Invalid)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NextLink, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(NextLink::Invalid)
        }
    }
}

/// Walks every page of a list operation, window after window.
///
/// ```text
/// let mut pager = Pager::new(request);
/// while let Some(request) = pager.next_request() {
///     let reply = /* run a Call for `request` */;
///     let page = pager.on_reply(&reply, config)?;
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Pager {
    pending: VecDeque<ApiRequest>,
    next: Option<ApiRequest>,
    last_url: Option<Url>,
    in_flight: bool,
    pages: u64,
    items: u64,
    /// The request in flight, kept until its page is read so a cursor taken after a failure
    /// resumes with it.
    current: Option<ApiRequest>,
    /// How many date windows (requests started from scratch) the walk has in all.
    windows: usize,
}

impl Pager {
    /// All pages of one request.
    pub fn new(request: ApiRequest) -> Self {
        Pager {
            pending: VecDeque::from([request]),
            next: None,
            last_url: None,
            in_flight: false,
            pages: 0,
            items: 0,
            current: None,
            windows: 1,
        }
    }

    /// All pages of `request` for the dates `start..=end`, split into windows the API accepts
    /// (`filter[start_date]`/`filter[end_date]`, at most a week each) when the operation is
    /// windowed; other operations get one request with both filters.
    pub fn windowed(request: ApiRequest, start: Date, end: Date) -> Result<Self, Error> {
        let windows = if request.operation().windowed {
            window::split(start, end)?
        } else if end < start {
            return Err(Error::invalid(format!(
                "the end date {end} is before the start date {start}"
            )));
        } else {
            vec![(start, end)]
        };
        let count = windows.len();
        let pending = windows
            .into_iter()
            .map(|(a, b)| {
                request
                    .clone()
                    .set_query("filter[start_date]", a.to_string())
                    .set_query("filter[end_date]", b.to_string())
            })
            .collect();
        Ok(Pager {
            pending,
            next: None,
            last_url: None,
            in_flight: false,
            pages: 0,
            items: 0,
            current: None,
            windows: count,
        })
    }

    /// All pages of `request` for an optional date range, by the rules every binding shares:
    ///
    /// - no dates: no date filters;
    /// - a windowed operation ([`crate::catalog::Operation::windowed`]): `end` defaults to
    ///   `today` (the caller's clock, UTC), an `end` without a `start` is refused, and the
    ///   range is walked in windows of at most a week ([`Pager::windowed`]);
    /// - any other operation: the dates given become `filter[start_date]` and/or
    ///   `filter[end_date]` on one request, unsplit.
    ///
    /// An end before the start is refused either way.
    pub fn dated(
        request: ApiRequest,
        start: Option<Date>,
        end: Option<Date>,
        today: Option<Date>,
    ) -> Result<Self, Error> {
        if request.operation().windowed {
            return match (start, end) {
                (None, None) => Ok(Pager::new(request)),
                (None, Some(_)) => Err(Error::invalid("start_date is required with end_date")),
                (Some(start), end) => {
                    let end = end.or(today).ok_or_else(|| {
                        Error::invalid("a date range without an end needs today's date to end on")
                    })?;
                    Pager::windowed(request, start, end)
                }
            };
        }
        match (start, end) {
            (Some(start), Some(end)) => Pager::windowed(request, start, end),
            (start, end) => {
                let mut request = request;
                if let Some(start) = start {
                    request = request.set_query("filter[start_date]", start.to_string());
                }
                if let Some(end) = end {
                    request = request.set_query("filter[end_date]", end.to_string());
                }
                Ok(Pager::new(request))
            }
        }
    }

    /// The request for the next page, or `None` when the walk is over.
    pub fn next_request(&mut self) -> Option<ApiRequest> {
        if self.in_flight {
            return None;
        }
        let req = self.next.take().or_else(|| self.pending.pop_front())?;
        self.in_flight = true;
        self.current = Some(req.clone());
        Some(req)
    }

    /// Reads the reply to the last request; sets up the following one.
    pub fn on_reply(&mut self, reply: &Reply, config: &Config) -> Result<Page, Error> {
        self.take_reply(reply.clone(), config)
    }

    /// [`Pager::on_reply`] taking the reply by value, so its items are moved, not copied.
    pub fn take_reply(&mut self, reply: Reply, config: &Config) -> Result<Page, Error> {
        self.in_flight = false;
        let op = reply.operation;
        let body = reply.body.unwrap_or(Value::Null);
        let page = take_page(op.paging, body, config, reply.status)
            .map_err(|e| e.with_reply(reply.status, reply.request_id.clone()))?;
        self.advance(
            op,
            page.next.as_ref(),
            page.items.len(),
            reply.status,
            &reply.request_id,
        )?;
        Ok(page)
    }

    /// Reads the reply to the last request from a body checked by [`scan`] (a call made with
    /// [`crate::Call::keep_raw_page`]): the same rules as [`Pager::take_reply`], applied
    /// without parsing the items. The returned page has its `next` link set.
    pub fn take_raw(
        &mut self,
        reply: &Reply,
        mut page: RawPage,
        config: &Config,
    ) -> Result<RawPage, Error> {
        self.in_flight = false;
        let op = reply.operation;
        let fail = |path: &str, message: &str, excerpt: String| Error::Decode {
            message: message.to_owned(),
            path: path.to_owned(),
            excerpt,
            status: reply.status,
            request_id: reply.request_id.clone(),
            maybe_applied: false,
        };
        let found = std::mem::replace(&mut page.found_next, NextLink::None);
        let (_, next_at) = keys(op.paging);
        page.next = resolve_next(found, config, |m| {
            fail(next_at.path(), m, crate::response::body_excerpt(&page.body))
        })?;
        if let Items::Invalid(excerpt) = &page.items {
            return Err(fail(
                &format!("$.{}", page.items_key),
                "expected an array",
                crate::datetime::excerpt(excerpt),
            ));
        }
        self.advance(
            op,
            page.next.as_ref(),
            page.len(),
            reply.status,
            &reply.request_id,
        )?;
        Ok(page)
    }

    /// Counts a page read and sets up the request for the next one.
    fn advance(
        &mut self,
        op: &'static crate::catalog::Operation,
        next: Option<&Url>,
        items: usize,
        status: u16,
        request_id: &Option<String>,
    ) -> Result<(), Error> {
        self.pages += 1;
        self.items += items as u64;
        self.current = None;
        if let Some(url) = next {
            if self.last_url.as_ref() == Some(url) {
                return Err(Error::Decode {
                    message: "the server sent the same next link twice; stopping to avoid a loop"
                        .into(),
                    path: "$.links.next".into(),
                    excerpt: url.to_string(),
                    status,
                    request_id: request_id.clone(),
                    maybe_applied: false,
                });
            }
            self.last_url = Some(url.clone());
            if op.paging != Paging::None {
                self.next = Some(ApiRequest::for_url(op, url.clone()));
            }
        }
        Ok(())
    }

    /// Pages read so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Items read so far.
    pub fn items(&self) -> u64 {
        self.items
    }

    /// How many date windows the walk has in all (1 for a list without windows).
    pub fn windows(&self) -> usize {
        self.windows
    }

    /// Date windows not yet started; the one being walked is not counted.
    pub fn windows_left(&self) -> usize {
        self.pending.len()
    }

    /// Whether every page has been read.
    pub fn is_done(&self) -> bool {
        !self.in_flight && self.next.is_none() && self.pending.is_empty()
    }

    /// Where the walk stands, as JSON text to keep (in a file, a database) and give to
    /// [`Pager::resume`] later, by this process or another: the next page's request (or the
    /// one that failed), the windows after it, the counts so far, and `unread`, items a
    /// caller has received but not yet handed on (an iterator's buffer), which resuming
    /// returns first. Cursor links the server gave may expire (Degreed's after some minutes
    /// idle); resuming a walk that stopped long ago may then fail, never repeat items.
    pub fn cursor(&self, config: &Config, unread: Vec<Value>) -> Result<String, Error> {
        let mut op = None;
        let mut urls = Vec::new();
        let pending = self.current.iter().filter(|_| self.in_flight);
        for req in pending.chain(&self.next).chain(&self.pending) {
            op.get_or_insert(req.operation().name);
            urls.push(Value::String(req.prepare(config)?.url().to_string()));
        }
        let cursor = serde_json::json!({
            "v": 1,
            "operation": op,
            "requests": urls,
            "pages": self.pages,
            "items": self.items,
            "windows": self.windows,
            "unread": unread,
        });
        Ok(cursor.to_string())
    }

    /// A pager that continues where the one that made `cursor` ([`Pager::cursor`]) stopped,
    /// for `operation`, and the unread items to return before its first page. A cursor for
    /// another operation, or with a link off the API origin (the token must not go there), is
    /// refused.
    pub fn resume(
        operation: &'static crate::catalog::Operation,
        cursor: &str,
        config: &Config,
    ) -> Result<(Pager, Vec<Value>), Error> {
        let bad = |why: &str| Error::invalid(format!("not a cursor of this list: {why}"));
        let mut v: Value = serde_json::from_str(cursor).map_err(|_| bad("not JSON"))?;
        if v.get("v") != Some(&Value::from(1)) {
            return Err(bad("unknown version"));
        }
        match v.get("operation") {
            Some(Value::String(name)) if name != operation.name => {
                return Err(bad(&format!("it is for `{name}`")))
            }
            _ => {}
        }
        let mut pending = VecDeque::new();
        for url in v["requests"].as_array().ok_or_else(|| bad("no requests"))? {
            let url = url
                .as_str()
                .and_then(|u| Url::parse(u).ok())
                .ok_or_else(|| bad("a request is not a URL"))?;
            if !config.is_api_origin(&url) {
                return Err(bad("a request is not on the API origin"));
            }
            pending.push_back(ApiRequest::for_url(operation, url));
        }
        let unread = match v.get_mut("unread").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let count = |key: &str| v.get(key).and_then(Value::as_u64).unwrap_or(0);
        let pager = Pager {
            pending,
            next: None,
            last_url: None,
            in_flight: false,
            pages: count("pages"),
            items: count("items"),
            current: None,
            windows: usize::try_from(count("windows")).unwrap_or(1).max(1),
        };
        Ok((pager, unread))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::operation;
    use serde_json::json;

    fn cfg() -> Config {
        Config::custom("https://auth.example", "https://api.example").unwrap()
    }

    #[test]
    fn next_link_forms() {
        let c = cfg();
        for end in [
            json!({"data": []}),
            json!({"data": [], "links": {}}),
            json!({"data": [], "links": {"next": null}}),
            json!({"data": [], "links": {"next": ""}}),
        ] {
            assert_eq!(
                read_page(Paging::Cursor, &end, &c, 200).unwrap().next,
                None,
                "{end}"
            );
        }
        let p = read_page(Paging::Cursor, &json!({"data": [{"id": "a"}], "links": {"next": "https://api.example/api/v2/users?limit=1&next=plErSU"}}), &c, 200).unwrap();
        assert_eq!(p.next.unwrap().query(), Some("limit=1&next=plErSU"));
        let rel = read_page(
            Paging::Cursor,
            &json!({"data": [], "links": {"next": "/api/v2/users?next=x"}}),
            &c,
            200,
        )
        .unwrap();
        assert_eq!(
            rel.next.unwrap().as_str(),
            "https://api.example/api/v2/users?next=x"
        );
        let foreign = read_page(
            Paging::Cursor,
            &json!({"data": [], "links": {"next": "https://evil.example/?next=x"}}),
            &c,
            200,
        );
        assert_eq!(foreign.unwrap_err().kind(), crate::ErrorKind::Decode);
        let x = read_page(
            Paging::Xapi,
            &json!({"statements": [{}, {}], "more": "/xAPI/statements?next=abc"}),
            &c,
            200,
        )
        .unwrap();
        assert_eq!(x.items.len(), 2);
        assert!(x.next.is_some());
        assert!(read_page(Paging::Cursor, &json!({"data": 5}), &c, 200).is_err());
    }

    /// A page read from bytes ([`scan`] + [`Pager::take_raw`]) follows the same rules as a
    /// parsed one ([`Pager::take_reply`]): same next link, same item count, same errors.
    #[test]
    fn raw_pages_follow_the_parsed_rules() {
        let c = cfg();
        let bodies: &[(Paging, &str)] = &[
            (
                Paging::Cursor,
                r#"{"data": [{"id": "a"}, {"id": "b"}], "links": {"next": "/api/v2/users?next=x"}}"#,
            ),
            (
                Paging::Cursor,
                r#"{"links": {"next": null, "self": "x"}, "data": [], "meta": {"a": [1, {"b": "c"}]}}"#,
            ),
            (
                Paging::Cursor,
                r#"{"data": {"id": "one"}, "links": {"next": ""}}"#,
            ),
            (Paging::Cursor, r#"{"data": null}"#),
            (Paging::Cursor, r#"{"data": [1, "two", null]}"#),
            (Paging::Cursor, r#"[1, 2]"#),
            (Paging::Cursor, r#""text""#),
            (Paging::Cursor, ""),
            (Paging::Cursor, r#"{"data": 5}"#),
            (Paging::Cursor, r#"{"data": "x\"y"}"#),
            (Paging::Cursor, r#"{"data": [], "links": {"next": 7}}"#),
            (
                Paging::Cursor,
                r#"{"data": [], "links": {"next": "https://evil.example/?next=x"}}"#,
            ),
            (
                Paging::Cursor,
                r#"{"data": [], "links": "https://api.example/x"}"#,
            ),
            (Paging::Cursor, r#"{"data": [], "more": "/ignored"}"#),
            (
                Paging::Xapi,
                r#"{"statements": [{}, {}], "more": "/xAPI/statements?next=abc"}"#,
            ),
            (
                Paging::Xapi,
                r#"{"statements": [], "more": ["x"], "links": {"next": "/x"}}"#,
            ),
        ];
        for (paging, text) in bodies {
            let parsed = if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str::<Value>(text).unwrap()
            };
            let by_tree = take_page(*paging, parsed, &c, 200);
            let by_bytes = scan(*paging, text.as_bytes().to_vec()).and_then(|page| {
                let op = operation(match paging {
                    Paging::Xapi => "xapi.statements.list",
                    _ => "users.list",
                })
                .unwrap();
                let reply = Reply {
                    operation: op,
                    status: 200,
                    request_id: None,
                    rate_limit: None,
                    body: None,
                };
                Pager::new(ApiRequest::new(op.name).unwrap()).take_raw(&reply, page, &c)
            });
            match (by_tree, by_bytes) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.next, b.next, "{text}");
                    assert_eq!(a.items.len(), b.len(), "{text}");
                    let parsed: Value = serde_json::from_slice(&b.body).unwrap();
                    let items = parsed.get(b.items_key);
                    match b.items {
                        Items::List(n) => assert_eq!(items.unwrap().as_array().unwrap().len(), n),
                        Items::One => assert!(items.unwrap().is_object()),
                        Items::None => assert!(items.is_none_or(Value::is_null)),
                        Items::Invalid(_) => unreachable!(),
                    }
                }
                (Err(a), Err(b)) => {
                    // The same error; only the excerpt's spacing may differ.
                    let head = |e: &Error| {
                        e.to_string()
                            .split("; body starts")
                            .next()
                            .map(str::to_owned)
                    };
                    assert_eq!(head(&a), head(&b), "{text}");
                }
                (a, b) => panic!("{text}: {a:?} vs {b:?}"),
            }
        }
        let garbled = scan(Paging::Cursor, br#"{"data": [1, 2"#.to_vec()).unwrap_err();
        assert_eq!(garbled.kind(), crate::ErrorKind::Decode);
        assert!(
            garbled.to_string().contains(r#"{"data": [1, 2"#),
            "{garbled}"
        );
        assert!(scan(Paging::Cursor, br#"{"data": []} x"#.to_vec()).is_err());
    }

    fn dated_queries(
        op: &str,
        start: Option<&str>,
        end: Option<&str>,
        today: Option<&str>,
    ) -> Result<Vec<Vec<(String, String)>>, Error> {
        let d = |s: Option<&str>| s.map(|s| s.parse::<Date>().unwrap());
        let mut p = Pager::dated(ApiRequest::new(op)?, d(start), d(end), d(today))?;
        let reply = Reply {
            operation: operation(op).unwrap(),
            status: 200,
            request_id: None,
            rate_limit: None,
            body: Some(json!({"data": []})),
        };
        let mut out = Vec::new();
        while let Some(req) = p.next_request() {
            out.push(req.query_pairs().to_vec());
            p.on_reply(&reply, &cfg()).unwrap();
        }
        Ok(out)
    }

    #[test]
    fn dated_pagers_follow_one_rule_set() {
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        // Windowed: the end defaults to today, and the range is split into weeks.
        let w = dated_queries("logins.list", Some("2024-01-01"), None, Some("2024-01-10")).unwrap();
        assert_eq!(
            w,
            [
                vec![
                    pair("filter[start_date]", "2024-01-01"),
                    pair("filter[end_date]", "2024-01-07")
                ],
                vec![
                    pair("filter[start_date]", "2024-01-08"),
                    pair("filter[end_date]", "2024-01-10")
                ],
            ]
        );
        // A given end wins over today.
        let w = dated_queries(
            "logins.list",
            Some("2024-01-01"),
            Some("2024-01-02"),
            Some("2030-01-01"),
        )
        .unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0][1], pair("filter[end_date]", "2024-01-02"));
        // An end without a start, a reversed range, a start with no end and no today.
        let e = dated_queries("logins.list", None, Some("2024-01-02"), Some("2024-01-05"));
        assert_eq!(
            e.unwrap_err().to_string(),
            Error::invalid("start_date is required with end_date").to_string()
        );
        let e = dated_queries(
            "completions.list",
            Some("2024-02-01"),
            None,
            Some("2024-01-05"),
        );
        assert!(e.unwrap_err().to_string().contains("before"));
        let e = dated_queries("views.list", Some("2024-01-01"), None, None);
        assert_eq!(e.unwrap_err().kind(), crate::ErrorKind::InvalidRequest);
        // No dates: no filters, on windowed and other operations alike.
        assert_eq!(
            dated_queries("logins.list", None, None, Some("2024-01-05")).unwrap(),
            [Vec::<(String, String)>::new()]
        );
        assert_eq!(
            dated_queries("users.list", None, None, None).unwrap(),
            [Vec::<(String, String)>::new()]
        );
        // Other operations: the dates given, unsplit, and today is never used.
        assert_eq!(
            dated_queries("users.list", Some("2024-01-01"), None, Some("2024-03-01")).unwrap(),
            [vec![pair("filter[start_date]", "2024-01-01")]]
        );
        assert_eq!(
            dated_queries("users.list", None, Some("2024-01-31"), Some("2024-03-01")).unwrap(),
            [vec![pair("filter[end_date]", "2024-01-31")]]
        );
        assert_eq!(
            dated_queries("content.list", Some("2024-01-01"), Some("2024-03-01"), None).unwrap(),
            [vec![
                pair("filter[start_date]", "2024-01-01"),
                pair("filter[end_date]", "2024-03-01")
            ]]
        );
        assert!(
            dated_queries("content.list", Some("2024-03-01"), Some("2024-01-01"), None).is_err()
        );
    }

    #[test]
    fn windowed_pager_splits_ranges() {
        let req = ApiRequest::new("completions.list").unwrap().limit(10);
        let mut p = Pager::windowed(
            req,
            "2024-01-01".parse().unwrap(),
            "2024-01-10".parse().unwrap(),
        )
        .unwrap();
        let first = p.next_request().unwrap();
        assert_eq!(
            first.query_pairs()[1..],
            [
                ("filter[start_date]".to_owned(), "2024-01-01".to_owned()),
                ("filter[end_date]".to_owned(), "2024-01-07".to_owned())
            ]
        );
        assert!(p.next_request().is_none(), "one request at a time");
        let reply = Reply {
            operation: operation("completions.list").unwrap(),
            status: 200,
            request_id: None,
            rate_limit: None,
            body: Some(json!({"data": [1, 2]})),
        };
        assert_eq!(p.on_reply(&reply, &cfg()).unwrap().items.len(), 2);
        let second = p.next_request().unwrap();
        assert_eq!(second.query_pairs()[2].1, "2024-01-10");
        p.on_reply(&reply, &cfg()).unwrap();
        assert!(p.next_request().is_none());
        assert_eq!((p.pages(), p.items()), (2, 4));
    }
}
