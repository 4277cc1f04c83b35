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
    };
    let (items_key, next) = match paging {
        Paging::Xapi => ("statements", body.get("more")),
        _ => ("data", body.get("links").and_then(|l| l.get("next"))),
    };
    let next = match next {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => {
            let url = config
                .base_url()
                .join(s.trim())
                .map_err(|e| decode(&body, "$.links.next", &format!("not a URL: {e}")))?;
            if !config.is_api_origin(&url) {
                return Err(decode(
                    &body,
                    "$.links.next",
                    &format!(
                        "the next page is on another origin ({}); not following it with the token",
                        url.origin().ascii_serialization()
                    ),
                ));
            }
            Some(url)
        }
        Some(_) => return Err(decode(&body, "$.links.next", "expected a string")),
    };
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
        let page = take_page(op.paging, body, config, reply.status).map_err(|e| match e {
            Error::Decode {
                message,
                path,
                excerpt,
                status,
                ..
            } => Error::Decode {
                message,
                path,
                excerpt,
                status,
                request_id: reply.request_id.clone(),
            },
            other => other,
        })?;
        self.pages += 1;
        self.items += page.items.len() as u64;
        if let Some(url) = &page.next {
            if self.last_url.as_ref() == Some(url) {
                return Err(Error::Decode {
                    message: "the server sent the same next link twice; stopping to avoid a loop"
                        .into(),
                    path: "$.links.next".into(),
                    excerpt: url.to_string(),
                    status: reply.status,
                    request_id: reply.request_id.clone(),
                });
            }
            self.last_url = Some(url.clone());
            if op.paging != Paging::None {
                self.next = Some(ApiRequest::for_url(op, url.clone()));
            }
        }
        Ok(page)
    }

    /// Pages read so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Items read so far.
    pub fn items(&self) -> u64 {
        self.items
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
