"""Batched decoding into numpy memory: File.read_many and File.read_into."""

from __future__ import annotations

import numpy as np
import pytest

import fst24


def _decodable(f) -> list[int]:
    keys = []
    for rec in f:
        try:
            f.read(rec.key)
        except fst24.Error:
            continue
        keys.append(rec.key)
    return keys


@pytest.mark.parametrize("name", ["mixed_xdf", "mixed_rsf"])
def test_read_many_equals_read_for_every_datyp(name, request):
    path = request.getfixturevalue(name)
    with fst24.open(path) as f:
        keys = _decodable(f)
        datyps = {f.record(k).datyp % 64 for k in keys}
        # Numeric records take the in-place path; binary (0), characters (3) and complex
        # (8) the copying one: a batch mixing them must keep each array in its place.
        assert {0, 1, 3, 5}.issubset(datyps), datyps
        for key, arr in zip(keys, f.read_many(keys)):
            one = f.read(key)
            assert arr.dtype == one.dtype and arr.shape == one.shape, key
            assert arr.flags.f_contiguous and arr.flags.writeable
            np.testing.assert_array_equal(arr, one)


def test_read_into_reuses_caller_arrays(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        keys = [k for k in _decodable(f) if f.record(k).datyp % 64 in (1, 2, 4, 5, 6)]
        assert len(keys) > 3
        expected = [f.read(k) for k in keys]
        outs = [np.full(e.shape, 7, dtype=e.dtype, order="F") for e in expected]
        for _ in range(2):  # the second pass overwrites the first's values
            assert f.read_into(keys, outs) is None
            for e, o in zip(expected, outs):
                np.testing.assert_array_equal(o, e)
        # One row and one array; a flat array of the right size is fine too.
        flat = np.zeros(expected[0].size, dtype=expected[0].dtype)
        f.read_into(keys[0], flat)
        np.testing.assert_array_equal(flat, expected[0].ravel(order="F"))


def test_read_into_refuses_bad_out_arrays(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        rec = next(r for r in f if r.datyp % 64 == 5 and r.ni > 1 and r.nj > 1)
        good = f.read(rec.key)
        with pytest.raises(fst24.UsageError, match="dtype"):
            other = np.float64 if good.dtype == np.float32 else np.float32
            f.read_into(rec.key, np.zeros(good.shape, dtype=other, order="F"))
        with pytest.raises(fst24.UsageError, match="Fortran"):
            f.read_into(rec.key, np.zeros(good.shape, dtype=good.dtype, order="C"))
        with pytest.raises(fst24.Error):
            f.read_into(rec.key, np.zeros(good.size + 1, dtype=good.dtype))
        with pytest.raises(fst24.UsageError, match="out arrays"):
            f.read_into([rec.key, rec.key], [np.zeros_like(good, order="F")])
        same = np.zeros_like(good, order="F")
        with pytest.raises(fst24.UsageError, match="written"):
            f.read_into([rec.key, rec.key], [same, same])
        frozen = np.zeros_like(good, order="F")
        frozen.flags.writeable = False
        with pytest.raises(fst24.UsageError, match="written"):
            f.read_into(rec.key, frozen)
        binary = next(r for r in f if r.datyp % 64 == 0)
        with pytest.raises(fst24.UsageError, match="File.read"):
            f.read_into(binary.key, np.zeros(64, dtype=np.uint32))


def test_read_many_spans_several_output_blocks(mixed_xdf):
    # read_many carves outputs out of 32 MiB numpy blocks: a batch of more than 64 MiB spans
    # several blocks and must give independent arrays, each equal to a single read.
    with fst24.open(mixed_xdf) as f:
        big = max((r for r in f if r.datyp % 64 in (1, 5)), key=lambda r: r.ni * r.nj * r.nk)
        one = f.read(big.key)
        n = (64 << 20) // one.nbytes + 3
        arrays = f.read_many([big.key] * n)
        assert len(arrays) == n
        bases = {id(a.base) for a in arrays}
        assert len(bases) >= 2, "expected the batch to span more than one block"
        for a in arrays:
            np.testing.assert_array_equal(a, one)
        arrays[0][...] = 0  # arrays share blocks, never memory
        np.testing.assert_array_equal(arrays[1], one)
        assert not np.shares_memory(arrays[0], arrays[1])


def _hugepage_hint() -> bool:
    """numpy's huge-page hint switch, read without changing it."""
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        from numpy.core.multiarray import _set_madvise_hugepage
    state = _set_madvise_hugepage(True)
    _set_madvise_hugepage(state)
    return bool(state)


@pytest.mark.parametrize("hint", [True, False])
def test_large_outputs_hold_their_values_and_leave_numpy_as_it_was(tmp_path, hint):
    """Outputs of 4 MiB and more take the binding's own allocation path (numpy.empty with
    numpy's huge-page hint off, pages populated first): same values, layout and flags as
    small ones, every reader, and numpy's switch is left as the caller set it."""
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:
        from numpy.core.multiarray import _set_madvise_hugepage
    rng = np.random.default_rng(7)
    big = np.asfortranarray(rng.standard_normal((1100, 1000)).astype(np.float32))
    small = np.asfortranarray(big[:30, :20])
    path = str(tmp_path / "big.fst")
    with fst24.open(path, "w") as w:
        for i, a in enumerate([big, small, big * 2]):
            w.write(a, nomvar="TT", ip1=i + 1, datyp=5, nbits=32)
    before = _set_madvise_hugepage(hint)
    try:
        with fst24.open(path) as f:
            keys = [r.key for r in f]
            wanted = [big, small, big * 2]
            arrays = [f.read(k) for k in keys] + f.read_many(keys) + f.read_many(keys[::-1])[::-1]
            assert _hugepage_hint() is hint
            for arr, want in zip(arrays, wanted * 3):
                assert arr.flags.f_contiguous and arr.flags.writeable
                assert arr.dtype == np.float32 and arr.shape == want.shape
                np.testing.assert_array_equal(arr, want)
            # Arrays from one block stay valid after the others are gone.
            last = f.read_many(keys)[2]
            np.testing.assert_array_equal(last, big * 2)
            loaded = fst24.to_xarray(path).load()
            assert _hugepage_hint() is hint
            tt = loaded["TT_1100x1000"]
            assert tt.nbytes >= 8 << 20
            levels = np.squeeze(tt.values)  # (level, y, x)
            np.testing.assert_array_equal(levels[0].T, big)
            np.testing.assert_array_equal(levels[1].T, big * 2)
    finally:
        _set_madvise_hugepage(before)
