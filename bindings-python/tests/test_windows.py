"""Date windows against the sandbox under both readings of ``filter[end_date]``: each windowed
list walked over 36 days gives every item exactly once whether the server includes the end day
(``--window-end inclusive``) or not (``exclusive``); Degreed does not say which it does.

Each list is walked seven times, its start moved a day each time, so that every day with items
is a boundary shared by two windows in one of the walks (counted: the test fails if none is).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Tuple

import pytest

import degreed
from degreed import _native

# The attribute the sandbox filters each windowed list on (tests/README.md, "Dates filtered").
DATE_ATTRIBUTE: Dict[str, str] = {
    "completions": "completed-at",
    "required_learning": "created-at",
    "recommendations": "recommended-at",
    "logins": "logged-in-at",
    "views": "viewed-at",
    "pathways": "modified-at",
    "skill_ratings": "rated-at",
    "user_skills": "followed-at",
    "user_followers": "followed-at",
}
SPAN = 35  # days after the start: six windows
ARGS = ("--rate-limit", "0", "--anchor-date", "2026-06-15", "--users", "60", "--content", "200", "--completions", "200")


def dated(client: degreed.Client, name: str) -> List[Tuple[str, dt.date]]:
    """(id, day) of every item of a list, unfiltered."""
    attribute = DATE_ATTRIBUTE[name]
    return [
        (item.id, dt.date.fromisoformat(item.raw["attributes"][attribute][:10]))
        for item in getattr(client, name).list(limit=1000)
    ]


def busiest_start(items: List[Tuple[str, dt.date]]) -> dt.date:
    """The start of the SPAN-day range holding most items, its first boundary on an item's day."""
    def count(start: dt.date) -> Tuple[int, dt.date]:
        end = start + dt.timedelta(days=SPAN)
        return sum(1 for _, d in items if start <= d <= end), start

    return max((d - dt.timedelta(days=6) for _, d in items), key=count)


def test_every_windowed_operation_is_covered() -> None:
    windowed = {op["name"].rsplit(".", 1)[0] for op in _native.catalog() if op["windowed"]}
    assert windowed == set(DATE_ATTRIBUTE)


@pytest.mark.parametrize("reading", ["inclusive", "exclusive"])
def test_windows_give_every_item_once_under_either_end_date_reading(make_sandbox: Any, reading: str) -> None:
    sb = make_sandbox(*ARGS, "--window-end", reading)
    client = sb.client()
    for name in DATE_ATTRIBUTE:
        items = dated(client, name)
        first = busiest_start(items)
        on_boundaries = 0
        for shift in range(7):
            start = first + dt.timedelta(days=shift)
            end = start + dt.timedelta(days=SPAN)
            expected = {i for i, d in items if start <= d and (d < end or (reading == "inclusive" and d == end))}
            got = [item.id for item in getattr(client, name).list(start_date=start, end_date=end, limit=1000)]
            assert len(got) == len(set(got)), f"{name} {start}..{end}: an item came twice"
            assert set(got) == expected, f"{name} {start}..{end}"
            on_boundaries += sum(1 for _, d in items if 0 < (d - start).days < SPAN and (d - start).days % 6 == 0)
        assert on_boundaries > 0, f"{name}: no item on a shared boundary day, the test proves nothing"


def test_a_walk_resumed_from_its_cursor_gives_every_item_once(make_sandbox: Any) -> None:
    sb = make_sandbox(*ARGS, "--window-end", "inclusive")
    items = dated(sb.client(), "completions")
    start = busiest_start(items)
    end = start + dt.timedelta(days=SPAN)
    every = [c.id for c in sb.client().completions.list(start_date=start, end_date=end, limit=3)]
    assert len(every) == len(set(every)) > 12
    for taken in (1, 4, 7, len(every) // 2, len(every) - 2):
        walk = sb.client().completions.list(start_date=start, end_date=end, limit=3)
        head = [next(walk).id for _ in range(taken)]
        # Another client, as after a restart, continues from the cursor.
        rest = [c.id for c in sb.client().completions.list(limit=3, resume=walk.cursor)]
        assert head + rest == every, f"stopped after {taken} items"
