#!/usr/bin/env bash
# Soak: mixed operations (creates, updates, deletes, completions, gets, list walks) through the
# Python client and through the npm package, at once, against one sandbox that injects faults
# on reads and writes. Every write that fails is reconciled (look it up, send again only if it
# did not land); at the end each host's intended writes are compared with the sandbox's write
# log. Prints the figures per host; exits non-zero if a write was lost or duplicated, or a read
# answered wrongly. Not a test and not in scripts/test.sh or CI (short runs are in the suites:
# bindings-python/tests/test_soak.py, bindings-wasm/test/soak.test.mjs).
#
#   bash scripts/soak.sh                 # 10,000 operations per host (about 15 minutes)
#   bash scripts/soak.sh --ops 500       # a shorter run
#   bash scripts/soak.sh --python        # one host only (--js: the other)
#   bash scripts/soak.sh --workers 8     # concurrent workers per host, one client (default 4)
#   bash scripts/soak.sh --faults SPEC   # default 500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01
#
# The sandbox's rate limit is off: the 429s come from the fault spec (each with Retry-After: 1,
# which pauses every call of the client, so the run takes minutes, not seconds).
# See tests/README.md ("Soak") for the figures of a full run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ops=10000 workers=4 faults="500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01"
python=1 js=1
while (($#)); do
  case "$1" in
    --ops) ops=$2; shift ;;
    --workers) workers=$2; shift ;;
    --faults) faults=$2; shift ;;
    --python) js=0 ;;
    --js) python=0 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
[[ -x "$VENV/bin/python" ]] || die "no .venv: run scripts/setup.sh first"
if ((python)); then bash scripts/python-package.sh; fi
if ((js)) && [[ ! -f "$WASM_DIR/pkg/degreed_wasm_bg.wasm" ]]; then (cd "$WASM_DIR" && npm run -s build); fi

# One sandbox for both hosts, a client id each (the drivers' throwaway secret): the write log
# tells their writes apart by client id.
source scripts/sandbox.sh --quiet --rate-limit 0 --faults "$faults" \
  --client 'soak-python:soak-secret:*' --client 'soak-js:soak-secret:*'
log "$ops operations per host, $workers workers each, faults $faults"

out=$(mktemp -d)
pids=()
if ((python)); then
  "$VENV/bin/python" tests/soak/soak.py --base-url "$SANDBOX_URL" --ops "$ops" --workers "$workers" \
    >"$out/python.txt" 2>&1 &
  pids+=($!)
fi
if ((js)); then
  node tests/soak/soak.mjs --base-url "$SANDBOX_URL" --ops "$ops" --workers "$workers" \
    >"$out/js.txt" 2>&1 &
  pids+=($!)
fi
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
cat "$out"/*.txt
"$VENV/bin/python" - "$SANDBOX_URL" <<'EOF'
import json, sys, urllib.request
stats = json.load(urllib.request.urlopen(f"{sys.argv[1]}/_sandbox/stats"))
print(f"sandbox: api requests {stats['api_requests']}, faults injected {stats['faults_injected']} "
      f"{json.dumps(stats['faults'], sort_keys=True)}, writes applied {stats['writes']}")
EOF
rm -rf "$out"
((status == 0)) || die "lost or duplicated writes, wrong answers, or a driver failed (see above)"
