#!/usr/bin/env bash
# Install the web pages' third-party front-end files (web/package-lock.json: htmx, and
# axe-core for the browser tests) with `npm ci` when node_modules is missing or older than the
# lock. Run by `make install`; the app serves them from web/node_modules (never a CDN).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/web"
if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "==> Installing the web pages' front-end files with npm ci (usually seconds)"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
