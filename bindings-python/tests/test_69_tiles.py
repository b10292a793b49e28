"""`#` tiled grids written with librmn (rpnpy): the tiles of a field are one variable on
the full grid (placed by ig3/ig4, 1-based), with the lat/lon of the full grid its
`>>`/`^^` describe (checked against ezscint's `gdll` of that grid); a missing tile is
missing (NaN). fstd2nc (0.20260914) gets the full grid's shape for single-level fields
but neither lat/lon nor loadable data, and drops a tiled field on levels (README)."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
import xarray as xr

import fst24
from rpn_cases import write_tile_case


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiles") / "tiles.fst"
    return path, write_tile_case(path)


def test_tiles_are_one_variable_on_the_full_grid(case):
    path, written = case
    ds = fst24.to_xarray(path)
    assert set(ds.data_vars) == {"ME", "TT"}, list(ds.data_vars)
    for name in ("ME", "TT"):
        var = ds[name]
        assert var.shape[-2:] == (6, 8), var.shape
        assert "ig3" not in var.attrs and var.attrs["grtyp"] == "#"
        np.testing.assert_array_equal(var.values[0].reshape(written[name].shape), written[name],
                                      err_msg=name)
    # The missing tile of TT at 850 hPa is missing, the others are data.
    assert np.isnan(ds.TT.values[0, 1, 3:, 4:]).all()
    assert not np.isnan(ds.TT.values[0, 0]).any()
    # Coordinates of the full grid (a Z grid on an L reference: lat/lon axes), as ezscint.
    lat, lon = np.broadcast_arrays(ds.TT.lat.values[:, None], ds.TT.lon.values[None, :])
    np.testing.assert_allclose(lat, written["lat"], atol=1e-5)
    np.testing.assert_allclose(lon, written["lon"], atol=1e-5)
    assert ds.TT.dims[-2:] == ds.ME.dims[-2:]
    # Every variable a coordinate or formula names exists.
    names = set(ds.variables)
    for v in ds.variables.values():
        for ref in v.attrs.get("coordinates", "").split():
            assert ref in names, (v.name, ref)
        terms = v.attrs.get("formula_terms", "").split()
        for ref in terms[1::2]:
            assert ref in names, (v.name, ref)


def test_fstd2nc_full_grid_shape(case):
    import fstd2nc

    path, _ = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = fstd2nc.Buffer(str(path)).to_xarray()
    ours = fst24.to_xarray(path)
    # Same reassembled shape as fst24 for the single-level field.
    assert theirs.ME.shape[-2:] == ours.ME.shape[-2:] == (6, 8)
    # Where fstd2nc is short (README "Differences from fstd2nc"): no lat/lon for the
    # tiled grid, and the tiled field on pressure levels is not in its Dataset.
    assert "lat" not in theirs.ME.coords and "TT" not in theirs


def test_convert_reassembles_tiles(case, tmp_path):
    path, written = case
    nc = tmp_path / "tiles.nc"
    res = subprocess.run(
        [sys.executable, "-m", "fst24._cli", "convert", str(path), "--to", "netcdf",
         "-o", str(nc), "-q"],
        capture_output=True, text=True,
    )
    assert res.returncode == 0, res.stderr
    with xr.open_dataset(nc) as back:
        for name in ("ME", "TT"):
            np.testing.assert_array_equal(
                back[name].values[0].reshape(written[name].shape), written[name], err_msg=name)


def test_formula_names_the_reassembled_orography(tmp_path):
    # GEM heights (21001): the level formula's `orog` is ME, itself stored as `#` tiles.
    from rpn_cases import write_tiled_height_case

    path = tmp_path / "tiled_heights.fst"
    written = write_tiled_height_case(path)
    ds = fst24.to_xarray(path)
    uu = ds.UU
    level = ds[uu.dims[1]]
    order = [int(np.argmin(abs(written["UU_level"] - h))) for h in level.values]
    np.testing.assert_allclose(level.values, written["UU_level"][order], rtol=1e-6)
    np.testing.assert_array_equal(uu.values[0], written["UU"][order])
    terms = dict(zip(*[iter(level.attrs["formula_terms"].split())] * 2))
    assert terms["orog:"] == "ME", level.attrs
    assert ds.ME.dims[-2:] == uu.dims[-2:]
    names = set(ds.variables)
    for v in ds.variables.values():
        for ref in v.attrs.get("formula_terms", "").split()[1::2]:
            assert ref in names, (v.name, ref, sorted(names))
