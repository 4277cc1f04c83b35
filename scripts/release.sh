#!/usr/bin/env bash
# Builds and checks every package of a release into target/dist (scripts/package.sh --all:
# the crate, checked with every feature on the declared rust-version; the sdist; manylinux
# and musllinux wheels for x86_64 and aarch64; the npm tarball), then prints the commands
# that publish them. It publishes nothing itself: run those commands with your tokens.
#   scripts/release.sh   (about 15 min on 2 cores: three wheels build the standard library)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
(cd "$WASM_DIR" && npm run -s build)
bash scripts/package.sh --all
version=$(awk -F'"' '/^version *=/ { print $2; exit }' Cargo.toml)
cat <<MSG

Release $version is built and checked in target/dist. To publish, from a clean checkout of the tagged commit:
  cargo publish -p degreed                                  # crates.io (CARGO_REGISTRY_TOKEN)
  .venv/bin/python -m pip install twine && .venv/bin/twine upload target/dist/degreed-$version*.whl target/dist/degreed-$version.tar.gz
                                                            # PyPI (TWINE_USERNAME=__token__, TWINE_PASSWORD)
  npm publish target/dist/degreed-$version.tgz --access public   # npm (npm login, or NPM_TOKEN in .npmrc)
MSG
