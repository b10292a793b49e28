"""Files written with librmn (rpnpy from the PyPI package fstd2nc-deps) for the CF tests:
fields on every ig-encoded grid type and on Z grids over N, S, E and L references, and
ezscint's view of them. Peer output only: nothing here comes from fst24.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Tuple

import fstd2nc_deps  # noqa: F401  (puts rpnpy and its librmn on sys.path)
import numpy as np
import rpnpy.librmn.all as rmn

# name -> (grtyp, xg1..xg4 of the grid or of the Z grid's reference, ni, nj, Z axes)
# Z axes are positions in the reference grid's units, straddling the pole for N/S.
POLE_X = np.array([8.0, 10.5, 10.999, 11.0, 11.001, 11.5, 14.0], "float32")
POLE_Y = np.array([10.0, 12.5, 12.999, 13.0, 13.001, 13.5, 16.0], "float32")
GRIDS: Dict[str, Tuple] = {
    "L": ("L", (-10.0, 250.0, 2.5, 3.0), 9, 7, None),
    "N": ("N", (11.0, 13.0, 381000.0, 350.0), 21, 25, None),
    "S": ("S", (11.0, 13.0, 381000.0, 350.0), 21, 25, None),
    "E": ("E", (57.5, 250.0, 57.5, 310.0), 12, 9, None),
    "Z_on_N": ("N", (11.0, 13.0, 381000.0, 350.0), 7, 7, (POLE_X, POLE_Y)),
    "Z_on_S": ("S", (11.0, 13.0, 381000.0, 350.0), 7, 7, (POLE_X, POLE_Y)),
    "Z_on_E": ("E", (57.5, 250.0, 57.5, 310.0), 6, 5,
               (np.linspace(170.0, 190.0, 6, dtype="float32"),
                np.linspace(-10.0, 10.0, 5, dtype="float32"))),
    "Z_on_L": ("L", (0.0, 0.0, 1.0, 1.0), 4, 3,
               (np.array([250.0, 251.5, 253.0, 256.0], "float32"),
                np.array([40.0, 45.0, 60.0], "float32"))),
}


def _write(unit, nomvar, data, rewrite=True, **keys):
    rec = rmn.FST_RDE_META_DEFAULT.copy()
    rec.update(nomvar=nomvar, typvar="P", etiket="CFTEST", datyp=5, nbits=32, nk=1,
               dateo=rmn.newdate(rmn.NEWDATE_PRINT2STAMP, 20240101, 0), deet=0, npas=0)
    rec.update(keys)
    rmn.fstecr(unit, np.asfortranarray(data), rec, rewrite=rewrite)


def write_grid_case(path: Path, name: str, nomvars=("TT",)) -> Dict[str, np.ndarray]:
    """Writes fields `nomvars` (ip1 = 0, uniform in [-20, 20)) on grid `name` and returns
    ezscint's `gdll` lat/lon (C order (nj, ni), float64 of librmn's float32) and the
    grid id's parameters."""
    grtyp, xg, ni, nj, axes = GRIDS[name]
    ig = rmn.cxgaig(grtyp, *xg)
    if path.exists():
        path.unlink()
    unit = rmn.fstopenall(str(path), rmn.FST_RW)
    rng = np.random.default_rng(7)
    if axes is None:
        keys = dict(grtyp=grtyp, ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3])
    else:
        tags = dict(ip1=71001, ip2=71002, ip3=0, grtyp=grtyp,
                    ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3])
        _write(unit, ">>", axes[0].reshape((ni, 1), order="F"), ni=ni, nj=1, typvar="X", **tags)
        _write(unit, "^^", axes[1].reshape((1, nj), order="F"), ni=1, nj=nj, typvar="X", **tags)
        keys = dict(grtyp="Z", ig1=71001, ig2=71002, ig3=0, ig4=0)
    for k, nomvar in enumerate(nomvars):
        data = rng.uniform(-20, 20, (ni, nj)).astype("float32")
        _write(unit, nomvar, data, ni=ni, nj=nj, ip1=0, ip2=0, ip3=0, **keys)
    rmn.fstcloseall(unit)
    unit = rmn.fstopenall(str(path))
    try:
        if axes is None:
            gid = rmn.ezqkdef(ni, nj, grtyp, *ig)
        else:
            gid = rmn.ezqkdef(ni, nj, "Z", 71001, 71002, 0, 0, unit)
        ll = rmn.gdll(gid)
        out = {
            "lat": np.asarray(ll["lat"], "float64").T.copy(),
            "lon": np.asarray(ll["lon"], "float64").T.copy(),
            "gid": gid,
        }
    finally:
        rmn.fstcloseall(unit)
    return out


def write_hybrid_without_p0(path: Path) -> None:
    """TT on 5005 (GEM staggered hybrid) levels with its `!!`, on an L grid, and no P0:
    the vertical formula's `ps` field is absent."""
    import rpnpy.vgd.all as vgd

    grtyp, xg, ni, nj, _ = GRIDS["L"]
    ig = rmn.cxgaig(grtyp, *xg)
    hyb = [0.1, 0.5, 0.9]
    v = vgd.vgd_new_5005(hyb, rcoef1=1.0, rcoef2=10.0, pref=100000.0, dhm=10.0, dht=1.5)
    if path.exists():
        path.unlink()
    unit = rmn.fstopenall(str(path), rmn.FST_RW)
    vgd.vgd_write(v, unit)
    ip1s = vgd.vgd_get(v, "VIPT")
    rng = np.random.default_rng(3)
    for ip1 in ip1s[:3]:
        _write(unit, "TT", rng.uniform(-30, 10, (ni, nj)).astype("float32"), ni=ni, nj=nj,
               ip1=int(ip1), ip2=0, ip3=0, grtyp=grtyp, ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3])
    rmn.fstcloseall(unit)


def gdwdfuv(gid, uu, vv, lat, lon):
    """ezscint's `gdwdfuv` (grid winds to speed and meteorological direction, degrees)
    for C-order (nj, ni) arrays; rpnpy only exposes its ctypes prototype."""
    shape = uu.shape
    flat = [np.ascontiguousarray(np.asarray(a, "float32").T.ravel()) for a in (uu, vv, lat, lon)]
    spd = np.empty(flat[0].size, "float32")
    wd = np.empty(flat[0].size, "float32")
    status = rmn.c_gdwdfuv(gid, spd, wd, flat[0], flat[1], flat[2], flat[3], spd.size)
    assert status >= 0, status
    back = lambda a: a.reshape(shape[::-1]).T.astype("float64")
    return back(spd), back(wd)


def write_mask_case(path: Path) -> Dict[str, np.ndarray]:
    """Masked fields as GEM/NEMO writers store them (fstd2nc's `_fstecr` too): the field
    with typvar `P@` (zero under the mask) and its mask, typvar `@@`, datyp 2, nbits 1,
    same nomvar/etiket/dates/ip1-3, on an L grid:

    - `TM` (sea temperature, float32) at depths 5 m and 50 m (ip1 kind 7), masked;
    - `GL` (ice fraction, float32) at the surface (ip1 0 m) at two times, masked;
    - `IX` (signed integers, 16 bits: read as int32) at the surface, masked;
    - `IH` (unsigned 16-bit integers, no mask) at 500 and 850 hPa at the first time and
      500 hPa only at the second: one hole;
    - `ZZ`, an `@@` record that masks no field.

    Returns the written values and masks by name (C order, (time, level, nj, ni))."""
    grtyp, xg, ni, nj, _ = GRIDS["L"]
    ig = rmn.cxgaig(grtyp, *xg)
    grid = dict(grtyp=grtyp, ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3], ni=ni, nj=nj,
                ip2=0, ip3=0)
    if path.exists():
        path.unlink()
    unit = rmn.fstopenall(str(path), rmn.FST_RW)
    rng = np.random.default_rng(11)
    out: Dict[str, list] = {}

    def masked(nomvar, ip1, data_keys, npas=0):
        if "datyp" in data_keys and data_keys["datyp"] in (2, 4):
            data = rng.integers(1, 1000, (ni, nj)).astype("int32")
        else:
            data = rng.uniform(-2, 30, (ni, nj)).astype("float32")
        mask = (rng.uniform(0, 1, (ni, nj)) > 0.35).astype("int32")
        data[mask == 0] = 0
        common = dict(ip1=ip1, deet=3600, npas=npas, **grid)
        _write(unit, nomvar, data, False, typvar="P@", **data_keys, **common)
        _write(unit, nomvar, mask, False, typvar="@@", datyp=2, nbits=1, **common)
        out.setdefault(nomvar, []).append(data.T.copy())
        out.setdefault(nomvar + "_mask", []).append(mask.T.copy())

    for depth in (5.0, 50.0):
        masked("TM", rmn.convertIp(rmn.CONVIP_ENCODE, depth, 7), {})
    for npas in (0, 6):
        masked("GL", 0, {}, npas=npas)
    masked("IX", 0, dict(datyp=4, nbits=16))
    for npas, levels in ((0, (500.0, 850.0)), (6, (500.0,))):
        for p in levels:
            ip1 = rmn.convertIp(rmn.CONVIP_ENCODE, p, rmn.KIND_PRESSURE)
            data = rng.integers(0, 60000, (ni, nj)).astype("int32")
            _write(unit, "IH", data, False, typvar="P", datyp=2, nbits=16, ip1=ip1,
                   deet=3600, npas=npas, **grid)
            out.setdefault(f"IH_{npas}_{int(p)}", []).append(data.T.copy())
    zz = (rng.uniform(0, 1, (ni, nj)) > 0.5).astype("int32")
    _write(unit, "ZZ", zz, typvar="@@", datyp=2, nbits=1, ip1=0, **grid)
    out["ZZ"] = [zz.T.copy()]
    rmn.fstcloseall(unit)
    return {k: np.stack(v) for k, v in out.items()}
