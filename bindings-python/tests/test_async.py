"""The asyncio client: the same behaviour, awaitables and async iterators."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any, List

import pytest

import degreed
from degreed.transports import AsyncHttpxTransport, ThreadedTransport

from .conftest import CLIENT_SECRET, Sandbox

TODAY = dt.datetime.now(dt.timezone.utc).date()


async def test_pages_items_and_windows(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "41", "--completions", "50")
    async with sb.async_client() as client:
        assert isinstance(client._transport, AsyncHttpxTransport)
        ids = [u.id async for u in client.users.list(limit=10)]
        assert len(ids) == 41 and len(set(ids)) == 41
        completions = [c async for c in client.completions.list(start_date=TODAY - dt.timedelta(days=95))]
        assert len({c.id for c in completions}) == 50
        assert all(isinstance(c, degreed.Completion) for c in completions)
        # One token for users:read, then one for both users and completions.
        assert client.stats.token_requests == 2


async def test_crud_and_errors(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    async with sb.async_client() as client:
        user = await client.users.create(
            employee_id="A-1", first_name="Ada", last_name="Byron", organization_email="ada@example.com"
        )
        assert isinstance(user, degreed.User)
        assert (await client.users.get("A-1", identifier="employee-id")).id == user.id
        assert (await client.users.update(user.id, first_name="Augusta")).first_name == "Augusta"
        assert await client.users.delete(user.id) is None
        with pytest.raises(degreed.NotFoundError):
            await client.users.get(user.id)
        # Caller errors are raised when the method is called, before any await.
        with pytest.raises(degreed.InvalidRequestError):
            client.users.list(limit=0)
        with pytest.raises(degreed.InvalidRequestError):
            await client.users.get("a/b")
        response = await client.request("users.list", limit=2)
        assert isinstance(response.data, list) and len(response.data) == 2
        assert [u async for u in client.iterate("groups.list")]


async def test_concurrent_calls_share_one_token(sandbox: Sandbox) -> None:
    async with sandbox.async_client() as client:
        users = [u async for u in client.users.list(limit=100)]
        found = await asyncio.gather(*(client.users.get(u.id) for u in users[:15]))
        assert [f.id for f in found] == [u.id for u in users[:15]]
        assert client.stats.token_requests == 1


async def test_refresh_retries_and_rate_limits(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "30", "--faults", "500=0.1,503=0.05,429=0.05,reset=0.05")
    async with sb.async_client(max_retries=8) as client:
        ids = [u.id async for u in client.users.list(limit=3)]
        assert len(set(ids)) == 30
        assert client.stats.retries > 0
        sb.configure(faults="")
        sb.revoke_tokens()
        assert (await client.users.get(ids[0])).id == ids[0]
        assert client.stats.token_requests == 2


async def test_scope_refusal_sends_nothing(sandbox: Sandbox) -> None:
    sent: List[str] = []

    async def transport(method: str, url: str, headers: Any, body: bytes, timeout: float) -> Any:
        sent.append(url)
        raise AssertionError("nothing should be sent")

    client = sandbox.async_client(scopes=["users:read"], transport=transport)
    with pytest.raises(degreed.PermissionDeniedError) as info:
        await client.completions.create(
            user_id="x", user_identifier_type="Email", content_id="y", content_id_type="ExternalId",
            content_type="Course", completed_at="2024-05-01T00:00:00",
        )
    assert info.value.missing_scope == "completions:write"
    assert sent == []


async def test_no_retried_write_is_duplicated(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    async with sb.async_client() as client:
        first = [u async for u in client.users.list(limit=1)][0]
        sb.configure(faults="after:503=0.3,after:reset=0.3")
        outcomes = {"ok": 0, "failed": 0}

        async def create(n: int) -> None:
            try:
                await client.completions.create(
                    user_id=first.organization_email,
                    user_identifier_type="Email",
                    content_id="COURSE-0001",
                    content_id_type="ExternalId",
                    content_type="Course",
                    completed_at=dt.datetime(2024, 1, 1) + dt.timedelta(hours=n),
                )
                outcomes["ok"] += 1
            except degreed.TransportError as e:
                assert e.maybe_applied
                outcomes["failed"] += 1
            except degreed.ServerError:
                outcomes["failed"] += 1

        await asyncio.gather(*(create(n) for n in range(20)))
    assert outcomes["ok"] and outcomes["failed"]
    posts = [w for w in sb.writes() if w["method"] == "POST"]
    assert len({json.dumps(w["body"], sort_keys=True) for w in posts}) == len(posts) == 20


async def test_threaded_standard_library_transport(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="degreed")
    async with sandbox.async_client(transport=ThreadedTransport()) as client:
        users = [u async for u in client.users.list(limit=10)]
        assert len(users) >= 25
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /api/v2/users" in text and CLIENT_SECRET not in text and "Bearer" not in text


async def test_sync_callable_transport_runs_in_a_thread(sandbox: Sandbox) -> None:
    from degreed.transports import UrllibTransport

    inner = UrllibTransport()
    calls: List[str] = []

    def transport(method: str, url: str, headers: Any, body: bytes, timeout: float) -> Any:
        calls.append(method)
        return inner(method, url, headers, body, timeout)

    async with sandbox.async_client(transport=transport) as client:
        assert isinstance(client._transport, ThreadedTransport)
        assert [u async for u in client.users.list(limit=50)]
    assert calls[0] == "POST" and "GET" in calls
