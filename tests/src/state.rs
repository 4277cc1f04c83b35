//! Mutable sandbox state shared by all connections.

use crate::auth::Tokens;
use crate::clock::Clock;
use crate::config::{ClientSpec, Options};
use crate::faults::{Fault, FaultSpec};
use crate::paging::Cursors;
use crate::ratelimit::Limiter;
use crate::rng::SplitMix64;
use crate::store::Store;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

/// Settings changeable at run time through `POST /_sandbox/config`.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Fault spec.
    pub faults: FaultSpec,
    /// Faults for the next write requests, one each in order (`None`: no fault), taking
    /// precedence over `faults` for writes until it runs out.
    pub write_faults: VecDeque<Option<Fault>>,
    /// Requests per window (0 = off).
    pub rate_limit: u32,
    /// Window length in seconds.
    pub rate_window_secs: u64,
    /// Lifetime of newly issued tokens.
    pub token_ttl: u64,
    /// Whether `filter[end_date]` includes its day.
    pub window_end_inclusive: bool,
}

/// Counters served by `GET /_sandbox/stats`.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Every HTTP request.
    pub requests: u64,
    /// Requests to API routes.
    pub api_requests: u64,
    /// 429s produced by the rate limiter (not by faults).
    pub rate_limited: u64,
    /// Faults injected.
    pub faults_injected: u64,
    /// Faults injected per kind.
    pub faults_by_kind: BTreeMap<String, u64>,
}

/// Everything behind the lock.
#[derive(Debug)]
pub struct State {
    /// Data.
    pub store: Store,
    /// Issued tokens.
    pub tokens: Tokens,
    /// Live cursors.
    pub cursors: Cursors,
    /// Rate windows.
    pub limiter: Limiter,
    /// Run-time settings.
    pub cfg: RuntimeConfig,
    /// Fault stream (reset to the seed by `POST /_sandbox/config`).
    pub fault_rng: SplitMix64,
    /// Counters.
    pub stats: Stats,
}

/// State plus the immutable parts of the configuration.
#[derive(Debug)]
pub struct Shared {
    /// The lock-protected state.
    pub state: Mutex<State>,
    /// Sandbox clock.
    pub clock: Clock,
    /// Known clients.
    pub clients: Vec<ClientSpec>,
    /// Seed.
    pub seed: u64,
    /// Body limit.
    pub max_body: usize,
    /// No request log lines.
    pub quiet: bool,
    /// Header-read and idle timeout of a connection.
    pub header_timeout: std::time::Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Request-id counter.
    pub request_counter: AtomicU64,
}

/// The fault stream for a seed.
pub fn fault_rng(seed: u64) -> SplitMix64 {
    SplitMix64::derive(seed, "faults")
}

impl Shared {
    /// Builds the state (including the seeded data) from options.
    pub fn new(opts: &Options) -> Result<Self, String> {
        let clock = Clock::new();
        let store = crate::seed::generate(opts, clock.now_ms())?;
        Ok(Shared {
            state: Mutex::new(State {
                store,
                tokens: Tokens::new(opts.seed),
                cursors: Cursors::new(opts.seed),
                limiter: Limiter::default(),
                cfg: RuntimeConfig {
                    faults: opts.faults.clone(),
                    write_faults: VecDeque::new(),
                    rate_limit: opts.rate_limit,
                    rate_window_secs: opts.rate_window_secs.clamp(1, crate::config::MAX_SECS),
                    token_ttl: opts.token_ttl.min(crate::config::MAX_SECS),
                    window_end_inclusive: opts.window_end_inclusive,
                },
                fault_rng: fault_rng(opts.seed),
                stats: Stats::default(),
            }),
            clock,
            clients: opts.all_clients(),
            seed: opts.seed,
            max_body: opts.max_body,
            quiet: opts.quiet,
            header_timeout: std::time::Duration::from_secs(opts.header_timeout_secs.max(1)),
            max_connections: opts.max_connections.max(1),
            request_counter: AtomicU64::new(0),
        })
    }

    /// Locks the state (a poisoned lock is recovered: handlers keep the data consistent).
    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
