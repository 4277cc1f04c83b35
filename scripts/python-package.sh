#!/usr/bin/env bash
# Install the Python package (bindings-python, built by maturin) into .venv when its sources
# or the core's changed since the last install. Fast when nothing changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
[[ -x "$VENV/bin/python" ]] || die "no .venv: run scripts/setup.sh first"
stamp="$VENV/.degreed-package.sha256"
hash=$(git ls-files -co --exclude-standard core bindings-python Cargo.toml Cargo.lock |
  grep -v '^bindings-python/tests/' | sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" == "$hash" ]] && "$VENV/bin/python" -c 'import degreed' 2>/dev/null; then
  log "python package: ok"
  exit 0
fi
log "python package: building and installing bindings-python (maturin, release)"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall ./bindings-python
echo "$hash" >"$stamp"
