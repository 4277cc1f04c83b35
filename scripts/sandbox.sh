#!/usr/bin/env bash
# Source this file to start the Degreed sandbox in the background:
#   source scripts/sandbox.sh [sandbox flags...]
# It sets SANDBOX_URL and SANDBOX_PID and stops the sandbox when the shell exits.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cargo build -q --release -p degreed-sandbox --manifest-path "$ROOT/Cargo.toml"
SANDBOX_FIFO=$(mktemp -u)
mkfifo "$SANDBOX_FIFO"
"$ROOT/target/release/degreed-sandbox" --port 0 "$@" >"$SANDBOX_FIFO" &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null; rm -f "$SANDBOX_FIFO"' EXIT
# The first line of its output is the base URL; the rest is drained in the background.
exec {SANDBOX_FD}<"$SANDBOX_FIFO"
read -r -t 30 SANDBOX_URL <&"$SANDBOX_FD" || die "the sandbox did not start"
cat <&"$SANDBOX_FD" >/dev/null &
export SANDBOX_URL SANDBOX_PID
log "sandbox at $SANDBOX_URL"
