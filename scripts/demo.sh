#!/usr/bin/env bash
# The main job on a fresh machine: build the fst24 tool and list a sample file (voir-style),
# then build and install the Python package in a venv under target/ and open the same file
# as a Polars metadata frame and as a lazy xarray Dataset with CF coordinates.
# Needs nothing beside the repository: the default file is the GEM-like sample it ships
# (written by librmn 019.5). Each step says what it does; the first build takes minutes.
# Usage: scripts/demo.sh [FILE]        (default: tests/fstd2nc_compare/data/bench_small.fst)
#        FST24_DEMO_PYTHON=0 scripts/demo.sh FILE   (CLI part only)
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-tests/fstd2nc_compare/data/bench_small.fst}
step() { printf '\n==> %s\n' "$*" >&2; }

step "1/5 building the fst24 tool (cargo build --release; a few minutes the first time)"
cargo build --release -p fst24-cli
step "2/5 the file's layout and records ($file)"
./target/release/fst24 info "$file"
./target/release/fst24 ls "$file"

if [ "${FST24_DEMO_PYTHON:-1}" = 0 ]; then exit 0; fi
VENV=${FST24_VENV:-$PWD/target/pyenv}
step "3/5 Python venv in $VENV (maturin, polars, numpy, xarray, dask from PyPI)"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q maturin==1.16.0 polars 'numpy<2' 'pandas<3' xarray dask
step "4/5 building the Python wheel (maturin build --release; minutes the first time)"
rm -f target/wheels/fst24-*.whl
(cd bindings-python && "$VENV/bin/maturin" build --release -o ../target/wheels)
"$VENV/bin/python" -m pip install -q --no-deps --force-reinstall target/wheels/fst24-*.whl
step "5/5 the file as a Polars frame and a lazy xarray Dataset"
cd target   # not the repository root, so `import fst24` is the installed wheel
"$VENV/bin/python" - "$(cd .. && realpath "$file")" <<'PY'
import sys
import fst24
import polars as pl

path = sys.argv[1]
pl.Config.set_tbl_rows(8)
df = fst24.read_metadata(path)
print(df.select("nomvar", "typvar", "etiket", "ni", "nj", "ip1", "level", "ip1_kind",
                "date_of_validity", "forecast_hour", "datyp", "nbits"))
ds = fst24.to_xarray(path)
print(ds)
name = next(iter(ds.data_vars))
print(f"{name}: mean {float(ds[name].mean()):.4g} over {ds[name].size} values (read lazily)")
PY
