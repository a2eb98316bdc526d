#!/usr/bin/env bash
# Lint schema.graphql and compare it with the last released schema; run by `make lint` and by
# tests/schema/test_schema_tools.py. Usage: check.sh [schema] [released schema]. Installs the pinned tools (package-lock.json) with `npm ci`
# when node_modules is missing or older than the lock. Exit status: non-zero on any lint error
# or on a breaking change not listed in docs/schema/accepted-breaking.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
schema="${1:-$root/schema.graphql}"
released="${2:-$root/docs/schema/released.graphql}"
only="${SCHEMA_CHECK_ONLY:-}"  # "lint" or "diff" to run one of the two

if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "==> Installing the schema tools with npm ci (usually 30-60 s the first time)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

status=0
if [ "$only" != "diff" ]; then
  echo "==> Lint schema.graphql with graphql-schema-linter (usually seconds)"
  "$here/node_modules/.bin/graphql-schema-linter" --config-directory "$here" "$schema" || status=1
fi

if [ "$only" != "lint" ]; then
  # verboseChanges: without it graphql-inspector 7.0.0 folds every change of a field into
  # "description added" when a description is added, hiding e.g. a type change of that field
  echo "==> Breaking changes against docs/schema/released.graphql with graphql-inspector (usually seconds)"
  "$here/node_modules/.bin/graphql-inspector" diff "$released" "$schema" \
    --rule verboseChanges --rule "$here/accepted-breaking.js" || status=1
fi
exit $status
