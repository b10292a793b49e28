"""File/Record behaviour: search, lazy data, reading from frames, lifecycle, limits."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import fst24


def test_find_like_fstinl(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        df = f.to_polars()
        everything = f.find()
        assert [r.key for r in everything] == df["key"].to_list()
        name = df["nomvar"][5]
        hits = f.find(nomvar=name)
        assert [r.key for r in hits] == df.filter(pl.col("nomvar") == name)["key"].to_list()
        assert all(r.nomvar == name for r in hits)
        # -1 and blanks are wildcards, as in librmn.
        assert len(f.find(nomvar="    ", ip1=-1)) == len(f)
        # Lists mean "any of".
        names = df["nomvar"].unique().to_list()[:2]
        assert len(f.find(nomvar=names)) == df.filter(pl.col("nomvar").is_in(names)).height
        ip1 = int(df["ip1"][5])
        both = f.find(nomvar=name, ip1=ip1)
        assert both and all(r.ip1 == ip1 and r.nomvar == name for r in both)
        etiket = df["etiket"][5]
        assert len(f.find(etiket=etiket[:3] + "*")) == df.filter(
            pl.col("etiket").str.starts_with(etiket[:3])).height
        assert f.find(nomvar="ZZZZ") == []
        with pytest.raises(fst24.UsageError):
            f.find(colour="red")
        with pytest.raises(fst24.UsageError):
            f.find(ip1="TT")


def test_read_rows_of_a_filtered_frame(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        df = f.to_polars()
        sel = df.filter(pl.col("datyp") % 64 == 5)
        assert sel.height > 0
        arrays = f.read(sel)
        assert len(arrays) == sel.height
        for key, arr in zip(sel["key"], arrays):
            np.testing.assert_array_equal(arr, f.read(int(key)))
            np.testing.assert_array_equal(arr, f.record(int(key)).data)
        # A list of keys or of Records works the same; read_many decodes in parallel.
        keys = sel["key"].to_list()
        for a, b in zip(f.read(keys), f.read_many(keys)):
            np.testing.assert_array_equal(a, b)
        recs = [f.record(k) for k in keys]
        for a, b in zip(f.read(recs), arrays):
            np.testing.assert_array_equal(a, b)


def test_rows_from_another_file_are_refused(mixed_xdf, mixed_rsf):
    both = fst24.read_metadata([mixed_xdf, mixed_rsf])
    with fst24.open(mixed_xdf) as f:
        with pytest.raises(fst24.UsageError, match="filter the frame by path"):
            f.read(both)
        mine = both.filter(pl.col("path") == str(mixed_xdf))
        assert len(f.read(mine)) == len(f)


def test_records_are_lazy_and_cached(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        recs = list(f.iter_records())
        assert len(recs) == len(f)
        r = f[3]
        assert r.key == recs[3].key
        assert f[-1].key == recs[-1].key
        with pytest.raises(IndexError):
            f[len(f)]
        first = r.data
        assert r.data is first  # decoded once, then cached
        assert first.shape == tuple(r.shape)
        assert r.read() is not first
        np.testing.assert_array_equal(r.read(), first)
        d = r.to_dict()
        assert d["nomvar"] == r.nomvar and d["key"] == r.key
        assert "Record" in repr(r)
        assert [x.key for x in f] == [x.key for x in recs]


def test_fortran_order_ni_fastest(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        for r in f:
            if r.nj > 1 and r.datyp % 64 in (1, 5, 6) and r.nk == 1:
                a = r.data
                assert a.shape == (r.ni, r.nj)
                assert a.flags.f_contiguous
                flat = np.frombuffer(a.tobytes(order="F"), dtype=a.dtype)
                np.testing.assert_array_equal(flat[: r.ni], a[:, 0])
                return
    pytest.fail("no 2-D real record in the corpus file")


def test_context_manager_and_closed_file(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        rec = f[0]
        assert not f.closed
    assert f.closed
    for call in (lambda: len(f), lambda: f.read(0), lambda: f.to_polars(),
                 lambda: f.find(), lambda: rec.read(), lambda: list(f)):
        with pytest.raises(fst24.UsageError, match="closed"):
            call()
    f.close()  # closing twice is harmless
    assert "closed" in repr(f)


def test_open_errors(tmp_path):
    with pytest.raises(fst24.IoError) as e:
        fst24.open(tmp_path / "missing.fst")
    assert isinstance(e.value, OSError) and isinstance(e.value, fst24.Error)
    assert "missing.fst" in str(e.value)
    junk = tmp_path / "junk.fst"
    junk.write_bytes(b"this is not a standard file at all" * 10)
    with pytest.raises(fst24.FormatError, match="offset"):
        fst24.open(junk)
    with pytest.raises(fst24.UsageError):
        fst24.open(junk, mode="x")
    with pytest.raises(fst24.IoError, match="file exists"):
        fst24.open(junk, mode="w")  # never clobbers
    with pytest.raises(fst24.FormatError):
        fst24.open(junk, mode="a")


@pytest.mark.parametrize("name", ["mixed_xdf.fst", "mixed_rsf.fst"])
def test_truncated_and_corrupt_copies(name, tmp_path, corpus_present):
    from conftest import DATA20

    raw = (DATA20 / name).read_bytes()
    for cut in (len(raw) // 2, len(raw) - 100, 30):
        p = tmp_path / f"cut{cut}.fst"
        p.write_bytes(raw[:cut])
        try:
            with fst24.open(p) as f:
                for key in f.to_polars()["key"]:
                    try:
                        f.read(int(key))
                    except fst24.Error as e:
                        assert "record" in str(e) or "offset" in str(e), str(e)
        except fst24.Error as e:
            assert isinstance(e, (fst24.FormatError, fst24.IoError, fst24.UnsupportedError))
            assert "offset" in str(e) or "record" in str(e) or "RSF" in str(e), str(e)
    # Flip bytes in the middle of the data: must raise or decode, never crash.
    bad = bytearray(raw)
    for i in range(len(bad) // 3, len(bad) // 3 + 64):
        bad[i] ^= 0xFF
    p = tmp_path / "flipped.fst"
    p.write_bytes(bytes(bad))
    try:
        with fst24.open(p) as f:
            for r in f:
                try:
                    r.read()
                except fst24.Error:
                    pass
    except fst24.Error:
        pass


def test_memory_limit(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        big = max(f, key=lambda r: r.ni * r.nj * r.nk)
        old = fst24.get_memory_limit()
        try:
            fst24.set_memory_limit(16)
            assert fst24.get_memory_limit() == 16
            with pytest.raises(fst24.LimitError, match="memory limit") as e:
                big.read()
            assert isinstance(e.value, MemoryError)
            with pytest.raises(fst24.LimitError):
                f.read_many([big.key, big.key])
            with pytest.raises(fst24.UsageError):
                fst24.set_memory_limit(0)
        finally:
            fst24.set_memory_limit(None)
        assert fst24.get_memory_limit() == old
        assert big.read().size == big.ni * big.nj * big.nk
