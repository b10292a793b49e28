"""Hostile and damaged files through the Python read paths (issue 11): typed errors naming
the file, refusals before numpy allocates, never another record's values."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

import fst24


def _patch_words(path: Path, old: list[int], new: list[int], order: str) -> int:
    """Replaces every copy of the consecutive key words `old` by `new` in the file."""
    fmt = (">" if order == "xdf" else "<") + f"{len(old)}I"
    data = path.read_bytes()
    a, b = struct.pack(fmt, *old), struct.pack(fmt, *new)
    count = data.count(a)
    assert count > 0, "key words not found"
    path.write_bytes(data.replace(a, b))
    return count


def _key_words(ni: int, nj: int, grtyp: str, datyp: int) -> list[int]:
    """Key words 1 and 2 of the 16 search words: ni << 8 | grtyp, nj << 8 | datyp."""
    return [(ni & 0xFFFFFF) << 8 | ord(grtyp), (nj & 0xFFFFFF) << 8 | datyp]


@pytest.fixture
def nj_zero(tmp_path) -> Path:
    """Record 0: 7 × 13 floats; record 1: 11 × 17 int32 whose nj is then set to 0."""
    path = tmp_path / "nj0.fst"
    with fst24.open(path, "w", backend="xdf") as w:
        w.write(np.arange(91, dtype=np.float32).reshape(7, 13, order="F") + 0.5,
                nomvar="FF", grtyp="X", datyp=5, nbits=32)
        w.write(np.arange(187, dtype=np.int32).reshape(11, 17, order="F"),
                nomvar="II", grtyp="X", datyp=4, nbits=32)
    _patch_words(path, _key_words(11, 17, "X", 4), _key_words(11, 0, "X", 4), "xdf")
    return path


def test_read_many_with_an_empty_record_in_every_order(nj_zero):
    with fst24.open(nj_zero) as f:
        floats, empty = [r.key for r in f]
        assert f.record(empty).nj == 0
        want_floats = f.read(floats)
        assert want_floats.dtype == np.float32 and want_floats.size == 91
        want_empty = f.read(empty)
        assert want_empty.size == 0 and want_empty.dtype == np.int32
        orders = [[floats, empty], [empty, floats], [empty], [floats],
                  [empty, floats, empty], [floats, empty, floats], [empty, empty]]
        for order in orders:
            got = f.read_many(order)
            assert len(got) == len(order)
            for key, arr in zip(order, got):
                want = want_floats if key == floats else want_empty
                assert arr.dtype == want.dtype and arr.shape == want.shape, (order, key)
                np.testing.assert_array_equal(arr, want)
        out = np.empty(want_empty.shape, dtype=np.int32, order="F")
        f.read_into(empty, out)


def test_turbo_record_claiming_billions_of_points_is_refused_before_allocating(tmp_path):
    path = tmp_path / "claim.fst"
    field = np.linspace(0, 1, 32 * 32, dtype=np.float32).reshape(32, 32, order="F")
    with fst24.open(path, "w", backend="rsf") as w:
        w.write(field, nomvar="TT", grtyp="X", datyp=134, nbits=16)
    with fst24.open(path) as f:
        assert f.record(next(iter(f)).key).datyp == 134
    # 16,777,215 × 200 points (13 GB of floats) claimed over a few hundred words.
    _patch_words(path, _key_words(32, 32, "X", 134), _key_words(0xFFFFFF, 200, "X", 134), "rsf")
    old = fst24.get_memory_limit()
    fst24.set_memory_limit(1 << 40)  # the size check, not the limit, must refuse it
    try:
        with fst24.open(path) as f:
            key = next(iter(f)).key
            for read in (lambda: f.read(key), lambda: f.read_many([key])):
                with pytest.raises(fst24.FormatError, match="packed data too short") as e:
                    read()
                assert str(path) in str(e.value)
    finally:
        fst24.set_memory_limit(old)


def test_memory_limit_set_after_open_applies(tmp_path, mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        rec = max(f, key=lambda r: r.ni * r.nj)
        old = fst24.get_memory_limit()
        fst24.set_memory_limit(64)
        try:
            with pytest.raises(fst24.LimitError):
                f.read(rec.key)
        finally:
            fst24.set_memory_limit(old)
        f.read(rec.key)


def test_recover_opens_a_file_librmn_refuses(tmp_path, corpus_present):
    from conftest import DATA019

    src = DATA019 / "mini_gem.fst"
    data = bytearray(src.read_bytes())
    data[28:32] = b"\0\0\0\0"  # zero directory pages: never closed
    path = tmp_path / "unclosed.fst"
    path.write_bytes(bytes(data))
    with pytest.raises(fst24.FormatError) as e:
        fst24.open(path)
    assert str(path) in str(e.value)
    with fst24.open(src) as full, fst24.open(path, recover=True) as got:
        assert len(got) == len(full)
        assert any("recovery mode" in w for w in got.warnings)
        for a, b in zip(full, got):
            np.testing.assert_array_equal(full.read(a.key), got.read(b.key))


def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "pipe.fst"
    os.mkfifo(fifo)
    with pytest.raises(fst24.IoError, match="not a regular file"):
        fst24.open(fifo)


def test_to_xarray_with_a_date_beyond_pandas_range_keeps_numbers(tmp_path, corpus_present):
    """npas = 2^26 − 1 puts the valid date in year ~3300: the dataset opens and loads,
    with cftime or (without it) with times left as numbers and a warning (finding F2)."""
    from conftest import DATA019

    path = tmp_path / "far.fst"
    path.write_bytes((DATA019 / "d005_n16.fst").read_bytes())
    with fst24.open(path) as f:
        rec = next(iter(f))
        assert rec.deet > 0
    data = bytearray(path.read_bytes())
    # Search word 4 of the keys (npas << 6 | low bits), after word 3 (nk << 12): patch npas.
    old = struct.pack(">II", rec.nk << 12, rec.npas << 6)
    new = struct.pack(">II", rec.nk << 12, (2**26 - 1) << 6)
    assert data.count(old) >= 1
    path.write_bytes(bytes(data).replace(old, new))
    import sys
    import warnings

    for hide_cftime in (False, True):
        with fst24.open(path) as f, warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            assert next(iter(f)).npas == 2**26 - 1
            if hide_cftime:  # without cftime, xarray cannot decode such dates at all
                sys.modules["cftime"] = None  # type: ignore[assignment]
            try:
                f.to_xarray().load()
            finally:
                if hide_cftime:
                    del sys.modules["cftime"]
