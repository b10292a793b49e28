"""Writer.write_frame (fstpy-style frames with a `d` column), keys returned by write,
and writing from several threads (the GIL is released while packing)."""

from __future__ import annotations

import threading

import numpy as np
import polars as pl
import pytest

import fst24

KEY_COLUMNS = ["nomvar", "typvar", "etiket", "ni", "nj", "nk", "dateo", "datev", "deet",
               "npas", "ip1", "ip2", "ip3", "grtyp", "ig1", "ig2", "ig3", "ig4", "datyp",
               "nbits"]


@pytest.mark.parametrize("name", ["mixed_xdf.fst", "mixed_rsf.fst"])
@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_copy_a_librmn_file_through_a_frame(tmp_path, corpus_present, name, backend):
    from conftest import DATA20

    with fst24.open(DATA20 / name) as f:
        df = f.to_polars()
        # +64 records keep their missing points only as librmn's marker values
        arrays = f.read(df, missing="marker")
    # fstpy's layout: metadata columns plus the arrays in `d`
    frame = df.with_columns(pl.Series("d", arrays, dtype=pl.Object))
    out = tmp_path / "copy.fst"
    with fst24.open(out, "w", backend=backend) as w:
        keys = w.write_frame(frame)
    assert keys == list(range(df.height))
    with fst24.open(out) as g:
        copy = g.to_polars()
        copied = g.read(copy, missing="marker")
    assert copy.select(KEY_COLUMNS).rows() == df.select(KEY_COLUMNS).rows()
    for row, a, b in zip(df.iter_rows(named=True), arrays, copied):
        assert a.dtype == b.dtype and a.shape == b.shape
        base = row["datyp"] & 63
        if base in (1, 6) or (base == 5 and row["nbits"] < 32):
            # packing an already packed field again may move values by one quantum
            finite = np.abs(a) < 1e30
            span = float(np.ptp(a[finite])) if finite.any() else 0.0
            quantum = max(span, float(np.max(np.abs(a[finite]), initial=0))) * 2.0 ** (2 - row["nbits"])
            np.testing.assert_allclose(b, a, rtol=0, atol=quantum)
        else:
            np.testing.assert_array_equal(a, b)


def test_frame_defaults_and_errors(tmp_path):
    frame = pl.DataFrame({
        "nomvar": ["A", "B"],
        "ip1": [1, 2],
        "d": pl.Series("d", [np.ones((3, 2), np.float32), np.zeros(4, np.int32)],
                       dtype=pl.Object),
    })
    path = tmp_path / "f.fst"
    with fst24.open(path, "w") as w:
        assert w.write_frame(frame) == [0, 1]
        with pytest.raises(fst24.UsageError, match='"d"'):
            w.write_frame(frame.drop("d"))
        with pytest.raises(fst24.UsageError, match="row 0"):
            w.write_frame(frame.with_columns(pl.Series("d", [None, None], dtype=pl.Object)))
    with fst24.open(path) as f:
        df = f.to_polars()
        assert df.select("nomvar", "ip1", "typvar", "grtyp").rows() == [
            ("A", 1, "P", "G"), ("B", 2, "P", "G")]
        np.testing.assert_array_equal(f.read(1), np.zeros(4, np.int32))


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_write_keys_are_reader_keys(tmp_path, backend):
    path = tmp_path / "k.fst"
    with fst24.open(path, "w", backend=backend) as w:
        keys = [w.write(np.full(4, i, np.int32), nomvar=f"V{i}") for i in range(4)]
        w.erase(keys[1])
    with fst24.open(path, "a") as w:
        keys.append(w.write(np.full(4, 9, np.int32), nomvar="V9"))
    with fst24.open(path) as f:
        for k, name in [(keys[0], "V0"), (keys[2], "V2"), (keys[3], "V3"), (keys[4], "V9")]:
            assert f.record(k).nomvar == name


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_threads_share_a_writer(tmp_path, backend):
    path = tmp_path / "t.fst"
    n_threads, per_thread = 4, 25
    big = np.asfortranarray(np.random.default_rng(0).normal(size=(200, 150)).astype(np.float32))
    errors = []
    with fst24.open(path, "w", backend=backend) as w:
        def work(t):
            try:
                for i in range(per_thread):
                    w.write(big + t, nomvar=f"T{t}", ip1=i, datyp=1, nbits=16)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(n_threads)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    assert not errors
    with fst24.open(path) as f:
        df = f.to_polars()
        assert df.height == n_threads * per_thread
        assert sorted(df["nomvar"].unique().to_list()) == [f"T{t}" for t in range(n_threads)]
        rec = f.find(nomvar="T3", ip1=[7])[0]
        np.testing.assert_allclose(rec.data, big + 3, atol=float(np.ptp(big)) * 2.0**-14)
