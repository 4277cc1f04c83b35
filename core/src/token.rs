//! The OAuth 2.0 client-credentials token: request, response, expiry.

use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;

use crate::config::Config;
use crate::datetime::Timestamp;
use crate::error::Error;
use crate::response;
use crate::scope::ScopeSet;
use crate::secret::{AccessToken, Credentials};

/// Refresh this long before expiry at most ...
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The token request: `POST {token_url}` with a form body; scopes comma-joined as documented.
/// The reference marks `scope` required, so it is always sent ([`crate::Session`] never
/// passes an empty set: without caller scopes it asks for what the calls need).
pub fn token_request(
    config: &Config,
    credentials: &Credentials,
    scopes: &ScopeSet,
) -> http::Request<Vec<u8>> {
    debug_assert!(!scopes.is_empty(), "a token request names its scopes");
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials");
    form.append_pair("client_id", &credentials.client_id);
    form.append_pair("client_secret", credentials.client_secret.expose_secret());
    form.append_pair("scope", &scopes.to_wire());
    http::Request::builder()
        .method(http::Method::POST)
        .uri(config.token_url().as_str())
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(ACCEPT, "application/json")
        .body(form.finish().into_bytes())
        .expect("token URL validated by Config")
}

/// A bearer token with its absolute expiry.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    access_token: AccessToken,
    issued_at: Timestamp,
    expires_at: Option<Timestamp>,
    scopes: Option<ScopeSet>,
}

impl Token {
    /// A token, for tests and for callers who obtained one elsewhere.
    pub fn new(
        access_token: AccessToken,
        issued_at: Timestamp,
        lifetime: Option<Duration>,
        scopes: Option<ScopeSet>,
    ) -> Self {
        Token {
            access_token,
            issued_at,
            expires_at: lifetime.map(|d| issued_at.add(d)),
            scopes,
        }
    }

    /// Reads the token endpoint's answer. `requested` is what the request asked for (the
    /// token's scopes unless the response names them). `now` is when the response arrived.
    ///
    /// Tolerant of the shapes seen: `expires_in` as a number or a string, a missing
    /// `refresh_token`, extra fields, any `token_type` casing.
    pub fn from_response(
        response: &http::Response<Vec<u8>>,
        requested: Option<&ScopeSet>,
        now: Timestamp,
    ) -> Result<Token, Error> {
        let status = response.status().as_u16();
        let headers = response.headers();
        let body = response.body();
        if !response.status().is_success() {
            let err = response::error_for_status(status, headers, body, now);
            return Err(match status {
                400 | 401 | 403 => {
                    Error::Authentication(Box::new(err.api().cloned().unwrap_or_default()))
                }
                _ => err,
            });
        }
        // A broken token body may still hold the token: never quote it.
        let json = response::parse_json(status, headers, body).map_err(|e| match e {
            Error::Decode {
                message,
                path,
                status,
                request_id,
                ..
            } => Error::Decode {
                message,
                path,
                excerpt: "[redacted]".to_owned(),
                status,
                request_id,
                maybe_applied: false,
            },
            other => other,
        })?;
        let decode = |message: &str| Error::Decode {
            message: message.to_owned(),
            path: "$.access_token".to_owned(),
            // The body holds the token: never quote it.
            excerpt: "[redacted]".to_owned(),
            status,
            request_id: response::request_id(headers),
            maybe_applied: false,
        };
        let token = json
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| decode("no access_token"))?;
        if token.is_empty() || !token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
            return Err(decode("access_token is empty or not printable ASCII"));
        }
        if let Some(kind) = json.get("token_type").and_then(Value::as_str) {
            if !kind.eq_ignore_ascii_case("bearer") {
                let message = format!("unsupported token type `{}`", crate::error::excerpt(kind));
                return Err(decode(&message));
            }
        }
        let lifetime = match json.get("expires_in") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => crate::response::parse_seconds(s.trim()),
            _ => None,
        }
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(10.0 * 365.0 * 86_400.0)));
        let scopes = json
            .get("scope")
            .and_then(Value::as_str)
            .and_then(|s| ScopeSet::parse(s).ok())
            .filter(|s| !s.is_empty())
            .or_else(|| requested.cloned());
        Ok(Token::new(AccessToken::new(token), now, lifetime, scopes))
    }

    /// The bearer value.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// When the token expires, if the server said.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    /// How long the token lives from issue, if the server said.
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_at.map(|e| e.duration_since(self.issued_at))
    }

    /// The scopes the token carries, when known.
    pub fn scopes(&self) -> Option<&ScopeSet> {
        self.scopes.as_ref()
    }

    /// Whether the token should be replaced before use at `now`: it is within a margin of
    /// its expiry (a tenth of its lifetime, at most five minutes), so a request sent now
    /// does not arrive with an expired token.
    pub fn needs_refresh(&self, now: Timestamp) -> bool {
        match self.expires_at {
            None => false,
            Some(exp) => {
                let margin = (exp.duration_since(self.issued_at) / 10).min(MAX_REFRESH_MARGIN);
                exp.duration_since(now) <= margin
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    #[test]
    fn builds_form_request() {
        let cfg = Config::default();
        let creds = Credentials::new("my id", "p&ss=word");
        let scopes = ScopeSet::parse("users:read completions:write").unwrap();
        let req = token_request(&cfg, &creds, &scopes);
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri(), "https://degreed.com/oauth/token");
        assert_eq!(
            req.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(
            String::from_utf8(req.body().clone()).unwrap(),
            "grant_type=client_credentials&client_id=my+id&client_secret=p%26ss%3Dword&scope=completions%3Awrite%2Cusers%3Aread"
        );
    }

    #[test]
    fn parses_tolerantly_and_computes_expiry() {
        let now = Timestamp::from_unix_millis(1_000_000);
        for body in [
            r#"{"access_token":"abc","token_type":"bearer","expires_in":3600,"refresh_token":"r"}"#,
            r#"{"access_token":"abc","token_type":"Bearer","expires_in":"3600","extra":1}"#,
        ] {
            let t = Token::from_response(&resp(200, body), None, now).unwrap();
            assert_eq!(t.expires_at(), Some(now.add(Duration::from_secs(3600))));
            assert!(!t.needs_refresh(now));
            assert!(!t.needs_refresh(now.add(Duration::from_secs(3600 - 301))));
            assert!(t.needs_refresh(now.add(Duration::from_secs(3600 - 299))));
        }
        let t = Token::from_response(&resp(200, r#"{"access_token":"abc"}"#), None, now).unwrap();
        assert_eq!(t.expires_at(), None);
        assert!(!t.needs_refresh(now.add(Duration::from_secs(1 << 40))));
        let short = Token::from_response(
            &resp(200, r#"{"access_token":"a","expires_in":60}"#),
            None,
            now,
        )
        .unwrap();
        assert!(short.needs_refresh(now.add(Duration::from_secs(55))));
    }

    #[test]
    fn errors_are_typed_and_never_quote_the_token() {
        let now = Timestamp::EPOCH;
        let e = Token::from_response(
            &resp(403, r#"{"errors":[{"detail":"Invalid client"}]}"#),
            None,
            now,
        )
        .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Authentication);
        assert_eq!(e.status(), Some(403));
        let e = Token::from_response(&resp(200, r#"{"access_token":"sec ret"}"#), None, now)
            .unwrap_err();
        assert!(!e.to_string().contains("sec ret"));
        let e =
            Token::from_response(&resp(200, r#"{"access_token":"leak"#), None, now).unwrap_err();
        assert!(!e.to_string().contains("leak"), "{e}");
        let e = Token::from_response(&resp(200, "<html>"), None, now).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert_eq!(
            Token::from_response(&resp(503, ""), None, now)
                .unwrap_err()
                .kind(),
            crate::ErrorKind::Server
        );
    }
}
