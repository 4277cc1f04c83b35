//! The `degreed-sandbox` binary: first stdout line is the base URL; SIGTERM shuts it down
//! gracefully.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A raw HTTP/1.1 exchange (`Connection: close`); returns the whole response text.
fn http(base: &str, method: &str, path: &str, extra: &str, body: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_degreed-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().to_string())
}

fn terminate(child: &mut Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(code) = child.try_wait().unwrap() {
            assert!(code.success(), "exit status {code:?}");
            return;
        }
        assert!(Instant::now() < deadline, "did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn prints_base_url_and_stops_on_sigterm() {
    let (mut child, base) = spawn(&[
        "--port",
        "0",
        "--quiet",
        "--users",
        "5",
        "--content",
        "7",
        "--completions",
        "3",
    ]);
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");
    let health = http(&base, "GET", "/health", "", "");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains(r#"{"status":"ok"}"#));
    terminate(&mut child);
    assert!(
        TcpStream::connect(base.trim_start_matches("http://")).is_err(),
        "port still open"
    );
}

#[test]
fn sigterm_right_after_start_is_graceful() {
    let (mut child, _) = spawn(&["--port", "0", "--quiet"]);
    terminate(&mut child);
}

#[test]
fn sigterm_lets_in_flight_requests_finish() {
    let (mut child, base) = spawn(&["--port", "0", "--quiet", "--faults", "latency=400ms"]);
    let token = http(
        &base,
        "POST",
        "/oauth/token",
        "Content-Type: application/x-www-form-urlencoded\r\n",
        "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox-secret&scope=users%3Aread",
    );
    let token = token
        .split("\"access_token\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let b = base.clone();
    let slow = std::thread::spawn(move || {
        http(
            &b,
            "GET",
            "/api/v2/users?limit=2",
            &format!("Authorization: Bearer {token}\r\n"),
            "",
        )
    });
    std::thread::sleep(Duration::from_millis(150));
    let started = Instant::now();
    terminate(&mut child);
    let answer = slow.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"data\""));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn bad_flags_fail_fast() {
    let out = Command::new(env!("CARGO_BIN_EXE_degreed-sandbox"))
        .args(["--faults", "explode=0.5"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown kind"));
}
