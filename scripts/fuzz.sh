#!/usr/bin/env bash
# Coverage-guided fuzzing of the core with cargo-fuzz (libFuzzer): the response parsers
# (fuzz/fuzz_targets/responses.rs) and the Call state machine (fuzz/fuzz_targets/call.rs, the
# properties of core/tests/call_properties.rs on fuzzer-chosen answers). Not a test and not in
# scripts/test.sh or CI; the suite's proptests cover the same ground with fewer cases.
#
#   bash scripts/fuzz.sh                    # every target, 180 s each
#   bash scripts/fuzz.sh --time 600 call    # one target, 10 minutes
#
# Installs cargo-fuzz into $DEGREED_TOOLS (default .tools) once. cargo-fuzz passes nightly
# flags to rustc; a stable rustc takes them with RUSTC_BOOTSTRAP=1 (as scripts/build-wasm.sh
# does for the wasm std). fuzz/ is a workspace of its own (target, corpus and artifacts inside
# it, gitignored). Prints each target's executions; exits non-zero on a crash, whose input is
# kept in fuzz/artifacts/TARGET/ (replay: cargo fuzz run --fuzz-dir fuzz TARGET FILE).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

secs=180 targets=()
while (($#)); do
  case "$1" in
    --time) secs=$2; shift ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown argument: $1 (see --help)" ;;
    *) targets+=("$1") ;;
  esac
  shift
done
((${#targets[@]})) || targets=(responses call)

if [[ ! -x "$TOOLS/bin/cargo-fuzz" ]]; then
  log "installing cargo-fuzz into $TOOLS"
  cargo install --locked --root "$TOOLS" cargo-fuzz
fi
export PATH="$TOOLS/bin:$PATH" RUSTC_BOOTSTRAP=1

status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  out=$(mktemp)
  log "fuzzing $t for $secs s"
  # Safe Rust: no sanitizer needed to see panics, and the runs are several times faster.
  if cargo fuzz run --fuzz-dir fuzz --sanitizer none --release "$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$out" 2>&1; then
    result="0 crashes"
  else
    result="CRASHED (see fuzz/artifacts/$t/)"
    status=1
    tail -40 "$out" >&2
  fi
  runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$out")
  echo "$t: ${runs:-?} executions in $secs s, $result, corpus $(find "fuzz/corpus/$t" -type f | wc -l) inputs"
  rm -f "$out"
done
exit "$status"
