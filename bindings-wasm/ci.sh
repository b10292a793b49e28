#!/usr/bin/env bash
# Builds the WebAssembly binding and tests it, from a fresh machine: installs the wasm32
# target, the wasm-bindgen CLI pinned to the crate version in Cargo.lock, the npm test
# dependency (playwright-core, which downloads no browser) and Debian's chromium (as root).
# Then: cargo build for wasm32, wasm-bindgen --target web into www/pkg, node --test
# (the Blob- and HTTP-Range-driven scan and decoding under Node, and the inspector page in
# headless chromium).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0} DEBIAN_FRONTEND=noninteractive
ROOT=$(cd .. && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
  echo "::: wasm: installing Debian chromium"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "::: wasm: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be exactly the wasm-bindgen version the crate was built with.
WBG=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3}' "$ROOT/Cargo.lock")
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $WBG"; then
  echo "::: wasm: installing wasm-bindgen-cli $WBG"
  cargo install -q wasm-bindgen-cli --version "=$WBG"   # not --locked: its lockfile names a crate the registry lacks
fi

echo "::: wasm: cargo build (wasm32, release)"
cargo build -q --release --target wasm32-unknown-unknown -p fst24-wasm
rm -rf www/pkg
wasm-bindgen --target web --out-dir www/pkg "$TARGET_DIR/wasm32-unknown-unknown/release/fst24_wasm.wasm"
echo "::: wasm: www/pkg/fst24_wasm_bg.wasm is $(wc -c < www/pkg/fst24_wasm_bg.wasm) bytes"

echo "::: wasm: the fst24 tool (writes the browser test's 10,000-record file)"
cargo build -q --release -p fst24-cli

echo "::: wasm: npm ci + node --test (Node, then headless chromium)"
npm ci --no-audit --no-fund --loglevel=error
CHROMIUM="$CHROMIUM" FST24_CLI="$TARGET_DIR/release/fst24" node --test test/node.test.mjs test/mutants.test.mjs test/browser.test.mjs
