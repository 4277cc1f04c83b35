"""Bulk writes at the rate limit: how close the SDK's pacing gets to the server's limit
without being refused.

    .venv/bin/python bench/bulk_writes.py --sandbox target/release/degreed-sandbox --count 2000

Run by ``scripts/bench.sh`` (``--count`` is smaller with ``--quick``). The sandbox allows
``--limit`` requests per ``--window`` seconds per client (600 per 60 s by default) and says so
in its ``X-Rate-Limit-*`` headers; the SDK is told nothing else. Completions are created one
after another with ``degreed.Client``, then by ``degreed.AsyncClient`` with ``--writers``
concurrent writers, each run with a fresh client id (a fresh window). Throughput is
the creates per second over the limit's rate; a 429 is a request the pacing should have held
back. A benchmark, not a test: it prints figures and asserts only that every write landed.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from typing import Any, Dict, List, Tuple

SECRET = "sandbox-secret"
# One client id per run, so each run starts with a window of its own.
CLIENTS = ("bulk-setup", "bulk-sync", "bulk-async")


def start_sandbox(binary: str, limit: int, window: int) -> Tuple["subprocess.Popen[str]", str]:
    proc = subprocess.Popen(
        [binary, "--port", "0", "--users", "20", "--content", "10", "--completions", "0",
         "--rate-limit", str(limit), "--rate-window", str(window), "--quiet",
         *(arg for name in CLIENTS for arg in ("--client", f"{name}:{SECRET}:*"))],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.terminate()
        raise SystemExit(f"the sandbox did not start (first line: {url!r})")
    return proc, url


def targets(base: str) -> Tuple[str, str, str]:
    """A user id, a content id and its type to record completions against (read with rate limiting
    counted against a client id of their own)."""
    import degreed

    with degreed.Client("bulk-setup", SECRET, base_url=base) as c:
        user = next(iter(c.users.list(limit=1)))
        content = next(iter(c.content.list(limit=1)))
    assert user.id and content.id and content.content_type
    return user.id, content.id, content.content_type


def attrs(user_id: str, content_id: str, content_type: str, n: int) -> Dict[str, Any]:
    return {
        "user_id": user_id, "user_identifier_type": "UserId", "content_id": content_id,
        "content_id_type": "Id", "content_type": content_type, "completed_at": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00",
    }


def run_sync(base: str, count: int, ids: Tuple[str, str, str]) -> Dict[str, Any]:
    import degreed

    with degreed.Client("bulk-sync", SECRET, base_url=base, max_retries=8) as c:
        c.clear_token()
        start = time.perf_counter()
        for n in range(count):
            c.completions.create(**attrs(*ids, n))
        elapsed = time.perf_counter() - start
        return {"elapsed": elapsed, **c.stats._asdict()}


def run_async(base: str, count: int, ids: Tuple[str, str, str], writers: int) -> Dict[str, Any]:
    import degreed

    async def main() -> Dict[str, Any]:
        async with degreed.AsyncClient("bulk-async", SECRET, base_url=base, max_retries=8) as c:
            queue: "asyncio.Queue[int]" = asyncio.Queue()
            for n in range(count):
                queue.put_nowait(n)

            async def writer() -> None:
                while True:
                    try:
                        n = queue.get_nowait()
                    except asyncio.QueueEmpty:
                        return
                    await c.completions.create(**attrs(*ids, n))

            start = time.perf_counter()
            await asyncio.gather(*(writer() for _ in range(writers)))
            elapsed = time.perf_counter() - start
            return {"elapsed": elapsed, **c.stats._asdict()}

    return asyncio.run(main())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sandbox", default="target/release/degreed-sandbox")
    p.add_argument("--count", type=int, default=2000, help="completions per run")
    p.add_argument("--limit", type=int, default=600, help="requests per window")
    p.add_argument("--window", type=int, default=60, help="window in seconds")
    p.add_argument("--writers", type=int, default=16, help="concurrent writers of the async run")
    opts = p.parse_args()
    proc, base = start_sandbox(opts.sandbox, opts.limit, opts.window)
    try:
        ids = targets(base)
        rate = opts.limit / opts.window
        print(f"{opts.count} completions per run against a limit of {opts.limit} requests per "
              f"{opts.window} s ({rate:g}/s, at best {opts.count / rate:.0f} s per run); a fresh "
              "client id (and window) per run.\n")
        rows: List[List[str]] = []
        for label, fn in (
            ("degreed.Client, one writer", lambda: run_sync(base, opts.count, ids)),
            (f"degreed.AsyncClient, {opts.writers} writers",
             lambda: run_async(base, opts.count, ids, opts.writers)),
        ):
            r = fn()
            per_sec = opts.count / r["elapsed"]
            rows.append([label, f"{r['elapsed']:.1f} s", f"{per_sec:.2f}/s", f"{per_sec / rate:.1%}",
                         str(r["rate_limited"]), str(r["retries"]), str(r["requests"])])
            sys.stdout.flush()
        headers = ["run", "elapsed", "creates", "of the limit", "429s", "retries", "requests"]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                       for i, (c, w) in enumerate(zip(cells, widths)))
        print("\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]))
        print("\nof the limit: creates per second over the limit's rate (goal: at least 95 %, no 429s).")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
