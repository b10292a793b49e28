#!/usr/bin/env python3
"""Write a Z grid on a polar-stereographic (N or S) reference with librmn, and ezscint's
lat/lon of its points (the corpus has Z grids on E and L references only).

Usage (venv with `fstd2nc-deps 'numpy<2'`), from this folder:

    python make_zpolar.py data/zpolar.fst expected/zpolar_latlon.json
    python make_zpolar.py data/zpolar_pole_n.fst expected/zpolar_pole_n_latlon.json N pole
    python make_zpolar.py data/zpolar_pole_s.fst expected/zpolar_pole_s_latlon.json S pole

`>>`/`^^` (E32, grtyp N or S with cxgaig(grtyp, pi 11, pj 13, d60 381 km, dgrw 350),
tags 71001/71002/0) hold positions in the reference grid's units; `TT` (R16) is on
grtyp Z. Without `pole` the axes are 6x5 points away from the pole; with it they straddle
the pole (i = pi exactly, pi ± 0.001, ± 0.5, ...), where single-precision `asin` loses
digits. lat/lon: `ezqkdef` + `gdll`, float32 rounded to 7 significant digits, C order
(nj, ni). Peer output, not fst24's.
"""

import json
import os
import sys

import fstd2nc_deps  # noqa: F401  (puts rpnpy and its librmn on the path)
import numpy as np
import rpnpy.librmn.all as rmn


def main():
    fst, out = sys.argv[1], sys.argv[2]
    grtyp = sys.argv[3] if len(sys.argv) > 3 else "N"
    near_pole = len(sys.argv) > 4 and sys.argv[4] == "pole"
    if os.path.exists(fst):
        os.remove(fst)
    ig = rmn.cxgaig(grtyp, 11.0, 13.0, 381000.0, 350.0)
    if near_pole:
        ax = np.array([8.0, 10.5, 10.999, 11.0, 11.001, 11.5, 14.0], dtype="float32")
        ay = np.array([10.0, 12.5, 12.999, 13.0, 13.001, 13.5, 16.0], dtype="float32")
    else:
        ax = np.array([3.0, 4.5, 6.0, 7.5, 9.0, 10.5], dtype="float32")
        ay = np.array([2.0, 4.0, 6.0, 8.0, 10.0], dtype="float32")
    ni, nj = len(ax), len(ay)
    unit = rmn.fstopenall(fst, rmn.FST_RW)

    def write(nomvar, data, **keys):
        rec = rmn.FST_RDE_META_DEFAULT.copy()
        rec.update(nomvar=nomvar, typvar="X", etiket="ZPOLAR", datyp=5, nbits=32, nk=1)
        rec.update(keys)
        rmn.fstecr(unit, np.asfortranarray(data), rec)

    tags = dict(ip1=71001, ip2=71002, ip3=0, grtyp=grtyp, ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3])
    write(">>", ax.reshape((ni, 1), order="F"), ni=ni, nj=1, **tags)
    write("^^", ay.reshape((1, nj), order="F"), ni=1, nj=nj, **tags)
    write("TT", np.zeros((ni, nj), "float32", order="F"), ni=ni, nj=nj, grtyp="Z",
          ig1=71001, ig2=71002, ig3=0, ig4=0, ip1=0, ip2=0, ip3=0, typvar="P", datyp=1, nbits=16)
    rmn.fstcloseall(unit)
    unit = rmn.fstopenall(fst)
    ll = rmn.gdll(rmn.ezqkdef(ni, nj, "Z", 71001, 71002, 0, 0, unit))
    rmn.fstcloseall(unit)
    g7 = lambda a: [float("%.7g" % v) for v in np.asarray(a, "float64").T.ravel()]
    with open(out, "w") as f:
        json.dump({"producer": "librmn via rpnpy (fstd2nc-deps) ezqkdef + gdll",
                   "ni": ni, "nj": nj, "lat": g7(ll["lat"]), "lon": g7(ll["lon"])}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
