#!/usr/bin/env bash
# librmn reads our files: write an XDF corpus with our writer, then read it back with
# librmn 019.5 (rpnpy from the PyPI package fstd2nc-deps) and compare.
# Then the same for a file written by the Python package (python_corpus.py), with the
# Python that has the fst24 wheel (FST24_PYTHON, default target/pyenv of bindings-python/ci.sh).
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

py="${FST24_PYTHON:-$root/target/pyenv/bin/python}"
if [ -x "$py" ] && "$py" -c "import fst24, polars" 2>/dev/null; then
    rm -rf "$work/pycorpus"
    "$py" "$here/python_corpus.py" "$work/pycorpus"
    "$work/venv/bin/python" "$here/check.py" "$work/pycorpus" --json "$work/py_results.json"
elif [ "${CI:-}" = true ]; then
    echo "error: no Python with the fst24 wheel at $py (run bindings-python/ci.sh first)" >&2
    exit 1
else
    echo "python writer check skipped: no fst24 wheel at $py (run bindings-python/ci.sh first)"
fi
