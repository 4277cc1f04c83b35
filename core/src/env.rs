//! Client settings from `DEGREED_*` environment variables, by one set of rules for every
//! binding (`Client.from_env()` in Python, `Client.fromEnv()` in JavaScript, the CLI and the
//! nightly job).
//!
//! The core reads no environment itself (a browser has none): a binding passes a lookup
//! function and gets the constructor's options back, in its own spelling.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::models::{convert_key, KeyCase};

/// Each variable, the client option it sets, and what it means. Empty values count as unset.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "DEGREED_CLIENT_ID",
        "client_id",
        "the API key's client id (required)",
    ),
    (
        "DEGREED_CLIENT_SECRET",
        "client_secret",
        "the API key's client secret (required)",
    ),
    (
        "DEGREED_ENVIRONMENT",
        "environment",
        "`production` (default) or `betatest`",
    ),
    (
        "DEGREED_DATA_CENTER",
        "data_center",
        "`us` (default), `eu` or `ca`",
    ),
    (
        "DEGREED_BASE_URL",
        "base_url",
        "a custom API host (the sandbox, a proxy); tokens from its origin unless DEGREED_TOKEN_URL",
    ),
    ("DEGREED_TOKEN_URL", "token_url", "a custom token endpoint"),
    (
        "DEGREED_TENANT",
        "tenant",
        "take tokens from the tenant domain `<tenant>.degreed.app`",
    ),
    (
        "DEGREED_ORGANIZATION_CODE",
        "organization_code",
        "the `X-Degreed-Organization-Code` tenant header",
    ),
    (
        "DEGREED_SCOPES",
        "scopes",
        "scopes to request, comma- or space-separated (default: all the key grants)",
    ),
    (
        "DEGREED_TIMEOUT",
        "timeout",
        "per-request timeout in seconds (default 30)",
    ),
];

/// The client options the `DEGREED_*` variables give, as a JSON object with the keys of
/// `case` (`client_id`, or `clientId` for JavaScript). `timeout` is in seconds for
/// [`KeyCase::Snake`] and becomes `timeoutMs` for [`KeyCase::Camel`]; `scopes` is a list.
/// Values are trimmed and checked as the constructor would; a missing client id or secret
/// is an [`Error::InvalidRequest`] naming both variables.
pub fn settings_from_env(
    lookup: impl Fn(&str) -> Option<String>,
    case: KeyCase,
) -> Result<Map<String, Value>, Error> {
    let mut out = Map::new();
    for (var, option, _) in VARIABLES {
        let Some(raw) = lookup(var) else { continue };
        let value = raw.trim();
        if value.is_empty() {
            continue;
        }
        let (key, value) = match *option {
            "timeout" => {
                let secs = crate::response::parse_seconds(value)
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "{var} must be a positive number of seconds, not `{value}`"
                        ))
                    })?;
                match case {
                    KeyCase::Snake => ("timeout".to_owned(), Value::from(secs)),
                    KeyCase::Camel => ("timeoutMs".to_owned(), Value::from(secs * 1000.0)),
                }
            }
            "scopes" => {
                let list = value
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_owned()))
                    .collect();
                (convert_key(option, case), Value::Array(list))
            }
            _ => (convert_key(option, case), Value::String(value.to_owned())),
        };
        out.insert(key, value);
    }
    let id = convert_key("client_id", case);
    let secret = convert_key("client_secret", case);
    if !out.contains_key(&id) || !out.contains_key(&secret) {
        return Err(Error::invalid(
            "set DEGREED_CLIENT_ID and DEGREED_CLIENT_SECRET (the API key), or pass them",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn reads_every_variable_in_both_spellings() {
        let vars = env(&[
            ("DEGREED_CLIENT_ID", " id "),
            ("DEGREED_CLIENT_SECRET", "s"),
            ("DEGREED_DATA_CENTER", "eu"),
            ("DEGREED_BASE_URL", ""),
            ("DEGREED_SCOPES", "users:read, completions:write"),
            ("DEGREED_TIMEOUT", "2.5"),
        ]);
        assert_eq!(
            Value::Object(settings_from_env(&vars, KeyCase::Snake).unwrap()),
            json!({"client_id": "id", "client_secret": "s", "data_center": "eu",
                   "scopes": ["users:read", "completions:write"], "timeout": 2.5})
        );
        assert_eq!(
            Value::Object(settings_from_env(&vars, KeyCase::Camel).unwrap()),
            json!({"clientId": "id", "clientSecret": "s", "dataCenter": "eu",
                   "scopes": ["users:read", "completions:write"], "timeoutMs": 2500.0})
        );
    }

    #[test]
    fn the_key_is_required_and_the_timeout_checked() {
        let e = settings_from_env(env(&[("DEGREED_CLIENT_ID", "id")]), KeyCase::Snake);
        assert!(e.unwrap_err().to_string().contains("DEGREED_CLIENT_SECRET"));
        let e = settings_from_env(
            env(&[
                ("DEGREED_CLIENT_ID", "id"),
                ("DEGREED_CLIENT_SECRET", "s"),
                ("DEGREED_TIMEOUT", "-1"),
            ]),
            KeyCase::Snake,
        );
        assert!(e.unwrap_err().to_string().contains("DEGREED_TIMEOUT"));
    }
}
