#!/usr/bin/env bash
# Builds the Node.js addon with napi-rs (stripped release build; napi-rs also writes the
# loader native.js and its types native.d.ts) and runs the tests with node --test: the
# corpus against librmn's JSON, errors, close/dispose, and the packed module installed in a
# fresh project running the README's CommonJS, ESM and TypeScript (`tsc --strict`) examples.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

echo "::: node: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "::: node: napi build (release)"
npm run build
if ! git diff --quiet -- native.js native.d.ts 2>/dev/null; then
  echo "::: node: note: the generated native.js / native.d.ts differ from the committed ones (commit them)"
fi
echo "::: node: the fst24 tool (writes the 10,000-record test file; built already by the wasm step)"
cargo build -q --release -p fst24-cli
echo "::: node: node --test"
FST24_CLI="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}/release/fst24" node --test test/
