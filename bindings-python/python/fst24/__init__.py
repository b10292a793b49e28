"""fst24: read ECCC RPN standard files (FST: XDF and RSF) without librmn.

>>> import fst24
>>> with fst24.open("file.fst") as f:
...     df = f.to_polars()                      # one row per record, fstpy's columns
...     tt = f.find(nomvar="TT", etiket="R1*")  # fstinl-style search
...     arrays = f.read(df.filter(df["ip1"] > 0))
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable, Optional, Union

from . import _fst24, remote
from ._fst24 import ArrowTable, File, Record, Writer, get_memory_limit, set_memory_limit
from .errors import Error, FormatError, IoError, LimitError, UnsupportedError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import polars
    import xarray

__version__ = _fst24.__version__

PathLike = Union[str, "os.PathLike[str]"]


def open(  # noqa: A001 - mirrors builtins.open
    path: PathLike,
    mode: str = "r",
    *,
    backend: Optional[str] = None,
    parallel: bool = False,
    segment_size_mb: Optional[int] = None,
    storage_options: Optional[dict] = None,
    recover: bool = False,
) -> Union[File, Writer]:
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
        return remote.open_url(path, storage_options)
    return _fst24.open(
        os.fspath(path),
        mode,
        backend,
        recover,
        parallel=parallel,
        segment_size_mb=segment_size_mb,
    )


def repair(path: PathLike) -> dict:
    """Makes a file that a killed or disk-full writer left behind appendable again.

    RSF: keeps every flushed segment, cuts what was never flushed, clears the write flag;
    XDF: undoes an interrupted in-place append. Temporaries of dead writers beside the
    file are removed. Returns what was done. Run it when no writer has the file open.
    """
    return _fst24.repair(os.fspath(path))


def _polars():
    try:
        import polars
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("fst24 metadata tables need polars: pip install polars") from e
    return polars


def read_metadata(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    decoded: bool = True,
    storage_options: Optional[dict] = None,
) -> "polars.DataFrame":
    """Metadata of every record of one or several files as a Polars DataFrame.

    One row per record with fstpy's column names (signed integers), a ``path`` and
    ``key`` column to read the data back with ``File.read``, and decoded columns.
    """
    if isinstance(paths, (str, bytes, os.PathLike)) or remote.is_file_object(paths):
        paths = [paths]
    paths = list(paths)
    if any(remote.is_url(p) or remote.is_file_object(p) for p in paths):
        # URLs and file objects: open each (directories only) and stack their tables.
        pl = _polars()
        frames = []
        for p in paths:
            with open(p, storage_options=storage_options) as f:
                frames.append(pl.DataFrame(f._table(decoded)))
        return pl.concat(frames, how="vertical_relaxed")
    table = _fst24._read_metadata([os.fspath(p) for p in paths], decoded)
    return _polars().DataFrame(table)


def to_xarray(
    paths: Union[PathLike, Iterable[PathLike]],
    *,
    forecast_axis: bool = False,
    chunks: object = None,
    ensembles: bool = False,
    **kwargs: object,
) -> "xarray.Dataset":
    """An ``xarray.Dataset`` (CF conventions, lazy) of one or several files.

    Same as ``xarray.open_dataset(path, engine="fst24", ...)``: variables by nomvar,
    dims time (or time + forecast with ``forecast_axis=True``), level, y, x;
    ``chunks={}`` gives dask arrays of whole records grouped along the level axis
    (``{"level": 1}``: one record per chunk); ``ensembles=True`` collects the etikets
    of a variable into an ``ensemble_id`` dimension labelled by ``ensemble`` (as
    fstd2nc's ``--ensembles``). Needs xarray (and dask for chunks).
    """
    try:
        from .xarray_backend import to_xarray as _to_xarray
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("fst24.to_xarray needs xarray: pip install xarray dask") from e
    return _to_xarray(
        paths, forecast_axis=forecast_axis, chunks=chunks, ensembles=ensembles, **kwargs
    )


def to_references(
    paths: Union[PathLike, Iterable[PathLike]], output: Optional[PathLike] = None, **kwargs: object
) -> dict:
    """Kerchunk v1 references of the Dataset ``to_xarray(paths)`` builds, for plain zarr
    (``xr.open_dataset("reference://", engine="zarr", ...)``); see ``fst24.references``."""
    from .references import to_references as _to_references

    return _to_references(paths, output, **kwargs)  # type: ignore[arg-type]


__all__ = [
    "ArrowTable",
    "Error",
    "File",
    "FormatError",
    "IoError",
    "LimitError",
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
