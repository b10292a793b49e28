"""``ensembles=True`` (etikets gathered into an ``ensemble_id`` axis) against fstd2nc's
``Buffer(path, ensembles=True)`` on a librmn-written file
(``tests/fstd2nc_compare/data/ensembles.fst``: TT/GZ for three etikets, two times, two
levels, one GZ record missing; P0 for one etiket)."""

from __future__ import annotations

import pathlib
import warnings

import numpy as np
import pytest

xr = pytest.importorskip("xarray")

import fst24  # noqa: E402

ENSEMBLES = (
    pathlib.Path(__file__).resolve().parents[2]
    / "tests"
    / "fstd2nc_compare"
    / "data"
    / "ensembles.fst"
)


def fstd2nc_dataset(path, **options):
    fstd2nc = pytest.importorskip("fstd2nc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fstd2nc.Buffer(str(path), **options).to_xarray()


def ensemble_labels(ds, var):
    """The etiket labels of `var`'s ensemble dimension (its 1-D bytes coordinate)."""
    dim = next(d for d in ds[var].dims if d.startswith("ensemble_id"))
    (name,) = [n for n, c in ds.coords.items() if c.dims == (dim,) and c.dtype.kind == "S"]
    assert ds[name].dtype == np.dtype("S12"), "the stored etiket width, as fstd2nc"
    return [bytes(v) for v in ds[name].values]


@pytest.mark.parametrize("forecast_axis", [False, True])
def test_ensembles_match_fstd2nc(forecast_axis):
    ours = fst24.to_xarray(ENSEMBLES, ensembles=True, forecast_axis=forecast_axis)
    theirs = fstd2nc_dataset(ENSEMBLES, ensembles=True, forecast_axis=forecast_axis)
    for var in ("TT", "GZ", "P0"):
        a, b = ours[var], theirs[var]
        assert a.shape == b.shape, var
        # Same axis order: the ensemble axis right after the time axes.
        pos = [i for i, d in enumerate(a.dims) if d.startswith("ensemble_id")]
        assert pos == [i for i, d in enumerate(b.dims) if d.startswith("ensemble_id")], var
        assert ensemble_labels(ours, var) == ensemble_labels(theirs, var), var
        np.testing.assert_array_equal(a.values, b.values, err_msg=var)
    assert np.isnan(ours["GZ"].values).any(), "the missing GZ record is a NaN hole"


def test_ensembles_kwarg_on_every_entry_point():
    via_file = fst24.open(str(ENSEMBLES)).to_xarray(ensembles=True)
    via_engine = xr.open_dataset(ENSEMBLES, engine="fst24", ensembles=True)
    for ds in (via_file, via_engine):
        assert ds["TT"].dims[:3] == ("time", "ensemble_id", "pres")
        assert ensemble_labels(ds, "TT") == [b"CTRL", b"MEMBER01", b"MEMBER02"]
    plain = fst24.to_xarray(ENSEMBLES)
    assert not any(d.startswith("ensemble") for d in plain.dims)
    assert sum(n.startswith("TT") for n in plain.data_vars) == 3
