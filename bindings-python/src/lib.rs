//! `degreed._native`: the private native module under the pure-Python package `degreed`.
//!
//! It is deliberately thin. It wraps the core's [`Session`], [`Call`] and [`Pager`] and passes
//! plain data across the boundary: requests to send as opaque `Request` objects (their headers
//! and body, which carry the secret or the token, are made into Python values only when a
//! transport asks, so they never sit in a local variable of the driver loop), responses as
//! `(status, headers, body)`, results as Python dicts and lists built from the core's JSON
//! (`spec::result_json`, `models::normalize`), except list pages: the core checks them in one
//! pass over the bytes that also builds the items as Python dicts and lists, the values
//! `json.loads` would make (`paging::scan_into` with [`PySink`], in `Call.receive`); the
//! models read those dicts by the core's rules (`attribute_rule`, `normalize_timestamp`). The
//! Python package owns the driver loops, the transports, the namespaces and the models;
//! every policy stays in the core. Core errors are raised as the package's own exception classes, built by
//! `degreed.errors._from_core` from `Error::to_json()`.
//!
//! No call here blocks, so the GIL is never released.

use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use degreed::models::{normalize, normalize_time, KeyCase};
use degreed::paging::{Items, Sink, SinkError, Str};
use degreed::spec;
use degreed::{Call, Error, Failure, Pager, Reply, Session, Step};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::{intern, IntoPyObjectExt};
use serde_json::{Map, Number, Value};

/// Nesting depth past which a Python value is refused (it is probably cyclic).
const MAX_DEPTH: usize = 64;

// ---------------------------------------------------------------------------------------
// JSON <-> Python

fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)?
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

fn from_py(obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid(
            "a value is nested too deeply to be sent as JSON (is it cyclic?)",
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(Error::invalid("an integer is too large to be sent as JSON"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| Error::invalid("NaN and infinite numbers cannot be sent as JSON"));
    }
    if obj.cast::<PyString>().is_ok() {
        return obj
            .extract::<String>()
            .map(Value::String)
            .map_err(|_| Error::invalid("a string is not valid Unicode"));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key = k
                .extract::<String>()
                .map_err(|_| Error::invalid("JSON object keys must be strings"))?;
            map.insert(key, from_py(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        let iter = obj
            .try_iter()
            .map_err(|_| Error::invalid("a list could not be read"))?;
        for item in iter {
            let item = item.map_err(|_| Error::invalid("a list could not be read"))?;
            out.push(from_py(&item, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    let name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    Err(Error::invalid(format!(
        "a value of type `{name}` cannot be sent as JSON"
    )))
}

/// The core error as the package's exception (`degreed.errors._from_core`).
fn raise(py: Python<'_>, error: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let payload = to_py(py, &error.to_json())?;
        let factory = py.import("degreed.errors")?.getattr("_from_core")?;
        Ok(PyErr::from_value(factory.call1((payload,))?))
    };
    build().unwrap_or_else(|e| e)
}

fn lock(session: &Mutex<Session>) -> MutexGuard<'_, Session> {
    loop {
        match session.try_lock() {
            Ok(guard) => return guard,
            // A panic cannot happen while the lock is held (the core does not panic), but if
            // it ever did, the session's data is still consistent enough to go on.
            Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            // Another thread holds the session: wait for it without the GIL. That thread may
            // need the GIL before it lets go (Python code run by a conversion or a
            // finalizer lets the interpreter switch threads), and would wait for this one
            // forever if this one kept the GIL while blocked.
            Err(TryLockError::WouldBlock) => Python::attach(|py| {
                py.detach(|| drop(session.lock()));
            }),
        }
    }
}

fn with_timeout(mut call: Call, timeout: Option<f64>) -> Result<Call, Error> {
    if let Some(secs) = timeout {
        call.set_timeout(duration_from_secs(secs, "the timeout")?)?;
    }
    Ok(call)
}

fn duration_from_secs(secs: f64, what: &str) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(secs)
        .map_err(|_| Error::invalid(format!("{what} must be a non-negative number of seconds")))
}

/// Client options as JSON, each value converted on its own so that a value JSON cannot
/// carry (NaN, an object) is reported under its option's name (`retry.base_delay`).
fn options_from_py(options: &Bound<'_, PyAny>, prefix: &str) -> Result<Value, Error> {
    let map = options
        .cast::<PyDict>()
        .map_err(|_| Error::invalid("the client options must be a dict"))?;
    let mut out = Map::new();
    for (k, v) in map.iter() {
        let key: String = k
            .extract()
            .map_err(|_| Error::invalid("option names must be strings"))?;
        let value = if prefix.is_empty() && v.cast::<PyDict>().is_ok() {
            options_from_py(&v, &format!("{key}."))?
        } else {
            from_py(&v, 1)
                .map_err(|e| Error::invalid(format!("the option `{prefix}{key}`: {e}")))?
        };
        out.insert(key, value);
    }
    Ok(Value::Object(out))
}

// ---------------------------------------------------------------------------------------
// Session

/// What all calls of one client share: configuration, credentials, the cached token, the
/// pacer and the counters. Thread-safe; every call and pager made from it shares it.
#[pyclass(frozen, module = "degreed._native", name = "Session")]
struct PySession {
    inner: Arc<Mutex<Session>>,
    client_id: String,
    base_url: String,
    token_url: String,
    timeout: f64,
}

#[pymethods]
impl PySession {
    /// A session from the client's options (a dict, by the core's one description of them:
    /// `degreed::config::SESSION_OPTIONS`; `None` values are unset).
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Self> {
        let build = || -> Result<Self, Error> {
            let session =
                spec::session_from_options(&options_from_py(options, "")?, KeyCase::Snake)?;
            Ok(PySession {
                client_id: session.client_id().to_owned(),
                base_url: session.config().base_url().to_string(),
                token_url: session.config().token_url().to_string(),
                timeout: session.config().timeout().as_secs_f64(),
                inner: Arc::new(Mutex::new(session)),
            })
        };
        build().map_err(|e| raise(py, &e))
    }

    /// Starts a call for a request spec (see `degreed::spec::request_from_spec`). Caller
    /// errors (unknown operation, bad parameters, a scope outside the client's set) are
    /// raised here, before anything is sent. `timeout` (seconds) replaces the client's for
    /// this call: its deadline, from the first poll, covers every attempt and wait.
    #[pyo3(signature = (spec, timeout = None))]
    fn call(
        &self,
        py: Python<'_>,
        spec: &Bound<'_, PyAny>,
        timeout: Option<f64>,
    ) -> PyResult<PyCall> {
        let result = from_py(spec, 0)
            .and_then(|spec| spec::request_from_spec(&spec))
            .and_then(|req| lock(&self.inner).call(&req))
            .and_then(|call| with_timeout(call, timeout));
        match result {
            Ok(call) => Ok(PyCall::new(self, call)),
            Err(e) => Err(raise(py, &e)),
        }
    }

    /// A pager for a list spec; `window: {"start", "end", "today"}` limits it to a date
    /// range by the core's rules (`spec::pager_from_spec`). With `resume` (a `Pager.cursor`
    /// of the same operation) it continues that walk instead (`Pager::resume`); the spec
    /// still names the operation and is checked.
    ///
    /// `views` (a dict `{type: class}`, see `degreed.models.view_table`) makes each item of
    /// the pages a model while the page is built: an item object whose `type` member is a
    /// string the dict maps to a class becomes an instance of that class with `raw` the
    /// item's dict (what the class's `_view` makes). The classes must be plain subclasses
    /// of `Resource` (`object.__new__`, `object.__setattr__`, the slots of `Resource`): no
    /// Python code may run while the page is built.
    #[pyo3(signature = (spec, resume = None, views = None))]
    fn pager(
        &self,
        py: Python<'_>,
        spec: &Bound<'_, PyAny>,
        resume: Option<&str>,
        views: Option<Bound<'_, PyDict>>,
    ) -> PyResult<PyPager> {
        let result = from_py(spec, 0).and_then(|spec| {
            let fresh = spec::pager_from_spec(&spec)?;
            let Some(cursor) = resume else {
                return Ok((fresh, Vec::new()));
            };
            let name = spec.get("operation").and_then(Value::as_str).unwrap_or("");
            let op = degreed::operation(name)
                .ok_or_else(|| Error::invalid(format!("unknown operation `{name}`")))?;
            Pager::resume(op, cursor, lock(&self.inner).config())
        });
        match result {
            Ok((pager, unread)) => Ok(PyPager {
                session: self.inner.clone(),
                token_url: self.token_url.clone(),
                pager,
                unread,
                strings: None,
                views: views.map(Bound::unbind),
                viewed: false,
            }),
            Err(e) => Err(raise(py, &e)),
        }
    }

    /// Counters so far: `requests`, `retries`, `rate_limited`, `token_requests`.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &lock(&self.inner).stats().to_json(KeyCase::Snake))
    }

    /// Seconds a request started at `now` (seconds since the epoch) would wait for the
    /// rate limits (`Session::pacing_delay`).
    fn pacing_delay(&self, now: f64) -> f64 {
        spec::secs(lock(&self.inner).pacing_delay(spec::now_from_secs(now)))
    }

    /// Drops the cached token; the next call fetches a new one.
    fn clear_token(&self) {
        lock(&self.inner).clear_token();
    }

    /// The scopes requested for tokens (sorted), or `None` for all the key grants.
    #[getter]
    fn scopes(&self) -> Option<Vec<String>> {
        lock(&self.inner)
            .scopes()
            .map(|s| s.iter().map(ToString::to_string).collect())
    }

    /// The client id (not secret).
    #[getter]
    fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The API base URL.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token endpoint.
    #[getter]
    fn token_url(&self) -> &str {
        &self.token_url
    }

    /// The default time budget of a call in seconds.
    #[getter]
    fn timeout(&self) -> f64 {
        self.timeout
    }

    /// The largest response body a transport may read, in bytes.
    #[getter]
    fn max_body_bytes(&self) -> u64 {
        lock(&self.inner).max_body_bytes()
    }

    fn __repr__(&self) -> String {
        format!(
            "Session(client_id={:?}, base_url={:?})",
            self.client_id, self.base_url
        )
    }
}

// ---------------------------------------------------------------------------------------
// Request

/// A request to send, as the core made it. Its headers and body (which carry the client
/// secret or the bearer token) become Python values only when `headers()` and `body()` are
/// called, by the transport, so they are not bound in the driver loop's frames, where a
/// traceback with locals (Sentry, `pytest --showlocals`) would record them. `repr` shows
/// the method and URL only.
#[pyclass(frozen, module = "degreed._native", name = "Request")]
struct PyRequest {
    #[pyo3(get)]
    kind: &'static str,
    #[pyo3(get)]
    method: String,
    #[pyo3(get)]
    url: String,
    /// Seconds the call has left: the transport's connect, read and write timeouts, and
    /// the most it may spend on this request, body included.
    #[pyo3(get)]
    timeout: f64,
    /// The largest body the transport may read before it gives up.
    #[pyo3(get)]
    max_body_bytes: u64,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

#[pymethods]
impl PyRequest {
    /// The headers to send, as a new dict.
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in &self.headers {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// The body to send (empty for none).
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.body)
    }

    fn __repr__(&self) -> String {
        format!("Request({} {})", self.method, self.url)
    }
}

// ---------------------------------------------------------------------------------------
// Call

/// One API request run to completion. Drive it with `poll`, `receive` and `fail`.
#[pyclass(module = "degreed._native", name = "Call")]
struct PyCall {
    session: Arc<Mutex<Session>>,
    token_url: String,
    call: Call,
    reply: Option<Reply>,
    /// A page of a `Pager`: its reply is read by `Pager.on_reply`, so `poll` does not
    /// convert it (a 1000-item page costs as much to convert as to fetch).
    for_pager: bool,
    /// A pager's shared strings, lent to the call while its page is read.
    strings: Option<Box<Strings>>,
    /// The page's items member, built while the core checked the page.
    built: Option<Py<PyAny>>,
    /// A pager's view table (`Session.pager(views=...)`).
    views: Option<Py<PyDict>>,
    /// Items of the built page made models by the view table.
    made: usize,
}

impl PyCall {
    fn new(session: &PySession, call: Call) -> Self {
        PyCall {
            session: session.inner.clone(),
            token_url: session.token_url.clone(),
            call,
            reply: None,
            for_pager: false,
            strings: None,
            built: None,
            views: None,
            made: 0,
        }
    }
}

#[pymethods]
impl PyCall {
    /// The next step, given the time (seconds since the epoch) and a uniform random number
    /// in `[0, 1)`:
    ///
    /// - `("send", request)`: send the `Request` (within `request.timeout` seconds, reading
    ///   at most `request.max_body_bytes`), then report with `receive`, `fail` or
    ///   `too_large`;
    /// - `("wait", seconds)`: sleep, then poll again;
    /// - `("done", reply)`: the call succeeded; `reply` is a dict with `status`,
    ///   `request_id`, `data` (normalized), `links` and `raw` (the body).
    ///
    /// A failed call raises its `DegreedError`; so does a single-resource read (`*.get`)
    /// whose answer has no `data` object (`DecodeError`, see `spec::result_json`).
    fn poll<'py>(
        &mut self,
        py: Python<'py>,
        now: f64,
        random: f64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let step = {
            let mut session = lock(&self.session);
            self.call
                .poll(&mut session, spec::now_from_secs(now), random)
        };
        match step {
            Step::Send(request) => {
                let out = spec::Outgoing::from(request);
                let kind = if out.url == self.token_url {
                    "token"
                } else {
                    "api"
                };
                let request = PyRequest {
                    kind,
                    method: out.method,
                    url: out.url,
                    timeout: spec::secs(self.call.send_timeout()),
                    max_body_bytes: lock(&self.session).max_body_bytes(),
                    headers: out.headers,
                    body: out.body,
                };
                PyTuple::new(
                    py,
                    [
                        "send".into_bound_py_any(py)?,
                        Bound::new(py, request)?.into_any(),
                    ],
                )
            }
            Step::Wait(d) => PyTuple::new(
                py,
                [
                    "wait".into_bound_py_any(py)?,
                    spec::secs(d).into_bound_py_any(py)?,
                ],
            ),
            Step::Done(Ok(reply)) => {
                let json = if self.for_pager {
                    py.None().into_bound(py)
                } else {
                    // A single-resource read without a `data` object is a DecodeError.
                    let json =
                        spec::result_json(&reply, KeyCase::Snake).map_err(|e| raise(py, &e))?;
                    to_py(py, &json)?
                };
                self.reply = Some(reply);
                PyTuple::new(py, ["done".into_bound_py_any(py)?, json])
            }
            Step::Done(Err(e)) => Err(raise(py, &e)),
        }
    }

    /// Reports the response to the last `send`: status, header pairs, body bytes, and the
    /// time it arrived.
    ///
    /// A pager's page is checked by the core and its items made into Python values in the
    /// same pass (`paging::scan_into`), as `json.loads` would make them.
    fn receive(
        &mut self,
        py: Python<'_>,
        status: i64,
        headers: Vec<(String, String)>,
        body: &Bound<'_, PyBytes>,
        now: f64,
    ) {
        let status = u16::try_from(status).unwrap_or(0);
        let response = spec::incoming(status, &headers, body.as_bytes().to_vec());
        let now = spec::now_from_secs(now);
        if !self.for_pager {
            let mut session = lock(&self.session);
            self.call.receive(&mut session, response, now);
            return;
        }
        // The page is built while the session's lock is held, so no Python code may run
        // meanwhile: code can let another thread take the GIL, and a thread that then waits
        // for the lock while holding the GIL would never let this one finish. The C API calls
        // the sink makes run none, except the finalizers a collection would call: the
        // collector is paused for the page (and resumed after, if it was enabled).
        let paused = gc_pause(py);
        let strings = self.strings.get_or_insert_with(|| Box::new(Strings::new()));
        let mut sink = PySink {
            py,
            strings,
            views: self.views.as_ref().map(|t| t.bind(py)),
            open: 0,
            made: 0,
        };
        let built = {
            let mut session = lock(&self.session);
            self.call
                .receive_into(&mut session, response, now, &mut sink)
                .map(Bound::unbind)
        };
        let made = sink.made;
        if paused {
            gc_resume(py);
        }
        self.built = built;
        self.made = if self.built.is_some() { made } else { 0 };
    }

    /// Reports that the last `send` got no response. `not_sent` is true when the request
    /// cannot have reached the server (connection refused, DNS); `message` describes the
    /// failure and must not contain secrets.
    fn fail(&mut self, not_sent: bool, message: &str, now: f64) {
        let failure = if not_sent {
            Failure::NotSent
        } else {
            Failure::MaybeSent
        };
        let mut session = lock(&self.session);
        self.call
            .fail(&mut session, failure, message, spec::now_from_secs(now));
    }

    /// Reports that the response to the last `send` (with this status) had a body longer
    /// than the request's `max_body_bytes`: the call ends with a `DecodeError`.
    fn too_large(&mut self, status: i64, now: f64) {
        let status = u16::try_from(status).unwrap_or(0);
        let mut session = lock(&self.session);
        self.call
            .too_large(&mut session, status, spec::now_from_secs(now));
    }

    /// Abandons the call (the caller was interrupted or cancelled): releases a token request
    /// it was making, without counting a retry.
    fn cancel(&mut self, reason: &str) {
        let mut session = lock(&self.session);
        self.call.cancel(&mut session, reason);
    }

    /// The events queued since the last time (`degreed::event`): a list of `(name,
    /// message, fields)` where `message` is the core's one-line text and `fields` a dict
    /// (durations in seconds). Never a secret, a query string or a body. Without `everything`
    /// only `retry`, `wait` and `maybe_applied` are converted (the others are logged at DEBUG
    /// only, and converting them costs time on every request).
    #[pyo3(signature = (everything = true))]
    fn take_events<'py>(
        &mut self,
        py: Python<'py>,
        everything: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for event in self.call.take_events() {
            if !everything && !matches!(event.name(), "retry" | "wait" | "maybe_applied") {
                continue;
            }
            let fields = to_py(py, &event.to_json(KeyCase::Snake))?;
            out.append((event.name(), event.to_string(), fields))?;
        }
        Ok(out)
    }

    /// The operation's dotted name.
    #[getter]
    fn operation(&self) -> &'static str {
        self.call.operation().name
    }

    /// Retries made so far.
    #[getter]
    fn retries(&self) -> u32 {
        self.call.retries()
    }

    fn __repr__(&self) -> String {
        format!("Call(operation={:?})", self.call.operation().name)
    }
}

// ---------------------------------------------------------------------------------------
// A page's items, built while the core checks the page

/// Strings made once and shared: member names (a page of 1000 users has about 30 distinct
/// names) and short values (`"users"`, a city, a role: repeated across items). `json.loads`
/// makes a new string for each value (it shares member names within one call only); sharing
/// them saves the time to make them and is what keeps the models under the memory of its
/// dicts. A table slot keeps the last string that hashed to it.
struct Strings {
    keys: Vec<Option<SharedKey>>,
    values: Vec<Option<Shared>>,
    /// Shapes of objects seen, by their first member name.
    shapes: Vec<Option<Shape>>,
}

/// The member names of an object, in order, and a dict of those names (values `None`) that a
/// new object with the same names starts as a copy of: `PyDict_Copy` clones its table in one
/// go, and each member then replaces a value, where filling an empty dict grows its table
/// two or three times and inserts every name (the limited API has no presized dict). A page's
/// items, and their `attributes`, mostly share a few shapes.
struct Shape {
    /// Shared with the objects following it (its slot may get another shape meanwhile).
    keys: Arc<[Py<PyAny>]>,
    dict: Py<PyAny>,
    /// Objects that followed it, less those that started like it and did not since.
    hits: u8,
    /// Objects in a row that started like it (or like the shapes it replaced) and did not
    /// follow it: it is replaced at the first, second, fourth, eighth... (an object with a
    /// name that is not shared, longer than `SHARED_KEY_LEN`, never follows its shape).
    misses: u8,
}

/// Objects with fewer members are built member by member.
const MIN_SHAPE: usize = 4;
/// Slots for shapes (a power of two), by their first name's address.
const SHAPE_SLOTS: usize = 64;

/// A member name and its Python string.
type SharedKey = (Box<[u8]>, Py<PyAny>);

/// A short string value and its Python string.
struct Shared {
    len: u8,
    /// Hits, less the misses of other values since.
    hits: u8,
    bytes: [u8; SHARED_VALUE_LEN],
    string: Py<PyAny>,
}

/// Member names up to this length are shared.
const SHARED_KEY_LEN: usize = 64;
/// String values up to this length are shared.
const SHARED_VALUE_LEN: usize = 16;
/// Slots for names and for values (powers of two).
const KEY_SLOTS: usize = 512;
const VALUE_SLOTS: usize = 1024;

/// Whether two short byte strings are equal, compared eight bytes at a time inline (a call
/// to `memcmp` per member name was a fortieth of a page's time).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            if load8(a, i) != load8(b, i) {
                return false;
            }
            i += 8;
        }
        // The last eight bytes (overlapping the words compared).
        return load8(a, n - 8) == load8(b, n - 8);
    }
    if n >= 4 {
        return load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// The little-endian word at `at..at + 8` (an unaligned load).
#[inline]
fn load8(b: &[u8], at: usize) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// The little-endian half word at `at..at + 4`.
#[inline]
fn load4(b: &[u8], at: usize) -> u64 {
    let mut w = [0; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// A hash of a short string: its length and its first and last eight bytes (all of a value
/// that is shared). No seed needed: a collision only costs a new string.
#[inline]
fn fx(b: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let n = b.len();
    // Unaligned loads (a byte-by-byte fold was a third of the time spent on strings).
    let (head, tail) = if n >= 8 {
        (load8(b, 0), load8(b, n - 8))
    } else if n >= 4 {
        (load4(b, 0) | load4(b, n - 4) << 32, 0)
    } else {
        let fold = b
            .iter()
            .rev()
            .fold(0u64, |w, byte| (w << 8) | u64::from(*byte));
        (fold, 0)
    };
    ((n as u64 ^ head).wrapping_mul(K).rotate_left(23) ^ tail).wrapping_mul(K)
}

impl Strings {
    fn new() -> Self {
        Strings {
            keys: (0..KEY_SLOTS).map(|_| None).collect(),
            values: (0..VALUE_SLOTS).map(|_| None).collect(),
            shapes: (0..SHAPE_SLOTS).map(|_| None).collect(),
        }
    }

    /// The shape slot of an object whose first member name is `key` (names are shared, so one
    /// name is one object while it keeps its slot; a shape holds its names alive).
    fn shape_slot(key: *mut ffi::PyObject) -> usize {
        ((key as usize >> 4) ^ (key as usize >> 12)) & (SHAPE_SLOTS - 1)
    }

    fn key<'py>(&mut self, py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
        // Two ways per hash: two names of a page that hash alike (likely among 30 names in
        // 256 pairs of slots) would otherwise evict each other at every item, made anew each
        // time, and no object would follow its shape.
        let at = (fx(s.as_bytes()) >> 55) as usize & (KEY_SLOTS - 2);
        for way in [at, at + 1] {
            if let Some((k, v)) = &self.keys[way] {
                if same(k, s.as_bytes()) {
                    return Ok(v.bind(py).clone());
                }
            }
        }
        let made = new_str(py, s)?;
        // The newest in the first way, the one it displaces in the second.
        self.keys[at + 1] = self.keys[at].take();
        self.keys[at] = Some((s.as_bytes().into(), made.clone().unbind()));
        Ok(made)
    }

    fn value<'py>(&mut self, py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
        let b = s.as_bytes();
        let slot = &mut self.values[(fx(b) >> 54) as usize & (VALUE_SLOTS - 1)];
        if let Some(shared) = slot {
            if usize::from(shared.len) == b.len() && same(&shared.bytes[..b.len()], b) {
                shared.hits = shared.hits.saturating_add(1);
                return Ok(shared.string.bind(py).clone());
            }
            if shared.hits > 0 {
                // A value seen again keeps its slot against one seen once (an id, a name):
                // each miss wears it down by one.
                shared.hits -= 1;
                return new_str(py, s);
            }
        }
        let made = new_str(py, s)?;
        let mut bytes = [0; SHARED_VALUE_LEN];
        bytes[..b.len()].copy_from_slice(b);
        *slot = Some(Shared {
            len: b.len() as u8,
            hits: 0,
            bytes,
            string: made.clone().unbind(),
        });
        Ok(made)
    }
}

fn new_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: a valid UTF-8 buffer and its length; the result is a new reference or NULL
    // with an exception set.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyUnicode_FromStringAndSize(s.as_ptr().cast(), s.len() as ffi::Py_ssize_t),
        )
    }
}

/// An object being built: its dict once it has a member, and the names of the shape its dict
/// was copied from with how many of them the object had so far, in the same order.
struct PyMap<'py> {
    dict: Option<Bound<'py, PyAny>>,
    follow: Option<(Arc<[Py<PyAny>]>, usize)>,
}

/// Builds Python values as `json.loads` would (dict, list, str, int, float, bool, None) for
/// the core's one-pass page check (`paging::scan_into`); with a view table, the page's items
/// become models over those dicts.
struct PySink<'a, 'py> {
    py: Python<'py>,
    strings: &'a mut Strings,
    /// `{type: class}`: the classes items are made into (`Session.pager(views=...)`).
    views: Option<&'a Bound<'py, PyDict>>,
    /// Objects begun and not yet ended. Only the items member is built (`Sink`), so an
    /// object ended at depth zero is an item of the page (or the one item where a list was
    /// expected).
    open: usize,
    /// Items made models.
    made: usize,
}

impl<'py> PySink<'_, 'py> {
    fn fail(&self) -> SinkError {
        let e = PyErr::fetch(self.py);
        SinkError(format!(
            "the page could not be made into Python values: {e}"
        ))
    }

    fn owned(&self, ptr: *mut ffi::PyObject) -> Result<Bound<'py, PyAny>, SinkError> {
        // SAFETY: `ptr` is a new reference returned by the C API, or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_opt(self.py, ptr) }.ok_or_else(|| self.fail())
    }

    fn scalar(&self, ptr: *mut ffi::PyObject) -> Result<Bound<'py, PyAny>, SinkError> {
        self.owned(ptr)
    }

    /// The model of an item (`raw`: its dict) when the view table names a class for its
    /// `type`; else the dict. Runs no Python code: dict lookups with `str` keys, the class's
    /// `tp_alloc` and stores into the slots of `Resource` (the table holds only classes
    /// for which these are the defaults; `degreed.models.view_table`).
    fn view(
        &mut self,
        table: &Bound<'py, PyDict>,
        raw: Bound<'py, PyAny>,
    ) -> Result<Bound<'py, PyAny>, SinkError> {
        let py = self.py;
        // SAFETY: `raw` is a dict (made by `map`), the key a str; a borrowed reference or
        // NULL (with an exception only on error).
        let rtype =
            unsafe { ffi::PyDict_GetItemWithError(raw.as_ptr(), intern!(py, "type").as_ptr()) };
        // SAFETY: `rtype` is a live borrowed reference when not NULL.
        if rtype.is_null() || unsafe { ffi::PyUnicode_CheckExact(rtype) } == 0 {
            return if PyErr::occurred(py) {
                Err(self.fail())
            } else {
                Ok(raw)
            };
        }
        // SAFETY: the table is a dict, `rtype` an exact str (compared without Python code).
        let cls = unsafe { ffi::PyDict_GetItemWithError(table.as_ptr(), rtype) };
        // SAFETY: `cls` is a live borrowed reference when not NULL.
        if cls.is_null() || unsafe { ffi::PyType_Check(cls) } == 0 {
            return if PyErr::occurred(py) {
                Err(self.fail())
            } else {
                Ok(raw)
            };
        }
        let cls = cls.cast::<ffi::PyTypeObject>();
        // SAFETY: `cls` is a class; its `tp_alloc` and `tp_setattro` slots.
        let (alloc, setattr) = unsafe {
            (
                ffi::PyType_GetSlot(cls, ffi::Py_tp_alloc),
                ffi::PyType_GetSlot(cls, ffi::Py_tp_setattro),
            )
        };
        // A class whose stores run Python code (its own `__setattr__`) is made in Python.
        let generic: unsafe extern "C" fn(_, _, _) -> _ = ffi::PyObject_GenericSetAttr;
        if alloc.is_null() || setattr != generic as *mut std::ffi::c_void {
            return Ok(raw);
        }
        // SAFETY: a `tp_alloc` slot holds an `allocfunc`; it returns a new reference (every
        // field NULL) or NULL with an exception.
        let obj = self.owned(unsafe {
            let alloc: ffi::allocfunc = std::mem::transmute(alloc);
            alloc(cls, 0)
        })?;
        let none = py.None();
        for (name, value) in [
            (intern!(py, "raw"), raw.as_ptr()),
            (intern!(py, "_attrs"), none.as_ptr()),
            (intern!(py, "_rest"), none.as_ptr()),
        ] {
            // SAFETY: live objects; the slot takes its own reference.
            if unsafe { ffi::PyObject_SetAttr(obj.as_ptr(), name.as_ptr(), value) } < 0 {
                return Err(self.fail());
            }
        }
        self.made += 1;
        Ok(obj)
    }

    fn set(
        &self,
        dict: &Bound<'py, PyAny>,
        key: &Bound<'py, PyAny>,
        value: &Bound<'py, PyAny>,
    ) -> Result<(), SinkError> {
        // SAFETY: a dict made here and two live objects (the dict takes its own references).
        let rc = unsafe { ffi::PyDict_SetItem(dict.as_ptr(), key.as_ptr(), value.as_ptr()) };
        if rc < 0 {
            return Err(self.fail());
        }
        Ok(())
    }

    /// A new dict holding the first `n` members of `copy` (a shape's copy whose first `n`
    /// values are this object's), for an object that left its shape there.
    fn leave(&self, copy: &Bound<'py, PyAny>, n: usize) -> Result<Bound<'py, PyAny>, SinkError> {
        // SAFETY: returns a new reference or NULL with an exception.
        let fresh = self.owned(unsafe { ffi::PyDict_New() })?;
        let mut pos: ffi::Py_ssize_t = 0;
        for _ in 0..n {
            let (mut k, mut v) = (std::ptr::null_mut(), std::ptr::null_mut());
            // SAFETY: a dict not changed while it is read; borrowed references out.
            if unsafe { ffi::PyDict_Next(copy.as_ptr(), &mut pos, &mut k, &mut v) } == 0 {
                break;
            }
            // SAFETY: live borrowed references; the dict takes its own.
            if unsafe { ffi::PyDict_SetItem(fresh.as_ptr(), k, v) } < 0 {
                return Err(self.fail());
            }
        }
        Ok(fresh)
    }

    /// Keeps the names of a finished object, built member by member, as the shape of the
    /// objects that start like it, unless the shape there keeps being followed.
    fn learn(&mut self, dict: &Bound<'py, PyAny>) -> Result<(), SinkError> {
        let py = self.py;
        // SAFETY: a dict.
        let len = unsafe { ffi::PyDict_Size(dict.as_ptr()) };
        if len < MIN_SHAPE as ffi::Py_ssize_t {
            return Ok(());
        }
        let (mut pos, mut k, mut v): (ffi::Py_ssize_t, _, _) =
            (0, std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: as in `leave`; the dict has members.
        if unsafe { ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut k, &mut v) } == 0 {
            return Ok(());
        }
        let slot = Strings::shape_slot(k);
        let mut misses = 0;
        if let Some(shape) = &mut self.strings.shapes[slot] {
            if shape.hits > 0 {
                shape.hits -= 1;
                return Ok(());
            }
            shape.misses = shape.misses.saturating_add(1);
            if !shape.misses.is_power_of_two() {
                return Ok(());
            }
            misses = shape.misses;
        }
        // SAFETY: returns a new reference or NULL with an exception.
        let template = self.owned(unsafe { ffi::PyDict_New() })?;
        let mut keys = Vec::with_capacity(len as usize);
        let none = py.None();
        pos = 0;
        // SAFETY: as in `leave`.
        while unsafe { ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut k, &mut v) } != 0 {
            // SAFETY: `k` is a live borrowed reference.
            let key = unsafe { Bound::from_borrowed_ptr(py, k) };
            self.set(&template, &key, none.bind(py))?;
            keys.push(key.unbind());
        }
        self.strings.shapes[slot] = Some(Shape {
            keys: keys.into(),
            dict: template.unbind(),
            hits: 0,
            misses,
        });
        Ok(())
    }

    fn text(&mut self, s: Str<'_>, value: bool) -> Result<Bound<'py, PyAny>, SinkError> {
        let py = self.py;
        let made = match s {
            Str::Text(t) if value && t.len() <= SHARED_VALUE_LEN => self.strings.value(py, t),
            Str::Text(t) if !value && t.len() <= SHARED_KEY_LEN => self.strings.key(py, t),
            Str::Text(t) => new_str(py, t),
            Str::Surrogates(b) => {
                // What `json.loads` makes of a lone surrogate's escape.
                // SAFETY: a buffer and its length, a NUL-terminated error handler name.
                let ptr = unsafe {
                    ffi::PyUnicode_DecodeUTF8(
                        b.as_ptr().cast(),
                        b.len() as ffi::Py_ssize_t,
                        c"surrogatepass".as_ptr(),
                    )
                };
                return self.owned(ptr);
            }
        };
        made.map_err(|e| SinkError(e.to_string()))
    }
}

impl<'py> Sink for PySink<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    type Key = Bound<'py, PyAny>;
    type Map = PyMap<'py>;

    fn null(&mut self) -> Result<Self::Value, SinkError> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn bool(&mut self, v: bool) -> Result<Self::Value, SinkError> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn int(&mut self, v: i64) -> Result<Self::Value, SinkError> {
        // SAFETY: returns a new reference or NULL with an exception.
        self.scalar(unsafe { ffi::PyLong_FromLongLong(v) })
    }
    fn big_int(&mut self, digits: &str) -> Result<Self::Value, SinkError> {
        let text = std::ffi::CString::new(digits).map_err(|_| SinkError("not a number".into()))?;
        // SAFETY: a NUL-terminated string of digits; the end pointer is not wanted.
        self.scalar(unsafe { ffi::PyLong_FromString(text.as_ptr(), std::ptr::null_mut(), 10) })
    }
    fn float(&mut self, v: f64) -> Result<Self::Value, SinkError> {
        // SAFETY: returns a new reference or NULL with an exception.
        self.scalar(unsafe { ffi::PyFloat_FromDouble(v) })
    }
    fn str(&mut self, s: Str<'_>) -> Result<Self::Value, SinkError> {
        self.text(s, true)
    }
    fn key(&mut self, s: Str<'_>) -> Result<Self::Key, SinkError> {
        self.text(s, false)
    }
    fn map(&mut self) -> Result<Self::Map, SinkError> {
        self.open += 1;
        Ok(PyMap {
            dict: None,
            follow: None,
        })
    }
    fn insert(
        &mut self,
        map: &mut Self::Map,
        key: Self::Key,
        value: Self::Value,
    ) -> Result<(), SinkError> {
        if let (Some(dict), Some((names, matched))) = (&map.dict, &mut map.follow) {
            if names
                .get(*matched)
                .is_some_and(|k| k.as_ptr() == key.as_ptr())
            {
                // The shape's next name, at its place already: only its value is set.
                *matched += 1;
                return self.set(dict, &key, &value);
            }
        }
        let dict = match (map.dict.take(), map.follow.take()) {
            (Some(copy), Some((_, matched))) => self.leave(&copy, matched)?,
            (Some(dict), None) => dict,
            (None, _) => {
                // The first member: a copy of the shape of objects that start with this name.
                match &self.strings.shapes[Strings::shape_slot(key.as_ptr())] {
                    Some(shape) if shape.keys[0].as_ptr() == key.as_ptr() => {
                        map.follow = Some((shape.keys.clone(), 1));
                        // SAFETY: a dict; returns a new reference or NULL with an exception.
                        self.owned(unsafe { ffi::PyDict_Copy(shape.dict.as_ptr()) })?
                    }
                    // SAFETY: returns a new reference or NULL with an exception.
                    _ => self.owned(unsafe { ffi::PyDict_New() })?,
                }
            }
        };
        self.set(&dict, &key, &value)?;
        map.dict = Some(dict);
        Ok(())
    }
    fn end_map(&mut self, map: Self::Map) -> Result<Self::Value, SinkError> {
        self.open -= 1;
        let dict = match (map.dict, map.follow) {
            // SAFETY: returns a new reference or NULL with an exception.
            (None, _) => self.owned(unsafe { ffi::PyDict_New() })?,
            (Some(dict), Some((names, matched))) if names.len() == matched => {
                let slot = Strings::shape_slot(names[0].as_ptr());
                if let Some(shape) = self.strings.shapes[slot].as_mut() {
                    if Arc::ptr_eq(&shape.keys, &names) {
                        shape.hits = shape.hits.saturating_add(1);
                        shape.misses = 0;
                    }
                }
                dict
            }
            // Fewer names than the shape: the names the object did not have are dropped.
            (Some(copy), Some((_, matched))) => {
                let fresh = self.leave(&copy, matched)?;
                self.learn(&fresh)?;
                fresh
            }
            (Some(dict), None) => {
                self.learn(&dict)?;
                dict
            }
        };
        match self.views {
            Some(table) if self.open == 0 => self.view(table, dict),
            _ => Ok(dict),
        }
    }
    fn list(&mut self, items: std::vec::Drain<'_, Self::Value>) -> Result<Self::Value, SinkError> {
        let n = items.len();
        // SAFETY: a new list of `n` empty slots, each filled once below with a reference
        // it takes over (`PyList_SetItem` steals it).
        let list = self.owned(unsafe { ffi::PyList_New(n as ffi::Py_ssize_t) })?;
        for (i, item) in items.enumerate() {
            // SAFETY: see above; `i < n`.
            let rc = unsafe {
                ffi::PyList_SetItem(list.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr())
            };
            if rc < 0 {
                return Err(self.fail());
            }
        }
        Ok(list)
    }
}

// ---------------------------------------------------------------------------------------
// Pager

/// Walks every page (and date window) of a list operation.
#[pyclass(module = "degreed._native", name = "Pager")]
struct PyPager {
    session: Arc<Mutex<Session>>,
    token_url: String,
    pager: Pager,
    /// Items a resumed cursor carried, handed out once by `take_unread`.
    unread: Vec<Value>,
    /// Strings shared by the pages' items (lent to each page's call).
    strings: Option<Box<Strings>>,
    /// `{type: class}`: the classes the items are made into (see `Session.pager`).
    views: Option<Py<PyDict>>,
    /// Whether every item `on_reply` last returned is a model.
    viewed: bool,
}

#[pymethods]
impl PyPager {
    /// The call for the next page, or `None` when the walk is over. Caller errors are
    /// raised here, before anything is sent. `timeout` is the page call's time budget
    /// (seconds; default the client's).
    #[pyo3(signature = (timeout = None))]
    fn next_call(&mut self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<PyCall>> {
        let Some(request) = self.pager.next_request() else {
            return Ok(None);
        };
        let call = lock(&self.session)
            .call(&request)
            .and_then(|call| with_timeout(call, timeout));
        match call {
            Ok(mut call) => {
                // The page is checked here but parsed by Python's `json` (see `on_reply`).
                call.keep_raw_page();
                Ok(Some(PyCall {
                    session: self.session.clone(),
                    token_url: self.token_url.clone(),
                    call,
                    reply: None,
                    for_pager: true,
                    strings: self.strings.take(),
                    built: None,
                    views: self.views.as_ref().map(|t| t.clone_ref(py)),
                    made: 0,
                }))
            }
            Err(e) => Err(raise(py, &e)),
        }
    }

    /// Reads the page of a finished call: the list of its items, as `json.loads` would
    /// make them from the body, built while the core checked the page (`Call.receive`): the
    /// page crosses into Python once, and the core never builds a tree of it. The core
    /// applies the page rules here (the next link, where the items are); models are views
    /// over these items.
    fn on_reply<'py>(
        &mut self,
        py: Python<'py>,
        call: &mut PyCall,
    ) -> PyResult<Bound<'py, PyList>> {
        if let Some(strings) = call.strings.take() {
            self.strings = Some(strings);
        }
        let built = call.built.take();
        let made = std::mem::take(&mut call.made);
        self.viewed = false;
        let (Some(reply), Some(raw)) = (call.reply.take(), call.call.take_raw_page()) else {
            return Err(raise(
                py,
                &Error::invalid("the call has not finished successfully"),
            ));
        };
        let page = {
            let session = lock(&self.session);
            self.pager.take_raw(&reply, raw, session.config())
        };
        let page = page.map_err(|e| raise(py, &e))?;
        let built = match built {
            Some(built) => built.into_bound(py),
            // Not built (the call was received without its pager): as the page reads.
            None => json_loads(py)?
                .call1((PyBytes::new(py, &page.body),))?
                .get_item(page.items_key)?,
        };
        let items = match page.items {
            Items::List(_) | Items::One => {
                // One object where a list was expected is one item.
                let received = if built.is_instance_of::<PyList>() {
                    built.cast_into::<PyList>()?
                } else {
                    PyList::new(py, [built])?
                };
                self.viewed = made == received.len();
                match &page.kept {
                    // Items a windowed walk had already given are dropped.
                    Some(kept) => PyList::new(
                        py,
                        received
                            .iter()
                            .zip(kept.iter().chain(std::iter::repeat(&true)))
                            .filter_map(|(item, keep)| keep.then_some(item)),
                    )?,
                    None => received,
                }
            }
            // `take_raw` refused every other form.
            _ => {
                self.viewed = true;
                PyList::empty(py)
            }
        };
        Ok(items)
    }

    /// Whether every item `on_reply` last returned is a model (made by the `views` table of
    /// `Session.pager`); else some or all are the items' dicts.
    #[getter]
    fn viewed(&self) -> bool {
        self.viewed
    }

    /// Pages read so far.
    #[getter]
    fn pages(&self) -> u64 {
        self.pager.pages()
    }

    /// Items read so far.
    #[getter]
    fn items(&self) -> u64 {
        self.pager.items()
    }

    /// Date windows in all (1 for a list without windows).
    #[getter]
    fn windows(&self) -> usize {
        self.pager.windows()
    }

    /// Date windows not started yet.
    #[getter]
    fn windows_left(&self) -> usize {
        self.pager.windows_left()
    }

    /// Where the walk stands, as text for `Session.pager(spec, resume=...)`; `unread` are
    /// items already fetched but not yet handed to the caller (`Pager::cursor`).
    fn cursor(&self, py: Python<'_>, unread: &Bound<'_, PyAny>) -> PyResult<String> {
        let result = from_py(unread, 0).and_then(|unread| {
            let Value::Array(items) = unread else {
                return Err(Error::invalid("unread items must be a list"));
            };
            self.pager.cursor(lock(&self.session).config(), items)
        });
        result.map_err(|e| raise(py, &e))
    }

    /// The items a resumed cursor carried (once; then an empty list).
    fn take_unread<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for item in std::mem::take(&mut self.unread) {
            out.append(to_py(py, &item)?)?;
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// Module functions

/// Every catalogue operation as a dict: `name`, `method`, `path`, `path_params`, `scope`
/// (the one tokens ask for), `scopes` (any one allows the call), `source`
/// (`documented`/`community`/`inferred`), `source_ref` (URL or repo path, or `None`),
/// `filters`, `paging` (`none`/`cursor`/`xapi`), `body`
/// (`none`/`resource`/`relationships`/`raw`), `body_type`, `idempotent`, `windowed`,
/// `tenant_header`.
#[pyfunction]
fn catalog(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py(py, &spec::catalog_json(KeyCase::Snake))
}

/// The smallest scope set that allows every named operation, sorted
/// (`["users.list", "completions.create"]` → `["completions:write", "users:read"]`).
#[pyfunction]
fn minimal_scopes(py: Python<'_>, operations: Vec<String>) -> PyResult<Vec<String>> {
    degreed::minimal_scopes(&operations)
        .map(|set| set.iter().map(ToString::to_string).collect())
        .map_err(|e| raise(py, &e))
}

/// Python's `gc` module, imported once.
fn gc_module(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static GC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GC.get_or_try_init(py, || Ok::<_, PyErr>(py.import("gc")?.into_any().unbind()))
        .map(|m| m.bind(py))
}

/// Disables the garbage collector if it was enabled; whether it was. (`gc.isenabled` and
/// `gc.disable` are C functions: calling them runs no Python code.)
fn gc_pause(py: Python<'_>) -> bool {
    let pause = || -> PyResult<bool> {
        let gc = gc_module(py)?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(false);
        }
        gc.call_method0("disable")?;
        Ok(true)
    };
    pause().unwrap_or(false)
}

/// Enables the garbage collector again.
fn gc_resume(py: Python<'_>) {
    if let Ok(gc) = gc_module(py) {
        let _ = gc.call_method0("enable");
    }
}

/// `json.loads`, looked up once.
fn json_loads(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
        })
        .map(|f| f.bind(py))
}

/// The core's rule for an attribute name as sent: its snake_case spelling, whether it holds
/// a timestamp, and how a string value of it is read (`number`, `int`, `bool`, `list` or
/// `None`, see `read_value`): `"created-at"` → `("created_at", True, None)`.
#[pyfunction]
fn attribute_rule(key: &str) -> (String, bool, Option<&'static str>) {
    let (name, time) = degreed::models::attribute_rule(key, KeyCase::Snake);
    (name, time, degreed::models::attribute_kind(key))
}

/// A string attribute value read as `kind` (`models::read_value`): `(value,)`, or `None`
/// when it cannot mean that type (then it is kept as sent).
#[pyfunction]
fn read_value<'py>(
    py: Python<'py>,
    kind: &str,
    text: &str,
) -> PyResult<Option<Bound<'py, PyTuple>>> {
    degreed::models::read_value(kind, text)
        .map(|v| PyTuple::new(py, [to_py(py, &v)?]))
        .transpose()
}

/// A timestamp as sent, in the form Python's `datetime.fromisoformat` reads (UTC, six
/// fraction digits or none); `None` for Degreed's "never"; `False` when it is not one.
#[pyfunction]
fn normalize_timestamp<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyAny>> {
    match normalize_time(value) {
        Some(Some(s)) => s.into_bound_py_any(py),
        Some(None) => Ok(py.None().into_bound(py)),
        None => false.into_bound_py_any(py),
    }
}

/// Normalizes one API item (`models::normalize`, snake_case keys).
#[pyfunction]
fn normalize_item<'py>(py: Python<'py>, item: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let value = from_py(item, 0).map_err(|e| raise(py, &e))?;
    to_py(py, &normalize(&value, KeyCase::Snake))
}

/// The client options the `DEGREED_*` variables in `env` give (`degreed::env`), with the
/// constructor's keyword names; raises `InvalidRequestError` without a client id and secret.
#[pyfunction]
fn settings_from_env<'py>(
    py: Python<'py>,
    env: std::collections::HashMap<String, String>,
) -> PyResult<Bound<'py, PyAny>> {
    let settings = degreed::env::settings_from_env(|k| env.get(k).cloned(), KeyCase::Snake)
        .map_err(|e| raise(py, &e))?;
    to_py(py, &Value::Object(settings))
}

/// The private native module of the `degreed` package.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PySession>()?;
    m.add_class::<PyCall>()?;
    m.add_class::<PyPager>()?;
    m.add_class::<PyRequest>()?;
    m.add_function(wrap_pyfunction!(catalog, m)?)?;
    m.add_function(wrap_pyfunction!(minimal_scopes, m)?)?;
    m.add_function(wrap_pyfunction!(settings_from_env, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_item, m)?)?;
    m.add_function(wrap_pyfunction!(attribute_rule, m)?)?;
    m.add_function(wrap_pyfunction!(read_value, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_timestamp, m)?)?;
    Ok(())
}
