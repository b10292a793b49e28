#!/usr/bin/env python3
"""Peak memory of writing one big array and reading it back, against the array's size.

    python benches/peers/memory.py [--mb 300] [--dir /work/bench-data]
    python benches/peers/memory.py --xarray FILE [--chunks]


Each case runs in a fresh process: it makes a float32 array of --mb MB (Fortran order),
notes its RSS, then writes it as one record (R16 = datyp 1 nbits 16, E32 = datyp 5
nbits 32, R16M = datyp 65 with every 7th point missing; XDF and RSF; "rewrite" is
write(..., rewrite=True)) or reads such a record back with File.read. The figure is
(peak RSS - RSS before the operation) / array bytes, plus the array itself for writes
(a write needs its input alive): 1.0 means no memory beyond the array. Files below
1 GiB are read with pread (heap only); from 1 GiB on they are mapped and the mapped
pages count in RSS too. CPU seconds (user + system) of the operation are reported.

--xarray FILE measures `fst24.to_xarray(FILE).load()` instead: (peak RSS - RSS after
to_xarray) / the Dataset's bytes, and peak RSS / the Dataset's bytes (the interpreter and
its imports included); --chunks opens it with chunks={} (dask).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def xarray_load(path, chunks):
    import warnings

    warnings.simplefilter("ignore")
    import fst24

    ds = fst24.to_xarray(path, chunks={} if chunks else None)
    base, c0 = rss_mb(), cpu()
    ds.load()
    c1 = cpu()
    peak, out = peak_mb() * 1.048576e6, ds.nbytes
    return {"case": "xarray_load" + ("_chunks" if chunks else ""), "file": os.path.basename(path),
            "output_mb": out / 1e6, "peak_over_output": (peak - base * 1.048576e6) / out,
            "peak_rss_over_output": peak / out, "cpu_seconds": c1 - c0}


def one(case, mb, path):
    import numpy as np
    import fst24

    if case.startswith("xarray_load"):
        return xarray_load(path, case.endswith("_chunks"))
    op, packing, backend = case.split("_")
    datyp, nbits = {"r16": (1, 16), "e32": (5, 32), "r16m": (65, 16)}[packing]
    n = int(mb * 1e6 / 4)
    ni = 4000
    nj = n // ni
    if op == "read":
        # the file was written by the parent; the array is the read's output
        with fst24.open(path) as f:
            key = f.to_polars(decoded=False)["key"][0]
            base, c0 = rss_mb(), cpu()
            # ru_maxrss is a high-water mark: make sure it is at the baseline now
            a = f.read(key)
            c1 = cpu()
        out_bytes = a.nbytes
        extra = peak_mb() - base
        return {"case": case, "array_mb": out_bytes / 1e6, "peak_over_array": extra * 1.048576e6 / out_bytes,
                "cpu_seconds": c1 - c0}
    # Filled in place a block at a time: ru_maxrss is a high-water mark, so temporaries of
    # the array's size made here would hide what the write itself takes.
    x = np.empty((ni, nj), dtype=np.float32, order="F")
    flat = x.reshape(-1, order="F")
    for start in range(0, flat.size, 1 << 20):
        stop = min(start + (1 << 20), flat.size)
        flat[start:stop] = np.sin(np.arange(start, stop, dtype=np.float32) * 1e-3)
        if packing == "r16m":
            flat[start:stop:7] = np.nan  # missing points (+64)
    base, c0 = rss_mb(), cpu()
    with fst24.open(path, "w", backend=backend) as w:
        # rewrite: the path that erases the record with the same keys first
        w.write(x, nomvar="TT", datyp=datyp, nbits=nbits, rewrite=op == "rewrite")
    c1 = cpu()
    extra = peak_mb() - base
    return {"case": case, "array_mb": x.nbytes / 1e6,
            "peak_over_array": 1 + extra * 1.048576e6 / x.nbytes, "cpu_seconds": c1 - c0}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100, help="array size; XDF records hold at most 128 MB")
    ap.add_argument("--dir", default=tempfile.gettempdir())
    ap.add_argument("--packings", default="r16,e32,r16m", help="r16 (datyp 1), e32 (5), r16m (65: R16 with missing points)")
    ap.add_argument("--ops", default="write,read,rewrite", help="write, read (needs write first), rewrite")
    ap.add_argument("--one")
    ap.add_argument("--path")
    ap.add_argument("--xarray", help="measure to_xarray(FILE).load() instead")
    ap.add_argument("--chunks", action="store_true", help="with --xarray: chunks={} (dask)")
    a = ap.parse_args()
    if a.one:
        print("RESULT " + json.dumps(one(a.one, a.mb, a.path)), flush=True)
        return
    if a.xarray:
        case = "xarray_load" + ("_chunks" if a.chunks else "")
        p = subprocess.run([sys.executable, __file__, "--one", case, "--path", a.xarray],
                           capture_output=True, text=True)
        res = [json.loads(l[7:]) for l in p.stdout.splitlines() if l.startswith("RESULT ")]
        print(json.dumps(res[0] if res else {"case": case, "error": p.stderr[-500:]}), flush=True)
        return
    with tempfile.TemporaryDirectory(dir=a.dir) as tmp:
        for packing in a.packings.split(","):
            for backend in ("xdf", "rsf"):
                path = os.path.join(tmp, f"{packing}_{backend}.fst")
                for op in a.ops.split(","):
                    case = f"{op}_{packing}_{backend}"
                    target = path + ".rewrite.fst" if op == "rewrite" else path  # "w" makes new files only
                    p = subprocess.run([sys.executable, __file__, "--one", case, "--mb", str(a.mb), "--path", target],
                                       capture_output=True, text=True)
                    res = [json.loads(l[7:]) for l in p.stdout.splitlines() if l.startswith("RESULT ")]
                    r = res[0] if res else {"case": case, "error": p.stderr[-500:]}
                    print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
