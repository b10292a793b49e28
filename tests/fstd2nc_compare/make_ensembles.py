#!/usr/bin/env python3
"""Write a small ensemble file with librmn: TT and GZ (E32, L grid 4x3) on two
pressure levels and two validity times for etikets `MEMBER01`, `MEMBER02`, `CTRL`,
with one hole (`GZ` of `CTRL` at the second time, 850 hPa) and a `P0` that only
`CTRL` has. Values encode (etiket, time, level) so any misplacement shows.

Usage (venv with `fstd2nc-deps 'numpy<2'`), from this folder:

    python make_ensembles.py data/ensembles.fst
"""

import os
import sys

import fstd2nc_deps  # noqa: F401  (puts rpnpy and its librmn on the path)
import numpy as np
import rpnpy.librmn.all as rmn


def main():
    fst = sys.argv[1]
    if os.path.exists(fst):
        os.remove(fst)
    ni, nj = 4, 3
    ig = rmn.cxgaig("L", 40.0, -80.0, 1.0, 1.0)
    dateo = rmn.newdate(rmn.NEWDATE_PRINT2STAMP, 20240301, 0)
    unit = rmn.fstopenall(fst, rmn.FST_RW)
    etikets = ["MEMBER01", "MEMBER02", "CTRL"]
    for e, etiket in enumerate(etikets):
        for npas in (0, 6):
            for lev in (500.0, 850.0):
                for v, nomvar in enumerate(("TT", "GZ")):
                    if etiket == "CTRL" and nomvar == "GZ" and npas == 6 and lev == 850.0:
                        continue
                    base = 1000 * v + 100 * e + 10 * (npas // 6) + (lev == 850.0)
                    data = base + np.arange(ni * nj, dtype="float32").reshape((ni, nj), order="F") / 100
                    rec = rmn.FST_RDE_META_DEFAULT.copy()
                    rec.update(nomvar=nomvar, typvar="P", etiket=etiket, datyp=5, nbits=32,
                               ni=ni, nj=nj, nk=1, grtyp="L", ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3],
                               ip1=rmn.convertIp(rmn.CONVIP_ENCODE, lev, rmn.KIND_PRESSURE),
                               ip2=npas, ip3=0, dateo=dateo, deet=3600, npas=npas)
                    rmn.fstecr(unit, np.asfortranarray(data), rec)
        if etiket == "CTRL":
            rec = rmn.FST_RDE_META_DEFAULT.copy()
            rec.update(nomvar="P0", typvar="P", etiket=etiket, datyp=5, nbits=32, ni=ni, nj=nj, nk=1,
                       grtyp="L", ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3], ip1=0, ip2=0, ip3=0,
                       dateo=dateo, deet=3600, npas=0)
            rmn.fstecr(unit, np.full((ni, nj), 1013.0, "float32", order="F"), rec)
    rmn.fstcloseall(unit)


if __name__ == "__main__":
    main()
