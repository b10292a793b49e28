"""File.read of many records on a URL: one request after another (the block cache, as
before the prefetch) vs the records' byte ranges fetched concurrently (fsspec
``cat_ranges``, in batches of at most 64 MiB), through a real nginx on the loopback,
directly and behind a proxy adding a fixed delay per request (a simulated round trip).

    python bench_remote_read.py /work/bench-data/gem.fst [--var TT] [--delay-ms 0 5 20]

Requests and bytes are nginx's access log. Prints a Markdown table (best of --repeat).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fst24
from fst24 import _fst24, remote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "tests"))
from servers import Nginx, _wait_http, free_port  # noqa: E402


def sequential_open(url: str) -> "fst24.File":
    """The URL opened as before the prefetch: reads go through the block cache one after
    another."""
    target = remote.url(url)
    fs, fs_path = remote._filesystem(target, {})
    handle = fs.open(fs_path, "rb", block_size=remote.BLOCK_SIZE, cache_type="blockcache")
    return _fst24._open_filelike(remote._PrefetchingFile(fs, fs_path, handle), url)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--var", default="TT")
    ap.add_argument("--delay-ms", type=float, nargs="+", default=[0.0, 5.0, 20.0])
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    path = a.path.resolve()
    with fst24.open(path) as local:
        records = local.find(nomvar=a.var)
        keys = [r.key for r in records]
        stored = sum(r.length for r in records)
        t = time.perf_counter()
        local.read(keys)
        t_local = time.perf_counter() - t
    rows = []
    with tempfile.TemporaryDirectory() as work:
        server = Nginx(path.parent, Path(work))
        try:
            for delay in a.delay_ms:
                proxy = None
                base = server.url
                if delay:
                    port = free_port()
                    proxy = subprocess.Popen(
                        [sys.executable, str(HERE / "latency_proxy.py"), str(port),
                         str(server.port), str(delay)], stdout=subprocess.DEVNULL)
                    base = f"http://127.0.0.1:{port}"
                    _wait_http(base + "/", proxy, "latency proxy", Path(work) / "error.log")
                url = f"{base}/{path.name}"
                try:
                    for label, opener in (("one after another (before)", sequential_open),
                                          ("concurrent prefetch (after)", fst24.open)):
                        best = None
                        for _ in range(a.repeat):
                            with opener(url) as f:
                                mark = server.mark()
                                t = time.perf_counter()
                                f.read(keys)
                                seconds = time.perf_counter() - t
                                requests, sent = server.fetched_since(mark, path.name)
                            if best is None or seconds < best[0]:
                                best = (seconds, requests, sent)
                        rows.append((delay, label) + best)
                finally:
                    if proxy is not None:
                        proxy.kill()
                        proxy.wait()
        finally:
            server.close()
    print(f"file {path.name}: File.read of {len(keys)} {a.var} records, "
          f"{stored / 1e6:.1f} MB stored; local read {t_local:.2f} s\n")
    print("| added delay / request | route | requests | bytes fetched | time |")
    print("|---|---|---|---|---|")
    for delay, label, seconds, requests, sent in rows:
        print(f"| {delay:g} ms | {label} | {requests} | {sent / 1e6:.1f} MB | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
