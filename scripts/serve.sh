#!/usr/bin/env bash
# Set up, build, and serve the page on http://127.0.0.1:8000 (loopback only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/serve.mjs --port "${PORT:-8000}"
