"""Benchmark (not a test): fst24.to_xarray vs fstd2nc on a GEM-like bench file.

Make the file once (needs ``pip install fstd2nc-deps 'numpy<2'``; the default is ≈1.5 GB):

    python ../shared/tools/make_fst_corpus.py --bench gem --out /work/bench-data

then, in a venv with fst24, fstd2nc, xarray and dask:

    python bindings-python/bench/bench_xarray.py /work/bench-data/gem.fst [--var TT]

Each library is timed in this one process, best of ``--repeat`` runs, for:
``open`` (build the lazy Dataset), ``load`` (one 3-D variable: the first time step of
``--var``, levels × y × x) and ``total``; then the ratios fstd2nc / fst24 are printed.
Each repetition builds a fresh Dataset, so fst24's plan and fstd2nc's scan are redone
(the operating system's page cache stays warm for both after the first run).
"""

from __future__ import annotations

import argparse
import time
import warnings


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def run_fst24(path, var):
    import fst24

    ds, t_open = timed(lambda: fst24.to_xarray(path))
    da = ds[var]
    data, t_load = timed(lambda: da.isel({da.dims[0]: 0}).values)
    return data, t_open, t_load


def run_fst24_dask(path, var):
    import fst24

    ds, t_open = timed(lambda: fst24.to_xarray(path, chunks={}))
    da = ds[var]
    data, t_load = timed(lambda: da.isel({da.dims[0]: 0}).values)
    return data, t_open, t_load


def run_fstd2nc(path, var):
    import fstd2nc

    ds, t_open = timed(lambda: fstd2nc.Buffer(path).to_xarray())
    da = ds[var]
    data, t_load = timed(lambda: da.isel({da.dims[0]: 0}).values)
    return data, t_open, t_load


def best(runner, path, var, repeat):
    runs = [runner(path, var) for _ in range(repeat)]
    t_open = min(r[1] for r in runs)
    t_load = min(r[2] for r in runs)
    t_total = min(r[1] + r[2] for r in runs)
    return runs[-1][0], t_open, t_load, t_total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--var", default="TT")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import numpy as np

    ours = best(run_fst24, args.path, args.var, args.repeat)
    ours_dask = best(run_fst24_dask, args.path, args.var, args.repeat)
    theirs = best(run_fstd2nc, args.path, args.var, args.repeat)
    print(f"file {args.path}, variable {args.var}[time=0] shape {ours[0].shape}")
    same = all(
        np.allclose(o[0], theirs[0], rtol=1e-6, equal_nan=True) for o in (ours, ours_dask)
    )
    print(f"same values as fstd2nc: {same}")
    print("fstd2nc's Dataset is dask-backed; fst24 is timed lazy (numpy) and with chunks={}")
    print(f"{'step':8}{'fst24 s':>10}{'ratio':>8}{'fst24+dask s':>14}{'ratio':>8}{'fstd2nc s':>11}")
    for i, step in enumerate(("open", "load", "total"), start=1):
        print(
            f"{step:8}{ours[i]:10.4f}{theirs[i] / ours[i]:7.1f}x"
            f"{ours_dask[i]:14.4f}{theirs[i] / ours_dask[i]:7.1f}x{theirs[i]:11.4f}"
        )


if __name__ == "__main__":
    main()
