"""``Dataset.close()`` releases the files (once no other Dataset uses them), and records
duplicated across files, resolved by keeping the last one, raise a warning."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest
import xarray as xr

import fst24
from fst24 import xarray_backend
from conftest import DATA019


@pytest.fixture
def mini(corpus_present, tmp_path):
    path = tmp_path / "mini.fst"
    shutil.copyfile(DATA019 / "mini_gem.fst", path)
    return str(path)


def cached(path):
    entry = xarray_backend._OPEN_FILES.get(path)
    return None if entry is None else entry[1]


def test_close_releases_the_files(mini):
    ds = fst24.to_xarray(mini)
    f = cached(mini)
    assert f is not None and not f.closed
    ds.close()
    assert f.closed and cached(mini) is None


def test_a_file_stays_open_while_another_dataset_uses_it(mini):
    a = fst24.to_xarray(mini)
    b = fst24.to_xarray(mini)
    f = cached(mini)
    a.close()
    a.close()  # closing twice counts once
    assert not f.closed
    assert np.isfinite(b["TT"].isel(time=0).values).all()
    b.close()
    assert f.closed


def test_with_block_and_earth_winds_close_too(mini):
    with xr.open_dataset(mini, engine="fst24") as ds:
        ds["TT"].isel(time=0).values
        f = cached(mini)
    assert f.closed
    ds = fst24.to_xarray(mini, earth_winds=True)
    f = cached(mini)
    ds.close()
    assert f.closed


def test_reads_after_close_reopen(mini):
    ds = fst24.to_xarray(mini)
    ds.close()
    assert np.isfinite(ds["TT"].isel(time=0).values).all()


def test_duplicates_across_files_warn(mini, tmp_path):
    copy = tmp_path / "copy.fst"
    shutil.copyfile(mini, copy)
    with pytest.warns(UserWarning, match="duplicate record"):
        both = fst24.to_xarray([mini, copy])
    assert "duplicate" in both.attrs["fst24_warnings"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fst24.to_xarray(mini).close()
    both.close()
