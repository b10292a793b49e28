"""VirtualiZarr: FST files as virtual Zarr stores (``ManifestStore`` of ``ManifestArray``\\ s).

Tested with virtualizarr 2.5 (which needs numpy >= 2: the project's main test
environment keeps numpy < 2 for librmn's Python bindings, so these tests run in a
second environment, see ``bindings-python/ci.sh``)::

    from obstore.store import LocalStore
    from obspec_utils.registry import ObjectStoreRegistry
    from virtualizarr import open_virtual_dataset

    registry = ObjectStoreRegistry({"file://": LocalStore()})
    # many files, to_xarray's layout (time axis), coordinates loaded:
    vds = fst24.virtual.open_virtual_dataset(paths, registry)
    fst24.virtual.to_kerchunk(vds, "run.json")   # VirtualiZarr's writer, repaired
    # or one file through VirtualiZarr's own entry, naming what to load:
    vds = open_virtual_dataset("file:///data/2024010100_001.fst", registry=registry,
                               parser=fst24.virtual.FstParser(),
                               loadable_variables=[...coordinate names...])

Each data variable is a ManifestArray whose chunks are its records' data areas (the
byte ranges of ``fst24.to_references``) and whose codecs are zarr's ``bytes`` then the
``fst24`` codec (``fst24.codec_zarr3``), so zarr (and xarray through the store) decodes
the records exactly as ``fst24.to_xarray``. Coordinates are computed from the records'
keys, not stored as arrays in the file: the parser puts their values in an in-memory
object store, registered in the registry under ``memory://fst24-<token>/``, and they
must be loaded (``open_virtual_dataset`` here loads them all; VirtualiZarr's loads the
dimension coordinates by default) before the virtual dataset is written anywhere. A hole of the dataset (no record at an index) is a
missing chunk: zarr fills it with the array's fill value (NaN for reals; for integers
the variable's ``_FillValue``, librmn's marker, when it has missing points, else 0: as
``to_xarray`` fills holes).
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import os
import secrets
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import numpy as np

from .errors import UsageError
from .references import FORMATS, PathLike, Reference, plan_references, write_references

_STORES = itertools.count(1)


def _uri(path: str) -> str:
    """A chunk target as VirtualiZarr wants it: a URL, local paths as file:// URLs."""
    if "://" in path:
        return path
    return "file://" + os.path.abspath(path)


def _local(url: str) -> str:
    return url[len("file://") :] if url.startswith("file://") else url


class FstParser:
    """VirtualiZarr parser (``parser=`` of ``open_virtual_dataset``) for one FST file.

    The file is listed through fst24 itself (a local path, or an fsspec URL with
    ``storage_options``: its directory only); the registry must hold a store for the
    file's URL to read the chunks. The planning options are ``to_xarray``'s.
    """

    def __init__(
        self,
        *,
        storage_options: Optional[Dict[str, Any]] = None,
        forecast_axis: bool = False,
        ignore_typvar: bool = False,
        ignore_etiket: bool = False,
        ensembles: bool = False,
    ) -> None:
        self.storage_options = storage_options
        self.plan: Dict[str, Any] = {
            "forecast_axis": forecast_axis,
            "ignore_typvar": ignore_typvar,
            "ignore_etiket": ignore_etiket,
            "ensembles": ensembles,
        }

    def __call__(self, url: str, registry: Any) -> Any:
        return manifest_store([url], registry, storage_options=self.storage_options, **self.plan)


def manifest_store(
    paths: Union[PathLike, Iterable[PathLike]],
    registry: Any,
    *,
    urls: Optional[Sequence[str]] = None,
    storage_options: Optional[Dict[str, Any]] = None,
    **plan: Any,
) -> Any:
    """A VirtualiZarr ``ManifestStore`` of the Dataset ``to_xarray(paths, **plan)`` builds
    (many files: one store, with to_xarray's time axis). Chunks point at ``urls`` (default:
    the paths, local ones as ``file://`` URLs); coordinates go to a memory store that is
    registered in ``registry``."""
    from obstore.store import MemoryStore  # type: ignore[import-not-found, import-untyped, unused-ignore]
    from virtualizarr.manifests import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
        ChunkManifest,
        ManifestArray,
        ManifestGroup,
        ManifestStore,
    )
    from virtualizarr.manifests.utils import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
        create_v3_array_metadata,
    )

    from . import codec_zarr3

    codec_zarr3.register()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    local = [_local(os.fspath(p)) for p in paths]
    targets = [_uri(u) for u in (urls if urls is not None else local)]
    meta, refs = plan_references(local, urls=targets, storage_options=storage_options, **plan)
    memory_root = f"memory://fst24-{os.getpid()}-{next(_STORES)}-{secrets.token_hex(4)}"
    memory = MemoryStore()
    registry.register(memory_root, memory)
    by_array: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for key, ref in refs.items():
        array, chunk = key.rsplit("/", 1)
        entries = by_array.setdefault(array, {})
        if isinstance(ref, bytes):
            if not ref:
                continue  # a hole: a missing chunk, filled with the fill value
            memory.put(key, ref)
            entries[chunk] = {"path": f"{memory_root}/{key}", "offset": 0, "length": len(ref)}
        else:
            entries[chunk] = {"path": ref[0], "offset": int(ref[1]), "length": int(ref[2])}
    arrays = {}
    for key, zarray in meta.items():
        if not key.endswith("/.zarray"):
            continue
        name = key[: -len("/.zarray")]
        attrs = dict(meta[f"{name}/.zattrs"])
        dims = attrs.pop("_ARRAY_DIMENSIONS")
        dtype = np.dtype(zarray["dtype"])
        if zarray["fill_value"] is not None:
            attrs["_FillValue"] = zarray["fill_value"]
        codecs: List[Dict[str, Any]] = [{"name": "bytes", "configuration": {"endian": "little"}}]
        if zarray["compressor"] is not None:
            config = dict(zarray["compressor"])
            config.pop("id")
            codecs.append({"name": codec_zarr3.NAME, "configuration": config})
        metadata = create_v3_array_metadata(
            shape=tuple(zarray["shape"]),
            data_type=dtype,
            chunk_shape=tuple(zarray["chunks"]),
            fill_value=_hole_fill(dtype, zarray["fill_value"]),
            codecs=codecs,
            attributes=attrs,
            dimension_names=dims,
        )
        grid = tuple(-(-s // c) for s, c in zip(zarray["shape"], zarray["chunks"]))
        entries = by_array.get(name, {})
        if not grid:  # a scalar: VirtualiZarr names its one chunk "c"
            entries = {"c": e for e in entries.values()}
        manifest = ChunkManifest(entries=entries, shape=grid)
        arrays[name] = ManifestArray(metadata=metadata, chunkmanifest=manifest)
    return ManifestStore(
        group=ManifestGroup(arrays=arrays, attributes=dict(meta[".zattrs"])), registry=registry
    )


def _hole_fill(dtype: np.dtype, fill: Any) -> Any:
    if dtype.kind in "fc":
        return float("nan")
    # An integer variable with missing points fills its holes with its _FillValue.
    return 0 if fill is None else int(fill)


def coordinate_names(store: Any) -> List[str]:
    """The coordinates of a store made by :func:`manifest_store` (what to load)."""
    names = []
    for name, array in store._group.arrays.items():
        if not any(c.to_dict()["name"] == "fst24" for c in array.metadata.codecs):
            names.append(name)
    return names


def open_virtual_dataset(
    paths: Union[PathLike, Iterable[PathLike]],
    registry: Any,
    *,
    urls: Optional[Sequence[str]] = None,
    storage_options: Optional[Dict[str, Any]] = None,
    **plan: Any,
) -> Any:
    """The virtual ``xarray.Dataset`` of many FST files (to_xarray's layout, time axis
    included): data variables virtual (ManifestArrays), coordinates loaded."""
    store = manifest_store(paths, registry, urls=urls, storage_options=storage_options, **plan)
    return store.to_virtual_dataset(loadable_variables=coordinate_names(store))


def to_kerchunk(
    vds: Any,
    output: Optional[PathLike] = None,
    *,
    format: str = "json",
    record_size: int = 10000,
    overwrite: bool = False,
) -> Dict[str, Any]:
    """Kerchunk references of a virtual dataset of FST files (from :func:`open_virtual_dataset`
    or VirtualiZarr's with :class:`FstParser`, combined or not), as ``fst24.to_references``
    writes them: VirtualiZarr's own ``vds.vz.to_kerchunk`` output, repaired where plain zarr
    would read it differently from ``to_xarray``:

    - a loaded scalar coordinate is written under the chunk key ``name/`` (zarr reads
      ``name/0``, so it would get the fill value): moved to ``name/0``;
    - an ``fst24`` array gets the fill value of ``to_references`` (its ``_FillValue``,
      else none: VirtualiZarr writes 0 for integers, which xarray would then mask), and
      its holes (missing chunks) become empty chunks, which the codec fills as
      ``to_xarray`` does.

    Returns the references (Kerchunk v1) and writes them to ``output`` as
    ``fst24.to_references`` does (``format="json"`` or ``"parquet"``; ``overwrite`` as
    there).
    """
    if format not in FORMATS:
        raise UsageError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if format == "parquet" and output is None:
        raise UsageError('format="parquet" writes a directory: give output')
    raw = vds.vz.to_kerchunk(format="dict")["refs"]
    meta: Dict[str, Any] = {}
    refs: Dict[str, Reference] = {}
    for key, value in raw.items():
        leaf = key.rsplit("/", 1)[-1]
        if leaf.startswith(".z"):
            meta[key] = json.loads(value) if isinstance(value, (str, bytes)) else value
        elif isinstance(value, str) and value.startswith("base64:"):
            refs[key] = base64.b64decode(value[len("base64:") :])
        elif isinstance(value, str):
            refs[key] = value.encode()
        else:
            refs[key] = [value[0], int(value[1]), int(value[2])]
    meta.pop(".zmetadata", None)
    for key in [k for k in meta if k.endswith("/.zarray")]:
        name = key[: -len("/.zarray")]
        zarray = meta[key]
        if not zarray["shape"] and f"{name}/" in refs:
            refs[f"{name}/0"] = refs.pop(f"{name}/")
        codecs = (zarray.get("filters") or []) + [zarray.get("compressor")]
        if not any(isinstance(c, dict) and c.get("id") == "fst24" for c in codecs):
            continue
        zarray["fill_value"] = meta.get(f"{name}/.zattrs", {}).get("_FillValue")
        grid = [math.ceil(s / c) for s, c in zip(zarray["shape"], zarray["chunks"])]
        for index in itertools.product(*(range(n) for n in grid)):
            chunk = f"{name}/{'.'.join(str(i) for i in index) or '0'}"
            refs.setdefault(chunk, b"")  # a hole: the codec fills it
    return write_references(meta, refs, output, format, record_size, overwrite)
