"""`fst24 convert` outputs read back by the readers people use: netCDF4-python, xarray
(netcdf4 and scipy engines), zarr-python; `crs_wkt` parsed by pyproj; and the IOOS
compliance-checker's CF 1.8 suite. Also: integer fields with missing points carry a
`_FillValue` (CF 2.5.1), auxiliary coordinates are listed in `coordinates`, the output
is CDF-2 unless a 64-bit integer needs CDF-5, and a file without fields is an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import netCDF4
import numpy as np
import pyproj
import pytest
import xarray as xr
import zarr

import fst24
from conftest import DATA019
from rpn_cases import write_grid_case, write_hybrid_without_p0, write_mask_case, write_tile_case


def convert(src, out, fmt):
    return subprocess.run(
        [sys.executable, "-m", "fst24._cli", "convert", *map(str, src), "--to", fmt,
         "-o", str(out), "-q"],
        capture_output=True, text=True,
    )


def corpus_case(name):
    def make(tmp):
        return [DATA019 / name]
    return make


def generated(kind):
    def make(tmp):
        path = tmp / f"{kind}.fst"
        if kind == "hybrid_no_p0":
            write_hybrid_without_p0(path)
        elif kind == "masks":
            write_mask_case(path)
        elif kind == "tiles":
            write_tile_case(path)
        else:
            write_grid_case(path, kind, ("UU", "VV", "PR"))
        return [path]
    return make


CASES = {
    "mini_gem": corpus_case("mini_gem.fst"),
    "grids": corpus_case("grids.fst"),
    "vcoord": corpus_case("vcoord.fst"),
    "hy_legacy": corpus_case("hy_legacy.fst"),
    "int_missing": corpus_case("d068_n16.fst"),
    "uint_missing": corpus_case("d066_n16.fst"),
    "winds_on_N": generated("N"),
    "winds_on_Z_on_E": generated("Z_on_E"),
    "hybrid_no_p0": generated("hybrid_no_p0"),
    # Masked fields (@@) with their mask variables; an integer variable with a hole.
    "masks": generated("masks"),
    # `#` tiles reassembled on their full grid, one tile missing.
    "tiles": generated("tiles"),
}


def cf_check(path, multi_grid):
    """compliance-checker's CF 1.8 results: (high-priority failures, all failures)."""
    from compliance_checker.runner import CheckSuite, ComplianceChecker

    CheckSuite.load_all_available_checkers()
    report = path.with_suffix(".json")
    ComplianceChecker.run_checker(str(path), ["cf:1.8"], 0, "normal",
                                  output_filename=str(report), output_format="json")
    results = json.loads(report.read_text())["cf:1.8"]
    high = []
    for m in results.get("high_priorities", []):
        if m["value"][0] == m["value"][1]:
            continue
        # Not CF violations: long_name/standard_name are "highly recommended" (fields
        # that no table describes have neither), and the checker wants one longitude
        # (etc.) variable per dataset, where CF allows a file of several grids.
        msgs = [t for t in m["msgs"] if "highly recommended" not in t
                and not (multi_grid and "requires exactly one variable" in t)]
        if msgs:
            high.append(dict(m, msgs=msgs))
    return high, results


@pytest.mark.parametrize("case", list(CASES))
def test_exports_read_back_everywhere(corpus_present, tmp_path, case):
    src = CASES[case](tmp_path)
    nc, zr = tmp_path / "out.nc", tmp_path / "out.zarr"
    for fmt, out in (("netcdf", nc), ("zarr", zr)):
        res = convert(src, out, fmt)
        assert res.returncode == 0, res.stderr
    ours = fst24.to_xarray(src if len(src) > 1 else src[0])

    with netCDF4.Dataset(nc) as raw:
        # Unsigned types go as _Unsigned signed twins: every case stays CDF-2.
        assert raw.data_model == "NETCDF3_64BIT_OFFSET", raw.data_model
        for name, var in raw.variables.items():
            if var.dtype.kind in "iu" and ours[name].encoding.get("_FillValue") is not None:
                assert "_FillValue" in var.ncattrs(), name
    # decode_coords="all": grid-mapping variables are coordinates too (CF-aware reading);
    # everything else is a coordinate through the variables' `coordinates` attribute.
    engines = {
        "netcdf4": xr.open_dataset(nc, engine="netcdf4", decode_coords="all"),
        "scipy": xr.open_dataset(nc, engine="scipy", decode_coords="all"),
        "zarr": xr.open_zarr(zr, consolidated=True, zarr_format=2, decode_coords="all"),
    }
    zarr.open_group(str(zr), mode="r", zarr_format=2)  # zarr-python itself
    ref = engines["netcdf4"]
    # (xarray's "all" also makes formula_terms fields such as P0 coordinates.)
    assert set(ref.variables) == set(ours.variables), set(ref.variables) ^ set(ours.variables)
    for aux in ("leadtime", "reftime", "lat", "lon"):
        if aux in ours.coords:
            assert aux in ref.coords, aux
    for name, ds in engines.items():
        assert set(ds.variables) == set(ref.variables), name
        for v in ref.variables:
            if ref[v].dtype.kind == "S":
                continue
            np.testing.assert_array_equal(ds[v].values, ref[v].values, err_msg=f"{name} {v}")
    for v in ours.data_vars:
        np.testing.assert_array_equal(ref[v].values, ours[v].values, err_msg=v)
    for v in ref.variables.values():
        if "crs_wkt" in v.attrs:
            crs = pyproj.CRS.from_wkt(v.attrs["crs_wkt"])
            assert crs.equals(pyproj.CRS.from_cf(dict(v.attrs)), ignore_axis_order=True) or crs.is_geographic
    for ds in engines.values():
        ds.close()
    ours.close()

    mappings = [v for v in ours.variables.values() if "grid_mapping_name" in v.attrs]
    high, results = cf_check(nc, multi_grid=len(mappings) > 1)
    print(f"{case}: compliance-checker CF 1.8 scored {results['scored_points']}/{results['possible_points']}")
    assert not high, json.dumps(high, indent=1)


def test_a_file_of_character_records_is_an_error(corpus_present, tmp_path):
    out = tmp_path / "chars.nc"
    res = convert([DATA019 / "d003_n08.fst"], out, "netcdf")
    assert res.returncode == 1, (res.returncode, res.stderr)
    assert "no field to convert" in res.stderr
    assert not out.exists()
