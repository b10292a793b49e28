#!/usr/bin/env python3
"""fst24 side by side with rpnpy (librmn 019.5) and fstd2nc on one file, with ratios.

Usage (the interpreter needs fst24, polars, fstd2nc, fstd2nc-deps, xarray, dask, numpy<2;
bindings-python/ci.sh builds such a venv under target/pyenv):

    python ../shared/tools/make_fst_corpus.py --bench gem --scale 1 --out /work/bench-data
    python benches/peers/side_by_side.py /work/bench-data/gem.fst [--runs 5] [--var TT]
        [--only ROW,ROW] [--write-records N] [--base UNPACKED_WHEEL] [--json out.json]

How it measures (issue #18):
  * every measurement runs in a fresh Python process that first imports EVERYTHING
    either side may touch (fst24 and its xarray backend, numpy, polars, pandas, xarray,
    dask.array, netCDF4, every fstd2nc module, rpnpy.librmn and rpnpy.vgd with their
    libraries); the clock starts after the imports, on both sides;
  * the peer and fst24 runs of a row are interleaved (peer, fst24, fst24, peer, peer, ...:
    the order flips every round, so neither side always runs right after the other's
    process freed its memory), so a change in the machine's load hits both sides alike;
    each round gives one ratio
    (peer / fst24) and the table shows the median and the min-max of those ratios;
  * each child reports wall time and CPU time (user + system of all its threads, from
    getrusage) of the timed part, and its peak RSS (ru_maxrss, which counts mapped
    page-cache pages of files >= 1 GiB as well as the heap);
  * the thread count of each side is printed per row: rpnpy and fstd2nc decode on one
    thread; fst24's File.read loop decodes on one thread; read_many / read_into use
    every core (rayon; RAYON_NUM_THREADS or --threads sets it).

The peers' operations are the ones of ../shared/tools/bench_peers.py (same calls), run
from this script so that their imports can be taken out of the clock too (fstd2nc
imports ~24 modules lazily inside Buffer() / to_xarray()).

Rows (ROW names for --only):
  meta       rpnpy fstopenall+fstinl+fstprm -> pandas   vs fst24.read_metadata -> polars
  scan       fstd2nc.Buffer(FILE)                       vs fst24.read_metadata
  luk        rpnpy fstluk of every record (1 thread)    vs File.read per record (1 thread)
  many       same peer                                  vs File.read_many x256 (all cores)
  into       same peer                                  vs File.read_into x256 (all cores)
  files      fstd2nc.Buffer(every file of --files DIR)  vs fst24.read_metadata(the same paths)
             (fstd2nc scans the files in a multiprocessing Pool of one process per CPU:
             its CPU time counts its children, RUSAGE_CHILDREN; fst24 lists them on
             every core with rayon)
  dataset    fstd2nc Buffer + to_xarray                 vs fst24.to_xarray
  load       fstd2nc ds[VAR].values                     vs fst24 ds[VAR].values
  loadall    fstd2nc Buffer+to_xarray().load()          vs fst24.to_xarray().load() (every
             variable into memory; a process of its own, the open not timed)
  write_r16_xdf, write_r16_rsf, write_e32_xdf, write_e32_rsf (and writemany_...: the same
             records through one Writer.write_many call, packed on every core)
             rpnpy fstecr of the first --write-records float records that librmn's
             R16 packer accepts (finite, |x| < 1e30; same records both sides) (datyp 1 nbits 16, or
             datyp 5 nbits 32) into a new XDF file (librmn 019 writes XDF only)
             vs fst24.open(new, "w", backend=...).write(...) of the same arrays; the
             arrays are decoded before the clock, open + writes + close are timed.
  copy       numpy np.copyto of every record's bytes between two pre-faulted arrays
             (1 thread; the memcpy bound) vs File.read_into of every record into views of
             one pre-faulted array (1 thread). The ratio is the fraction of memcpy
             bandwidth fst24 reaches (issue #18: >= 0.5 for E32/E64).
Run it on files of every packing (make_fst_corpus.py --datyp 5 --nbits 32 for E32,
--datyp 134 for turbo, --datyp 65 for R16 with missing values) to get per-packing rows,
or give --families DIR to run the decode rows (luk, many; --only to choose) on each
packing's bench file found in DIR (FAMILIES below: make them with
make_fst_corpus.py --bench NAME --scale 0.5 --datyp D --nbits N --out DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

BATCH = 256  # records per File.read_many / read_into call
WRITE_PACKINGS = {"r16": (1, 16), "e32": (5, 32)}

# row -> (label, peer bench, peer value key, fst24 bench, fst24 value key, peer threads, fst24 threads)
ROWS = {
    "meta": ("metadata (open+list+keys -> DataFrame)", "rpnpy_meta", "total_seconds",
             "fst24_meta", "total_seconds", "1", "all"),
    "scan": ("metadata scan (fstd2nc.Buffer vs read_metadata)", "fstd2nc", "buffer_seconds",
             "fst24_meta", "total_seconds", "1", "all"),
    "files": ("metadata, many files (fstd2nc.Buffer vs read_metadata)", "fstd2nc_files",
              "buffer_seconds", "fst24_meta_files", "total_seconds", "Pool", "all"),
    "luk": ("decode every record, File.read loop", "rpnpy_luk", "decode_seconds",
            "fst24_decode", "decode_seconds", "1", "1"),
    "many": (f"decode every record, read_many x{BATCH}", "rpnpy_luk", "decode_seconds",
             "fst24_many", "decode_seconds", "1", "all"),
    "into": (f"decode every record, read_into x{BATCH} (reused arrays)", "rpnpy_luk", "decode_seconds",
             "fst24_into", "decode_seconds", "1", "all"),
    "dataset": ("dataset (Buffer+to_xarray)", "fstd2nc", "dataset_seconds",
                "fst24_xarray", "to_xarray_seconds", "1", "1"),
    "load": ("load one variable", "fstd2nc", "load_var_seconds",
             "fst24_xarray", "load_var_seconds", "1", "all"),
    "loadall": ("load every variable (ds.load())", "fstd2nc_loadall", "load_all_seconds",
                "fst24_loadall", "load_all_seconds", "1", "all"),
}
for _p in WRITE_PACKINGS:
    for _b in ("xdf", "rsf"):
        ROWS[f"write_{_p}_{_b}"] = (f"write {_p.upper()} ({_b.upper()} for fst24; XDF for librmn)",
                                    f"rpnpy_write_{_p}", "write_seconds",
                                    f"fst24_write_{_p}_{_b}", "write_seconds", "1", "1")
        ROWS[f"writemany_{_p}_{_b}"] = (f"write {_p.upper()} batch ({_b.upper()}; Writer.write_many)",
                                        f"rpnpy_write_{_p}", "write_seconds",
                                        f"fst24_writemany_{_p}_{_b}", "write_seconds", "1", "all")
ROWS["copy"] = ("numpy copyto (memcpy) vs File.read_into, per record", "numpy_copy", "decode_seconds",
                "fst24_into1", "decode_seconds", "1", "1")

# packing -> bench file name in --families DIR (librmn-written, make_fst_corpus.py --bench).
FAMILIES = {
    "R16 (1)": "gemh.fst",            # --datyp 1 --nbits 16 --scale 0.5
    "E32 (5)": "gem32.fst",           # --datyp 5 --nbits 32
    "F16 (6)": "gemf16.fst",          # --datyp 6 --nbits 16
    "U16 (2)": "gemu16.fst",          # --datyp 2 --nbits 16
    "I16 (4)": "gemi16.fst",          # --datyp 4 --nbits 16
    "R16 turbo (129)": "gem129.fst",  # --datyp 129 --nbits 16
    "E32 turbo (133)": "gem133.fst",  # --datyp 133 --nbits 32
    "F16 turbo (134)": "turbo.fst",   # --datyp 134 --nbits 16
    "R16 +64 (65)": "gem64m.fst",     # --datyp 65 --nbits 16
}
FAMILY_ROWS = ["luk", "many"]

DEFAULT_ROWS = ["meta", "scan", "luk", "many", "into", "dataset", "load", "loadall",
                "write_r16_xdf", "write_r16_rsf", "write_e32_xdf", "write_e32_rsf"]


def preload() -> None:
    """Imports every module either side may use, so that no clock pays for an import."""
    import importlib
    import pkgutil
    import warnings

    warnings.simplefilter("ignore")
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import polars  # noqa: F401
    import xarray  # noqa: F401
    import dask.array  # noqa: F401
    import netCDF4  # noqa: F401
    import fst24
    import fst24.xarray_backend  # noqa: F401

    try:
        import fstd2nc_deps  # noqa: F401  (puts the bundled rpnpy/librmn on the path)
    except ImportError:
        pass
    import rpnpy.librmn.all as rmn
    import rpnpy.vgd.all  # noqa: F401  (loads libvgrid, which fstd2nc's vcoords uses)
    import fstd2nc

    for m in pkgutil.walk_packages(fstd2nc.__path__, "fstd2nc."):
        if not m.name.endswith("__main__"):
            importlib.import_module(m.name)
    rmn.fstopt(rmn.FSTOP_MSGLVL, rmn.FSTOPI_MSG_CATAST)
    del fst24


def cpu_seconds() -> float:
    """User + system CPU of this process (all threads) and of its waited-for children
    (fstd2nc's multiprocessing Pool workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Clock:
    """Wall and CPU (user+sys, all threads and children) time of a block."""

    def __enter__(self):
        self.c0, self.t0 = cpu_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.cpu = cpu_seconds() - self.c0
        return False


def listed_files(directory: str) -> list:
    """The standard files of `directory` (sorted), for the many-files rows."""
    if not directory:
        raise SystemExit("the 'files' row needs --files DIR")
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".fst"))


def timed(out: dict, key: str, clock: Clock) -> None:
    out[key] = clock.wall
    out[key.replace("_seconds", "_cpu_seconds")] = clock.cpu


def peer_records(path: str, limit: int):
    """rpnpy: the first `limit` records (data + parameters), decoded before any clock."""
    import rpnpy.librmn.all as rmn

    unit = rmn.fstopenall(path, rmn.FST_RO)
    recs = [r for r in (rmn.fstluk(k) for k in rmn.fstinl(unit)) if packable(r["d"])][:limit]
    rmn.fstcloseall(unit)
    return recs


def packable(a) -> bool:
    """Both writers get the same records: float32 fields librmn's R16 packer accepts
    (finite, |x| < 1e30; the E32 bench files hold a few fields near 3e38)."""
    import numpy as np

    return a.dtype == np.float32 and bool(np.isfinite(a).all()) and float(np.abs(a).max()) < 1e30


def fst24_records(path: str, limit: int):
    """fst24: the first `limit` records' arrays and keys, decoded before any clock."""
    import fst24

    with fst24.open(path) as f:
        df = f.to_polars(decoded=False)
        arrays = f.read_many(df["key"].to_list())
    keep = [i for i, a in enumerate(arrays) if packable(a)][:limit]
    arrays, df = [arrays[i] for i in keep], df[keep]
    cols = ["nomvar", "typvar", "etiket", "ip1", "ip2", "ip3", "dateo", "deet", "npas",
            "grtyp", "ig1", "ig2", "ig3", "ig4"]
    return list(zip(arrays, df.select(cols).to_dicts()))


def one(name: str, path: str, var: str, write_records: int, files_dir: str = "") -> dict:
    preload()
    import fst24

    out: dict = {}
    if name == "fst24_meta_files":
        paths = listed_files(files_dir)
        with Clock() as c:
            df = fst24.read_metadata(paths)
        timed(out, "total_seconds", c)
        out.update(records=df.height, files=len(paths))
    elif name == "fstd2nc_files":
        import fstd2nc

        paths = listed_files(files_dir)
        with Clock() as c:
            b = fstd2nc.Buffer(paths)
        timed(out, "buffer_seconds", c)
        out.update(files=len(paths), records=int(len(b._headers["nomvar"])))
    elif name == "fst24_meta":
        with Clock() as c:
            df = fst24.read_metadata(path)
        timed(out, "total_seconds", c)
        out.update(records=df.height)
    elif name in ("fst24_decode", "fst24_many", "fst24_into"):
        with fst24.open(path) as f:
            keys = f.to_polars(decoded=False)["key"].to_list()
            nbytes = 0
            with Clock() as c:
                if name == "fst24_decode":
                    for k in keys:  # one output alive at a time, like an fstluk loop
                        a = f.read(k)
                        nbytes += a.nbytes
                        del a
                elif name == "fst24_into":
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
                else:
                    for start in range(0, len(keys), BATCH):
                        arrays = f.read_many(keys[start:start + BATCH])
                        nbytes += sum(a.nbytes for a in arrays)
                        del arrays
        timed(out, "decode_seconds", c)
        out.update(records=len(keys), output_bytes=nbytes)
    elif name in ("fst24_into1", "numpy_copy"):
        import numpy as np

        with fst24.open(path) as f:
            keys = f.to_polars(decoded=False)["key"].to_list()
            recs = [f.record(k) for k in keys]
            protos = [f.read(k) for k in keys]  # dtype and shape of each output
        total = sum(a.nbytes for a in protos)
        dst = np.ones(total + 64 * len(protos), np.uint8)  # written once: pre-faulted
        src = np.ones_like(dst) if name == "numpy_copy" else None

        def views(buf):
            out, at = [], 0
            for a in protos:
                out.append(buf[at:at + a.nbytes].view(a.dtype).reshape(a.shape, order="F"))
                at += (a.nbytes + 63) // 64 * 64
            return out

        dviews = views(dst)
        del recs
        if name == "numpy_copy":
            sviews = views(src)
            with Clock() as c:
                for d, s_ in zip(dviews, sviews):
                    np.copyto(d, s_)
        else:
            with fst24.open(path) as f:
                with Clock() as c:
                    for k, d in zip(keys, dviews):
                        f.read_into(k, d, missing="plug")
        timed(out, "decode_seconds", c)
        out.update(records=len(keys), output_bytes=total)
    elif name == "fst24_xarray":
        with Clock() as c:
            ds = fst24.to_xarray(path)
        timed(out, "to_xarray_seconds", c)
        with Clock() as c:
            v = ds[var].values
        timed(out, "load_var_seconds", c)
        out.update(var_shape=list(v.shape))
    elif name in ("fst24_loadall", "fstd2nc_loadall"):
        if name == "fst24_loadall":
            ds = fst24.to_xarray(path)
        else:
            import fstd2nc

            ds = fstd2nc.Buffer(path).to_xarray()
        with Clock() as c:
            ds.load()
        timed(out, "load_all_seconds", c)
        out.update(output_bytes=int(ds.nbytes), variables=len(ds.data_vars))
    elif name.startswith(("fst24_write_", "fst24_writemany_")):
        _, how, packing, backend = name.split("_")
        datyp, nbits = WRITE_PACKINGS[packing]
        recs = fst24_records(path, write_records)
        with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(path))) as tmp:
            target = os.path.join(tmp, "out.fst")
            with Clock() as c:
                with fst24.open(target, "w", backend=backend) as w:
                    if how == "writemany":
                        w.write_many((a, dict(keys, datyp=datyp, nbits=nbits)) for a, keys in recs)
                    else:
                        for a, keys in recs:
                            w.write(a, datyp=datyp, nbits=nbits, **keys)
            timed(out, "write_seconds", c)
            out.update(records=len(recs), input_bytes=sum(a.nbytes for a, _ in recs),
                       output_bytes=os.path.getsize(target))
    elif name in ("rpnpy_meta", "rpnpy_luk"):
        import pandas as pd
        import rpnpy.librmn.all as rmn

        with Clock() as c:
            unit = rmn.fstopenall(path, rmn.FST_RO)
            keys = rmn.fstinl(unit)
            if name == "rpnpy_meta":
                pd.DataFrame([rmn.fstprm(k) for k in keys])
        timed(out, "total_seconds", c)
        if name == "rpnpy_luk":
            nbytes = 0
            with Clock() as c:
                for k in keys:
                    nbytes += rmn.fstluk(k)["d"].nbytes
            timed(out, "decode_seconds", c)
            out.update(output_bytes=nbytes)
        rmn.fstcloseall(unit)
        out.update(records=len(keys))
    elif name.startswith("rpnpy_write_"):
        import rpnpy.librmn.all as rmn

        datyp, nbits = WRITE_PACKINGS[name.split("_")[2]]
        recs = peer_records(path, write_records)
        for r in recs:
            r["datyp"], r["nbits"] = datyp, nbits
        with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(path))) as tmp:
            target = os.path.join(tmp, "out.fst")
            with Clock() as c:
                unit = rmn.fstopenall(target, rmn.FST_RW)
                for r in recs:
                    rmn.fstecr(unit, r["d"], r)
                rmn.fstcloseall(unit)
            timed(out, "write_seconds", c)
            out.update(records=len(recs), input_bytes=sum(r["d"].nbytes for r in recs),
                       output_bytes=os.path.getsize(target))
    elif name == "fstd2nc":
        import fstd2nc

        with Clock() as c:
            b = fstd2nc.Buffer(path)
        timed(out, "buffer_seconds", c)
        with Clock() as c2:
            ds = b.to_xarray()
        out["dataset_seconds"] = c.wall + c2.wall
        out["dataset_cpu_seconds"] = c.cpu + c2.cpu
        with Clock() as c:
            v = ds[var].values
        timed(out, "load_var_seconds", c)
        out.update(var_shape=list(v.shape))
    else:
        raise SystemExit("unknown benchmark " + name)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def run_child(name: str, a, base: bool = False) -> dict:
    """One bench in a fresh process; `base`: with --base's fst24 first on the path."""
    cmd = [sys.executable, os.path.abspath(__file__), a.path, "--one", name, "--var", a.var,
           "--write-records", str(a.write_records), "--files", a.files]
    env = dict(os.environ)
    if base:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [a.base, env.get("PYTHONPATH")]))
    if a.threads:
        env["RAYON_NUM_THREADS"] = str(a.threads)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": (p.stderr or p.stdout)[-2000:], "exit_code": p.returncode}


def spread(vals: list[float]) -> dict:
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals)}


def summarize(row: str, rounds: list[tuple[dict, ...]]) -> dict:
    """`rounds`: (peer, fst24) or (peer, fst24, base fst24) results of each round."""
    label, _, pkey, _, okey, pthr, othr = ROWS[row]
    res = {"label": label, "peer_threads": pthr, "fst24_threads": othr, "rounds": len(rounds)}
    for kind, suffix in (("wall", ""), ("cpu", "_cpu")):
        pk, ok = pkey.replace("_seconds", suffix + "_seconds"), okey.replace("_seconds", suffix + "_seconds")
        pairs = [(r[0].get(pk), r[1].get(ok)) for r in rounds]
        pairs = [(p, o) for p, o in pairs if p and o]
        if not pairs:
            continue
        res[kind] = {"peer": spread([p for p, _ in pairs]), "fst24": spread([o for _, o in pairs]),
                     "ratio": spread([p / o for p, o in pairs])}
        triples = [(r[0].get(pk), r[2].get(ok), r[1].get(ok)) for r in rounds if len(r) > 2]
        triples = [t for t in triples if all(t)]
        if triples:
            # The same peer run against the base wheel, and the base over this wheel.
            res[kind]["base"] = spread([b for _, b, _ in triples])
            res[kind]["base_ratio"] = spread([p / b for p, b, _ in triples])
            res[kind]["speedup"] = spread([b / o for _, b, o in triples])
    for side, idx in (("peer", 0), ("fst24", 1)):
        rss = [r[idx].get("peak_rss_mb") for r in rounds if r[idx].get("peak_rss_mb")]
        if rss:
            res[side + "_peak_rss_mb"] = statistics.median(rss)
    errors = [x["error"] for r in rounds for x in r if "error" in x]
    if errors:
        res["error"] = errors[0]
    return res


def table(report: dict) -> list[str]:
    lines = ["| operation | peer (threads) | fst24 (threads) | peer wall | fst24 wall | ratio wall, median (min-max) "
             "| ratio CPU, median (min-max) | peak RSS peer / fst24 |",
             "|---|---|---|---|---|---|---|---|"]
    for row, s in report["rows"].items():
        peer_name = ROWS[row][1].replace("_", " ")
        if "wall" not in s:
            lines.append(f"| {s['label']} | {peer_name} | fst24 | n/a | n/a | {s.get('error', 'n/a')[-80:]!r} | | |")
            continue
        w, c = s["wall"], s.get("cpu")
        cpu = (f"{c['ratio']['median']:.2f}x ({c['ratio']['min']:.2f}-{c['ratio']['max']:.2f})" if c else "n/a")
        lines.append(
            f"| {s['label']} | {peer_name} ({s['peer_threads']}) | fst24 ({s['fst24_threads']}) "
            f"| {w['peer']['median']:.3f} s | {w['fst24']['median']:.3f} s "
            f"| {w['ratio']['median']:.2f}x ({w['ratio']['min']:.2f}-{w['ratio']['max']:.2f}) | {cpu} "
            f"| {s.get('peer_peak_rss_mb', 0):.0f} / {s.get('fst24_peak_rss_mb', 0):.0f} MB |")
    based = [(row, s) for row, s in report["rows"].items() if "base" in s.get("cpu", {})]
    if based:
        lines += ["", f"Against the base wheel ({report.get('base')}), same rounds:", "",
                  "| operation | base CPU | fst24 CPU | ratio CPU base, median (min-max) "
                  "| ratio CPU fst24 | speed-up CPU base/fst24 | ratio wall base | ratio wall fst24 |",
                  "|---|---|---|---|---|---|---|---|"]

        def r(d: dict) -> str:
            return f"{d['median']:.2f}x ({d['min']:.2f}-{d['max']:.2f})"

        for row, s in based:
            c, w = s["cpu"], s["wall"]
            lines.append(f"| {s['label']} | {c['base']['median']:.3f} s | {c['fst24']['median']:.3f} s "
                         f"| {r(c['base_ratio'])} | {r(c['ratio'])} | {r(c['speedup'])} "
                         f"| {r(w['base_ratio']) if 'base_ratio' in w else 'n/a'} | {r(w['ratio'])} |")
    return lines


def print_report(report: dict) -> None:
    print(f"{report['file']}: {report['bytes'] / 1e6:.0f} MB, {report['runs']} interleaved rounds, "
          f"{report['cpus']} CPUs (fst24 'all' = {report['threads'] or report['cpus']} threads), "
          f"load average {report['loadavg_before'][0]:.1f} -> {report['loadavg_after'][0]:.1f}")
    print("\n".join(table(report)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--runs", type=int, default=5, help="interleaved peer/fst24 rounds per row")
    ap.add_argument("--var", default="TT")
    ap.add_argument("--only", default=",".join(DEFAULT_ROWS), help="rows: " + ",".join(ROWS))
    ap.add_argument("--threads", type=int, default=0, help="RAYON_NUM_THREADS for the children")
    ap.add_argument("--write-records", type=int, default=2000, help="records written by the write rows")
    ap.add_argument("--base", help="an unpacked fst24 wheel (a folder holding fst24/) run as a third "
                    "side in every round (peer, base, fst24; the wheels swap places every other "
                    "round), for before/after figures")
    ap.add_argument("--files", default="", help="directory of standard files for the 'files' row")
    ap.add_argument("--families", metavar="DIR",
                    help="run the decode rows on each packing's bench file in DIR (see FAMILIES)")
    ap.add_argument("--pick", default="", help="with --families: only packings whose name contains "
                    "one of these comma-separated strings (e.g. 'turbo,E32')")
    ap.add_argument("--json")
    ap.add_argument("--from-json", help="print the table of an earlier --json report instead of running")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print("RESULT " + json.dumps(one(a.one, a.path, a.var, a.write_records, a.files)), flush=True)
        return
    if a.from_json:
        with open(a.from_json) as f:
            print_report(json.load(f))
        return
    if a.families:
        run_families(a)
        return
    report = run_file(a)
    print_report(report)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")


def run_families(a) -> None:
    """The decode rows on each packing's bench file: one report per packing, one table."""
    rows = a.only if a.only != ",".join(DEFAULT_ROWS) else ",".join(FAMILY_ROWS)
    reports = {}
    picks = [p for p in a.pick.split(",") if p]
    for family, name in FAMILIES.items():
        if picks and not any(p in family for p in picks):
            continue
        path = os.path.join(a.families, name)
        if not os.path.exists(path):
            raise SystemExit(f"{path} missing: make it with make_fst_corpus.py (see FAMILIES)")
        print(f"== {family}: {name}", file=sys.stderr, flush=True)
        reports[family] = run_file(argparse.Namespace(**dict(vars(a), path=path, only=rows)))
    lines = ["| packing | " + table(next(iter(reports.values())))[0][2:],
             "|---" + table(next(iter(reports.values())))[1]]
    for family, report in reports.items():
        lines += [f"| {family} " + line for line in table(report)[2:]]
        print(f"{family}: {report['file']}, load {report['loadavg_before'][0]:.1f} -> "
              f"{report['loadavg_after'][0]:.1f}")
    print("\n".join(lines))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"families": reports}, f, indent=1)
            f.write("\n")


def run_file(a) -> dict:
    """Every row of `a.only` on `a.path`, peer and fst24 children interleaved."""
    with open(os.devnull, "wb") as dn:  # warm the page cache
        subprocess.run(["cat", a.path], stdout=dn, check=True)
        if a.files:
            subprocess.run(["cat"] + listed_files(a.files), stdout=dn, check=True)
    report = {"file": os.path.basename(a.path), "bytes": os.path.getsize(a.path), "runs": a.runs,
              "files_dir": a.files, "files": len(listed_files(a.files)) if a.files else 0,
              "var": a.var, "cpus": os.cpu_count(), "threads": a.threads,
              "write_records": a.write_records, "loadavg_before": os.getloadavg(), "rows": {}, "raw": {},
              "base": a.base}
    rows = a.only.split(",")
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        raise SystemExit(f"unknown rows {unknown}; known: {list(ROWS)}")
    # A child measures one bench; rows sharing a bench share its children (same round).
    rounds: dict[str, list[tuple[dict, ...]]] = {r: [] for r in rows}
    for i in range(a.runs):
        cache: dict[str, dict] = {}
        for row in rows:
            _, peer, _, ours, _, _, _ = ROWS[row]
            # Interleaved, and no side always runs right after another's process has freed
            # its memory (the kernel's cost of fresh pages swings with what was just freed:
            # up to 2x for a 3 GB output on the bench host). Without --base: peer, fst24 in
            # even rounds, fst24, peer in odd ones (A B B A). With --base the two wheels swap
            # places every other round (peer, base, fst24; peer, fst24, base).
            ours_sides = [(ours, True), (ours, False)] if a.base else [(ours, False)]
            sides = [(peer, False)] + (ours_sides if i % 2 == 0 else ours_sides[::-1])
            if not a.base and i % 2 == 1:
                sides.reverse()
            for bench, base in sides:
                tag = "base:" + bench if base else bench
                if tag not in cache:
                    cache[tag] = run_child(bench, a, base)
                    report["raw"].setdefault(tag, []).append(cache[tag])
            got = (cache[peer], cache[ours]) + ((cache["base:" + ours],) if a.base else ())
            rounds[row].append(got)
        print(f"round {i + 1}/{a.runs} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    for row in rows:
        report["rows"][row] = summarize(row, rounds[row])
    report["loadavg_after"] = os.getloadavg()
    return report


if __name__ == "__main__":
    main()
