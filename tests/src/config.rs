//! Start-up options of a sandbox (shared by the CLI and the library API).

use crate::faults::FaultSpec;

/// Every scope name of Degreed's official list: the default `scope` value of "Create a New
/// Access Token" (developer.degreed.com/reference/post_oauth-token-1).
pub const OFFICIAL_SCOPES: &[&str] = &[
    "users:read",
    "users:write",
    "content:read",
    "content:write",
    "completions:read",
    "completions:write",
    "required_learning:read",
    "required_learning:write",
    "groups:read",
    "groups:write",
    "pathways:read",
    "pathways:write",
    "recommendations:read",
    "views:read",
    "search_terms:read",
    "skill_plans:read",
    "skill_plans:write",
    "skill:read",
    "skill:write",
    "logins:read",
    "providers:read",
    "provider_users:write",
    "provider_users:read",
    "user_skills:read",
    "user_skills:write",
    "skill_ratings:read",
    "skill_ratings:write",
    "todays_learning:read",
    "xapi:read",
    "xapi:write",
    "xapi:all",
    "bundles:read",
    "bundles:write",
    "shared_items:read",
    "shared_items:write",
    "accomplishments:read",
    "accomplishments:write",
    "opportunity:read",
    "opportunity:write",
    "certificates:read",
    "certificates:write",
    "custom_attribute:write",
    "custom_attribute:read",
    "user_badges:read",
    "user_badges:write",
    "self_enrolled_learning:write",
    "self_enrolled_learning:read",
    "experiences:read",
    "experiences:write",
    "awards:read",
    "awards:write",
    "degrees:read",
    "degrees:write",
    "job_roles:read",
    "job_roles:write",
];

/// Client id of the always-present default client.
pub const DEFAULT_CLIENT_ID: &str = "sandbox";
/// Secret of the always-present default client.
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-secret";

/// An API client (an "API key" in Degreed's terms): id, secret and the scopes it was granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSpec {
    /// `client_id`.
    pub id: String,
    /// `client_secret`.
    pub secret: String,
    /// Granted scopes, normalised (`users:read`).
    pub scopes: Vec<String>,
}

impl ClientSpec {
    /// A client with every official scope.
    pub fn all_scopes(id: &str, secret: &str) -> Self {
        let scopes = OFFICIAL_SCOPES.iter().map(|s| s.to_string()).collect();
        ClientSpec {
            id: id.to_string(),
            secret: secret.to_string(),
            scopes,
        }
    }

    /// The default `sandbox` / `sandbox-secret` client with every scope.
    pub fn default_client() -> Self {
        Self::all_scopes(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    }

    /// Parses `ID:SECRET:scope1,scope2` (scopes may also be space-separated; `*` = every scope).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ':');
        let id = parts.next().unwrap_or_default();
        let secret = parts
            .next()
            .ok_or_else(|| format!("client spec {spec:?}: expected ID:SECRET:SCOPES"))?;
        let scopes = parts.next().unwrap_or("");
        if id.is_empty() || secret.is_empty() {
            return Err(format!("client spec {spec:?}: empty id or secret"));
        }
        // Scopes contain ':' themselves (users:read), so they were not split above.
        if scopes.trim() == "*" {
            return Ok(Self::all_scopes(id, secret));
        }
        Ok(ClientSpec {
            id: id.to_string(),
            secret: secret.to_string(),
            scopes: split_scopes(scopes),
        })
    }
}

/// Splits a scope list on commas and/or whitespace and normalises each entry.
pub fn split_scopes(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(normalize_scope)
        .collect()
}

/// `users_read` → `users:read`, `required_learning_write` → `required_learning:write`.
pub fn normalize_scope(s: &str) -> String {
    let s = s.trim();
    if s.contains(':') {
        return s.to_ascii_lowercase();
    }
    for suffix in ["_read", "_write", "_all"] {
        if let Some(base) = s.strip_suffix(suffix) {
            return format!("{}:{}", base.to_ascii_lowercase(), &suffix[1..]);
        }
    }
    s.to_ascii_lowercase()
}

/// Start-up options. `Options::default()` equals the CLI defaults.
#[derive(Debug, Clone)]
pub struct Options {
    /// Interface to bind (default `127.0.0.1`).
    pub host: String,
    /// Port to bind (default 0 = any free port).
    pub port: u16,
    /// Extra clients; the default `sandbox` client is always added.
    pub clients: Vec<ClientSpec>,
    /// Token lifetime in seconds (default 5183999).
    pub token_ttl: u64,
    /// Requests per window per client id (default 70; 0 = no limit).
    pub rate_limit: u32,
    /// Rate-limit window in seconds (default 60).
    pub rate_window_secs: u64,
    /// Number of seeded users (default 25).
    pub users: usize,
    /// Number of seeded content items (default 40).
    pub content: usize,
    /// Number of seeded completions (default 60).
    pub completions: usize,
    /// Seed of every pseudo-random choice (data, ids, faults).
    pub seed: u64,
    /// Fault-injection spec (default: none).
    pub faults: FaultSpec,
    /// Largest accepted request body in bytes (default 1 MiB).
    pub max_body: usize,
    /// No per-request log lines on stderr.
    pub quiet: bool,
    /// The day seeded data is relative to, `yyyy-mm-dd` (default: today, UTC).
    pub anchor_date: Option<String>,
    /// Whether `filter[end_date]` includes its day (default) or ends before it: no source
    /// says which, so clients are tested under both readings.
    pub window_end_inclusive: bool,
    /// Seconds a connection may take to send a request's headers, and may stay idle between
    /// requests (default 10): a slow or silent client cannot hold a connection for ever.
    pub header_timeout_secs: u64,
    /// Connections served at once (default 768, below the usual 1024 open-file limit);
    /// more wait in the listen queue until one closes.
    pub max_connections: usize,
}

/// The longest token lifetime or rate window a setting may ask for (10 years): larger values
/// would overflow the sandbox's millisecond clock arithmetic.
pub const MAX_SECS: u64 = 10 * 366 * 86_400;

/// The fixed default seed.
pub const DEFAULT_SEED: u64 = 0x00de_96ee_d5a1_d8b0;

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 0,
            clients: Vec::new(),
            token_ttl: 5_183_999,
            rate_limit: 70,
            rate_window_secs: 60,
            users: 25,
            content: 40,
            completions: 60,
            seed: DEFAULT_SEED,
            faults: FaultSpec::default(),
            max_body: 1024 * 1024,
            quiet: false,
            anchor_date: None,
            window_end_inclusive: true,
            header_timeout_secs: 10,
            max_connections: 768,
        }
    }
}

impl Options {
    /// Sets the rate limit (requests per window; 0 = off).
    pub fn rate_limit(mut self, n: u32) -> Self {
        self.rate_limit = n;
        self
    }
    /// Sets the rate-limit window in seconds.
    pub fn rate_window_secs(mut self, secs: u64) -> Self {
        self.rate_window_secs = secs;
        self
    }
    /// Sets how `filter[end_date]` is read (`true`: the end day is included).
    pub fn window_end_inclusive(mut self, inclusive: bool) -> Self {
        self.window_end_inclusive = inclusive;
        self
    }
    /// Sets the fault spec (see [`FaultSpec::parse`]).
    pub fn faults(mut self, spec: FaultSpec) -> Self {
        self.faults = spec;
        self
    }
    /// Adds a client.
    pub fn client(mut self, c: ClientSpec) -> Self {
        self.clients.push(c);
        self
    }
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the seed sizes (users, content, completions).
    pub fn sizes(mut self, users: usize, content: usize, completions: usize) -> Self {
        self.users = users;
        self.content = content;
        self.completions = completions;
        self
    }
    /// Sets the token lifetime in seconds.
    pub fn token_ttl(mut self, secs: u64) -> Self {
        self.token_ttl = secs;
        self
    }
    /// Sets the largest accepted body.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }
    /// Silences (or enables) the per-request log lines.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }
    /// Pins the anchor date of the seeded data (`yyyy-mm-dd`).
    pub fn anchor_date(mut self, date: &str) -> Self {
        self.anchor_date = Some(date.to_string());
        self
    }

    /// All clients: the default one followed by the configured ones (a configured client
    /// with the id `sandbox` replaces the default).
    pub fn all_clients(&self) -> Vec<ClientSpec> {
        let mut v = Vec::new();
        if !self.clients.iter().any(|c| c.id == DEFAULT_CLIENT_ID) {
            v.push(ClientSpec::default_client());
        }
        v.extend(self.clients.iter().cloned());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_normalise() {
        assert_eq!(normalize_scope("users_read"), "users:read");
        assert_eq!(
            normalize_scope("required_learning_write"),
            "required_learning:write"
        );
        assert_eq!(normalize_scope("xapi_all"), "xapi:all");
        assert_eq!(
            split_scopes("users:read, content:write  groups_read"),
            ["users:read", "content:write", "groups:read"]
        );
    }

    #[test]
    fn client_spec_parses() {
        let c = ClientSpec::parse("ro:pw:users:read,content:read").unwrap();
        assert_eq!(c.id, "ro");
        assert_eq!(c.secret, "pw");
        assert_eq!(c.scopes, ["users:read", "content:read"]);
        assert!(ClientSpec::parse("nope").is_err());
        assert!(ClientSpec::parse("all:pw:*")
            .unwrap()
            .scopes
            .contains(&"xapi:all".to_string()));
    }
}
