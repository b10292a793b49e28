"""Latitudes and longitudes of every ig-encoded grid type and of Z grids on L, E, N and S
references (the N/S ones straddling the pole): equal to an exact double-precision
evaluation to 1e-6° (pyproj applied to the CF grid mapping the dataset carries, or the
lat-lon arithmetic), and to ezscint's `gdll` (librmn, float32) to its single-precision
noise. Files are written with librmn at test time (rpn_cases.py)."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

import fst24
from rpn_cases import GRIDS, write_grid_case

EXACT = 1e-6


def lon_diff(a, b):
    d = np.abs(np.asarray(a) - np.asarray(b)) % 360.0
    return np.minimum(d, 360.0 - d)


def latlon_2d(ds):
    lat, lon = ds["lat"].values, ds["lon"].values
    if lat.ndim == 1:
        lon, lat = np.meshgrid(lon, lat)
    return lat, lon


@pytest.mark.parametrize("name", list(GRIDS))
def test_latlon_is_exact_and_matches_ezscint(tmp_path, name):
    path = tmp_path / f"{name}.fst"
    ez = write_grid_case(path, name)
    ds = fst24.to_xarray(path)
    lat, lon = latlon_2d(ds)
    defined = np.abs(lat) < 90.0  # longitude is arbitrary at a pole
    # ezscint computes in single precision: 6e-5° on rotated and polar grids.
    dlat = np.abs(lat - ez["lat"]).max()
    dlon = lon_diff(lon, ez["lon"])[defined].max()
    print(f"{name}: vs ezscint |dlat| {dlat:.2e} |dlon| {dlon:.2e}")
    assert dlat <= 6e-5 and dlon <= 1e-4, (dlat, dlon)

    gm = ds[ds.TT.attrs["grid_mapping"]]
    crs = pyproj.CRS.from_wkt(gm.attrs["crs_wkt"])
    assert crs == pyproj.CRS.from_cf(dict(gm.attrs)) or crs.is_geographic
    mapping = gm.attrs["grid_mapping_name"]
    if mapping == "latitude_longitude":
        # Exact arithmetic from librmn's own reading of the ig (cigaxg, float32).
        import rpnpy.librmn.all as rmn

        grtyp, xg, ni, nj, axes = GRIDS[name]
        lat0, lon0, dlat_, dlon_ = (float(v) for v in rmn.cigaxg(grtyp, *rmn.cxgaig(grtyp, *xg)))
        i = np.arange(ni, dtype="float64") if axes is None else axes[0].astype("float64")
        j = np.arange(nj, dtype="float64") if axes is None else axes[1].astype("float64")
        # Z axes are positions in the reference's units, 0 at (lat0, lon0).
        exact_lon, exact_lat = np.meshgrid(lon0 + i * dlon_, lat0 + j * dlat_)
    else:
        x = ds[ds.TT.dims[-1]].values.astype("float64")
        y = ds[ds.TT.dims[-2]].values.astype("float64")
        xx, yy = np.meshgrid(x, y)
        # To the base sphere (for a rotated pole, `geodetic_crs` is the rotated CRS itself).
        to_geo = pyproj.Transformer.from_crs(crs, crs.source_crs, always_xy=True)
        exact_lon, exact_lat = to_geo.transform(xx, yy)
    elat = np.abs(lat - exact_lat).max()
    elon = lon_diff(lon, exact_lon)[defined].max()
    print(f"{name}: vs exact ({mapping}) |dlat| {elat:.2e} |dlon| {elon:.2e}")
    assert elat <= EXACT and elon <= EXACT, (elat, elon)


def test_points_at_the_pole_are_the_pole(tmp_path):
    for name, pole in (("Z_on_N", 90.0), ("Z_on_S", -90.0)):
        path = tmp_path / f"{name}.fst"
        write_grid_case(path, name)
        lat = fst24.to_xarray(path)["lat"].values
        assert lat[3, 3] == pole
        # 0.001 grid unit (381 m) from the pole, librmn's sphere of 6371 km.
        r = float(np.float32(11.001)) - float(np.float32(11.0))
        expected = 90.0 - np.degrees(2 * np.arctan(r * 381000.0 / ((1 + np.sin(np.pi / 3)) * 6.371e6)))
        assert abs(abs(lat[3, 4]) - expected) < 1e-9, (lat[3, 4], expected)
