#!/usr/bin/env bash
# Installs the tools the WebAssembly and browser tests need on a fresh machine: Debian's
# chromium (as root), the wasm32 target and the wasm-bindgen CLI pinned to Cargo.lock's
# wasm-bindgen. Every step is skipped when its tool is already there.
#
# scripts/test.sh starts this in the background at its beginning, so the downloads and the
# CLI's compilation (no prebuilt wasm-bindgen can be fetched here) overlap the Rust tests
# instead of following them; bindings-wasm/ci.sh checks the same things again.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive CARGO_TERM_COLOR=never

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ]; then
  echo "::: tools: installing Debian chromium"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "::: tools: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

WBG=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $WBG"; then
  echo "::: tools: compiling wasm-bindgen-cli $WBG"
  # The CLI only rewrites one small module per run: a lightly optimised build without debug
  # info compiles in a fraction of the release profile's time and runs just as well here.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install -q wasm-bindgen-cli --version "=$WBG"   # not --locked: its lockfile names a crate the registry lacks
fi
echo "::: tools: ready"
