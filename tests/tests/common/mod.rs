//! Shared helpers: an in-process sandbox and a plain blocking HTTP client (ureq, no SDK).
#![allow(dead_code)]

use degreed_sandbox::{Options, Sandbox, SandboxHandle};
use serde_json::{json, Value};
use std::time::Duration;

/// A response, whatever its status.
#[derive(Debug)]
pub struct R {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl R {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// `errors[0]` of an error body.
    pub fn error(&self) -> Value {
        let v = self.json();
        let e = v["errors"][0].clone();
        assert!(e.is_object(), "no errors[] in {}", self.text);
        e
    }
}

pub struct Sb {
    pub handle: SandboxHandle,
    pub base: String,
    agent: ureq::Agent,
}

/// Default options, quiet, without rate limiting (tests that check limits opt back in).
pub fn quiet() -> Options {
    Options::default().quiet(true).rate_limit(0)
}

pub fn start() -> Sb {
    start_with(quiet())
}

pub fn start_with(opts: Options) -> Sb {
    let handle = Sandbox::start(opts).expect("sandbox starts");
    let base = handle.base_url().to_string();
    // No pooling: every request gets its own connection, so ureq never retries a request
    // on a stale pooled connection (that would consume extra fault rolls).
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(20))
        .max_idle_connections(0)
        .build();
    Sb {
        handle,
        base,
        agent,
    }
}

impl Sb {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    /// Sends a request; transport errors (e.g. an injected reset) are `Err`.
    pub fn try_raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<R, String> {
        let mut req = self.agent.request(method, &self.url(path));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let res = match body {
            Some(b) => req.send_bytes(b),
            None => req.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(e.to_string()),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .map(|n| {
                let v = resp.header(&n).unwrap_or("").to_string();
                (n, v)
            })
            .collect();
        let text = resp.into_string().map_err(|e| e.to_string())?;
        Ok(R {
            status,
            headers,
            text,
        })
    }

    pub fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> R {
        self.try_raw(method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// JSON API call with an optional bearer token.
    pub fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> R {
        self.try_call(method, path, token, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn try_call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<R, String> {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Accept", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap());
        if bytes.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.try_raw(method, path, &headers, bytes.as_deref())
    }

    pub fn get(&self, path: &str, token: &str) -> R {
        self.call("GET", path, Some(token), None)
    }
    pub fn post(&self, path: &str, token: &str, body: &Value) -> R {
        self.call("POST", path, Some(token), Some(body))
    }
    pub fn patch(&self, path: &str, token: &str, body: &Value) -> R {
        self.call("PATCH", path, Some(token), Some(body))
    }
    pub fn delete(&self, path: &str, token: &str) -> R {
        self.call("DELETE", path, Some(token), None)
    }

    /// Raw token request with a form body.
    pub fn token_form(&self, form: &str) -> R {
        self.raw(
            "POST",
            "/oauth/token",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(form.as_bytes()),
        )
    }

    /// A token for `id`/`secret` with `scope` (None = every official scope, which the
    /// client must have been granted: the token endpoint requires `scope`).
    pub fn token_for(&self, id: &str, secret: &str, scope: Option<&str>) -> String {
        let all = degreed_sandbox::config::OFFICIAL_SCOPES.join(",");
        let s = scope.unwrap_or(&all);
        let form = format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope={}",
            s.replace(':', "%3A").replace(' ', "+").replace(',', "%2C")
        );
        let r = self.token_form(&form);
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["access_token"].as_str().unwrap().to_string()
    }

    /// A token of the default client with every scope.
    pub fn token(&self) -> String {
        self.token_for("sandbox", "sandbox-secret", None)
    }

    pub fn control(&self, path: &str, body: &Value) -> R {
        self.call("POST", path, None, Some(body))
    }

    pub fn advance(&self, secs: i64) {
        let r = self.control("/_sandbox/clock", &json!({ "advance_secs": secs }));
        assert_eq!(r.status, 200, "{}", r.text);
    }

    pub fn log(&self) -> Vec<Value> {
        let r = self.raw("GET", "/_sandbox/log", &[], None);
        r.json()["writes"].as_array().unwrap().clone()
    }

    pub fn stats(&self) -> Value {
        self.raw("GET", "/_sandbox/stats", &[], None).json()
    }

    /// Walks a cursor list to the end; returns all items and the number of pages.
    pub fn walk(&self, first: &str, token: &str) -> (Vec<Value>, usize) {
        let mut items = Vec::new();
        let mut url = first.to_string();
        let mut pages = 0;
        loop {
            let r = self.get(&url, token);
            assert_eq!(r.status, 200, "{url}: {}", r.text);
            let v = r.json();
            pages += 1;
            items.extend(v["data"].as_array().unwrap().iter().cloned());
            match v["links"].get("next") {
                Some(Value::String(n)) => url = n.clone(),
                None => break,
                Some(other) => panic!("links.next must be a string or absent, got {other}"),
            }
            assert!(pages < 1000);
        }
        (items, pages)
    }
}

/// A minimal valid user-create body.
pub fn user_body(emp: &str, email: &str) -> Value {
    json!({ "data": { "type": "users", "attributes": {
        "employee-id": emp, "first-name": "Zoë", "last-name": "Łęcka", "organization-email": email
    } } })
}

/// Today (sandbox clock, UTC) minus `days`, as yyyy-mm-dd.
pub fn day(days_ago: i64) -> String {
    degreed_sandbox::clock::fmt_date(degreed_sandbox::clock::real_now_ms() - days_ago * 86_400_000)
}
