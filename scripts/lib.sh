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
