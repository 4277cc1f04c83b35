"""Types: the hand-kept stub of the native module matches it (stubtest), the package passes
mypy --strict, and the namespaces give callers precise types."""

from __future__ import annotations

import compileall
import subprocess
import sys
from pathlib import Path

import degreed

PACKAGE = Path(degreed.__file__).resolve().parent


def _run(*args: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    # Run from a scratch directory: mypy must find the package where it is installed
    # (site-packages, or the source tree for an editable install), never as a cwd file.
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_package_compiles() -> None:
    assert compileall.compile_dir(str(PACKAGE), quiet=1, force=True)
    assert (PACKAGE / "py.typed").exists()


def test_stubtest(tmp_path: Path) -> None:
    result = _run("-m", "mypy.stubtest", "degreed", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_package(tmp_path: Path) -> None:
    result = _run("-m", "mypy", "--strict", "--no-incremental", "-p", "degreed", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


GOOD = '''
import datetime
from typing import Iterator, List
import degreed

def sync(client: degreed.Client) -> None:
    users: Iterator[degreed.User] = client.users.list(limit=10, external_id="x")
    user: degreed.User = client.users.get("a@b.com", identifier="email")
    name: "str | None" = user.first_name
    when: "datetime.datetime | None" = user.created_at
    anything = user.some_unknown_attribute
    course: "degreed.Course | None" = client.content.courses.create(title="T", external_id="E")
    done: "degreed.Completion | None" = client.completions.create(user_id="u", content_id="c")
    client.groups.members.add("g", ["u1", "u2"])
    statements: Iterator[degreed.Statement] = client.xapi.statements.list(since=datetime.datetime.now())
    response: degreed.ApiResponse = client.request("users.get", path=["x"])
    scopes: List[str] = degreed.minimal_scopes(["users.list"])
    stats: int = client.stats.token_requests

async def asynchronous(client: degreed.AsyncClient) -> None:
    async for user in client.users.list():
        employee: "str | None" = user.employee_id
    got: degreed.User = await client.users.get("x")
    await client.users.delete("x")
'''

BAD = '''
import degreed

def wrong(client: degreed.Client, aclient: degreed.AsyncClient) -> None:
    user: degreed.User = client.content.courses.get("x")
    other: degreed.User = aclient.users.get("x")
    client.users.get(42)
    client.users.list(limit="ten")
'''


def test_callers_get_precise_types(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    result = _run("-m", "mypy", "--strict", "--python-version", "3.10", "--no-incremental", str(good), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = tmp_path / "bad.py"
    bad.write_text(BAD)
    result = _run("-m", "mypy", "--strict", "--no-incremental", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 4, result.stdout
