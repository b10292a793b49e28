#!/usr/bin/env python3
"""fst24 side by side with rpnpy (librmn 019.5) and fstd2nc on one file, with ratios.

Usage (the interpreter needs fst24, polars, fstd2nc, fstd2nc-deps, xarray, dask, numpy<2;
/work/peerenv has them once the fst24 wheel is installed into it):

    python ../shared/tools/make_fst_corpus.py --bench gem --scale 1 --out /work/bench-data
    python benches/peers/side_by_side.py /work/bench-data/gem.fst [--runs 3] [--var TT]
        [--json out.json] [--markdown]

Every measurement runs in a fresh Python process, timed after its imports; the peers
are run through ../shared/tools/bench_peers.py (`--one NAME`) so they are timed exactly
as in ../shared/spec/peer-timings.md. Each child reports its peak memory (ru_maxrss).
The page cache is warmed first; the median of --runs runs is reported.

Compared operations:
  metadata   rpnpy fstopenall+fstinl+fstprm -> pandas   vs fst24.read_metadata -> polars
  decode all rpnpy fstluk of every record                 vs File.read per record,
                                                             File.read_many, 256 keys a call,
                                                             File.read_into, 256 keys a call
                                                             into arrays reused across calls
  dataset    fstd2nc Buffer + to_xarray                   vs fst24.to_xarray (n/a if absent)
  load var   fstd2nc ds[VAR].values                       vs fst24 ds[VAR].values
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS_SCRIPT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "tools", "bench_peers.py"))

FST24_BENCHES = ["fst24_meta", "fst24_decode", "fst24_many", "fst24_into", "fst24_xarray"]
PEER_BENCHES = ["rpnpy_meta", "rpnpy_luk", "fstd2nc"]
BATCH = 256  # records per File.read_many call in fst24_decode


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def one_fst24(name: str, path: str, var: str) -> dict:
    """One fst24 measurement, in this (fresh) process."""
    import warnings

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    import fst24
    import numpy  # noqa: F401  (else the first decoded array pays numpy's import, ~0.1-0.6 s)
    import polars  # noqa: F401  (imported before timing: read_metadata returns a DataFrame)

    t_imp = time.perf_counter()
    out = {"import_seconds": t_imp - t0}
    if name == "fst24_meta":
        df = fst24.read_metadata(path)
        t1 = time.perf_counter()
        out.update(total_seconds=t1 - t_imp, records=df.height, columns=df.width)
    elif name in ("fst24_decode", "fst24_many", "fst24_into"):
        with fst24.open(path) as f:
            t1 = time.perf_counter()
            keys = f.to_polars(decoded=False)["key"].to_list()
            t2 = time.perf_counter()
            nbytes = nval = 0
            if name == "fst24_decode":
                # Record by record, like rpnpy's fstluk loop: one output alive at a time.
                for k in keys:
                    a = f.read(k)
                    nbytes += a.nbytes
                    nval += a.size
                    del a
            elif name == "fst24_into":
                # Batches decoded on all cores into arrays reused from batch to batch
                # (File.read_into); a slot gets a new array (from File.read) only when its
                # record differs in datyp, nbits or shape from the one it was made for.
                if not hasattr(f, "read_into"):
                    out["na"] = "File.read_into not in this build"
                    keys = []
                pool, kinds = [None] * BATCH, [None] * BATCH
                for start in range(0, len(keys), BATCH):
                    batch = keys[start:start + BATCH]
                    for j, k in enumerate(batch):
                        rec = f.record(k)
                        kind = (rec.datyp, rec.nbits, rec.shape)
                        if kinds[j] != kind:
                            pool[j], kinds[j] = f.read(k), kind
                    arrays = pool[:len(batch)]
                    f.read_into(batch, arrays)
                    nbytes += sum(a.nbytes for a in arrays)
                    nval += sum(a.size for a in arrays)
            else:
                # Batches decoded on all cores; memory stays bounded by the batch.
                for start in range(0, len(keys), BATCH):
                    arrays = f.read_many(keys[start:start + BATCH])
                    nbytes += sum(a.nbytes for a in arrays)
                    nval += sum(a.size for a in arrays)
                    del arrays
            t3 = time.perf_counter()
        out.update(open_seconds=t1 - t_imp, list_seconds=t2 - t1, decode_seconds=t3 - t2,
                   total_seconds=t3 - t_imp, records=len(keys), output_bytes=nbytes, values=nval,
                   output_MB_per_s=nbytes / 1e6 / (t3 - t2))
    elif name == "fst24_xarray":
        if not hasattr(fst24, "to_xarray"):
            out["na"] = "fst24.to_xarray not in this build"
        else:
            # Imports excluded, as bench_peers.py does for fstd2nc (xarray + dask.array).
            import xarray  # noqa: F401
            import dask.array  # noqa: F401
            import fst24.xarray_backend  # noqa: F401

            t1 = time.perf_counter()
            ds = fst24.to_xarray(path)
            t2 = time.perf_counter()
            v = ds[var].values
            t3 = time.perf_counter()
            out.update(to_xarray_seconds=t2 - t1, load_var_seconds=t3 - t2, var_shape=list(v.shape),
                       n_data_vars=len(ds.data_vars))
    else:
        raise SystemExit("unknown benchmark " + name)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def run_child(name: str, path: str, var: str) -> dict:
    if name in FST24_BENCHES:
        cmd = [sys.executable, os.path.abspath(__file__), path, "--one", name, "--var", var]
    else:
        cmd = [sys.executable, PEERS_SCRIPT, path, "--one", name, "--var", var]
    p = subprocess.run(cmd, capture_output=True, text=True)
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": (p.stderr or p.stdout)[-2000:], "exit_code": p.returncode}


def median_of(runs: list[dict]) -> dict:
    med = {}
    for key in runs[0]:
        vals = [r.get(key) for r in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
            med[key] = statistics.median(vals)
        else:
            med[key] = runs[0].get(key)
    return med


def ratio(peer: float | None, ours: float | None) -> str:
    if not peer or not ours:
        return "n/a"
    return f"{peer / ours:.1f}x"


def fmt(v: float | None, unit: str = "s") -> str:
    if v is None:
        return "n/a"
    return f"{v:.3f} {unit}" if unit == "s" else f"{v:.0f} {unit}"


def table(r: dict, var: str) -> list[str]:
    def g(bench: str, key: str):
        res = r.get(bench, {})
        return None if "na" in res or "error" in res else res.get(key)

    fd_ds = None
    if g("fstd2nc", "buffer_seconds") is not None:
        fd_ds = g("fstd2nc", "buffer_seconds") + g("fstd2nc", "to_xarray_seconds")
    ours_ds = g("fst24_xarray", "to_xarray_seconds")
    rows = [
        ("metadata (open+list+keys -> DataFrame)", "rpnpy", g("rpnpy_meta", "total_seconds"),
         g("fst24_meta", "total_seconds"), g("rpnpy_meta", "peak_rss_mb"), g("fst24_meta", "peak_rss_mb")),
        ("metadata scan (fstd2nc.Buffer)", "fstd2nc", g("fstd2nc", "buffer_seconds"),
         g("fst24_meta", "total_seconds"), None, None),
        ("decode every record (File.read loop)", "rpnpy fstluk", g("rpnpy_luk", "total_seconds"),
         g("fst24_decode", "total_seconds"), g("rpnpy_luk", "peak_rss_mb"), g("fst24_decode", "peak_rss_mb")),
        (f"decode every record, read_many x{BATCH}", "rpnpy fstluk", g("rpnpy_luk", "total_seconds"),
         g("fst24_many", "total_seconds"), g("rpnpy_luk", "peak_rss_mb"), g("fst24_many", "peak_rss_mb")),
        (f"decode every record, read_into x{BATCH} (reused arrays)", "rpnpy fstluk",
         g("rpnpy_luk", "total_seconds"), g("fst24_into", "total_seconds"), g("rpnpy_luk", "peak_rss_mb"),
         g("fst24_into", "peak_rss_mb")),
        ("dataset (Buffer+to_xarray)", "fstd2nc", fd_ds, ours_ds,
         g("fstd2nc", "peak_rss_mb"), g("fst24_xarray", "peak_rss_mb")),
        (f"load one variable ({var})", "fstd2nc", g("fstd2nc", "load_var_seconds"),
         g("fst24_xarray", "load_var_seconds"), None, None),
    ]
    lines = ["| operation | peer | peer time | fst24 time | speed-up | peer peak RSS | fst24 peak RSS |",
             "|---|---|---|---|---|---|---|"]
    for op, peer, pt, ot, pm, om in rows:
        lines.append(f"| {op} | {peer} | {fmt(pt)} | {fmt(ot)} | {ratio(pt, ot)} | "
                     f"{fmt(pm, 'MB')} | {fmt(om, 'MB')} |")
    mbps = g("fst24_decode", "output_MB_per_s")
    peer_mbps = g("rpnpy_luk", "output_MB_per_s")
    if mbps and peer_mbps:
        lines.append("")
        lines.append(f"Decode throughput (MB/s of decoded output): fst24 File.read loop {mbps:.0f}, "
                     f"read_many {g('fst24_many', 'output_MB_per_s') or 0:.0f}, "
                     f"read_into {g('fst24_into', 'output_MB_per_s') or 0:.0f}, rpnpy fstluk {peer_mbps:.0f}.")
    for bench in FST24_BENCHES:
        if "na" in r.get(bench, {}):
            lines.append(f"{bench}: n/a ({r[bench]['na']})")
    return lines


def print_report(report: dict) -> None:
    print(f"{report['file']}: {report['bytes'] / 1e6:.0f} MB, {report['runs']} runs (median), "
          f"{report['cpus']} CPUs, load average {report['loadavg_before'][0]:.1f} -> "
          f"{report['loadavg_after'][0]:.1f}")
    print("\n".join(table(report["results"], report["var"])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--var", default="TT")
    ap.add_argument("--only", default=",".join(FST24_BENCHES + PEER_BENCHES))
    ap.add_argument("--json")
    ap.add_argument("--from-json", help="print the table of an earlier --json report instead of running")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print("RESULT " + json.dumps(one_fst24(a.one, a.path, a.var)), flush=True)
        return
    if a.from_json:
        with open(a.from_json) as f:
            report = json.load(f)
        print_report(report)
        return
    with open(os.devnull, "wb") as dn:  # warm the page cache
        subprocess.run(["cat", a.path], stdout=dn, check=True)
    report = {"file": os.path.basename(a.path), "bytes": os.path.getsize(a.path), "runs": a.runs,
              "var": a.var, "cpus": os.cpu_count(), "loadavg_before": os.getloadavg(), "results": {}}
    for name in a.only.split(","):
        runs = [run_child(name, a.path, a.var) for _ in range(a.runs)]
        errors = [r for r in runs if "error" in r]
        med = errors[0] if errors else median_of(runs)
        report["results"][name] = med
        print(name, json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in med.items()}),
              file=sys.stderr, flush=True)
    report["loadavg_after"] = os.getloadavg()
    print_report(report)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
