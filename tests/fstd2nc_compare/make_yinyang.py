#!/usr/bin/env python3
"""Write a small yin-yang (grtyp U) file with librmn and librmn's lat/lon of its points.

Usage (venv with `fstd2nc-deps 'numpy<2'`), from this folder:

    python make_yinyang.py data/yinyang.fst expected/yinyang_latlon.json

`^>` comes from rpnpy's `defGrid_YY(7, overlap=1.5)` + `writeGrid`; `TT` is a 19x14
R16 field on it; lat/lon are ezscint's `gdll` of the super grid (float32, rounded to 7
significant digits, C order (nj, ni) with the yin rows first, from `gdll` of each
sub-grid since `gdll` of the super grid returns the yin only). Peer output, not fst24's.
"""

import json
import os
import sys

import fstd2nc_deps  # noqa: F401  (puts rpnpy and its librmn on the path)
import numpy as np
import rpnpy.librmn.all as rmn


def main():
    fst, out = sys.argv[1], sys.argv[2]
    if os.path.exists(fst):
        os.remove(fst)
    g = rmn.defGrid_YY(7, overlap=1.5, xlat1=0.0, xlon1=180.0, xlat2=0.0, xlon2=270.0)
    unit = rmn.fstopenall(fst, rmn.FST_RW)
    rmn.writeGrid(unit, g)
    ni, nj = g["ni"], 2 * g["nj"]
    data = np.asfortranarray(np.arange(ni * nj, dtype="float32").reshape((ni, nj), order="F"))
    rec = rmn.FST_RDE_META_DEFAULT.copy()
    rec.update(
        nomvar="TT", typvar="P", etiket="YINYANG", ni=ni, nj=nj, nk=1, grtyp="U",
        ig1=g["tag1"], ig2=g["tag2"], ig3=g["tag3"], ig4=0, datyp=1, nbits=16,
        ip1=rmn.convertIp(rmn.CONVIP_ENCODE, 850.0, rmn.KIND_PRESSURE), ip2=0, ip3=0,
        dateo=rmn.newdate(rmn.NEWDATE_PRINT2STAMP, 20240101, 0), deet=0, npas=0,
    )
    rmn.fstecr(unit, data, rec)
    rmn.fstcloseall(unit)
    # gdll of the super grid covers the yin only: take each sub-grid, yin first.
    subgrids = [rmn.gdll(sub["id"]) for sub in g["subgrid"]]
    def g7(key):
        rows = np.concatenate([np.asarray(ll[key], "float64").T for ll in subgrids])
        return [float("%.7g" % v) for v in rows.ravel()]
    with open(out, "w") as f:
        json.dump({"producer": "librmn via rpnpy (fstd2nc-deps) gdll per sub-grid",
                   "ni": ni, "nj": nj, "lat": g7("lat"), "lon": g7("lon")}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
