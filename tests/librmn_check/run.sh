#!/usr/bin/env bash
# librmn reads our files: write an XDF corpus with our writer, then read it back with
# librmn 019.5 (rpnpy from the PyPI package fstd2nc-deps) and compare.
# Usage: tests/librmn_check/run.sh [WORKDIR]   (default: target/librmn_check)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-$root/target/librmn_check}"
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet fstd2nc-deps numpy
fi
rm -rf "$work/corpus"
(cd "$root" && cargo run --quiet -p fst24 --example write_corpus -- "$work/corpus")
"$work/venv/bin/python" "$here/check.py" "$work/corpus" --json "$work/results.json"
