"""The ``degreed`` command (also ``python -m degreed``): the common jobs from a shell.

Credentials come from the environment: ``DEGREED_CLIENT_ID``, ``DEGREED_CLIENT_SECRET``,
and optionally ``DEGREED_ENVIRONMENT``, ``DEGREED_DATA_CENTER``, ``DEGREED_BASE_URL``.
Records are written to stdout as JSON lines; messages and progress go to stderr.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import logging
import os
import re
import sys
import time
from typing import IO, Any, Callable, Dict, Iterable, Iterator, Optional, Sequence, TextIO, Tuple

from . import __version__, minimal_scopes
from . import _native
from .client import Client
from .errors import ConflictError, DegreedError, NotFoundError
from .models import Resource

_NUMERIC = frozenset(("duration", "cost_units", "num_words", "pages", "learning_minutes", "percentile"))


class _Progress:
    """A progress line on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.count = 0
        self._shown = 0.0

    def step(self, note: str = "") -> None:
        self.count += 1
        now = time.monotonic()
        if self.enabled and now - self._shown > 0.1:
            self._shown = now
            self.stream.write(f"\r{self.label}: {self.count} {note}".ljust(60)[:79])
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, Resource):
        return _record(value)
    return str(value)


def _record(resource: Resource) -> Dict[str, Any]:
    return resource.to_dict()


def _write_jsonl(out: TextIO, items: Iterable[Any]) -> None:
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False, default=_json_default) + "\n")


def _key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def _value(key: str, text: str) -> Any:
    value = text.strip()
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if key in _NUMERIC:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    return value


def _rows(path: str) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """(line number, attributes) for each CSV row; empty cells are left out."""
    stream: IO[str] = sys.stdin if path == "-" else open(path, newline="", encoding="utf-8-sig")
    with stream:
        reader = csv.DictReader(stream)
        for row in reader:
            attrs = {
                _key(k): _value(_key(k), v)
                for k, v in row.items()
                if k is not None and v is not None and v.strip() != ""
            }
            yield reader.line_num, attrs


def _make_client(args: argparse.Namespace) -> Client:
    client_id = os.environ.get("DEGREED_CLIENT_ID", "")
    secret = os.environ.get("DEGREED_CLIENT_SECRET", "")
    if not client_id or not secret:
        raise SystemExit("degreed: set DEGREED_CLIENT_ID and DEGREED_CLIENT_SECRET")
    return Client(
        client_id,
        secret,
        environment=args.environment or os.environ.get("DEGREED_ENVIRONMENT") or "production",
        data_center=args.data_center or os.environ.get("DEGREED_DATA_CENTER") or "us",
        base_url=args.base_url or os.environ.get("DEGREED_BASE_URL") or None,
        token_url=args.token_url,
        organization_code=args.organization_code,
        timeout=args.timeout,
    )


def _export(label: str, items: Iterable[Resource], raw: bool, out: TextIO, err: TextIO) -> int:
    """Writes each item as a JSON line (``raw``: as the API sent it), with progress."""
    progress = _Progress(label, err)
    for item in items:
        _write_jsonl(out, [item.raw if raw else _record(item)])
        progress.step()
    progress.done()
    return 0


def _import(
    label: str,
    key: str,
    path: str,
    upsert: Callable[[str, Dict[str, Any]], Tuple[str, Optional[str]]],
    out: TextIO,
    err: TextIO,
) -> int:
    """Runs ``upsert(row[key], row)`` (giving the action and the id) for each CSV row; writes a
    JSON line per row and the counts on stderr; 1 when a row failed."""
    progress = _Progress(label, err)
    counts = {"created": 0, "updated": 0, "failed": 0}
    for line, attrs in _rows(path):
        value = attrs.get(key)
        result: Dict[str, Any] = {"line": line, key: value}
        try:
            if not value:
                raise ValueError(f"no {key}")
            action, id_ = upsert(str(value), attrs)
            result.update(action=action, id=id_)
        except (DegreedError, ValueError) as e:
            result.update(action="failed", error=str(e))
            err.write(f"line {line}: {e}\n")
        counts[result["action"]] += 1
        _write_jsonl(out, [result])
        progress.step(result["action"])
    progress.done()
    err.write(label + ": {created} created, {updated} updated, {failed} failed\n".format(**counts))
    return 1 if counts["failed"] else 0


def _users_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)
    return _export("users", client.users.list(limit=args.limit), args.raw, out, err)


def _users_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)

    def upsert(employee_id: str, attrs: Dict[str, Any]) -> Tuple[str, Optional[str]]:
        try:
            existing = client.users.get(employee_id, identifier="employee-id")
        except NotFoundError:
            return "created", client.users.create(attrs).id
        return "updated", client.users.update(existing.id or "", attrs).id

    return _import("users import", "employee_id", args.file, upsert, out, err)


def _content_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)

    def upsert(external_id: str, attrs: Dict[str, Any]) -> Tuple[str, Optional[str]]:
        try:
            return "created", client.content.courses.create(attrs).id
        except ConflictError:
            # The external id (or URL) is taken: update the course that holds it.
            found = next(
                (c for c in client.content.list(external_id=external_id) if c.external_id == external_id),
                None,
            )
            if found is None or not found.id:
                raise
            return "updated", client.content.courses.update(found.id, attrs).id

    return _import("content import", "external_id", args.file, upsert, out, err)


def _completions_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)
    # Without --until the range ends today (the core's rule for windowed lists).
    completions = client.completions.list(limit=args.limit, start_date=args.since, end_date=args.until)
    return _export("completions", completions, args.raw, out, err)


def _scopes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(",".join(minimal_scopes(args.operations)) + "\n")
    return 0


def _operations(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for op in _native.catalog():
        out.write(f"{op['name']:40} {op['method']:6} {op['path']:48} {op['scope']}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="degreed",
        description="Common Degreed API jobs. Credentials: DEGREED_CLIENT_ID, DEGREED_CLIENT_SECRET.",
    )
    p.add_argument("--version", action="version", version=f"degreed {__version__}")
    p.add_argument("--environment", help="production (default) or betatest [DEGREED_ENVIRONMENT]")
    p.add_argument("--data-center", help="us (default), eu or ca [DEGREED_DATA_CENTER]")
    p.add_argument("--base-url", help="a custom API host, e.g. the sandbox [DEGREED_BASE_URL]")
    p.add_argument("--token-url", help="a custom token endpoint (default: on the base URL's host)")
    p.add_argument("--organization-code", help="tenant organization code (Extended Enterprise)")
    p.add_argument("--timeout", type=float, default=30.0, help="per-request timeout, seconds")
    p.add_argument("-v", "--verbose", action="store_true", help="log each request on stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    users = sub.add_parser("users", help="list or import users").add_subparsers(dest="action", required=True)
    ul = users.add_parser("list", help="every user as JSON lines")
    ul.add_argument("--limit", type=int, default=1000, help="page size (1-1000)")
    ul.add_argument("--raw", action="store_true", help="the API's items unchanged")
    ul.set_defaults(run=_users_list)
    ui = users.add_parser("import", help="create or update users from a CSV file (by employee id)")
    ui.add_argument("file", help="CSV with a header row (employee_id, first_name, ...); - for stdin")
    ui.set_defaults(run=_users_import)

    completions = sub.add_parser("completions", help="export completions").add_subparsers(
        dest="action", required=True
    )
    ce = completions.add_parser("export", help="completions in a date range as JSON lines")
    ce.add_argument("--since", required=True, help="first day, yyyy-mm-dd")
    ce.add_argument("--until", help="last day, yyyy-mm-dd (default: today)")
    ce.add_argument("--limit", type=int, default=1000, help="page size (1-1000)")
    ce.add_argument("--raw", action="store_true", help="the API's items unchanged")
    ce.set_defaults(run=_completions_export)

    content = sub.add_parser("content", help="import courses").add_subparsers(dest="action", required=True)
    ci = content.add_parser("import", help="create courses from a CSV file, updating those whose external id exists")
    ci.add_argument("file", help="CSV with a header row (external_id, title, url, duration, ...); - for stdin")
    ci.set_defaults(run=_content_import)

    sc = sub.add_parser("scopes", help="the minimal scopes for some operations")
    sc.add_argument("operations", nargs="+", metavar="OPERATION", help="e.g. users.list completions.create")
    sc.set_defaults(run=_scopes)

    ops = sub.add_parser("operations", help="every operation with its method, path and scope")
    ops.set_defaults(run=_operations)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s", stream=sys.stderr)
    try:
        status: int = args.run(args, sys.stdout, sys.stderr)
        sys.stdout.flush()
        return status
    except DegreedError as e:
        sys.stderr.write(f"degreed: {e}\n")
        return 1
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            # The reader went away (| head): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        sys.stderr.write(f"degreed: {e}\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
