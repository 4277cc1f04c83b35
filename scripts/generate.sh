#!/usr/bin/env bash
# Regenerates every file generated from the core's description, in order: core/schema.json
# (the catalogue and the model schema as JSON) and core/src/models/wire_tables.rs (the
# attribute tables the core's lookups read), then the Python models and namespaces and the
# TypeScript declarations read from the JSON. Run after changing core/src/catalog.rs or a model,
# write body or enum in core/src; `--check` only reports files that are out of date (each
# suite's drift test does the same).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
check=()
[[ "${1:-}" == --check ]] && check=(--check)

schema=$(cargo run -q -p degreed --example schema)
if ((${#check[@]})); then
  [[ "$schema"$'\n' == "$(cat core/schema.json)"$'\n' ]] || die "core/schema.json is out of date"
else
  printf '%s\n' "$schema" > core/schema.json
  log "wrote core/schema.json"
fi
# The attribute tables the core's lookups read (core/src/models/wire_tables.rs), from the same
# schema.
tables=$(cargo run -q -p degreed --example schema -- --wire-tables)
if ((${#check[@]})); then
  [[ "$tables"$'\n' == "$(cat core/src/models/wire_tables.rs)"$'\n' ]] ||
    die "core/src/models/wire_tables.rs is out of date"
else
  printf '%s\n' "$tables" > core/src/models/wire_tables.rs
  log "wrote core/src/models/wire_tables.rs"
fi
python=$(command -v "$VENV/bin/python" || command -v python3)
(cd bindings-python && "$python" tools/gen_models.py "${check[@]}" && "$python" tools/gen_namespaces.py "${check[@]}")
(cd bindings-wasm && node tools/gen-types.mjs "${check[@]}")
