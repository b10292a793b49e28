"""One indexing rule (ints are keys), slicing, equality, pickling, Jupyter views and
missing values read as NaN by default."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import fst24
from conftest import DATA019


def test_ints_are_keys_everywhere():
    # erased.fst: A0..A5 with A2 erased, so key 2 is a hole.
    with fst24.open(DATA019 / "erased.fst") as f:
        assert len(f) == 5
        assert f.keys() == [0, 1, 3, 4, 5]
        for k in f.keys():
            assert f[k] == f.record(k)
            assert f[k].key == k
            np.testing.assert_array_equal(f.read(k), f[k].data)
        with pytest.raises(fst24.UsageError):
            f[2]
        with pytest.raises(fst24.UsageError):
            f.read(2)
        assert [r.nomvar for r in f[0:4]] == ["A0", "A1", "A3"]
        assert [r.key for r in f[::2]] == [0, 4]
        assert f[-1].key == 5
        with pytest.raises(IndexError):
            f[6]
        df = f.to_polars()
        assert df["key"].to_list() == f.keys()


def test_records_compare_and_hash_equal():
    path = DATA019 / "mini_gem.fst"
    with fst24.open(path) as a, fst24.open(path) as b:
        assert a[3] == b[3] and hash(a[3]) == hash(b[3])
        assert a[3] != a[4]
        assert len({a[3], b[3], a[4]}) == 2
        assert a[3].path == str(path)


def test_shape_is_a_tuple():
    with fst24.open(DATA019 / "mini_gem.fst") as f:
        r = f[3]
        assert isinstance(r.shape, tuple)
        assert r.shape == r.data.shape == (r.ni, r.nj)


def test_pickle_by_path():
    path = DATA019 / "mini_gem.fst"
    with fst24.open(path) as f:
        g = pickle.loads(pickle.dumps(f))
        assert isinstance(g, fst24.File) and g.path == str(path) and len(g) == len(f)
        r = pickle.loads(pickle.dumps(f[5]))
        assert r == f[5]
        np.testing.assert_array_equal(r.data, f[5].data)


def test_jupyter_views():
    with fst24.open(DATA019 / "mini_gem.fst") as f:
        page = f._repr_html_()
        assert "<table>" in page and "mini_gem.fst" in page and "more records" in page
        assert "<table>" in f[0]._repr_html_()
        assert "<table" in f._table()._repr_html_()
    assert "closed" in f._repr_html_()


def test_missing_values_read_as_nan_by_default():
    # d065_n16: 22 missing points; librmn's plug value is 276.528 (real max 275.645).
    with fst24.open(DATA019 / "d065_n16.fst") as f:
        rec = f[0]
        for values in (rec.data, rec.read(), f.read(0), f.read([0])[0], f.read_many([0])[0]):
            assert int(np.isnan(values).sum()) == 22
            assert np.nanmax(values) < 275.7
        out = np.empty(rec.shape, dtype=np.float32, order="F")
        f.read_into([0], [out])
        assert int(np.isnan(out).sum()) == 22
        plug = f.read(0, missing="plug")
        assert not np.isnan(plug).any() and plug.max() > 276.5
        marker = f.read(0, missing="marker")
        assert int((marker < -1e37).sum()) == 22
