#!/usr/bin/env python3
"""Checks that `fst24 convert` outputs open in xarray and hold the same data as fstd2nc.

Usage: python cli/tests/check_convert.py FST [FST...] [--fst24 target/release/fst24] [--var TT]

Needs (e.g. /work/peerenv): xarray, netCDF4, scipy, zarr>=3, fstd2nc, fstd2nc-deps,
numpy<2. For each file: converts to NetCDF and zarr, opens the NetCDF with the scipy and
netCDF4 engines and the zarr store (consolidated), checks that all three agree on every
variable, then compares every data variable that fstd2nc also makes (same name and shape
after squeezing) with fstd2nc's values — fstd2nc is the independent reference.
Exits 1 on any mismatch.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import xarray as xr


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--fst24", default=os.path.join(os.path.dirname(__file__), "..", "..", "target", "release", "fst24"))
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    import fstd2nc

    failures = 0
    for path in a.files:
        with tempfile.TemporaryDirectory() as tmp:
            nc, zr = os.path.join(tmp, "out.nc"), os.path.join(tmp, "out.zarr")
            for fmt, out in (("netcdf", nc), ("zarr", zr)):
                subprocess.run([a.fst24, "convert", path, "--to", fmt, "-o", out, "-q"], check=True)
            engines = {"netcdf4": xr.open_dataset(nc, engine="netcdf4"),
                       "zarr": xr.open_zarr(zr, consolidated=True, zarr_format=2)}
            with open(nc, "rb") as f:
                if f.read(4) != b"CDF\x05":  # scipy reads CDF-1/2 only
                    engines["scipy"] = xr.open_dataset(nc, engine="scipy")
            ref = engines["netcdf4"]
            for name, ds in engines.items():
                for v in ref.variables:
                    if not np.array_equal(ds[v].values, ref[v].values, equal_nan=True):
                        print(f"{path}: {name} and netcdf4 differ on {v}")
                        failures += 1
            peer = fstd2nc.Buffer(path).to_xarray()
            compared = 0
            for v in ref.data_vars:
                if v not in peer.data_vars or ref[v].ndim < 2:
                    continue
                ours, theirs = np.squeeze(ref[v].values), np.squeeze(peer[v].values)
                if ours.shape != theirs.shape:
                    print(f"{path}: {v}: shape {ours.shape} vs fstd2nc {theirs.shape} (not compared)")
                    continue
                if not np.allclose(ours, theirs, equal_nan=True, rtol=1e-6, atol=0):
                    print(f"{path}: {v} differs from fstd2nc")
                    failures += 1
                compared += 1
            print(f"{os.path.basename(path)}: {len(ref.variables)} variables agree in {'/'.join(engines)}; "
                  f"{compared} data variables equal to fstd2nc's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
