#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what it needs, builds each
# artefact once with its own tool, runs Rust, golden, Python, Node and browser tests.
# Usage: scripts/test.sh            (from anywhere; needs ../shared beside the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0
# Property tests draw from one fixed seed here so a run is reproducible; explore new seeds
# locally with e.g. `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=5000 cargo test -p fst24 --lib`.
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261207}"
T0=$(date +%s); LAST=$T0
step() { local now; now=$(date +%s); echo "::: [+$((now-LAST))s, total $((now-T0))s] $*"; LAST=$now; }

if [ ! -d ../shared/data ]; then
  echo "error: the reference corpus ../shared/data is missing (it must sit beside the repository)" >&2
  exit 2
fi

# Browser/wasm tools download and compile in the background while the Rust tests run.
TOOLS_LOG=$(mktemp)
trap 'rm -f "$TOOLS_LOG"' EXIT
scripts/install-tools.sh >"$TOOLS_LOG" 2>&1 &
TOOLS_PID=$!

step "rust: format check"
cargo fmt --all --check

step "rust: core unit + integration tests, golden corpus, CLI"
cargo test -q -p fst24 -p fst24-golden -p fst24-cli --no-fail-fast

step "rust: core without default features (the wasm configuration)"
cargo test -q -p fst24 --no-default-features --lib
cargo clippy -q -p fst24 --no-default-features --lib -- -D warnings

step "rust: the core and CLI compile for macOS and Windows (portable writer locks)"
for target in x86_64-apple-darwin x86_64-pc-windows-gnu; do
  if ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
  fi
  cargo check -q -p fst24 -p fst24-cli --target "$target"
done

step "rust: clippy (every crate) and rustdoc"
cargo clippy -q --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p fst24 -p fst24-cli

step "rust: benches compile"
cargo bench -q -p fst24-benches --no-run

if [ -x bindings-python/ci.sh ]; then
  step "python: wheel + pytest"
  bindings-python/ci.sh
  # librmn 019.5 (rpnpy from PyPI) reads files written by the Rust and the Python writer.
  step "librmn check: rpnpy reads our XDF files"
  tests/librmn_check/run.sh
fi

step "tools: waiting for scripts/install-tools.sh"
if ! wait "$TOOLS_PID"; then
  cat "$TOOLS_LOG" >&2
  echo "error: scripts/install-tools.sh failed" >&2
  exit 1
fi
cat "$TOOLS_LOG"

if [ -x bindings-wasm/ci.sh ]; then
  step "wasm: build + Node and headless-chromium tests"
  bindings-wasm/ci.sh
fi

if [ -x bindings-node/ci.sh ]; then
  step "node: napi addon + node --test"
  bindings-node/ci.sh
fi

step "done"
