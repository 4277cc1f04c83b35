"""Listing over TLS with and without connection reuse (issue 11).

Starts the sandbox with ``--tls`` (a certificate made at start; its CA written to a temporary
file passed as ``ca_bundle``), then lists every user page by page with the default
transport keeping connections alive, and with one that opens a connection (and does a TLS
handshake) per request. Prints the median time of a listing and the connections opened.

    .venv/bin/python bench/tls_reuse.py --sandbox target/release/degreed-sandbox
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

import degreed
from degreed import transports


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sandbox", required=True, help="the degreed-sandbox binary")
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--limit", type=int, default=100, help="items per page (pages = users / limit)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        ca = str(Path(tmp) / "sandbox-ca.pem")
        proc = subprocess.Popen(
            [args.sandbox, "--port", "0", "--quiet", "--rate-limit", "0", "--users", str(args.users), "--tls", ca],
            stdout=subprocess.PIPE,
        )
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().decode().strip()
            assert url.startswith("https://"), url
            results = {name: run(url, ca, args, keep) for name, keep in (("reused", 4), ("new per request", 0))}
        finally:
            proc.terminate()
            proc.wait()

    pages = -(-args.users // args.limit)
    print(f"{args.users} users in {pages} pages of {args.limit} over TLS (loopback), median of {args.runs} runs")
    print(f"{'connections':<18}{'listing':>12}{'per request':>14}{'connections':>14}")
    for name, r in results.items():
        print(f"{name:<18}{r['median'] * 1000:>9.1f} ms{r['median'] / pages * 1000:>11.2f} ms{r['connects']:>14.0f}")
    reused, fresh = results["reused"]["median"], results["new per request"]["median"]
    print(f"reuse saves {(fresh - reused) / pages * 1000:.2f} ms per request ({fresh / reused:.2f}x)")


def run(url: str, ca: str, args: Any, max_idle: int) -> Dict[str, float]:
    connects = [0]
    original = transports._HTTPSConnection.connect

    def counting(self: Any) -> None:
        connects[0] += 1
        original(self)

    transports._HTTPSConnection.connect = counting  # type: ignore[method-assign]
    try:
        client = degreed.Client(
            "sandbox",
            "sandbox-secret",
            base_url=url,
            transport=degreed.UrllibTransport(ca_bundle=ca, max_idle=max_idle),
        )
        next(iter(client.users.list(limit=1)))  # the token, and a warm connection
        times: List[float] = []
        connects[0] = 0
        for _ in range(args.runs):
            started = time.perf_counter()
            n = sum(1 for _ in client.users.list(limit=args.limit))
            times.append(time.perf_counter() - started)
            assert n == args.users, n
        client.close()
    finally:
        transports._HTTPSConnection.connect = original  # type: ignore[method-assign]
    return {"median": statistics.median(times), "connects": connects[0] / args.runs}


if __name__ == "__main__":
    main()
