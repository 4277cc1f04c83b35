//! Command-line flags (`degreed-sandbox --help`).

use crate::config::{ClientSpec, Options, DEFAULT_SEED, MAX_SECS};
use crate::faults::FaultSpec;
use clap::Parser;

/// A local simulator of the Degreed REST API.
///
/// Prints its base URL (http://127.0.0.1:PORT) as the first stdout line, then serves until
/// SIGTERM/SIGINT. Default client: sandbox / sandbox-secret with every scope.
#[derive(Debug, Parser)]
#[command(name = "degreed-sandbox", version, about, long_about = None)]
pub struct Cli {
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Interface to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Extra API client as ID:SECRET:scope1,scope2 (repeatable; `*` = every scope).
    #[arg(long = "client", value_name = "ID:SECRET:SCOPES", value_parser = ClientSpec::parse)]
    pub clients: Vec<ClientSpec>,
    /// Access-token lifetime in seconds (at most 10 years).
    #[arg(long, default_value_t = 5_183_999, value_parser = clap::value_parser!(u64).range(0..=MAX_SECS))]
    pub token_ttl: u64,
    /// Requests per window per client id (0 = no limit).
    #[arg(long, default_value_t = 70)]
    pub rate_limit: u32,
    /// Rate-limit window in seconds.
    #[arg(long = "rate-window", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=MAX_SECS))]
    pub rate_window: u64,
    /// Number of seeded users.
    #[arg(long, default_value_t = 25)]
    pub users: usize,
    /// Number of seeded content items.
    #[arg(long, default_value_t = 40)]
    pub content: usize,
    /// Number of seeded completions.
    #[arg(long, default_value_t = 60)]
    pub completions: usize,
    /// Seed of all generated data, ids and faults.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Fault spec, e.g. "500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01,html=0.01,latency=20ms".
    #[arg(long, default_value = "", value_parser = FaultSpec::parse)]
    pub faults: FaultSpec,
    /// Largest accepted request body in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Pin the day the seeded data is relative to (yyyy-mm-dd; default today, UTC).
    #[arg(long)]
    pub anchor_date: Option<String>,
    /// No per-request log lines on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Whether `filter[end_date]` includes its day (`inclusive`) or ends before it
    /// (`exclusive`); Degreed does not document which.
    #[arg(long, default_value = "inclusive", value_parser = ["inclusive", "exclusive"])]
    pub window_end: String,
    /// Seconds a client may take to send a request's headers, or stay idle between requests.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Connections served at once; more wait in the listen queue.
    #[arg(long, default_value_t = 768, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
    /// Serve HTTPS (the base URL is then https://...) with a certificate made at start,
    /// signed by a throwaway authority whose certificate (PEM) is written to CA_FILE.
    #[cfg(feature = "tls")]
    #[arg(long, value_name = "CA_FILE")]
    pub tls: Option<std::path::PathBuf>,
}

impl Cli {
    /// The options these flags describe.
    pub fn into_options(self) -> Options {
        Options {
            host: self.host,
            port: self.port,
            clients: self.clients,
            token_ttl: self.token_ttl,
            rate_limit: self.rate_limit,
            rate_window_secs: self.rate_window,
            users: self.users,
            content: self.content,
            completions: self.completions,
            seed: self.seed,
            faults: self.faults,
            max_body: self.max_body,
            quiet: self.quiet,
            anchor_date: self.anchor_date,
            window_end_inclusive: self.window_end == "inclusive",
            header_timeout_secs: self.header_timeout,
            max_connections: self.max_connections as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_options_default() {
        let o = Cli::parse_from(["degreed-sandbox"]).into_options();
        let d = Options::default();
        assert_eq!(
            (
                o.port,
                o.host.as_str(),
                o.token_ttl,
                o.rate_limit,
                o.rate_window_secs,
                o.users,
                o.content,
                o.completions,
                o.seed,
                o.max_body,
                o.quiet
            ),
            (
                d.port,
                d.host.as_str(),
                d.token_ttl,
                d.rate_limit,
                d.rate_window_secs,
                d.users,
                d.content,
                d.completions,
                d.seed,
                d.max_body,
                d.quiet
            )
        );
        assert_eq!(
            (o.header_timeout_secs, o.max_connections),
            (d.header_timeout_secs, d.max_connections)
        );
        assert_eq!(o.faults, d.faults);
    }

    #[test]
    fn flags_parse() {
        let o = Cli::parse_from([
            "x",
            "--client",
            "ro:pw:users:read,content:read",
            "--client",
            "w:pw:users_write",
            "--faults",
            "after:500=0.5,latency=5ms",
            "--rate-window",
            "2",
            "--quiet",
        ])
        .into_options();
        assert_eq!(o.clients.len(), 2);
        assert_eq!(o.clients[1].scopes, ["users:write"]);
        assert_eq!(o.faults.latency_ms, 5);
        assert_eq!(o.rate_window_secs, 2);
        assert!(o.quiet);
        assert!(Cli::try_parse_from(["x", "--faults", "nope=1"]).is_err());
        assert!(Cli::try_parse_from(["x", "--rate-window", "0"]).is_err());
    }
}
