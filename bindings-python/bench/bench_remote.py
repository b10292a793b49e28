"""Remote reads: bytes fetched, requests and time, local file vs the same file through a
real nginx on the loopback (HTTP range requests, fsspec block cache).

    python bench_remote.py /work/bench-data/gem.fst [--var TT] [--block-size 262144 ...]

For each route: open + list the records (directory only), the metadata DataFrame, then
``to_xarray`` + load one variable. Bytes and requests are nginx's own access log (what
crossed the socket), not the client's count. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import fst24
from fst24 import remote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import Nginx  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--var", default="TT")
    ap.add_argument("--block-size", type=int, nargs="+", default=[remote.BLOCK_SIZE])
    ap.add_argument("--exact", action="store_true",
                    help="also without a cache: one request per read of the core")
    a = ap.parse_args()
    path = a.path.resolve()
    size = path.stat().st_size
    rows = []

    def run(label, source, options, server=None):
        from fst24.xarray_backend import close_files

        close_files()
        mark = server.mark() if server else 0
        f, t_open = timed(lambda: fst24.open(source, storage_options=options) if options is not None else fst24.open(source))
        n = len(f)
        f.close()
        listed = server.fetched_since(mark) if server else (0, 0)
        mark = server.mark() if server else 0
        _, t_meta = timed(lambda: fst24.read_metadata([source], storage_options=options) if options is not None else fst24.read_metadata([source]))
        meta = server.fetched_since(mark) if server else (0, 0)
        close_files()
        mark = server.mark() if server else 0
        kwargs = {"storage_options": options} if options is not None else {}

        def load():
            ds = fst24.to_xarray(source, **kwargs)
            return ds[a.var].values

        values, t_load = timed(load)
        loaded = server.fetched_since(mark) if server else (0, 0)
        rows.append((label, n, t_open, listed, t_meta, meta, t_load, loaded, values.nbytes))

    def refs_route(path, url, server):
        """Plain zarr through fst24.to_references (made from the local file, chunks at
        the URL): zarr fetches the chunks of a selection concurrently."""
        import xarray as xr

        refs, t_refs = timed(lambda: fst24.to_references(path, urls=[url]))
        mark = server.mark()

        def load():
            ds = xr.open_dataset(
                "reference://", engine="zarr", chunks=None,
                backend_kwargs={"consolidated": False, "storage_options": {
                    "fo": refs, "remote_options": {"asynchronous": True}}})
            return ds[a.var].values

        values, t_load = timed(load)
        loaded = server.fetched_since(mark)
        rows.append((f"HTTP, zarr via to_references (made in {t_refs:.2f} s)", len(refs["refs"]),
                     0.0, (0, 0), 0.0, (0, 0), t_load, loaded, values.nbytes))

    run("local file (cold start)", path, None)
    rows.pop()  # the first run warms the page cache and the imports
    run("local file", path, None)
    with tempfile.TemporaryDirectory() as work:
        server = Nginx(path.parent, Path(work))
        try:
            url = f"{server.url}/{path.name}"
            for bs in a.block_size:
                run(f"HTTP, {bs >> 10} KiB blocks", url, {"block_size": bs}, server)
            if a.exact:
                run("HTTP, no cache (exact ranges)", url, {"cache_type": "none"}, server)
            refs_route(path, url, server)
        finally:
            server.close()
    print(f"file: {path.name}, {size / 1e6:.1f} MB; variable {a.var}\n")
    print("| route | records | open+list | list: requests / bytes | read_metadata (requests) | "
          "to_xarray + load var | load: requests / bytes |")
    print("|---|---|---|---|---|---|---|")
    for label, n, t_open, listed, t_meta, meta, t_load, loaded, nbytes in rows:
        print(
            f"| {label} | {n} | {t_open:.3f} s | {listed[0]} / {listed[1] / 1e6:.2f} MB | "
            f"{t_meta:.3f} s ({meta[0]}) | {t_load:.2f} s ({nbytes / 1e6:.0f} MB decoded) | "
            f"{loaded[0]} / {loaded[1] / 1e6:.1f} MB |"
        )


if __name__ == "__main__":
    main()
