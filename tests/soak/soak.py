"""Soak: thousands of mixed operations through the Python client against a faulty sandbox.

    .venv/bin/python tests/soak/soak.py --base-url URL [--ops 10000] [--workers 4]

``scripts/soak.sh`` starts the sandbox (with ``--faults``, rate limiting off, and the
``soak-python`` and ``soak-js`` clients) and runs this driver and its JS twin
(``tests/soak/soak.mjs``). A short run is in the Python suite
(``bindings-python/tests/test_soak.py``).

Each worker owns its users, courses and completions (so its reads can be checked against
what it wrote) and draws operations at random: creates, updates and deletes of users and
courses, completions, gets and list walks. A write that fails is reconciled: look the record
up, then send the write again only if it did not land; the SDK says which failures may have
been applied (``maybe_applied``). At the end the sandbox's write log (``/_sandbox/log``) is
compared with the intended writes: each create and delete applied exactly once, each update
at least once (PATCH and DELETE are idempotent: the core retries them, so a repeat is
harmless and counted apart). A read that fails after the SDK's retries is counted; a read
that answers wrongly (a missing or extra record, a stale value, an empty list) is a failure.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import random
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

import degreed

FAULTS = "500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01"
CLIENT_ID = "soak-python"
#: A throwaway secret of the sandbox's soak client (see scripts/soak.sh); never printed.
SECRET = "soak-secret"
#: Look-ups made to reconcile one write (each already retried by the SDK).
ATTEMPTS = 8
#: Operations and their weights.
WEIGHTS = {
    "create_user": 10, "update_user": 8, "delete_user": 2, "get_user": 10, "list_users": 3,
    "create_course": 6, "update_course": 5, "delete_course": 1, "get_course": 8,
    "find_course": 6, "list_content": 2,
    "create_completion": 14, "get_completion": 5, "list_completions": 6,
}  # fmt: skip
#: Completions go on the 28 days before today, one day's window is looked up to reconcile.
DAYS = 28

T = TypeVar("T")


class WrongAnswer(AssertionError):
    """A read answered without an error but not what the sandbox holds: a soak failure."""


class Figures:
    """Counters shared by the workers."""

    NAMES = ("ops", "writes", "maybe_applied", "write_errors", "reconciled", "read_failures",
             "wrong_answers")  # fmt: skip

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Dict[str, int] = dict.fromkeys(self.NAMES, 0)
        self.wrong: List[str] = []

    def add(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.counts[name] += n

    def wrong_answer(self, what: str) -> None:
        with self._lock:
            self.counts["wrong_answers"] += 1
            self.wrong.append(what)


def _not_found(read: Callable[[], T]) -> Optional[T]:
    try:
        return read()
    except degreed.NotFoundError:
        return None


def _second(at: Any) -> str:
    """A timestamp to the second, as text: `2026-11-20T09:30:00`."""
    if isinstance(at, dt.datetime):
        at = at.replace(tzinfo=None).isoformat()
    return str(at)[:19]


class Worker:
    """One thread of operations over records of its own."""

    def __init__(self, client: degreed.Client, figures: Figures, intents: List[Tuple[Any, ...]],
                 tag: str, seed: int) -> None:
        self.client = client
        self.figures = figures
        self.intents = intents
        self.tag = tag
        self.rng = random.Random(seed)
        self.n = 0
        #: employee id -> {"id", "first_name", "alive"}
        self.users: Dict[str, Dict[str, Any]] = {}
        #: external id -> {"id", "title", "alive", "used"}
        self.courses: Dict[str, Dict[str, Any]] = {}
        #: (employee id, completed at) -> id
        self.completions: Dict[Tuple[str, str], str] = {}
        self.today = dt.datetime.now(dt.timezone.utc).date()

    # -- plumbing ------------------------------------------------------------------------

    def next(self) -> int:
        self.n += 1
        return self.n

    def read(self, read: Callable[[], T], attempts: int = 1) -> Tuple[bool, Optional[T]]:
        """Runs a read; `(False, None)` when it failed after the SDK's retries (counted)."""
        for _ in range(attempts):
            try:
                return True, read()
            except (degreed.InvalidRequestError, degreed.AuthenticationError,
                    degreed.PermissionDeniedError):
                raise  # The soak's own bug, not a fault.
            except degreed.DegreedError:
                self.figures.add("read_failures")
        return False, None

    def write(self, intent: Tuple[Any, ...], send: Callable[[], T], look: Callable[[], Any],
              landed: Callable[[Any], bool]) -> Any:
        """Sends a write; after a failure, looks whether it landed and sends it again only if
        not. Returns what `send` or `look` answered."""
        self.figures.add("writes")
        self.intents.append(intent)
        failed = False
        for _ in range(ATTEMPTS):
            try:
                result = send()
                if failed:
                    self.figures.add("reconciled")
                return result
            except (degreed.InvalidRequestError, degreed.AuthenticationError,
                    degreed.PermissionDeniedError):
                raise
            except degreed.DegreedError as e:
                failed = True
                self.figures.add("maybe_applied" if e.maybe_applied else "write_errors")
            ok, found = self.read(look, ATTEMPTS)
            if not ok:
                raise RuntimeError(f"could not look up {intent[:3]} after {ATTEMPTS} tries")
            if landed(found):
                self.figures.add("reconciled")
                return found
        raise RuntimeError(f"{intent[:3]} failed {ATTEMPTS} times")

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.figures.wrong_answer(what)

    def pick(self, table: Dict[str, Dict[str, Any]], pred: Callable[[Dict[str, Any]], bool]
             ) -> Optional[Tuple[str, Dict[str, Any]]]:
        keys = [k for k, v in table.items() if pred(v)]
        return (k := self.rng.choice(keys), table[k]) if keys else None

    # -- operations ----------------------------------------------------------------------

    def run(self, ops: int) -> None:
        names = list(WEIGHTS)
        weights = list(WEIGHTS.values())
        for _ in range(ops):
            getattr(self, self.rng.choices(names, weights)[0])()
            self.figures.add("ops")

    def get_user_by_employee_id(self, eid: str) -> Any:
        return _not_found(lambda: self.client.users.get(eid, identifier="employee-id"))

    def create_user(self) -> None:
        eid = f"{self.tag}U{self.next()}"
        first = f"First {self.n}"
        user = self.write(
            ("create", "users", eid),
            lambda: self.client.users.create(employee_id=eid, first_name=first, last_name="Soak",
                                             organization_email=f"{eid.lower()}@soak.example"),
            lambda: self.get_user_by_employee_id(eid),
            lambda found: found is not None,
        )
        self.check(user.employee_id == eid and user.first_name == first, f"created user {eid}")
        self.users[eid] = {"id": user.id, "first_name": first, "alive": True}

    def update_user(self) -> None:
        picked = self.pick(self.users, lambda u: u["alive"])
        if picked is None:
            return self.create_user()
        eid, user = picked
        first = f"First {self.next()}"
        self.write(
            ("update", "users", user["id"], "first-name", first),
            lambda: self.client.users.update(user["id"], first_name=first),
            lambda: self.get_user_by_employee_id(eid),
            lambda found: found is not None and found.first_name == first,
        )
        user["first_name"] = first

    def delete_user(self) -> None:
        picked = self.pick(self.users, lambda u: u["alive"])
        if picked is None:
            return self.create_user()
        eid, user = picked
        self.write(
            ("delete", "users", user["id"]),
            lambda: self.client.users.delete(user["id"]),
            lambda: self.get_user_by_employee_id(eid),
            lambda found: found is None,
        )
        user["alive"] = False

    def get_user(self) -> None:
        picked = self.pick(self.users, lambda u: True)
        if picked is None:
            return self.create_user()
        eid, user = picked
        ok, got = self.read(lambda: _not_found(lambda: self.client.users.get(user["id"])))
        if ok and user["alive"]:
            self.check(got is not None and got.employee_id == eid
                       and got.first_name == user["first_name"], f"get user {eid}")
        elif ok:
            self.check(got is None, f"deleted user {eid} still found")

    def list_users(self) -> None:
        limit = self.rng.choice([100, 400, 1000])
        ok, items = self.read(lambda: list(self.client.users.list(limit=limit)))
        if not ok or items is None:
            return
        mine = collections.Counter((u.employee_id, u.first_name) for u in items
                                   if str(u.employee_id).startswith(self.tag))
        want = collections.Counter((k, u["first_name"]) for k, u in self.users.items() if u["alive"])
        self.check(mine == want, f"users.list (limit {limit}): {len(items)} items, "
                                 f"{sum(mine.values())} of mine, want {sum(want.values())}")

    def find_course_by_external_id(self, xid: str) -> Any:
        return next(iter(self.client.content.list(external_id=xid, limit=1)), None)

    def create_course(self) -> None:
        xid = f"{self.tag}C{self.next()}"
        title = f"Course {self.n}"
        course = self.write(
            ("create", "content", xid),
            lambda: self.client.content.courses.create(external_id=xid, title=title, duration=1,
                                                       duration_type="Hours"),
            lambda: self.find_course_by_external_id(xid),
            lambda found: found is not None,
        )
        self.check(course.external_id == xid and course.title == title, f"created course {xid}")
        self.courses[xid] = {"id": course.id, "title": title, "alive": True, "used": False}

    def update_course(self) -> None:
        picked = self.pick(self.courses, lambda c: c["alive"])
        if picked is None:
            return self.create_course()
        xid, course = picked
        title = f"Course {self.next()}"
        self.write(
            ("update", "content", course["id"], "title", title),
            lambda: self.client.content.courses.update(course["id"], title=title),
            lambda: _not_found(lambda: self.client.content.get(course["id"])),
            lambda found: found is not None and found.title == title,
        )
        course["title"] = title

    def delete_course(self) -> None:
        # Only a course no completion names: the completions' checks look the course up.
        picked = self.pick(self.courses, lambda c: c["alive"] and not c["used"])
        if picked is None:
            return self.create_course()
        xid, course = picked
        self.write(
            ("delete", "content", course["id"]),
            lambda: self.client.content.courses.delete(course["id"]),
            lambda: _not_found(lambda: self.client.content.get(course["id"])),
            lambda found: found is None,
        )
        course["alive"] = False

    def get_course(self) -> None:
        picked = self.pick(self.courses, lambda c: True)
        if picked is None:
            return self.create_course()
        xid, course = picked
        ok, got = self.read(lambda: _not_found(lambda: self.client.content.get(course["id"])))
        if ok and course["alive"]:
            self.check(got is not None and got.title == course["title"], f"get course {xid}")
        elif ok:
            self.check(got is None, f"deleted course {xid} still found")

    def find_course(self) -> None:
        picked = self.pick(self.courses, lambda c: True)
        if picked is None:
            return self.create_course()
        xid, course = picked
        ok, got = self.read(lambda: self.find_course_by_external_id(xid))
        if ok and course["alive"]:
            self.check(got is not None and got.id == course["id"], f"find course {xid}")
        elif ok:
            self.check(got is None, f"deleted course {xid} still listed")

    def list_content(self) -> None:
        ok, items = self.read(lambda: list(self.client.content.list(limit=1000)))
        if not ok or items is None:
            return
        mine = collections.Counter((c.external_id, c.title) for c in items
                                   if str(c.external_id).startswith(self.tag))
        want = collections.Counter((k, c["title"]) for k, c in self.courses.items() if c["alive"])
        self.check(mine == want, f"content.list: {sum(mine.values())} of mine, want {sum(want.values())}")

    def find_completion(self, eid: str, at: str) -> Any:
        day = at[:10]
        for c in self.client.completions.list(start_date=day, end_date=day, limit=1000):
            if c.employee_id == eid and _second(c.completed_at) == at:
                return c
        return None

    def create_completion(self) -> None:
        user = self.pick(self.users, lambda u: u["alive"])
        course = self.pick(self.courses, lambda c: c["alive"])
        if user is None:
            return self.create_user()
        if course is None:
            return self.create_course()
        (eid, _), (xid, c) = user, course
        n = self.next()
        day = self.today - dt.timedelta(days=1 + n % DAYS)
        at = _second(dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=n))
        c["used"] = True
        done = self.write(
            ("create", "completions", eid, at),
            lambda: self.client.completions.create(
                user_id=eid, user_identifier_type="EmployeeId", content_id=xid,
                content_id_type="ExternalId", content_type="Course", completed_at=at),
            lambda: self.find_completion(eid, at),
            lambda found: found is not None,
        )
        self.check(_second(done.completed_at) == at, f"created completion {eid} {at}")
        self.completions[(eid, at)] = done.id

    def get_completion(self) -> None:
        if not self.completions:
            return self.create_completion()
        key = self.rng.choice(list(self.completions))
        ok, got = self.read(lambda: _not_found(lambda: self.client.completions.get(self.completions[key])))
        if ok:
            self.check(got is not None and (got.employee_id, _second(got.completed_at)) == key,
                       f"get completion {key}")

    def list_completions(self) -> None:
        last = self.today - dt.timedelta(days=1 + self.rng.randrange(DAYS))
        first = last - dt.timedelta(days=self.rng.randrange(7))
        ok, items = self.read(lambda: list(self.client.completions.list(
            start_date=first, end_date=last, limit=self.rng.choice([50, 1000]))))
        if not ok or items is None:
            return
        mine = collections.Counter((c.employee_id, _second(c.completed_at)) for c in items
                                   if str(c.employee_id).startswith(self.tag))
        want = collections.Counter(k for k in self.completions
                                   if first.isoformat() <= k[1][:10] <= last.isoformat())
        self.check(mine == want, f"completions.list {first}..{last}: {sum(mine.values())} of mine, "
                                 f"want {sum(want.values())}")


def _attributes(write: Dict[str, Any]) -> Dict[str, Any]:
    body = write.get("body")
    data = body.get("data") if isinstance(body, dict) else None
    attrs = data.get("attributes") if isinstance(data, dict) else None
    return attrs if isinstance(attrs, dict) else {}


def log_key(write: Dict[str, Any]) -> Tuple[Any, ...]:
    """The intent an entry of the sandbox's write log carries out (see `Worker.write`)."""
    kind, rid, attrs = write["resource_type"], write["resource_id"], _attributes(write)
    if write["method"] == "POST":
        key = {"users": attrs.get("employee-id"), "content": attrs.get("external-id")}
        if kind == "completions":
            return ("create", kind, attrs.get("user-id"), _second(attrs.get("completed-at")))
        return ("create", kind, key.get(kind))
    if write["method"] == "PATCH":
        field = "first-name" if kind == "users" else "title"
        return ("update", kind, rid, field, attrs.get(field))
    return ("delete", kind, rid)


def audit(log: List[Dict[str, Any]], intents: List[Tuple[Any, ...]], client_id: str) -> Dict[str, int]:
    """Lost and duplicated writes: the write log against the intents."""
    applied = collections.Counter(log_key(w) for w in log if w["client_id"] == client_id)
    wanted = set(intents)
    lost = sum(1 for i in wanted if applied[i] == 0)
    # A create applied twice is a duplicate; an update or delete sent again is harmless
    # (the SDK retries idempotent writes), but a write nobody intended is not.
    duplicated = sum(n - 1 for k, n in applied.items() if k in wanted and k[0] == "create" and n > 1)
    stray = sum(n for k, n in applied.items() if k not in wanted)
    repeats = sum(n - 1 for k, n in applied.items() if k in wanted and k[0] != "create" and n > 1)
    return {"lost": lost, "duplicated": duplicated + stray, "idempotent_repeats": repeats}


def fetch_log(base_url: str) -> List[Dict[str, Any]]:
    # An opener of its own: `urlopen` would cache a global one (and its proxy settings) for
    # the whole process, tests included.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base_url}/_sandbox/log", timeout=60) as r:
        writes: List[Dict[str, Any]] = json.load(r)["writes"]
        return writes


def soak(base_url: str, ops: int, workers: int = 4, seed: int = 1, client_id: str = CLIENT_ID,
         secret: str = SECRET) -> Dict[str, Any]:
    """Runs `ops` operations over `workers` threads sharing one client; returns the figures."""
    client = degreed.Client(client_id, secret, base_url=base_url)
    figures = Figures()
    intents: List[Tuple[Any, ...]] = []
    errors: List[BaseException] = []
    started = time.monotonic()

    def work(n: int) -> None:
        try:
            Worker(client, figures, intents, f"SK{seed}PY{n}-", seed * 1000 + n).run(
                ops // workers + (n < ops % workers))
        except BaseException as e:  # noqa: BLE001 - reported below, after every thread ended
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    if errors:
        raise errors[0]
    stats = client.stats
    result: Dict[str, Any] = {"host": "python", **figures.counts, "retries": stats.retries,
                              "429s": stats.rate_limited, "requests": stats.requests}
    result.update(audit(fetch_log(base_url), intents, client_id))
    result["seconds"] = round(seconds, 1)
    result["wrong"] = figures.wrong[:10]
    return result


def report(figures: Dict[str, Any]) -> str:
    keys = ("ops", "writes", "requests", "retries", "429s", "maybe_applied", "write_errors",
            "reconciled", "read_failures", "wrong_answers", "lost", "duplicated",
            "idempotent_repeats", "seconds")  # fmt: skip
    return f"{figures['host']}: " + ", ".join(f"{k} {figures[k]}" for k in keys)


def failed(figures: Dict[str, Any]) -> bool:
    return bool(figures["lost"] or figures["duplicated"] or figures["wrong_answers"])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures = soak(args.base_url, args.ops, args.workers, args.seed)
    print(report(figures), flush=True)
    for what in figures["wrong"]:
        print(f"  wrong answer: {what}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(figures) + "\n", encoding="utf-8")
    return 1 if failed(figures) else 0


if __name__ == "__main__":
    sys.exit(main())
