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

use degreed::models::{attribute_rule, convert_key, read_time, KeyCase};
use degreed::paging::Items;
use degreed::spec::{
    header_pairs, incoming, pager_from_spec, raw_result_json, request_from_spec, Outgoing,
};
use degreed::wire::json_text;
use degreed::{Call, Error, Failure, Pager, Reply, Session, Step, Timestamp};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

/// An error as the JSON text the JS layer rebuilds into a `DegreedError` subclass.
fn throw(e: &Error) -> JsValue {
    JsValue::from_str(&json_text(&camel_keys(e.to_json())))
}

/// A caller error raised by this crate (bad option, bad JSON from the JS layer).
fn invalid(message: impl Into<String>) -> JsValue {
    throw(&Error::invalid(message))
}

/// `snake_case` top-level keys → `camelCase` (`request_id` → `requestId`).
fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            // One by one, not `collect` (which sorts and bulk-builds: more code in the wasm).
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(convert_key(&k, KeyCase::Camel), v);
            }
            Value::Object(out)
        }
        other => other,
    }
}

// `from_slice` everywhere, as the core does for bodies: `from_str` would compile a second
// copy of the JSON parser into the wasm.
fn parse_json(text: &str, what: &str) -> Result<Value, JsValue> {
    serde_json::from_slice(text.as_bytes())
        .map_err(|e| invalid(format!("{what} is not valid JSON: {e}")))
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

fn millis(ms: f64, key: &str) -> Result<Duration, JsValue> {
    if ms <= 0.0 || ms > 1e10 {
        return Err(invalid(format!(
            "the option `{key}` must be a number of milliseconds greater than 0"
        )));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

/// A session from the client options (without `fetch`), read by the core's one description
/// of them (`degreed::config::SESSION_OPTIONS`: camelCase names, milliseconds).
fn build_session(o: &Map<String, Value>) -> Result<Session, JsValue> {
    degreed::config::session_parts(o, KeyCase::Camel)
        .map(|(config, credentials, options)| Session::new(config, credentials, options))
        .map_err(|e| throw(&e))
}

// ---------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------

/// A successful reply for the JS layer: `{status, requestId, data, links, raw}` with `data`
/// the raw item (or items) as sent; the JS layer builds its models from them by the core's
/// rules ([`attribute_key`], [`is_time_attribute`], [`timestamp_ms`]), as it does for pages.
/// A single-resource read without a `data` object is a decode error ([`raw_result_json`]:
/// `result_json` without the normalizer, which is then not in the wasm).
fn reply_for_js(reply: &Reply) -> Result<Value, Error> {
    Ok(camel_keys(raw_result_json(reply, KeyCase::Camel)?))
}

// ---------------------------------------------------------------------------------------
// Session, Call, Pager
// ---------------------------------------------------------------------------------------

/// What all calls of one `Client` share: configuration, credentials, token, pacer, counters.
/// The secret lives only here, inside wasm memory.
#[wasm_bindgen]
pub struct NativeSession {
    /// Replaced by [`NativeSession::rebuild`] after a trap left the session borrowed.
    inner: RefCell<Rc<RefCell<Session>>>,
    /// The options it was built from, to build it again.
    options: Map<String, Value>,
}

impl NativeSession {
    /// The current session (never held across a call into the core: a trap must not leave
    /// this cell borrowed).
    fn session(&self) -> Rc<RefCell<Session>> {
        self.inner.borrow().clone()
    }
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
            inner: RefCell::new(Rc::new(RefCell::new(build_session(&o)?))),
            options: o,
        })
    }

    /// Starts a call for a request spec (JSON text, see `degreed::spec::request_from_spec`).
    /// Caller errors are thrown here, before anything is sent.
    pub fn call(&self, spec_json: &str) -> Result<NativeCall, JsValue> {
        let spec = parse_json(spec_json, "the request spec")?;
        let request = request_from_spec(&spec).map_err(|e| throw(&e))?;
        let session = self.session();
        let call = session.borrow_mut().call(&request).map_err(|e| throw(&e))?;
        Ok(NativeCall::new(session, call))
    }

    /// A pager for a list spec (with an optional `window: {start, end, today}`, read by the
    /// core's rules in `degreed::spec::pager_from_spec`), or, with `resume`, one that
    /// continues the walk that cursor came from (`degreed::Pager::resume`; the spec is still
    /// checked). The first request is checked here, so caller errors are thrown before
    /// anything is sent.
    pub fn pager(&self, spec_json: &str, resume: Option<String>) -> Result<NativePager, JsValue> {
        let spec = parse_json(spec_json, "the request spec")?;
        let fresh = pager_from_spec(&spec).map_err(|e| throw(&e))?;
        let session = self.session();
        let (mut pager, unread) = match resume {
            None => (fresh, Vec::new()),
            Some(cursor) => {
                let name = spec.get("operation").and_then(Value::as_str).unwrap_or("");
                let op = degreed::operation(name)
                    .ok_or_else(|| invalid(format!("unknown operation `{name}`")))?;
                let config = session.borrow().config().clone();
                Pager::resume(op, &cursor, &config).map_err(|e| throw(&e))?
            }
        };
        let first = match pager.next_request() {
            Some(req) => Some(session.borrow_mut().call(&req).map_err(|e| throw(&e))?),
            None => None,
        };
        Ok(NativePager {
            session,
            pager,
            first,
            unread,
        })
    }

    /// Counters: `{requests, retries, rateLimited, tokenRequests}` as JSON text.
    pub fn stats(&self) -> String {
        let stats = self.session().borrow().stats();
        json_text(&stats.to_json(KeyCase::Camel))
    }

    /// A redacted description for `toJSON`/`inspect` (no secret, no token) as JSON text.
    pub fn describe(&self) -> String {
        let session = self.session();
        let s = session.borrow();
        let c = s.config();
        json_text(&json!({
            "clientId": s.client_id(),
            "clientSecret": "[redacted]",
            "tokenUrl": c.token_url().as_str(),
            "baseUrl": c.base_url().as_str(),
            "organizationCode": c.organization_code(),
            "scopes": s.scopes().map(|set| set.iter().map(ToString::to_string).collect::<Vec<_>>()),
            "timeoutMs": c.timeout().as_secs_f64() * 1000.0,
            "hasToken": s.token().is_some(),
        }))
    }

    /// The default time budget of a call in milliseconds.
    #[wasm_bindgen(js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.session().borrow().config().timeout().as_secs_f64() * 1000.0
    }

    /// Forgets the cached token; the next call fetches a new one.
    #[wasm_bindgen(js_name = clearToken)]
    pub fn clear_token(&self) {
        self.session().borrow_mut().clear_token();
    }

    /// After a wasm trap (a Rust panic aborts, so nothing unwinds): a trap inside a call
    /// leaves the session mutably borrowed for good, and every later call would trap on it.
    /// Builds a new session from the options when the current one is stuck (its token and
    /// counters are lost: the next call fetches a token); does nothing otherwise. Calls and
    /// pagers made before keep the old session and fail.
    pub fn rebuild(&self) -> Result<(), JsValue> {
        if self.session().try_borrow_mut().is_err() {
            let fresh = build_session(&self.options)?;
            *self.inner.borrow_mut() = Rc::new(RefCell::new(fresh));
        }
        Ok(())
    }
}

/// One API call, driven by the JS loop: `poll` → send/wait/done, `receive`/`fail`.
#[wasm_bindgen]
pub struct NativeCall {
    session: Rc<RefCell<Session>>,
    call: Call,
    result: Option<Result<Reply, Error>>,
    /// For a page the JS layer may parse itself: where the items and next link are
    /// (`"data links.next"`), from [`degreed::paging::layout`].
    layout: Option<String>,
}

impl NativeCall {
    fn new(session: Rc<RefCell<Session>>, call: Call) -> Self {
        NativeCall {
            session,
            call,
            result: None,
            layout: None,
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
    /// Test hook, not API: traps the way a Rust panic does in a release build (panic =
    /// abort: `unreachable`), in the middle of a step, with this call and its session
    /// borrowed (bindings-wasm/test/wasm-trap.test.mjs). A double borrow is the panic: no
    /// code or message is added to the module for it.
    #[wasm_bindgen(js_name = __trapForTests)]
    pub fn trap_for_tests(&mut self) {
        let _held = self.session.borrow_mut();
        let _again = self.session.borrow_mut();
    }

    /// The operation's dotted name.
    pub fn operation(&self) -> String {
        self.call.operation().name.to_owned()
    }

    /// Replaces the call's time budget (milliseconds, from its first poll): the deadline
    /// covers every attempt and wait.
    #[wasm_bindgen(js_name = setTimeoutMs)]
    pub fn set_timeout_ms(&mut self, ms: f64) -> Result<(), JsValue> {
        self.call
            .set_timeout(millis(ms, "timeoutMs")?)
            .map_err(|e| throw(&e))
    }

    /// The next step as JSON text:
    /// `{"t":"send","method","url","headers":[[k,v]],"body":string|null,"timeoutMs",
    /// "maxBodyBytes"}` (send within `timeoutMs`, the time the call has left, reading at
    /// most `maxBodyBytes`),
    /// `{"t":"wait","ms":n}` or `{"t":"done","ok":bool}` (then read `result()`).
    pub fn poll(&mut self, now_ms: f64, random: f64) -> String {
        if self.result.is_some() {
            return json_text(&json!({"t": "done"}));
        }
        let step = self
            .call
            .poll(&mut self.session.borrow_mut(), now(now_ms), random);
        match step {
            Step::Send(req) => {
                let out = Outgoing::from(req);
                let body =
                    (!out.body.is_empty()).then(|| String::from_utf8_lossy(&out.body).into_owned());
                json_text(&json!({
                    "t": "send",
                    "method": out.method,
                    "url": out.url,
                    "headers": out.headers,
                    "body": body,
                    "timeoutMs": self.call.send_timeout().as_secs_f64() * 1000.0,
                    "maxBodyBytes": self.session.borrow().max_body_bytes(),
                }))
            }
            Step::Wait(d) => json_text(&json!({"t": "wait", "ms": d.as_secs_f64() * 1000.0})),
            Step::Done(result) => {
                self.result = Some(result);
                json_text(&json!({"t": "done"}))
            }
        }
    }

    /// Reports the response to the last `send` step. `headers_json` is `[[name, value], ...]`.
    pub fn receive(&mut self, status: u16, headers_json: &str, body: Vec<u8>, now_ms: f64) {
        let headers = header_pairs(headers_json.as_bytes());
        let response = incoming(status, &headers, body);
        self.call
            .receive(&mut self.session.borrow_mut(), response, now(now_ms));
    }

    /// For a page call whose body the JS layer may parse itself: `"<items key> <next link
    /// path>"` (`"data links.next"`, xAPI `"statements more"`); `undefined` otherwise (then
    /// the whole answer goes to `receive`).
    #[wasm_bindgen(js_name = pageLayout)]
    pub fn page_layout(&self) -> Option<String> {
        self.layout.clone()
    }

    /// Reports a success answer to a page call (see `pageLayout`) whose body the JS layer
    /// parsed and found in the ordinary shape: `items` objects in an array at the items key,
    /// the next link `next` (`undefined` when absent or null). The body does not cross into
    /// wasm (`degreed::Call::receive_page`). Returns false, changing nothing, when the call
    /// takes no such answer: then the JS layer calls `receive` with the body.
    #[wasm_bindgen(js_name = receivePage)]
    pub fn receive_page(
        &mut self,
        status: u16,
        headers_json: &str,
        items: u32,
        next: Option<String>,
        now_ms: f64,
    ) -> bool {
        if self.layout.is_none() {
            return false;
        }
        let headers = header_pairs(headers_json.as_bytes());
        self.call.receive_page(
            &mut self.session.borrow_mut(),
            incoming(status, &headers, Vec::new()),
            items as usize,
            next,
            now(now_ms),
        )
    }

    /// Whether `other` sends the same request (`degreed::Call::same_request`): a page asked
    /// for ahead (`NativePager.ahead`) is kept when the walk's next call is the same.
    #[wasm_bindgen(js_name = sameRequest)]
    pub fn same_request(&self, other: &NativeCall) -> bool {
        self.call.same_request(&other.call)
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

    /// Reports that the response to the last `send` step had a body longer than its
    /// `maxBodyBytes` (the reader stopped): the call ends with a `DecodeError`.
    #[wasm_bindgen(js_name = tooLarge)]
    pub fn too_large(&mut self, status: u16, now_ms: f64) {
        self.call
            .too_large(&mut self.session.borrow_mut(), status, now(now_ms));
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
        json_text(&Value::Array(list))
    }

    /// The finished call's reply as JSON text (`{status, requestId, data, links, raw}`), or
    /// throws its error.
    pub fn result(&mut self) -> Result<String, JsValue> {
        let reply = self.take_reply().map_err(|e| throw(&e))?;
        Ok(json_text(&reply_for_js(&reply).map_err(|e| throw(&e))?))
    }
}

/// Walks the pages (and date windows) of a list operation.
#[wasm_bindgen]
pub struct NativePager {
    session: Rc<RefCell<Session>>,
    pager: Pager,
    first: Option<Call>,
    /// The items a resumed cursor carried, not handed out yet.
    unread: Vec<Value>,
}

impl NativePager {
    /// The call for page request `req` (`nextCall`, `ahead`).
    fn call_for(&self, req: &degreed::ApiRequest) -> Result<NativeCall, degreed::Error> {
        let mut call = self.session.borrow_mut().call(req)?;
        // The page is checked here and parsed once, by `JSON.parse` (see `page`).
        call.keep_raw_page();
        Ok(self.page_call(call))
    }

    /// A page call; the JS layer may parse its answer itself unless the walk reads the
    /// bodies (date windows drop repeated items from them).
    fn page_call(&self, call: Call) -> NativeCall {
        let layout = (!self.pager.needs_body()).then(|| {
            let (items, next) = degreed::paging::layout(call.operation().paging);
            format!("{items} {next}")
        });
        NativeCall {
            layout,
            ..NativeCall::new(self.session.clone(), call)
        }
    }
}

#[wasm_bindgen]
impl NativePager {
    /// The call for the next page, or `undefined` when the walk is over.
    #[wasm_bindgen(js_name = nextCall)]
    pub fn next_call(&mut self) -> Result<Option<NativeCall>, JsValue> {
        if let Some(mut call) = self.first.take() {
            call.keep_raw_page();
            return Ok(Some(self.page_call(call)));
        }
        let Some(req) = self.pager.next_request() else {
            return Ok(None);
        };
        self.call_for(&req).map(Some).map_err(|e| throw(&e))
    }

    /// The call for the next page, asked for ahead while the page in flight is read, if
    /// that page's next link turns out to be `link` (the JS layer's guess from the end of its
    /// body): `undefined` when the link breaks the walk's rules (`degreed::Pager::lookahead`).
    /// The JS layer keeps it only if `nextCall` then gives the same request (`sameRequest`),
    /// and cancels it otherwise.
    pub fn ahead(&self, link: &str) -> Option<NativeCall> {
        let req = self.pager.lookahead(link, self.session.borrow().config())?;
        self.call_for(&req).ok()
    }

    /// Where the walk stands, as text to keep and pass back as `resume`
    /// (`degreed::Pager::cursor`): the next requests, the counts, the date windows left, and
    /// `unread_json`, the items handed over by this page but not yet to the caller (a JSON
    /// array), returned first when the walk resumes.
    pub fn cursor(&self, unread_json: &str) -> Result<String, JsValue> {
        let given = match serde_json::from_slice(unread_json.as_bytes()) {
            Ok(Value::Array(items)) => items,
            _ => return Err(invalid("the unread items must be a JSON array")),
        };
        // Items a resumed cursor carried that were not taken yet come first.
        let mut unread = self.unread.clone();
        unread.extend(given);
        let session = self.session.borrow();
        self.pager
            .cursor(session.config(), unread)
            .map_err(|e| throw(&e))
    }

    /// The items a resumed cursor carried, as a JSON array (once; then `""`).
    #[wasm_bindgen(js_name = takeUnread)]
    pub fn take_unread(&mut self) -> String {
        if self.unread.is_empty() {
            return String::new();
        }
        json_text(&Value::Array(std::mem::take(&mut self.unread)))
    }

    /// Reads the finished page call, or throws its error: `{"status", "requestId",
    /// "itemsKey", "items"}` as JSON text, where `items` says where the body holds the page's
    /// items (`"list"`: the array at `itemsKey`; `"one"`: the object there, one item;
    /// `"none"`). The body itself, checked by the core but never parsed into a tree here, is
    /// parsed once by `JSON.parse` from the bytes the JS layer passed to `receive`, unless
    /// `body` is a string: the body without the items a date window repeated.
    pub fn page(&mut self, call: &mut NativeCall) -> Result<String, JsValue> {
        let reply = call.take_reply().map_err(|e| throw(&e))?;
        let raw = call
            .call
            .take_raw_page()
            .ok_or_else(|| invalid("the call was not made by this pager"))?;
        let received = raw.len();
        let page = {
            let session = self.session.borrow();
            self.pager
                .take_raw(&reply, raw, session.config())
                .map_err(|e| throw(&e))?
        };
        let items = match page.items {
            Items::List(_) => "list",
            Items::One => "one",
            // `take_raw` refused every other form.
            _ => "none",
        };
        // Items a date window repeated were dropped by the core, which then rewrote the body
        // (rare: the first pages after a shared boundary day); the JS layer parses that body
        // instead of the bytes it received.
        let body = (page.len() != received).then(|| String::from_utf8_lossy(&page.body));
        let meta = json!({
            "body": body,
            "status": reply.status,
            "requestId": reply.request_id,
            "itemsKey": page.items_key,
            "items": items,
            "progress": {
                "pagesRead": self.pager.pages(),
                "itemsSeen": self.pager.items(),
                "windows": self.pager.windows(),
                "windowsLeft": self.pager.windows_left(),
            },
        });
        Ok(json_text(&meta))
    }
}

// ---------------------------------------------------------------------------------------
// Free functions
// ---------------------------------------------------------------------------------------

/// The camelCase name of an attribute sent as `key` (`"employee-id"` → `"employeeId"`): the
/// core's rule, which the JS layer asks once per distinct name.
#[wasm_bindgen(js_name = attributeKey)]
pub fn attribute_key(key: &str) -> String {
    attribute_rule(key, KeyCase::Camel).0
}

/// Whether an attribute sent as `key` holds a timestamp (`created-at`, `publish-date`, ...).
#[wasm_bindgen(js_name = isTimeAttribute)]
pub fn is_time_attribute(key: &str) -> bool {
    attribute_rule(key, KeyCase::Camel).1
}

/// How a string value of the attribute sent as `key` is read (`number`, `int`, `bool`,
/// `list`; `undefined` to keep it as sent): the core's schema (`models::attribute_kind`).
#[wasm_bindgen(js_name = attributeKind)]
pub fn attribute_kind(key: &str) -> Option<String> {
    degreed::models::attribute_kind(key).map(str::to_owned)
}

/// A string value read as `kind` (`models::read_value`), as JSON text; `""` when it cannot
/// mean that type (the JS layer then keeps it as sent).
#[wasm_bindgen(js_name = readValue)]
pub fn read_value(kind: &str, text: &str) -> String {
    degreed::models::read_value(kind, text).map_or_else(String::new, |v| json_text(&v))
}

/// Timestamps as sent, one per line → milliseconds since the epoch each; `-Infinity` for
/// Degreed's "never"; `NaN` for a text that is not a timestamp (kept as it is). One call
/// reads a page's timestamps.
#[wasm_bindgen(js_name = timestampsMs)]
pub fn timestamps_ms(lines: &str) -> Vec<f64> {
    lines
        .split('\n')
        .map(|text| match read_time(text) {
            Some(Some(t)) => t.unix_millis() as f64,
            Some(None) => f64::NEG_INFINITY,
            None => f64::NAN,
        })
        .collect()
}

/// The operation catalogue as JSON text (`degreed::spec::catalog_json`, camelCase keys).
#[wasm_bindgen]
pub fn catalog() -> String {
    json_text(&degreed::spec::catalog_json(KeyCase::Camel))
}

/// The smallest scope list that allows every named operation, as JSON text (sorted).
/// The client options the `DEGREED_*` variables of `env_json` (an object of strings) give
/// (`degreed::env`), camelCase, as JSON text; throws without a client id and secret.
#[wasm_bindgen(js_name = settingsFromEnv)]
pub fn settings_from_env(env_json: &str) -> Result<String, JsValue> {
    // Through a `Value`, as every JSON text here (see `degreed::spec::header_pairs`).
    let env = match serde_json::from_slice(env_json.as_bytes()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let lookup = |k: &str| env.get(k).and_then(Value::as_str).map(str::to_owned);
    degreed::env::settings_from_env(lookup, KeyCase::Camel)
        .map(|s| json_text(&Value::Object(s)))
        .map_err(|e| throw(&e))
}

#[wasm_bindgen(js_name = minimalScopes)]
pub fn minimal_scopes(operations_json: &str) -> Result<String, JsValue> {
    let names: Vec<String> = match serde_json::from_slice(operations_json.as_bytes()) {
        Ok(Value::Array(list)) => list
            .into_iter()
            .map(|v| match v {
                Value::String(name) => Some(name),
                _ => None,
            })
            .collect::<Option<_>>(),
        _ => None,
    }
    .ok_or_else(|| invalid("minimalScopes() takes a list of operation names"))?;
    let set = degreed::minimal_scopes(&names).map_err(|e| throw(&e))?;
    Ok(json_text(&Value::from(
        set.iter().map(ToString::to_string).collect::<Vec<_>>(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(ok["data"]["id"], "u1");
        let write = reply_for_js(&reply("users.update", 204, None)).unwrap();
        assert_eq!(write["data"], Value::Null);
    }
}
