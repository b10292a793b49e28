#!/usr/bin/env python3
"""Writes an XDF corpus with fst24's *Python* writer (fst24.open(path, "w"/"a")) for
check.py: librmn must read what Python users write.

Usage: python_corpus.py OUT_DIR   (run with a Python that has the fst24 wheel installed)

OUT_DIR receives py_write.fst (records of each numpy dtype, rpnpy's default packing when
no datyp/nbits is given, a second append session, an erase, a rewrite and a write_frame)
and manifest.json in check.py's format: every record's keys and
values as our reader sees them, and the input each one was written from.
"""
import json
import os
import sys

import numpy as np
import polars as pl

import fst24

ELEM = {"float32": "f32", "float64": "f64", "int8": "i8", "int16": "i16", "int32": "i32",
        "int64": "i64", "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64",
        "complex64": "c64", "complex128": "c128"}
KEYS = ("nomvar", "typvar", "etiket", "grtyp", "ni", "nj", "nk", "dateo", "datev", "deet",
        "npas", "ip1", "ip2", "ip3", "ig1", "ig2", "ig3", "ig4", "datyp", "nbits")


def field(seed, shape=(9, 7), dtype=np.float32, scale=1.0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-30.0, 30.0, size=shape) * scale
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        a = a + 1j * rng.uniform(-1.0, 1.0, size=shape)
    return np.asfortranarray(a.astype(dtype))


# (nomvar, input, write() keywords); each nomvar appears once in the final file.
CASES = [
    ("F5", field(1), dict(datyp=5, nbits=32)),
    ("D5", field(2, dtype=np.float64), dict(datyp=5, nbits=64)),
    ("R16", field(3), dict(datyp=1, nbits=16)),
    ("R12", field(4, dtype=np.float64), dict(datyp=1, nbits=12)),
    ("E16", field(5), dict(datyp=133, nbits=16)),
    ("F16", field(6), dict(datyp=134, nbits=16)),
    ("I32", field(7, scale=1000).astype(np.int32), dict(datyp=4, nbits=32)),
    ("I16", field(8, scale=100).astype(np.int16), dict()),
    ("U12", np.abs(field(9, scale=100)).astype(np.uint16), dict(datyp=2, nbits=12)),
    ("T12", np.abs(field(10, scale=100)).astype(np.uint32), dict(datyp=130, nbits=12)),
    ("C32", field(11, dtype=np.complex64), dict()),
    ("M16", field(12), dict(datyp=65, nbits=16)),
    ("K3D", field(13, shape=(4, 3, 5)), dict(datyp=1, nbits=24)),
    ("DEF", field(14), dict()),  # rpnpy's default packing
    # 64-bit integer input packed on 16/32 bits: stored as 32-bit data in XDF (dasiz 32)
    ("I316", field(15, scale=100).astype(np.int64), dict(datyp=4, nbits=16)),
    ("I332", field(16, scale=1000).astype(np.int64), dict(datyp=4, nbits=32)),
    ("U332", np.abs(field(17, scale=1000)).astype(np.uint64), dict(datyp=2, nbits=32)),
    # a leading blank is part of the name (only trailing blanks are padding)
    (" LB", field(18), dict(datyp=5, nbits=32)),
]
COMMON = dict(typvar="P", etiket="PYWRITE", ip2=6, ip3=1, dateo=442998800, deet=300,
              npas=12, grtyp="X", ig1=10, ig2=20, ig3=30, ig4=40)


def write(out):
    path = os.path.join(out, "py_write.fst")
    if os.path.exists(path):
        os.remove(path)
    inputs = {}
    half = len(CASES) // 2
    with fst24.open(path, "w", backend="xdf") as w:
        for i, (name, data, kw) in enumerate(CASES[:half]):
            w.write(data, nomvar=name, ip1=i + 1, **COMMON, **kw)
            inputs[name] = data
        gone = w.write(field(99), nomvar="GONE", datyp=5, nbits=32)
        w.erase(gone)
        # replaced below by rewrite in the append session
        w.write(field(98), nomvar="RW", ip1=500, **COMMON, datyp=5, nbits=32)
    with fst24.open(path, "a") as w:
        for i, (name, data, kw) in enumerate(CASES[half:], start=half):
            w.write(data, nomvar=name, ip1=i + 1, **COMMON, **kw)
            inputs[name] = data
        inputs["RW"] = field(97)
        w.rewrite(inputs["RW"], nomvar="RW", ip1=500, **COMMON, datyp=5, nbits=32)
        # an fstpy-style frame: key columns plus the arrays in `d`
        frame = pl.DataFrame({
            "nomvar": ["FR1", "FR2"], "typvar": ["P", "P"], "etiket": ["FRAME", "FRAME"],
            "ip1": [1, 2], "ip2": [0, 0], "ip3": [0, 0], "datyp": [5, 1], "nbits": [32, 16],
            "grtyp": ["X", "X"],
            "d": pl.Series("d", [field(20), field(21)], dtype=pl.Object),
        })
        w.write_frame(frame)
        inputs["FR1"], inputs["FR2"] = field(20), field(21)
    return path, inputs


def sidecar(out, name, array):
    flat = np.asarray(array).reshape(-1, order="F")
    elem = ELEM[str(flat.dtype)]
    if flat.dtype.kind == "c":
        flat = flat.view(flat.real.dtype)  # interleaved (re, im), as check.py loads it
    flat.astype(flat.dtype.newbyteorder("<")).tofile(os.path.join(out, name))
    return {"sidecar": name, "elem_type": elem}


def manifest(out, path, inputs):
    records = []
    with fst24.open(path) as f:
        df = f.to_polars()
        for row in df.iter_rows(named=True):
            name = row["nomvar"].rstrip()
            rec = {k: row[k] for k in KEYS}
            # librmn (check.py) reads +64 records with its default, the plug values.
            rec["ours"] = sidecar(out, f"{name}.ours.bin", f.read(row["key"], missing="plug"))
            rec["input"] = sidecar(out, f"{name}.input.bin", inputs[name])
            records.append(rec)
    if sorted(r["nomvar"].rstrip() for r in records) != sorted(inputs):
        raise SystemExit(f"our reader lists {[r['nomvar'] for r in records]}, wrote {sorted(inputs)}")
    return {"file": os.path.basename(path), "records": records}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    path, inputs = write(out)
    doc = {"files": [manifest(out, path, inputs)]}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print(f"python writer: {len(doc['files'][0]['records'])} records in {path}")


if __name__ == "__main__":
    main()
