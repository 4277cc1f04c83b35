//! HTTP plumbing: accept loop, graceful shutdown, the request pipeline (CORS, request ids,
//! routing, 404/405/406/413, auth, rate limit, scopes, faults, latency).

use crate::auth::{bearer, has_scope, token_endpoint, TokenError};
use crate::envelope::Resp;
use crate::faults::{FaultKind, Phase};
use crate::rng::SplitMix64;
use crate::routes::{self, Ctx, Match};
use crate::state::Shared;
use crate::util::Query;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Marks a request that came in over TLS.
#[derive(Debug, Clone, Copy)]
struct Https;

/// Returned by the service to make hyper drop the connection without answering.
#[derive(Debug)]
pub struct ResetConnection;

impl std::fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected connection reset")
    }
}

impl std::error::Error for ResetConnection {}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish
/// (at most 5 s).
///
/// A hostile client cannot starve it: a connection must send each request's headers within
/// the header timeout, which also closes connections left idle that long (slowloris, idle
/// floods), and at most `max_connections` are served at once, so the process never runs out
/// of file descriptors; more connections wait in the listen queue until one closes.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, shutdown: impl Future<Output = ()>) {
    serve_with(listener, shared, shutdown, None).await;
}

/// [`serve`] over TLS (`--tls`): each connection's handshake, then HTTP/1.1 as usual.
#[cfg(feature = "tls")]
pub async fn serve_tls(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
    acceptor: tokio_rustls::TlsAcceptor,
) {
    serve_with(listener, shared, shutdown, Some(acceptor)).await;
}

#[cfg(feature = "tls")]
type Acceptor = tokio_rustls::TlsAcceptor;
#[cfg(not(feature = "tls"))]
type Acceptor = std::convert::Infallible;

async fn serve_with(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
    tls: Option<Acceptor>,
) {
    let graceful = GracefulShutdown::new();
    let local = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
    let slots = Arc::new(Semaphore::new(shared.max_connections));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            res = async {
                let permit = slots.clone().acquire_owned().await;
                (permit, listener.accept().await)
            } => res,
            _ = &mut shutdown => break,
        };
        let (Ok(permit), res) = accepted else { break };
        let stream = match res {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors (or a connection reset while queued): wait for
                // connections to close instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared2 = shared.clone();
        let https = tls.is_some();
        let svc = service_fn(move |mut req: Request<Incoming>| {
            if https {
                req.extensions_mut().insert(Https);
            }
            handle(shared2.clone(), req, local)
        });
        #[cfg(feature = "tls")]
        if let Some(acceptor) = tls.clone() {
            let watcher = graceful.watcher();
            let header_timeout = shared.header_timeout;
            tokio::spawn(async move {
                // A client that never finishes its handshake is dropped.
                let handshake = acceptor.accept(stream);
                if let Ok(Ok(stream)) = tokio::time::timeout(header_timeout, handshake).await {
                    let conn = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_timeout)
                        .serve_connection(TokioIo::new(stream), svc);
                    let _ = watcher.watch(conn).await;
                }
                drop(permit);
            });
            continue;
        }
        #[cfg(not(feature = "tls"))]
        let _ = &tls;
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(shared.header_timeout)
            .serve_connection(TokioIo::new(stream), svc);
        let fut = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = fut.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(5)) => {}
    }
}

/// One request → one response (or a dropped connection for the `reset` fault).
pub async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    local: SocketAddr,
) -> Result<Response<Full<Bytes>>, ResetConnection> {
    let started = Instant::now();
    let n = shared.request_counter.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = SplitMix64::new(n ^ shared.seed.rotate_left(17) ^ 0xa5a5_5a5a).uuid();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let outcome = pipeline(&shared, req, local).await;
    if !shared.quiet {
        let status = outcome
            .as_ref()
            .map_or("reset".to_string(), |r| r.status.to_string());
        eprintln!(
            "{method} {path} -> {status} ({} ms)",
            started.elapsed().as_millis()
        );
    }
    match outcome {
        Some(resp) => Ok(into_http(resp, &request_id)),
        None => Err(ResetConnection),
    }
}

fn into_http(resp: Resp, request_id: &str) -> Response<Full<Bytes>> {
    let mut out = Response::new(Full::new(Bytes::from(resp.body)));
    *out.status_mut() =
        StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = out.headers_mut();
    let mut set = |name: &str, value: &str| {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            h.insert(n, v);
        }
    };
    if let Some(ct) = resp.content_type {
        set("content-type", ct);
    }
    set("access-control-allow-origin", "*");
    set(
        "access-control-allow-methods",
        "GET, POST, PATCH, DELETE, OPTIONS",
    );
    set(
        "access-control-allow-headers",
        "Authorization, Content-Type, Accept, X-Degreed-Organization-Code",
    );
    set(
        "access-control-expose-headers",
        "Retry-After, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset, X-Request-Id",
    );
    set("x-request-id", request_id);
    for (k, v) in &resp.headers {
        set(k, v);
    }
    out
}

/// Whether an `Accept` header admits JSON (absent = yes).
pub fn accepts_json(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return true };
    if accept.trim().is_empty() {
        return true;
    }
    accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q_zero = parts.any(|p| {
            let p = p.trim();
            p.starts_with("q=") && p[2..].trim().parse::<f32>().is_ok_and(|q| q == 0.0)
        });
        !q_zero
            && (media == "*/*"
                || media == "application/*"
                || media == "application/json"
                || media == "text/json"
                || media.ends_with("+json"))
    })
}

async fn read_body(body: Incoming, headers: &hyper::HeaderMap, max: usize) -> Result<Bytes, Resp> {
    let too_large = || {
        Resp::error(
            413,
            "payload-too-large",
            format!("The request body exceeds the limit of {max} bytes."),
        )
    };
    if let Some(len) = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > max as u64 {
            return Err(too_large());
        }
    }
    match Limited::new(body, max).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large())
        }
        Err(e) => Err(Resp::bad_request(format!(
            "Could not read the request body: {e}"
        ))),
    }
}

fn header<'a>(parts: &'a hyper::http::request::Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

async fn pipeline(shared: &Shared, req: Request<Incoming>, local: SocketAddr) -> Option<Resp> {
    shared.lock().stats.requests += 1;
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    if parts.method == Method::OPTIONS {
        return Some(Resp::empty(204).with_header("access-control-max-age", "600"));
    }
    if path == "/health" {
        return Some(
            if parts.method == Method::GET || parts.method == Method::HEAD {
                Resp::json(200, &json!({ "status": "ok" }))
            } else {
                method_not_allowed(&[Method::GET])
            },
        );
    }
    if path == "/_sandbox" || path.starts_with("/_sandbox/") {
        let body = match read_body(body, &parts.headers, shared.max_body).await {
            Ok(b) => b,
            Err(r) => return Some(r),
        };
        return Some(crate::control::handle(shared, &parts.method, &path, &body));
    }
    if path == "/oauth/token" {
        if parts.method != Method::POST {
            return Some(method_not_allowed(&[Method::POST]));
        }
        let body = match read_body(body, &parts.headers, shared.max_body).await {
            Ok(b) => b,
            Err(r) => return Some(r),
        };
        let now = shared.clock.now_ms();
        let mut st = shared.lock();
        let ttl = st.cfg.token_ttl;
        return Some(token_endpoint(
            &shared.clients,
            &mut st.tokens,
            header(&parts, "authorization"),
            &body,
            now,
            ttl,
        ));
    }

    let (route, params) = match routes::find(&parts.method, &path) {
        Match::Found(r, p) => (r, p),
        Match::WrongMethod(methods) => return Some(method_not_allowed(&methods)),
        Match::NotFound => {
            return Some(Resp::error_src(
                404,
                "not-found",
                format!("No resource at {path}."),
                Some(&path),
            ))
        }
    };
    if !accepts_json(header(&parts, "accept")) {
        return Some(Resp::error(
            406,
            "not-acceptable",
            "Only application/json responses are available.",
        ));
    }
    let body = match read_body(body, &parts.headers, shared.max_body).await {
        Ok(b) => b,
        Err(r) => return Some(r),
    };
    // Links (`links.next`) keep the scheme the request came in on.
    let scheme = if parts.extensions.get::<Https>().is_some() {
        "https"
    } else {
        "http"
    };
    let base = match header(&parts, "host") {
        Some(h) if !h.is_empty() => format!("{scheme}://{h}"),
        _ => format!("{scheme}://{local}"),
    };
    let now = shared.clock.now_ms();

    let (resp, latency_ms) = {
        let mut guard = shared.lock();
        let st = &mut *guard;
        st.stats.api_requests += 1;
        let latency_ms = st.cfg.faults.latency_ms;
        let token = match st
            .tokens
            .check(bearer(header(&parts, "authorization")), now)
        {
            Ok(t) => t.clone(),
            Err(e) => {
                let detail = match e {
                    TokenError::Missing => {
                        "A bearer access token is required (Authorization: Bearer <token>)."
                    }
                    TokenError::Unknown => "The access token is invalid or has been revoked.",
                    TokenError::Expired => "The access token has expired.",
                };
                let r = Resp::error(401, "unauthorized", detail)
                    .with_header("www-authenticate", "Bearer error=\"invalid_token\"");
                drop(guard);
                return Some(r);
            }
        };
        let rate = st.limiter.hit(
            &token.client_id,
            now,
            st.cfg.rate_limit,
            st.cfg.rate_window_secs,
        );
        let rate_headers = rate.as_ref().map(|r| r.headers.clone()).unwrap_or_default();
        let with_rate = |mut r: Resp| {
            r.headers.extend(rate_headers.iter().cloned());
            r
        };
        if let Some(info) = rate.as_ref().filter(|r| r.retry_after.is_some()) {
            st.stats.rate_limited += 1;
            let r = Resp::error(
                429,
                "quota-exceeded",
                format!(
                    "Maximum {} requests allowed per {}.",
                    info.limit, info.period
                ),
            )
            .with_header("retry-after", info.retry_after.unwrap_or(1).to_string());
            return Some(with_rate(r));
        }
        if !has_scope(&token.scopes, route.scopes) {
            let needed = route.scopes[0];
            let also = if route.scopes.len() > 1 {
                format!(" (or {})", route.scopes[1..].join(" or "))
            } else {
                String::new()
            };
            let r = Resp::error_src(
                403,
                "forbidden",
                format!(
                    "The access token lacks the scope {needed}{also} required by {} {}.",
                    parts.method, route.path
                ),
                Some(needed),
            );
            return Some(with_rate(r));
        }
        let scheduled = if route.write {
            st.cfg.write_faults.pop_front()
        } else {
            None
        };
        let fault = match scheduled {
            Some(fault) => fault,
            None => st.cfg.faults.roll(&mut st.fault_rng, route.write),
        };
        if let Some(f) = fault {
            st.stats.faults_injected += 1;
            *st.stats
                .faults_by_kind
                .entry(f.kind.name().to_string())
                .or_default() += 1;
        }
        let real = match fault {
            Some(f) if f.phase == Phase::Before => None,
            _ => {
                let mut ctx = Ctx {
                    st: &mut *st,
                    now_ms: now,
                    base: &base,
                    op: route.name,
                    method: &parts.method,
                    path: &path,
                    raw_query: parts.uri.query(),
                    query: Query::parse(parts.uri.query()),
                    params,
                    body: &body,
                    client_id: &token.client_id,
                };
                Some((route.handler)(&mut ctx))
            }
        };
        let limit_text = (
            st.cfg.rate_limit,
            crate::ratelimit::period(st.cfg.rate_window_secs),
        );
        let resp = match fault {
            None => real,
            Some(f) => fault_response(f.kind, real.as_ref(), limit_text),
        };
        (resp.map(with_rate), latency_ms)
    };
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    resp
}

fn method_not_allowed(methods: &[Method]) -> Resp {
    let allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
    Resp::error(
        405,
        "method-not-allowed",
        format!("Method not allowed here; allowed: {}.", allow.join(", ")),
    )
    .with_header("allow", allow.join(", "))
}

/// The answer that replaces (or precedes) the real one; `None` = reset the connection.
fn fault_response(
    kind: FaultKind,
    real: Option<&Resp>,
    (limit, period): (u32, String),
) -> Option<Resp> {
    Some(match kind {
        FaultKind::Status500 => Resp::error(500, "internal-server-error", "An unexpected error occurred (injected fault)."),
        FaultKind::Status503 => {
            Resp::error(503, "service-unavailable", "The service is temporarily unavailable (injected fault).")
                .with_header("retry-after", "1")
        }
        FaultKind::Status429 => Resp::error(
            429,
            "quota-exceeded",
            format!("Maximum {} requests allowed per {period}.", if limit == 0 { 70 } else { limit }),
        )
        .with_header("retry-after", "1"),
        FaultKind::Reset => return None,
        FaultKind::Malformed => {
            let body = match real {
                Some(r) if r.body.len() > 4 => {
                    let mut cut = r.body.len() / 2;
                    while cut > 1 && std::str::from_utf8(&r.body[..cut]).is_err() {
                        cut -= 1;
                    }
                    r.body[..cut].to_vec()
                }
                _ => br#"{"data":[{"type":"users","id":"zk3j"#.to_vec(),
            };
            Resp {
                status: 200,
                headers: Vec::new(),
                content_type: Some(crate::envelope::JSON),
                body,
            }
        }
        FaultKind::Html => Resp {
            status: 502,
            headers: Vec::new(),
            content_type: Some("text/html; charset=utf-8"),
            body: b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1><p>The upstream server returned an invalid response (injected fault).</p></body></html>\n".to_vec(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_header() {
        assert!(accepts_json(None));
        assert!(accepts_json(Some("application/json")));
        assert!(accepts_json(Some("text/html, */*;q=0.8")));
        assert!(accepts_json(Some("application/vnd.api+json")));
        assert!(!accepts_json(Some("text/xml")));
        assert!(!accepts_json(Some("application/json;q=0, text/xml")));
    }
}
