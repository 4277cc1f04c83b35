"""A 503 that outlasts the retries (Degreed's maintenance answer) against the sandbox: the call
fails at once with a ServerError saying to try again in 30-120 s when its deadline leaves no
room for that wait, rather than running into a timeout."""

from __future__ import annotations

import time
from typing import Any

import pytest

import degreed


def test_a_503_that_outlasts_the_retries_fails_at_once_saying_when_to_retry(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "503=1")
    client = sb.client(max_retries=1)  # the default 30 s deadline: no room for a 30 s wait
    started = time.monotonic()
    with pytest.raises(degreed.ServerError) as caught:
        next(iter(client.users.list(limit=5)))
    elapsed = time.monotonic() - started
    assert caught.value.status == 503
    assert "unavailable" in str(caught.value) and "30-120 s" in str(caught.value)
    # One retry after the sandbox's Retry-After of 1 s, then the answer at once.
    assert elapsed < 10, elapsed
    assert sb.stats()["faults"]["503"] == 2


def test_the_maintenance_wait_option_is_checked_before_sending(make_sandbox: Any) -> None:
    sb = make_sandbox("--rate-limit", "0")
    for bad in (-1, float("nan"), float("inf"), "30", True):
        with pytest.raises(degreed.InvalidRequestError, match="max_maintenance_wait"):
            sb.client(max_maintenance_wait=bad)
    assert next(iter(sb.client(max_maintenance_wait=0).users.list(limit=1))) is not None
