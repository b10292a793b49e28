"""xarray backend of fst24: ``xr.open_dataset(path, engine="fst24")`` and ``fst24.to_xarray``.

The Rust core plans the dataset (which records make which CF variable, coordinates,
attributes); this module turns the plan into an ``xarray.Dataset`` whose data variables
are lazy: a selection reads only the records it touches, in parallel with the GIL
released. With ``chunks={}`` the variables are dask arrays whose chunks are groups of
whole records (up to 64 MiB along the level axis). Everything a task needs to read is
plain data (file paths, their size and mtime, record indices), so dask graphs pickle and
run on other processes, which reopen the files themselves. A file changed on disk since
its Dataset was made is refused (record indices would no longer be valid).
"""

from __future__ import annotations

import os
import threading
import warnings
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np
import xarray as xr
from xarray.backends import BackendArray, BackendEntrypoint
from xarray.core import indexing

from . import _fst24, remote
from .errors import UsageError

PathLike = Union[str, "os.PathLike[str]"]

# Files opened by this process, by path, with the (size, mtime) they had when opened: a
# task unpickled in a worker reopens its files once and every later task of that worker
# reuses them (File is thread-safe).
Stamp = Tuple[int, int]
_OPEN_FILES: Dict[str, Tuple[Stamp, "_fst24.File"]] = {}
_OPEN_LOCK = threading.Lock()


def _stamp(path: str) -> Stamp:
    if isinstance(path, remote.FileObjectName):
        return (0, 0)
    if remote.is_url(path):
        return remote.stamp(path)
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns)


def _open_file(path: str, expected: Optional[Stamp] = None) -> "_fst24.File":
    """The open File of `path`, reopened when the file changed; `UsageError` when it
    differs from `expected` (the stamp its Dataset was planned with)."""
    if remote.is_url(path) or isinstance(path, remote.FileObjectName):
        # Asking a server for the stamp on every read would cost a request: a remote
        # file is checked when it is (re)opened.
        with _OPEN_LOCK:
            cached = _OPEN_FILES.get(path)
        if cached is not None and not cached[1].closed:
            if expected is None or tuple(expected) == tuple(cached[0]):
                return cached[1]
    stamp = _stamp(path)
    if expected is not None and tuple(expected) != stamp:
        raise UsageError(
            f"{path} changed on disk since its Dataset was opened; open it again"
        )
    with _OPEN_LOCK:
        cached = _OPEN_FILES.get(path)
        if cached is not None and cached[0] == stamp and not cached[1].closed:
            return cached[1]
        if isinstance(path, remote.FileObjectName):
            f = remote.registered(path)
        elif remote.is_url(path):
            f = remote.open_url(path)
        else:
            f = _fst24.open(path)
        _OPEN_FILES[path] = (stamp, f)
        return f


# How many open Datasets use each path: `Dataset.close()` closes a file when its last
# Dataset is closed (a later lazy read reopens it).
_USERS: Dict[str, int] = {}


def _acquire(paths: Tuple[str, ...]) -> None:
    with _OPEN_LOCK:
        for p in set(paths):
            _USERS[p] = _USERS.get(p, 0) + 1


def _release(paths: Tuple[str, ...]) -> None:
    """Closes the files of `paths` that no other open Dataset uses."""
    closing = []
    with _OPEN_LOCK:
        for p in set(paths):
            n = _USERS.get(p, 0) - 1
            if n > 0:
                _USERS[p] = n
                continue
            _USERS.pop(p, None)
            cached = _OPEN_FILES.pop(p, None)
            if cached is not None:
                closing.append(cached[1])
    for f in closing:
        f.close()


class _Closer:
    """A Dataset's close callback: releases its files once. Picklable (dask ships
    Datasets to workers); an unpickled copy owns no files and releases nothing."""

    def __init__(self, paths: Tuple[str, ...]) -> None:
        self.paths = paths
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            _release(self.paths)

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state, done=True)


def close_files() -> None:
    """Closes every file this process opened for xarray datasets (they stay open so that
    lazy reads and dask tasks reuse them); a later read reopens what it needs."""
    with _OPEN_LOCK:
        files = [f for _, f in _OPEN_FILES.values()]
        _OPEN_FILES.clear()
    for f in files:
        f.close()


def _path_of(path: Any, storage_options: Optional[Dict[str, Any]] = None) -> str:
    """A local path made absolute, a URL as a RemoteURL, a file object by its name."""
    if remote.is_file_object(path):
        return remote.object_name(remote.open_object(path))
    if isinstance(path, _fst24.File):
        return _path_of(path.path, storage_options)
    if isinstance(path, remote.FileObjectName) or remote.is_url(path):
        return remote.url(path, storage_options) if remote.is_url(path) else path
    if isinstance(path, str) and "<file object " in path:
        # xarray may have made the name look like an absolute path.
        return remote.FileObjectName(path[path.index("<file object ") :])
    return os.path.abspath(os.fsdecode(path))


def _paths_of(
    paths: Union[PathLike, Iterable[PathLike]],
    storage_options: Optional[Dict[str, Any]] = None,
) -> Tuple[str, ...]:
    items: Iterable[Any] = (
        [paths]
        if isinstance(paths, (str, bytes, os.PathLike)) or remote.is_file_object(paths)
        else paths
    )
    out = tuple(_path_of(p, storage_options) for p in items)
    if not out:
        raise ValueError("no file given")
    return out


class FstBackendArray(BackendArray):
    """One planned variable: its records (``(file, record)`` per index of the outer,
    record-indexing dimensions; ``-1`` = hole) and the shape of one record."""

    def __init__(
        self,
        paths: Tuple[str, ...],
        stamps: Tuple[Stamp, ...],
        records: np.ndarray,
        outer_shape: Tuple[int, ...],
        record_shape: Tuple[int, ...],
        dtype: str,
        element: str,
        missing: bool,
        derived: Optional[Dict[str, Any]] = None,
        masks: Optional[np.ndarray] = None,
        tiles: Optional[Sequence[Tuple[int, int, int, int]]] = None,
    ) -> None:
        self.paths = paths
        self.stamps = stamps
        self.records = np.ascontiguousarray(records, dtype=np.int64).reshape(-1, 2)
        self.outer_shape = tuple(outer_shape)
        self.record_shape = tuple(record_shape)
        self.shape = self.outer_shape + self.record_shape
        self.dtype = np.dtype(dtype)
        self.element = element
        self.missing = missing
        # A computed variable (pressure, height): `records` are its surface field's
        # and `derived` says how its levels follow from them.
        self.derived = derived
        # `#` tiles (i0, j0, ni, nj): `records` then hold one row per tile of each slot.
        self.tiles = (
            None
            if tiles is None
            else [(int(a), int(b), int(c), int(d)) for a, b, c, d in tiles]
        )
        # Mask records (`@@`) parallel to `records`, `-1` = none.
        self.masks = (
            None if masks is None else np.ascontiguousarray(masks, dtype=np.int64).reshape(-1, 2)
        )

    def __getitem__(self, key: indexing.ExplicitIndexer) -> np.ndarray:
        return indexing.explicit_indexing_adapter(
            key, self.shape, indexing.IndexingSupport.OUTER, self._read
        )

    def _read(self, key: Tuple[Any, ...]) -> np.ndarray:
        n_outer = len(self.outer_shape)
        # Each outer key (int, slice or 1-D int array) as an index array; ints drop
        # their axis at the end.
        picks: List[np.ndarray] = []
        drop: List[bool] = []
        for k, n in zip(key[:n_outer], self.outer_shape):
            idx = np.arange(n)[k]
            drop.append(np.ndim(idx) == 0)
            picks.append(np.atleast_1d(idx))
        sel_shape = tuple(len(p) for p in picks)
        if n_outer:
            grids = np.meshgrid(*picks, indexing="ij")
            slots = np.ravel_multi_index(grids, self.outer_shape).ravel()
        else:
            slots = np.zeros(1, dtype=np.int64)
        if slots.size == 0 or 0 in self.record_shape:
            data = np.empty((slots.size,) + self.record_shape, dtype=self.dtype)
        else:
            files = [_open_file(p, s) for p, s in zip(self.paths, self.stamps)]
            rows = slots
            if self.tiles:
                n = len(self.tiles)
                rows = (np.asarray(slots)[:, None] * n + np.arange(n)[None, :]).ravel()
            records = [tuple(r) for r in self.records[rows].tolist()]
            masks = (
                None
                if self.masks is None
                else [tuple(r) for r in self.masks[rows].tolist()]
            )
            wanted = records + [m for m in masks or () if m[0] >= 0]
            # Records of URLs are fetched concurrently first (one round of requests).
            with remote.prefetched(self.paths, files, wanted):
                if self.derived is None:
                    data = _fst24._read_records(
                        files,
                        records,
                        list(self.record_shape),
                        self.element,
                        self.missing,
                        masks,
                        self.tiles,
                    )
                else:
                    data = self._compute(files, records, slots)
        data = data.reshape(sel_shape + self.record_shape)
        # Spatial keys one axis at a time (outer indexing, not numpy's vectorised one);
        # an int keeps its axis until the end so later axis numbers stay valid.
        for axis, k in enumerate(key[n_outer:], start=n_outer):
            if isinstance(k, slice):
                if k != slice(None):
                    data = data[(slice(None),) * axis + (k,)]
                drop.append(False)
            else:
                drop.append(np.ndim(k) == 0)
                data = np.take(data, np.atleast_1d(k), axis=axis)
        axes = tuple(axis for axis, d in enumerate(drop) if d)
        return np.squeeze(data, axis=axes) if axes else data

    def _compute(self, files: List[Any], records: List[Any], slots: np.ndarray) -> np.ndarray:
        """The computed variable at `slots`, by the core (one decode per surface record)."""
        d = self.derived
        assert d is not None
        large = np.asarray(d["large_scale"], dtype=np.int64).reshape(-1, 2)
        coefficients = np.asarray(d["coefficients"], dtype=np.float64).reshape(-1, 3)
        return _fst24._read_derived(
            files,
            records,
            [tuple(r) for r in large[slots].tolist()] if len(large) else [],
            [tuple(c) for c in coefficients[slots].tolist()],
            d["formula"],
            float(d["pref"]),
            bool(d["sleve"]),
            list(self.record_shape),
        )


class _DeferredCoordArray(BackendArray):
    """A 2-D latitude or longitude the plan left for later (rotated grids: the
    trigonometry of every point), computed by the core on first read. Plain data, so it
    pickles like the variables."""

    def __init__(
        self,
        paths: Tuple[str, ...],
        stamps: Tuple[Stamp, ...],
        where: Tuple[int, int, bool],
        shape: Sequence[int],
    ) -> None:
        self.paths = paths
        self.stamps = stamps
        self.where = tuple(where)
        self.shape = tuple(shape)
        self.dtype = np.dtype("float64")
        self._values: Optional[np.ndarray] = None

    def __getitem__(self, key: indexing.ExplicitIndexer) -> np.ndarray:
        return indexing.explicit_indexing_adapter(
            key, self.shape, indexing.IndexingSupport.BASIC, self._read
        )

    def _read(self, key: Tuple[Any, ...]) -> np.ndarray:
        if self._values is None:
            files = [_open_file(p, s) for p, s in zip(self.paths, self.stamps)]
            file, record, latitude = self.where
            flat = _fst24._deferred_coord(files, int(file), int(record), bool(latitude))
            self._values = np.asarray(flat).reshape(self.shape)
        return self._values[key]


# Target size of a dask chunk for ``chunks={}``: big enough that dask's per-task cost
# (about a millisecond) is small next to decoding, small enough for a worker's memory.
CHUNK_BYTES = 64 << 20


def _preferred_chunks(
    dims: Sequence[str], outer: Tuple[int, ...], inner: Tuple[int, ...], dtype: np.dtype
) -> Dict[str, int]:
    """Chunks of whole records: one index of every outer dimension but the innermost
    (usually the level), along which as many records as fit in ``CHUNK_BYTES``."""
    sizes = [1] * len(outer) + list(inner)
    if outer:
        record_bytes = max(1, int(np.prod(inner, dtype=np.int64)) * dtype.itemsize)
        sizes[len(outer) - 1] = max(1, min(outer[-1], CHUNK_BYTES // record_bytes))
    return dict(zip(dims, sizes))


def _variable_attrs(attrs: Dict[str, Any]) -> Dict[str, Any]:
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in attrs.items()}


class _Planned:
    """A planned dataset before it becomes an ``xarray.Dataset``: its variables (still
    CF-encoded), coordinates, attributes and encoding."""

    def __init__(
        self,
        data_vars: Dict[str, xr.Variable],
        coords: Dict[str, xr.Variable],
        attrs: Dict[str, Any],
        encoding: Dict[str, Any],
    ) -> None:
        self.data_vars = data_vars
        self.coords = coords
        self.attrs = attrs
        self.encoding = encoding

    def dataset(self) -> xr.Dataset:
        ds = xr.Dataset(self.data_vars, coords=self.coords, attrs=self.attrs)
        ds.encoding.update(self.encoding)
        return ds


def plan_dataset(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    forecast_axis: bool = False,
    ignore_typvar: bool = False,
    ignore_etiket: bool = False,
    ensembles: bool = False,
    storage_options: Optional[Dict[str, Any]] = None,
    pressure: bool = False,
    height: bool = False,
) -> xr.Dataset:
    """The dataset of ``paths`` as planned by the core, still CF-encoded (times as
    numbers with ``units``) and with lazy data variables."""
    return _plan_variables(
        paths,
        forecast_axis=forecast_axis,
        ignore_typvar=ignore_typvar,
        ignore_etiket=ignore_etiket,
        ensembles=ensembles,
        storage_options=storage_options,
        pressure=pressure,
        height=height,
    ).dataset()


def _plan_variables(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    forecast_axis: bool = False,
    ignore_typvar: bool = False,
    ignore_etiket: bool = False,
    ensembles: bool = False,
    storage_options: Optional[Dict[str, Any]] = None,
    pressure: bool = False,
    height: bool = False,
) -> _Planned:
    """[`plan_dataset`]'s variables, not yet made a Dataset."""
    paths = _paths_of(paths, storage_options)
    stamps = tuple(_stamp(p) for p in paths)
    files = [_open_file(p, s) for p, s in zip(paths, stamps)]
    plan = _fst24._plan(
        files, forecast_axis, ignore_typvar, ignore_etiket, ensembles, pressure, height, True
    )
    coords: Dict[str, xr.Variable] = {}
    for c in plan["coords"]:
        dims = c["dims"]
        if "deferred" in c:
            later = _DeferredCoordArray(paths, stamps, c["deferred"], c["shape"])
            lazy_values = indexing.LazilyIndexedArray(later)
            coords[c["name"]] = xr.Variable(dims, lazy_values, _variable_attrs(c["attrs"]))
            continue
        values = c["values"]
        if c.get("chars") and len(dims) == 2:
            # NUL-padded character rows (the `ensemble` etikets) as fixed-width byte
            # strings on the first dim, as fstd2nc's xarray output.
            rows = np.ascontiguousarray(values, dtype=np.uint8)
            values = rows.view(f"S{rows.shape[1]}").reshape(rows.shape[0])
            dims = dims[:1]
        if not c["dims"] and values.size != 1:
            # A grid mapping: a scalar that only carries attributes, as CF wants.
            values = np.int32(0)
        coords[c["name"]] = xr.Variable(dims, values, _variable_attrs(c["attrs"]))
    data_vars: Dict[str, xr.Variable] = {}
    for v in plan["variables"]:
        outer = tuple(v["shape"][: v["outer_ndim"]])
        inner = tuple(v["shape"][v["outer_ndim"] :])
        array = FstBackendArray(
            paths,
            stamps,
            v["records"],
            outer,
            inner,
            v["dtype"],
            v["element"],
            v["missing"],
            v.get("derived"),
            v.get("masks"),
            v.get("tiles"),
        )
        lazy = indexing.LazilyIndexedArray(array)
        attrs = _variable_attrs(v["attrs"])
        dtype = np.dtype(v["dtype"])
        if v["missing"] and dtype.kind in "iu" and v["element"] != "word":
            # Integer missing points come back as librmn's markers (signed minimum,
            # unsigned maximum): CF masking turns them into NaN.
            info = np.iinfo(dtype)
            attrs["_FillValue"] = dtype.type(info.min if dtype.kind == "i" else info.max)
        var = xr.Variable(v["dims"], lazy, attrs)
        var.encoding["preferred_chunks"] = _preferred_chunks(v["dims"], outer, inner, dtype)
        if "_FillValue" not in attrs:
            var.encoding["_FillValue"] = None
        data_vars[v["name"]] = var
    attrs = _variable_attrs(plan["attrs"])
    encoding = {
        "source": paths[0] if len(paths) == 1 else list(paths),
        "fst24_paths": paths,
    }
    if plan["warnings"]:
        # One string, so the attribute survives netCDF/zarr writers.
        attrs["fst24_warnings"] = "\n".join(plan["warnings"])
        for w in plan["warnings"]:
            if "duplicate record" in w:
                # Which record wins is a choice the user should see, not only read.
                warnings.warn(f"fst24: {w}", UserWarning, stacklevel=5)
    return _Planned(data_vars, coords, attrs, encoding)


# Units xarray decodes into time deltas (`decode_timedelta`).
_TIMEDELTA_UNITS = frozenset(
    ["days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"]
)
# Attributes with which xarray's CF decoding does more than bookkeeping.
_CF_CODING_ATTRS = frozenset(
    [
        "_FillValue",
        "missing_value",
        "scale_factor",
        "add_offset",
        "_Unsigned",
        "_Encoding",
        "calendar",
        "dtype",
        "bounds",
        "coordinates",
    ]
)


def _plain(var: xr.Variable) -> bool:
    """Whether ``xr.decode_cf`` would only record `var`'s dtype in its encoding (no
    times, masks, packing, characters, byte order or bounds)."""
    units = var.attrs.get("units")
    if isinstance(units, str) and (" since " in units or units in _TIMEDELTA_UNITS):
        return False
    if not _CF_CODING_ATTRS.isdisjoint(var.attrs):
        return False
    return var.dtype.kind in "fiuc" and var.dtype.isnative


def _decode_cf(
    planned: _Planned, decode_times: bool, decode_timedelta: bool
) -> xr.Dataset:
    """``xr.decode_cf(planned.dataset(), mask_and_scale=True, decode_coords=True, ...)``
    built in one go: the few variables that need decoding (times; `coordinates` lists)
    go through xarray's own ``decode_cf_variable``, the others only get the encoding
    ``dtype`` decode_cf gives them. One Dataset is built instead of two, and most
    variables skip xarray's coders (tests compare both ways on every sample)."""
    from xarray import conventions

    def decode(name: str, var: xr.Variable) -> xr.Variable:
        if _plain(var):
            var.encoding.setdefault("dtype", var.dtype)
            return var
        # A copy: the planned variables may be decoded again (without times).
        var = var.copy(deep=False)
        listed = var.attrs.get("coordinates")
        coordinates = var.attrs.pop("coordinates") if isinstance(listed, str) else None
        out = conventions.decode_cf_variable(
            name,
            var,
            concat_characters=True,
            mask_and_scale=True,
            decode_times=decode_times,
            decode_endianness=True,
            stack_char_dim=False,
            decode_timedelta=decode_timedelta,
        )
        if coordinates is not None:
            # decode_cf keeps the list in the encoding; the names are coordinates already.
            out.encoding["coordinates"] = coordinates
        return out

    for v in list(planned.data_vars.values()) + list(planned.coords.values()):
        listed = v.attrs.get("coordinates")
        if (
            v.dtype.kind == "S"
            or "bounds" in v.attrs
            or (isinstance(listed, str) and not set(listed.split()) <= set(planned.coords))
        ):
            # Character arrays, bounds and coordinates that are data variables take
            # xarray's whole path.
            return xr.decode_cf(
                planned.dataset(),
                mask_and_scale=True,
                decode_times=decode_times,
                decode_timedelta=decode_timedelta,
                decode_coords=True,
            )
    data_vars = {n: decode(n, v) for n, v in planned.data_vars.items()}
    coords = {n: decode(n, v) for n, v in planned.coords.items()}
    ds = xr.Dataset(data_vars, coords=coords, attrs=planned.attrs)
    ds.encoding.update(planned.encoding)
    return ds


class Fst24BackendEntrypoint(BackendEntrypoint):
    """``engine="fst24"``: RPN standard files (XDF and RSF) through fst24."""

    description = "Read ECCC RPN standard files (FST: XDF and RSF) with fst24"
    # No public home yet; xarray prints "Learn more at" only for a non-empty url.
    url = ""
    open_dataset_parameters = (
        "filename_or_obj",
        "drop_variables",
        "decode_times",
        "decode_timedelta",
        "forecast_axis",
        "ignore_typvar",
        "ignore_etiket",
        "ensembles",
        "storage_options",
        "pressure",
        "height",
    )

    def open_dataset(  # type: ignore[override]
        self,
        filename_or_obj: Union[PathLike, Sequence[PathLike]],
        *,
        drop_variables: Optional[Iterable[str]] = None,
        decode_times: bool = True,
        decode_timedelta: Optional[bool] = None,
        forecast_axis: bool = False,
        ignore_typvar: bool = False,
        ignore_etiket: bool = False,
        ensembles: bool = False,
        storage_options: Optional[Dict[str, Any]] = None,
        pressure: bool = False,
        height: bool = False,
    ) -> xr.Dataset:
        planned = _plan_variables(
            filename_or_obj,
            forecast_axis=forecast_axis,
            ignore_typvar=ignore_typvar,
            ignore_etiket=ignore_etiket,
            ensembles=ensembles,
            storage_options=storage_options,
            pressure=pressure,
            height=height,
        )
        paths = planned.encoding.pop("fst24_paths")
        for name in drop_variables or ():
            planned.data_vars.pop(name, None)
            planned.coords.pop(name, None)
        if decode_timedelta is None:
            decode_timedelta = decode_times
        # Times need decoding, and integer variables with missing values masking
        # (`_FillValue`); the plan never packs or scales values.
        def decode(times: bool, timedelta: bool) -> xr.Dataset:
            return _decode_cf(planned, times, timedelta)

        try:
            decoded = decode(decode_times, decode_timedelta)
            # Times and time deltas decode lazily: touch them now (small coordinates, in
            # memory) so a date pandas cannot represent (a damaged npas, year 3300) fails
            # here, not when data loads.
            for var in decoded.variables.values():
                if decode_times and var.dtype.kind in "mMO" and "units" in var.encoding:
                    var.values  # noqa: B018
        except (ValueError, OverflowError) as e:  # pandas' OutOfBoundsDatetime included
            if not decode_times:
                raise
            warnings.warn(
                f"times left as numbers with their units: {e} (install cftime to decode "
                "dates beyond pandas' range)",
                stacklevel=2,
            )
            decoded = decode(False, False)
        # `Dataset.close()` (or `with`) closes the files once no other Dataset uses them.
        _acquire(paths)
        decoded.set_close(_Closer(paths))
        return decoded

    def guess_can_open(self, filename_or_obj: Any) -> bool:
        try:
            path = os.fspath(filename_or_obj)
        except TypeError:
            return False
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if os.path.splitext(path)[1].lower() in (".fst", ".std", ".rsf"):
            return True
        try:
            with open(path, "rb") as f:
                head = f.read(32)
        except OSError:
            return False
        # XDF standard files have "XDF0STDR"/"XDF0STDS" at byte 8, RSF ones "RSF0STDF" at 16.
        return head[8:15] == b"XDF0STD" or head[16:24] == b"RSF0STDF"


# Vector components written along the grid's axes (CF x_wind/y_wind), as GEM writes
# them on rotated and projected grids.
WIND_PAIRS = (("UU", "VV"), ("UD", "VD"))


def _axes_angle(ds: xr.Dataset, var: xr.DataArray) -> Optional[np.ndarray]:
    """Angle (radians, counter-clockwise) from local east to the grid's x axis at every
    point of `var`'s grid, from its CF grid mapping and lat/lon; None when unknown."""
    gm = ds.variables.get(var.attrs.get("grid_mapping", ""))
    by_name = {c.attrs.get("standard_name"): c for c in var.coords.values() if c.ndim == 2}
    if gm is None:
        return None
    name = gm.attrs.get("grid_mapping_name")
    if name == "latitude_longitude":
        return np.zeros(var.shape[-2:])
    if "latitude" not in by_name or "longitude" not in by_name:
        return None
    lat = np.radians(np.asarray(by_name["latitude"].values, dtype="float64"))
    lon = np.radians(np.asarray(by_name["longitude"].values, dtype="float64"))
    if name == "polar_stereographic":
        # x = r cos(λ + dgrw) (north) / r cos(dgrw − λ) (south), with the CF central
        # meridian −(dgrw + 90°) (north) / dgrw − 90° (south).
        central = np.radians(gm.attrs["straight_vertical_longitude_from_pole"])
        if gm.attrs["latitude_of_projection_origin"] > 0:
            return central - lon
        return lon - central
    if name == "rotated_latitude_longitude":
        plat = np.radians(gm.attrs["grid_north_pole_latitude"])
        plon = np.radians(gm.attrs["grid_north_pole_longitude"])
        pole = np.array([np.cos(plat) * np.cos(plon), np.cos(plat) * np.sin(plon), np.sin(plat)])
        p = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
        east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
        north = np.cross(p, east)
        # The rotated frame's east: pole × p (undefined at its poles, where it is 0).
        rot_east = np.cross(np.broadcast_to(pole, p.shape), p)
        return np.arctan2((rot_east * north).sum(-1), (rot_east * east).sum(-1))
    return None


def earth_relative_winds(ds: xr.Dataset) -> xr.Dataset:
    """`ds` with each grid-relative wind pair (`UU`/`VV`, `UD`/`VD` labelled
    x_wind/y_wind) rotated to true eastward/northward components, as ezscint's
    `gdwdfuv` does. Lazy when the dataset is dask-backed."""
    out = ds.copy()
    for un, vn in WIND_PAIRS:
        if un not in ds or vn not in ds:
            continue
        u, v = ds[un], ds[vn]
        if u.attrs.get("standard_name") != "x_wind" or u.dims != v.dims:
            continue
        angle = _axes_angle(ds, u)
        if angle is None:
            raise UsageError(f"{un}/{vn}: the grid's orientation is unknown; cannot rotate")
        cos = xr.DataArray(np.cos(angle), dims=u.dims[-2:])
        sin = xr.DataArray(np.sin(angle), dims=u.dims[-2:])
        note = "rotated from the grid's x/y components to earth-relative (as ezscint gdwdfuv)"
        for name, value, std in (
            (un, u * cos - v * sin, "eastward_wind"),
            (vn, u * sin + v * cos, "northward_wind"),
        ):
            attrs = dict(ds[name].attrs, standard_name=std, comment=note)
            out[name] = value.astype(ds[name].dtype).assign_attrs(attrs)
            out[name].encoding = dict(ds[name].encoding)
    out.set_close(getattr(ds, "_close", None))
    return out


def to_xarray(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    forecast_axis: bool = False,
    chunks: Any = None,
    decode_times: bool = True,
    ignore_typvar: bool = False,
    ignore_etiket: bool = False,
    ensembles: bool = False,
    storage_options: Optional[Dict[str, Any]] = None,
    earth_winds: bool = False,
    pressure: bool = False,
    height: bool = False,
    add_px: bool = False,
    add_gz: bool = False,
    **kwargs: Any,
) -> xr.Dataset:
    """An ``xarray.Dataset`` of one or several files, read lazily.

    ``chunks`` is passed to xarray: ``None`` keeps lazy numpy-backed variables,
    ``{}`` gives dask arrays whose chunks are whole records grouped along the level axis
    (up to 64 MiB; ``{"level": 1}`` for one record per chunk), ``"auto"`` or a dict of
    sizes other chunkings. ``ensembles=True`` gathers the etikets of a variable into an
    ``ensemble_id`` dimension (after the time axes) labelled by an ``ensemble``
    coordinate of byte strings (``|S12``), as fstd2nc's ``ensembles=True``.
    ``earth_winds=True`` rotates winds given along a rotated or projected grid's axes
    (``x_wind``/``y_wind``) to true ``eastward_wind``/``northward_wind`` (see
    ``earth_relative_winds``). ``pressure=True`` (fstd2nc's ``add_px``) adds ``PX``,
    the pressure (hPa, ``air_pressure``) of every model-level axis (sigma, eta, hybrid,
    pressure levels: vcodes 1001, 1002, 2001, 5001-5005, 5100 and ``HY``) whose
    surface pressure ``P0`` (and ``P0LS`` for 5100) is in the files; ``height=True``
    (``add_gz``) adds ``GZ``, the height (m, ``geopotential_height``) of hybrid-height
    levels (21001, 21002) from the orography ``ME`` (``MELS``). Both are computed from
    the ``!!`` descriptor as vgrid's ``vgd_levels``, lazily (one surface record per
    time), with the dimensions of the fields on those levels; further axes get
    ``PX_1``, ``GZ_1``... Other keyword arguments go to ``xarray.open_dataset``.

    ``paths`` may be fsspec URLs (``https://``, ``s3://``...; ``storage_options`` for
    their filesystem) or binary file-like objects: only the directories and the records
    read are fetched (see ``fst24.remote``).
    """
    paths = _paths_of(paths, storage_options)
    local = all(type(p) is str for p in paths)
    # A list keeps xarray from treating a URL or a file object's name as a local path.
    source: Any = paths[0] if len(paths) == 1 and local else list(paths)
    ds = xr.open_dataset(
        source,
        engine=Fst24BackendEntrypoint,
        chunks=chunks,
        decode_times=decode_times,
        forecast_axis=forecast_axis,
        ignore_typvar=ignore_typvar,
        ignore_etiket=ignore_etiket,
        ensembles=ensembles,
        storage_options=storage_options,
        pressure=pressure or add_px,
        height=height or add_gz,
        **kwargs,
    )
    return earth_relative_winds(ds) if earth_winds else ds
