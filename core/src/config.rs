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

use crate::error::Error;

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
