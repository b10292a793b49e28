"""Virtual Zarr references (Kerchunk v1 JSON) of FST files: ``fst24.to_references``.

The references describe, as a zarr v2 store, the Dataset that ``fst24.to_xarray`` builds
from the same files (same variables, coordinates, attributes): coordinates are inlined,
and each chunk of a data variable is one record's data area, a byte range of its file,
decoded by the ``fst24`` numcodecs codec (``fst24.codec``) whose configuration is the
record's packing keys. Plain zarr then reads the files lazily through fsspec's
``reference://`` filesystem, without the fst24 xarray backend::

    refs = fst24.to_references(["2024010100_001.fst", ...], "run.json")
    ds = xr.open_dataset("reference://", engine="zarr", backend_kwargs={
        "consolidated": False, "storage_options": {"fo": "run.json"}})

A codec configuration is per variable, so every record of a variable must be packed
alike (same datyp, nbits, dimensions and byte order); a variable whose records differ
raises ``UnsupportedError`` (read it with ``fst24.to_xarray`` instead).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _fst24
from .errors import UnsupportedError, UsageError

PathLike = Union[str, "os.PathLike[str]"]
# A chunk: inline bytes (coordinates; b"" for a hole) or [url, offset, size].
Reference = Union[bytes, List[Any]]

FORMATS = ("json", "parquet")

_LAYOUT_KEYS = ("datyp", "nbits", "data_bits", "ni", "nj", "nk")


def _json_value(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _attrs(attrs: Dict[str, Any], dims: Sequence[str]) -> Dict[str, Any]:
    out = {k: _json_value(v) for k, v in attrs.items()}
    out["_ARRAY_DIMENSIONS"] = list(dims)
    return out


def _dtype_str(dtype: np.dtype) -> str:
    # zarr v2 wants an explicit byte order; data is little-endian in memory.
    return dtype.newbyteorder("<").str if dtype.byteorder not in ("|",) else dtype.str


def _zarray(
    shape: Sequence[int], chunks: Sequence[int], dtype: np.dtype, compressor: Any, fill: Any
) -> Dict[str, Any]:
    return {
        "chunks": [int(c) for c in chunks],
        "compressor": compressor,
        "dtype": _dtype_str(dtype),
        "fill_value": fill,
        "filters": None,
        "order": "C",
        "shape": [int(s) for s in shape],
        "zarr_format": 2,
    }


def _inline(values: np.ndarray) -> bytes:
    data = np.ascontiguousarray(values)
    if data.dtype.byteorder == ">":
        data = data.astype(data.dtype.newbyteorder("<"))
    return data.tobytes()


def _json_ref(ref: Reference) -> Any:
    """A chunk reference as Kerchunk v1 JSON writes it: inline bytes in base64 ("" for
    an empty chunk, a hole), else ``[url, offset, size]``."""
    if isinstance(ref, bytes):
        return "base64:" + base64.b64encode(ref).decode("ascii") if ref else ""
    return ref


def _chunk_key(name: str, outer: Tuple[int, ...], n_inner: int) -> str:
    parts = [str(i) for i in outer] + ["0"] * n_inner
    return f"{name}/{'.'.join(parts) if parts else '0'}"


def to_references(
    paths: Union[PathLike, Iterable[PathLike]],
    output: Optional[PathLike] = None,
    *,
    format: str = "json",
    record_size: int = 10000,
    overwrite: bool = False,
    urls: Optional[Sequence[str]] = None,
    storage_options: Optional[Dict[str, Any]] = None,
    forecast_axis: bool = False,
    ignore_typvar: bool = False,
    ignore_etiket: bool = False,
    ensembles: bool = False,
) -> Dict[str, Any]:
    """Kerchunk references of the Dataset ``fst24.to_xarray(paths, ...)`` builds.

    ``paths`` are local paths or fsspec URLs (with ``storage_options``). The chunks point
    at ``urls`` (one per path, same order; default: the paths themselves, local ones
    absolute), so references made from local copies can name the files' HTTP or S3
    addresses. Returns the references as Kerchunk v1 (``{"version": 1, "refs": {...}}``)
    and writes them to ``output`` when given: ``format="json"`` writes that JSON file,
    ``format="parquet"`` writes Kerchunk's parquet layout into the new directory
    ``output`` (``record_size`` chunk references per parquet file; see
    ``fst24._parquet_refs``). An existing ``output`` is refused unless ``overwrite``
    (which replaces a file, or a directory of parquet references; never anything else).
    The planning options are ``to_xarray``'s.
    """
    if format not in FORMATS:
        raise UsageError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if format == "parquet" and output is None:
        raise UsageError('format="parquet" writes a directory: give output')
    meta, refs = plan_references(
        paths,
        urls=urls,
        storage_options=storage_options,
        forecast_axis=forecast_axis,
        ignore_typvar=ignore_typvar,
        ignore_etiket=ignore_etiket,
        ensembles=ensembles,
    )
    return write_references(meta, refs, output, format, record_size, overwrite)


def write_references(
    meta: Dict[str, Any],
    refs: Dict[str, Reference],
    output: Optional[PathLike],
    format: str,
    record_size: int,
    overwrite: bool,
) -> Dict[str, Any]:
    """Kerchunk v1 of `meta` + `refs`, written to `output` (when given) as JSON or
    parquet; an existing `output` is refused unless `overwrite` (JSON: a file; parquet:
    a directory of parquet references). Written beside `output`, then renamed."""
    result = {"version": 1, "refs": _json_refs(meta, refs)}
    if output is None:
        return result
    if format == "parquet":
        from ._parquet_refs import write_parquet

        write_parquet(meta, refs, output, record_size, overwrite=overwrite)
        return result
    target = os.path.abspath(os.fspath(output))
    if os.path.isdir(target) or (os.path.lexists(target) and not overwrite):
        raise UsageError(f"{target} already exists (overwrite=True replaces a file)")
    staging = f"{target}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with open(staging, "x", encoding="utf-8") as f:
            json.dump(result, f)
        os.replace(staging, target)
    except BaseException:
        if os.path.lexists(staging):
            os.remove(staging)
        raise
    return result


def plan_references(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    urls: Optional[Sequence[str]] = None,
    storage_options: Optional[Dict[str, Any]] = None,
    forecast_axis: bool = False,
    ignore_typvar: bool = False,
    ignore_etiket: bool = False,
    ensembles: bool = False,
) -> Tuple[Dict[str, Any], Dict[str, Reference]]:
    """The zarr v2 metadata (key -> JSON object) and the chunk references (key ->
    ``[url, offset, size]``, or inline bytes: coordinates, and b"" for a hole) of the
    Dataset ``to_xarray(paths, **plan)`` builds; ``urls`` as for ``to_references``."""
    from .xarray_backend import _open_file, _paths_of, plan_dataset

    paths = _paths_of(paths, storage_options)
    if urls is None:
        urls = [str(p) for p in paths]
    urls = [os.fspath(u) for u in urls]
    if len(urls) != len(paths):
        raise UsageError(f"{len(urls)} urls given for {len(paths)} files")
    ds = plan_dataset(
        paths,
        forecast_axis=forecast_axis,
        ignore_typvar=ignore_typvar,
        ignore_etiket=ignore_etiket,
        ensembles=ensembles,
    )
    files = [_open_file(p) for p in paths]
    return _references(ds, files, urls)


def _references(
    ds: Any, files: Sequence[Any], urls: Sequence[str]
) -> Tuple[Dict[str, Any], Dict[str, Reference]]:
    """The zarr v2 metadata (key -> JSON object) and chunk references of the planned
    Dataset `ds` over `files`."""
    # xarray decodes a time interval from zarr only when its attributes name the dtype
    # (its own encoding convention): mark the coordinates to_xarray gives as timedeltas.
    import xarray as xr

    decoded = xr.decode_cf(ds, decode_times=True, decode_timedelta=True)
    for name in ds.coords:
        if decoded[name].dtype.kind == "m":
            ds[name].attrs["dtype"] = str(decoded[name].dtype)
    refs: Dict[str, Reference] = {}
    meta: Dict[str, Any] = {".zgroup": {"zarr_format": 2}}
    attrs = {k: _json_value(v) for k, v in ds.attrs.items()}
    extra_coords = [n for n in ds.coords if n not in ds.dims]
    if extra_coords:
        # xarray's own convention for coordinates no variable names.
        attrs["coordinates"] = " ".join(str(n) for n in extra_coords)
    meta[".zattrs"] = attrs
    for name, var in ds.coords.items():
        values = np.asarray(var.values)
        meta[f"{name}/.zarray"] = _zarray(values.shape, values.shape, values.dtype, None, None)
        meta[f"{name}/.zattrs"] = _attrs(var.attrs, var.dims)
        refs[_chunk_key(str(name), (), values.ndim)] = _inline(values)
    for name, var in ds.data_vars.items():
        _data_variable(str(name), var, files, urls, meta, refs)
    return meta, refs


def _json_refs(meta: Dict[str, Any], refs: Dict[str, Reference]) -> Dict[str, Any]:
    """Kerchunk v1 ``refs``: metadata as JSON strings (+ consolidated), then chunks."""
    out: Dict[str, Any] = {k: json.dumps(v) for k, v in meta.items()}
    out[".zmetadata"] = json.dumps(
        {"zarr_consolidated_format": 1, "metadata": meta}, allow_nan=True
    )
    out.update((k, _json_ref(v)) for k, v in refs.items())
    return out


def _data_variable(
    name: str,
    var: Any,
    files: Sequence[Any],
    urls: Sequence[str],
    meta: Dict[str, Any],
    refs: Dict[str, Reference],
) -> None:
    backend_array = _backend_array(var.variable._data)
    if backend_array.masks is not None:
        # A chunk is one record; the mask is another record the codec never sees.
        raise UnsupportedError(
            f"variable {name} is masked by @@ records, which zarr chunk references "
            "cannot apply; read it with fst24.to_xarray"
        )
    if backend_array.tiles:
        # A chunk is one record; a `#` variable's record is several tiles.
        raise UnsupportedError(
            f"variable {name} is reassembled from `#` tiles, which one zarr chunk "
            "reference per record cannot express; read it with fst24.to_xarray"
        )
    records = backend_array.records
    outer = backend_array.outer_shape
    inner = backend_array.record_shape
    dtype = np.dtype(backend_array.dtype)
    # Data area and packing of every record, per file.
    layouts: Dict[int, Tuple[Dict[int, np.ndarray], str]] = {}
    for f in np.unique(records[:, 0]):
        if f < 0:
            continue
        keys = records[records[:, 0] == f, 1].tolist()
        table, order = _fst24._record_layout(files[int(f)], keys)
        layouts[int(f)] = ({k: row for k, row in zip(keys, table)}, order)
    packings = set()
    for f, (rows, order) in layouts.items():
        for row in rows.values():
            packings.add((order,) + tuple(int(x) for x in row[2:]))
    if len(packings) > 1:
        shown = sorted(packings)[:4]
        raise UnsupportedError(
            f"variable {name}: its records are packed differently "
            f"(byte order, {', '.join(_LAYOUT_KEYS)}: {shown}); one zarr codec cannot "
            "decode them all; read it with fst24.to_xarray"
        )
    attrs = dict(var.attrs)
    fill = attrs.pop("_FillValue", None)
    if packings:
        packing = packings.pop()
        compressor = {
            "id": "fst24",
            "byte_order": packing[0],
            **dict(zip(_LAYOUT_KEYS, packing[1:])),
        }
    else:  # only holes: the codec still knows the shape
        ni = inner[-1] if inner else 1
        nj = inner[-2] if len(inner) > 1 else 1
        compressor = {"id": "fst24", "byte_order": "big", "datyp": 5, "nbits": 32,
                      "data_bits": 32, "ni": ni, "nj": nj, "nk": 1}
    compressor["dtype"] = dtype.name
    compressor["missing"] = bool(backend_array.missing)
    if backend_array.element != _default_element(dtype):
        compressor["element"] = backend_array.element
    chunks = (1,) * len(outer) + tuple(inner)
    fill_value = None if fill is None else _json_value(np.asarray(fill, dtype=dtype)[()])
    meta[f"{name}/.zarray"] = _zarray(var.shape, chunks, dtype, compressor, fill_value)
    meta[f"{name}/.zattrs"] = _attrs(attrs, var.dims)
    for slot, (f, k) in enumerate(records.tolist()):
        index = np.unravel_index(slot, outer) if outer else ()
        key = _chunk_key(name, tuple(int(i) for i in index), len(inner))
        if f < 0:
            refs[key] = b""  # a hole: the codec fills it as to_xarray does
            continue
        row = layouts[f][0][k]
        refs[key] = [urls[f], int(row[0]), int(row[1])]


def _default_element(dtype: np.dtype) -> str:
    from .codec import _ELEMENTS

    return _ELEMENTS.get(dtype.name, "")


def _backend_array(data: Any) -> Any:
    """The FstBackendArray under xarray's lazy wrappers."""
    from .xarray_backend import FstBackendArray

    for _ in range(8):
        if isinstance(data, FstBackendArray):
            return data
        data = getattr(data, "array", None)
    raise UsageError("variable is not an fst24 planned variable")
