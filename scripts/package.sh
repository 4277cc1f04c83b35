#!/usr/bin/env bash
# Builds the packages the project publishes into target/dist, as each registry would receive
# them, then checks them (scripts/test_packages.py): licences, metadata, tags, contents.
#
#   scripts/package.sh        what the suite runs (scripts/test.sh, after `npm run build`):
#                             the crate `degreed` (cargo package, built with the declared
#                             rust-version's compiler), the Python sdist and the manylinux
#                             x86_64 wheel (maturin + zig), and the npm tarball (npm pack)
#   scripts/package.sh --all  also the aarch64 and musllinux wheels, and every crate feature
#                             with the declared rust-version (what scripts/release.sh runs)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
all=0
case "${1:-}" in --all) all=1 ;; "") ;; *) die "unknown argument: $1" ;; esac

dist="$ROOT/target/dist"
rm -rf "$dist" && mkdir -p "$dist"
[[ -x "$VENV/bin/maturin" ]] || die "no maturin in .venv: run scripts/setup.sh"
# maturin finds zig as `python -m ziglang` (the ziglang wheel in .venv).
export PATH="$VENV/bin:$PATH"
started=$SECONDS

# --- crates.io: the crate `degreed`, built from its .crate with rustc <rust-version> -----
use_msrv_toolchain || die "no rustc $(declared_msrv) (the declared rust-version): run scripts/setup.sh"
log "cargo package -p degreed, verified with $("$MSRV_RUSTC" -V)"
# Its own target dir: this older compiler must not invalidate the builds in target/.
msrv_env=(env RUSTC="$MSRV_RUSTC" CARGO_TARGET_DIR="$ROOT/target/msrv")
"${msrv_env[@]}" "$MSRV_CARGO" package -q --locked --allow-dirty -p degreed
cp "$ROOT/target/msrv/package/degreed-"*.crate "$dist/"
features=ureq,reqwest
((all)) && features=ureq,reqwest,reqwest-rustls,reqwest-native-tls
log "cargo check -p degreed --features $features with rustc $(declared_msrv)"
"${msrv_env[@]}" "$MSRV_CARGO" check -q --locked -p degreed --features "$features"

# --- PyPI: the sdist and the wheels -------------------------------------------------------
maturin_q() { # quiet unless it fails
  local out; out=$(mktemp)
  if (cd bindings-python && maturin "$@" --out "$dist") >"$out" 2>&1; then grep '📦' "$out" >&2 || true
  else cat "$out" >&2; rm -f "$out"; die "maturin $1 failed"; fi
  rm -f "$out"
}
log "maturin sdist"
maturin_q sdist
wheel() { # target, compatibility
  local args=(build --release --strip --zig --target "$1" --compatibility "$2")
  if ! rustup target list --installed 2>/dev/null | grep -qx "$1" && [[ "$1" != x86_64-unknown-linux-gnu ]]; then
    # No rustup standard library for the target here (rustup cannot download one): build std
    # from Debian's rust-web-src with Debian's rustc, as scripts/build-wasm.sh does for wasm32.
    [[ -d /usr/lib/rustlib/src/rust/library ]] || die "no std for $1 and no rust-web-src: run scripts/setup.sh"
    local bin; bin=$(mktemp -d)
    ln -s /usr/bin/cargo "$bin/cargo" && ln -s /usr/bin/rustc "$bin/rustc"
    log "maturin build --zig --target $1 (std built from source with $(/usr/bin/rustc -V))"
    PATH="$bin:$PATH" RUSTC_BOOTSTRAP=1 maturin_q "${args[@]}" --target-dir "$ROOT/target/cross" -Zbuild-std=std,panic_abort
    rm -rf "$bin"
  else
    log "maturin build --zig --target $1 --compatibility $2"
    maturin_q "${args[@]}"
  fi
}
wheel x86_64-unknown-linux-gnu manylinux2014
if ((all)); then
  wheel aarch64-unknown-linux-gnu manylinux2014
  wheel x86_64-unknown-linux-musl musllinux_1_2
  wheel aarch64-unknown-linux-musl musllinux_1_2
fi

# --- npm: the tarball of bindings-wasm/pkg ------------------------------------------------
[[ -f "$WASM_DIR/pkg/degreed_wasm_bg.wasm" ]] || die "no bindings-wasm/pkg: run \`npm run build\` in bindings-wasm"
log "npm pack bindings-wasm/pkg"
(cd "$WASM_DIR" && node tools/build.mjs --js-only >/dev/null && npm pack -q ./pkg --pack-destination "$dist" >/dev/null)

log "built in $((SECONDS - started)) s: $(cd "$dist" && echo *)"
DEGREED_DIST="$dist" DEGREED_ALL_WHEELS=$all \
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider -p no:asyncio "$ROOT/scripts/test_packages.py"
