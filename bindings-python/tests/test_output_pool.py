"""read_many's output blocks are kept for its next calls once their arrays are gone: never
while an array (or a view of one) lives, at most 128 MiB of them, released once 4 calls in
a row did not take them."""

from __future__ import annotations

import gc
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import fst24

POOL_BYTES = 128 << 20  # output_pool.rs: POOL_BYTES


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@pytest.fixture
def two_mib(tmp_path):
    """A file with one 2 MiB float32 record (1024 x 512) and one small record: a batch of
    n copies of the first fills one block of 2n MiB (up to 32 MiB)."""
    rng = np.random.default_rng(11)
    big = np.asfortranarray(rng.standard_normal((1024, 512)).astype(np.float32))
    small = np.asfortranarray(big[:10, :10])
    path = str(tmp_path / "pool.fst")
    with fst24.open(path, "w") as w:
        w.write(big, nomvar="TT", ip1=1, datyp=5, nbits=32)
        w.write(small, nomvar="TT", ip1=2, datyp=5, nbits=32)
    with fst24.open(path) as f:
        yield f, big


def _empty_the_pool(f):
    """4 calls without large outputs release every free block (output_pool.rs: IDLE_CALLS)."""
    gc.collect()
    for _ in range(4):
        f.read_many([1])


def test_a_dropped_batch_lends_its_block_to_the_next(two_mib):
    f, big = two_mib
    _empty_the_pool(f)
    first = f.read_many([0] * 3)
    assert len({id(a.base) for a in first}) == 1
    block = weakref.ref(first[0].base)
    del first
    second = f.read_many([0] * 3)
    assert second[0].base is block(), "the freed block was not reused"
    for a in second:
        assert a.flags.f_contiguous and a.flags.writeable and a.flags.aligned
        np.testing.assert_array_equal(a, big)
    # A smaller batch takes a block up to twice its size.
    del second, a
    third = f.read_many([0] * 2)
    assert third[0].base is block()
    np.testing.assert_array_equal(third[1], big)


def test_a_kept_array_keeps_its_block_out_of_the_pool(two_mib):
    f, big = two_mib
    _empty_the_pool(f)
    first = f.read_many([0] * 3)
    kept = first[1]
    view = first[2][::2, 1:]  # a view of a view holds the block too
    del first
    second = f.read_many([0] * 3)
    assert second[0].base is not kept.base
    for a in second:
        a[...] = -1
    np.testing.assert_array_equal(kept, big)
    np.testing.assert_array_equal(view, big[::2, 1:])
    assert not any(np.shares_memory(kept, a) or np.shares_memory(view, a) for a in second)


def test_the_pool_is_bounded_and_memory_returns(two_mib):
    f, big = two_mib
    _empty_the_pool(f)
    before = _rss_bytes()
    batches = [f.read_many([0] * 16) for _ in range(6)]  # six 32 MiB blocks, all kept
    blocks = [weakref.ref(b[0].base) for b in batches]
    assert len({id(b()) for b in blocks}) == 6
    np.testing.assert_array_equal(batches[-1][-1], big)
    del batches
    gc.collect()
    alive = sum(b() is not None for b in blocks)
    assert alive <= POOL_BYTES // (32 << 20), alive
    _empty_the_pool(f)
    assert all(b() is None for b in blocks)
    assert _rss_bytes() < before + (32 << 20)


def test_a_block_changed_through_base_is_not_reused(two_mib):
    f, big = two_mib
    _empty_the_pool(f)
    first = f.read_many([0] * 3)
    base = first[0].base
    base.flags.writeable = False
    block = weakref.ref(base)
    del first, base
    second = f.read_many([0] * 3)
    assert second[0].base is not block()
    for a in second:
        assert a.flags.writeable
        np.testing.assert_array_equal(a, big)


def test_threads_never_share_a_block(two_mib):
    f, big = two_mib

    def loop(sentinel):
        for _ in range(20):
            arrays = f.read_many([0] * 3)
            for a in arrays:
                np.testing.assert_array_equal(a, big)
                a[...] = sentinel
            for a in arrays:
                assert (a == sentinel).all()
            del arrays

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(loop, [-1.0, -2.0]))


def test_a_free_block_outlives_three_calls_that_pass_it_over(two_mib):
    # Threads streaming batches side by side take each other's freed blocks: one call that
    # does not need a block must not release it.
    f, big = two_mib
    _empty_the_pool(f)
    block = weakref.ref(f.read_many([0] * 3)[0].base)
    for _ in range(3):
        f.read_many([1])
    assert block() is not None
    again = f.read_many([0] * 3)
    assert again[0].base is block()
    del again
    for _ in range(4):
        f.read_many([1])
    assert block() is None
