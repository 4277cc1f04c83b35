//! `degreed-sandbox` binary: prints the base URL as the first stdout line, serves until
//! SIGTERM/SIGINT.

use clap::Parser;
use degreed_sandbox::cli::Cli;
use degreed_sandbox::state::Shared;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// Installs the SIGTERM/SIGINT handlers now (before the base URL is printed, so a supervisor
/// that signals right after reading it gets a graceful shutdown) and returns the future that
/// resolves on the first of them.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(feature = "tls")]
    let tls = cli.tls.clone();
    let opts = cli.into_options();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("degreed-sandbox: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind((opts.host.as_str(), opts.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("degreed-sandbox: cannot bind {}:{}: {e}", opts.host, opts.port);
                return ExitCode::FAILURE;
            }
        };
        let shared = match Shared::new(&opts) {
            Ok(s) => Arc::new(s),
            Err(e) => {
                eprintln!("degreed-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("degreed-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        };
        let shutdown = match shutdown_signal() {
            Ok(f) => f,
            Err(e) => {
                eprintln!("degreed-sandbox: cannot install signal handlers: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Printed even with --quiet: binding beyond loopback is rarely what a test wants.
        if let Some(warning) = degreed_sandbox::exposure_warning(addr) {
            eprintln!("{warning}");
        }
        #[cfg(feature = "tls")]
        let acceptor = match tls.as_deref().map(|ca| degreed_sandbox::tls::acceptor(ca, &opts.host)) {
            Some(Err(e)) => {
                eprintln!("degreed-sandbox: {e}");
                return ExitCode::FAILURE;
            }
            Some(Ok(a)) => Some(a),
            None => None,
        };
        #[cfg(feature = "tls")]
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        #[cfg(not(feature = "tls"))]
        let scheme = "http";
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{scheme}://{addr}");
        let _ = out.flush();
        if !opts.quiet {
            eprintln!(
                "degreed-sandbox listening on {scheme}://{addr} (client {} / {}; control endpoints under /_sandbox/)",
                degreed_sandbox::DEFAULT_CLIENT_ID,
                degreed_sandbox::DEFAULT_CLIENT_SECRET
            );
        }
        #[cfg(feature = "tls")]
        if let Some(acceptor) = acceptor {
            degreed_sandbox::server::serve_tls(listener, shared, shutdown, acceptor).await;
            if !opts.quiet {
                eprintln!("degreed-sandbox: shut down");
            }
            return ExitCode::SUCCESS;
        }
        degreed_sandbox::server::serve(listener, shared, shutdown).await;
        if !opts.quiet {
            eprintln!("degreed-sandbox: shut down");
        }
        ExitCode::SUCCESS
    })
}
