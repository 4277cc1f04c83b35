#!/usr/bin/env bash
# Make a fresh machine ready to build and test everything. Idempotent: each step is
# skipped quickly when already done, so CI and developers can run it every time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export DEBIAN_FRONTEND=noninteractive

# --- 1. Debian packages --------------------------------------------------------------
want=(chromium chromium-driver)   # headless browser tests (driven by playwright-core)
if ! has_rustup_wasm; then
  # No rustup wasm32 target: build std ourselves with Debian's Rust and its source.
  want+=(rustc-web cargo-web rust-web-src)
  if pkg_installed lld-16 && ! pkg_installed lld-22; then want+=(lld-16); else want+=(lld-22); fi
fi
python3 -c 'import venv, ensurepip' 2>/dev/null || want+=(python3-venv)
command -v npm >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do pkg_installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  # lld-22 is only in newer bookworm point releases; lld-16 + wasm-ld works as well.
  if [[ " ${missing[*]} " == *" lld-22 "* ]] && ! apt-cache show lld-22 >/dev/null 2>&1; then
    log "apt: lld-22 unavailable, using lld-16"
    missing=("${missing[@]/lld-22/lld-16}")
  fi
  # Quiet unless it fails (debconf chatters on stderr on minimal images).
  aptlog=$(mktemp)
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$aptlog" 2>&1 ||
    { cat "$aptlog" >&2; die "apt-get install failed"; }
  rm -f "$aptlog"
else
  log "apt: ok"
fi

# --- 2. wasm-bindgen-cli, the exact version of the crate in Cargo.lock ----------------
wbg=$(wasm_bindgen_version)
[[ -n "$wbg" ]] || die "wasm-bindgen not found in Cargo.lock"
if [[ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null)" == "wasm-bindgen $wbg" ]]; then
  log "wasm-bindgen-cli $wbg: ok"
else
  # No --locked: the registry mirror can lag the CLI's own lock file by a patch release.
  log "wasm-bindgen-cli $wbg: installing into ${TOOLS#"$ROOT"/} (about 2 min)"
  cargo install -q wasm-bindgen-cli --version "$wbg" --root "$TOOLS" --force
fi

# --- 3. Python venv with the dev requirements ----------------------------------------
req="$ROOT/bindings-python/requirements-dev.txt"
[[ -x "$VENV/bin/python" ]] || { log "python: creating .venv"; python3 -m venv "$VENV"; }
stamp="$VENV/.requirements.sha256"
hash=$(cat "$req" <("$VENV/bin/python" -V) | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" == "$hash" ]]; then
  log "python: ok"
else
  log "python: installing $(basename "$req")"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  echo "$hash" >"$stamp"
fi

# --- 4. npm devDependencies (wasm-opt, playwright-core, typescript, csv-parse) -------
cd "$WASM_DIR"
stamp=node_modules/.setup-stamp
lock=package-lock.json
hash=$(cat package.json "$lock" 2>/dev/null | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" == "$hash" ]]; then
  log "npm: ok"
else
  log "npm: installing bindings-wasm devDependencies"
  if [[ -f "$lock" ]]; then npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else npm install --no-audit --no-fund --loglevel=error >/dev/null
       hash=$(cat package.json "$lock" | sha256sum | cut -d' ' -f1); fi
  echo "$hash" >"$stamp"
fi

# --- 5. A Rust compiler of the declared rust-version (scripts/package.sh builds with it) ----
msrv=$(declared_msrv)
if use_msrv_toolchain; then
  log "rust $msrv (the declared rust-version): ok"
else
  # Debian keeps older rustc-web releases; unpack one beside the tools rather than install it,
  # so it does not replace the current rustc-web that the wasm build uses.
  debian_version() { apt-cache madison rustc-web | awk -v v="$msrv" '$3 ~ "^" v "[.]0[+]" { print $3; exit }'; }
  deb=$(debian_version)
  [[ -n "$deb" ]] || { apt-get update -qq || die "apt-get update failed"; deb=$(debian_version); }
  [[ -n "$deb" ]] || die "no Debian rustc-web $msrv: install the toolchain with \`rustup toolchain install $msrv\`"
  log "rust $msrv: unpacking Debian's rustc-web $deb into ${TOOLS#"$ROOT"/}/rust-$msrv (about 70 MB)"
  debs=$(mktemp -d)
  pkgs=(rustc-web cargo-web libstd-rust-web-dev "libstd-rust-web-$msrv")
  (cd "$debs" && apt-get download -qq "${pkgs[@]/%/=$deb}" 2>/dev/null) || die "apt-get download failed"
  rm -rf "$TOOLS/rust-$msrv"
  for f in "$debs"/*.deb; do dpkg -x "$f" "$TOOLS/rust-$msrv"; done
  # The libraries those binaries link (LLVM, libpcre, ...): their Depends, minus themselves.
  libs=$(for f in "$debs"/*.deb; do dpkg-deb -f "$f" Depends; done | tr ',' '\n' |
    sed 's/|.*//; s/(.*//; s/ //g' | grep -v -e '^$' -e rust -e '^cargo' | sort -u)
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $libs >/dev/null 2>&1 || die "apt-get install $libs failed"
  rm -rf "$debs"
  use_msrv_toolchain || die "the unpacked rustc $msrv does not run"
fi

log "done"
