#!/usr/bin/env python3
"""librmn reads our files: open every XDF file that `write_corpus` wrote with librmn
(rpnpy from the PyPI package fstd2nc-deps, which bundles librmn 019.5) and check that
its keys and decoded values equal what we wrote.

Usage: check.py CORPUS_DIR [--json RESULTS.json]

CORPUS_DIR holds the .fst files and manifest.json of
`cargo run -p fst24 --example write_corpus -- CORPUS_DIR`. For every record:
  * keys: nomvar, typvar, etiket, grtyp, ni, nj, nk, dateo, datev, deet, npas, ip1-3,
    ig1-4, datyp, nbits as fstprm reports them must equal the manifest;
  * values: fstluk's array must equal what our reader decodes ("exact"), or at least
    be within the packing's precision of the input ("close");
  * records the manifest marks as a known librmn bug are reported as "librmn-bug"
    and do not fail the run.
Exit status 0 when every record passes. This script contains no librmn code.
"""
import argparse
import json
import os
import sys

import numpy as np

try:
    import fstd2nc_deps  # noqa: F401  (puts its bundled rpnpy on sys.path)
except ImportError:
    pass
import rpnpy.librmn.all as rmn  # noqa: E402

KEYS = ("nomvar", "typvar", "etiket", "grtyp", "ni", "nj", "nk", "dateo", "datev", "deet",
        "npas", "ip1", "ip2", "ip3", "ig1", "ig2", "ig3", "ig4", "datyp", "nbits")
DTYPES = {"f32": "<f4", "f64": "<f8", "c64": "<f4", "c128": "<f8", "i8": "<i1", "i16": "<i2",
          "i32": "<i4", "i64": "<i8", "u8": "<u1", "u16": "<u2", "u32": "<u4", "u64": "<u8",
          "char8": "<u1", "x32": "<u4"}


def load(corpus, spec):
    raw = np.fromfile(os.path.join(corpus, spec["sidecar"]), dtype=DTYPES[spec["elem_type"]])
    if spec["elem_type"] in ("c64", "c128"):
        raw = raw[0::2] + 1j * raw[1::2]
    return raw


def librmn_values(d, elem_type):
    """fstluk's array, flattened in Fortran order, in a type comparable to ours."""
    a = np.asarray(d)
    flat = a.reshape(-1, order="F")
    if elem_type == "char8":
        if flat.dtype.kind in "SU":
            return np.frombuffer(b"".join(x.encode("latin-1") if isinstance(x, str) else bytes(x)
                                          for x in flat.tolist()), dtype=np.uint8)
        if flat.dtype.itemsize == 4:
            # rpnpy maps datyp 3 to 32-bit words holding 4 characters each (native order).
            return flat.astype("<u4").view(np.uint8)
        return flat.astype(np.uint8)
    if elem_type == "x32":
        return flat.view(np.uint32) if flat.dtype.itemsize == 4 else flat.astype(np.uint32)
    return flat


def key_mismatches(prm, rec):
    bad = []
    for k in KEYS:
        got, want = prm[k], rec[k]
        if isinstance(want, str):
            got, want = str(got).rstrip(), want.rstrip()
        if got != want:
            bad.append(f"{k}: librmn {got!r}, ours {want!r}")
    return bad


def tolerance(rec, inp):
    base, nbits = rec["datyp"] & 63, rec["nbits"]
    if inp.dtype.kind not in "fc" or base in (5, 8):
        return 0.0 if nbits >= 32 or base != 5 else float(np.abs(inp).max()) * 2.0 ** (9 - nbits)
    finite = inp[np.abs(inp) < 1e37]
    span = float(finite.max() - finite.min()) if finite.size else 0.0
    return 4.0 * span / 2.0 ** min(nbits, 16 if base == 6 else nbits) + float(np.abs(finite).max()) * 2.0 ** -22


def check_record(corpus, key, rec):
    prm = rmn.fstprm(key)
    bad = key_mismatches(prm, rec)
    if bad:
        return "FAIL", "keys differ: " + "; ".join(bad)
    try:
        d = rmn.fstluk(key)["d"]
    except Exception as e:  # librmn refused to decode
        return "FAIL", f"fstluk raised {e!r}"
    ours = load(corpus, rec["ours"])
    got = librmn_values(d, rec["ours"]["elem_type"])
    if rec["ours"]["elem_type"] == "char8" and got.size > ours.size:
        got = got[: ours.size]  # the word view above is padded to whole words
    if got.size != ours.size:
        return "FAIL", f"{got.size} values from librmn, {ours.size} from us"
    if np.array_equal(got.astype(ours.dtype) if got.dtype != ours.dtype else got, ours):
        return "exact", ""
    inp = load(corpus, rec["input"])
    diff = float(np.max(np.abs(got.astype(np.complex128 if got.dtype.kind == "c" else np.float64)
                               - inp.astype(np.complex128 if inp.dtype.kind == "c" else np.float64))))
    tol = tolerance(rec, inp)
    if diff <= tol:
        return "close", f"max |librmn - input| = {diff:.3g} <= {tol:.3g}"
    return "FAIL", f"max |librmn - input| = {diff:.3g} > {tol:.3g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--json", help="write per-record results here")
    args = ap.parse_args()
    manifest = json.load(open(os.path.join(args.corpus, "manifest.json")))
    rmn.fstopt(rmn.FSTOP_MSGLVL, rmn.FSTOPI_MSG_CATAST)
    results, failures = [], 0
    for f in manifest["files"]:
        path = os.path.join(args.corpus, f["file"])
        try:
            unit = rmn.fstopenall(path, rmn.FST_RO)
        except Exception as e:
            failures += len(f["records"])
            results.append({"file": f["file"], "status": "FAIL", "why": f"open failed: {e!r}"})
            continue
        try:
            keys = rmn.fstinl(unit)
            if len(keys) != len(f["records"]):
                failures += 1
                results.append({"file": f["file"], "status": "FAIL",
                                "why": f"librmn lists {len(keys)} records, we wrote {len(f['records'])}"})
            for key, rec in zip(keys, f["records"]):
                status, why = check_record(args.corpus, key, rec)
                if status == "FAIL" and "cannot decode" in rec.get("note", ""):
                    status = "librmn-bug"
                failures += status == "FAIL"
                results.append({"file": f["file"], "nomvar": rec["nomvar"].rstrip(), "ip1": rec["ip1"],
                                "datyp": rec["datyp"], "nbits": rec["nbits"], "status": status,
                                "why": why, "note": rec.get("note", "")})
        finally:
            rmn.fstcloseall(unit)
    summary = {}
    for r in results:
        summary.setdefault(r["status"], 0)
        summary[r["status"]] += 1
        if r["status"] != "exact" and r["file"] != "pages.fst":
            print(f"{r['status']:10} {r['file']:12} {r.get('nomvar', ''):5} datyp {r.get('datyp', '')}/"
                  f"{r.get('nbits', '')} {r['why']} {r.get('note', '')}")
    pages = [r for r in results if r["file"] == "pages.fst"]
    print(f"pages.fst: {len(pages)} records, statuses {sorted(set(r['status'] for r in pages))}")
    print("summary:", json.dumps(summary, sort_keys=True))
    if args.json:
        json.dump({"summary": summary, "results": results}, open(args.json, "w"), indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
