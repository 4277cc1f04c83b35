"""The blocking client against the sandbox: paging, tokens, retries, rate limits, writes,
scopes and secrets."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import urllib.parse
from typing import Any, Dict, List, Mapping, Tuple

import pytest

import degreed
from degreed.transports import UrllibTransport

from .conftest import CLIENT_SECRET, Sandbox

TODAY = dt.datetime.now(dt.timezone.utc).date()


class Spy:
    """Wraps a transport; remembers every request and the access tokens handed out."""

    def __init__(self) -> None:
        self.inner = UrllibTransport()
        self.requests: List[Tuple[str, str]] = []
        self.tokens: List[str] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        self.requests.append((method, url))
        status, rheaders, rbody = self.inner(method, url, headers, body, timeout)
        if url.endswith("/oauth/token") and status == 200:
            self.tokens.append(json.loads(rbody)["access_token"])
        return status, rheaders, rbody


def test_pagination_reaches_the_end_without_duplicates(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "57", "--content", "23")
    client = sb.client()
    users = client.users.list(limit=10)
    ids = [u.id for u in users]
    assert len(ids) == 57 and len(set(ids)) == 57
    assert users.pages_read == 6 and users.items_seen == 57
    assert all(isinstance(u, degreed.User) and u.employee_id for u in client.users.list(limit=1000))
    content = list(client.content.list(limit=7))
    assert len({c.id for c in content}) == len(content) > 0
    # No scopes given: the first token asked for users:read; content needed a second one
    # (for both scopes). Every token request named its scopes.
    assert client.stats.token_requests == 2


def test_completions_any_range_is_split_into_windows(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--completions", "80")
    spy = Spy()
    client = sb.client(transport=spy)
    completions = list(client.completions.list(start_date=TODAY - dt.timedelta(days=95), end_date=TODAY, limit=5))
    assert len(completions) == 80
    assert len({c.id for c in completions}) == 80
    assert all(isinstance(c.completed_at, dt.datetime) and c.completed_at.tzinfo for c in completions)
    windows = {u.split("filter[start_date]=")[1][:10] for _, u in spy.requests if "filter[start_date]=" in u}
    assert len(windows) == 16  # 96 days in 7-day windows, each starting on the day the last ended
    # A later start than end is the caller's mistake, caught before sending.
    before = len(spy.requests)
    with pytest.raises(degreed.InvalidRequestError):
        client.completions.list(start_date=TODAY, end_date=TODAY - dt.timedelta(days=1))
    assert len(spy.requests) == before


def test_token_is_refreshed_after_expiry(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--token-ttl", "3600")
    client = sb.client()
    assert next(iter(client.users.list(limit=1))).id
    sb.advance(2 * 3600)  # the server's clock: the token is now expired there
    assert next(iter(client.users.list(limit=1))).id
    stats = client.stats
    assert stats.token_requests == 2
    assert stats.retries == 1  # the one refresh after a 401


def test_token_is_refreshed_after_revocation(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    client = sb.client()
    user = next(iter(client.users.list(limit=1)))
    sb.revoke_tokens()
    assert client.users.get(user.id).id == user.id
    assert client.stats.token_requests == 2


def test_tokens_are_shared_by_threads(sandbox: Sandbox) -> None:
    client = sandbox.client()
    errors: List[BaseException] = []

    def work() -> None:
        try:
            list(client.users.list(limit=25))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert client.stats.token_requests == 1


def test_every_token_request_names_its_scopes(sandbox: Sandbox) -> None:
    # The reference marks `scope` required (the sandbox refuses a token request without
    # it): without caller scopes, each token asks for what the calls so far needed.
    scopes: List[List[str]] = []
    inner = UrllibTransport()

    def spy(method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        if url.endswith("/oauth/token"):
            scopes.append(urllib.parse.parse_qs(body.decode()).get("scope", []))
        return inner(method, url, headers, body, timeout)

    client = sandbox.client(transport=spy)
    user = next(iter(client.users.list(limit=1)))
    list(client.users.completions.list(user.id))  # users:read may allow it: no new token
    assert next(iter(client.groups.list(limit=1))).id
    assert scopes == [["users:read"], ["groups:read,users:read"]]


def test_bad_credentials_raise_authentication_error_without_the_secret(sandbox: Sandbox) -> None:
    client = sandbox.client(client_secret="wrong-secret-123")
    with pytest.raises(degreed.AuthenticationError) as info:
        client.groups.get("x")
    err = info.value
    assert err.status == 403
    text = " ".join([str(err), repr(err), repr(err.errors), repr(err.__dict__)])
    assert "wrong-secret-123" not in text
    assert client.stats.token_requests == 1  # a refused token request is not retried


def test_retries_under_injected_faults(make_sandbox: Any) -> None:
    faults = "500=0.08,503=0.05,429=0.05,reset=0.05,malformed=0.05,html=0.05"
    sb = make_sandbox("--rate-limit", "0", "--users", "60", "--faults", faults)
    client = sb.client(max_retries=8)
    ids = [u.id for u in client.users.list(limit=3)]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert client.stats.retries > 0
    assert sb.stats()["faults_injected"] > 0


def test_rate_limit_with_retry_after(make_sandbox: Any) -> None:
    """Two clients with one key: each paces itself on the rate-limit headers, together they
    overrun the budget, get 429 with Retry-After, wait and finish."""
    sb = make_sandbox("--rate-limit", "4", "--rate-window", "1", "--users", "30")
    clients = [sb.client(max_retries=10) for _ in range(2)]
    results: List[List[str]] = [[], []]

    def walk(i: int) -> None:
        results[i] = [u.id or "" for u in clients[i].users.list(limit=3)]  # 10 pages each

    threads = [threading.Thread(target=walk, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [len(set(r)) for r in results] == [30, 30]
    limited = sum(c.stats.rate_limited for c in clients)
    assert limited > 0
    assert sb.stats()["rate_limited"] == limited
    assert sum(c.stats.retries for c in clients) >= limited


def test_rate_limit_error_when_retries_run_out(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "429=1.0")
    client = sb.client(max_retries=0)
    with pytest.raises(degreed.RateLimitError) as info:
        client.users.get("x")
    assert info.value.status == 429
    assert info.value.retry_after == 1.0
    assert client.stats.rate_limited == 1


def test_server_errors_surface_after_retries(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "500=1.0")
    client = sb.client(max_retries=1)
    with pytest.raises(degreed.ServerError) as info:
        next(iter(client.users.list()))
    assert info.value.status == 500 and info.value.errors
    assert client.stats.retries == 1


def test_garbled_answers_become_decode_errors(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "malformed=1.0")
    client = sb.client(max_retries=0)
    with pytest.raises(degreed.DecodeError):
        next(iter(client.users.list()))


def test_maybe_applied_comes_from_the_core_for_every_error_kind(make_sandbox: Any) -> None:
    """``DegreedError.maybe_applied``: true only for a POST whose outcome is unknown."""
    sb = make_sandbox("--rate-limit", "0")
    client = sb.client(max_retries=0)
    user = next(iter(client.users.list()))

    def create(n: int) -> None:
        client.completions.create(
            user_id=user.organization_email,
            user_identifier_type="Email",
            content_id="COURSE-0001",
            content_id_type="ExternalId",
            content_type="Course",
            completed_at=f"2024-06-{n:02d}T00:00:00",
        )

    cases: List[Tuple[str, Any, type, bool]] = [
        ("after:500=1", lambda: create(1), degreed.ServerError, True),
        ("before:503=1", lambda: create(2), degreed.ServerError, True),
        ("after:malformed=1", lambda: create(3), degreed.DecodeError, True),
        ("after:reset=1", lambda: create(4), degreed.TransportError, True),
        ("500=1", lambda: client.users.get(user.id), degreed.ServerError, False),
        ("malformed=1", lambda: client.users.get(user.id), degreed.DecodeError, False),
        ("before:500=1", lambda: client.users.update(user.id, first_name="X"), degreed.ServerError, False),
    ]
    for faults, call, cls, want in cases:
        sb.configure(faults=faults)
        with pytest.raises(cls) as info:
            call()
        assert info.value.maybe_applied is want, (faults, info.value)
    sb.configure(faults="")
    with pytest.raises(degreed.NotFoundError) as missing:
        client.users.get("no-such-user")
    assert missing.value.maybe_applied is False


def test_no_retried_write_is_duplicated(make_sandbox: Any) -> None:
    """Faults after the write is applied: the SDK must not send the POST again."""
    sb = make_sandbox("--rate-limit", "0")
    client = sb.client()
    user = next(iter(client.users.list()))
    sb.configure(faults="after:500=0.3,after:reset=0.3")
    outcomes: Dict[str, int] = {"ok": 0, "server": 0, "maybe_applied": 0}
    for n in range(30):
        try:
            client.completions.create(
                user_id=user.organization_email,
                user_identifier_type="Email",
                content_id=f"COURSE-{n % 5 + 1:04d}",
                content_id_type="ExternalId",
                content_type="Course",
                completed_at=f"2024-05-{n + 1:02d}T00:00:00",
            )
            outcomes["ok"] += 1
        except degreed.ServerError as e:
            assert e.status == 500 and e.maybe_applied, e
            outcomes["server"] += 1
        except degreed.TransportError as e:
            assert e.maybe_applied, e
            outcomes["maybe_applied"] += 1
    assert outcomes["server"] and outcomes["maybe_applied"] and outcomes["ok"]
    posts = [w for w in sb.writes() if w["method"] == "POST" and w["resource_type"] == "completions"]
    bodies = [json.dumps(w["body"], sort_keys=True) for w in posts]
    assert len(bodies) == len(set(bodies)) == 30  # every write applied exactly once


def test_writes_failing_before_applied_are_not_duplicated_either(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "before:503=0.3,before:reset=0.2")
    client = sb.client()
    created = 0
    for n in range(15):
        try:
            client.users.create(employee_id=f"B-{n}", first_name="B", last_name=str(n), organization_email=f"b{n}@x.io")
            created += 1
        except (degreed.ServerError, degreed.TransportError):
            pass
    posts = [w for w in sb.writes() if w["method"] == "POST" and w["resource_type"] == "users"]
    assert len(posts) == created
    assert len({w["resource_id"] for w in posts}) == created


def test_scope_refusals(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--client", "reader:reader-secret:users:read")
    # Limited by the client's own scope list: refused before anything is sent.
    spy = Spy()
    client = sb.client(scopes=["users:read"], transport=spy)
    with pytest.raises(degreed.PermissionDeniedError) as info:
        client.users.create(employee_id="E", first_name="F", last_name="L", organization_email="e@x.io")
    assert info.value.missing_scope == "users:write"
    assert spy.requests == []
    assert next(iter(client.users.list())).id  # the granted scope works
    # A key without the scope, client without scopes: tokens ask for what each call needs;
    # the token endpoint refuses the wider one, and the call is refused for its scope.
    reader = sb.client(client_id="reader", client_secret="reader-secret")
    assert next(iter(reader.users.list())).id
    with pytest.raises(degreed.PermissionDeniedError) as info:
        next(iter(reader.groups.list()))
    assert info.value.missing_scope == "groups:read"
    assert next(iter(reader.users.list())).id  # the granted token still serves users
    # Asking the token endpoint for a scope the key lacks: the token request is refused.
    greedy = sb.client(client_id="reader", client_secret="reader-secret", scopes=["users:read", "groups:read"])
    with pytest.raises(degreed.AuthenticationError) as auth:
        next(iter(greedy.users.list()))
    assert "reader-secret" not in str(auth.value)


def test_not_found_and_conflict(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    client = sb.client()
    with pytest.raises(degreed.NotFoundError) as info:
        client.users.get("nobody@example.com", identifier="email")
    assert info.value.status == 404 and info.value.request_id
    existing = next(iter(client.content.courses.list()))
    with pytest.raises(degreed.ConflictError) as conflict:
        client.content.courses.create(external_id=existing.external_id, title="dup", duration=1, duration_type="Hours")
    assert conflict.value.status == 409
    with pytest.raises(degreed.InvalidRequestError) as bad:
        client.completions.create(
            user_id="ghost@example.com", user_identifier_type="Email", content_id="x", content_id_type="ExternalId",
            content_type="Course", completed_at="2024-05-01T00:00:00",
        )
    assert bad.value.status == 400 and "Invalid user identifier" in str(bad.value)


def test_users_crud_and_lookup(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    client = sb.client()
    user = client.users.create(
        employee_id="E-900", first_name="Grace", last_name="Hopper", organization_email="grace@example.com"
    )
    assert isinstance(user, degreed.User) and user.id and user.first_name == "Grace"
    assert isinstance(user.created_at, dt.datetime)
    assert client.users.get("E-900", identifier="employee-id").id == user.id
    assert client.users.get("grace@example.com", identifier="email").id == user.id
    updated = client.users.update(user.id, {"last_name": "Murray Hopper"}, location="Arlington")
    assert (updated.last_name, updated.location) == ("Murray Hopper", "Arlington")
    assert client.users.delete(user.id) is None
    with pytest.raises(degreed.NotFoundError):
        client.users.get(user.id)


def test_generic_request_and_iterate(sandbox: Sandbox) -> None:
    client = sandbox.client()
    page = client.request("users.list", limit=5)
    assert page.status == 200
    assert isinstance(page.data, list) and len(page.data) == 5
    assert isinstance(page.raw, dict) and page.links and page.links.get("next")
    one = client.request("users.get", path=page.data[0].id)
    assert isinstance(one.data, degreed.User) and one.data.id == page.data[0].id
    everything = list(client.iterate("users.list", limit=10))
    assert len(everything) >= 25


def test_raw_requests_reach_endpoints_outside_the_catalogue(sandbox: Sandbox) -> None:
    # A scope list without users:read: a catalogue call would be refused before sending,
    # but the SDK knows no scope for a raw path, so the server decides.
    client = sandbox.client(scopes=["groups:read"])
    with pytest.raises(degreed.PermissionDeniedError):
        client.users.get("x")
    with pytest.raises(degreed.PermissionDeniedError) as info:
        client.request_raw("GET", "/api/v2/users", query={"limit": 2})
    assert info.value.status == 403
    # Without scopes, a raw call cannot be the first one: the token request must name a
    # scope and the SDK knows none for a raw path. After a catalogue call it uses that token.
    full = sandbox.client()
    with pytest.raises(degreed.InvalidRequestError, match="give the client `scopes`"):
        full.request_raw("GET", "/api/v2/users")
    assert full.stats.token_requests == 0
    assert next(iter(full.users.list(limit=1))).id
    page = full.request_raw("get", "/api/v2/users", query={"limit": 2})
    assert page.status == 200 and isinstance(page.data, list) and len(page.data) == 2
    with pytest.raises(degreed.InvalidRequestError):
        full.request_raw("PUT", "/api/v2/users")
    with pytest.raises(degreed.InvalidRequestError):
        full.request_raw("GET", "/api/../secret")


def test_secrets_never_reach_logs_reprs_or_errors(
    make_sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "500=0.2,reset=0.1")
    spy = Spy()
    client = sb.client(transport=spy, max_retries=8)
    caplog.set_level(logging.DEBUG, logger="degreed")
    shown: List[str] = [repr(client), repr(client.stats)]
    users = list(client.users.list(limit=5))
    shown += [repr(u) for u in users]
    sb.revoke_tokens()
    try:
        client.users.get("missing-id")
    except degreed.DegreedError as e:
        shown += [str(e), repr(e), repr(vars(e))]
    try:
        sb.client(client_secret="another-secret-xyz").users.get("x")
    except degreed.DegreedError as e:
        shown += [str(e), repr(e), repr(vars(e))]
    assert len(spy.tokens) >= 2
    lines = [r.getMessage() for r in caplog.records]
    assert any("GET /api/v2/users" in line and "attempt" in line for line in lines)
    assert any("/oauth/token" in line for line in lines)
    everything = "\n".join(shown + lines)
    for secret in [CLIENT_SECRET, "another-secret-xyz", *spy.tokens]:
        assert secret not in everything
    assert "Bearer" not in everything


def test_a_datetime_filter_goes_out_as_its_day_except_to_xapi(make_sandbox: Any) -> None:
    # The core's rule for a host's date-time, the same for JavaScript's `Date`: its UTC day on
    # every list but xAPI, which takes instants.
    sb = make_sandbox("--rate-limit", "0")
    spy = Spy()
    client = sb.client(transport=spy)
    at = dt.datetime(2024, 5, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    list(client.content.list(modified_after=at))
    list(client.xapi.statements.list(since=at))
    urls = [urllib.parse.unquote(u) for _, u in spy.requests]
    assert any("filter[modified_after]=2024-05-02&" in u + "&" for u in urls), urls
    assert any("since=2024-05-02T01:30:00Z" in u for u in urls), urls
