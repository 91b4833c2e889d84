#!/usr/bin/env bash
# Installs what augplay's build and tests need on a fresh Debian 12 machine, then builds the wasm
# package into www/pkg. Idempotent: whatever is already there is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" ]]; then
  say "installing wasm-bindgen-cli $want (takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (takes a few minutes)"
  cargo install wasm-pack --locked
fi

if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [[ ! -d node_modules/playwright-core || ! -d node_modules/pngjs || ! -d node_modules/binaryen || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing the npm dev tools (playwright-core, pngjs, binaryen)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

say "building the wasm package (www/pkg)"
# wasm-pack runs wasm-opt from PATH: binaryen 132 from npm (Debian's older one breaks the output).
PATH="$PWD/node_modules/.bin:$PATH" wasm-pack --log-level warn build --release --target web --out-dir www/pkg --no-typescript --no-pack

# numpy and pytest for the tests that load exports with real numpy.
if [[ ! -x .venv/bin/pytest ]] || ! .venv/bin/python -c 'import numpy' 2>/dev/null; then
  say "creating .venv with numpy and pytest"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check numpy pytest
fi
