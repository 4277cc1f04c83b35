#!/usr/bin/env bash
# Every test of the project, after installing what they need (scripts/setup.sh):
# formatting and lints, the Rust suites (core, drivers, sandbox), the core's wasm32 build,
# the Python suite, the Node suite with the TypeScript check and the headless Chromium test,
# the packages each registry would receive (scripts/package.sh), and the main job end to end
# against the sandbox.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
step() { printf '\n==> %s\n' "$*" >&2; }

step "setup"
bash scripts/setup.sh

step "cargo fmt and clippy"
cargo fmt --all -- --check
cargo clippy -q --workspace --all-targets -- -D warnings
cargo clippy -q -p degreed --all-targets --features ureq,reqwest -- -D warnings
cargo clippy -q -p degreed --all-targets --features ureq,reqwest,tracing -- -D warnings

step "Rust tests (core, drivers, sandbox)"
# The pyo3 crate is an extension module: it is tested through Python below.
cargo test -q --workspace --exclude degreed-python
cargo test -q -p degreed --features ureq,reqwest,tracing

step "catalogue"
ops=$(cargo run -q -p degreed --example catalog | wc -l)
log "catalogue lists $ops operations"
((ops >= 85)) || die "the catalogue lists only $ops operations"

step "core builds for wasm32"
bash scripts/build-wasm.sh --check-core

step "Python package and suite"
bash scripts/python-package.sh
(cd bindings-python && "$VENV/bin/python" -m pytest -q -p no:cacheprovider)

step "npm package: build, Node suite, tsc, headless Chromium"
(cd bindings-wasm && npm run -s build && npm test)

step "packages: the crate, the sdist, the manylinux wheel and the npm tarball, checked"
bash scripts/package.sh

step "main job: outcomes, idempotence, no write lost or duplicated under faults"
(cd examples/job && "$VENV/bin/python" -m pytest -q -p no:cacheprovider test_nightly.py)

step "main job, as a user runs it"
bash scripts/job.sh --out "$(mktemp -d)"
