"""fst24: read and write ECCC RPN standard files (FST: XDF and RSF) without librmn.

>>> import fst24
>>> with fst24.open("file.fst") as f:
...     df = f.to_polars()                      # one row per record, fstpy's columns
...     tt = f.find(nomvar="TT", etiket="R1*")  # fstinl-style search
...     arrays = f.read(df.filter(df["ip1"] > 0))
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any, Dict, Literal, Optional, cast, overload

import polars

from . import _fst24, remote
from ._fst24 import ArrowTable, File, Record, Writer, get_memory_limit, set_memory_limit
from ._paths import Paths, PathLike, expand
from .errors import (
    Error,
    ExistsError,
    FormatError,
    IoError,
    IsDirectoryError,
    LimitError,
    NotDirectoryError,
    NotFoundError,
    PermissionDeniedError,
    UnsupportedError,
    UsageError,
)

if TYPE_CHECKING:  # pragma: no cover
    import xarray

__version__: str = _fst24.__version__


@overload
def open(  # noqa: A001
    path: PathLike | IO[bytes],
    mode: Literal["r", "rb"] = "r",
    *,
    backend: None = None,
    storage_options: Optional[Dict[str, Any]] = None,
    recover: bool = False,
) -> File: ...
@overload
def open(  # noqa: A001
    path: PathLike,
    mode: Literal["w", "wb", "a", "ab"],
    *,
    backend: Optional[str] = None,
    parallel: bool = False,
    segment_size_mb: Optional[int] = None,
) -> Writer: ...
@overload
def open(  # noqa: A001
    path: PathLike | IO[bytes],
    mode: str = "r",
    *,
    backend: Optional[str] = None,
    parallel: bool = False,
    segment_size_mb: Optional[int] = None,
    storage_options: Optional[Dict[str, Any]] = None,
    recover: bool = False,
) -> File | Writer: ...
def open(  # noqa: A001 - mirrors builtins.open
    path: PathLike | IO[bytes],
    mode: str = "r",
    *,
    backend: Optional[str] = None,
    parallel: bool = False,
    segment_size_mb: Optional[int] = None,
    storage_options: Optional[Dict[str, Any]] = None,
    recover: bool = False,
) -> File | Writer:
    """Opens an RPN standard file; use it as a context manager.

    ``"r"`` reads (a :class:`File`); ``"w"`` creates a new file and refuses an existing
    one (librmn never truncates); ``"a"`` adds records to a file, which keeps its format
    (both give a :class:`Writer`). ``backend="rsf"|"xdf"`` chooses a new file's format,
    else ``FST_OPTIONS`` ``BACKEND=RSF``, else XDF (librmn 20's default).
    ``recover=True`` (mode ``"r"``) opens files librmn refuses (never closed, directory
    lost or damaged) by listing the records whose own bytes are intact (see
    ``File.warnings``).

    ``"w"`` also refuses a second creator of the same new file (another thread or
    process). Leaving the ``with`` block by an exception does not publish the file (see
    :meth:`Writer.discard`).

    ``parallel=True`` (RSF, mode ``"a"`` or ``"w"``): several writers, in threads or
    processes, add records to one file at once, as librmn's ``PARALLEL`` option; each
    reserves ``segment_size_mb`` MiB of (sparse) file space, else ``FST_OPTIONS``
    ``SEGMENT_SIZE_MB``, else 1000.

    ``path`` may also be an fsspec URL (``https://``, ``s3://``..., with
    ``storage_options``) or a binary file-like object, read-only: only the directory is
    read at open, then the records decoded (see ``fst24.remote``).
    """
    if remote.is_file_object(path) or remote.is_url(path):
        if not mode.startswith("r") or backend is not None or parallel:
            raise UsageError('URLs and file objects are opened read-only (mode "r")')
        if recover:
            # Recovery scans every byte of the file: copy it locally first.
            raise UsageError("recover=True needs a local file, not a URL or file object")
        if remote.is_file_object(path):
            return remote.open_object(path)
        return remote.open_url(cast(str, path), storage_options)
    return _fst24.open(
        os.fspath(cast(PathLike, path)),
        mode,
        backend,
        recover,
        parallel=parallel,
        segment_size_mb=segment_size_mb,
    )


def repair(path: PathLike) -> Dict[str, Any]:
    """Makes a file that a killed or disk-full writer left behind appendable again.

    RSF: keeps every flushed segment, cuts what was never flushed, clears the write flag;
    XDF: undoes an interrupted in-place append. Temporaries of dead writers beside the
    file are removed. Returns what was done. Run it when no writer has the file open.
    """
    return _fst24.repair(os.fspath(path))



def read_metadata(
    paths: Paths,
    *,
    decoded: bool = True,
    storage_options: Optional[Dict[str, Any]] = None,
) -> polars.DataFrame:
    """Metadata of every record of one or several files as a Polars DataFrame.

    ``paths``: a path, a glob pattern, a directory (its standard files) or a list of
    those. One row per record with fstpy's column names (signed integers), a ``path``
    and ``key`` column to read the data back with ``File.read``, and decoded columns.
    """
    files = expand(paths)
    if any(not isinstance(p, str) or remote.is_url(p) for p in files):
        # URLs and file objects: open each (directories only) and stack their tables.
        frames = []
        for p in files:
            with open(p, storage_options=storage_options) as f:
                frames.append(polars.DataFrame(f._table(decoded)))
        return polars.concat(frames, how="vertical_relaxed")
    return polars.DataFrame(_fst24._read_metadata(files, decoded))


def to_xarray(
    paths: Paths,
    *,
    forecast_axis: bool = False,
    chunks: Any = None,
    ensembles: bool = False,
    **kwargs: Any,
) -> "xarray.Dataset":
    """An ``xarray.Dataset`` (CF conventions, lazy) of one or several files.

    Same as ``xarray.open_dataset(path, engine="fst24", ...)``: variables by nomvar,
    dims time (or time + forecast with ``forecast_axis=True``), level, y, x;
    ``chunks={}`` gives dask arrays of whole records grouped along the level axis
    (``{"level": 1}``: one record per chunk); ``ensembles=True`` collects the etikets
    of a variable into an ``ensemble_id`` dimension labelled by ``ensemble`` (as
    fstd2nc's ``--ensembles``). ``paths`` as for :func:`read_metadata`. Needs the
    ``xarray`` extra: ``pip install 'fst24[xarray]'``.
    """
    try:
        from .xarray_backend import to_xarray as _to_xarray
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "fst24.to_xarray needs xarray and dask: pip install 'fst24[xarray]'"
        ) from e
    return _to_xarray(
        expand(paths), forecast_axis=forecast_axis, chunks=chunks, ensembles=ensembles,
        **kwargs,
    )


def _record_at(path: str, key: int) -> Record:
    """Unpickles a Record: the record ``key`` of the file at ``path``, opened again."""
    return File(path).record(key)


def to_references(
    paths: Paths, output: Optional[PathLike] = None, **kwargs: object
) -> Dict[str, Any]:
    """Kerchunk references of the Dataset ``to_xarray(paths)`` builds, for plain zarr
    (``xr.open_dataset("reference://", engine="zarr", ...)``): v1 JSON, or with
    ``format="parquet"`` Kerchunk's parquet directory ``output``; see
    ``fst24.references``."""
    from .references import to_references as _to_references

    return _to_references(paths, output, **kwargs)  # type: ignore[arg-type]


__all__ = [
    "ArrowTable",
    "Error",
    "ExistsError",
    "File",
    "FormatError",
    "IoError",
    "IsDirectoryError",
    "LimitError",
    "NotDirectoryError",
    "NotFoundError",
    "PermissionDeniedError",
    "Record",
    "UnsupportedError",
    "UsageError",
    "Writer",
    "repair",
    "get_memory_limit",
    "open",
    "read_metadata",
    "set_memory_limit",
    "to_references",
    "to_xarray",
]
