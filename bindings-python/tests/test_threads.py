"""One File shared by many threads gives the same arrays as a single thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

import fst24


def _decode_all(f: fst24.File) -> list[np.ndarray]:
    return [f.read(r.key) for r in f]


def test_concurrent_reads_are_identical(mixed_xdf, mixed_rsf):
    for path in (mixed_xdf, mixed_rsf):
        with fst24.open(path) as f:
            expected = _decode_all(f)
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(lambda _: _decode_all(f), range(16)))
            for run in results:
                assert len(run) == len(expected)
                for a, b in zip(run, expected):
                    assert a.dtype == b.dtype
                    np.testing.assert_array_equal(a, b)


def test_concurrent_lazy_data_and_frames(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        recs = list(f)
        expected = [r.read() for r in recs]

        def work(i: int):
            df = f.to_polars()
            arrays = f.read(df)
            data = [r.data for r in recs]
            return df.height, arrays, data

        with ThreadPoolExecutor(max_workers=6) as pool:
            for height, arrays, data in pool.map(work, range(12)):
                assert height == len(recs)
                for a, b, c in zip(arrays, data, expected):
                    np.testing.assert_array_equal(a, c)
                    np.testing.assert_array_equal(b, c)


def test_gil_is_released_while_rust_decodes(mixed_xdf):
    """A pure-Python thread keeps running while read_many decodes in Rust.

    Were the GIL held for the whole call, the spinner could run at most one switch
    interval (5 ms) of it; it must instead run for several intervals' worth.
    """
    import threading
    import time

    with fst24.open(mixed_xdf) as f:
        big = max(f, key=lambda r: r.ni * r.nj * r.nk if r.datyp % 64 in (1, 5, 6) else 0)
        counter = [0]
        stop = threading.Event()

        def spin():
            while not stop.is_set():
                counter[0] += 1

        t = threading.Thread(target=spin)
        t.start()
        try:
            before = counter[0]
            time.sleep(0.05)  # sleeping releases the GIL: the spinner's free-running rate
            rate = (counter[0] - before) / 0.05
            n = 1000
            while True:
                before = counter[0]
                t0 = time.perf_counter()
                arrays = f.read_many([big.key] * n)
                elapsed = time.perf_counter() - t0
                during = counter[0] - before
                if elapsed > 0.2 or n > 200_000:
                    break
                n *= 4
        finally:
            stop.set()
            t.join()
        assert len(arrays) == n
        assert during > rate * 0.025, (during, rate, elapsed)
