#!/usr/bin/env bash
# Benchmarks: figures side by side with the alternative a user would write, printed as tables.
# Not a test and not part of scripts/test.sh or CI; run it by hand after scripts/setup.sh.
#
#   bash scripts/bench.sh                 # everything, about a minute on 2 cores
#   bash scripts/bench.sh --quick         # fewer runs and samples
#   bash scripts/bench.sh --python        # only the Python end-to-end part
#   bash scripts/bench.sh --rust          # only the Rust core part
#   bash scripts/bench.sh --no-callgrind  # skip the instruction counts (valgrind)
#
# 1. Python, end to end over loopback: list 5000 users from the sandbox (rate limiting off)
#    with degreed.Client (urllib, httpx), degreed.AsyncClient, and hand-written loops on
#    urllib / httpx / httpx async; then the per-item CPU cost without a network.
# 2. Rust core: parse, normalize and typed decode of 1000-item pages next to serde_json, and
#    the Call state machine per request; instructions per operation with callgrind when
#    valgrind is installed (timings on a shared machine wander; instruction counts do not).
# See bench/README.md for the figures and what they mean.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

quick=0 python=1 rust=1 callgrind=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --python) rust=0 ;;
    --rust) python=0 ;;
    --no-callgrind) callgrind=0 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (see --help)" ;;
  esac
done
command -v valgrind >/dev/null 2>&1 || callgrind=0
[[ -x "$VENV/bin/python" ]] || die "no .venv: run scripts/setup.sh first"

# Build first, so the timings below do not share the CPU with the compiler.
if ((python)); then
  bash scripts/python-package.sh
  cargo build -q --release -p degreed-sandbox
fi
((rust)) && cargo build -q --release -p degreed --example bench_parse

start=$SECONDS
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576; exit }' /proc/meminfo 2>/dev/null || true)
echo "== machine"
echo "CPU: ${cpu:-unknown} x $(nproc) (nproc); memory ${mem:-unknown}; $(uname -sr)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (other work on the machine skews timings)"
echo "$(rustc --version); $("$VENV/bin/python" -V 2>&1)"

if ((python)); then
  runs=5
  ((quick)) && runs=3
  echo
  echo "== 1. Python: list every user, end to end over loopback"
  "$VENV/bin/python" bench/python_bench.py --sandbox target/release/degreed-sandbox \
    --users 5000 --runs "$runs"
fi

if ((rust)); then
  args=()
  ((quick)) && args+=(--quick)
  ((callgrind)) && args+=(--callgrind)
  echo
  echo "== 2. Rust core: pages and requests without a network"
  ((callgrind)) || echo "(no instruction counts: valgrind is not installed or --no-callgrind)"
  cargo run -q --release -p degreed --example bench_parse -- "${args[@]}"
fi

echo
echo "(benchmarks took $((SECONDS - start)) s, builds excluded)"
