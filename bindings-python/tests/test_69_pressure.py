"""Pressure (`PX`) and height (`GZ`) on model levels, computed from the `!!` descriptor
and the surface fields, against vgrid's own `vgd_levels` (rpnpy from fstd2nc-deps) on
files written by librmn with every vertical coordinate fst24 decodes."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import fst24
import rpn_cases
from rpn_cases import VCODES, rmn, write_hybrid_without_p0, write_vcode_case

# float32 output (hPa or m) against vgrid's double-precision levels: a few ulps.
REL_TOL = 3e-7


def _level_index(levels: np.ndarray, ip1: int) -> int:
    value = rmn.convertIp(rmn.CONVIP_DECODE, ip1)[0]
    k = int(np.argmin(np.abs(levels - value)))
    assert abs(levels[k] - value) <= 1e-6 * max(1.0, abs(value)), (levels, ip1, value)
    return k


@pytest.mark.parametrize("name", list(VCODES))
def test_levels_match_vgd_levels(tmp_path, name):
    path = tmp_path / f"{name}.fst"
    expected = write_vcode_case(path, name)
    height = name.startswith("21")
    ds = fst24.to_xarray(path, pressure=True, height=True)
    base, units, scale = ("GZ", "m", 1.0) if height else ("PX", "hPa", 100.0)
    worst_abs = worst_rel = 0.0
    steps = sorted(expected, key=int)
    for nomvar in expected[steps[0]]:
        field = ds[nomvar]
        computed = [
            n for n in ds.data_vars if n.split("_")[0] == base and ds[n].dims == field.dims
        ]
        assert len(computed) == 1, (nomvar, field.dims, list(ds.data_vars))
        px = ds[computed[0]]
        assert px.attrs["units"] == units
        assert px.attrs["standard_name"] == ("geopotential_height" if height else "air_pressure")
        assert px.dtype == np.float32
        time_dim, level_dim = field.dims[0], field.dims[1]
        levels = ds[level_dim].values
        for t, step in enumerate(steps):
            for ip1, want in expected[step][nomvar].items():
                k = _level_index(levels, ip1)
                got = px.isel({time_dim: t, level_dim: k}).values.astype("float64") * scale
                assert got.shape == want.shape
                diff = np.abs(got - want)
                assert np.all(np.isfinite(got)), (nomvar, ip1)
                worst_abs = max(worst_abs, float(diff.max()))
                worst_rel = max(worst_rel, float((diff / np.abs(want).clip(1.0)).max()))
                assert np.all(diff <= REL_TOL * np.abs(want) + 1e-4), (
                    name, nomvar, step, ip1, float(diff.max())
                )
    # Figures for the report (pressure in Pa, height in m).
    record = os.environ.get("FST24_PRESSURE_REPORT")
    if record:
        with open(record, "a") as f:
            f.write(json.dumps(dict(vcode=name, max_abs=worst_abs, max_rel=worst_rel)) + "\n")


def test_computed_lazily_with_dask(tmp_path):
    path = tmp_path / "5005.fst"
    write_vcode_case(path, "5005")
    eager = fst24.to_xarray(path, add_px=True)
    lazy = fst24.to_xarray(path, add_px=True, chunks={})
    assert lazy.PX.chunks is not None
    np.testing.assert_array_equal(lazy.PX.values, eager.PX.values)
    # A selection computes only its levels and times.
    one = eager.PX.isel({eager.PX.dims[0]: 1, eager.PX.dims[1]: 2}).values
    np.testing.assert_array_equal(one, eager.PX.values[1, 2])


def test_no_surface_pressure_no_px(tmp_path):
    path = tmp_path / "hyb_no_p0.fst"
    write_hybrid_without_p0(path)
    ds = fst24.to_xarray(path, pressure=True)
    assert not any(n.startswith("PX") for n in ds.data_vars)
    assert "no P0 on its grid and times" in ds.attrs["fst24_warnings"]


def test_off_by_default(tmp_path):
    path = tmp_path / "5002.fst"
    write_vcode_case(path, "5002")
    assert not any(n.startswith("PX") for n in fst24.to_xarray(path).data_vars)


def test_kind_21_levels_are_heights_in_metres(tmp_path):
    # vgrid: a 21001 level's value is its height (m) where the orography is 0.
    path = tmp_path / "21001.fst"
    expected = write_vcode_case(path, "21001")
    ds = fst24.to_xarray(path, height=True)
    level_dim = ds.TT.dims[1]
    assert ds[level_dim].attrs["units"] == "m"
    for ip1 in expected["0"]["TT"]:
        value = rmn.convertIp(rmn.CONVIP_DECODE, ip1)[0]
        (zs_zero,) = rpn_cases_heights_at_zero_orography(path, ip1)
        assert abs(zs_zero - value) <= 1e-3 * max(1.0, value), (ip1, zs_zero, value)


def rpn_cases_heights_at_zero_orography(path, ip1):
    import rpnpy.vgd.all as vgd

    unit = rmn.fstopenall(str(path))
    try:
        v = vgd.vgd_read(unit)
        return np.asarray(vgd.vgd_levels(v, rfld=[0.0], ip1list=[ip1], double_precision=True)).ravel()
    finally:
        rmn.fstcloseall(unit)


assert rpn_cases  # the generators' module (rpnpy through fstd2nc-deps)
