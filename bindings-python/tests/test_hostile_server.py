"""A hostile server on loopback (issue 12, items 3, 4, 6, 7, 10): pagination cycles, broken list answers, echoed secrets,
absurd rate-limit headers and impossible dates. The core decides; these tests check that the
Python client surfaces its decisions as typed errors, never as silent data or long sleeps."""

from __future__ import annotations

import http.server
import json
import logging
import threading
import time as real_time
import traceback
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

import degreed
from degreed import _driver

from .conftest import Sandbox

SECRET = "hostile-secret-value"
TOKEN = "tok-hostile-4242"

Answer = Tuple[int, Dict[str, str], bytes]
Route = Callable[[str, str, bytes], Answer]


def _json(status: int, body: Any, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


def _token_ok(method: str, path: str, body: bytes) -> Answer:
    return _json(200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600})


class Hostile:
    """A scripted HTTP server: `route(method, path_and_query, body)` answers every request."""

    def __init__(self) -> None:
        self.route: Route = lambda m, p, b: _json(200, {"data": []})
        self.requests: List[str] = []
        hostile = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                hostile.requests.append(f"{self.command} {self.path}")
                if self.path.startswith("/oauth/token") and hostile.token is not None:
                    status, headers, out = hostile.token(self.command, self.path, body)
                else:
                    status, headers, out = hostile.route(self.command, self.path, body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PATCH = do_DELETE = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.token: Optional[Route] = _token_ok
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def client(self, **options: Any) -> degreed.Client:
        options.setdefault("max_retries", 0)
        return degreed.Client("hostile", SECRET, base_url=self.url, **options)

    def api_requests(self) -> List[str]:
        return [r for r in self.requests if "/oauth/" not in r]


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    h = Hostile()
    yield h
    h.server.shutdown()
    h.server.server_close()


def _users(n: int, start: int = 0) -> List[Dict[str, Any]]:
    return [{"type": "users", "id": f"u{i}", "attributes": {"first-name": f"U{i}"}} for i in range(start, start + n)]


# -- item 3: pagination cycles -------------------------------------------------------------


@pytest.mark.parametrize(
    "links",
    [
        ["a", "b", "a"],
        ["a", "b", "c", "a"],
        ["a", "b", "c", "b"],
        ["a", "first"],
    ],
)
def test_any_repeated_next_link_ends_the_walk_with_a_decode_error(hostile: Hostile, links: List[str]) -> None:
    def route(method: str, path: str, body: bytes) -> Answer:
        seen = len(hostile.api_requests()) - 1
        name = links[min(seen, len(links) - 1)]
        nxt = "/api/v2/users?limit=1" if name == "first" else f"/api/v2/users?limit=1&cursor={name}"
        return _json(200, {"data": _users(1, seen), "links": {"next": nxt}})

    hostile.route = route
    with pytest.raises(degreed.DecodeError, match="already followed"):
        list(hostile.client().users.list(limit=1))
    # The repeated link is refused when it arrives: it is never requested again.
    assert len(hostile.api_requests()) == len(links)


def test_empty_pages_with_fresh_links_stop_after_a_bounded_run(hostile: Hostile) -> None:
    def route(method: str, path: str, body: bytes) -> Answer:
        n = len(hostile.api_requests())
        return _json(200, {"data": [], "links": {"next": f"/api/v2/users?cursor={n}"}})

    hostile.route = route
    with pytest.raises(degreed.DecodeError, match="empty pages in a row"):
        list(hostile.client().users.list())
    assert len(hostile.api_requests()) <= 25


# -- item 4: a broken list answer is not an empty list --------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        _json(200, {}),
        _json(200, None),
        _json(200, []),
        _json(200, "hi"),
        (200, {"Content-Type": "application/json"}, b""),
        (204, {}, b""),
        _json(200, {"links": {"next": None}}),
        _json(200, {"data": [1, 2]}),
        _json(200, {"data": [{"type": "users", "id": "u1"}, None]}),
        _json(200, {"data": [{"type": "users", "id": "u1", "attributes": {"created-at": "yesterday"}}]}),
        _json(200, {"data": [{"type": "users", "id": "u1", "attributes": {"created-at": "2024-01-01T00:00:00+99:99"}}]}),
    ],
    ids=["{}", "null", "[]", "string", "empty", "204", "no-data", "numbers", "null-item", "bad-time", "bad-offset"],
)
def test_a_broken_list_answer_is_a_decode_error(hostile: Hostile, answer: Answer) -> None:
    hostile.route = lambda m, p, b: answer
    with pytest.raises(degreed.DecodeError) as info:
        list(hostile.client().users.list())
    assert info.value.status == answer[0]


def test_an_empty_list_is_still_empty(hostile: Hostile, sandbox: Sandbox) -> None:
    hostile.route = lambda m, p, b: _json(200, {"data": []})
    assert list(hostile.client().users.list()) == []
    # The sandbox's own empty answer (`{"data": []}`) too.
    with sandbox.client() as client:
        assert list(client.users.list(email="nobody-at-all@example.invalid")) == []


def test_a_bad_timestamp_in_a_single_resource_is_reported(hostile: Hostile) -> None:
    hostile.route = lambda m, p, b: _json(
        200, {"data": {"type": "users", "id": "u1", "attributes": {"created-at": "not a date"}}}
    )
    with pytest.raises(degreed.DecodeError, match="created-at"):
        hostile.client().users.get("u1")


# -- item 6: secrets echoed by the server ---------------------------------------------------


def _all_text(e: BaseException) -> str:
    te = traceback.TracebackException.from_exception(e)
    return " ".join([str(e), repr(e), json.dumps(getattr(e, "errors", [])), "".join(te.format())])


def test_a_token_endpoint_quoting_the_secret_is_redacted(hostile: Hostile, caplog: pytest.LogCaptureFixture) -> None:
    def token(method: str, path: str, body: bytes) -> Answer:
        quoted = body.decode()
        return _json(
            401,
            {"error": "invalid_client", "error_description": f"bad request body {quoted}",
             "errors": [{"detail": f"secret {SECRET}", "meta": {"echo": quoted}}]},
        )

    hostile.token = token
    caplog.set_level(logging.DEBUG, logger="degreed")
    with pytest.raises(degreed.AuthenticationError) as info:
        hostile.client().users.get("u1")
    text = _all_text(info.value) + caplog.text
    assert SECRET not in text
    assert "[redacted" in text


@pytest.mark.parametrize("status", [400, 401, 404, 409, 500, 502])
def test_an_error_page_quoting_the_bearer_token_is_redacted(hostile: Hostile, status: int) -> None:
    def route(method: str, path: str, body: bytes) -> Answer:
        quote = f"Authorization: Bearer {TOKEN}"
        return _json(status, {"errors": [{"title": quote, "detail": quote, "source": {"header": quote}}]},
                     **{"X-Request-Id": TOKEN})

    hostile.route = route
    with pytest.raises(degreed.DegreedError) as info:
        hostile.client().users.get("u1")
    text = _all_text(info.value)
    assert TOKEN not in text
    assert "[redacted" in text


# -- item 7: hostile rate-limit headers -----------------------------------------------------


class _VirtualClock:
    """Stands in for the `time` module in the driver: sleeping moves the clock at once."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.slept: List[float] = []

    def time(self) -> float:
        return real_time.time() + self.offset

    def monotonic(self) -> float:
        return real_time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(real_time, name)


def test_hostile_rate_limit_headers_never_put_the_client_to_sleep_for_long(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = _VirtualClock()
    monkeypatch.setattr(_driver, "time", clock)
    hostile.route = lambda m, p, b: _json(
        200,
        {"data": _users(1)},
        **{"X-Rate-Limit-Limit": "366d", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "9999-12-31T23:59:59Z"},
    )
    # A deadline far beyond the bound, so the bound is what limits the wait.
    client = hostile.client(timeout=3600)
    for _ in range(3):
        assert len(list(client.users.list())) == 1
    assert clock.slept, "the pacer waited"
    assert max(clock.slept) <= 120 and sum(clock.slept) <= 3 * 120, clock.slept


# -- item 10: dates -------------------------------------------------------------------------


def test_write_dates_are_checked_before_sending(hostile: Hostile) -> None:
    client = hostile.client()
    for bad in ["soon", "2024-01-01T00:00:00+99:99", "2024-02-30T10:00:00"]:
        with pytest.raises(degreed.InvalidRequestError, match="completed_at"):
            client.completions.create(user_id="u1", content_id="c1", completed_at=bad)
    assert hostile.api_requests() == []


def test_date_errors_name_the_callers_argument(hostile: Hostile) -> None:
    client = hostile.client()
    with pytest.raises(degreed.InvalidRequestError) as info:
        list(client.logins.list(start_date="yesterday"))
    assert "start_date" in str(info.value) and "window" not in str(info.value)
    with pytest.raises(degreed.InvalidRequestError) as info:
        list(client.logins.list(end_date="2024-01-01"))
    assert "start_date is required with end_date" in str(info.value)
