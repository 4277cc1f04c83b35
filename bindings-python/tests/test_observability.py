"""The core's events on the ``degreed`` logger: INFO for retries and pacing waits, WARNING for
a write that may have been applied, DEBUG per request; never a secret, a query or a body."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

import pytest

import degreed

from .conftest import CLIENT_SECRET


def _events(caplog: pytest.LogCaptureFixture, name: str) -> List[Dict[str, Any]]:
    return [r.degreed_event for r in caplog.records if getattr(r, "degreed_event", {}).get("event") == name]


def test_retries_are_logged_at_info_with_status_request_id_wait_and_elapsed(
    make_sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sb = make_sandbox("--rate-limit", "0", "--users", "20", "--faults", "503=0.4")
    caplog.set_level(logging.INFO, logger="degreed")
    users = list(sb.client(max_retries=10).users.list(limit=5))
    assert len(users) == 20
    retries = [r for r in caplog.records if r.levelno == logging.INFO and r.degreed_event["event"] == "retry"]
    assert retries, "a 503 was injected: a retry must be logged"
    fields = retries[0].degreed_event
    assert fields["operation"] == "users.list" and fields["status"] == 503 and fields["cause"] == "status"
    assert fields["request_id"] and fields["wait"] > 0 and fields["elapsed"] >= 0 and fields["attempt"] >= 2
    message = retries[0].getMessage()
    assert "status 503" in message and fields["request_id"] in message and "waiting" in message
    # DEBUG is off: no per-request records.
    assert not any(r.levelno < logging.INFO for r in caplog.records)


def test_pacing_waits_are_logged_at_info(make_sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    sb = make_sandbox("--rate-limit", "4", "--rate-window", "1", "--users", "30")
    caplog.set_level(logging.INFO, logger="degreed")
    assert len(list(sb.client(max_retries=10).users.list(limit=3))) == 30
    waits = _events(caplog, "wait")
    assert waits, [r.getMessage() for r in caplog.records]
    assert all(w["wait"] > 0 and w["reason"] in ("rate_limit", "retry_after", "budget") for w in waits)
    assert all(r.levelno == logging.INFO for r in caplog.records if r.degreed_event["event"] == "wait")


def test_a_write_whose_answer_was_lost_is_a_warning(make_sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "after:reset=1")
    caplog.set_level(logging.WARNING, logger="degreed")
    with pytest.raises(degreed.TransportError) as info:
        sb.client().users.create(employee_id="E-77", first_name="Ada", last_name="Lovelace",
                                 organization_email="ada@example.com")
    assert info.value.maybe_applied
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.degreed_event["event"] == "maybe_applied"
    assert record.degreed_event["operation"] == "users.create"
    assert "POST /api/v2/users" in record.getMessage() and "may have been applied" in record.getMessage()


def test_debug_logs_every_request_and_never_a_secret_query_or_body(
    make_sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", "500=0.3")
    caplog.set_level(logging.DEBUG, logger="degreed")
    client = sb.client(max_retries=10)
    list(client.users.list(limit=3, filters={"employee_id": "E-SECRETFILTER"}))
    first = list(client.users.list(limit=2))[0]
    client.users.get(first.id or "")
    client.users.update(first.id or "", {"last_name": "Bodyvalue"})
    names = {r.degreed_event["event"] for r in caplog.records}
    assert {"request", "response", "token"} <= names
    requests = _events(caplog, "request")
    # (Without caller scopes the update fetches a token for users:write first, so the get is
    # not always the request before last.)
    gets = [r for r in requests if r.get("operation") == "users.get"]
    assert gets and {"operation": "users.get", "method": "GET", "path": "/api/v2/users/{id}"}.items() <= gets[-1].items()
    text = "\n".join(r.getMessage() + repr(r.degreed_event) for r in caplog.records)
    for private in [CLIENT_SECRET, "E-SECRETFILTER", "Bodyvalue", "limit=", "next=", first.id, "Bearer"]:
        assert private not in text, private


def test_retry_timing_options_bound_the_back_off(make_sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    # Retry timing is read by the core's one description of the client options, as in
    # JavaScript (`retry: {baseDelayMs, ...}`): with the defaults (0.5 s, Retry-After up to
    # 120 s) no wait would be this short.
    sb = make_sandbox("--rate-limit", "0", "--users", "20", "--faults", "503=0.4")
    caplog.set_level(logging.INFO, logger="degreed")
    timing = {"base_delay": 0.001, "max_delay": 0.004, "max_retry_after": 0.004}
    client = sb.client(max_retries=10, retry=timing)
    assert len(list(client.users.list(limit=5))) == 20
    waits = [e["wait"] for e in _events(caplog, "retry")]
    assert waits and max(waits) <= 0.004, waits
