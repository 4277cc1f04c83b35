"""End-to-end benchmark of the Python package against the sandbox, side by side with the
loop a user would write by hand.

    .venv/bin/python bench/python_bench.py --sandbox target/release/degreed-sandbox

Run by ``scripts/bench.sh``. The parent process starts the sandbox (rate limiting off) and
runs each variant in a fresh subprocess, so every variant starts from the same interpreter
state and its memory figures are its own; the times compared are taken in one subprocess per
HTTP stack that alternates the SDK and the hand loop listing by listing, so both meet the same
sandbox and machine load. A benchmark, not a test: it prints figures and asserts only that
every variant listed every user.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Tuple

CLIENT_ID = "sandbox"
CLIENT_SECRET = "sandbox-secret"
PAGE = 1000

# name -> (label, needs httpx)
VARIANTS: Dict[str, Tuple[str, bool]] = {
    "sdk-urllib": ("degreed.Client (urllib, default)", False),
    "sdk-httpx": ("degreed.Client + HttpxTransport", True),
    "sdk-async": ("degreed.AsyncClient (httpx.AsyncClient)", True),
    "hand-urllib": ("by hand: urllib.request + json", False),
    "hand-httpx": ("by hand: httpx.Client", True),
    "hand-async": ("by hand: httpx.AsyncClient", True),
}


def have_httpx() -> bool:
    try:
        import httpx  # noqa: F401
    except ImportError:
        return False
    return True


def max_rss_kib() -> int:
    """Peak resident set size of this process, in KiB. On Linux, ``ru_maxrss`` keeps the
    high-water mark of the process that forked us across ``exec`` (here: the parent, with
    the recording loaded), so the kernel's per-image ``VmHWM`` is read instead."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


# ---------------------------------------------------------------------------------------
# The hand-written alternatives: token fetched once per listing, links.next followed, no
# retries, no pacing, items kept as the dicts json.loads made.

def token_form() -> bytes:
    return urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
         "scope": "users:read"}
    ).encode()


def hand_urllib(base: str) -> List[Dict[str, Any]]:
    req = urllib.request.Request(base + "/oauth/token", data=token_form())
    with urllib.request.urlopen(req, timeout=30) as r:
        token = json.load(r)["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    url: Optional[str] = f"{base}/api/v2/users?limit={PAGE}"
    users: List[Dict[str, Any]] = []
    while url:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            page = json.load(r)
        users.extend(page["data"])
        url = (page.get("links") or {}).get("next")
    return users


def hand_httpx(client: Any, base: str) -> List[Dict[str, Any]]:
    r = client.post(base + "/oauth/token", content=token_form(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    token = r.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    url: Optional[str] = f"{base}/api/v2/users?limit={PAGE}"
    users: List[Dict[str, Any]] = []
    while url:
        page = client.get(url, headers=headers).json()
        users.extend(page["data"])
        url = (page.get("links") or {}).get("next")
    return users


async def hand_async(client: Any, base: str) -> List[Dict[str, Any]]:
    r = await client.post(base + "/oauth/token", content=token_form(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    token = r.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    url: Optional[str] = f"{base}/api/v2/users?limit={PAGE}"
    users: List[Dict[str, Any]] = []
    while url:
        page = (await client.get(url, headers=headers)).json()
        users.extend(page["data"])
        url = (page.get("links") or {}).get("next")
    return users


# ---------------------------------------------------------------------------------------
# Worker: one variant, in its own process

def worker(variant: str, base: str, runs: int, expect: int) -> Dict[str, Any]:
    t0 = time.perf_counter()
    listing, closer, is_async = make_listing(variant, base)
    setup = time.perf_counter() - t0
    rss_start = max_rss_kib()  # after imports and setup

    async def arun_all() -> Dict[str, Any]:
        return await measure_async(listing, closer, runs, expect)

    result = asyncio.run(arun_all()) if is_async else measure_sync(listing, closer, runs, expect)
    result.update(variant=variant, setup=setup, rss_start=rss_start)
    return result


def make_listing(variant: str, base: str) -> Tuple[Any, Any, bool]:
    """The listing of one variant (a function, or a coroutine function when async), what
    closes its client, and whether it is async."""
    listing: Callable[[], Any]
    closer: Callable[[], None] = lambda: None
    is_async = variant in ("sdk-async", "hand-async")
    if variant in ("sdk-urllib", "sdk-httpx"):
        import degreed

        transport = degreed.HttpxTransport() if variant == "sdk-httpx" else None
        client = degreed.Client(CLIENT_ID, CLIENT_SECRET, base_url=base, transport=transport)

        def listing() -> Any:
            client.clear_token()  # every listing fetches its token, as the hand loop does
            return list(client.users.list(limit=PAGE))

        closer = client.close
    elif variant == "sdk-async":
        import degreed

        aclient = degreed.AsyncClient(CLIENT_ID, CLIENT_SECRET, base_url=base)

        async def listing() -> Any:
            aclient.clear_token()
            return [u async for u in aclient.users.list(limit=PAGE)]

        closer = aclient.aclose  # type: ignore[assignment]
    elif variant == "hand-urllib":
        def listing() -> Any:
            return hand_urllib(base)
    elif variant == "hand-httpx":
        import httpx

        hclient = httpx.Client()

        def listing() -> Any:
            return hand_httpx(hclient, base)

        closer = hclient.close
    elif variant == "hand-async":
        import httpx

        haclient = httpx.AsyncClient()

        async def listing() -> Any:
            return await hand_async(haclient, base)

        closer = haclient.aclose  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown variant {variant}")
    return listing, closer, is_async


def pair_worker(stack: str, base: str, rounds: int, expect: int) -> Dict[str, Any]:
    """The SDK and the hand loop on one HTTP stack in one process, alternated listing by
    listing (the order swapped every round): both meet the same sandbox, machine load and
    moment, which separate processes run one after the other do not."""
    pair = [make_listing(f"{side}-{stack}", base) for side in ("sdk", "hand")]
    times: List[List[float]] = [[], []]

    async def one(i: int) -> None:
        listing, _, is_async = pair[i]
        gc.collect()
        t = time.perf_counter()
        items = await listing() if is_async else listing()
        times[i].append(time.perf_counter() - t)
        check(items, expect)

    async def run_all() -> None:
        for i in (0, 1):
            await one(i)  # warm-up: connections, caches, lazy imports
        times[0].clear()
        times[1].clear()
        for r in range(rounds):
            for i in ((0, 1) if r % 2 == 0 else (1, 0)):
                await one(i)
        for _, closer, is_async in pair:
            if is_async:
                await closer()
            else:
                closer()

    asyncio.run(run_all())
    return {"stack": stack, "sdk": times[0], "hand": times[1]}


def measure_sync(listing: Callable[[], Any], closer: Callable[[], None], runs: int, expect: int) -> Dict[str, Any]:
    check(listing(), expect)  # warm-up: connections, caches, lazy imports
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        items = listing()
        times.append(time.perf_counter() - t)
        check(items, expect)
        del items
    rss_peak = max_rss_kib()
    gc.collect()
    tracemalloc.start()
    items = listing()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del items
    closer()
    return {"times": times, "rss_peak": rss_peak, "py_peak": peak}


async def measure_async(listing: Any, closer: Any, runs: int, expect: int) -> Dict[str, Any]:
    check(await listing(), expect)
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        items = await listing()
        times.append(time.perf_counter() - t)
        check(items, expect)
        del items
    rss_peak = max_rss_kib()
    gc.collect()
    tracemalloc.start()
    items = await listing()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del items
    await closer()
    return {"times": times, "rss_peak": rss_peak, "py_peak": peak}


def check(items: Any, expect: int) -> None:
    if len(items) != expect:
        raise SystemExit(f"listed {len(items)} users, expected {expect}")


# ---------------------------------------------------------------------------------------
# Worker: the CPU cost of items, without a network (recorded pages replayed from memory)

def models_worker(recording: str, runs: int) -> Dict[str, Any]:
    import degreed

    with open(recording, encoding="utf-8") as f:
        rec = json.load(f)
    base: str = rec["base"]
    bodies = {k: v.encode("utf-8") for k, v in rec["pages"].items()}
    token = rec["token"].encode("utf-8")
    json_headers = [("content-type", "application/json; charset=utf-8")]

    def replay(method: str, url: str, headers: Any, body: bytes, timeout: float) -> Any:
        parts = urllib.parse.urlsplit(url)
        if parts.path == "/oauth/token":
            return 200, json_headers, token
        return 200, json_headers, bodies[parts.path + "?" + parts.query]

    sdk = degreed.Client(CLIENT_ID, CLIENT_SECRET, base_url=base, transport=replay)

    def sdk_listing() -> Any:
        sdk.clear_token()
        return list(sdk.users.list(limit=PAGE))

    def hand_listing() -> Any:
        url: Optional[str] = f"{base}/api/v2/users?limit={PAGE}"
        users: List[Any] = []
        while url:
            parts = urllib.parse.urlsplit(url)
            page = json.loads(bodies[parts.path + "?" + parts.query])
            users.extend(page["data"])
            url = (page.get("links") or {}).get("next")
        return users

    out: Dict[str, Any] = {"bytes": sum(len(b) for b in bodies.values()), "cases": []}
    # CPU time of this process (time.process_time), the two listings interleaved run by run:
    # on a machine shared with other work, wall time counts the time the process waits for
    # a core, which swamps a difference of a few percent.
    listings = (("hand", hand_listing), ("sdk", sdk_listing))
    times: Dict[str, List[float]] = {key: [] for key, _ in listings}
    for key, fn in listings:
        items = fn()
        out["items"] = len(items)
        del items
    for _ in range(max(runs, 5) * 3):
        for key, fn in listings:
            gc.collect()
            t = time.process_time()
            result = fn()
            times[key].append(time.process_time() - t)
            del result
    for key, fn in listings:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        result = fn()
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        del result
        out["cases"].append({"key": key, "times": times[key], "held": held})
    try:
        out["breakdown"] = breakdown(sdk, replay, max(runs, 5))
    except (ImportError, AttributeError, TypeError, ValueError) as e:  # the package's internals moved
        out["breakdown_error"] = f"{type(e).__name__}: {e}"
    return out


def breakdown(sdk: Any, replay: Any, runs: int) -> Dict[str, float]:
    """The SDK's listing with each native step timed: the same steps as
    ``degreed.client._Walk._fetch`` and ``degreed._driver.run`` (private API: the breakdown is
    skipped if they change)."""
    import random

    from degreed.client import _list_spec
    from degreed.models import User, view_table, views_of

    parts: Dict[str, List[float]] = {k: [] for k in ("receive", "done", "on_reply", "build", "total")}
    for i in range(runs + 1):
        sdk.clear_token()
        t = dict.fromkeys(parts, 0.0)
        gc.collect()
        start = time.process_time()
        pager = sdk._session.pager(_list_spec("users.list", [], PAGE, None, None, None, None), None, view_table(User))
        users: List[Any] = []
        call = pager.next_call()
        while call is not None:
            while True:
                a = time.process_time()
                step = call.poll(time.time(), random.random())
                if step[0] == "done":
                    t["done"] += time.process_time() - a
                    break
                request = step[1]
                status, rheaders, rbody = replay(request.method, request.url, request.headers(), request.body(), 30.0)
                a = time.process_time()
                call.receive(status, rheaders, rbody, time.time())
                t["receive"] += time.process_time() - a
            a = time.process_time()
            items = pager.on_reply(call)
            t["on_reply"] += time.process_time() - a
            a = time.process_time()
            users.extend(items if pager.viewed else views_of(User, items) or ())
            t["build"] += time.process_time() - a
            call = pager.next_call()
        t["total"] = time.process_time() - start
        del users
        if i:  # the first run warms up
            for k, v in t.items():
                parts[k].append(v)
    return {k: statistics.median(v) for k, v in parts.items()}


# ---------------------------------------------------------------------------------------
# Worker: streaming, nothing kept (peak RSS must not grow with the number of users)

def stream_worker(base: str, expect: int) -> Dict[str, Any]:
    import degreed

    client = degreed.Client(CLIENT_ID, CLIENT_SECRET, base_url=base)
    rss_start = max_rss_kib()
    t = time.perf_counter()
    n = 0
    for user in client.users.list(limit=PAGE):
        n += user.employee_id is not None  # read a field, as a job would
    elapsed = time.perf_counter() - t
    if n != expect:
        raise SystemExit(f"streamed {n} users, expected {expect}")
    return {"elapsed": elapsed, "rss_start": rss_start, "rss_peak": max_rss_kib()}


def streaming(sandbox: str, sizes: List[int]) -> None:
    rows = []
    for size in sizes:
        t = time.perf_counter()
        proc, base = start_sandbox(sandbox, size)
        seeded = time.perf_counter() - t
        sandbox_rss = proc_hwm_kib(proc.pid)
        try:
            r = run_child(["--stream", base, "--expect", str(size)])
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        rows.append([f"{size:,} users", f"{r['elapsed']:.2f} s", f"{size / r['elapsed']:,.0f}",
                     mib(r["rss_start"] * 1024), mib(r["rss_peak"] * 1024), f"{seeded:.1f} s",
                     mib(sandbox_rss * 1024) if sandbox_rss else "-"])
    note("Streaming with degreed.Client (for user in client.users.list(limit=1000), one field read, "
         "nothing kept), each size against its own sandbox, in a fresh process:")
    print(table(["listing", "elapsed", "items/s", "RSS at start", "RSS peak", "sandbox seeded",
                 "sandbox RSS"], rows))
    note("sandbox seeded: from starting the sandbox to its first line (seeding its data); sandbox "
         "RSS: its peak resident set (VmHWM) once seeded, before the listing.")


def proc_hwm_kib(pid: int) -> Optional[int]:
    """Peak resident set of another process (VmHWM), in KiB; None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# ---------------------------------------------------------------------------------------
# Parent: sandbox, recording, subprocesses, tables

def start_sandbox(binary: str, users: int) -> Tuple["subprocess.Popen[str]", str]:
    proc = subprocess.Popen(
        [binary, "--port", "0", "--users", str(users), "--content", "10", "--completions", "10",
         "--rate-limit", "0", "--quiet"],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.terminate()
        raise SystemExit(f"the sandbox did not start (first line: {url!r})")
    return proc, url


def record(base: str, path: str) -> int:
    req = urllib.request.Request(base + "/oauth/token", data=token_form())
    with urllib.request.urlopen(req) as r:
        token_body = r.read().decode()
    token = json.loads(token_body)["access_token"]
    pages: Dict[str, str] = {}
    url: Optional[str] = f"{base}/api/v2/users?limit={PAGE}"
    count = 0
    while url:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})) as r:
            text = r.read().decode()
        parts = urllib.parse.urlsplit(url)
        pages[parts.path + "?" + parts.query] = text
        page = json.loads(text)
        count += len(page["data"])
        url = (page.get("links") or {}).get("next")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"base": base, "token": token_body, "pages": pages}, f)
    return count


def run_child(args: List[str]) -> Dict[str, Any]:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), *args],
                         stdout=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"worker {args} failed with status {out.returncode}")
    result: Dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def previous(host: str) -> Optional[Dict[str, Any]]:
    """The figures last recorded for ``host`` (bench/figures.json), if any."""
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "figures.json"), encoding="utf-8") as f:
            found: Optional[Dict[str, Any]] = json.load(f).get(host)
            return found
    except (OSError, ValueError):
        return None


def note(text: str) -> None:
    print(textwrap.fill(text, width=100))


def mib(n_bytes: float) -> str:
    return f"{n_bytes / 1048576:.1f} MiB"


def table(headers: List[str], rows: List[List[str]], left: int = 1) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    def fmt(cells: List[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([fmt(headers), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def parent(opts: argparse.Namespace) -> None:
    proc, base = start_sandbox(opts.sandbox, opts.users)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            recording = os.path.join(tmp, "pages.json")
            count = record(base, recording)
            if count != opts.users:
                raise SystemExit(f"the sandbox listed {count} users, expected {opts.users}")
            import platform
            httpx_version = "absent"
            if have_httpx():
                import httpx
                httpx_version = httpx.__version__
            import degreed
            note(f"Python {platform.python_version()}, degreed {degreed.__version__}, httpx "
                 f"{httpx_version}; sandbox with {opts.users} users, rate limiting off. Listing "
                 f"every user: a token and {count // PAGE} pages of {PAGE} over loopback, all items "
                 f"kept in a list. Times: each SDK variant alternated with its hand loop in one "
                 f"process; memory and setup: each variant alone in a fresh process ({opts.runs} "
                 "runs after one warm-up).")
            print()

            results = []
            for name, (label, needs_httpx) in VARIANTS.items():
                if needs_httpx and httpx_version == "absent":
                    print(f"(skipped: {label}: httpx is not installed)")
                    continue
                r = run_child(["--worker", name, "--url", base, "--runs", str(opts.runs), "--expect", str(count)])
                r["label"] = label
                results.append(r)
            ref = {r["variant"]: statistics.median(r["times"]) for r in results}
            # Time: each SDK variant alternated with its hand loop in one process.
            rounds = max(opts.runs, 5) * 2 + 1
            paired: Dict[str, List[float]] = {}
            for stack in ("urllib", "httpx", "async"):
                if f"sdk-{stack}" not in ref:
                    continue
                pr = run_child(["--pair", stack, "--url", base, "--runs", str(rounds), "--expect", str(count)])
                paired[f"sdk-{stack}"], paired[f"hand-{stack}"] = pr["sdk"], pr["hand"]
            pmed = {k: statistics.median(v) for k, v in paired.items()}
            rows = []
            for r in results:
                v = r["variant"]
                med = statistics.median(r["times"])
                twin = v.replace("sdk-", "hand-") if v.startswith("sdk-") else None
                vs = f"{med / ref[twin]:.2f}x" if twin in ref else "-"
                pvs = f"{pmed[v] / pmed[twin]:.2f}x" if twin in pmed and v in pmed else "-"
                rows.append([
                    r["label"], f"{pmed[v] * 1000:.0f} ms" if v in pmed else "-",
                    f"{min(paired[v]) * 1000:.0f} ms" if v in paired else "-",
                    f"{count / pmed[v]:,.0f}" if v in pmed else "-", pvs,
                    f"{med * 1000:.0f} ms", vs, f"{r['setup'] * 1000:.1f} ms", mib(r["py_peak"]),
                    mib(r["rss_start"] * 1024), mib(r["rss_peak"] * 1024),
                ])
            print(table(["variant", "median", "best", "items/s", "vs by hand", "own process",
                         "vs by hand", "setup", "tracemalloc peak", "RSS at start", "RSS peak"], rows))
            prev = previous("python")
            if prev:
                print(f"previous ({prev['date']}, bench/figures.json): degreed.Client {prev['sdk_ms']} ms, by hand "
                      f"{prev['hand_ms']} ms: {prev['ratio']:.2f}x; memory held {prev['memory_ratio']:.2f}x the dicts")
            print()
            note(f"median, best, items/s, vs by hand: {rounds} listings of each, the SDK variant and "
                 "the hand-written loop on the same HTTP stack (urllib/urllib, httpx/httpx, "
                 "async/async) alternated in one process, the order swapped each round; vs by hand "
                 "is the ratio of their medians. own process: each variant alone in a fresh process "
                 f"(median of {opts.runs}; the variants run one after the other, so a sandbox or "
                 "machine that drifts during the run favours those that come later: the hand "
                 "loops); it also gives the memory columns. setup: constructing the client, "
                 "not in the timed runs. tracemalloc peak: Python allocations during one listing "
                 "(the core's Rust buffers are not traced). RSS: peak resident set size of the "
                 "process (VmHWM; ru_maxrss where there is no /proc) after imports and setup, and "
                 "after all runs.")
            print()

            m = run_child(["--models", recording, "--runs", str(opts.runs)])
            n = m["items"]
            med = {c["key"]: statistics.median(c["times"]) for c in m["cases"]}
            held = {c["key"]: c["held"] for c in m["cases"]}
            hand, sdk = med["hand"], med["sdk"]

            def row(label: str, secs: float, mem: str = "") -> List[str]:
                return [label, f"{secs * 1000:.1f} ms", f"{secs / n * 1e6:.2f} µs", f"{secs / hand:.2f}x", mem]

            rows = [
                row("by hand: json.loads each page, follow links.next -> dicts", hand, mib(held["hand"])),
                row("degreed.Client, in-memory transport -> User models", sdk, mib(held["sdk"])),
            ]
            b = m.get("breakdown")
            if b:
                rest = b["total"] - b["receive"] - b["done"] - b["on_reply"] - b["build"]
                rows += [
                    row("  of which Call.receive: page checked, built, models made (Rust)", b["receive"]),
                    row("  of which Call.poll -> done", b["done"]),
                    row("  of which Pager.on_reply: page rules", b["on_reply"]),
                    row("  of which models made in Python (none when the page builder made them)", b["build"]),
                    row("  of which the rest: driver loop, transport, token", rest),
                ]
            note(f"Materializing {n} users without a network ({m['bytes'] / 1048576:.1f} MiB of JSON "
                 f"in {count // PAGE} pages recorded from the sandbox, replayed from memory by the "
                 f"transport); CPU time of the process, median of {max(opts.runs, 5) * 3} runs, "
                 f"the two listings interleaved")
            print(table(["case", "total", "per item", "vs by hand", "memory held"], rows))
            if not b:
                print(f"(no breakdown: {m.get('breakdown_error')})")
            print()
            print(f"memory held by the models: {held['sdk'] / held['hand']:.2f}x the dicts")
            note(f"SDK cost over the hand loop, network excluded: {(sdk - hand) / n * 1e6:.1f} µs per "
                 f"user ({(sdk - hand) * 1000:.0f} ms per {n} users). memory held: Python memory the "
                 "list of results keeps alive (tracemalloc). The 'of which' rows time the same native "
                 "steps in a copy of the SDK's loop"
                 + (f" (its runs total {b['total'] * 1000:.0f} ms)." if b else "."))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sandbox", default="target/release/degreed-sandbox", help="the sandbox binary")
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--pair", help=argparse.SUPPRESS)
    p.add_argument("--models", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    p.add_argument("--expect", type=int, help=argparse.SUPPRESS)
    p.add_argument("--stream", help=argparse.SUPPRESS)
    p.add_argument("--stream-sizes", default="10000,100000",
                   help="user counts of the streaming runs (comma-separated; empty: none)")
    opts = p.parse_args()
    if opts.stream:
        print(json.dumps(stream_worker(opts.stream, opts.expect)))
    elif opts.pair:
        print(json.dumps(pair_worker(opts.pair, opts.url, opts.runs, opts.expect)))
    elif opts.worker:
        print(json.dumps(worker(opts.worker, opts.url, opts.runs, opts.expect)))
    elif opts.models:
        print(json.dumps(models_worker(opts.models, opts.runs)))
    else:
        parent(opts)
        sizes = [int(x) for x in opts.stream_sizes.split(",") if x.strip()]
        if sizes:
            print()
            streaming(opts.sandbox, sizes)


if __name__ == "__main__":
    main()
