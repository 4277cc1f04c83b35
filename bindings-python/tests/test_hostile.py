"""Hostile servers (issue 12): a call's timeout is a deadline even against a server that
trickles its answer, a body is read up to ``max_body_bytes``, plain http to loopback never
goes through a proxy, and no secret sits in a traceback's frame locals."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import traceback
import urllib.request
from typing import Any, Callable, Iterator, List, Mapping, Tuple

import httpx
import pytest

import degreed
from degreed.transports import Request, UrllibTransport

from .conftest import Sandbox

TOKEN_BODY = b'{"access_token":"hostile-token","token_type":"bearer","expires_in":3600}'


class Hostile:
    """A loopback HTTP/1.1 server: the token endpoint answers at once; API requests get
    `mode`: "trickle" (the whole response, from its first byte, one byte a second) or
    "endless" (a 200 whose body never ends)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sent = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            reader = conn.makefile("rb")
            try:
                while not self._stop.is_set():
                    line = reader.readline()
                    if not line:
                        return
                    length = 0
                    while True:
                        header = reader.readline()
                        if header in (b"\r\n", b"\n", b""):
                            break
                        name, _, value = header.decode("latin-1").partition(":")
                        if name.strip().lower() == "content-length":
                            length = int(value)
                    reader.read(length)
                    if b"/oauth/token" in line:
                        conn.sendall(
                            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + f"Content-Length: {len(TOKEN_BODY)}\r\n\r\n".encode()
                            + TOKEN_BODY
                        )
                    elif self.mode == "trickle":
                        self._trickle(conn)
                        return
                    else:
                        self._endless(conn)
                        return
            except OSError:
                return

    def _trickle(self, conn: socket.socket) -> None:
        body = b'{"data": []}'
        response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + (
            f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        )
        for i in range(len(response)):
            if self._stop.wait(1.0 if i else 0.0):
                return
            conn.sendall(response[i : i + 1])

    def _endless(self, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[")
        chunk = b" " * 65536
        while not self._stop.is_set():
            conn.sendall(chunk)
            self.sent += len(chunk)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


@pytest.fixture
def trickle() -> Iterator[Hostile]:
    server = Hostile("trickle")
    yield server
    server.close()


@pytest.fixture
def endless() -> Iterator[Hostile]:
    server = Hostile("endless")
    yield server
    server.close()


def _naive(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
    """A custom transport that trusts socket timeouts (which a trickle never trips) and
    returns the body as a stream, for the SDK to read up to its limit."""
    request = urllib.request.Request(url, data=body or None, headers=dict(headers), method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    response = opener.open(request, timeout=timeout)
    return response.status, list(response.headers.items()), response


async def _naive_async(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
    http = httpx.AsyncClient(trust_env=False)
    request = http.build_request(method, url, headers=dict(headers), content=body or None, timeout=timeout)
    r = await http.send(request, stream=True)
    return r.status_code, r.headers.multi_items(), r.aiter_bytes()


SYNC_TRANSPORTS: List[Tuple[str, Callable[[], Any]]] = [
    ("urllib", UrllibTransport),
    ("httpx", degreed.HttpxTransport),
    ("custom", lambda: _naive),
]
ASYNC_TRANSPORTS: List[Tuple[str, Callable[[], Any]]] = [
    ("httpx", degreed.AsyncHttpxTransport),
    ("threaded-urllib", lambda: degreed.ThreadedTransport(UrllibTransport())),
    ("custom-sync", lambda: _naive),
    ("custom-async", lambda: _naive_async),
]


#: The deadline of the trickle tests, in seconds. The trickle sends its ~80-byte answer one
#: byte a second, so no socket timeout ever trips: without a deadline a call lasts ~80 s.
DEADLINE = 2.0


def assert_ended_at_the_deadline(elapsed: float, deadline: float = DEADLINE) -> None:
    """Not before the deadline (less the core's 50 ms slack and clock granularity), and long
    before the trickle would end: a loaded machine may add seconds, never a minute."""
    assert deadline - 0.1 <= elapsed < deadline + 10, elapsed


@pytest.mark.parametrize("make", [m for _, m in SYNC_TRANSPORTS], ids=[n for n, _ in SYNC_TRANSPORTS])
def test_a_trickling_server_is_cut_off_at_the_deadline(trickle: Hostile, make: Any) -> None:
    client = degreed.Client("id", "secret", base_url=trickle.url, transport=make(), timeout=DEADLINE,
                            max_retries=3)
    started = time.monotonic()
    with pytest.raises(degreed.TimeoutError) as caught:
        client.users.get("u1")
    assert_ended_at_the_deadline(time.monotonic() - started)
    assert isinstance(caught.value, TimeoutError)  # the built-in too
    assert client.stats.retries == 0


@pytest.mark.parametrize("make", [m for _, m in ASYNC_TRANSPORTS], ids=[n for n, _ in ASYNC_TRANSPORTS])
async def test_a_trickling_server_is_cut_off_at_the_deadline_async(trickle: Hostile, make: Any) -> None:
    async with degreed.AsyncClient(
        "id", "secret", base_url=trickle.url, transport=make(), timeout=DEADLINE, max_retries=3
    ) as client:
        started = time.monotonic()
        with pytest.raises(degreed.TimeoutError):
            await client.users.get("u1")
        assert_ended_at_the_deadline(time.monotonic() - started)
        # The deadline covers retries: none was tried (each would restart the trickle).
        assert client.stats.retries == 0


def test_a_per_call_timeout_is_the_deadline_too(trickle: Hostile) -> None:
    client = degreed.Client("id", "secret", base_url=trickle.url, timeout=60)
    started = time.monotonic()
    with pytest.raises(degreed.TimeoutError):
        list(client.users.list(timeout=1))
    # The call's 1 s, not the client's 60 s.
    assert_ended_at_the_deadline(time.monotonic() - started, 1.0)


@pytest.mark.parametrize("make", [m for _, m in SYNC_TRANSPORTS], ids=[n for n, _ in SYNC_TRANSPORTS])
def test_an_endless_body_stops_at_the_limit(endless: Hostile, make: Any) -> None:
    limit = 1 << 20
    client = degreed.Client("id", "secret", base_url=endless.url, transport=make(), max_body_bytes=limit)
    assert client.max_body_bytes == limit
    with pytest.raises(degreed.DecodeError, match=f"limit of {limit} bytes") as caught:
        client.users.get("u1")
    assert caught.value.status == 200
    assert client.stats.retries == 0


@pytest.mark.parametrize("make", [m for _, m in ASYNC_TRANSPORTS], ids=[n for n, _ in ASYNC_TRANSPORTS])
async def test_an_endless_body_stops_at_the_limit_async(endless: Hostile, make: Any) -> None:
    limit = 1 << 20
    async with degreed.AsyncClient(
        "id", "secret", base_url=endless.url, transport=make(), max_body_bytes=limit, timeout=20
    ) as client:
        with pytest.raises(degreed.DecodeError, match="limit of"):
            await client.users.get("u1")


def test_the_default_limit_is_64_mib_and_bad_limits_are_refused(endless: Hostile) -> None:
    client = degreed.Client("id", "secret", base_url=endless.url)
    assert client.max_body_bytes == 64 << 20
    with pytest.raises(degreed.DecodeError, match=f"limit of {64 << 20} bytes"):
        client.users.get("u1")
    for bad in (0, -1, 1.5, True, "10"):
        with pytest.raises(degreed.InvalidRequestError, match="max_body_bytes"):
            degreed.Client("id", "secret", base_url=endless.url, max_body_bytes=bad)


# ---------------------------------------------------------------------------------------
# Plain http to loopback never goes through a proxy


class FakeProxy:
    """Accepts connections, records them, and closes them."""

    def __init__(self) -> None:
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProxy]:
    proxy = FakeProxy()
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, proxy.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield proxy
    proxy.close()


def test_loopback_http_goes_direct_whatever_the_proxy_variables(sandbox: Sandbox, proxy_env: FakeProxy) -> None:
    # The proxy is real and would be used for anything proxied.
    with pytest.raises(OSError):
        urllib.request.urlopen(sandbox.url + "/health", timeout=5)
    assert proxy_env.connections == 1
    for transport in (None, UrllibTransport(), degreed.HttpxTransport()):
        with sandbox.client(transport=transport) as client:
            assert next(iter(client.users.list(limit=1))).id
    assert proxy_env.connections == 1


async def test_loopback_http_goes_direct_whatever_the_proxy_variables_async(
    sandbox: Sandbox, proxy_env: FakeProxy
) -> None:
    for transport in (None, degreed.AsyncHttpxTransport(), degreed.ThreadedTransport()):
        async with sandbox.async_client(transport=transport) as client:
            assert [u async for u in client.users.list(limit=1)]
    assert proxy_env.connections == 0


# ---------------------------------------------------------------------------------------
# No secret in a traceback's frame locals

SECRET = "locals-secret-7f3a9c"
WRONG = "locals-wrong-secret-51d2"
TOKENS: List[str] = []


class Recording(UrllibTransport):
    """Remembers the access tokens the server issued (in a global, not a frame local)."""

    def send_request(self, request: Request) -> Any:
        status, headers, body = super().send_request(request)
        if request.kind == "token" and b"access_token" in body:
            TOKENS.append(body.split(b'"access_token":"')[1].split(b'"')[0].decode())
        return status, headers, body


class AsyncRecording(degreed.ThreadedTransport):
    def __init__(self) -> None:
        super().__init__(Recording())


def _assert_no_secret_in_locals(error: BaseException) -> None:
    shown = "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())
    assert "_driver.py" in shown and "step = " in shown, shown  # the loop's frame and locals
    for secret in (SECRET, WRONG, *TOKENS):
        assert secret not in shown, f"{secret!r} in:\n{shown}"


@pytest.fixture
def locals_sandbox(make_sandbox: Any) -> Sandbox:
    TOKENS.clear()
    sb: Sandbox = make_sandbox("--rate-limit", "0", "--client", f"locals:{SECRET}:*", "--faults", "500=1")
    return sb


FAILURES = ["token", "500", "transport"]


def _options(name: str) -> Mapping[str, Any]:
    # Made in a frame of its own, gone before the call: the test's frame holds no secret.
    if name == "token":
        return {"client_id": "locals", "client_secret": WRONG}
    if name == "500":
        return {"client_id": "locals", "client_secret": SECRET, "max_retries": 0}
    return {"client_id": "locals", "client_secret": SECRET, "token_url": f"http://127.0.0.1:{_closed_port()}/t", "max_retries": 1}


def _client(sb: Sandbox, name: str) -> degreed.Client:
    return sb.client(transport=Recording(), **_options(name))


def _async_client(sb: Sandbox, name: str) -> degreed.AsyncClient:
    return sb.async_client(transport=AsyncRecording(), **_options(name))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_secret_or_token_in_traceback_locals(locals_sandbox: Sandbox) -> None:
    for name in FAILURES:
        client = _client(locals_sandbox, name)
        with pytest.raises(degreed.DegreedError) as caught:
            client.users.get("u1")
        if name == "500":  # a token was issued, then the API failed
            assert TOKENS and isinstance(caught.value, degreed.ServerError)
        _assert_no_secret_in_locals(caught.value)


async def test_no_secret_or_token_in_traceback_locals_async(locals_sandbox: Sandbox) -> None:
    for name in FAILURES:
        async with _async_client(locals_sandbox, name) as client:
            with pytest.raises(degreed.DegreedError) as caught:
                await client.users.get("u1")
            if name == "500":
                assert TOKENS and isinstance(caught.value, degreed.ServerError)
            _assert_no_secret_in_locals(caught.value)


# ---------------------------------------------------------------------------------------
# TLS with a custom CA, and kept-alive connections


def test_listing_over_tls_with_the_sandbox_ca_reuses_one_connection(
    make_sandbox: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from degreed import transports

    ca = str(tmp_path / "sandbox-ca.pem")
    sb: Sandbox = make_sandbox("--rate-limit", "0", "--users", "30", "--tls", ca)
    assert sb.url.startswith("https://127.0.0.1:")
    connects: List[int] = []
    original = transports._HTTPSConnection.connect

    def counting(self: Any) -> None:
        connects.append(1)
        original(self)

    monkeypatch.setattr(transports._HTTPSConnection, "connect", counting)
    with sb.client(ca_bundle=ca) as client:
        users = list(client.users.list(limit=5))  # a token and 6 pages
        assert len(users) == 30
    assert len(connects) == 1  # every request on one kept-alive connection
    # The same with httpx; without the CA, the certificate is refused (not sent: retried).
    with sb.client(transport=degreed.HttpxTransport(ca_bundle=ca)) as client:
        assert len(list(client.users.list(limit=10))) == 30
    with pytest.raises(degreed.TransportError, match="CERTIFICATE_VERIFY_FAILED"):
        sb.client(max_retries=0).users.get("x")
    with pytest.raises(degreed.InvalidRequestError, match="ca_bundle"):
        sb.client(ca_bundle=ca, transport=UrllibTransport())


async def test_listing_over_tls_with_the_sandbox_ca_async(make_sandbox: Any, tmp_path: Any) -> None:
    ca = str(tmp_path / "sandbox-ca.pem")
    sb: Sandbox = make_sandbox("--rate-limit", "0", "--users", "30", "--tls", ca)
    async with sb.async_client(ca_bundle=ca) as client:
        assert len([u async for u in client.users.list(limit=10)]) == 30
