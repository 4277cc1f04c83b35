//! Where requests go: environment × data center → token URL and API base URL.
//!
//! Hosts are those of `shared/degreed-api.md` §1. The CA betatest API host
//! (`api.ca.betatest.degreed.com`) is not listed by any source; it follows the pattern of the
//! other regions and is kept as the best guess. Override it with [`Config::with_base_url`].

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use url::{Host, Url};

use serde_json::{Map, Value};

use crate::call::SessionOptions;
use crate::error::Error;
use crate::models::{convert_key, KeyCase};
use crate::retry::RetryPolicy;
use crate::scope::ScopeSet;
use crate::secret::Credentials;

/// A Degreed environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// Customer production.
    #[default]
    Production,
    /// The betatest environment Degreed provides for integration testing.
    Betatest,
}

/// A Degreed data center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DataCenter {
    /// United States.
    #[default]
    Us,
    /// Europe.
    Eu,
    /// Canada.
    Ca,
}

impl FromStr for Environment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "production" | "prod" => Ok(Environment::Production),
            "betatest" | "beta" => Ok(Environment::Betatest),
            _ => Err(Error::invalid(format!(
                "unknown environment `{s}`: expected `production` or `betatest`"
            ))),
        }
    }
}

impl FromStr for DataCenter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "us" => Ok(DataCenter::Us),
            "eu" => Ok(DataCenter::Eu),
            "ca" => Ok(DataCenter::Ca),
            _ => Err(Error::invalid(format!(
                "unknown data center `{s}`: expected `us`, `eu` or `ca`"
            ))),
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Environment::Production => "production",
            Environment::Betatest => "betatest",
        })
    }
}

impl fmt::Display for DataCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DataCenter::Us => "us",
            DataCenter::Eu => "eu",
            DataCenter::Ca => "ca",
        })
    }
}

/// The host label prefix of a region: `""`, `"eu."` or `"ca."`.
fn region_prefix(dc: DataCenter) -> &'static str {
    match dc {
        DataCenter::Us => "",
        DataCenter::Eu => "eu.",
        DataCenter::Ca => "ca.",
    }
}

/// The OAuth host of an environment and data center (`eu.betatest.degreed.com`).
pub fn oauth_host(env: Environment, dc: DataCenter) -> String {
    let beta = if env == Environment::Betatest {
        "betatest."
    } else {
        ""
    };
    match (dc, env) {
        (DataCenter::Us, Environment::Production) => "degreed.com".to_owned(),
        _ => format!("{}{beta}degreed.com", region_prefix(dc)),
    }
}

/// The API host of an environment and data center (`api.eu.degreed.com`).
pub fn api_host(env: Environment, dc: DataCenter) -> String {
    let beta = if env == Environment::Betatest {
        "betatest."
    } else {
        ""
    };
    format!("api.{}{beta}degreed.com", region_prefix(dc))
}

/// The tenant-domain OAuth host (`acme.eu.beta.degreed.app`).
pub fn tenant_oauth_host(org: &str, env: Environment, dc: DataCenter) -> String {
    let beta = if env == Environment::Betatest {
        "beta."
    } else {
        ""
    };
    format!("{org}.{}{beta}degreed.app", region_prefix(dc))
}

/// Where and how to reach Degreed: token URL, API base URL, tenant header and timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    token_url: Url,
    base_url: Url,
    organization_code: Option<String>,
    timeout: Duration,
}

/// The default per-request timeout a driver should apply.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl Config {
    /// The documented hosts of an environment in a data center.
    pub fn new(env: Environment, dc: DataCenter) -> Self {
        let token = format!("https://{}/oauth/token", oauth_host(env, dc));
        let base = format!("https://{}", api_host(env, dc));
        Config {
            token_url: Url::parse(&token).expect("static host is a valid URL"),
            base_url: Url::parse(&base).expect("static host is a valid URL"),
            organization_code: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// A configuration for custom hosts (the sandbox, a proxy, a test server).
    ///
    /// `token_url` may be an origin only (`https://host`), in which case `/oauth/token` is
    /// appended. Plain `http://` is accepted only for loopback hosts.
    pub fn custom(token_url: &str, base_url: &str) -> Result<Self, Error> {
        Config::new(Environment::Production, DataCenter::Us)
            .with_token_url(token_url)?
            .with_base_url(base_url)
    }

    /// Uses the tenant-domain token host `<org>.[region.][beta.]degreed.app`.
    pub fn with_tenant_domain(
        self,
        org: &str,
        env: Environment,
        dc: DataCenter,
    ) -> Result<Self, Error> {
        let valid = !org.is_empty()
            && org.len() <= 63
            && org.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !org.starts_with('-')
            && !org.ends_with('-');
        if !valid {
            return Err(Error::invalid(format!(
                "`{org}` is not a valid tenant name"
            )));
        }
        let host = tenant_oauth_host(&org.to_ascii_lowercase(), env, dc);
        self.with_token_url(&format!("https://{host}/oauth/token"))
    }

    /// Replaces the token URL.
    pub fn with_token_url(mut self, url: &str) -> Result<Self, Error> {
        let mut url = checked_url(url, "token URL")?;
        if url.path() == "/" || url.path().is_empty() {
            url.set_path("/oauth/token");
        }
        self.token_url = url;
        Ok(self)
    }

    /// Replaces the API base URL (scheme, host, port and an optional path prefix).
    pub fn with_base_url(mut self, url: &str) -> Result<Self, Error> {
        let mut url = checked_url(url, "base URL")?;
        if url.query().is_some() {
            return Err(Error::invalid("the base URL must not have a query"));
        }
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        self.base_url = url;
        Ok(self)
    }

    /// Sends `X-Degreed-Organization-Code: <code>` on the operations that accept it, to
    /// target a tenant of an Extended Enterprise parent organization.
    pub fn with_organization_code(mut self, code: &str) -> Result<Self, Error> {
        let code = code.trim();
        if code.is_empty() || http::HeaderValue::from_str(code).is_err() || code.len() > 128 {
            return Err(Error::invalid(
                "the organization code must be a short printable string",
            ));
        }
        self.organization_code = Some(code.to_owned());
        Ok(self)
    }

    /// Sets the per-request timeout a driver applies.
    pub fn with_timeout(mut self, timeout: Duration) -> Result<Self, Error> {
        if timeout.is_zero() {
            return Err(Error::invalid("the timeout must be greater than zero"));
        }
        self.timeout = timeout;
        Ok(self)
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// The API base URL (no trailing slash).
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The tenant organization code, if set.
    pub fn organization_code(&self) -> Option<&str> {
        self.organization_code.as_deref()
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Whether `url` is on the API origin (scheme, host and port), so a bearer token may go
    /// there. Used to refuse `next` links that point elsewhere.
    pub fn is_api_origin(&self, url: &Url) -> bool {
        url.origin() == self.base_url.origin()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::new(Environment::Production, DataCenter::Us)
    }
}

/// Connection settings as a client constructor takes them: every binding builds its
/// [`Config`] through [`Config::from_settings`], so the rules below hold in every language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings<'a> {
    /// `production` (default) or `betatest`.
    pub environment: Option<&'a str>,
    /// `us` (default), `eu` or `ca`.
    pub data_center: Option<&'a str>,
    /// A tenant name: tokens from `<tenant>.[region.][beta.]degreed.app`.
    pub tenant: Option<&'a str>,
    /// A custom API base URL (the sandbox, a proxy).
    pub base_url: Option<&'a str>,
    /// A custom token URL.
    pub token_url: Option<&'a str>,
    /// The `X-Degreed-Organization-Code` tenant header.
    pub organization_code: Option<&'a str>,
    /// The per-request timeout.
    pub timeout: Option<Duration>,
}

impl Config {
    /// A configuration from client settings:
    ///
    /// - hosts of `environment` × `data_center` by default;
    /// - `tenant` takes tokens from the tenant domain;
    /// - `base_url` replaces the API host and, unless `token_url` or `tenant` is given, the
    ///   token host too (`<base origin>/oauth/token`): a custom API host such as the sandbox
    ///   or a proxy serves both, and only a host the caller named receives the credentials;
    /// - `token_url` replaces the token URL.
    pub fn from_settings(s: &Settings<'_>) -> Result<Config, Error> {
        let env: Environment = s
            .environment
            .map(str::parse)
            .transpose()?
            .unwrap_or_default();
        let dc: DataCenter = s
            .data_center
            .map(str::parse)
            .transpose()?
            .unwrap_or_default();
        let mut config = Config::new(env, dc);
        if let Some(tenant) = s.tenant {
            config = config.with_tenant_domain(tenant.trim(), env, dc)?;
        }
        if let Some(url) = s.base_url {
            config = config.with_base_url(url)?;
            if s.token_url.is_none() && s.tenant.is_none() {
                let origin = config.base_url().origin().ascii_serialization();
                config = config.with_token_url(&origin)?;
            }
        }
        if let Some(url) = s.token_url {
            config = config.with_token_url(url)?;
        }
        if let Some(code) = s.organization_code {
            config = config.with_organization_code(code)?;
        }
        if let Some(timeout) = s.timeout {
            config = config.with_timeout(timeout)?;
        }
        Ok(config)
    }
}

// ---------------------------------------------------------------------------------------
// Session options, as every host takes them

/// What a session option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A string.
    Text,
    /// Scopes: a comma-separated string or a list of such strings.
    Scopes,
    /// A duration greater than 0: seconds under the option's name where hosts spell names
    /// in `snake_case` (Python), milliseconds under its `camelCase` name with `Ms` appended
    /// (JavaScript: `timeoutMs`).
    Duration,
    /// A [`OptionKind::Duration`] that may also be 0 (which turns something off).
    Wait,
    /// An integer from `min` to `max`.
    Integer {
        /// The smallest value.
        min: u64,
        /// The largest value.
        max: u64,
    },
    /// The retry timing: an object of the [`RETRY_OPTIONS`].
    Retry,
}

/// One session option: its name (`snake_case`), what it takes and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOption {
    /// The name, as Python spells it (JavaScript: [`option_name`]).
    pub name: &'static str,
    /// What it takes.
    pub kind: OptionKind,
    /// What it does.
    pub doc: &'static str,
}

const fn opt(name: &'static str, kind: OptionKind, doc: &'static str) -> SessionOption {
    SessionOption { name, kind, doc }
}

/// The options of a client, the one description every binding reads them by
/// ([`session_parts`]): the same names (in each host's case), units, bounds and errors.
pub const SESSION_OPTIONS: &[SessionOption] = &[
    opt(
        "client_id",
        OptionKind::Text,
        "the API key's client id (required)",
    ),
    opt(
        "client_secret",
        OptionKind::Text,
        "its secret (required; never echoed)",
    ),
    opt(
        "environment",
        OptionKind::Text,
        "`production` (default) or `betatest`",
    ),
    opt(
        "data_center",
        OptionKind::Text,
        "`us` (default), `eu` or `ca`",
    ),
    opt(
        "base_url",
        OptionKind::Text,
        "a custom API host (a proxy, the sandbox)",
    ),
    opt("token_url", OptionKind::Text, "a custom token endpoint"),
    opt(
        "tenant",
        OptionKind::Text,
        "tokens from `<tenant>.degreed.app`",
    ),
    opt(
        "organization_code",
        OptionKind::Text,
        "sends `X-Degreed-Organization-Code`",
    ),
    opt(
        "scopes",
        OptionKind::Scopes,
        "the scopes to request (none: as calls need)",
    ),
    opt(
        "timeout",
        OptionKind::Duration,
        "the deadline of each call (default 30 s)",
    ),
    opt(
        "max_retries",
        OptionKind::Integer { min: 0, max: 20 },
        "retries of a failed request (default 4)",
    ),
    opt(
        "retry",
        OptionKind::Retry,
        "the back-off timing (RETRY_OPTIONS)",
    ),
    opt(
        "requests_per_minute",
        OptionKind::Integer {
            min: 0,
            max: 1_000_000,
        },
        "a client-side budget shared by all calls (0: none)",
    ),
    opt(
        "max_body_bytes",
        OptionKind::Integer {
            min: 1,
            max: (1 << 53) - 1,
        },
        "the largest response body read (default 64 MiB)",
    ),
];

/// The members of the `retry` option ([`crate::RetryPolicy`]).
pub const RETRY_OPTIONS: &[SessionOption] = &[
    opt(
        "base_delay",
        OptionKind::Duration,
        "back-off before the first retry, before jitter (default 0.5 s)",
    ),
    opt(
        "max_delay",
        OptionKind::Duration,
        "the largest computed back-off (default 30 s)",
    ),
    opt(
        "max_retry_after",
        OptionKind::Duration,
        "the longest `Retry-After` honoured (default 120 s)",
    ),
    opt(
        "max_maintenance_wait",
        OptionKind::Wait,
        "how long in all a call may still wait for a 503 (maintenance) to pass once the \
         retries are used up, while its deadline allows (default 300 s; 0: off)",
    ),
];

/// How a host spells an option: its name in `snake_case`; in `camelCase`, with `Ms` after
/// a duration's name (`timeoutMs`).
pub fn option_name(option: &SessionOption, case: KeyCase) -> String {
    match case {
        KeyCase::Snake => option.name.to_owned(),
        KeyCase::Camel if matches!(option.kind, OptionKind::Duration | OptionKind::Wait) => {
            format!("{}Ms", convert_key(option.name, case))
        }
        KeyCase::Camel => convert_key(option.name, case),
    }
}

/// Options as a host gave them, by their place in a table.
struct Given<'a> {
    table: &'static [SessionOption],
    values: Vec<Option<&'a Value>>,
    case: KeyCase,
    prefix: &'static str,
}

impl<'a> Given<'a> {
    fn read(
        map: &'a Map<String, Value>,
        table: &'static [SessionOption],
        case: KeyCase,
        prefix: &'static str,
    ) -> Result<Self, Error> {
        let names: Vec<String> = table.iter().map(|o| option_name(o, case)).collect();
        let mut values = vec![None; table.len()];
        for (key, value) in map {
            let Some(i) = names.iter().position(|n| n == key) else {
                return Err(Error::invalid(format!(
                    "unknown {}option `{}` (expected one of: {})",
                    if prefix.is_empty() {
                        "client "
                    } else {
                        "retry "
                    },
                    crate::error::excerpt(key),
                    names.join(", ")
                )));
            };
            values[i] = Some(value).filter(|v| !v.is_null());
        }
        Ok(Given {
            table,
            values,
            case,
            prefix,
        })
    }

    fn get(&self, name: &str) -> (Option<&'a Value>, String) {
        let i = self.table.iter().position(|o| o.name == name);
        let value = i.and_then(|i| self.values[i]);
        let host = i.map_or_else(
            || name.to_owned(),
            |i| option_name(&self.table[i], self.case),
        );
        (value, format!("{}{host}", self.prefix))
    }

    fn text(&self, name: &str) -> Result<Option<&'a str>, Error> {
        match self.get(name) {
            (None, _) => Ok(None),
            (Some(Value::String(s)), _) => Ok(Some(s)),
            // Never echo the value: it may be the secret.
            (Some(_), host) => Err(Error::invalid(format!(
                "the option `{host}` must be a string"
            ))),
        }
    }

    fn duration(&self, name: &str) -> Result<Option<Duration>, Error> {
        let (value, host) = self.get(name);
        let Some(value) = value else { return Ok(None) };
        let zero = self.kind(name) == Some(OptionKind::Wait);
        let (unit, per_second) = match self.case {
            KeyCase::Snake => ("seconds", 1.0),
            KeyCase::Camel => ("milliseconds", 1000.0),
        };
        match value.as_f64().map(|n| n / per_second) {
            // At most about 115 days: a longer value is a mistake in units.
            Some(secs) if (secs > 0.0 || (zero && secs == 0.0)) && secs <= 1e7 => {
                Ok(Some(Duration::from_secs_f64(secs)))
            }
            _ => Err(Error::invalid(format!(
                "the option `{host}` must be a number of {unit} {}",
                if zero {
                    "from 0 (off)"
                } else {
                    "greater than 0"
                }
            ))),
        }
    }

    fn kind(&self, name: &str) -> Option<OptionKind> {
        self.table.iter().find(|o| o.name == name).map(|o| o.kind)
    }

    fn integer(&self, name: &str) -> Result<Option<u64>, Error> {
        let (value, host) = self.get(name);
        let Some(value) = value else { return Ok(None) };
        let (min, max) = match self.kind(name) {
            Some(OptionKind::Integer { min, max }) => (min, max),
            _ => (0, u64::MAX),
        };
        let n = value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        });
        match n {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(Error::invalid(format!(
                "the option `{host}` must be an integer from {min} to {max}"
            ))),
        }
    }

    fn scopes(&self, name: &str) -> Result<Option<ScopeSet>, Error> {
        let (value, host) = self.get(name);
        let bad = || {
            Error::invalid(format!(
                "`{host}` must be a list of strings like `users:read`"
            ))
        };
        let set = match value {
            None => return Ok(None),
            Some(Value::String(s)) => ScopeSet::parse(s)?,
            Some(Value::Array(list)) => {
                let mut set = ScopeSet::new();
                for item in list {
                    for scope in ScopeSet::parse(item.as_str().ok_or_else(bad)?)?.iter() {
                        set.insert(scope.clone());
                    }
                }
                set
            }
            Some(_) => return Err(bad()),
        };
        Ok((!set.is_empty()).then_some(set))
    }
}

/// Reads a client's options as a host gave them (a JSON object, names in the host's `case`,
/// durations in its unit; `null` is unset) by [`SESSION_OPTIONS`]: the configuration, the
/// credentials and the session options, or a typed error naming the host's option (never
/// quoting a value: it may be the secret).
pub fn session_parts(
    options: &Map<String, Value>,
    case: KeyCase,
) -> Result<(Config, Credentials, SessionOptions), Error> {
    let o = Given::read(options, SESSION_OPTIONS, case, "")?;
    let required = |name: &str| {
        let host = o.get(name).1;
        o.text(name)?
            .ok_or_else(|| Error::invalid(format!("the option `{host}` is required")))
    };
    let credentials = Credentials::checked(required("client_id")?, required("client_secret")?)?;
    let config = Config::from_settings(&Settings {
        environment: o.text("environment")?,
        data_center: o.text("data_center")?,
        tenant: o.text("tenant")?,
        base_url: o.text("base_url")?,
        token_url: o.text("token_url")?,
        organization_code: o.text("organization_code")?,
        timeout: o.duration("timeout")?,
    })?;
    let mut retry = RetryPolicy::default();
    if let Some(n) = o.integer("max_retries")? {
        retry.max_retries = u32::try_from(n).unwrap_or(u32::MAX);
    }
    match o.get("retry") {
        (None, _) => {}
        (Some(Value::Object(map)), _) => {
            let r = Given::read(map, RETRY_OPTIONS, case, "retry.")?;
            retry.base_delay = r.duration("base_delay")?.unwrap_or(retry.base_delay);
            retry.max_delay = r.duration("max_delay")?.unwrap_or(retry.max_delay);
            retry.max_retry_after = r
                .duration("max_retry_after")?
                .unwrap_or(retry.max_retry_after);
            retry.max_maintenance_wait = r
                .duration("max_maintenance_wait")?
                .unwrap_or(retry.max_maintenance_wait);
        }
        (Some(_), host) => {
            return Err(Error::invalid(format!(
                "the option `{host}` must be an object"
            )))
        }
    }
    let options = SessionOptions {
        scopes: o.scopes("scopes")?,
        retry,
        requests_per_minute: o
            .integer("requests_per_minute")?
            .filter(|n| *n > 0)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        max_body_bytes: o.integer("max_body_bytes")?,
    };
    Ok((config, credentials, options))
}

fn checked_url(raw: &str, what: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::invalid(format!("the {what} `{raw}` is not a URL: {e}")))?;
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(format!(
            "the {what} must not carry credentials or a fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid(format!(
            "the {what} `{raw}` uses plain http: only https is allowed, except for loopback hosts"
        )))
        }
        other => {
            return Err(Error::invalid(format!(
                "the {what} has unsupported scheme `{other}`"
            )))
        }
    }
    if url.host().is_none() {
        return Err(Error::invalid(format!("the {what} `{raw}` has no host")));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(
        options: Value,
        case: KeyCase,
    ) -> Result<(Config, Credentials, SessionOptions), Error> {
        session_parts(options.as_object().unwrap(), case)
    }

    #[test]
    fn session_options_read_the_same_in_every_host() {
        // Python: snake_case, seconds; JavaScript: camelCase, milliseconds.
        let (config, credentials, py) = parts(
            serde_json::json!({"client_id": "id", "client_secret": "s", "timeout": 5,
                "max_retries": 7, "retry": {"base_delay": 0.25, "max_delay": 3,
                "max_retry_after": 60, "max_maintenance_wait": 0}, "requests_per_minute": 0, "max_body_bytes": null,
                "scopes": ["users:read", "completions:write users:write"]}),
            KeyCase::Snake,
        )
        .unwrap();
        let (_, _, js) = parts(
            serde_json::json!({"clientId": "id", "clientSecret": "s", "timeoutMs": 5000,
                "maxRetries": 7, "retry": {"baseDelayMs": 250, "maxDelayMs": 3000,
                "maxRetryAfterMs": 60000, "maxMaintenanceWaitMs": 0}, "requestsPerMinute": 0,
                "scopes": "users:read,completions:write,users:write"}),
            KeyCase::Camel,
        )
        .unwrap();
        assert_eq!(config.timeout(), Duration::from_secs(5));
        assert_eq!(credentials.client_id, "id");
        assert_eq!(py.retry, js.retry);
        assert_eq!(py.retry.max_retries, 7);
        assert_eq!(py.retry.base_delay, Duration::from_millis(250));
        assert_eq!(py.retry.max_retry_after, Duration::from_secs(60));
        assert_eq!(py.retry.max_maintenance_wait, Duration::ZERO);
        assert_eq!(py.requests_per_minute, None);
        // A requested `users:read` is kept beside `users:write`.
        assert_eq!(py.scopes, js.scopes);
        assert_eq!(
            py.scopes.unwrap().to_wire(),
            "completions:write,users:read,users:write"
        );
        let (_, _, none) = parts(
            serde_json::json!({"client_id": "i", "client_secret": "s", "scopes": []}),
            KeyCase::Snake,
        )
        .unwrap();
        assert!(none.scopes.is_none());
    }

    #[test]
    fn session_options_have_one_set_of_bounds() {
        let bad = |options: Value, case: KeyCase| parts(options, case).unwrap_err().to_string();
        let msg = bad(
            serde_json::json!({"client_id": "i", "client_secret": "s", "max_retries": 21}),
            KeyCase::Snake,
        );
        assert!(
            msg.contains("`max_retries` must be an integer from 0 to 20"),
            "{msg}"
        );
        let msg = bad(
            serde_json::json!({"clientId": "i", "clientSecret": "s", "maxRetries": 21}),
            KeyCase::Camel,
        );
        assert!(
            msg.contains("`maxRetries` must be an integer from 0 to 20"),
            "{msg}"
        );
        let msg = bad(
            serde_json::json!({"client_id": "i", "client_secret": "s", "retry": {"base_delay": 0}}),
            KeyCase::Snake,
        );
        assert!(
            msg.contains("`retry.base_delay` must be a number of seconds"),
            "{msg}"
        );
        let msg = bad(
            serde_json::json!({"clientId": "i", "clientSecret": "s", "retry": {"jitter": 1}}),
            KeyCase::Camel,
        );
        assert!(msg.contains("unknown retry option `jitter`"), "{msg}");
        let msg = bad(
            serde_json::json!({"client_id": "i", "client_secret": "s", "timeout": true}),
            KeyCase::Snake,
        );
        assert!(
            msg.contains("`timeout` must be a number of seconds greater than 0"),
            "{msg}"
        );
        let msg = bad(
            serde_json::json!({"clientId": "i", "clientSecret": "s", "clientID": "x"}),
            KeyCase::Camel,
        );
        assert!(msg.contains("unknown client option `clientID`"), "{msg}");
        let msg = bad(serde_json::json!({"client_secret": "s"}), KeyCase::Snake);
        assert!(msg.contains("`client_id` is required"), "{msg}");
        // The secret is never quoted.
        let msg = bad(
            serde_json::json!({"client_id": "i", "client_secret": 7}),
            KeyCase::Snake,
        );
        assert!(
            msg.contains("`client_secret` must be a string") && !msg.contains('7'),
            "{msg}"
        );
        let msg = bad(
            serde_json::json!({"clientId": "i", "clientSecret": "s", "maxBodyBytes": 0}),
            KeyCase::Camel,
        );
        assert!(
            msg.contains("`maxBodyBytes` must be an integer from 1"),
            "{msg}"
        );
    }
    use DataCenter::*;
    use Environment::*;

    #[test]
    fn documented_hosts() {
        let cases = [
            (
                Production,
                Us,
                "https://degreed.com/oauth/token",
                "https://api.degreed.com/",
            ),
            (
                Betatest,
                Us,
                "https://betatest.degreed.com/oauth/token",
                "https://api.betatest.degreed.com/",
            ),
            (
                Production,
                Eu,
                "https://eu.degreed.com/oauth/token",
                "https://api.eu.degreed.com/",
            ),
            (
                Betatest,
                Eu,
                "https://eu.betatest.degreed.com/oauth/token",
                "https://api.eu.betatest.degreed.com/",
            ),
            (
                Production,
                Ca,
                "https://ca.degreed.com/oauth/token",
                "https://api.ca.degreed.com/",
            ),
            (
                Betatest,
                Ca,
                "https://ca.betatest.degreed.com/oauth/token",
                "https://api.ca.betatest.degreed.com/",
            ),
        ];
        for (env, dc, token, base) in cases {
            let c = Config::new(env, dc);
            assert_eq!(c.token_url().as_str(), token);
            assert_eq!(c.base_url().as_str(), base);
        }
    }

    #[test]
    fn tenant_domains() {
        let c = Config::default()
            .with_tenant_domain("acme", Betatest, Eu)
            .unwrap();
        assert_eq!(
            c.token_url().as_str(),
            "https://acme.eu.beta.degreed.app/oauth/token"
        );
        let c = Config::default()
            .with_tenant_domain("acme", Production, Us)
            .unwrap();
        assert_eq!(
            c.token_url().as_str(),
            "https://acme.degreed.app/oauth/token"
        );
        let c = Config::default()
            .with_tenant_domain("acme", Production, Ca)
            .unwrap();
        assert_eq!(
            c.token_url().as_str(),
            "https://acme.ca.degreed.app/oauth/token"
        );
        assert!(Config::default()
            .with_tenant_domain("a/b", Production, Us)
            .is_err());
    }

    #[test]
    fn custom_urls_and_loopback_rule() {
        let c = Config::custom("http://127.0.0.1:8080", "http://127.0.0.1:8080/").unwrap();
        assert_eq!(c.token_url().as_str(), "http://127.0.0.1:8080/oauth/token");
        assert_eq!(c.base_url().as_str(), "http://127.0.0.1:8080/");
        assert!(Config::custom("http://localhost:1/oauth/token", "http://[::1]:9").is_ok());
        let err = Config::custom("http://example.com", "https://x").unwrap_err();
        assert!(err.to_string().contains("plain http"), "{err}");
        assert!(Config::custom("https://a", "ftp://b").is_err());
        assert!(Config::custom("https://a", "https://user:pw@b").is_err());
        assert!(Config::custom("not a url", "https://b").is_err());
        let c = Config::custom("https://t", "https://proxy.example/degreed/").unwrap();
        assert_eq!(c.base_url().as_str(), "https://proxy.example/degreed");
    }

    #[test]
    fn settings() {
        let c = Config::from_settings(&Settings::default()).unwrap();
        assert_eq!(c, Config::default());
        let c = Config::from_settings(&Settings {
            environment: Some("betatest"),
            data_center: Some("eu"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            c.token_url().as_str(),
            "https://eu.betatest.degreed.com/oauth/token"
        );
        let sandbox = Settings {
            base_url: Some("http://127.0.0.1:9/"),
            ..Default::default()
        };
        let c = Config::from_settings(&sandbox).unwrap();
        assert_eq!(c.token_url().as_str(), "http://127.0.0.1:9/oauth/token");
        let both = Settings {
            token_url: Some("https://auth.example/t"),
            ..sandbox
        };
        assert_eq!(
            Config::from_settings(&both).unwrap().token_url().as_str(),
            "https://auth.example/t"
        );
        let tenant = Settings {
            tenant: Some("acme"),
            base_url: Some("https://proxy.example"),
            ..Default::default()
        };
        let c = Config::from_settings(&tenant).unwrap();
        assert_eq!(
            c.token_url().as_str(),
            "https://acme.degreed.app/oauth/token"
        );
        assert_eq!(c.base_url().as_str(), "https://proxy.example/");
        for bad in [
            Settings {
                environment: Some("staging"),
                ..Default::default()
            },
            Settings {
                base_url: Some("http://example.com"),
                ..Default::default()
            },
            Settings {
                timeout: Some(Duration::ZERO),
                ..Default::default()
            },
        ] {
            assert!(Config::from_settings(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_parse() {
        assert_eq!("BetaTest".parse::<Environment>().unwrap(), Betatest);
        assert_eq!("EU".parse::<DataCenter>().unwrap(), Eu);
        assert!("mars".parse::<DataCenter>().is_err());
        assert!(Config::default().with_organization_code("").is_err());
        assert!(Config::default().with_organization_code("ACME-1").is_ok());
    }
}
