#!/usr/bin/env bash
# Set up, build, and run every test: native Rust, wasm in node and in Chromium, the JS API and the
# page end to end. Exits non-zero at the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

# Chromium leaves org.chromium.* folders in TMPDIR; give it one we remove afterwards.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "native unit, integration and doc tests (cargo test)"
cargo test --quiet

step "command line build (used by the node tests)"
cargo build --release --quiet --bin augplay

step "task exports loaded with real numpy (pytest)"
.venv/bin/pytest -q tests/python

step "wasm tests in node (wasm-pack test --node)"
wasm-pack --log-level warn test --node

step "wasm tests in headless Chromium (wasm-pack test --headless --chrome)"
WASM_BINDGEN_USE_BROWSER=1 wasm-pack --log-level warn test --headless --chrome --chromedriver /usr/bin/chromedriver

step "JS API and page end to end (node --test, playwright-core + Debian Chromium)"
node --test tests/node/

step "all suites passed"
