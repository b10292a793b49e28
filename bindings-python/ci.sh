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
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends libudunits2-dev >/dev/null
  else
    echo "error: UDUNITS-2 is missing: install libudunits2-dev (Debian) first" >&2
    exit 2
  fi
fi
# fsspec/aiohttp/s3fs: remote files; zarr/numcodecs: virtual Zarr references read back
# (fastparquet: fsspec's reader of parquet references);
# moto[server]: an S3-compatible server (an emulator) for the S3 tests.
# netCDF4, pyproj, cf-units and compliance-checker read back and check the exports.
# ziglang links the wheel against glibc 2.17 (manylinux2014), auditwheel proves the tag;
# mypy and pyright type-check the package and the README; pyarrow (<21: numpy<2) is the
# pandas extra.
python -m pip install -q maturin==1.16.0 polars 'numpy<2' 'pandas<3' 'pyarrow<21' pytest \
  xarray dask distributed scipy fstd2nc fstd2nc-deps \
  fsspec aiohttp requests s3fs 'zarr>=3,<4' numcodecs fastparquet 'moto[server]' \
  netCDF4 pyproj cf-units compliance-checker \
  ziglang auditwheel mypy pyright

# nginx (Debian's) serves files with HTTP range requests to the remote-file tests.
# scripts/install-tools.sh may be running apt at the same time: wait for its locks.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "nginx is missing: run as root, or apt-get install nginx-light" >&2
    exit 1
  fi
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        --no-install-recommends nginx-light >/dev/null; then
      break
    fi
    [ "$attempt" = 10 ] && { echo "could not install nginx-light" >&2; exit 1; }
    sleep 15
  done
fi

rm -f "$WHEELS"/fst24-*.whl
(cd "$HERE" && maturin build --release --zig --compatibility manylinux2014 -o "$WHEELS")
wheel=$(ls "$WHEELS"/fst24-*.whl)
case "$wheel" in
  *manylinux2014*|*manylinux_2_17*) ;;
  *) echo "ci.sh: $wheel is not a manylinux2014 wheel" >&2; exit 1 ;;
esac
# auditwheel lists the glibc symbol versions the extension needs; it must fit 2.17.
auditwheel show "$wheel" | tee "$ROOT/target/auditwheel.txt"
grep -q 'manylinux_2_17' "$ROOT/target/auditwheel.txt"
python -m pip install -q --no-deps --force-reinstall "$wheel"

# Types: the package (its stub stands for the compiled module) with mypy's default
# options and pyright, then the README's blocks run as written and type-checked.
(cd "$HERE/python" && python -m mypy --no-incremental -p fst24 && python -m pyright fst24)
python "$ROOT/scripts/readme_check.py"

# VirtualiZarr needs numpy >= 2, which librmn's Python bindings (fstd2nc-deps, the peer of
# the main suite) refuse: its tests run in a second venv with the same wheel (abi3, built
# for numpy 1 and 2 alike). obstore (VirtualiZarr's object stores) comes with it.
VZ_VENV=${FST24_VZ_VENV:-$ROOT/target/vzenv}
if [ ! -x "$VZ_VENV/bin/python" ]; then
  python3 -m venv "$VZ_VENV"
fi
"$VZ_VENV/bin/python" -m pip install -q --no-compile 'numpy>=2' 'virtualizarr>=2.5,<3' 'zarr>=3.1.3,<4' \
  xarray polars pytest fsspec aiohttp requests fastparquet
"$VZ_VENV/bin/python" -m pip install -q --no-deps --force-reinstall "$wheel"
(cd "$HERE/tests_virtualizarr" && "$VZ_VENV/bin/python" -m pytest -q -p no:cacheprovider .)

# Run from the tests folder so `import fst24` finds the installed wheel, not the source tree.
cd "$HERE/tests"
python -m pytest -q -p no:cacheprovider .
