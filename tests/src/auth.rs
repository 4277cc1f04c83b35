//! Clients, access tokens and scopes (facts §2).

use crate::config::{normalize_scope, split_scopes, ClientSpec};
use crate::envelope::Resp;
use crate::rng::SplitMix64;
use crate::util::{base64_decode, parse_pairs};
use serde_json::{json, Value};
use std::collections::HashMap;

/// An issued access token.
#[derive(Debug, Clone)]
pub struct Token {
    /// Owner.
    pub client_id: String,
    /// Scopes granted to this token.
    pub scopes: Vec<String>,
    /// Expiry, sandbox-clock milliseconds.
    pub expires_ms: i64,
}

/// Issued tokens.
#[derive(Debug)]
pub struct Tokens {
    map: HashMap<String, Token>,
    rng: SplitMix64,
    /// Number of tokens ever issued.
    pub issued: u64,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Never issued, or revoked.
    Unknown,
    /// Past its lifetime.
    Expired,
}

impl Tokens {
    /// No tokens; token strings drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Tokens {
            map: HashMap::new(),
            rng: SplitMix64::derive(seed, "tokens"),
            issued: 0,
        }
    }

    /// Issues an access token (and a decorative refresh token).
    pub fn issue(
        &mut self,
        client_id: &str,
        scopes: Vec<String>,
        now_ms: i64,
        ttl_secs: u64,
    ) -> (String, String) {
        let access = self.rng.alnum(40);
        let refresh = self.rng.alnum(40);
        self.map.insert(
            access.clone(),
            Token {
                client_id: client_id.to_string(),
                scopes,
                expires_ms: now_ms.saturating_add((ttl_secs as i64).saturating_mul(1000)),
            },
        );
        self.issued += 1;
        (access, refresh)
    }

    /// Validates a bearer token.
    pub fn check(&self, token: Option<&str>, now_ms: i64) -> Result<&Token, TokenError> {
        let token = token.ok_or(TokenError::Missing)?;
        let t = self.map.get(token).ok_or(TokenError::Unknown)?;
        if now_ms >= t.expires_ms {
            return Err(TokenError::Expired);
        }
        Ok(t)
    }

    /// Forgets every token; returns how many there were.
    pub fn revoke_all(&mut self) -> usize {
        let n = self.map.len();
        self.map.clear();
        n
    }
}

/// Whether holding `held` allows what `need` allows: the same scope, or a wider one where
/// Degreed documents the implication (content: "content:read or content:write" on GETs;
/// xAPI: `xapi:write`/`xapi:all` read statements, `xapi:all` writes them). Elsewhere a
/// write scope does not allow reading.
fn implies(held: &str, need: &str) -> bool {
    if held == need {
        return true;
    }
    match (held.split_once(':'), need.split_once(':')) {
        (Some((hr, ha)), Some((nr, na))) if hr == nr && (hr == "content" || hr == "xapi") => {
            matches!(
                (ha, na),
                ("write", "read") | ("all", "read") | ("all", "write")
            )
        }
        _ => false,
    }
}

/// Whether `granted` allows any of `alternatives` (full scope names).
pub fn has_scope(granted: &[String], alternatives: &[&str]) -> bool {
    alternatives
        .iter()
        .any(|need| granted.iter().any(|g| implies(g, need)))
}

/// Whether a client may be given `scope` (exactly granted, or implied by a wider grant).
fn client_may(client: &ClientSpec, scope: &str) -> bool {
    client.scopes.iter().any(|g| implies(g, scope))
}

/// Extracts the bearer token from an `Authorization` header value.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let h = header?.trim();
    let (scheme, rest) = h.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim())
        .filter(|t| !t.is_empty())
}

fn token_error(status: u16, error: &str, code: &str, detail: &str) -> Resp {
    let mut r = Resp::error(status, code, detail);
    // Add the OAuth-style fields next to errors[].
    if let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&r.body) {
        m.insert("error".into(), Value::String(error.into()));
        m.insert("error_description".into(), Value::String(detail.into()));
        r.body = serde_json::to_vec(&Value::Object(m)).unwrap_or_default();
    }
    r
}

/// `POST /oauth/token`: form body (any content type), client credentials in the form or via
/// HTTP Basic, comma- or space-separated scopes.
pub fn token_endpoint(
    clients: &[ClientSpec],
    tokens: &mut Tokens,
    authorization: Option<&str>,
    body: &[u8],
    now_ms: i64,
    ttl_secs: u64,
) -> Resp {
    let form = parse_pairs(&String::from_utf8_lossy(body));
    let field = |k: &str| form.iter().find(|(fk, _)| fk == k).map(|(_, v)| v.clone());

    match field("grant_type").as_deref().map(str::trim) {
        None | Some("") => {
            return token_error(
                400,
                "invalid_request",
                "bad-request",
                "The grant_type parameter is required.",
            )
        }
        Some("client_credentials") => {}
        Some(other) => {
            return token_error(
                400,
                "unsupported_grant_type",
                "bad-request",
                &format!("Unsupported grant_type {other:?}; only client_credentials is supported."),
            )
        }
    }

    let (mut id, mut secret) = (field("client_id"), field("client_secret"));
    if let Some(basic) = authorization.and_then(|h| {
        let (scheme, rest) = h.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("basic").then_some(rest)
    }) {
        if let Some(decoded) = base64_decode(basic).and_then(|b| String::from_utf8(b).ok()) {
            if let Some((i, s)) = decoded.split_once(':') {
                id = id.or_else(|| Some(crate::util::percent_decode(i, true)));
                secret = secret.or_else(|| Some(crate::util::percent_decode(s, true)));
            }
        }
    }
    let id = id.unwrap_or_default();
    let secret = secret.unwrap_or_default();
    let Some(client) = clients
        .iter()
        .find(|c| c.id == id && c.secret == secret && !id.is_empty())
    else {
        return token_error(
            403,
            "invalid_client",
            "forbidden",
            "Invalid client credentials.",
        );
    };

    // The reference marks `scope` required (its default value is the official list).
    let requested = field("scope").map(|s| split_scopes(&s)).unwrap_or_default();
    let scopes = if requested.is_empty() {
        return token_error(
            400,
            "invalid_scope",
            "bad-request",
            "The scope parameter is required (a comma-delimited list of scopes).",
        );
    } else {
        let missing: Vec<&String> = requested
            .iter()
            .filter(|s| !client_may(client, s))
            .collect();
        if !missing.is_empty() {
            let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            return token_error(
                403,
                "invalid_scope",
                "forbidden",
                &format!(
                    "The client is not allowed the requested scope(s): {}",
                    list.join(", ")
                ),
            );
        }
        let mut v: Vec<String> = requested.iter().map(|s| normalize_scope(s)).collect();
        v.dedup();
        v
    };
    let (access, refresh) = tokens.issue(&client.id, scopes, now_ms, ttl_secs);
    Resp::json(
        200,
        &json!({
            "access_token": access,
            "token_type": "bearer",
            "expires_in": ttl_secs,
            "refresh_token": refresh,
        }),
    )
    .with_header("cache-control", "no-store")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_rules() {
        let g = vec![
            "users:write".to_string(),
            "content:read".to_string(),
            "xapi:all".to_string(),
        ];
        assert!(!has_scope(&g, &["users:read"]));
        assert!(has_scope(&g, &["users:read", "users:write"]));
        assert!(has_scope(&g, &["users:write"]));
        assert!(has_scope(&g, &["content:read"]));
        assert!(!has_scope(&g, &["content:write"]));
        assert!(has_scope(&g, &["xapi:write"]));
        assert!(has_scope(&g, &["xapi:read"]));
        assert!(!has_scope(&g, &["groups:read"]));
        let w = vec!["content:write".to_string()];
        assert!(has_scope(&w, &["content:read"]));
        assert_eq!(bearer(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(Some("Basic abc")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
    }
}
