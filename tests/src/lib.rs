//! # degreed-sandbox
//!
//! A local simulator of the Degreed REST API (like `stripe-mock` for Stripe): OAuth client
//! credentials, the v2 JSON:API-ish resources, cursor pagination, rate limiting, xAPI, and
//! deterministic fault injection — all on one loopback port. It follows the documented wire
//! format independently of the SDK so that it can catch SDK bugs.
//!
//! ```no_run
//! use degreed_sandbox::{Options, Sandbox};
//! let sb = Sandbox::start(Options::default().quiet(true)).unwrap();
//! println!("{}", sb.base_url()); // http://127.0.0.1:PORT
//! sb.shutdown();
//! ```
//!
//! See `tests/README.md` for the CLI, the control endpoints and the documented choices.
#![warn(missing_docs)]

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod envelope;
pub mod faults;
pub mod paging;
pub mod ratelimit;
pub mod rng;
pub mod routes;
pub mod seed;
pub mod server;
pub mod state;
pub mod store;
#[cfg(feature = "tls")]
pub mod tls;
pub mod util;

pub use config::{ClientSpec, Options, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
pub use faults::FaultSpec;

use state::Shared;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

/// The warning printed when the sandbox listens beyond this machine: its client secrets are
/// public (`sandbox-secret`) and its control endpoints unauthenticated.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "degreed-sandbox: WARNING: listening on {addr}, which is not a loopback address: \
             anyone who can reach it can use its well-known credentials and control endpoints"
        )
    })
}

/// Entry point of the library API.
pub struct Sandbox;

impl Sandbox {
    /// Binds `opts.host:opts.port`, seeds the data and serves on a dedicated thread with its
    /// own tokio runtime (usable from blocking tests). Returns once the port is bound.
    pub fn start(opts: Options) -> io::Result<SandboxHandle> {
        let listener = std::net::TcpListener::bind((opts.host.as_str(), opts.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        if let Some(warning) = exposure_warning(addr) {
            eprintln!("{warning}");
        }
        let shared = Arc::new(
            Shared::new(&opts).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
        );
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread_shared = shared.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let thread = std::thread::Builder::new()
            .name(format!("degreed-sandbox-{}", addr.port()))
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    server::serve(listener, thread_shared, async {
                        let _ = rx.await;
                    })
                    .await;
                });
            })?;
        ready_rx
            .recv()
            .map_err(|_| io::Error::other("sandbox thread died during start-up"))??;
        Ok(SandboxHandle {
            addr,
            base_url: format!("http://{addr}"),
            shared,
            stop: Some(tx),
            thread: Some(thread),
        })
    }
}

/// A running sandbox; dropping it shuts it down.
pub struct SandboxHandle {
    addr: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT` (serves the OAuth host and the API host alike).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Moves the sandbox clock forward (same as `POST /_sandbox/clock`).
    pub fn advance_clock(&self, secs: i64) {
        self.shared.clock.advance_secs(secs);
    }

    /// Stops accepting, lets in-flight requests finish (≤ 5 s) and joins the server thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}
