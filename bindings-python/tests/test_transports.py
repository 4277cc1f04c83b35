"""Transports: httpx, custom callables, and how network failures are classified."""

from __future__ import annotations

import http.server
import socket
import threading
from typing import Any, Iterator, List, Mapping, Tuple

import httpx
import pytest

import degreed
from degreed.transports import SendError, UrllibTransport, classify

from .conftest import Sandbox


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_httpx_transport(sandbox: Sandbox) -> None:
    with sandbox.client(transport=degreed.HttpxTransport()) as client:
        users = list(client.users.list(limit=10))
        assert len(users) >= 25
        assert client.users.get(users[0].id).id == users[0].id
        with pytest.raises(degreed.NotFoundError):
            client.users.get("no-such-user")


def test_httpx_transport_with_own_client(sandbox: Sandbox) -> None:
    with httpx.Client() as http:
        client = sandbox.client(transport=degreed.HttpxTransport(http))
        assert next(iter(client.users.list())).id
        client.close()
        assert not http.is_closed  # not ours to close


async def test_async_httpx_transport_with_own_client(sandbox: Sandbox) -> None:
    async with httpx.AsyncClient() as http:
        async with sandbox.async_client(transport=degreed.AsyncHttpxTransport(http)) as client:
            assert [u async for u in client.users.list(limit=5)]
        assert not http.is_closed


def test_custom_callable_transport(sandbox: Sandbox) -> None:
    inner = UrllibTransport()
    seen: List[Tuple[str, str, Mapping[str, str]]] = []

    def transport(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        seen.append((method, url, dict(headers)))
        status, rheaders, rbody = inner(method, url, headers, body, timeout)
        return status, dict(rheaders), rbody  # a mapping of headers is fine too

    client = sandbox.client(transport=transport, timeout=5)
    assert next(iter(client.users.list(limit=1))).id
    token, api = seen[0], seen[1]
    assert token[0] == "POST" and token[1].endswith("/oauth/token")
    assert api[0] == "GET" and api[2]["authorization"].startswith("Bearer ")
    assert api[2]["accept"] == "application/json"


def test_connection_refused_is_retried_then_reported_not_applied() -> None:
    client = degreed.Client("id", "secret", base_url=f"http://127.0.0.1:{_free_port()}", max_retries=1)
    with pytest.raises(degreed.TransportError) as info:
        client.users.get("x")
    assert info.value.maybe_applied is False
    assert "Connection" in str(info.value) or "refused" in str(info.value)
    assert client.stats.retries == 1 and client.stats.token_requests == 2


def test_failures_after_sending_a_write_are_maybe_applied(sandbox: Sandbox) -> None:
    inner = UrllibTransport()
    posts: List[str] = []

    def flaky(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        if method == "POST" and "/api/" in url:
            posts.append(url)
            raise ConnectionResetError(104, "Connection reset by peer")
        if method == "GET" and "/api/" in url and len(posts) < 3:
            posts.append(url)
            raise SendError("proxy refused", maybe_sent=False)
        return inner(method, url, headers, body, timeout)

    client = sandbox.client(transport=flaky, max_retries=4)
    with pytest.raises(degreed.TransportError) as info:
        client.users.create(employee_id="X", first_name="X", last_name="X", organization_email="x@x.io")
    assert info.value.maybe_applied is True
    assert len(posts) == 1  # a write that may have been applied is not sent again
    assert next(iter(client.users.list())).id  # not-sent GETs are retried
    assert len(posts) == 3


def test_a_transport_bug_propagates_and_releases_the_token_fetch(sandbox: Sandbox) -> None:
    inner = UrllibTransport()
    broken = {"on": True}

    def transport(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        if broken["on"]:
            raise KeyError("bug in transport")
        return inner(method, url, headers, body, timeout)

    client = sandbox.client(transport=transport)
    with pytest.raises(KeyError):
        client.users.get("x")
    broken["on"] = False
    with pytest.raises(degreed.NotFoundError):
        client.users.get("x")  # the next call fetches the token at once


def test_transport_returning_garbage_is_a_type_error(sandbox: Sandbox) -> None:
    client = sandbox.client(transport=lambda *args: "nope")
    with pytest.raises(TypeError, match="status, headers, body"):
        client.users.get("x")


def test_odd_statuses_and_headers_are_errors_not_crashes() -> None:
    def odd(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        if url.endswith("/oauth/token"):
            return 200, [("content-type", "application/json"), ("bad header", "x")], b'{"access_token":"t"}'
        return 7, [("x\nbad", "y")], b"<html>"

    client = degreed.Client("id", "secret", base_url="http://127.0.0.1:9", transport=odd, max_retries=0)
    with pytest.raises(degreed.ServerError) as info:
        client.users.get("x")
    assert info.value.status == 502


class _Redirector(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # token
        body = b'{"access_token":"tok","token_type":"bearer","expires_in":3600}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "http://example.invalid/steal")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def redirector() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("transport", [UrllibTransport, degreed.HttpxTransport])
def test_redirects_are_not_followed(redirector: str, transport: Any) -> None:
    client = degreed.Client("id", "secret", base_url=redirector, transport=transport(), max_retries=0)
    with pytest.raises(degreed.DegreedError) as info:
        client.users.get("x")
    assert info.value.status == 302


def test_classification() -> None:
    import urllib.error

    assert classify(ConnectionRefusedError()) is True
    assert classify(socket.gaierror()) is True
    assert classify(urllib.error.URLError(ConnectionRefusedError())) is True
    assert classify(urllib.error.URLError(TimeoutError())) is False
    assert classify(ConnectionResetError()) is False
    assert classify(TimeoutError()) is False
    assert classify(httpx.ConnectError("x")) is True
    assert classify(httpx.ReadTimeout("x")) is False
    assert classify(SendError("x", maybe_sent=False)) is True
    assert classify(ValueError()) is None
