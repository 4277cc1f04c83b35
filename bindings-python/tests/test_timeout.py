"""Per-call ``timeout=``: it replaces the client's deadline for that call (each page of a
list), and a bad value is refused before anything is sent. A timeout is a deadline for the
whole call: each request is sent with the time the call has left."""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable, List, Mapping, Tuple

import pytest

import degreed
from degreed.transports import UrllibTransport

from .conftest import Sandbox

# The sandbox delays every API response by this much (never the token endpoint).
LATENCY = "latency=300ms"
SHORT = 0.1  # well under the latency
LONG = 5.0  # well over it


def _slow(make_sandbox: Any, *args: str) -> Sandbox:
    sb: Sandbox = make_sandbox("--rate-limit", "0", "--users", "12", "--faults", LATENCY, *args)
    return sb


class Recorder:
    """Wraps a transport; remembers the timeout each request was sent with."""

    def __init__(self) -> None:
        self.inner = UrllibTransport()
        self.sent: List[Tuple[str, str, float]] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        self.sent.append((method, url, timeout))
        return self.inner(method, url, headers, body, timeout)

    def api(self) -> List[Tuple[str, str, float]]:
        return [s for s in self.sent if not s[1].endswith("/oauth/token")]


def test_a_short_call_timeout_fails_where_the_client_default_succeeds(make_sandbox: Any) -> None:
    sb = _slow(make_sandbox)
    # max_retries=0: a timed-out GET is "maybe sent", which the core retries for reads.
    client = sb.client(timeout=LONG, max_retries=0)
    uid = next(iter(client.users.list(limit=1))).id  # the client's timeout: slow but fine
    assert uid and client.users.get(uid).id == uid

    before = client.stats.requests
    with pytest.raises(degreed.TransportError):
        client.users.get(uid, timeout=SHORT)
    with pytest.raises(degreed.TransportError):
        list(client.users.list(limit=5, timeout=SHORT))
    with pytest.raises(degreed.TransportError):
        client.request("users.get", path=[uid], timeout=SHORT)
    with pytest.raises(degreed.TransportError):
        client.request_raw("GET", f"/api/v2/users/{uid}", timeout=SHORT)
    with pytest.raises(degreed.TransportError):
        list(client.iterate("users.list", limit=5, timeout=SHORT))
    # One attempt each: no retries, and the failures were the timeouts, not anything else.
    assert client.stats.requests - before == 5
    assert client.stats.retries == 0

    # The override lasts for its call only: the next call uses the client's timeout again.
    assert client.users.get(uid).id == uid


def test_a_long_call_timeout_succeeds_where_the_client_default_fails(make_sandbox: Any) -> None:
    sb = _slow(make_sandbox)
    client = sb.client(timeout=SHORT, max_retries=0)
    users = list(client.users.list(limit=5, timeout=LONG))  # 3 pages, each within LONG
    assert len(users) == 12
    uid = users[0].id
    assert uid and client.users.get(uid, timeout=LONG).id == uid
    with pytest.raises(degreed.TransportError):
        client.users.get(uid)  # the client's own timeout is shorter than the latency


def test_a_read_timed_out_at_the_deadline_is_not_retried_past_it(make_sandbox: Any) -> None:
    sb = _slow(make_sandbox)
    recorder = Recorder()
    client = sb.client(timeout=LONG, max_retries=2, transport=recorder)
    uid = next(iter(client.users.list(limit=1))).id
    assert uid
    recorder.sent.clear()
    with pytest.raises(degreed.TimeoutError) as caught:
        client.users.get(uid, timeout=SHORT)
    assert isinstance(caught.value, degreed.TransportError)  # catching either works
    assert caught.value.maybe_applied is False  # a read
    attempts = recorder.api()
    assert len(attempts) == 1  # no time was left for a retry
    assert 0 < attempts[0][2] <= SHORT
    assert client.stats.retries == 0


def test_every_page_and_the_token_request_use_the_call_timeout(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "12")
    recorder = Recorder()
    client = sb.client(timeout=LONG, transport=recorder)
    assert len(list(client.users.list(limit=5, timeout=7.5))) == 12
    assert len(recorder.api()) == 3
    # The token request and the first page share the first page's deadline; every page
    # call has its own.
    sent = [t for _, _, t in recorder.sent]
    assert len(sent) == 4 and all(7.0 < t <= 7.5 for t in sent), sent
    assert sent[1] <= sent[0]
    recorder.sent.clear()
    assert len(list(client.users.list(limit=5))) == 12
    assert all(LONG - 0.5 < t <= LONG for _, _, t in recorder.sent)


async def test_async_call_timeouts(make_sandbox: Any) -> None:
    sb = _slow(make_sandbox)
    async with sb.async_client(timeout=LONG, max_retries=0) as client:
        uid = [u async for u in client.users.list(limit=5)][0].id
        assert uid and (await client.users.get(uid)).id == uid
        with pytest.raises(degreed.TransportError):
            await client.users.get(uid, timeout=SHORT)
        with pytest.raises(degreed.TransportError):
            [u async for u in client.users.list(limit=5, timeout=SHORT)]
        with pytest.raises(degreed.TransportError):
            await client.request("users.get", path=[uid], timeout=SHORT)
        with pytest.raises(degreed.TransportError):
            await client.request_raw("GET", f"/api/v2/users/{uid}", timeout=SHORT)
        with pytest.raises(degreed.TransportError):
            [u async for u in client.iterate("users.list", limit=5, timeout=SHORT)]
        assert client.stats.retries == 0
    async with sb.async_client(timeout=SHORT, max_retries=0) as client:
        assert len([u async for u in client.users.list(limit=5, timeout=LONG)]) == 12
        with pytest.raises(degreed.TransportError):
            await client.users.get(uid)


# ---------------------------------------------------------------------------------------
# Bad values: refused before anything is sent

BAD = [0, 0.0, -1, -0.5, math.nan, math.inf, -math.inf, "5", b"5", True, [1.0]]


def _no_send(*args: Any) -> Any:
    raise AssertionError(f"nothing may be sent: {args[:2]}")


async def _no_send_async(*args: Any) -> Any:
    raise AssertionError(f"nothing may be sent: {args[:2]}")


SYNC_CALLS: List[Tuple[str, Callable[[degreed.Client, Any], Any]]] = [
    ("users.get", lambda c, t: c.users.get("u1", timeout=t)),
    ("users.get+query", lambda c, t: c.users.get("a@b.c", identifier="email", timeout=t)),
    ("users.list", lambda c, t: c.users.list(limit=5, timeout=t)),
    ("completions.list", lambda c, t: c.completions.list(start_date="2024-01-01", timeout=t)),
    ("xapi.statements.list", lambda c, t: c.xapi.statements.list(verb="x", timeout=t)),
    ("users.create", lambda c, t: c.users.create(first_name="Ada", timeout=t)),
    ("users.update", lambda c, t: c.users.update("u1", {"first_name": "Ada"}, timeout=t)),
    ("users.delete", lambda c, t: c.users.delete("u1", timeout=t)),
    ("groups.members.add", lambda c, t: c.groups.members.add("g1", ["u1"], timeout=t)),
    ("xapi.statements.create", lambda c, t: c.xapi.statements.create({"actor": {}}, timeout=t)),
    ("request", lambda c, t: c.request("users.get", path=["u1"], timeout=t)),
    ("request_raw", lambda c, t: c.request_raw("GET", "/api/v2/badges", timeout=t)),
    ("iterate", lambda c, t: c.iterate("users.list", timeout=t)),
]


@pytest.mark.parametrize("bad", BAD, ids=repr)
@pytest.mark.parametrize("name,call", SYNC_CALLS, ids=[n for n, _ in SYNC_CALLS])
def test_a_bad_call_timeout_is_refused_before_sending(name: str, call: Any, bad: Any) -> None:
    client = degreed.Client("id", "secret", base_url="http://127.0.0.1:9", transport=_no_send)
    with pytest.raises(degreed.InvalidRequestError, match="timeout must be a positive, finite number"):
        call(client, bad)  # list methods raise here, not on first use
    assert client.stats.requests == 0 and client.stats.token_requests == 0


ASYNC_CALLS: List[Tuple[str, Callable[[degreed.AsyncClient, Any], Any]]] = [
    ("users.get", lambda c, t: c.users.get("u1", timeout=t)),
    ("users.create", lambda c, t: c.users.create(first_name="Ada", timeout=t)),
    ("users.update", lambda c, t: c.users.update("u1", first_name="Ada", timeout=t)),
    ("users.delete", lambda c, t: c.users.delete("u1", timeout=t)),
    ("groups.members.remove", lambda c, t: c.groups.members.remove("g1", "u1", timeout=t)),
    ("xapi.statements.create", lambda c, t: c.xapi.statements.create([], timeout=t)),
    ("request", lambda c, t: c.request("users.get", path=["u1"], timeout=t)),
    ("request_raw", lambda c, t: c.request_raw("GET", "/api/v2/badges", timeout=t)),
]
ASYNC_LISTS: List[Tuple[str, Callable[[degreed.AsyncClient, Any], Any]]] = [
    ("users.list", lambda c, t: c.users.list(timeout=t)),
    ("xapi.statements.list", lambda c, t: c.xapi.statements.list(timeout=t)),
    ("iterate", lambda c, t: c.iterate("users.list", timeout=t)),
]


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, "5", True], ids=repr)
async def test_a_bad_call_timeout_is_refused_before_sending_async(bad: Any) -> None:
    client = degreed.AsyncClient("id", "secret", base_url="http://127.0.0.1:9", transport=_no_send_async)
    for name, call in ASYNC_CALLS:
        with pytest.raises(degreed.InvalidRequestError, match="timeout must be a positive"):
            await call(client, bad)
    for name, call in ASYNC_LISTS:
        with pytest.raises(degreed.InvalidRequestError, match="timeout must be a positive"):
            call(client, bad)  # raised on the call, before iterating
    assert client.stats.requests == 0 and client.stats.token_requests == 0


def test_good_call_timeouts_are_accepted() -> None:
    sent: List[float] = []

    def transport(method: str, url: str, headers: Any, body: bytes, timeout: float) -> Any:
        sent.append(timeout)
        return 503, [], b""

    client = degreed.Client("id", "secret", base_url="http://127.0.0.1:9", transport=transport, max_retries=0)
    for good in (1, 0.25, 1e-3, 10**6):
        with pytest.raises(degreed.DegreedError) as caught:
            client.users.get("u1", timeout=good)
        assert not isinstance(caught.value, degreed.InvalidRequestError)
        assert 0 < sent[-1] <= float(good) and isinstance(sent[-1], float)


def _call_methods(root: Any, prefix: str = "") -> List[Tuple[str, Any]]:
    found: List[Tuple[str, Any]] = []
    for name, value in vars(root).items():
        if not name.startswith("_") and type(value).__name__.endswith("Namespace"):
            found += _call_methods(value, f"{prefix}{name}.")
    for name, _ in inspect.getmembers(type(root), inspect.isfunction):
        if not name.startswith("_"):
            found.append((f"{prefix}{name}", getattr(root, name)))
    return found


@pytest.mark.parametrize("cls", [degreed.Client, degreed.AsyncClient])
def test_every_call_method_takes_a_keyword_only_timeout(cls: Any) -> None:
    client = cls("id", "secret", base_url="http://127.0.0.1:9", transport=_no_send_async)
    methods = dict(_call_methods(client))
    ops = set(degreed.operations())
    assert ops <= set(methods)
    expected = ops | {"request", "request_raw", "iterate"}
    for name in sorted(expected):
        parameter = inspect.signature(methods[name]).parameters.get("timeout")
        assert parameter is not None, name
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, name
        assert parameter.default is None, name
        if name in ops or cls is degreed.Client:  # AsyncClient's generic methods refer to Client's
            assert "timeout" in (methods[name].__doc__ or ""), name
