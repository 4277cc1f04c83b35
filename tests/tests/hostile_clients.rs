//! Clients that try to starve or break the sandbox, over real sockets: slowloris headers, a
//! flood of idle connections beyond the open-file limit, control values that would overflow,
//! and a bind beyond loopback.

mod common;
use common::*;
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the binary under `ulimit -n 1024` (the usual default) with `args`.
fn spawn_limited(args: &str) -> (Child, String) {
    let bin = env!("CARGO_BIN_EXE_degreed-sandbox");
    let mut child = Command::new("bash")
        .args(["-c", &format!("ulimit -n 1024 && exec '{bin}' {args}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().trim_start_matches("http://").to_string())
}

fn stop(mut child: Child) -> String {
    let _ = child.kill();
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let _ = child.wait();
    err
}

/// `GET /health` on a new connection; the status line, within `within`.
fn health(addr: &str, within: Duration) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(within))?;
    s.write_all(
        format!("GET /health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out.lines().next().unwrap_or_default().to_owned())
}

/// Whether the server closed `s` (EOF or reset) within `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                )
            }
        }
    }
}

#[test]
fn idle_floods_and_slowloris_cannot_starve_health() {
    let (child, addr) = spawn_limited("--port 0 --quiet --header-timeout 2");
    // 1,100 silent connections: more than the process may hold open.
    let idle: Vec<TcpStream> = (0..1100)
        .map(|_| TcpStream::connect(&addr).expect("connect"))
        .collect();
    // Slowloris: headers trickled a byte at a time, never finished.
    let mut slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /health HTTP/1.1\r\nX-Slow: ").unwrap();
            s
        })
        .collect();
    let trickle = std::thread::spawn({
        let mut slow: Vec<TcpStream> = slow.iter().map(|s| s.try_clone().unwrap()).collect();
        move || {
            for _ in 0..8 {
                for s in &mut slow {
                    let _ = s.write_all(b"a");
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    });
    let started = Instant::now();
    let status = health(&addr, Duration::from_secs(20));
    let took = started.elapsed();
    assert_eq!(
        status.as_deref().unwrap_or("timed out"),
        "HTTP/1.1 200 OK",
        "after {took:?}"
    );
    // The trickled headers never completed: those connections were closed.
    for s in &mut slow {
        assert!(
            closed_within(s, Duration::from_secs(10)),
            "slowloris kept open"
        );
    }
    trickle.join().unwrap();
    drop(idle);
    assert_eq!(
        health(&addr, Duration::from_secs(5)).unwrap(),
        "HTTP/1.1 200 OK"
    );
    let err = stop(child);
    assert!(!err.contains("panicked"), "{err}");
    eprintln!("/health answered after {took:?} with 1,100 idle and 20 slowloris connections");
}

#[test]
fn control_values_are_bounded() {
    let sb = start();
    for (path, body) in [
        ("/_sandbox/config", json!({"token_ttl": u64::MAX})),
        ("/_sandbox/config", json!({"token_ttl": 1u64 << 62})),
        ("/_sandbox/config", json!({"rate_window_secs": u64::MAX})),
        ("/_sandbox/config", json!({"rate_limit": u64::MAX})),
        ("/_sandbox/clock", json!({"advance_secs": i64::MAX})),
        (
            "/_sandbox/clock",
            json!({"advance_secs": 200i64 * 366 * 86_400}),
        ),
    ] {
        let r = sb.control(path, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text);
    }
    // The clock did not move and a token still works for its (largest) lifetime.
    let clock = sb.raw("GET", "/_sandbox/clock", &[], None).json();
    assert_eq!(clock["offset_secs"], 0, "{clock}");
    let max = degreed_sandbox::config::MAX_SECS;
    let r = sb.control("/_sandbox/config", &json!({"token_ttl": max}));
    assert_eq!(r.status, 200, "{}", r.text);
    let token = sb.token();
    assert_eq!(sb.get("/api/v2/users?limit=1", &token).status, 200);
    sb.advance(max as i64 - 10);
    assert_eq!(sb.get("/api/v2/users?limit=1", &token).status, 200);
    sb.advance(20);
    assert_eq!(sb.get("/api/v2/users?limit=1", &token).status, 401);
    // Repeated advances stop at the bound instead of wrapping.
    for _ in 0..20 {
        sb.control(
            "/_sandbox/clock",
            &json!({"advance_secs": 9 * 366 * 86_400}),
        );
    }
    let clock = sb.raw("GET", "/_sandbox/clock", &[], None).json();
    let offset = clock["offset_secs"].as_i64().unwrap();
    assert!((0..=100 * 366 * 86_400).contains(&offset), "{clock}");
    assert!(clock["now"].as_str().unwrap() > "2100", "{clock}");
}

#[test]
fn the_cli_refuses_overflowing_values() {
    for args in [
        "--token-ttl 18446744073709551615",
        "--rate-window 18446744073709551615",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_degreed-sandbox"))
            .args(args.split(' '))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args}");
    }
}

#[test]
fn binding_beyond_loopback_warns_on_stderr() {
    let (child, _) = spawn_limited("--port 0 --quiet --host 0.0.0.0");
    let err = stop(child);
    assert!(
        err.contains("WARNING") && err.contains("not a loopback"),
        "{err}"
    );
    let (child, _) = spawn_limited("--port 0 --quiet --host 127.0.0.1");
    let err = stop(child);
    assert!(!err.contains("WARNING"), "{err}");
}
