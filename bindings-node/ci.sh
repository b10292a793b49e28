#!/usr/bin/env bash
# Builds the Node.js addon with napi-rs (which also writes index.js and the TypeScript
# types index.d.ts) and runs its tests against the reference corpus with node --test.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

echo "::: node: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "::: node: napi build (release)"
npx napi build --platform --release
if ! git diff --quiet -- index.d.ts 2>/dev/null; then
  echo "::: node: note: the generated index.d.ts differs from the committed one (commit it)"
fi
echo "::: node: node --test"
node --test test/
