"""The nightly Degreed sync, as organizations run it.

1. print the minimal scopes the job needs;
2. import users from a CSV (create, or update by employee id);
3. publish a catalogue of courses (create, or update on an existing external id);
4. record completions from a CSV (skipping those already recorded);
5. export the last 30 days of completions to JSONL;
6. print a summary: created / updated / unchanged / failed with reasons, requests,
   retries, 429s and elapsed time.

Credentials come from DEGREED_CLIENT_ID / DEGREED_CLIENT_SECRET / DEGREED_ENVIRONMENT /
DEGREED_DATA_CENTER (degreed.Client.from_env), or --base-url with --client-id/--client-secret
(the sandbox). Progress goes to stderr: redrawn on a terminal, otherwise a line at least every
10 seconds (DEGREED_PROGRESS_INTERVAL) with done/total, rate, ETA and the current pacing wait;
--quiet turns it off.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import degreed
from degreed import Progress

HERE = Path(__file__).resolve().parent

#: Every operation the job calls; the minimal scopes are computed from this list.
JOB_OPERATIONS = [
    "users.get",
    "users.create",
    "users.update",
    "content.list",
    "content.courses.create",
    "content.courses.update",
    "completions.list",
    "completions.create",
]

COURSE_FIELDS = ("title", "url", "duration", "duration_type", "language", "summary")


@dataclass
class Tally:
    """Outcome counts of one section of the job."""

    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, key: str, reason: str) -> None:
        self.failed.append((key, reason))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def sync_users(client: degreed.Client, rows: list[dict[str, str]], progress: Progress) -> Tally:
    tally = Tally("users")
    progress.start("users", total=len(rows))
    for n, row in enumerate(rows, 1):
        progress.advance()
        employee_id = row.get("employee_id", "")
        attributes = {k: v for k, v in row.items() if v and k != "employee_id"}
        try:
            if not employee_id:
                raise degreed.InvalidRequestError("a row has no employee_id")
            try:
                existing = client.users.get(employee_id, identifier="employee-id")
            except degreed.NotFoundError:
                existing = None
            if existing is None:
                try:
                    client.users.create(employee_id=employee_id, **attributes)
                except degreed.InvalidRequestError as e:
                    if e.status is not None:
                        raise
                    # Refused before sending: a field required on create is missing (the SDK
                    # names it, by the API docs' rule).
                    tally.fail(employee_id, f"new user: {e}")
                    continue
                except degreed.DegreedError as e:
                    # An ambiguous failure: look before trying again, so nothing is created twice.
                    if not e.maybe_applied:
                        raise
                    try:
                        client.users.get(employee_id, identifier="employee-id")
                    except degreed.NotFoundError:
                        client.users.create(employee_id=employee_id, **attributes)
                tally.created += 1
            else:
                changes = {k: v for k, v in attributes.items() if getattr(existing, k, None) != v}
                if changes:
                    client.users.update(existing.id, **changes)
                    tally.updated += 1
                else:
                    tally.unchanged += 1
        except degreed.DegreedError as e:
            tally.fail(employee_id or f"row {n}", str(e))
    progress.finish()
    return tally


def course_attributes(row: dict[str, str]) -> dict[str, Any]:
    attrs: dict[str, Any] = {k: row[k] for k in COURSE_FIELDS if row.get(k)}
    if "duration" in attrs:
        attrs["duration"] = int(attrs["duration"])
    return attrs


def find_content(client: degreed.Client, external_id: str) -> Optional[Any]:
    return next(iter(client.content.list(external_id=external_id, limit=1)), None)


def create_course(client: degreed.Client, external_id: str, attrs: dict[str, Any]) -> str:
    """Creates a course and returns its id; an answer without a body (204) says nothing of
    the record, so it is looked up by its external id."""
    course = client.content.courses.create(external_id=external_id, **attrs) or find_content(client, external_id)
    return str(course.id) if course is not None else ""


def publish_courses(
    client: degreed.Client, rows: list[dict[str, str]], progress: Progress
) -> tuple[Tally, dict[str, str]]:
    tally = Tally("courses")
    ids: dict[str, str] = {}
    progress.start("courses", total=len(rows))
    for n, row in enumerate(rows, 1):
        progress.advance()
        external_id = row.get("external_id", "")
        try:
            attrs = course_attributes(row)
            try:
                ids[external_id] = create_course(client, external_id, attrs)
                tally.created += 1
                continue
            except degreed.ConflictError:
                pass  # The external id (or URL) exists: update it in place below.
            except degreed.DegreedError as e:
                if not e.maybe_applied:
                    raise
            existing = find_content(client, external_id)
            if existing is None:
                ids[external_id] = create_course(client, external_id, attrs)
                tally.created += 1
                continue
            ids[external_id] = existing.id
            changes = {k: v for k, v in attrs.items() if getattr(existing, k, None) != v}
            if changes:
                client.content.courses.update(existing.id, **changes)
                tally.updated += 1
            else:
                tally.unchanged += 1
        except (degreed.DegreedError, ValueError) as e:
            tally.fail(external_id or f"row {n}", str(e))
    progress.finish()
    return tally, ids


def completion_time(row: dict[str, str], today: dt.date) -> dt.datetime:
    """`completed_at` as given, or `days_ago` + `time` (the sample data stays recent)."""
    if row.get("completed_at"):
        return dt.datetime.fromisoformat(row["completed_at"])
    day = today - dt.timedelta(days=int(row["days_ago"]))
    hh, mm = (int(x) for x in (row.get("time") or "00:00").split(":"))
    return dt.datetime(day.year, day.month, day.day, hh, mm)


def completion_key(item: Any) -> tuple[str, str, str]:
    content = (item.relationships or {}).get("content") or {}
    completed = item.completed_at.date().isoformat() if item.completed_at else ""
    return (str(item.employee_id), str(content.get("id")), completed)


def record_completions(
    client: degreed.Client,
    rows: list[dict[str, str]],
    content_ids: dict[str, str],
    today: dt.date,
    progress: Progress,
) -> Tally:
    tally = Tally("completions")
    planned = []
    for n, row in enumerate(rows, 1):
        try:
            planned.append((row, completion_time(row, today)))
        except (KeyError, ValueError) as e:
            tally.fail(row.get("employee_id") or f"row {n}", f"bad date: {e}")
    if not planned:
        return tally
    first = min(t for _, t in planned).date()
    last = max(t for _, t in planned).date()
    # What is already recorded, so a re-run does not record anything twice.
    recorded = {completion_key(c) for c in client.completions.list(start_date=first, end_date=last, limit=1000)}
    progress.start("completions", total=len(planned))
    for n, (row, completed_at) in enumerate(planned, 1):
        progress.advance()
        employee_id, external_id = row["employee_id"], row["course_external_id"]
        try:
            content_id = content_ids.get(external_id)
            if content_id is None:
                found = find_content(client, external_id)
                if found is None:
                    tally.fail(employee_id, f"no content with external id {external_id}")
                    continue
                content_id = content_ids[external_id] = found.id
            key = (employee_id, content_id, completed_at.date().isoformat())
            if key in recorded:
                tally.unchanged += 1
                continue

            def create() -> None:
                client.completions.create(
                    user_id=employee_id,
                    user_identifier_type="EmployeeId",
                    content_id=external_id,
                    content_id_type="ExternalId",
                    content_type="Course",
                    completed_at=completed_at,
                    percentile=int(row["percentile"]) if row.get("percentile") else None,
                )

            try:
                create()
            except degreed.DegreedError as e:
                if not e.maybe_applied:
                    raise
                # No answer, or a 5xx: the completion may exist. Look, then try again only if not.
                day = completed_at.date()
                again = {completion_key(c) for c in client.completions.list(start_date=day, end_date=day)}
                if key not in again:
                    create()
            recorded.add(key)
            tally.created += 1
        except degreed.DegreedError as e:
            tally.fail(employee_id, str(e))
    progress.finish()
    return tally


def export_completions(client: degreed.Client, path: Path, today: dt.date, progress: Progress) -> int:
    start = today - dt.timedelta(days=30)
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    completions = client.completions.list(start_date=start, end_date=today, limit=1000)
    progress.start("export", detail=lambda: f"windows left {completions.windows_left}/{completions.windows}")
    with path.open("w", encoding="utf-8") as out:
        for completion in completions:
            out.write(json.dumps(completion.raw, ensure_ascii=False) + "\n")
            count += 1
            progress.advance()
    progress.finish()
    return count


def print_summary(tallies: Iterable[Tally], exported: int, path: Path, stats: Any, elapsed: float) -> None:
    print("\nSummary")
    print(f"  {'':<12}{'created':>9}{'updated':>9}{'unchanged':>11}{'failed':>8}")
    failures = []
    for t in tallies:
        print(f"  {t.name:<12}{t.created:>9}{t.updated:>9}{t.unchanged:>11}{len(t.failed):>8}")
        failures += [(t.name, key, reason) for key, reason in t.failed]
    print(f"  exported {exported} completions of the last 30 days to {path}")
    print(
        f"  requests {stats.requests}, retries {stats.retries}, 429s {stats.rate_limited}, "
        f"token requests {stats.token_requests}, elapsed {elapsed:.2f}s"
    )
    if failures:
        print("Failures")
        for section, key, reason in failures:
            print(f"  {section} {key}: {reason}")


@dataclass
class Report:
    """What one run did."""

    tallies: list[Tally]
    exported: int
    export_path: Path


def run_job(
    client: degreed.Client, data: Path, out: Path, today: Optional[dt.date] = None, quiet: bool = False
) -> Report:
    """Runs the four steps of the job with `client`, reading CSVs from `data`."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    with Progress(quiet=quiet, client=client) as progress:
        users = sync_users(client, read_csv(data / "users.csv"), progress)
        courses, content_ids = publish_courses(client, read_csv(data / "courses.csv"), progress)
        completions = record_completions(client, read_csv(data / "completions.csv"), content_ids, today, progress)
        export_path = out / f"completions-{today.isoformat()}.jsonl"
        exported = export_completions(client, export_path, today, progress)
    return Report([users, courses, completions], exported, export_path)


def make_client(args: argparse.Namespace) -> degreed.Client:
    options: dict[str, Any] = {"scopes": degreed.minimal_scopes(JOB_OPERATIONS)}
    for name in ("base_url", "client_id", "client_secret"):
        if getattr(args, name):
            options[name] = getattr(args, name)
    try:
        return degreed.Client.from_env(**options)
    except degreed.InvalidRequestError:
        sys.exit("set DEGREED_CLIENT_ID and DEGREED_CLIENT_SECRET, or pass --base-url for the sandbox")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="API and token host (the sandbox); default: Degreed's hosts")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="folder with the CSV files")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the JSONL export")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    # The job's log: retries and pacing waits (INFO), writes that may have been applied
    # (WARNING), on stderr with the progress lines.
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    print("Minimal scopes for this job:", ",".join(degreed.minimal_scopes(JOB_OPERATIONS)))
    client = make_client(args)
    report = run_job(client, args.data, args.out, quiet=args.quiet)
    print_summary(report.tallies, report.exported, report.export_path, client.stats, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
