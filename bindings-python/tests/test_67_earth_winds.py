"""Winds: GEM writes UU/VV along the grid's axes. On rotated and polar-stereographic
grids they are CF x_wind/y_wind; ``to_xarray(..., earth_winds=True)`` rotates them to
true eastward/northward components, checked against ezscint's ``gdwdfuv`` (librmn,
float32) on files written with librmn."""

from __future__ import annotations

import numpy as np
import pytest

import fst24
from rpn_cases import gdwdfuv, write_grid_case


@pytest.mark.parametrize("name", ["L", "N", "S", "E", "Z_on_E", "Z_on_N", "Z_on_S", "Z_on_L"])
def test_earth_winds_match_gdwdfuv(tmp_path, name):
    path = tmp_path / f"{name}.fst"
    ez = write_grid_case(path, name, ("UU", "VV"))
    raw = fst24.to_xarray(path)
    ds = fst24.to_xarray(path, earth_winds=True)
    # One record each: drop the time and level axes of length one.
    u, v = (np.squeeze(raw[n].values).astype("float32") for n in ("UU", "VV"))
    spd, wd = gdwdfuv(ez["gid"], u, v, ez["lat"], ez["lon"])
    wd = np.radians(wd)
    # Meteorological direction (where the wind blows from).
    east, north = -spd * np.sin(wd), -spd * np.cos(wd)
    ours_e, ours_n = (np.squeeze(ds[n].values).astype("float64") for n in ("UU", "VV"))
    defined = np.abs(ez["lat"]) < 89.999  # at the pole, east is undefined
    err = max(np.abs(ours_e - east)[defined].max(), np.abs(ours_n - north)[defined].max())
    scale = np.abs(spd).max()
    print(f"{name}: max |error| {err:.2e} of speeds up to {scale:.1f}")
    assert err <= 1e-4 * scale, err
    np.testing.assert_allclose(np.hypot(ours_e, ours_n), np.hypot(u, v), rtol=1e-5)
    assert ds.UU.attrs["standard_name"] == "eastward_wind"
    assert ds.VV.attrs["standard_name"] == "northward_wind"


def test_earth_winds_stay_lazy_with_dask(tmp_path):
    path = tmp_path / "E.fst"
    write_grid_case(path, "E", ("UU", "VV"))
    ds = fst24.to_xarray(path, chunks={}, earth_winds=True)
    assert ds.UU.chunks is not None
    eager = fst24.to_xarray(path, earth_winds=True)
    np.testing.assert_allclose(ds.UU.values, eager.UU.values)
