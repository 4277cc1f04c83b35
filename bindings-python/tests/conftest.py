"""Fixtures: the sandbox binary (built once), sandboxes started on demand, clients on them.

Set DEGREED_SANDBOX_BIN to use a prebuilt binary instead of running cargo.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import degreed

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "sandbox"
CLIENT_SECRET = "sandbox-secret"


@pytest.fixture(scope="session")
def sandbox_bin() -> Path:
    explicit = os.environ.get("DEGREED_SANDBOX_BIN")
    if explicit:
        return Path(explicit)
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "-p", "degreed-sandbox"],
        cwd=ROOT,
        check=True,
    )
    binary = ROOT / "target" / "release" / "degreed-sandbox"
    assert binary.exists(), binary
    return binary


class Sandbox:
    """A running sandbox process and its control endpoints."""

    def __init__(self, binary: Path, args: List[str], log_dir: Path) -> None:
        self.args = args
        self.stderr_path = log_dir / f"sandbox-{os.getpid()}-{id(self)}.log"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [str(binary), "--port", "0", "--quiet", *args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        assert self.proc.stdout is not None
        line: List[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=15)
        if not line or not line[0].startswith(b"http"):
            self.stop()
            raise RuntimeError(f"sandbox did not start: {self.stderr_path.read_text(errors='replace')}")
        self.url = line[0].decode().strip()

    # -- control endpoints -------------------------------------------------------------

    def _control(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def writes(self) -> List[Dict[str, Any]]:
        return list(self._control("GET", "/_sandbox/log")["writes"])

    def stats(self) -> Dict[str, Any]:
        return dict(self._control("GET", "/_sandbox/stats"))

    def configure(self, **settings: Any) -> None:
        self._control("POST", "/_sandbox/config", settings)

    def advance(self, seconds: int) -> None:
        self._control("POST", "/_sandbox/clock", {"advance_secs": seconds})

    def revoke_tokens(self) -> None:
        self._control("POST", "/_sandbox/revoke-tokens", {})

    def client(self, **options: Any) -> degreed.Client:
        options.setdefault("base_url", self.url)
        return degreed.Client(
            options.pop("client_id", CLIENT_ID), options.pop("client_secret", CLIENT_SECRET), **options
        )

    def async_client(self, **options: Any) -> degreed.AsyncClient:
        options.setdefault("base_url", self.url)
        return degreed.AsyncClient(
            options.pop("client_id", CLIENT_ID), options.pop("client_secret", CLIENT_SECRET), **options
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


SandboxFactory = Callable[..., Sandbox]


@pytest.fixture(scope="session")
def _sandboxes(sandbox_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxFactory]:
    started: List[Sandbox] = []
    log_dir = tmp_path_factory.mktemp("sandbox-logs")

    def start(*args: str) -> Sandbox:
        sb = Sandbox(sandbox_bin, list(args), log_dir)
        started.append(sb)
        return sb

    yield start
    for sb in started:
        sb.stop()


@pytest.fixture(scope="session")
def sandbox(_sandboxes: SandboxFactory) -> Sandbox:
    """A shared sandbox with default data and no rate limit. Tests that write or count
    should use ``make_sandbox`` instead."""
    return _sandboxes("--rate-limit", "0")


@pytest.fixture
def make_sandbox(_sandboxes: SandboxFactory) -> Iterator[SandboxFactory]:
    """Starts a fresh sandbox with the given flags (stopped after the test)."""
    mine: List[Sandbox] = []

    def start(*args: str) -> Sandbox:
        sb = _sandboxes(*args)
        mine.append(sb)
        return sb

    yield start
    for sb in mine:
        sb.stop()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[degreed.Client]:
    with sandbox.client() as c:
        yield c


def pytest_report_header(config: pytest.Config) -> str:
    return f"degreed {degreed.__version__} on Python {sys.version.split()[0]}"
