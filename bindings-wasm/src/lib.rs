//! `degreed-wasm`: the core's state machines exposed to JavaScript through wasm-bindgen.
//!
//! This crate is the *native* half of the npm package `degreed`. The hand-written JS driver
//! (`js/`) only sends requests with `fetch`, sleeps with `setTimeout` and reads the clock;
//! everything else (token cache and refresh, retries, back-off, pacing, scope checks,
//! paging, date windows, error mapping, model normalization) is the core's, reached here.
//!
//! The boundary is deliberately narrow and string-typed: specs, steps, replies and errors
//! cross as JSON text (one `JSON.parse` on the JS side), response bodies as bytes. That keeps
//! the glue small and the wasm free of `serde-wasm-bindgen`'s per-type code.
//!
//! Errors cross as JSON text too: every fallible export throws a *string* holding
//! [`Error::to_json`] (camelCased), which the JS layer turns into a `DegreedError` subclass
//! before it reaches the caller, so callers never see a thrown string.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use degreed::catalog::{Body, Paging};
use degreed::models::{convert_key, is_time_field, normalize, KeyCase};
use degreed::spec::{incoming, pager_from_spec, request_from_spec, result_json, Outgoing};
use degreed::{
    Call, Config, Credentials, Error, Failure, Pager, Reply, RetryPolicy, ScopeSet, Session,
    SessionOptions, Settings, Step, Timestamp,
};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

/// An error as the JSON text the JS layer rebuilds into a `DegreedError` subclass.
fn throw(e: &Error) -> JsValue {
    JsValue::from_str(&camel_keys(e.to_json()).to_string())
}

/// A caller error raised by this crate (bad option, bad JSON from the JS layer).
fn invalid(message: impl Into<String>) -> JsValue {
    throw(&Error::invalid(message))
}

/// `snake_case` top-level keys → `camelCase` (`request_id` → `requestId`).
fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (convert_key(&k, KeyCase::Camel), v))
                .collect(),
        ),
        other => other,
    }
}

fn parse_json(text: &str, what: &str) -> Result<Value, JsValue> {
    serde_json::from_str(text).map_err(|e| invalid(format!("{what} is not valid JSON: {e}")))
}

fn now(ms: f64) -> Timestamp {
    if ms.is_finite() {
        Timestamp::from_unix_millis(ms as i64)
    } else {
        Timestamp::EPOCH
    }
}

// ---------------------------------------------------------------------------------------
// Client options
// ---------------------------------------------------------------------------------------

const OPTION_KEYS: &[&str] = &[
    "clientId",
    "clientSecret",
    "environment",
    "dataCenter",
    "baseUrl",
    "tokenUrl",
    "tenant",
    "scopes",
    "organizationCode",
    "timeoutMs",
    "maxRetries",
    "retry",
    "requestsPerMinute",
];

fn opt_str<'a>(o: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, JsValue> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        // Never echo the value: it may be the secret.
        Some(_) => Err(invalid(format!("the option `{key}` must be a string"))),
    }
}

fn opt_num(o: &Map<String, Value>, key: &str) -> Result<Option<f64>, JsValue> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_finite() && f >= 0.0 => Ok(Some(f)),
            _ => Err(invalid(format!(
                "the option `{key}` must be a non-negative number"
            ))),
        },
        Some(_) => Err(invalid(format!("the option `{key}` must be a number"))),
    }
}

fn opt_int(o: &Map<String, Value>, key: &str, max: u32) -> Result<Option<u32>, JsValue> {
    match opt_num(o, key)? {
        None => Ok(None),
        Some(f) if f.fract() == 0.0 && f <= f64::from(max) => Ok(Some(f as u32)),
        Some(_) => Err(invalid(format!(
            "the option `{key}` must be an integer between 0 and {max}"
        ))),
    }
}

fn millis(ms: f64, key: &str) -> Result<Duration, JsValue> {
    if ms <= 0.0 || ms > 1e10 {
        return Err(invalid(format!(
            "the option `{key}` must be a number of milliseconds greater than 0"
        )));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

fn parse_scopes(v: Option<&Value>) -> Result<Option<ScopeSet>, Error> {
    let set = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => ScopeSet::parse(s)?,
        Some(Value::Array(list)) => {
            let mut set = ScopeSet::new();
            for item in list {
                let s = item.as_str().ok_or_else(|| {
                    Error::invalid("`scopes` must be a list of strings like `users:read`")
                })?;
                for scope in ScopeSet::parse(s)?.iter() {
                    set.insert(scope.clone());
                }
            }
            set
        }
        Some(_) => {
            return Err(Error::invalid(
                "`scopes` must be a list of strings like `users:read`",
            ))
        }
    };
    Ok((!set.is_empty()).then_some(set))
}

fn build_session(o: &Map<String, Value>) -> Result<Session, JsValue> {
    if let Some(unknown) = o.keys().find(|k| !OPTION_KEYS.contains(&k.as_str())) {
        return Err(invalid(format!(
            "unknown client option `{unknown}` (expected one of: {}, fetch)",
            OPTION_KEYS.join(", ")
        )));
    }
    let credentials = Credentials::checked(
        opt_str(o, "clientId")?.ok_or_else(|| invalid("the option `clientId` is required"))?,
        opt_str(o, "clientSecret")?
            .ok_or_else(|| invalid("the option `clientSecret` is required"))?,
    )
    .map_err(|e| throw(&e))?;
    let timeout = opt_num(o, "timeoutMs")?
        .map(|ms| millis(ms, "timeoutMs"))
        .transpose()?;
    let config = Config::from_settings(&Settings {
        environment: opt_str(o, "environment")?,
        data_center: opt_str(o, "dataCenter")?,
        tenant: opt_str(o, "tenant")?,
        base_url: opt_str(o, "baseUrl")?,
        token_url: opt_str(o, "tokenUrl")?,
        organization_code: opt_str(o, "organizationCode")?,
        timeout,
    })
    .map_err(|e| throw(&e))?;
    let mut retry = RetryPolicy::default();
    if let Some(n) = opt_int(o, "maxRetries", 20)? {
        retry.max_retries = n;
    }
    match o.get("retry") {
        None | Some(Value::Null) => {}
        Some(Value::Object(r)) => {
            const RETRY_KEYS: &[&str] = &["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"];
            if let Some(k) = r.keys().find(|k| !RETRY_KEYS.contains(&k.as_str())) {
                return Err(invalid(format!(
                    "unknown retry option `{k}` (expected one of: {})",
                    RETRY_KEYS.join(", ")
                )));
            }
            if let Some(ms) = opt_num(r, "baseDelayMs")? {
                retry.base_delay = millis(ms, "retry.baseDelayMs")?;
            }
            if let Some(ms) = opt_num(r, "maxDelayMs")? {
                retry.max_delay = millis(ms, "retry.maxDelayMs")?;
            }
            if let Some(ms) = opt_num(r, "maxRetryAfterMs")? {
                retry.max_retry_after = millis(ms, "retry.maxRetryAfterMs")?;
            }
        }
        Some(_) => return Err(invalid("the option `retry` must be an object")),
    }
    let scopes = parse_scopes(o.get("scopes")).map_err(|e| throw(&e))?;
    let requests_per_minute = match opt_int(o, "requestsPerMinute", 1_000_000)? {
        Some(0) => None,
        other => other,
    };
    Ok(Session::new(
        config,
        credentials,
        SessionOptions {
            scopes,
            retry,
            requests_per_minute,
        },
    ))
}

// ---------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------

/// The millisecond timestamp of a normalized time value (`null` for "never").
fn time_value(v: &Value) -> Option<Value> {
    match v {
        Value::Null => Some(Value::Null),
        Value::String(s) => Timestamp::parse(s)
            .ok()
            .map(|t| Value::from(t.unix_millis() as f64)),
        _ => None,
    }
}

/// One item as the JS layer builds it into a model:
/// `{"fields": {id, type, ...attributes, relationships, links}, "time": {"createdAt": ms},
///   "raw": <the item as sent>, "included": [<models>]}` (`included` only for JSON:API items).
///
/// `fields` are flat and camelCase; `time` lists the fields the JS layer turns into `Date`
/// objects (`null` for Degreed's "no date"). Items without `attributes` (xAPI statements)
/// keep their keys as sent.
fn model(normalized: &Value, raw: &Value) -> Value {
    let mut fields = Map::new();
    let mut time = Map::new();
    let mut included = None;
    // A JSON:API resource has attributes, relationships or a `type`; an xAPI statement has
    // none of them (its kind is in `actor.objectType`).
    let json_api = raw.as_object().is_some_and(|o| {
        o.contains_key("attributes")
            || o.contains_key("relationships")
            || o.get("type").is_some_and(Value::is_string)
    });
    match (normalized, raw) {
        (Value::Object(n), Value::Object(_)) if json_api => {
            fields.insert("id".into(), n.get("id").cloned().unwrap_or(Value::Null));
            fields.insert("type".into(), n.get("type").cloned().unwrap_or(Value::Null));
            let times: Vec<&str> = n
                .get("time_fields")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(attrs)) = n.get("attributes") {
                for (k, v) in attrs {
                    if matches!(k.as_str(), "id" | "type" | "relationships" | "links") {
                        continue; // the envelope's own keys win; the raw item keeps both
                    }
                    if times.contains(&k.as_str()) {
                        if let Some(ms) = time_value(v) {
                            time.insert(k.clone(), ms);
                        }
                    }
                    fields.insert(k.clone(), v.clone());
                }
            }
            fields.insert(
                "relationships".into(),
                n.get("relationships").cloned().unwrap_or_else(|| json!({})),
            );
            fields.insert(
                "links".into(),
                n.get("links").cloned().unwrap_or(Value::Null),
            );
            let raw_included: Vec<Value> = match raw.get("included") {
                Some(Value::Array(l)) => l.clone(),
                Some(one @ Value::Object(_)) => vec![one.clone()],
                _ => Vec::new(),
            };
            if let Some(Value::Array(norm_included)) = n.get("included") {
                included = Some(
                    norm_included
                        .iter()
                        .zip(raw_included.iter())
                        .map(|(n, r)| model(n, r))
                        .collect::<Vec<_>>(),
                );
            }
        }
        (_, Value::Object(o)) => {
            // Not a JSON:API resource (an xAPI statement): keys as sent, times as dates.
            for (k, v) in o {
                if is_time_field(&degreed::request::kebab_case(k)) {
                    if let Value::String(s) = v {
                        if let Ok(t) = Timestamp::parse(s) {
                            time.insert(k.clone(), Value::from(t.unix_millis() as f64));
                        }
                    }
                }
                fields.insert(k.clone(), v.clone());
            }
        }
        _ => return json!({ "value": raw }),
    }
    let mut out = json!({ "fields": fields, "time": time, "raw": raw });
    if json_api {
        out["included"] = Value::Array(included.unwrap_or_default());
    }
    out
}

/// Models for `data` (an item or a list) of a reply.
fn models_of(normalized: &Value, raw: &Value) -> Value {
    match (normalized, raw) {
        (Value::Array(n), Value::Array(r)) => {
            Value::Array(n.iter().zip(r).map(|(n, r)| model(n, r)).collect())
        }
        (n @ Value::Object(_), r @ Value::Object(_)) => model(n, r),
        (_, other) => json!({ "value": other }),
    }
}

/// A successful reply for the JS layer: `{status, requestId, data, links, raw}` with `data`
/// as model descriptions ([`model`]). A single-resource read without a `data` object is a
/// decode error ([`result_json`]).
fn reply_for_js(reply: &Reply) -> Result<Value, Error> {
    let mut out = camel_keys(result_json(reply, KeyCase::Camel)?);
    let raw_data = reply.data().cloned().unwrap_or(Value::Null);
    if let Value::Object(m) = &mut out {
        let data = m.remove("data").unwrap_or(Value::Null);
        m.insert(
            "data".into(),
            if raw_data.is_null() {
                Value::Null
            } else {
                models_of(&data, &raw_data)
            },
        );
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Session, Call, Pager
// ---------------------------------------------------------------------------------------

/// What all calls of one `Client` share: configuration, credentials, token, pacer, counters.
/// The secret lives only here, inside wasm memory.
#[wasm_bindgen]
pub struct NativeSession {
    inner: Rc<RefCell<Session>>,
}

#[wasm_bindgen]
impl NativeSession {
    /// Builds a session from the client options as JSON text (without `fetch`).
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<NativeSession, JsValue> {
        let options = parse_json(options_json, "the client options")?;
        let Value::Object(o) = options else {
            return Err(invalid("the client options must be an object"));
        };
        Ok(NativeSession {
            inner: Rc::new(RefCell::new(build_session(&o)?)),
        })
    }

    /// Starts a call for a request spec (JSON text, see `degreed::spec::request_from_spec`).
    /// Caller errors are thrown here, before anything is sent.
    pub fn call(&self, spec_json: &str) -> Result<NativeCall, JsValue> {
        let spec = parse_json(spec_json, "the request spec")?;
        let request = request_from_spec(&spec).map_err(|e| throw(&e))?;
        let call = self
            .inner
            .borrow_mut()
            .call(&request)
            .map_err(|e| throw(&e))?;
        Ok(NativeCall::new(self.inner.clone(), call))
    }

    /// A pager for a list spec (with an optional `window: {start, end, today}`, read by the
    /// core's rules in `degreed::spec::pager_from_spec`). The first request
    /// is checked here, so caller errors are thrown before anything is sent.
    pub fn pager(&self, spec_json: &str) -> Result<NativePager, JsValue> {
        let spec = parse_json(spec_json, "the request spec")?;
        let mut pager = pager_from_spec(&spec).map_err(|e| throw(&e))?;
        let first = match pager.next_request() {
            Some(req) => Some(self.inner.borrow_mut().call(&req).map_err(|e| throw(&e))?),
            None => None,
        };
        Ok(NativePager {
            session: self.inner.clone(),
            pager,
            first,
        })
    }

    /// Counters: `{requests, retries, rateLimited, tokenRequests}` as JSON text.
    pub fn stats(&self) -> String {
        let s = self.inner.borrow().stats();
        json!({
            "requests": s.requests,
            "retries": s.retries,
            "rateLimited": s.rate_limited,
            "tokenRequests": s.token_requests,
        })
        .to_string()
    }

    /// A redacted description for `toJSON`/`inspect` (no secret, no token) as JSON text.
    pub fn describe(&self) -> String {
        let s = self.inner.borrow();
        let c = s.config();
        json!({
            "clientId": s.client_id(),
            "clientSecret": "[redacted]",
            "tokenUrl": c.token_url().as_str(),
            "baseUrl": c.base_url().as_str(),
            "organizationCode": c.organization_code(),
            "scopes": s.scopes().map(|set| set.iter().map(ToString::to_string).collect::<Vec<_>>()),
            "timeoutMs": c.timeout().as_secs_f64() * 1000.0,
            "hasToken": s.token().is_some(),
        })
        .to_string()
    }

    /// The per-request timeout in milliseconds.
    #[wasm_bindgen(js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.inner.borrow().config().timeout().as_secs_f64() * 1000.0
    }

    /// Forgets the cached token; the next call fetches a new one.
    #[wasm_bindgen(js_name = clearToken)]
    pub fn clear_token(&self) {
        self.inner.borrow_mut().clear_token();
    }
}

/// One API call, driven by the JS loop: `poll` → send/wait/done, `receive`/`fail`.
#[wasm_bindgen]
pub struct NativeCall {
    session: Rc<RefCell<Session>>,
    call: Call,
    result: Option<Result<Reply, Error>>,
}

impl NativeCall {
    fn new(session: Rc<RefCell<Session>>, call: Call) -> Self {
        NativeCall {
            session,
            call,
            result: None,
        }
    }

    fn take_reply(&mut self) -> Result<Reply, Error> {
        self.result
            .take()
            .unwrap_or_else(|| Err(Error::invalid("the call has not finished")))
    }
}

#[wasm_bindgen]
impl NativeCall {
    /// The operation's dotted name.
    pub fn operation(&self) -> String {
        self.call.operation().name.to_owned()
    }

    /// The next step as JSON text:
    /// `{"t":"send","method","url","headers":[[k,v]],"body":string|null}`,
    /// `{"t":"wait","ms":n}` or `{"t":"done","ok":bool}` (then read `result()`).
    pub fn poll(&mut self, now_ms: f64, random: f64) -> String {
        if self.result.is_some() {
            return json!({"t": "done"}).to_string();
        }
        let step = self
            .call
            .poll(&mut self.session.borrow_mut(), now(now_ms), random);
        match step {
            Step::Send(req) => {
                let out = Outgoing::from(req);
                let body =
                    (!out.body.is_empty()).then(|| String::from_utf8_lossy(&out.body).into_owned());
                json!({
                    "t": "send",
                    "method": out.method,
                    "url": out.url,
                    "headers": out.headers,
                    "body": body,
                })
                .to_string()
            }
            Step::Wait(d) => json!({"t": "wait", "ms": d.as_secs_f64() * 1000.0}).to_string(),
            Step::Done(result) => {
                self.result = Some(result);
                json!({"t": "done"}).to_string()
            }
        }
    }

    /// Reports the response to the last `send` step. `headers_json` is `[[name, value], ...]`.
    pub fn receive(&mut self, status: u16, headers_json: &str, body: Vec<u8>, now_ms: f64) {
        let headers: Vec<(String, String)> = serde_json::from_str(headers_json).unwrap_or_default();
        let response = incoming(status, &headers, body);
        self.call
            .receive(&mut self.session.borrow_mut(), response, now(now_ms));
    }

    /// Reports that the last `send` got no response. `maybe_sent` is false only when the
    /// request cannot have reached the server (connection refused, DNS failure).
    pub fn fail(&mut self, maybe_sent: bool, message: &str, now_ms: f64) {
        let failure = if maybe_sent {
            Failure::MaybeSent
        } else {
            Failure::NotSent
        };
        self.call.fail(
            &mut self.session.borrow_mut(),
            failure,
            message,
            now(now_ms),
        );
    }

    /// Abandons the call (the caller aborted): releases a token request it was making,
    /// without counting a retry.
    pub fn cancel(&mut self, reason: &str) {
        self.call.cancel(&mut self.session.borrow_mut(), reason);
    }

    /// The events queued since the last time (`degreed::event`) as a JSON array with
    /// camelCase keys and durations in milliseconds, or an empty string when there are none.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> String {
        let events = self.call.take_events();
        if events.is_empty() {
            return String::new();
        }
        let list: Vec<Value> = events.iter().map(|e| e.to_json(KeyCase::Camel)).collect();
        Value::Array(list).to_string()
    }

    /// The finished call's reply as JSON text (`{status, requestId, data, links, raw}`), or
    /// throws its error.
    pub fn result(&mut self) -> Result<String, JsValue> {
        let reply = self.take_reply().map_err(|e| throw(&e))?;
        Ok(reply_for_js(&reply).map_err(|e| throw(&e))?.to_string())
    }
}

/// Walks the pages (and date windows) of a list operation.
#[wasm_bindgen]
pub struct NativePager {
    session: Rc<RefCell<Session>>,
    pager: Pager,
    first: Option<Call>,
}

#[wasm_bindgen]
impl NativePager {
    /// The call for the next page, or `undefined` when the walk is over.
    #[wasm_bindgen(js_name = nextCall)]
    pub fn next_call(&mut self) -> Result<Option<NativeCall>, JsValue> {
        if let Some(call) = self.first.take() {
            return Ok(Some(NativeCall::new(self.session.clone(), call)));
        }
        let Some(req) = self.pager.next_request() else {
            return Ok(None);
        };
        let call = self
            .session
            .borrow_mut()
            .call(&req)
            .map_err(|e| throw(&e))?;
        Ok(Some(NativeCall::new(self.session.clone(), call)))
    }

    /// Reads the finished page call: `{"items": [models], "status", "requestId", "raw"}` as
    /// JSON text, or throws the call's error. `raw` is the page's body as sent.
    ///
    /// The reply is consumed: its items are moved out ([`Pager::take_reply`]), normalized once,
    /// and moved back into `raw`, so a page is never deep-copied on the way (only each item
    /// once more into its model's `raw`).
    pub fn page(&mut self, call: &mut NativeCall) -> Result<String, JsValue> {
        let reply = call.take_reply().map_err(|e| throw(&e))?;
        let status = reply.status;
        let request_id = reply.request_id.clone();
        let body = BodyRest::of(&reply);
        let page = {
            let session = self.session.borrow();
            self.pager
                .take_reply(reply, session.config())
                .map_err(|e| throw(&e))?
        };
        let normalized: Vec<Value> = page
            .items
            .iter()
            .map(|item| normalize(item, KeyCase::Camel))
            .collect();
        let raw_items = Value::Array(page.items);
        let items = models_of(&Value::Array(normalized), &raw_items);
        Ok(json!({
            "items": items,
            "status": status,
            "requestId": request_id,
            "raw": body.restore(raw_items),
        })
        .to_string())
    }
}

/// A page body without its items (`data`, or xAPI `statements`), kept while the items are
/// moved through [`Pager::take_reply`] so the body as sent can be rebuilt without copying them.
enum BodyRest {
    /// No body.
    None,
    /// A body that is not an object (it has no items): kept whole.
    Other(Value),
    /// An object body: its other keys, and the items' key with the form they were sent in.
    Object {
        rest: Map<String, Value>,
        key: &'static str,
        items: Option<ItemsForm>,
    },
}

/// How a page body held its items.
enum ItemsForm {
    /// `[...]`.
    List,
    /// A single object where a list was expected (read as one item).
    One,
    /// `null` (no items; anything else is refused by the core).
    Null,
}

impl BodyRest {
    fn of(reply: &Reply) -> Self {
        let key = match reply.operation.paging {
            Paging::Xapi => "statements",
            _ => "data",
        };
        match &reply.body {
            None => BodyRest::None,
            Some(Value::Object(m)) => BodyRest::Object {
                rest: m
                    .iter()
                    .filter(|(k, _)| k.as_str() != key)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                key,
                items: m.get(key).map(|v| match v {
                    Value::Array(_) => ItemsForm::List,
                    Value::Object(_) => ItemsForm::One,
                    _ => ItemsForm::Null,
                }),
            },
            Some(other) => BodyRest::Other(other.clone()),
        }
    }

    /// The body as sent, with `items` (the page's raw items) put back in place.
    fn restore(self, items: Value) -> Value {
        match self {
            BodyRest::None => Value::Null,
            BodyRest::Other(v) => v,
            BodyRest::Object {
                mut rest,
                key,
                items: form,
            } => {
                let value = match (form, items) {
                    (None, _) => None,
                    (Some(ItemsForm::List), items) => Some(items),
                    (Some(ItemsForm::One), Value::Array(mut list)) if list.len() == 1 => list.pop(),
                    (Some(ItemsForm::One), items) => Some(items),
                    (Some(ItemsForm::Null), _) => Some(Value::Null),
                };
                if let Some(v) = value {
                    rest.insert(key.to_owned(), v);
                }
                Value::Object(rest)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Free functions
// ---------------------------------------------------------------------------------------

/// The operation catalogue as JSON text: `[{name, method, path, scope, paging, body,
/// pathParams, tenantHeader, windowed}]`.
#[wasm_bindgen]
pub fn catalog() -> String {
    let ops: Vec<Value> = degreed::operations()
        .map(|op| {
            json!({
                "name": op.name,
                "method": op.method.as_str(),
                "path": op.path,
                "scope": op.scope().to_string(),
                "paging": match op.paging {
                    Paging::None => "none",
                    Paging::Cursor => "cursor",
                    Paging::Xapi => "xapi",
                },
                "body": match op.body {
                    Body::None => "none",
                    Body::Resource(_) => "resource",
                    Body::Relationships(_) => "relationships",
                    Body::Raw => "raw",
                },
                "pathParams": op.path_params().collect::<Vec<_>>(),
                "tenantHeader": op.tenant_header,
                "windowed": op.windowed,
            })
        })
        .collect();
    Value::Array(ops).to_string()
}

/// The smallest scope list that allows every named operation, as JSON text (sorted).
#[wasm_bindgen(js_name = minimalScopes)]
pub fn minimal_scopes(operations_json: &str) -> Result<String, JsValue> {
    let names: Vec<String> = serde_json::from_str(operations_json)
        .map_err(|_| invalid("minimalScopes() takes a list of operation names"))?;
    let set = degreed::minimal_scopes(&names).map_err(|e| throw(&e))?;
    Ok(Value::from(set.iter().map(ToString::to_string).collect::<Vec<_>>()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_flatten_and_keep_raw() {
        let raw = json!({"id": 7, "type": "users", "attributes": {"employee-id": "E1",
            "created-at": "2022-03-16T10:15:29.5034801", "last-login-at": "0001-01-01T00:00:00"},
            "relationships": [{"manager": {"data": {"id": "m", "type": "users"}}}],
            "included": [{"id": "c", "type": "content", "attributes": {"title": "T"}}]});
        let n = degreed::models::normalize(&raw, KeyCase::Camel);
        let m = model(&n, &raw);
        assert_eq!(m["fields"]["id"], "7");
        assert_eq!(m["fields"]["employeeId"], "E1");
        assert_eq!(m["fields"]["relationships"]["manager"]["id"], "m");
        assert_eq!(m["time"]["createdAt"], 1647425729503.0);
        assert_eq!(m["time"]["lastLoginAt"], Value::Null);
        assert_eq!(m["raw"], raw);
        assert_eq!(m["included"][0]["fields"]["title"], "T");
        let stmt = json!({"id": "s1", "actor": {"mbox": "mailto:a@b"}, "timestamp": "2024-01-02T03:04:05Z"});
        let m = model(&degreed::models::normalize(&stmt, KeyCase::Camel), &stmt);
        assert_eq!(m["fields"]["actor"]["mbox"], "mailto:a@b");
        assert_eq!(m["time"]["timestamp"], 1704164645000.0);
        assert!(m.get("included").is_none());
        let skill = json!({"type": "skills", "id": "Python"});
        let m = model(&degreed::models::normalize(&skill, KeyCase::Camel), &skill);
        assert_eq!(m["fields"]["id"], "Python");
        assert_eq!(m["fields"]["relationships"], json!({}));
        assert_eq!(m["included"], json!([]));
    }

    #[test]
    fn reads_without_a_resource_are_decode_errors() {
        let reply = |name: &str, status, body| Reply {
            operation: degreed::operation(name).unwrap(),
            status,
            request_id: None,
            rate_limit: None,
            body,
        };
        let e = reply_for_js(&reply("users.get", 200, Some(json!({"links": {}})))).unwrap_err();
        assert_eq!(e.kind(), degreed::ErrorKind::Decode);
        let ok = reply_for_js(&reply(
            "users.get",
            200,
            Some(json!({"data": {"id": "u1", "type": "users"}})),
        ))
        .unwrap();
        assert_eq!(ok["data"]["fields"]["id"], "u1");
        let write = reply_for_js(&reply("users.update", 204, None)).unwrap();
        assert_eq!(write["data"], Value::Null);
    }

    #[test]
    fn page_bodies_are_rebuilt_as_sent() {
        let config = Config::custom("https://auth.example", "https://api.example").unwrap();
        let cases = [
            (
                "users.list",
                Some(
                    json!({"data": [{"id": "a", "type": "users"}, {"id": "b", "type": "users"}],
                "links": {"next": "https://api.example/api/v2/users?next=x", "self": "s"}, "meta": {"n": 2}}),
                ),
            ),
            (
                "users.list",
                Some(json!({"data": {"id": "a", "type": "users"}, "links": {}})),
            ),
            ("users.list", Some(json!({"data": null}))),
            ("users.list", Some(json!({"links": {"next": null}}))),
            ("users.list", Some(json!([1, 2]))),
            ("users.list", None),
            (
                "xapi.statements.list",
                Some(json!({"statements": [{"id": "s1"}], "more": "", "data": 1})),
            ),
        ];
        for (op, body) in cases {
            let reply = Reply {
                operation: degreed::operation(op).unwrap(),
                status: 200,
                request_id: None,
                rate_limit: None,
                body: body.clone(),
            };
            let rest = BodyRest::of(&reply);
            let mut pager = Pager::new(degreed::ApiRequest::new(op).unwrap());
            pager.next_request();
            let page = pager.take_reply(reply, &config).unwrap();
            let raw = rest.restore(Value::Array(page.items));
            assert_eq!(raw, body.unwrap_or(Value::Null), "{op}");
        }
    }

    #[test]
    fn scopes_accept_lists_and_strings() {
        let s = parse_scopes(Some(&json!([
            "users:read",
            "completions:write users:write"
        ])))
        .unwrap()
        .unwrap();
        assert_eq!(s.to_wire(), "completions:write,users:write");
        assert!(parse_scopes(Some(&json!([]))).unwrap().is_none());
        assert!(parse_scopes(Some(&json!([1]))).is_err());
    }
}
