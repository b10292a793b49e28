#!/usr/bin/env bash
# The main job on a fresh machine: build the fst24 tool, then list and summarise a sample
# file (default: the 112-record GEM-like sample of the reference corpus).
# Usage: scripts/demo.sh [FILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(../shared/data/librmn019/mini_gem.fst)
fi
cargo build -q --release -p fst24-cli
./target/release/fst24 info "${files[@]}"
./target/release/fst24 ls "${files[@]}"
