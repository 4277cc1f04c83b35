#!/usr/bin/env bash
# Benchmarks: figures side by side with the alternative a user would write, printed as tables.
# Not a test and not part of scripts/test.sh or CI; run it by hand after scripts/setup.sh.
#
#   bash scripts/bench.sh                 # everything: about 8 minutes, 6 of them bulk writes
#   bash scripts/bench.sh --quick         # fewer runs and samples, bulk writes in ~1 minute
#   bash scripts/bench.sh --python        # only the Python end-to-end part
#   bash scripts/bench.sh --node          # only the Node end-to-end part
#   bash scripts/bench.sh --rust          # only the Rust core part
#   bash scripts/bench.sh --bulk          # only the bulk writes
#   bash scripts/bench.sh --tls           # only the listing over TLS, with and without reuse
#   bash scripts/bench.sh --bulk-count N  # completions per bulk run (default 2000; quick 300)
#   bash scripts/bench.sh --no-callgrind  # skip the instruction counts (valgrind)
#   bash scripts/bench.sh --node --node-before DIR  # also an earlier npm build (a copy of
#                                         # its pkg/), interleaved: before/after in one run
#
# 1. Python, end to end over loopback: list 5000 users from the sandbox (rate limiting off)
#    with degreed.Client (urllib, httpx), degreed.AsyncClient, and hand-written loops on
#    urllib / httpx / httpx async; then the per-item CPU cost without a network.
# 2. Node, end to end over loopback: the same listing with the npm package's Client next to
#    a fetch + res.json() loop (the npm package is built first).
# 3. Rust core: parse, normalize and typed decode of 1000-item pages next to serde_json, and
#    the Call state machine per request; instructions per operation with callgrind when
#    valgrind is installed (timings on a shared machine wander; instruction counts do not).
# 4. Bulk writes at the rate limit: completions created by the Python clients (one writer,
#    then 16 async writers) against --rate-limit 600 --rate-window 60 (quick: 60 per 6 s);
#    throughput as a fraction of the limit, and 429s.
# 5. TLS: the same listing (50 pages of 100) from the sandbox started with --tls, with the
#    default Python transport keeping connections alive, and opening one per request.
# Each part prints the previous figures (bench/figures.json) beside the new ones.
# See bench/README.md for the figures and what they mean.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

quick=0 callgrind=1 bulk_count= node_before=()
only=()
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --python | --node | --rust | --bulk | --tls) only+=("${1#--}") ;;
    --bulk-count) bulk_count=$2; shift ;;
    --node-before) node_before=(--before "$(realpath "$2")"); shift ;;
    --no-callgrind) callgrind=0 ;;
    -h | --help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
python=1 node=1 rust=1 bulk=1 tls=1
if ((${#only[@]})); then
  python=0 node=0 rust=0 bulk=0 tls=0
  for part in "${only[@]}"; do printf -v "$part" 1; done
fi
command -v valgrind >/dev/null 2>&1 || callgrind=0
[[ -x "$VENV/bin/python" ]] || die "no .venv: run scripts/setup.sh first"

# Build first, so the timings below do not share the CPU with the compiler.
if ((python || bulk || tls)); then
  bash scripts/python-package.sh
fi
if ((python || node || bulk || tls)); then
  cargo build -q --release -p degreed-sandbox
fi
if ((node)); then
  # The npm package as the checkout has it (wasm and JS): a stale or half-built pkg/ would
  # measure other code, or fail to import (build-wasm.sh alone writes no JS entry points).
  (cd "$WASM_DIR" && npm run -s build)
fi
((rust)) && cargo build -q --release -p degreed --example bench_parse

start=$SECONDS
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576; exit }' /proc/meminfo 2>/dev/null || true)
echo "== machine"
echo "CPU: ${cpu:-unknown} x $(nproc) (nproc); memory ${mem:-unknown}; $(uname -sr)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (other work on the machine skews timings)"
echo "$(rustc --version); $("$VENV/bin/python" -V 2>&1)"

runs=5 runs_node=15
((quick)) && runs=3 runs_node=3
if ((python)); then
  echo
  echo "== 1. Python: list every user, end to end over loopback"
  # Streaming peak RSS must stay flat from 10k to 100k users (the sandbox seeds 100k in seconds).
  sizes=10000,100000
  ((quick)) && sizes=10000,20000
  "$VENV/bin/python" bench/python_bench.py --sandbox target/release/degreed-sandbox \
    --users 5000 --runs "$runs" --stream-sizes "$sizes"
fi

if ((node)); then
  echo
  echo "== 2. Node: list every user, end to end over loopback"
  node --expose-gc bench/node_bench.mjs --sandbox target/release/degreed-sandbox \
    --users 5000 --runs "$runs_node" "${node_before[@]}"
  echo
  echo "== 2b. Chromium: main-thread long tasks while listing"
  if [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
    node bench/browser_longtask.mjs --sandbox target/release/degreed-sandbox --users 5000
  else
    echo "(skipped: no Chromium; scripts/setup.sh installs it)"
  fi
fi

if ((rust)); then
  args=()
  ((quick)) && args+=(--quick)
  ((callgrind)) && args+=(--callgrind)
  echo
  echo "== 3. Rust core: pages and requests without a network"
  ((callgrind)) || echo "(no instruction counts: valgrind is not installed or --no-callgrind)"
  cargo run -q --release -p degreed --example bench_parse -- "${args[@]}"
fi

if ((bulk)); then
  echo
  echo "== 4. Bulk writes at the rate limit (Python clients)"
  if ((quick)); then
    "$VENV/bin/python" bench/bulk_writes.py --sandbox target/release/degreed-sandbox \
      --limit 60 --window 6 --count "${bulk_count:-300}"
  else
    "$VENV/bin/python" bench/bulk_writes.py --sandbox target/release/degreed-sandbox \
      --limit 600 --window 60 --count "${bulk_count:-2000}"
  fi
fi

if ((tls)); then
  echo
  echo "== 5. Python over TLS: connections kept alive, or one per request"
  "$VENV/bin/python" bench/tls_reuse.py --sandbox target/release/degreed-sandbox --runs "$runs"
fi

echo
echo "(benchmarks took $((SECONDS - start)) s, builds excluded)"
