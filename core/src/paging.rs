//! Pagination: follow `links.next` (or xAPI's `more`) page by page, and walk long date ranges
//! as consecutive windows.
//!
//! A `next` link that is absent, `null` or empty ends the walk. A link on another origin is
//! refused, so the bearer token never leaves the configured API host.
//!
//! A hostile or broken server cannot make a walk endless or silently empty: a list answer
//! without its list (`{}`, `null`, `"hi"`, an empty body) or with items that are not objects
//! is an [`Error::Decode`], and so is a timestamp that does not read as one; a link the walk
//! already followed (A→B→A, back to the first page) ends it with an error, and so does a long
//! run of empty pages that keep sending new links.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::Value;
use url::Url;

use crate::catalog::Paging;
use crate::config::Config;
use crate::datetime::Date;
use crate::error::Error;
use crate::request::ApiRequest;
use crate::response::Reply;
use crate::window;

/// The most empty pages in a row that may carry a `next` link. Servers send the odd empty
/// page (a filtered cursor); hundreds in a row is a server spinning the client.
pub const MAX_EMPTY_PAGES: u32 = 20;

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

/// Where a list answer holds its items and its next link, for hosts that read a page
/// themselves ([`RawPage::parsed`]): the items member (`data`, xAPI's `statements`) and the
/// path of the next link (`links.next`, xAPI's `more`), dotted.
pub fn layout(paging: Paging) -> (&'static str, &'static str) {
    let (items, next) = keys(paging);
    (items, &next.path()[2..])
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
        excerpt: crate::error::excerpt(&crate::wire::json_text(body)),
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
        // An explicit `null` list is an empty one; a body without the list (`{}`, `null`,
        // `[]`, a string, an empty body) is not: it may be a proxy's page, not "no items".
        Some(Value::Null) => Vec::new(),
        None => {
            return Err(decode(
                &body,
                &format!("$.{items_key}"),
                &format!("the list answer has no `{items_key}`"),
            ));
        }
        Some(other) => {
            return Err(decode(
                &other,
                &format!("$.{items_key}"),
                "expected an array",
            ));
        }
    };
    for (i, item) in items.iter().enumerate() {
        let path = format!("$.{items_key}[{i}]");
        if !item.is_object() {
            return Err(decode(item, &path, "expected an object"));
        }
        crate::models::check_times(item, &path).map_err(|e| e.with_reply(status, None))?;
    }
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
    /// No list at all (`{}`, a body that is not an object): an error when the page is read.
    Missing,
    /// An item that is not an object, or a timestamp that does not read as one: an error
    /// when the page is read.
    Bad {
        /// JSON path of the value (`$.data[3].attributes.completed-at`).
        path: String,
        /// What is wrong.
        message: &'static str,
        /// An excerpt of the value.
        excerpt: String,
    },
}

/// A page checked without being parsed into a tree: the body as received, where its items
/// are, and its next link. Hosts with a fast JSON parser of their own (JavaScript's
/// `JSON.parse`) parse [`RawPage::body`] once, read the items from the
/// [`RawPage::items_key`] member as [`RawPage::items`] says, and build their models from the
/// core's field rules ([`crate::models::convert_key`], [`crate::wire::is_time_field`],
/// [`crate::wire::normalize_time`]); others (Python) have the items built by a [`Sink`]
/// while the page is checked ([`scan_into`]).
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
    /// Which of the received items [`Pager::take_raw`] kept, when it dropped some (items a
    /// windowed walk had already given); [`RawPage::body`] then holds only the kept ones.
    pub kept: Option<Vec<bool>>,
    found_next: NextLink,
}

impl RawPage {
    /// A page a host parsed itself and found in the ordinary shape: its items member an array
    /// of `items` objects, its next link `next` (absent or `null`: `None`). The body is not
    /// kept (it is empty); [`Pager::take_raw`] applies the page rules to these values as it
    /// does to what [`scan`] finds. Any other body (items not an array, an item that is not
    /// an object, a next link that is not a string) goes to [`scan`] whole, which says what
    /// is wrong. Timestamps are not checked: the host reads them when they are asked for.
    pub fn parsed(paging: Paging, items: usize, next: Option<String>) -> RawPage {
        let (items_key, _) = keys(paging);
        RawPage {
            body: Vec::new(),
            items_key,
            items: Items::List(items),
            next: None,
            kept: None,
            found_next: next.map_or(NextLink::None, NextLink::Text),
        }
    }

    /// How many items the page holds.
    pub fn len(&self) -> usize {
        match self.items {
            Items::List(n) => n,
            Items::One => 1,
            Items::None | Items::Invalid(_) | Items::Missing | Items::Bad { .. } => 0,
        }
    }

    /// Whether the page holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

mod walk;

pub use walk::{Sink, SinkError, Skip, Str};

/// Checks a list response's body in one pass over its bytes, allocating nothing for the
/// items: the body must be JSON (else [`Error::Decode`], with status 200 and no request id),
/// and the items member and next link are located (their rules are applied by
/// [`Pager::take_raw`], as [`take_page`] does for a parsed body). A body that is empty or not
/// an object is an empty page, as with [`take_page`]; an empty body is kept as `null`.
pub fn scan(paging: Paging, body: Vec<u8>) -> Result<RawPage, Error> {
    scan_into(paging, body, &mut Skip).map(|(page, _)| page)
}

/// [`scan`], building the page's items member with `sink` in the same pass (numbers,
/// strings and duplicate names come out as Python's `json` reads them; see [`Sink`]): the
/// host's values for the items, `None` when the page has no items member. The rules are the core's; the sink
/// only builds values.
pub fn scan_into<S: Sink>(
    paging: Paging,
    body: Vec<u8>,
    sink: &mut S,
) -> Result<(RawPage, Option<S::Value>), Error> {
    let (items_key, next_at) = keys(paging);
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"null".to_vec()
    } else {
        body
    };
    match walk::walk(&body, items_key, next_at, sink) {
        Ok(found) => Ok((
            RawPage {
                body,
                items_key,
                items: found.items,
                next: None,
                kept: None,
                found_next: found.next,
            },
            found.built,
        )),
        Err(broken) => Err(Error::Decode {
            message: broken.describe(&body),
            path: "$".to_owned(),
            excerpt: crate::response::body_excerpt(&body),
            status: 200,
            request_id: None,
            maybe_applied: false,
        }),
    }
}

/// The `filter[end_date]` of a window's first request.
fn window_end(request: &ApiRequest) -> Option<Date> {
    request.query_value("filter[end_date]")?.parse().ok()
}

/// Drops from a page kept as bytes the items `overlap` has seen: the ids and dates are read
/// without building the items (windowed walks only), and the body is rewritten only when an
/// item is dropped (the first pages after a shared boundary day), so the host, which parses
/// the body itself, never sees the repeats.
fn drop_repeats(page: &mut RawPage, overlap: &mut window::Overlap) {
    if page.is_empty() {
        return;
    }
    // The body was checked by `scan`, so it reads.
    let Ok(found) = window::scan_items(&page.body, page.items_key, overlap.end()) else {
        return;
    };
    let keep: Vec<bool> = found
        .into_iter()
        .map(|(id, near)| overlap.keep_parts(id, near))
        .collect();
    if keep.iter().all(|k| *k) {
        return;
    }
    let Ok(mut body) = serde_json::from_slice::<Value>(&page.body) else {
        return;
    };
    let Some(items) = body.get_mut(page.items_key) else {
        return;
    };
    let before = page.len();
    let list = match items.take() {
        Value::Array(list) => list,
        one => vec![one],
    };
    let kept: Vec<Value> = list
        .into_iter()
        .zip(keep.iter().chain(std::iter::repeat(&true)))
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect();
    if kept.len() != before {
        page.kept = Some(keep);
        page.items = Items::List(kept.len());
        *items = Value::Array(kept);
        page.body = serde_json::to_vec(&body).unwrap_or_default();
    }
}

/// A page URL's identity in a walk: its hash (the query's order as sent).
fn url_key(url: &Url) -> u64 {
    // FNV-1a. A page link's fingerprint needs no seeded (flood-proof) hash: the server that
    // could make two links collide can end the walk anyway. SipHash and its random keys
    // would be code in the wasm package for this alone.
    url.as_str().bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Hashes of page links, which are hashes already.
type Seen = HashSet<u64, BuildHasherDefault<KeyHasher>>;

/// The hasher of [`Seen`]: a key is its own hash.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
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
    /// Hashes of every page URL of the walk so far (8 bytes a page, whatever the link's size).
    seen: Seen,
    /// Empty pages in a row that carried a `next` link.
    empty_run: u32,
    in_flight: bool,
    pages: u64,
    items: u64,
    /// The request in flight, kept until its page is read (taken by `advance`) so a cursor
    /// taken after a failure resumes with it: no answer, or an answer the page rules refused.
    current: Option<ApiRequest>,
    /// How many date windows (requests started from scratch) the walk has in all.
    windows: usize,
    /// Ids to drop where windows share a day; `None` unless the walk has several windows.
    overlap: Option<window::Overlap>,
}

impl Pager {
    /// All pages of one request.
    pub fn new(request: ApiRequest) -> Self {
        Pager {
            pending: VecDeque::from([request]),
            next: None,
            seen: Seen::default(),
            empty_run: 0,
            in_flight: false,
            pages: 0,
            items: 0,
            current: None,
            windows: 1,
            overlap: None,
        }
    }

    /// All pages of `request` for the dates `start` to `end`, split into windows the API
    /// accepts (`filter[start_date]`/`filter[end_date]`, at most a week each) when the
    /// operation is windowed; other operations get one request with both filters. Windows
    /// share their boundary day and the items it brings twice are dropped by id
    /// ([`window::Overlap`]), so the walk gives what one request for the whole range would,
    /// each item once, whether the server's `end_date` includes its day or not.
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
            seen: Seen::default(),
            empty_run: 0,
            in_flight: false,
            pages: 0,
            items: 0,
            current: None,
            windows: count,
            overlap: (count > 1).then(window::Overlap::default),
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
        Pager::dated_named(request, start, end, today, ["start_date", "end_date"])
    }

    /// [`Pager::dated`], naming the dates as the caller spelt them (`startDate` in JS).
    pub(crate) fn dated_named(
        request: ApiRequest,
        start: Option<Date>,
        end: Option<Date>,
        today: Option<Date>,
        [start_name, end_name]: [&str; 2],
    ) -> Result<Self, Error> {
        if request.operation().windowed {
            return match (start, end) {
                (None, None) => Ok(Pager::new(request)),
                (None, Some(_)) => Err(Error::invalid(format!(
                    "{start_name} is required with {end_name}"
                ))),
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
        let req = match self.next.take() {
            Some(req) => req,
            None => {
                let req = self.pending.pop_front()?;
                if let (Some(overlap), Some(end)) = (&mut self.overlap, window_end(&req)) {
                    overlap.enter(end);
                }
                req
            }
        };
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
        let mut page = take_page(op.paging, body, config, reply.status)
            .map_err(|e| e.with_reply(reply.status, reply.request_id.clone()))?;
        let received = page.items.len();
        if let Some(overlap) = &mut self.overlap {
            page.items.retain(|item| overlap.keep(item));
        }
        self.advance(
            op,
            page.next.as_ref(),
            received,
            page.items.len(),
            config,
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
        // A page parsed by the host ([`RawPage::parsed`]) kept no body: its link is shown.
        let link = match &found {
            NextLink::Text(s) if page.body.is_empty() => Some(crate::error::excerpt(s)),
            _ => None,
        };
        page.next = resolve_next(found, config, |m| {
            let shown = link
                .clone()
                .unwrap_or_else(|| crate::response::body_excerpt(&page.body));
            fail(next_at.path(), m, shown)
        })?;
        match &page.items {
            Items::Invalid(excerpt) => {
                return Err(fail(
                    &format!("$.{}", page.items_key),
                    "expected an array",
                    crate::error::excerpt(excerpt),
                ));
            }
            Items::Missing => {
                return Err(fail(
                    &format!("$.{}", page.items_key),
                    &format!("the list answer has no `{}`", page.items_key),
                    crate::response::body_excerpt(&page.body),
                ));
            }
            Items::Bad {
                path,
                message,
                excerpt,
            } => return Err(fail(path, message, excerpt.clone())),
            Items::None | Items::List(_) | Items::One => {}
        }
        let received = page.len();
        if let Some(overlap) = &mut self.overlap {
            drop_repeats(&mut page, overlap);
        }
        self.advance(
            op,
            page.next.as_ref(),
            received,
            page.len(),
            config,
            reply.status,
            &reply.request_id,
        )?;
        Ok(page)
    }

    /// Counts a page read (`received` items, `kept` of them passed on) and sets up the request
    /// for the next one; ends the walk on a link it already followed or a long run of empty
    /// pages.
    #[allow(clippy::too_many_arguments)]
    fn advance(
        &mut self,
        op: &'static crate::catalog::Operation,
        next: Option<&Url>,
        received: usize,
        kept: usize,
        config: &Config,
        status: u16,
        request_id: &Option<String>,
    ) -> Result<(), Error> {
        self.pages += 1;
        self.items += kept as u64;
        let items = received;
        if let Some(url) = self
            .current
            .take()
            .and_then(|r| r.prepare(config).ok())
            .map(|p| p.url().clone())
        {
            self.seen.insert(url_key(&url));
        }
        let Some(url) = next else {
            self.empty_run = 0;
            return Ok(());
        };
        let stop = |message: String| Error::Decode {
            message,
            path: "$.links.next".into(),
            excerpt: crate::error::excerpt(url.as_str()),
            status,
            request_id: request_id.clone(),
            maybe_applied: false,
        };
        if !self.seen.insert(url_key(url)) {
            return Err(stop(format!(
                "the server sent a next link this walk already followed (after {} pages); \
                 stopping to avoid a loop",
                self.pages
            )));
        }
        self.empty_run = if items == 0 { self.empty_run + 1 } else { 0 };
        if self.empty_run >= MAX_EMPTY_PAGES {
            return Err(stop(format!(
                "the server sent {MAX_EMPTY_PAGES} empty pages in a row, each with a new next \
                 link; stopping"
            )));
        }
        if op.paging != Paging::None {
            self.next = Some(ApiRequest::for_url(op, url.clone()));
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

    /// Reads the reply to the last request, kept as bytes by a call made with
    /// [`crate::Call::keep_raw_page`] (`raw` is what [`crate::Call::take_raw_page`] gave), as
    /// typed models: [`Pager::take_raw`]'s rules, then
    /// [`crate::models::decode_raw_page`]. A success with no page kept (not a list answer)
    /// is an [`Error::Decode`].
    pub fn take_models<M: crate::models::Model>(
        &mut self,
        reply: &Reply,
        raw: Option<RawPage>,
        config: &Config,
    ) -> Result<Vec<M>, Error> {
        let Some(raw) = raw else {
            return Err(Error::Decode {
                message: format!(
                    "`{}` does not answer with a list page",
                    reply.operation.name
                ),
                path: "$".to_owned(),
                excerpt: String::new(),
                status: reply.status,
                request_id: reply.request_id.clone(),
                maybe_applied: false,
            });
        };
        let page = self.take_raw(reply, raw, config)?;
        crate::models::decode_raw_page::<M>(&page)
            .map_err(|e| e.with_reply(reply.status, reply.request_id.clone()))
    }

    /// The request for the page after the one in flight, if that page's next link turns out
    /// to be `link` (a guess the host reads from the end of the body before parsing it), made
    /// without changing the walk; `None` when the link breaks the page rules (another origin,
    /// a page this walk has read or is reading), when no request is in flight, when the
    /// operation is not a read, or when the walk has date windows (their pages are read in
    /// order). A host that sends it ahead keeps its answer only if [`Pager::next_request`]
    /// then gives the same request ([`crate::Call::same_request`]); if the page in flight is
    /// refused, or its link differs, the answer is dropped (a read: asking again is harmless).
    pub fn lookahead(&self, link: &str, config: &Config) -> Option<ApiRequest> {
        let current = self.current.as_ref().filter(|_| self.in_flight)?;
        let op = current.operation();
        // Only a read is asked for ahead: a wrong guess must cost nothing but the request.
        if self.overlap.is_some() || op.paging == Paging::None || !op.is_idempotent() {
            return None;
        }
        let url = resolve_next(NextLink::Text(link.to_owned()), config, |m| {
            Error::invalid(m)
        })
        .ok()
        .flatten()?;
        let here = current.prepare(config).ok().map(|p| url_key(p.url()));
        let key = url_key(&url);
        if here == Some(key) || self.seen.contains(&key) {
            return None;
        }
        Some(ApiRequest::for_url(op, url))
    }

    /// Whether [`Pager::take_raw`] reads the page's body: a walk over several date windows
    /// drops the items a window repeats from it, so its pages cannot be
    /// [`RawPage::parsed`] by the host.
    pub fn needs_body(&self) -> bool {
        self.overlap.is_some()
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
    /// one that failed), the windows after it, the counts so far, the ids a windowed walk
    /// keeps to drop the items its shared boundary days repeat ([`window::Overlap`]), and
    /// `unread`, items a caller has received but not yet handed on (an iterator's buffer),
    /// which resuming returns first. Cursor links the server gave may expire (Degreed's after some minutes
    /// idle); resuming a walk that stopped long ago may then fail, never repeat items.
    pub fn cursor(&self, config: &Config, unread: Vec<Value>) -> Result<String, Error> {
        let mut op = None;
        let mut urls = Vec::new();
        // `current` outlives `in_flight` when the page's answer was refused: resuming sends
        // that request again.
        for req in self.current.iter().chain(&self.next).chain(&self.pending) {
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
            "overlap": self.overlap.as_ref().map(window::Overlap::to_json),
            "unread": unread,
        });
        Ok(crate::wire::json_text(&cursor))
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
        let mut v: Value =
            serde_json::from_slice(cursor.as_bytes()).map_err(|_| bad("not JSON"))?;
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
            seen: Seen::default(),
            empty_run: 0,
            in_flight: false,
            pages: count("pages"),
            items: count("items"),
            current: None,
            windows: usize::try_from(count("windows")).unwrap_or(1).max(1),
            overlap: match v.get("overlap") {
                None | Some(Value::Null) => None,
                Some(o) => Some(window::Overlap::from_json(o).ok_or_else(|| bad("bad overlap"))?),
            },
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

    /// What a host reads from a page it parsed, when it has the ordinary shape.
    fn host_read(paging: Paging, body: &Value) -> Option<RawPage> {
        let (items_key, next_path) = layout(paging);
        let items = body.get(items_key)?.as_array()?;
        if !items.iter().all(Value::is_object) {
            return None;
        }
        let mut next = Some(body);
        for part in next_path.split('.') {
            next = match next {
                Some(Value::Object(o)) => o.get(part),
                None | Some(Value::Null) => None,
                Some(_) => return None,
            };
        }
        let next = match next {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return None,
        };
        Some(RawPage::parsed(paging, items.len(), next))
    }

    /// A page parsed by the host and shown by its link: an error about the link shows the
    /// link, without a secret the call redacted.
    #[test]
    fn parsed_pages_show_their_link() {
        let op = operation("users.list").unwrap();
        let reply = Reply {
            operation: op,
            status: 200,
            request_id: Some("r1".into()),
            rate_limit: None,
            body: None,
        };
        let page = RawPage::parsed(Paging::Cursor, 2, Some("https://evil.example/next".into()));
        assert!(page.body.is_empty());
        assert_eq!(page.len(), 2);
        let e = Pager::new(ApiRequest::new(op.name).unwrap())
            .take_raw(&reply, page, &cfg())
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert!(e.to_string().contains("https://evil.example/next"), "{e}");
        assert!(e.to_string().contains("another origin"), "{e}");
        assert_eq!(layout(Paging::Cursor), ("data", "links.next"));
        assert_eq!(layout(Paging::Xapi), ("statements", "more"));
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
            let take =
                |page| Pager::new(ApiRequest::new(op.name).unwrap()).take_raw(&reply, page, &c);
            // A host that parsed the body itself and found the ordinary shape reports the
            // item count and the link (`RawPage::parsed`): the same rules apply.
            if let Some(page) = host_read(*paging, &parsed) {
                let by_tree = take_page(*paging, parsed.clone(), &c, 200);
                match (by_tree, take(page)) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.next, b.next, "{text}");
                        assert_eq!(a.items.len(), b.len(), "{text}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind(), "{text}"),
                    (a, b) => panic!("{text}: {a:?} vs {b:?}"),
                }
            }
            let by_tree = take_page(*paging, parsed, &c, 200);
            let by_bytes = scan(*paging, text.as_bytes().to_vec()).and_then(take);
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
                        Items::Invalid(_) | Items::Missing | Items::Bad { .. } => unreachable!(),
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
                    pair("filter[start_date]", "2024-01-07"),
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
            body: Some(json!({"data": [{"id": "1"}, {"id": "2"}]})),
        };
        assert_eq!(p.on_reply(&reply, &cfg()).unwrap().items.len(), 2);
        let second = p.next_request().unwrap();
        assert_eq!(second.query_pairs()[1].1, "2024-01-07");
        assert_eq!(second.query_pairs()[2].1, "2024-01-10");
        // The shared day brings "2" again: it is dropped, by both ways of reading a page.
        let again = Reply {
            body: Some(json!({"data": [{"id": "2"}, {"id": "3"}]})),
            ..reply
        };
        let mut raw_pager = p.clone();
        assert_eq!(
            p.on_reply(&again, &cfg()).unwrap().items,
            [json!({"id": "3"})]
        );
        assert!(p.next_request().is_none());
        assert_eq!((p.pages(), p.items()), (2, 3));
        let raw = scan(
            Paging::Cursor,
            again.body.as_ref().unwrap().to_string().into_bytes(),
        );
        let raw = raw_pager.take_raw(&again, raw.unwrap(), &cfg()).unwrap();
        assert_eq!(raw.items, Items::List(1));
        assert_eq!(raw.body, br#"{"data":[{"id":"3"}]}"#);
        assert_eq!(raw_pager.items(), 3);
    }

    fn page(next: Option<&str>, items: usize) -> Reply {
        let data: Vec<Value> = (0..items).map(|i| json!({"id": i.to_string()})).collect();
        Reply {
            operation: operation("users.list").unwrap(),
            status: 200,
            request_id: Some("rid".into()),
            rate_limit: None,
            body: Some(json!({"data": data, "links": {"next": next}})),
        }
    }

    /// Follows `links` (one per page) until the walk ends or fails; the error's message.
    fn walk(links: &[&str], items: usize) -> Result<u64, String> {
        let mut p = ApiRequest::new("users.list").unwrap().limit(2);
        p = p.query("x", "1");
        let mut pager = Pager::new(p);
        let mut links = links.iter();
        while pager.next_request().is_some() {
            let next = links.next().copied();
            pager
                .on_reply(&page(next, items), &cfg())
                .map_err(|e| e.to_string())?;
        }
        Ok(pager.pages())
    }

    #[test]
    fn any_repeated_link_ends_the_walk() {
        let (a, b, c) = (
            "/api/v2/users?n=a",
            "/api/v2/users?n=b",
            "/api/v2/users?n=c",
        );
        assert_eq!(walk(&[a, b, c], 1), Ok(4));
        for cycle in [
            vec![a, a],
            vec![a, b, a],
            vec![a, b, c, a],
            vec![a, b, c, b],
            // Back to the first page, absolute and relative.
            vec![a, "https://api.example/api/v2/users?limit=2&x=1"],
            vec!["/api/v2/users?limit=2&x=1"],
        ] {
            let e = walk(&cycle, 1).unwrap_err();
            assert!(e.contains("already followed"), "{cycle:?}: {e}");
        }
    }

    #[test]
    fn a_run_of_empty_pages_with_fresh_links_ends_the_walk() {
        let links: Vec<String> = (0..1000).map(|i| format!("/api/v2/users?n={i}")).collect();
        let links: Vec<&str> = links.iter().map(String::as_str).collect();
        let e = walk(&links, 0).unwrap_err();
        assert!(e.contains("empty pages in a row"), "{e}");
        // A few empty pages between full ones are fine.
        let mut pager = Pager::new(ApiRequest::new("users.list").unwrap());
        for i in 0..3 * MAX_EMPTY_PAGES {
            pager.next_request().unwrap();
            let items = usize::from(i % (MAX_EMPTY_PAGES - 1) == 0);
            let link = format!("/api/v2/users?n={i}");
            pager.on_reply(&page(Some(&link), items), &cfg()).unwrap();
        }
    }

    #[test]
    fn a_broken_list_answer_is_a_decode_error_not_an_empty_list() {
        let c = cfg();
        for body in [
            None,
            Some(json!({})),
            Some(Value::Null),
            Some(json!([])),
            Some(json!("hi")),
            Some(json!({"links": {"next": null}})),
            Some(json!({"data": "hi"})),
            Some(json!({"data": [1]})),
            Some(json!({"data": [{"id": "a"}, null]})),
            Some(json!({"data": [[]]})),
        ] {
            for status in [200, 204] {
                let mut pager = Pager::new(ApiRequest::new("users.list").unwrap());
                pager.next_request();
                let reply = Reply {
                    body: body.clone(),
                    status,
                    ..page(None, 0)
                };
                let e = pager.on_reply(&reply, &c).unwrap_err();
                assert_eq!(e.kind(), crate::ErrorKind::Decode, "{body:?}");
                assert_eq!(e.status(), Some(status));
                assert_eq!(e.request_id(), Some("rid"));
                // The same verdict without building the page (the Python path).
                let bytes = body.as_ref().map(Value::to_string).unwrap_or_default();
                let raw = scan(Paging::Cursor, bytes.into_bytes()).and_then(|page| {
                    let mut pager = Pager::new(ApiRequest::new("users.list").unwrap());
                    pager.next_request();
                    pager.take_raw(&reply, page, &c)
                });
                let e2 = raw.unwrap_err();
                assert_eq!(e2.kind(), crate::ErrorKind::Decode, "{body:?}");
                assert_eq!(
                    e2.to_string().split("; body").next(),
                    e.to_string().split("; body").next()
                );
            }
        }
        // Timestamps, in items and in what they include, by both paths.
        for (body, path) in [
            (
                json!({"data": [{"type": "u", "attributes": {"created-at": "soon"}}]}),
                "$.data[0].attributes.created-at",
            ),
            (
                json!({"data": [{}, {"type": "u", "attributes": {"createdAt": "2024-01-01T00:00:00+99:99"}}]}),
                "$.data[1].attributes.createdAt",
            ),
            (
                json!({"data": {"type": "u", "included": [7, {"attributes": {"due-date": "May"}}]}}),
                "$.data[0].included[1].attributes.due-date",
            ),
            (
                json!({"statements": [{"id": "s", "timestamp": "nope"}]}),
                "$.statements[0].timestamp",
            ),
        ] {
            let paging = if body.get("statements").is_some() {
                Paging::Xapi
            } else {
                Paging::Cursor
            };
            let e = read_page(paging, &body, &c, 200).unwrap_err();
            assert!(e.to_string().contains(&format!("`{path}`")), "{e}");
            let op = if paging == Paging::Xapi {
                "xapi.statements.list"
            } else {
                "users.list"
            };
            let reply = Reply {
                operation: operation(op).unwrap(),
                ..page(None, 0)
            };
            let mut pager = Pager::new(ApiRequest::new(op).unwrap());
            pager.next_request();
            let e = scan(paging, body.to_string().into_bytes())
                .and_then(|p| pager.take_raw(&reply, p, &c))
                .unwrap_err();
            assert!(e.to_string().contains(&format!("`{path}`")), "{e}");
        }
        // The sandbox's (and Degreed's) empty list, and an explicit null list, are empty.
        for body in [json!({"data": []}), json!({"data": null, "links": {}})] {
            let p = read_page(Paging::Cursor, &body, &c, 200).unwrap();
            assert!(p.items.is_empty() && p.next.is_none());
        }
        let e = read_page(Paging::Cursor, &json!({"data": [{"id": "a"}, 7]}), &c, 200).unwrap_err();
        assert!(e.to_string().contains("$.data[1]"), "{e}");
    }

    #[test]
    fn lookahead_follows_the_walk_rules() {
        let c = cfg();
        let mut pager = Pager::new(ApiRequest::new("users.list").unwrap().limit(2));
        // No request in flight: nothing to look ahead of.
        assert_eq!(pager.lookahead("/api/v2/users?n=b", &c), None);
        pager.next_request().unwrap();
        let ahead = pager.lookahead("/api/v2/users?n=b", &c).unwrap();
        // Another origin, the page in flight itself, a blank link: no request.
        assert_eq!(
            pager.lookahead("https://evil.example/api/v2/users?n=b", &c),
            None
        );
        assert_eq!(pager.lookahead("/api/v2/users?limit=2", &c), None);
        assert_eq!(pager.lookahead("  ", &c), None);
        // Looking ahead changes nothing: the walk then asks for the same request.
        pager
            .on_reply(&page(Some("/api/v2/users?n=b"), 2), &c)
            .unwrap();
        let next = pager.next_request().unwrap();
        assert_eq!(next, ahead);
        // A page the walk read already is not asked for again.
        assert_eq!(pager.lookahead("/api/v2/users?limit=2", &c), None);
        assert!(pager.lookahead("/api/v2/users?n=c", &c).is_some());
        // Windowed walks read their pages in order.
        let mut windowed = Pager::windowed(
            ApiRequest::new("completions.list").unwrap(),
            "2024-01-01".parse().unwrap(),
            "2024-03-01".parse().unwrap(),
        )
        .unwrap();
        windowed.next_request().unwrap();
        assert_eq!(windowed.lookahead("/api/v2/completions?n=b", &c), None);
    }
}
