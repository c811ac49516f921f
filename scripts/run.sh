#!/usr/bin/env bash
# Builds what serving needs (the tandem binary and the page; tests and benchmarks are built
# by scripts/test.sh), then starts the server with its data in ./data and prints the URL.
# Stop it with Ctrl+C or SIGTERM: it writes everything it acknowledged first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh serve
exec build/server/tandem --port "${PORT:-8080}" --data "${TANDEM_DATA:-./data}" "$@"
