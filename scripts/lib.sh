# Shared helpers for the scripts in this folder. Source it; it defines no side effects
# beyond variables and functions.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Project-local cargo-install root (gitignored); CI may point DEGREED_TOOLS at a cache
# outside the clone so a fresh clone does not rebuild wasm-bindgen-cli (~2 min).
TOOLS="${DEGREED_TOOLS:-$ROOT/.tools}"
VENV="$ROOT/.venv"
WASM_DIR="$ROOT/bindings-wasm"
WASM_TARGET=wasm32-unknown-unknown

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# A normal developer laptop has the rustup target; this workplace cannot download it and
# uses Debian's rustc-web instead (see shared/wasm-toolchain.md).
has_rustup_wasm() {
  command -v rustup >/dev/null 2>&1 &&
    rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"
}

# The wasm-bindgen crate version in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' \
    "$ROOT/Cargo.lock"
}

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# The minimum Rust version `degreed` declares (`rust-version` in the workspace Cargo.toml).
declared_msrv() { awk -F'"' '/^rust-version *=/ { print $2; exit }' "$ROOT/Cargo.toml"; }

# Points MSRV_CARGO and MSRV_RUSTC at a compiler of exactly the declared rust-version: rustup's
# toolchain where installed, else Debian's rustc-web of that version unpacked by setup.sh into
# $TOOLS/rust-<version> (rustup cannot download toolchains on this project's machines).
use_msrv_toolchain() {
  local v dir
  v=$(declared_msrv) dir="$TOOLS/rust-$(declared_msrv)/usr"
  if command -v rustup >/dev/null 2>&1 && rustup toolchain list 2>/dev/null | grep -q "^$v[.-]"; then
    MSRV_CARGO=$(rustup which --toolchain "$v" cargo) MSRV_RUSTC=$(rustup which --toolchain "$v" rustc)
  elif [[ -x "$dir/bin/cargo" ]]; then
    MSRV_CARGO="$dir/bin/cargo" MSRV_RUSTC="$dir/bin/rustc"
    export LD_LIBRARY_PATH="$dir/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    return 1
  fi
  [[ "$("$MSRV_RUSTC" -V 2>/dev/null)" == "rustc $v"[.\ ]* ]]
}
