"""A short soak (tests/soak/soak.py; the full one is scripts/soak.sh): mixed operations through
one client shared by threads, against a sandbox that faults reads and writes; every failed
write reconciled, the sandbox's write log shows none lost or duplicated, and no read answered
wrongly."""

from __future__ import annotations

import sys
from typing import Any, Dict

from .conftest import ROOT, SandboxFactory

sys.path.insert(0, str(ROOT / "tests" / "soak"))
import soak  # noqa: E402


def test_a_short_soak_under_faults(make_sandbox: SandboxFactory) -> None:
    sb = make_sandbox("--rate-limit", "0", "--faults", soak.FAULTS, "--client", f"{soak.CLIENT_ID}:{soak.SECRET}:*")
    figures = soak.soak(sb.url, ops=120, workers=4)
    print(soak.report(figures))
    assert figures["ops"] == 120
    assert (figures["lost"], figures["duplicated"], figures["wrong_answers"]) == (0, 0, 0), figures["wrong"]
    # The faults reached the client: it retried and met 429s; every failed write was
    # reconciled (about one write in ten fails, so nearly every run has some).
    assert figures["retries"] > 0 and figures["429s"] > 0, figures
    if figures["maybe_applied"] + figures["write_errors"]:
        assert figures["reconciled"] > 0, figures


def _post(eid: str, client_id: str = "c") -> Dict[str, Any]:
    return {"method": "POST", "resource_type": "users", "resource_id": "x", "client_id": client_id,
            "body": {"data": {"attributes": {"employee-id": eid}}}}


def _patch(rid: str, title: str) -> Dict[str, Any]:
    return {"method": "PATCH", "resource_type": "content", "resource_id": rid, "client_id": "c",
            "body": {"data": {"attributes": {"title": title}}}}


def test_the_audit_finds_lost_duplicated_and_stray_writes() -> None:
    intents = [("create", "users", "A"), ("create", "users", "B"), ("update", "content", "c1", "title", "T")]
    assert soak.audit([_post("A"), _patch("c1", "T"), _patch("c1", "T")], intents, "c") == {
        "lost": 1, "duplicated": 0, "idempotent_repeats": 1}
    assert soak.audit([_post("A"), _post("A"), _post("B"), _patch("c1", "T")], intents, "c") == {
        "lost": 0, "duplicated": 1, "idempotent_repeats": 0}
    # A write nobody intended counts as duplicated; another client's writes are not ours.
    log = [_post("A"), _post("B"), _post("C"), _patch("c1", "T"), _post("D", client_id="other")]
    assert soak.audit(log, intents, "c") == {"lost": 0, "duplicated": 1, "idempotent_repeats": 0}
