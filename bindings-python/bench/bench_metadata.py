#!/usr/bin/env python3
"""Time fst24.read_metadata against rpnpy (fstinl + fstprm -> pandas) and fstd2nc.Buffer.

Not a test. Make a GEM-like file first, with librmn (needs fstd2nc-deps), e.g.:

    /work/peerenv/bin/python ../shared/tools/make_fst_corpus.py --bench gem --out /tmp

then run this script with the interpreter that has fst24 and polars installed:

    python bindings-python/bench/bench_metadata.py /tmp/gem.fst --peer-python /work/peerenv/bin/python

Peers run in their own interpreter (a venv with `pip install fstd2nc fstd2nc-deps`), one
fresh process per run, timed from after their imports, the same way as
shared/tools/bench_peers.py. The median over --runs runs is reported, then the ratios
(goal: at least 20x rpnpy and 5x fstd2nc).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

# Each peer prints one JSON line with its elapsed seconds, imports excluded.
PEERS = {
    "rpnpy list+fstprm": r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
try:
    import fstd2nc_deps  # noqa: F401  (puts the bundled librmn on the path)
except ImportError:
    pass
import rpnpy.librmn.all as rmn
import pandas as pd
rmn.fstopt(rmn.FSTOP_MSGLVL, rmn.FSTOPI_MSG_CATAST)
t0 = time.perf_counter()
unit = rmn.fstopenall(sys.argv[1], rmn.FST_RO)
df = pd.DataFrame([rmn.fstprm(k) for k in rmn.fstinl(unit)])
t1 = time.perf_counter()
rmn.fstcloseall(unit)
print(json.dumps({"seconds": t1 - t0, "rows": len(df)}))
""",
    "fstd2nc.Buffer": r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import fstd2nc
t0 = time.perf_counter()
b = fstd2nc.Buffer(sys.argv[1])
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "rows": len(b._headers["name"])}))
""",
}

OURS = r"""
import json, sys, time
import fst24, polars
t0 = time.perf_counter()
df = fst24.read_metadata(sys.argv[1], decoded=sys.argv[2] == "1")
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "rows": df.height}))
"""


def run(python: str, code: str, *args: str) -> dict:
    out = subprocess.run([python, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def median(python: str, code: str, runs: int, *args: str) -> tuple[float, int]:
    results = [run(python, code, *args) for _ in range(runs)]
    return statistics.median(r["seconds"] for r in results), results[0]["rows"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer-python", default="/work/peerenv/bin/python",
                    help="interpreter with fstd2nc and fstd2nc-deps installed")
    a = ap.parse_args()

    subprocess.run(["cat", a.file], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    t_raw, rows = median(sys.executable, OURS, a.runs, a.file, "0")
    t_dec, _ = median(sys.executable, OURS, a.runs, a.file, "1")
    print(f"file {a.file}: {rows} records, median of {a.runs} runs")
    print(f"  fst24.read_metadata (raw keys)      {t_raw * 1e3:9.2f} ms")
    print(f"  fst24.read_metadata (with decoded)  {t_dec * 1e3:9.2f} ms")
    for name, code in PEERS.items():
        try:
            t, n = median(a.peer_python, code, a.runs, a.file)
        except (subprocess.CalledProcessError, FileNotFoundError) as e:
            print(f"  {name:34s} failed: {e}")
            continue
        assert n == rows, (name, n, rows)
        print(f"  {name:34s} {t * 1e3:9.2f} ms   ratio {t / t_raw:6.1f}x raw, "
              f"{t / t_dec:6.1f}x decoded")


if __name__ == "__main__":
    main()
