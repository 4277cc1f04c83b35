"""The ``degreed`` command (also ``python -m degreed``): the common jobs from a shell.

Credentials come from the environment, read by :meth:`degreed.Client.from_env`
(``DEGREED_CLIENT_ID``, ``DEGREED_CLIENT_SECRET``, ``DEGREED_ENVIRONMENT``,
``DEGREED_DATA_CENTER``, ``DEGREED_BASE_URL``, ...); options on the command line win. Records
are written to stdout as JSON lines (or where ``--to`` says); messages and progress go to
stderr. Off a terminal a progress line is printed at least every 10 seconds
(``DEGREED_PROGRESS_INTERVAL``), unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import logging
import os
import re
import sqlite3
import sys
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, TextIO, Tuple

from . import __version__, minimal_scopes
from . import _native
from .client import Client
from .client import ListIterator
from .errors import ConflictError, DegreedError, InvalidRequestError, NotFoundError, PermissionDeniedError
from .models import Resource
from .progress import Progress

_NUMERIC = frozenset(("duration", "cost_units", "num_words", "pages", "learning_minutes", "percentile"))

_USER_COLUMNS = """columns (header row; "Employee ID", "employee-id" and "employee_id" are the same):
  employee_id          required: the key; the user is updated if it exists, else created
  first_name           required for a new user
  last_name            required for a new user
  organization_email   required for a new user
  personal_email, full_name, bio, location, job_role, permission_role,
  profile_visibility, preferred_language, alias_uid, profile_image_url,
  login_disabled (true/false), restricted (true/false)
empty cells are left out (an update does not clear a field)"""

_COURSE_COLUMNS = """columns (header row):
  external_id          required: the key; the course is updated if it exists, else created
  title, duration (number), duration_type (Minutes, Hours, Days, ...)
                       required for a new course
  url, language, summary, image_url, cost_units, provider_code, obsolete (true/false)"""


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
    overrides = {
        "environment": args.environment,
        "data_center": args.data_center,
        "base_url": args.base_url,
        "token_url": args.token_url,
        "organization_code": args.organization_code,
        "timeout": args.timeout,
    }
    try:
        return Client.from_env(**{k: v for k, v in overrides.items() if v is not None})
    except InvalidRequestError as e:
        raise SystemExit(f"degreed: {e}") from None


def _progress(args: argparse.Namespace, err: TextIO, client: Optional[Client] = None) -> Progress:
    return Progress(err, quiet=args.quiet, client=client)


def _windows(items: ListIterator[Any]) -> Callable[[], str]:
    def detail() -> str:
        done = items.windows - items.windows_left
        return f"window {done}/{items.windows}" if items.windows > 1 else f"page {items.pages_read}"

    return detail


def _export(
    label: str, items: ListIterator[Any], raw: bool, out: TextIO, err: TextIO, args: argparse.Namespace, client: Client
) -> int:
    """Writes each item as a JSON line (``raw``: as the API sent it), with progress."""
    with _progress(args, err, client) as progress:
        progress.start(label, detail=_windows(items))
        for item in items:
            _write_jsonl(out, [item.raw if raw else _record(item)])
            progress.advance()
    return 0


def _import(
    label: str,
    key: str,
    path: str,
    upsert: Callable[[str, Dict[str, Any]], Tuple[str, Optional[str]]],
    out: TextIO,
    err: TextIO,
    args: argparse.Namespace,
    client: Client,
) -> int:
    """Runs ``upsert(row[key], row)`` (giving the action and the id) for each CSV row; writes a
    JSON line per row and the counts on stderr; 1 when a row failed. With ``--dry-run`` the
    actions are those that would be taken (``would create``/``would update``)."""
    rows = list(_rows(path))
    counts = {"created": 0, "updated": 0, "failed": 0}
    with _progress(args, err, client) as progress:
        progress.start(label, total=len(rows))
        for line, attrs in rows:
            value = attrs.get(key)
            result: Dict[str, Any] = {"line": line, key: value}
            try:
                if not value:
                    raise ValueError(f"no {key}")
                action, id_ = upsert(str(value), attrs)
                result.update(action=("would " + action[:-1]) if args.dry_run else action, id=id_)
                counts[action] += 1
            except (DegreedError, ValueError) as e:
                result.update(action="failed", error=str(e))
                counts["failed"] += 1
                err.write(f"line {line}: {e}\n")
            _write_jsonl(out, [result])
            progress.advance()
    verb = "would be " if args.dry_run else ""
    err.write(
        label + f": {counts['created']} {verb}created, {counts['updated']} {verb}updated, {counts['failed']} failed\n"
    )
    return 1 if counts["failed"] else 0


def _users_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)
    return _export("users", client.users.list(limit=args.limit), args.raw, out, err, args, client)


def _check_create(client: Client, operation: str, attrs: Dict[str, Any]) -> None:
    """A dry run's create: the core's checks (the fields required on create, ...) raise
    InvalidRequestError as the real create would, and nothing is sent. A complete body in a
    session without the write scope is not refused: a dry run needs none."""
    try:
        client._write(operation, [], Resource, attrs, {}, None, None)
    except PermissionDeniedError:
        pass


def _users_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)

    def upsert(employee_id: str, attrs: Dict[str, Any]) -> Tuple[str, Optional[str]]:
        try:
            existing = client.users.get(employee_id, identifier="employee-id")
        except NotFoundError:
            if args.dry_run:
                _check_create(client, "users.create", attrs)
                return "created", None
            created = client.users.create(attrs)
            # An answer without the record (204) says nothing of it, not even its id.
            return "created", created.id if created is not None else None
        if args.dry_run:
            return "updated", existing.id
        client.users.update(existing.id or "", attrs)
        return "updated", existing.id

    return _import("users import", "employee_id", args.file, upsert, out, err, args, client)


def _content_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    client = _make_client(args)

    def find(external_id: str) -> Optional[Resource]:
        return next(
            (c for c in client.content.list(external_id=external_id) if c.external_id == external_id),
            None,
        )

    def upsert(external_id: str, attrs: Dict[str, Any]) -> Tuple[str, Optional[str]]:
        if args.dry_run:
            found = find(external_id)
            if found is None:
                _check_create(client, "content.courses.create", attrs)
            return ("updated", found.id) if found is not None else ("created", None)
        try:
            created = client.content.courses.create(attrs)
            return "created", created.id if created is not None else None
        except ConflictError:
            # The external id (or URL) is taken: update the course that holds it.
            found = find(external_id)
            if found is None or not found.id:
                raise
            client.content.courses.update(found.id, attrs)
            return "updated", found.id

    return _import("content import", "external_id", args.file, upsert, out, err, args, client)


#: The columns of the SQLite export: the record's fields, then its JSON as the API sent it.
_SQL_COLUMNS = (
    "employee_id",
    "user_id",
    "content_id",
    "content_type",
    "completed_at",
    "added_at",
    "is_verified",
    "points_earned",
    "duration",
)


def _sqlite_path(target: str) -> str:
    if not target.startswith("sqlite:///"):
        raise SystemExit(f"degreed: --to takes sqlite:///path.db, a .jsonl or a .csv path, or -; got {target}")
    return target[len("sqlite:///") :]


def _open_db(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    columns = ", ".join(f"{c} TEXT" for c in _SQL_COLUMNS)
    db.execute(f"CREATE TABLE IF NOT EXISTS completions (id TEXT PRIMARY KEY, {columns}, raw TEXT NOT NULL)")
    return db


def _sql_value(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _completions_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    target: str = args.to
    db: Optional[sqlite3.Connection] = None
    since: Optional[str] = args.since
    if target.startswith("sqlite:"):
        db = _open_db(_sqlite_path(target))
        if since is None:
            # Resume from the last exported completion (its day again: upserts make the
            # overlap harmless).
            (last,) = db.execute("SELECT max(completed_at) FROM completions").fetchone()
            since = str(last)[:10] if last else None
    if since is None:
        raise SystemExit("degreed: completions export needs --since (or an SQLite file that has data)")
    client = _make_client(args)
    # Without --until the range ends today (the core's rule for windowed lists).
    completions = client.completions.list(limit=args.limit, start_date=since, end_date=args.until)
    if db is not None:
        with db, _progress(args, err, client) as progress:
            progress.start("completions", detail=_windows(completions))
            placeholders = ", ".join("?" for _ in _SQL_COLUMNS)
            updates = ", ".join(f"{c} = excluded.{c}" for c in (*_SQL_COLUMNS, "raw"))
            sql = (
                f"INSERT INTO completions (id, {', '.join(_SQL_COLUMNS)}, raw) VALUES (?, {placeholders}, ?) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}"
            )
            for page in completions.pages():
                db.executemany(
                    sql,
                    [
                        (c.id, *(_sql_value(getattr(c, k, None)) for k in _SQL_COLUMNS), json.dumps(c.raw))
                        for c in page
                    ],
                )
                progress.advance(len(page))
        db.close()
        err.write(f"completions: {completions.items_seen} exported to {target} (since {since})\n")
        return 0
    if target.endswith(".csv"):
        with open(target, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(("id", *_SQL_COLUMNS))
            with _progress(args, err, client) as progress:
                progress.start("completions", detail=_windows(completions))
                for c in completions:
                    writer.writerow((c.id, *(_sql_value(getattr(c, k, None)) for k in _SQL_COLUMNS)))
                    progress.advance()
        return 0
    if target != "-":
        with open(target, "w", encoding="utf-8") as f:
            return _export("completions", completions, args.raw, f, err, args, client)
    return _export("completions", completions, args.raw, out, err, args, client)


def _scopes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(",".join(minimal_scopes(args.operations)) + "\n")
    return 0


def _operations(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # The same line as the Rust `catalog` example: name, method, path, the scopes any one
    # of which allows the call (joined by |), and where the operation comes from
    # (documented, community or inferred); --sources adds the URL or repository path.
    for op in _native.catalog():
        line = f"{op['name']} {op['method']} {op['path']} {'|'.join(op['scopes'])} {op['source']}"
        if args.sources and op["source_ref"]:
            line += f" {op['source_ref']}"
        out.write(line + "\n")
    return 0


def _global_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """The options every command takes, before or after the command's name. Below the top
    level their defaults are "not given", so a value given before the command survives."""

    def default(value: Any) -> Any:
        return value if top else argparse.SUPPRESS

    g = parser.add_argument_group("connection and output (before or after the command)")
    g.add_argument("--environment", default=default(None), help="production (default) or betatest [DEGREED_ENVIRONMENT]")
    g.add_argument("--data-center", default=default(None), help="us (default), eu or ca [DEGREED_DATA_CENTER]")
    g.add_argument("--base-url", default=default(None), help="a custom API host, e.g. the sandbox [DEGREED_BASE_URL]")
    g.add_argument("--token-url", default=default(None), help="a custom token endpoint [DEGREED_TOKEN_URL]")
    g.add_argument("--organization-code", default=default(None), help="tenant organization code [DEGREED_ORGANIZATION_CODE]")
    g.add_argument("--timeout", type=float, default=default(None), help="per-request timeout, seconds [DEGREED_TIMEOUT]")
    g.add_argument("-v", "--verbose", action="store_true", default=default(False), help="log each request on stderr")
    g.add_argument("-q", "--quiet", action="store_true", default=default(False), help="no progress lines")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="degreed",
        description="Common Degreed API jobs. Credentials: DEGREED_CLIENT_ID, DEGREED_CLIENT_SECRET.",
    )
    p.add_argument("--version", action="version", version=f"degreed {__version__}")
    _global_options(p, top=True)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(parent: Any, name: str, help: str, **kw: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = parent.add_parser(name, help=help, description=help, **kw)
        _global_options(parser, top=False)
        return parser

    raw = argparse.RawDescriptionHelpFormatter
    users = sub.add_parser("users", help="list or import users").add_subparsers(dest="action", required=True)
    ul = command(users, "list", "every user as JSON lines")
    ul.add_argument("--limit", type=int, default=1000, help="page size (1-1000)")
    ul.add_argument("--raw", action="store_true", help="the API's items unchanged")
    ul.set_defaults(run=_users_list)
    ui = command(
        users, "import", "create or update users from a CSV file (by employee id)", epilog=_USER_COLUMNS, formatter_class=raw
    )
    ui.add_argument("file", help="CSV with a header row (see the columns below); - for stdin")
    ui.add_argument("--dry-run", action="store_true", help="look up each row and say what would change; write nothing")
    ui.set_defaults(run=_users_import)

    completions = sub.add_parser("completions", help="export completions").add_subparsers(
        dest="action", required=True
    )
    ce = command(completions, "export", "completions in a date range as JSON lines, CSV or an SQLite table")
    ce.add_argument("--since", help="first day, yyyy-mm-dd (with an SQLite file: default, the last exported day)")
    ce.add_argument("--until", help="last day, yyyy-mm-dd (default: today)")
    ce.add_argument("--limit", type=int, default=1000, help="page size (1-1000)")
    ce.add_argument("--raw", action="store_true", help="the API's items unchanged (JSON lines)")
    ce.add_argument(
        "--to",
        default="-",
        metavar="TARGET",
        help="- (stdout, JSON lines; default), a .jsonl or .csv path, or sqlite:///path.db "
        "(table completions, upserted by id; resumes from the last exported day)",
    )
    ce.set_defaults(run=_completions_export)

    content = sub.add_parser("content", help="import courses").add_subparsers(dest="action", required=True)
    ci = command(
        content,
        "import",
        "create courses from a CSV file, updating those whose external id exists",
        epilog=_COURSE_COLUMNS,
        formatter_class=raw,
    )
    ci.add_argument("file", help="CSV with a header row (see the columns below); - for stdin")
    ci.add_argument("--dry-run", action="store_true", help="look up each row and say what would change; write nothing")
    ci.set_defaults(run=_content_import)

    sc = command(sub, "scopes", "the minimal scopes for some operations")
    sc.add_argument("operations", nargs="+", metavar="OPERATION", help="e.g. users.list completions.create")
    sc.set_defaults(run=_scopes)

    ops = command(sub, "operations", "every operation: name, method, path, scopes (any one will do), source")
    ops.add_argument("--sources", action="store_true", help="add the URL or repository path of each source")
    ops.set_defaults(run=_operations)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    # Writes that may have been applied are always worth a line; -v adds every request.
    level = logging.DEBUG if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(name)s: %(message)s", stream=sys.stderr)
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
