"""The command line on long jobs: progress off a terminal, --quiet, options after the command,
--dry-run, the columns in --help, the SQLite export; and the client options it relies on:
Client.from_env and proxy=."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, List

import pytest

import degreed

from .conftest import CLIENT_ID, CLIENT_SECRET, Sandbox
from .test_cli import cli, jsonl


def test_progress_lines_on_a_redirected_stderr_and_quiet(make_sandbox: Any, tmp_path: Path) -> None:
    sb = make_sandbox("--rate-limit", "6", "--rate-window", "1", "--users", "30")
    env = dict(os.environ, DEGREED_CLIENT_ID=CLIENT_ID, DEGREED_CLIENT_SECRET=CLIENT_SECRET,
               DEGREED_PROGRESS_INTERVAL="0.2")
    log = tmp_path / "stderr.log"
    started = time.monotonic()
    with log.open("w") as err:
        # Global options after the command.
        done = subprocess.run([sys.executable, "-m", "degreed", "users", "list", "--limit", "2", "--base-url", sb.url],
                              env=env, stdout=subprocess.PIPE, stderr=err, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, log.read_text()
    assert len(jsonl(done.stdout)) == 30
    lines = log.read_text().splitlines()
    assert len(lines) >= elapsed / 0.2 * 0.5, (len(lines), elapsed)
    assert all(line.startswith("users: ") and "/s" in line and "pacing wait" in line for line in lines), lines
    assert lines[-1].startswith("users: 30,") and "page 15" in lines[-1]
    quiet = subprocess.run([sys.executable, "-m", "degreed", "--quiet", "users", "list", "--base-url", sb.url],
                           env=env, capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_dry_run_imports_write_nothing(make_sandbox: Any, tmp_path: Path) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "3")
    existing = next(iter(sb.client().users.list()))
    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "employee_id,first_name,last_name,organization_email\n"
        f"{existing.employee_id},Changed,Name,\n"
        "DRY-1,New,Person,new@example.com\n"
        "DRY-2,No,Email,\n",
        encoding="utf-8",
    )
    result = cli(sb, "users", "import", str(csv_file), "--dry-run")
    assert [r["action"] for r in jsonl(result.stdout)] == ["would update", "would create", "failed"]
    assert "1 would be created, 1 would be updated, 1 failed" in result.stderr
    assert result.returncode == 1
    assert sb.writes() == []
    courses = tmp_path / "courses.csv"
    courses.write_text(
        "external_id,title,url,duration,duration_type\n"
        "DRY-C,T,https://example.com/dry,2,Hours\n"
        "DRY-D,No duration,https://example.com/dry-d,,\n",
        encoding="utf-8",
    )
    result = cli(sb, "content", "import", "--dry-run", str(courses))
    rows = jsonl(result.stdout)
    assert [r["action"] for r in rows] == ["would create", "failed"] and result.returncode == 1
    # The core's rule, as the real create would apply it.
    assert "missing required attributes duration, duration_type" in rows[1]["error"]
    assert sb.writes() == []


def test_import_help_lists_the_columns(sandbox: Sandbox) -> None:
    text = cli(sandbox, "users", "import", "--help").stdout
    for column in ["employee_id", "first_name", "last_name", "organization_email", "job_role", "--dry-run"]:
        assert column in text
    assert "external_id" in cli(sandbox, "content", "import", "--help").stdout


def test_completions_export_to_sqlite_upserts_and_resumes(make_sandbox: Any, tmp_path: Path) -> None:
    sb = make_sandbox("--rate-limit", "0", "--completions", "40")
    db = tmp_path / "out.db"
    since = (dt.date.today() - dt.timedelta(days=100)).isoformat()
    first = cli(sb, "completions", "export", "--since", since, "--to", f"sqlite:///{db}", "--limit", "9")
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, completed_at, raw FROM completions").fetchall()
    assert len(rows) == 40 and len({r[0] for r in rows}) == 40
    last = max(r[1] for r in rows)
    # A new completion after the last exported one; the second run has no --since: it resumes
    # from the last exported day, and upserts (no duplicates) what it sees again.
    client = sb.client()
    user = next(iter(client.users.list()))
    content = next(iter(client.content.list()))
    client.completions.create(
        user_id=user.id, user_identifier_type="UserId", content_id=content.id, content_id_type="Id",
        content_type=content.content_type, completed_at=dt.datetime.now(dt.timezone.utc),
    )
    second = cli(sb, "completions", "export", "--to", f"sqlite:///{db}")
    assert second.returncode == 0, second.stderr
    assert f"(since {last[:10]})" in second.stderr
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("SELECT count(*) FROM completions").fetchone()
    assert count == 41
    csv_path = tmp_path / "out.csv"
    assert cli(sb, "completions", "export", "--since", since, "--to", str(csv_path)).returncode == 0
    assert len(csv_path.read_text(encoding="utf-8").splitlines()) == 42
    fresh = tmp_path / "fresh.db"
    missing = cli(sb, "completions", "export", "--to", f"sqlite:///{fresh}")
    assert missing.returncode != 0 and "--since" in missing.stderr


def test_client_from_env(sandbox: Sandbox) -> None:
    env = {"DEGREED_CLIENT_ID": CLIENT_ID, "DEGREED_CLIENT_SECRET": CLIENT_SECRET, "DEGREED_BASE_URL": sandbox.url,
           "DEGREED_TIMEOUT": "7", "DEGREED_SCOPES": "users:read", "DEGREED_DATA_CENTER": ""}
    client = degreed.Client.from_env(env)
    assert client.timeout == 7 and client.scopes == ["users:read"] and client.base_url.rstrip("/") == sandbox.url.rstrip("/")
    assert next(iter(client.users.list(limit=1))).id
    assert degreed.Client.from_env(env, timeout=3).timeout == 3
    with pytest.raises(degreed.InvalidRequestError, match="DEGREED_CLIENT_SECRET"):
        degreed.Client.from_env({"DEGREED_CLIENT_ID": "x"})
    with pytest.raises(degreed.InvalidRequestError, match="DEGREED_TIMEOUT"):
        degreed.Client.from_env(dict(env, DEGREED_TIMEOUT="soon"))
    assert isinstance(degreed.AsyncClient.from_env(env), degreed.AsyncClient)
    assert degreed.Client.from_env({}, client_id="a", client_secret="b", base_url=sandbox.url).client_id == "a"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_a_terminal_line_and_quiet_prints_nothing() -> None:
    tty = _Tty()
    with degreed.Progress(tty, interval=5) as progress:
        progress.start("rows", total=4)
        for _ in range(4):
            progress.advance()
    text = tty.getvalue()
    assert text.startswith("\r\033[Krows: 0/4 (0%)") and "rows: 4/4 (100%)" in text and text.endswith("\n")
    assert "\n" not in text[:-1], "one line, redrawn in place"
    quiet = _Tty()
    with degreed.Progress(quiet, quiet=True) as progress:
        progress.start("rows", total=2)
        progress.advance(2)
    assert quiet.getvalue() == ""
    os.environ["DEGREED_PROGRESS_INTERVAL"] = "0.5"
    try:
        assert degreed.Progress(_Tty()).interval == 0.5
    finally:
        del os.environ["DEGREED_PROGRESS_INTERVAL"]
    assert degreed.Progress(_Tty()).interval == 10.0


def _connect_proxy() -> Any:
    """A proxy on loopback that records each CONNECT target and refuses it (502)."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    seen: List[str] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                head = conn.recv(4096).decode("latin-1")
                seen.append(head.split("\r\n")[0])
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return server, seen


def test_proxy_option_sends_https_through_the_proxy() -> None:
    server, seen = _connect_proxy()
    url = "http://127.0.0.1:%d" % server.getsockname()[1]
    try:
        client = degreed.Client("id", "secret", base_url="https://api.degreed-proxy-test.invalid", proxy=url,
                                max_retries=0)
        with pytest.raises(degreed.TransportError):
            client.users.get("u1")
        assert seen and seen[0].startswith("CONNECT api.degreed-proxy-test.invalid:443"), seen

        async def via_async() -> None:
            async with degreed.AsyncClient("id", "secret", base_url="https://api.degreed-proxy-test.invalid",
                                           proxy=url, max_retries=0) as c:
                await c.users.get("u1")

        with pytest.raises(degreed.TransportError):
            asyncio.run(via_async())
        assert len(seen) == 2 and seen[1].startswith("CONNECT api.degreed-proxy-test.invalid:443"), seen
    finally:
        server.close()
    with pytest.raises(degreed.InvalidRequestError):
        degreed.Client("id", "secret", proxy=url, transport=lambda *a: (200, {}, b""))
