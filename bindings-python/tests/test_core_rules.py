"""Rules the core decides for every language: partial date ranges, xAPI parameters, and
reads whose answer has no resource. The JS suite checks the same cases
(bindings-wasm/test/core-rules.test.mjs)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any, List, Mapping, Tuple
from urllib.parse import parse_qsl, urlsplit

import pytest

import degreed

from .test_client import Spy

TODAY = dt.datetime.now(dt.timezone.utc).date()
TOKEN = b'{"access_token":"tok","token_type":"bearer","expires_in":3600}'


def params(url: str) -> List[Tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def api_urls(spy: Spy) -> List[str]:
    return [u for _, u in spy.requests if not u.endswith("/oauth/token")]


class Scripted:
    """Answers token requests, then every API request with one canned response."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body
        self.urls: List[str] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> Any:
        if url.endswith("/oauth/token"):
            return 200, [("content-type", "application/json")], TOKEN
        self.urls.append(url)
        return self.status, [("content-type", "application/json"), ("x-request-id", "rid-7")], self.body


def scripted(status: int, body: Any) -> Tuple[degreed.Client, Scripted]:
    t = Scripted(status, body if isinstance(body, bytes) else json.dumps(body).encode())
    return degreed.Client("id", "top-secret-value", base_url="http://127.0.0.1:9", transport=t, max_retries=0), t


# -- date ranges --------------------------------------------------------------------------


def test_windowed_list_without_end_runs_to_today(sandbox: Any) -> None:
    spy = Spy()
    client = sandbox.client(transport=spy)
    start = TODAY - dt.timedelta(days=10)
    list(client.completions.list(start_date=start, limit=1000))
    windows = [dict(params(u)) for u in api_urls(spy) if "filter%5Bstart_date%5D" in u or "filter[start_date]" in u]
    assert [w["filter[start_date]"] for w in windows] == [start.isoformat(), (start + dt.timedelta(days=6)).isoformat()]
    assert windows[-1]["filter[end_date]"] == TODAY.isoformat()


def test_windowed_list_end_without_start_is_refused_before_sending() -> None:
    client, t = scripted(200, {"data": []})
    with pytest.raises(degreed.InvalidRequestError, match="start_date is required with end_date"):
        client.logins.list(end_date="2024-01-01")
    with pytest.raises(degreed.InvalidRequestError, match="start_date is required with end_date"):
        client.iterate("views.list", end_date=dt.date(2024, 1, 1))
    assert t.urls == []


def test_other_lists_take_the_dates_given_unsplit() -> None:
    client, t = scripted(200, {"data": []})
    list(client.content.list(end_date="2024-01-31"))
    list(client.content.list(start_date=dt.date(2024, 1, 1)))
    list(client.users.list(start_date="2024-01-01", end_date="2024-03-31"))
    list(client.users.list())
    assert [params(u) for u in t.urls] == [
        [("filter[end_date]", "2024-01-31")],
        [("filter[start_date]", "2024-01-01")],
        [("filter[start_date]", "2024-01-01"), ("filter[end_date]", "2024-03-31")],
        [],
    ]


# -- xAPI parameters ----------------------------------------------------------------------


def test_xapi_filters_are_plain_parameters_in_utc() -> None:
    client, t = scripted(200, {"statements": []})
    list(client.xapi.statements.list(since=dt.date(2024, 5, 1), verb="completed"))
    list(client.iterate("xapi.statements.list", filters={"since": "2024-05-01T10:00:00+02:00", "ascending": True}))
    client.request("xapi.statements.list", filters={"until": dt.datetime(2024, 5, 2, 3, 4, 5)})
    assert [params(u) for u in t.urls] == [
        [("since", "2024-05-01T00:00:00Z"), ("verb", "completed")],
        [("ascending", "true"), ("since", "2024-05-01T08:00:00Z")],
        [("until", "2024-05-02T03:04:05Z")],
    ]


def test_xapi_since_against_the_sandbox(sandbox: Any) -> None:
    spy = Spy()
    client = sandbox.client(transport=spy)
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)
    recent = list(client.iterate("xapi.statements.list", filters={"since": since}))
    sent = dict(params(api_urls(spy)[0]))
    assert sent["since"] == since.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    assert all("filter[" not in u for u in api_urls(spy))
    assert len(recent) <= len(list(client.xapi.statements.list()))


# -- reads without a resource -------------------------------------------------------------


@pytest.mark.parametrize("body", [{"links": {}}, {"data": None}, {"data": []}, b""])
def test_get_without_a_resource_is_a_decode_error(body: Any) -> None:
    client, _ = scripted(200, body)
    with pytest.raises(degreed.DecodeError) as info:
        client.users.get("u1")
    assert info.value.status == 200
    assert info.value.request_id == "rid-7"
    assert "expected a resource" in str(info.value)


def test_async_get_without_a_resource_is_a_decode_error() -> None:
    t = Scripted(200, b'{"data": null}')

    async def main() -> None:
        async with degreed.AsyncClient("id", "top-secret-value", base_url="http://127.0.0.1:9", transport=t) as c:
            with pytest.raises(degreed.DecodeError):
                await c.content.courses.get("c1")

    asyncio.run(main())


def test_writes_answered_with_204_return_none() -> None:
    # The core's schema: a create or update answered without a body gives None (Rust
    # `decode_written`, JavaScript `null`): nothing is known of the record.
    client, _ = scripted(204, b"")
    assert client.users.update("u1", first_name="Ada") is None
    assert client.content.courses.create(title="T", external_id="E", duration=1, duration_type="Hours") is None
