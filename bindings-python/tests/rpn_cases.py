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


# vcode -> (constructor, arguments) of the vertical descriptors vgrid builds; levels are
# sigma/eta/hybrid values, pressures in hPa (2001) or heights in m (21001, 21002).
VCODES: Dict[str, Tuple] = {
    "1001": ("vgd_new_1001", dict(hyb=[0.02, 0.3, 0.7, 0.95, 1.0])),
    "1002": ("vgd_new_1002", dict(hyb=[0.02, 0.3, 0.7, 0.95, 1.0], ptop=1000.0)),
    "2001": ("vgd_new_2001", dict(pres=[10.0, 250.0, 500.0, 850.0, 1000.0])),
    "5001": ("vgd_new_5001", dict(hyb=[0.02, 0.3, 0.7, 0.95, 1.0], rcoef1=1.6,
                                  ptop=1000.0, pref=80000.0)),
    "5002": ("vgd_new_5002", dict(hyb=[0.02, 0.3, 0.7, 0.95], rcoef1=1.0, rcoef2=10.0,
                                  ptop=1000.0, pref=100000.0)),
    "5003": ("vgd_new_5003", dict(hyb=[0.02, 0.3, 0.7, 0.95], rcoef1=1.0, rcoef2=10.0,
                                  ptop=1000.0, pref=100000.0)),
    "5004": ("vgd_new_5004", dict(hyb=[0.02, 0.3, 0.7, 0.95], rcoef1=1.0, rcoef2=10.0,
                                  ptop=1000.0, pref=100000.0)),
    "5005": ("vgd_new_5005", dict(hyb=[0.02, 0.3, 0.7, 0.95], rcoef1=1.0, rcoef2=10.0,
                                  pref=100000.0, dhm=10.0, dht=1.5)),
    "5100": ("vgd_new_5100", dict(hyb=[0.02, 0.3, 0.7, 0.95], rcoef1=1.0, rcoef2=10.0,
                                  rcoef3=0.0, rcoef4=100.0, pref=100000.0, dhm=10.0,
                                  dht=1.5)),
    "21001": ("vgd_new_21001", dict(hyb=[30000.0, 12000.0, 3000.0, 500.0], rcoef1=1.0,
                                    rcoef2=5.0, dhm=10.0, dht=1.5)),
    "21001_SLEVE": ("vgd_new_21001_SLEVE", dict(hyb=[30000.0, 12000.0, 3000.0, 500.0],
                                                rcoef1=0.0, rcoef2=5.0, rcoef3=1.0,
                                                rcoef4=50.0, dhm=10.0, dht=1.5)),
    "21002": ("vgd_new_21002", dict(hyb=[30000.0, 12000.0, 3000.0, 500.0], rcoef1=1.0,
                                    rcoef2=5.0, dhm=10.0, dht=1.5, dhw=10.0)),
    "21002_SLEVE": ("vgd_new_21002_SLEVE", dict(hyb=[30000.0, 12000.0, 3000.0, 500.0],
                                                rcoef1=0.0, rcoef2=5.0, rcoef3=1.0,
                                                rcoef4=50.0, dhm=10.0, dht=1.5, dhw=10.0)),
}


def write_vcode_case(
    path: Path, name: str, diagnostic: bool = False
) -> Dict[str, Dict[str, Dict[int, np.ndarray]]]:
    """A file with the `!!` of `VCODES[name]`, its surface fields at two times (P0 in hPa,
    P0LS for 5100; ME, MELS in m at one time for heights) and UU/TT/WW on its momentum,
    thermodynamic and vertical-velocity model levels (not the diagnostic heights; with
    `diagnostic`, the diagnostic heights instead of the surface level), on an L grid. Returns, per time step (ip2) and nomvar, vgrid's `vgd_levels` at each ip1 of
    that nomvar: float64 C-order (nj, ni) arrays of pressure in Pa or height in m, from
    the surface fields as stored (float32)."""
    import rpnpy.vgd.all as vgd

    grtyp, xg, ni, nj, _ = GRIDS["L"]
    ig = rmn.cxgaig(grtyp, *xg)
    geo = dict(ni=ni, nj=nj, grtyp=grtyp, ig1=ig[0], ig2=ig[1], ig3=ig[2], ig4=ig[3])
    ctor, args = VCODES[name]
    v = getattr(vgd, ctor)(**args)
    height = name.startswith("21")
    rng = np.random.default_rng(int(name.split("_")[0]))
    if path.exists():
        path.unlink()
    unit = rmn.fstopenall(str(path), rmn.FST_RW)
    out: Dict[str, Dict[str, Dict[int, np.ndarray]]] = {}
    try:
        vgd.vgd_write(v, unit)
        # Model levels of each kind the descriptor lists (diagnostic heights, kind 4, and
        # repeated ip1s left out).
        lists = {"UU": "VIPM", "TT": "VIPT", "WW": "VIPW"}
        levels: Dict[str, list] = {}
        for nomvar, key in lists.items():
            try:
                ip1s = [int(i) for i in vgd.vgd_get(v, key)]
            except vgd.VGDError:
                continue
            keep = []
            for ip1 in ip1s:
                value, kind = rmn.convertIp(rmn.CONVIP_DECODE, ip1)
                surface = (kind == rmn.LEVEL_KIND_HYB and value == 1.0) or (
                    kind == 21 and value == 0.0)
                if kind == rmn.LEVEL_KIND_MGL or (diagnostic and surface):
                    if not (diagnostic and kind == rmn.LEVEL_KIND_MGL):
                        continue
                if ip1 not in keep:
                    keep.append(ip1)
            levels[nomvar] = keep
        if "WW" in levels and levels["WW"] == levels["TT"]:
            del levels["WW"]
        statics = {}
        if height:
            me = rng.uniform(0.0, 3000.0, (ni, nj)).astype("float32")
            statics["ME"] = me
            if name.endswith("SLEVE"):
                statics["MELS"] = (0.5 * me + 200.0).astype("float32")
        for nomvar, data in statics.items():
            _write(unit, nomvar, data, ip1=0, ip2=0, ip3=0, **geo)
        for ip2 in (0, 6):
            stamp = dict(npas=ip2, deet=3600, ip2=ip2, ip3=0)
            surface: Dict[str, np.ndarray] = {}
            if not height:
                surface["P0"] = rng.uniform(650.0, 1040.0, (ni, nj)).astype("float32")
                if name == "5100":
                    surface["P0LS"] = (surface["P0"] + rng.uniform(-30, 30, (ni, nj))).astype("float32")
            for nomvar, data in surface.items():
                _write(unit, nomvar, data, ip1=0, **stamp, **geo)
            if height:
                rfld = statics["ME"].astype("float64")
                rfls = statics["MELS"].astype("float64") if "MELS" in statics else None
            else:
                rfld = surface["P0"].astype("float64") * 100.0
                rfls = surface["P0LS"].astype("float64") * 100.0 if "P0LS" in surface else None
            step = out.setdefault(str(ip2), {})
            for nomvar, ip1s in levels.items():
                for ip1 in ip1s:
                    _write(unit, nomvar, rng.uniform(-30, 10, (ni, nj)).astype("float32"),
                           ip1=ip1, **stamp, **geo)
                    lv = vgd.vgd_levels(v, rfld=rfld, ip1list=[ip1], rfls=rfls,
                                        double_precision=True)
                    step.setdefault(nomvar, {})[ip1] = np.asarray(lv, "float64")[..., 0].T.copy()
    finally:
        rmn.fstcloseall(unit)
    return out


TILE_AXES = (np.array([250.0, 251.5, 253.0, 256.0, 257.0, 259.5, 262.0, 263.0], "float32"),
             np.array([40.0, 42.0, 45.0, 47.5, 50.0, 60.0], "float32"))


def write_tile_case(path: Path, hole: bool = True) -> Dict[str, np.ndarray]:
    """Fields on a `#` tiled grid, as GEM's tiled output stores them: `>>`/`^^` (tags
    71101/71102/0, on an L reference) give the full 8x6 grid; each record is a tile of
    it with grtyp `#`, ig1/ig2 the tags and ig3/ig4 the 1-based i/j of its first point.
    Four tiles (i from 1 and 5, j from 1 and 4: 4x3 points each):

    - `ME` at ip1 0;
    - `TT` at 500 and 850 hPa, the tile at i 5, j 4 missing at 850 hPa if `hole`.

    Returns the full fields (C order (level, nj, ni), NaN where no tile is) and ezscint's
    lat/lon of the full grid (defined as the Z grid of the same `>>`/`^^`)."""
    ax, ay = TILE_AXES
    ni, nj = len(ax), len(ay)
    ig = rmn.cxgaig("L", 0.0, 0.0, 1.0, 1.0)
    if path.exists():
        path.unlink()
    unit = rmn.fstopenall(str(path), rmn.FST_RW)
    tags = dict(ip1=71101, ip2=71102, ip3=0, grtyp="L", ig1=ig[0], ig2=ig[1], ig3=ig[2],
                ig4=ig[3])
    _write(unit, ">>", ax.reshape((ni, 1), order="F"), ni=ni, nj=1, typvar="X", **tags)
    _write(unit, "^^", ay.reshape((1, nj), order="F"), ni=1, nj=nj, typvar="X", **tags)
    rng = np.random.default_rng(5)
    tiles = [(i0, j0) for j0 in (0, 3) for i0 in (0, 4)]
    out: Dict[str, np.ndarray] = {}
    for name, ip1s in (("ME", [0]), ("TT", [
            rmn.convertIp(rmn.CONVIP_ENCODE, p, rmn.KIND_PRESSURE) for p in (500.0, 850.0)])):
        full = rng.uniform(-30, 30, (len(ip1s), nj, ni)).astype("float32")
        for k, ip1 in enumerate(ip1s):
            for i0, j0 in tiles:
                if hole and name == "TT" and k == 1 and (i0, j0) == (4, 3):
                    full[k, j0:j0 + 3, i0:i0 + 4] = np.nan
                    continue
                tile = full[k, j0:j0 + 3, i0:i0 + 4]
                _write(unit, name, tile.T, False, ni=4, nj=3, ip1=int(ip1), ip2=0, ip3=0,
                       grtyp="#", ig1=71101, ig2=71102, ig3=i0 + 1, ig4=j0 + 1)
        out[name] = full
    rmn.fstcloseall(unit)
    unit = rmn.fstopenall(str(path))
    try:
        gid = rmn.ezqkdef(ni, nj, "Z", 71101, 71102, 0, 0, unit)
        ll = rmn.gdll(gid)
        out["lat"] = np.asarray(ll["lat"], "float64").T.copy()
        out["lon"] = np.asarray(ll["lon"], "float64").T.copy()
    finally:
        rmn.fstcloseall(unit)
    return out


def write_tiled_height_case(path: Path) -> Dict[str, np.ndarray]:
    """`write_tile_case` (without its hole) plus a 21001 `!!` (GEM heights, whose formula
    needs the orography `ME`) and `UU` as `#` tiles on its first two momentum levels:
    the level axis' formula names `ME`, which exists only once its tiles are one
    variable. Returns `write_tile_case`'s values plus `UU` (C order (level, nj, ni))
    and `UU_level`, its heights in m."""
    import rpnpy.vgd.all as vgd

    out = write_tile_case(path, hole=False)
    ctor, args = VCODES["21001"]
    v = getattr(vgd, ctor)(**args)
    ip1s = [int(i) for i in vgd.vgd_get(v, "VIPM")
            if rmn.convertIp(rmn.CONVIP_DECODE, int(i))[1] != rmn.LEVEL_KIND_MGL][:2]
    ni, nj = len(TILE_AXES[0]), len(TILE_AXES[1])
    rng = np.random.default_rng(21)
    full = rng.uniform(-20, 20, (len(ip1s), nj, ni)).astype("float32")
    unit = rmn.fstopenall(str(path), rmn.FST_RW)
    try:
        vgd.vgd_write(v, unit)
        for k, ip1 in enumerate(ip1s):
            for i0, j0 in [(i0, j0) for j0 in (0, 3) for i0 in (0, 4)]:
                _write(unit, "UU", full[k, j0:j0 + 3, i0:i0 + 4].T, False, ni=4, nj=3,
                       ip1=ip1, ip2=0, ip3=0, grtyp="#", ig1=71101, ig2=71102,
                       ig3=i0 + 1, ig4=j0 + 1)
    finally:
        rmn.fstcloseall(unit)
    out["UU"] = full
    out["UU_level"] = np.array([rmn.convertIp(rmn.CONVIP_DECODE, ip1)[0] for ip1 in ip1s])
    return out
