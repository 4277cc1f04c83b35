"""The nightly job end to end against the sandbox: outcomes, idempotence, and no write lost
or duplicated when the sandbox drops answers after applying writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import degreed

sys.path.insert(0, str(Path(__file__).parent))
import nightly  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "target" / "release" / "degreed-sandbox"


@pytest.fixture()
def sandbox(request: pytest.FixtureRequest):
    flags = getattr(request, "param", [])
    if not SANDBOX.exists():
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "degreed-sandbox"], cwd=ROOT, check=True)
    limit = [] if "--rate-limit" in flags else ["--rate-limit", "0"]
    proc = subprocess.Popen([str(SANDBOX), "--port", "0", *limit, *flags], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    yield url
    proc.terminate()
    proc.wait(10)


def client_for(url: str, **kw) -> degreed.Client:
    return degreed.Client("sandbox", "sandbox-secret", base_url=url,
                          scopes=degreed.minimal_scopes(nightly.JOB_OPERATIONS), **kw)


def counts(report: nightly.Report) -> dict[str, tuple[int, int, int, int]]:
    return {t.name: (t.created, t.updated, t.unchanged, len(t.failed)) for t in report.tallies}


def write_log(url: str) -> list[dict]:
    with urllib.request.urlopen(f"{url}/_sandbox/log") as r:
        return json.load(r)["writes"]


def test_first_run_then_rerun_changes_nothing(sandbox: str, tmp_path: Path) -> None:
    first = nightly.run_job(client_for(sandbox), nightly.HERE / "data", tmp_path)
    assert counts(first) == {"users": (10, 1, 1, 1), "courses": (6, 1, 0, 0), "completions": (14, 0, 0, 1)}
    reasons = {t.name: [r for _, r in t.failed] for t in first.tallies}
    assert "organization_email" in reasons["users"][0]
    assert "Invalid user identifier" in reasons["completions"][0]
    lines = first.export_path.read_text(encoding="utf-8").splitlines()
    assert first.exported == len(lines) >= 14
    assert all(json.loads(line)["type"] == "completions" for line in lines)

    again = nightly.run_job(client_for(sandbox), nightly.HERE / "data", tmp_path)
    assert counts(again) == {"users": (0, 0, 12, 1), "courses": (0, 0, 7, 0), "completions": (0, 0, 14, 1)}


SCENARIO = json.loads((ROOT / "tests" / "scenarios" / "faults.json").read_text(encoding="utf-8"))


def configure(url: str, **settings: object) -> None:
    request = urllib.request.Request(f"{url}/_sandbox/config", data=json.dumps(settings).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).close()


def test_no_write_lost_or_duplicated_under_faults(sandbox: str) -> None:
    """The shared scenario (tests/scenarios/faults.json), replayed through the job's own
    course and completion steps: the sandbox's write log is exactly the expected one."""
    client = client_for(sandbox)
    with degreed.Progress(quiet=True) as progress:
        for step in SCENARIO["steps"]:
            configure(sandbox, write_faults=step["write_faults"])
            if "course" in step:
                tally, _ = nightly.publish_courses(client, [step["course"]], progress)
            else:
                tally = nightly.record_completions(client, [step["completion"]], {}, dt.date.today(), progress)
            assert not tally.failed, (step, tally.failed)
    log = write_log(sandbox)
    got = [(w["method"], w["resource_type"], w["body"]["data"]["attributes"]) for w in log]
    assert len(got) == len(SCENARIO["writes"]), got
    for (method, kind, attributes), want in zip(got, SCENARIO["writes"]):
        assert (method, kind) == (want["method"], want["resource_type"]), got
        assert {k: attributes.get(k) for k in want["attributes"]} == want["attributes"], got


@pytest.mark.parametrize("sandbox", [["--rate-limit", "15", "--rate-window", "1"]], indirect=True)
def test_progress_lines_reach_a_redirected_stderr_periodically(sandbox: str, tmp_path: Path) -> None:
    """Run as cron runs it: stderr to a file. The rate limit makes the job wait; a line still
    comes at least every interval, with done/total, rate, ETA and the pacing wait."""
    import time

    env = dict(os.environ, DEGREED_PROGRESS_INTERVAL="0.25")
    args = [sys.executable, str(nightly.HERE / "nightly.py"), "--base-url", sandbox,
            "--client-id", "sandbox", "--client-secret", "sandbox-secret", "--out", str(tmp_path)]
    log = tmp_path / "stderr.log"
    started = time.monotonic()
    with log.open("w") as err:
        done = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=err, text=True, timeout=300)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, log.read_text()
    lines = log.read_text().splitlines()
    assert not any("\r" in line or "\033" in line for line in lines), "no terminal redraws in a file"
    for phase, total in [("users", 13), ("courses", 7), ("completions", 15)]:
        mine = [line for line in lines if line.startswith(f"{phase}: ")]
        assert mine and mine[-1].startswith(f"{phase}: {total}/{total} (100%)"), mine
        assert all("/s" in line and "ETA" in line and "pacing wait" in line for line in mine)
    assert any(line.startswith("export: ") and "windows left" in line for line in lines)
    # Periodic: at least one line per interval of the run (with slack for phase changes).
    assert len(lines) >= elapsed / 0.25 * 0.6, (len(lines), elapsed)
    assert any(float(line.split("pacing wait ")[1].split("s")[0]) > 0 for line in lines if "pacing wait" in line)

    quiet = subprocess.run(args + ["--quiet"], env=env, capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
