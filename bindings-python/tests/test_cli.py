"""The `degreed` command, run as `python -m degreed` against the sandbox."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

from .conftest import CLIENT_ID, CLIENT_SECRET, Sandbox


def cli(sb: Sandbox, *args: str, secret: str = CLIENT_SECRET) -> "subprocess.CompletedProcess[str]":
    env = dict(os.environ)
    env.update(DEGREED_CLIENT_ID=CLIENT_ID, DEGREED_CLIENT_SECRET=secret, DEGREED_BASE_URL=sb.url)
    return subprocess.run(
        [sys.executable, "-m", "degreed", *args], env=env, capture_output=True, text=True, timeout=60
    )


def jsonl(text: str) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_users_import_then_list(make_sandbox: Any, tmp_path: Path) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "5")
    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "Employee ID,First Name,Last Name,Organization Email,Location\n"
        "N-1,Ada,Lovelace,ada@example.com,London\n"
        "N-2,Grace,Hopper,grace@example.com,\n"
        ",No,Id,noid@example.com,\n",
        encoding="utf-8",
    )
    first = cli(sb, "users", "import", str(csv_file))
    assert first.returncode == 1, first.stderr  # one row has no employee id
    assert "2 created, 0 updated, 1 failed" in first.stderr
    rows = jsonl(first.stdout)
    assert [r["action"] for r in rows] == ["created", "created", "failed"]

    csv_file.write_text(
        "employee_id,first_name,last_name,organization_email\nN-1,Augusta,Lovelace,ada@example.com\n",
        encoding="utf-8",
    )
    second = cli(sb, "users", "import", str(csv_file))
    assert second.returncode == 0, second.stderr
    assert jsonl(second.stdout)[0]["action"] == "updated"

    listed = cli(sb, "users", "list", "--limit", "3")
    assert listed.returncode == 0, listed.stderr
    users = jsonl(listed.stdout)
    assert len(users) == 7
    by_employee = {u["employee_id"]: u for u in users}
    assert by_employee["N-1"]["first_name"] == "Augusta"
    assert by_employee["N-1"]["location"] == "London"
    assert by_employee["N-2"]["last_name"] == "Hopper"
    assert CLIENT_SECRET not in listed.stdout + listed.stderr
    raw = jsonl(cli(sb, "users", "list", "--raw").stdout)
    assert "employee-id" in raw[0]["attributes"]


def test_completions_export(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--completions", "30")
    since = (dt.date.today() - dt.timedelta(days=100)).isoformat()
    result = cli(sb, "completions", "export", "--since", since, "--limit", "7")
    assert result.returncode == 0, result.stderr
    rows = jsonl(result.stdout)
    assert len(rows) == 30 and len({r["id"] for r in rows}) == 30
    assert all(r["completed_at"].endswith("+00:00") for r in rows)


def test_content_import_creates_then_updates(make_sandbox: Any, tmp_path: Path) -> None:
    sb = make_sandbox("--rate-limit", "0")
    csv_file = tmp_path / "courses.csv"
    csv_file.write_text(
        "external_id,title,url,duration,duration_type\n"
        "CLI-1,First,https://example.com/cli-1,2,Hours\n"
        "CLI-2,Second,https://example.com/cli-2,30,Minutes\n",
        encoding="utf-8",
    )
    first = cli(sb, "content", "import", str(csv_file))
    assert first.returncode == 0, first.stderr
    assert [r["action"] for r in jsonl(first.stdout)] == ["created", "created"]
    csv_file.write_text(
        "external_id,title,url,duration,duration_type\nCLI-1,First (revised),https://example.com/cli-1,3,Hours\n",
        encoding="utf-8",
    )
    second = cli(sb, "content", "import", str(csv_file))
    assert second.returncode == 0, second.stderr
    row = jsonl(second.stdout)[0]
    assert row["action"] == "updated"
    course = sb.client().content.courses.get(row["id"])
    assert course.title == "First (revised)" and course.duration == 3


def test_scopes_and_errors(sandbox: Sandbox) -> None:
    result = cli(sandbox, "scopes", "users.list", "completions.create", "users.update")
    assert result.returncode == 0
    assert result.stdout.strip() == "completions:write,users:write"
    bad = cli(sandbox, "scopes", "users.nope")
    assert bad.returncode == 1 and "users.nope" in bad.stderr
    denied = cli(sandbox, "users", "list", secret="not-the-secret")
    assert denied.returncode == 1 and "authentication" in denied.stderr
    assert "not-the-secret" not in denied.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEGREED_")}
    missing = subprocess.run(
        [sys.executable, "-m", "degreed", "users", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert missing.returncode != 0 and "DEGREED_CLIENT_ID" in missing.stderr
