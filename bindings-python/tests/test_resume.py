"""Long exports: ``.pages()``, progress counters and a cursor that resumes a walk exactly where
it stopped (in a new client, as after a crash), against the sandbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any, List

import pytest

import degreed

from .test_hostile_server import Hostile, hostile  # noqa: F401  (the fixture)


def test_stop_after_page_two_resume_and_get_the_rest_exactly_once(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "47")
    everyone = [u.id for u in sb.client().users.list(limit=10)]
    assert len(set(everyone)) == 47
    users = sb.client().users.list(limit=10)
    first: List[Any] = []
    for n, page in enumerate(users.pages(), 1):
        first += [u.id for u in page]
        if n == 2:
            break
    assert len(first) == 20 and users.pages_read == 2 and users.items_seen == 20
    cursor = users.cursor
    assert "sandbox-secret" not in cursor
    # Another client, as after a restart: it continues with page 3.
    rest = sb.client().users.list(limit=10, resume=cursor)
    assert rest.pages_read == 2
    remaining = [u.id for u in rest]
    assert first + remaining == everyone
    assert rest.pages_read == 5 and rest.items_seen == 47


def test_a_cursor_taken_mid_page_keeps_the_unread_items(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "25")
    everyone = [u.id for u in sb.client().users.list(limit=10)]
    it = sb.client().users.list(limit=10)
    head = [next(it).id for _ in range(13)]
    rest = [u.id for u in sb.client().users.list(limit=10, resume=it.cursor)]
    assert head + rest == everyone


def test_a_failed_export_continues_where_it_stopped(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "30")
    everyone = [u.id for u in sb.client().users.list(limit=5)]
    it = sb.client(max_retries=0).users.list(limit=5)
    got: List[Any] = []
    with pytest.raises(degreed.ServerError):
        for user in it:
            got.append(user.id)
            if len(got) == 12:
                sb.configure(faults="500=1")
    sb.configure(faults="")
    assert len(got) == 15  # the third page was buffered before the faults began
    rest = [u.id for u in sb.client().users.list(limit=5, resume=it.cursor)]
    assert got + rest == everyone


def test_windows_left_counts_down_on_a_dated_walk(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    today = dt.date.today()
    walk = sb.client().completions.list(start_date=today - dt.timedelta(days=27), end_date=today)
    assert walk.windows == 5  # 28 days; windows share their boundary day
    left = []
    for _ in walk.pages():
        left.append(walk.windows_left)
    assert left == sorted(left, reverse=True) and left[-1] == 0
    assert walk.items_seen == sum(1 for _ in sb.client().completions.list(start_date=today - dt.timedelta(days=27)))


def test_bad_cursors_are_refused_before_sending(client: degreed.Client) -> None:
    it = client.users.list(limit=3)
    next(it)
    with pytest.raises(degreed.InvalidRequestError):
        client.content.list(resume=it.cursor)
    with pytest.raises(degreed.InvalidRequestError):
        client.users.list(resume="{not json")
    with pytest.raises(degreed.InvalidRequestError):
        client.users.list(resume=42)  # type: ignore[arg-type]


def test_async_pages_and_resume(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "23")

    async def main() -> List[Any]:
        async with sb.async_client() as c:
            walk = c.users.list(limit=10)
            pages = walk.pages()
            first = [u.id async for u in _one(pages)]
            rest = [u.id async for u in c.users.list(limit=10, resume=walk.cursor)]
            return first + rest

    async def _one(pages: Any) -> Any:
        for u in await pages.__anext__():
            yield u

    everyone = [u.id for u in sb.client().users.list(limit=10)]
    assert asyncio.run(main()) == everyone


def test_a_cursor_after_a_refused_first_page_asks_for_it_again(hostile: Hostile) -> None:  # noqa: F811
    # The answer came but the core refused the page (items not a list): the cursor keeps the
    # request that failed, so resuming asks for that page again (it listed nothing, before).
    good = json.dumps({"data": [{"type": "users", "id": "u1"}], "links": {"next": None}}).encode()
    answers = [b'{"data": "not a list"}', good]
    hostile.route = lambda m, p, b: (200, {"Content-Type": "application/json"}, answers.pop(0))
    it = hostile.client().users.list(limit=10)
    with pytest.raises(degreed.DecodeError):
        list(it)
    resumed = [u.id for u in hostile.client().users.list(limit=10, resume=it.cursor)]
    assert resumed == ["u1"]
    first, again = hostile.api_requests()
    assert first == again and "limit" in first
