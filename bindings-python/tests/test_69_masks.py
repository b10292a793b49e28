"""Masks (`P@` fields with `@@` mask records) and holes in integer variables, on files
written with librmn (rpnpy): masked points are missing (NaN once CF-decoded), the mask
stays reachable as the field's `ancillary_variables` (a flag variable on the same
dimensions), integer holes are missing rather than 0. Compared with the writer's
values and with fstd2nc, which applies masks the same way (`Masks` mixin)."""

from __future__ import annotations

import subprocess
import sys
import warnings

import netCDF4
import numpy as np
import pytest
import xarray as xr

import fst24
from fst24.xarray_backend import plan_dataset
from rpn_cases import write_mask_case


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    path = tmp_path_factory.mktemp("masks") / "masks.fst"
    written = write_mask_case(path)
    return path, written


def fstd2nc_dataset(path):
    import fstd2nc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fstd2nc.Buffer(str(path)).to_xarray().load()


def expected(written, name):
    """The writer's field with NaN where its mask is 0."""
    data = written[name].astype("float64")
    return np.where(written[name + "_mask"] > 0, data, np.nan)


def test_masked_points_are_missing_and_the_mask_is_reachable(case):
    path, written = case
    ds = fst24.to_xarray(path)
    assert not any("@" in n for n in ds.variables), list(ds.variables)
    for name in ("TM", "GL", "IX"):
        var = ds[name]
        mask = ds[var.attrs["ancillary_variables"]]
        assert mask.name == f"{name}_mask"
        assert mask.dims == var.dims, (mask.dims, var.dims)
        assert list(mask.attrs["flag_values"]) == [0, 1]
        assert mask.attrs["flag_meanings"] == "masked valid"
        np.testing.assert_array_equal(mask.values.reshape(written[name + "_mask"].shape),
                                      written[name + "_mask"])
        values = var.values.astype("float64").reshape(written[name].shape)
        np.testing.assert_array_equal(values, expected(written, name), err_msg=name)
    # The ocean field and its mask on the depth axis (ip1 kind 7), 5 m and 50 m.
    assert ds.TM.dims[1] == ds.TM_mask.dims[1] == "depth"
    np.testing.assert_array_equal(ds.depth.values, [5.0, 50.0])
    # A mask no field uses stays a variable.
    assert "ZZ" in ds and "ancillary_variables" not in ds.ZZ.attrs


def test_integer_hole_is_missing(case):
    path, written = case
    ds = fst24.to_xarray(path)
    ih = ds.IH
    assert ih.dims[:2] == ("time_1", "pres"), ih.dims
    np.testing.assert_array_equal(ih.pres.values, [500.0, 850.0])
    values = ih.values
    np.testing.assert_array_equal(values[0, 0], written["IH_0_500"][0])
    np.testing.assert_array_equal(values[0, 1], written["IH_0_850"][0])
    np.testing.assert_array_equal(values[1, 0], written["IH_6_500"][0])
    assert np.isnan(values[1, 1]).all(), values[1, 1]
    raw = plan_dataset(path)  # still CF-encoded: the marker and its _FillValue
    assert raw.IH.attrs["_FillValue"] == np.iinfo("uint32").max
    assert (raw.IH.values[1, 1] == np.iinfo("uint32").max).all()


def test_same_as_fstd2nc_where_it_is_right(case):
    path, written = case
    ours = fst24.to_xarray(path)
    theirs = fstd2nc_dataset(path)
    # Float fields: fstd2nc's 1e30 fill (its _FillValue) decodes to NaN, as ours.
    np.testing.assert_array_equal(ours.GL.values, theirs.GL.values)
    # fstd2nc drops the mask records; librmn 019 under it reads ip1 kind 7 as 0 m, so
    # its TM has one level (both records on it): compare the second, the one it keeps.
    assert theirs.TM.shape[1] == 1
    np.testing.assert_array_equal(ours.TM.values[:, 1], theirs.TM.values[:, 0])
    assert not any(n.endswith("_mask") for n in theirs.variables)
    # Where fstd2nc is wrong (README "Differences from fstd2nc"): an int32 field cannot
    # hold its 1e30 fill, so it keeps IX as int32 without _FillValue and its masked
    # points are not missing; an integer hole is whatever NaN casts to (2147483648 or
    # 0 here), with no _FillValue either.
    ix_mask = written["IX_mask"][0] == 0
    for name in ("IX", "IH"):
        assert theirs[name].dtype.kind in "iu", theirs[name].dtype
        assert theirs[name].encoding.get("_FillValue") is None
    assert ours.IH.dtype.kind == "f" and ours.IX.dtype.kind == "f"
    assert np.isnan(ours.IX.values[0][ix_mask]).all()


def test_convert_applies_masks(case, tmp_path):
    path, written = case
    nc = tmp_path / "masks.nc"
    res = subprocess.run(
        [sys.executable, "-m", "fst24._cli", "convert", str(path), "--to", "netcdf",
         "-o", str(nc), "-q"],
        capture_output=True, text=True,
    )
    assert res.returncode == 0, res.stderr
    with netCDF4.Dataset(nc) as raw:
        # flag_values of the mask's own (stored) type, as CF 3.5 wants.
        mask = raw["TM_mask"]
        assert mask.getncattr("flag_values").dtype == mask.dtype
        assert raw["TM"].getncattr("ancillary_variables") == "TM_mask"
    with xr.open_dataset(nc) as back:
        for name in ("TM", "GL", "IX"):
            values = back[name].values.astype("float64").reshape(written[name].shape)
            np.testing.assert_array_equal(values, expected(written, name), err_msg=name)
        assert np.isnan(back.IH.values[1, 1]).all()
