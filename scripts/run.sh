#!/usr/bin/env bash
# Builds everything, then starts the server with its data in ./data and prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/server/tandem --port "${PORT:-8080}" --data "${TANDEM_DATA:-./data}" "$@"
