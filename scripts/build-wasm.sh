#!/usr/bin/env bash
# Build the wasm binding: cargo (wasm32) -> wasm-bindgen -> wasm-opt, then print sizes.
#   scripts/build-wasm.sh [--target web|nodejs|bundler|deno] [--no-opt]
#   scripts/build-wasm.sh --check-core     # only check that the core crate builds for wasm32
# Env: WASM_BINDGEN_TARGET (default web), OUT_DIR (default bindings-wasm/pkg).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

crate=degreed-wasm bg_target=${WASM_BINDGEN_TARGET:-web} opt=1
out="${OUT_DIR:-$WASM_DIR/pkg}"
while (($#)); do
  case "$1" in
    --check-core) crate=degreed ;;
    --target) bg_target=$2; shift ;;
    --no-opt) opt=0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done

cd "$ROOT"
# Building std ourselves lets it be built for size: panics compile to a bare trap (no message
# formatting; the JS driver already turns any trap into a DegreedError), core's size-optimised
# algorithms, no file/line/column strings for panic locations (nothing prints them any more).
# About 25 KiB gzipped of the package; bindings-wasm/test/size.test.mjs's budget counts on it.
size_std=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
          -Zpanic-immediate-abort --config 'profile.wasm.panic="immediate-abort"')
size_rustflags="-Zlocation-detail=none"
if has_rustup_wasm; then
  target_dir="$ROOT/target"
  cargo=(cargo build)
  if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    export RUSTC_BOOTSTRAP=1 RUSTFLAGS="${RUSTFLAGS:-} $size_rustflags"
    cargo+=("${size_std[@]}")
  else
    log "warning: no rust-src component, so std is not built for size and the package is"
    log "about 25 KiB (gzipped) bigger than the suite's budget: rustup component add rust-src"
  fi
else
  # Debian's rustc-web has no prebuilt wasm32 std: build it from rust-web-src. A separate
  # target dir keeps this other compiler from invalidating the host builds in target/.
  [[ -x /usr/bin/rustc ]] || die "no wasm32 toolchain: run scripts/setup.sh"
  target_dir="$ROOT/target/wasm"
  export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="${RUSTFLAGS:-} $size_rustflags"
  cargo=(/usr/bin/cargo build "${size_std[@]}")
  # rustc wants `rust-lld`, which only the big rust-web-llvm package provides; lld's own
  # wasm-ld (lld-22, or lld-16 as the fallback) links the same.
  for ld in /usr/lib/llvm-22/bin/wasm-ld /usr/lib/llvm-16/bin/wasm-ld; do
    [[ -x "$ld" ]] && { : "${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER:=$ld}"; break; }
  done
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER
fi
log "cargo: building $crate for $WASM_TARGET (profile wasm: size-optimised)"
"${cargo[@]}" --profile wasm --target "$WASM_TARGET" --target-dir "$target_dir" -p "$crate"
[[ "$crate" == degreed ]] && { log "core builds for $WASM_TARGET"; exit 0; }

wasm="$target_dir/$WASM_TARGET/wasm/degreed_wasm.wasm"
bindgen="$TOOLS/bin/wasm-bindgen"
[[ -x "$bindgen" ]] || die "missing $bindgen: run scripts/setup.sh"
log "wasm-bindgen: --target $bg_target -> ${out#$ROOT/}"
"$bindgen" --target "$bg_target" --out-dir "$out" --out-name degreed_wasm "$wasm"

bg="$out/degreed_wasm_bg.wasm"
if ((opt)); then
  # The npm binaryen, not Debian's (v108 breaks wasm-bindgen's externref table).
  wasm_opt="$WASM_DIR/node_modules/.bin/wasm-opt"
  [[ -x "$wasm_opt" ]] || die "missing $wasm_opt: run scripts/setup.sh"
  # Flattening and re-looping the control flow before two -Oz rounds (run to a fixed
  # point) finds about 1.5 KiB (gzipped) that -Oz alone leaves; it takes twice as long.
  log "wasm-opt --flatten --rereloop -Oz -Oz --converge"
  "$wasm_opt" --flatten --rereloop -Oz -Oz --converge --strip-producers --strip-target-features \
    --enable-reference-types --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue \
    "$bg" -o "$bg.tmp"
  mv "$bg.tmp" "$bg"
fi

for f in "$bg" "$out/degreed_wasm.js"; do
  printf '%-28s %8d bytes raw %8d bytes gzip\n' "${f##*/}" \
    "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)" >&2
done
