#!/usr/bin/env bash
# Builds the fst24 wheel with maturin (release) and runs the pytest suite, on a fresh machine:
# a venv under target/, pip packages from PyPI, nothing installed system-wide.
# Usage: bindings-python/ci.sh   (needs ../shared/data beside the repository for golden tests)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VENV=${FST24_VENV:-$ROOT/target/pyenv}
WHEELS=$ROOT/target/wheels

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
# xarray/dask/distributed for the xarray backend tests; fstd2nc (+ fstd2nc-deps: librmn 019
# through rpnpy, which needs numpy<2) is the peer the tests compare with.
# UDUNITS-2 (Debian libudunits2-dev) for cf-units, which the CF tests and
# compliance-checker (the CF checker run over every export) need.
if ! ldconfig -p 2>/dev/null | grep libudunits2 >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libudunits2-dev >/dev/null
  else
    echo "error: UDUNITS-2 is missing: install libudunits2-dev (Debian) first" >&2
    exit 2
  fi
fi
# netCDF4, zarr, pyproj, cf-units and compliance-checker read back and check the exports.
python -m pip install -q maturin==1.16.0 polars 'numpy<2' 'pandas<3' pytest \
  xarray dask distributed scipy fstd2nc fstd2nc-deps netCDF4 zarr pyproj cf-units \
  compliance-checker

rm -f "$WHEELS"/fst24-*.whl
(cd "$HERE" && maturin build --release -o "$WHEELS")
python -m pip install -q --no-deps --force-reinstall "$WHEELS"/fst24-*.whl

# Run from the tests folder so `import fst24` finds the installed wheel, not the source tree.
cd "$HERE/tests"
python -m pytest -q -p no:cacheprovider .
