"""Kerchunk's parquet layout of references (what fsspec's ``LazyReferenceMapper`` reads):

    output/.zmetadata             JSON {"metadata": {key: zarr v2 object}, "record_size": N}
    output/<array>/refs.<i>.parq  the chunk references of one array, N per file

Row ``j`` of ``refs.<i>.parq`` is the chunk numbered ``i * N + j`` in C order over the
array's chunk grid, with columns ``path`` (target URL, null when inline), ``offset``,
``size`` (int64) and ``raw`` (inline bytes, null for a byte range). The root file also
carries ``"zarr_consolidated_format": 1`` so zarr may read it as consolidated metadata.

Readers (fsspec) open the parquet files with fastparquet; this writes them with pyarrow
when it is installed, else fastparquet. The directory is built beside ``output`` and
renamed into place, so a failed write leaves nothing half-written; an existing
``output`` is refused unless it is an empty directory, or, with ``overwrite``, a
directory of parquet references (replaced once the new one is complete).
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from .errors import UsageError

PathLike = Union[str, "os.PathLike[str]"]
Reference = Union[bytes, List[Any]]
Columns = Tuple[List[Optional[str]], np.ndarray, np.ndarray, List[Optional[bytes]]]


def _chunk_grid(zarray: Dict[str, Any]) -> List[int]:
    grid = [math.ceil(s / c) for s, c in zip(zarray["shape"], zarray["chunks"])]
    return grid or [1]  # a scalar array has one chunk, as the reader counts


def _chunk_number(chunk: str, grid: List[int]) -> int:
    return int(np.ravel_multi_index([int(i) for i in chunk.split(".")], grid))


def _columns(refs: Dict[int, Reference], count: int) -> Columns:
    paths: List[Optional[str]] = [None] * count
    offsets = np.zeros(count, dtype=np.int64)
    sizes = np.zeros(count, dtype=np.int64)
    raws: List[Optional[bytes]] = [None] * count
    for number, ref in refs.items():
        if isinstance(ref, bytes):
            raws[number] = ref
        else:
            paths[number], offsets[number], sizes[number] = ref[0], ref[1], ref[2]
    return paths, offsets, sizes, raws


def _write_table(columns: Columns, path: str, engine: str) -> None:
    paths, offsets, sizes, raws = columns
    if engine == "pyarrow":
        import pyarrow as pa  # type: ignore[import-not-found, import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-not-found, import-untyped, unused-ignore]

        # fastparquet reads integers that may be null as floats, which fsspec cannot use
        # as byte offsets: offset and size are required, and the statistics (null
        # counts) written.
        schema = pa.schema(
            [
                pa.field("path", pa.string()),
                pa.field("offset", pa.int64(), nullable=False),
                pa.field("size", pa.int64(), nullable=False),
                pa.field("raw", pa.binary()),
            ]
        )
        table = pa.table([paths, offsets, sizes, raws], schema=schema)
        pq.write_table(table, path, compression="zstd")
        return
    import fastparquet  # type: ignore[import-not-found, import-untyped, unused-ignore]
    import pandas as pd  # type: ignore[import-not-found, import-untyped, unused-ignore]

    frame = pd.DataFrame(
        {
            "path": pd.Series(paths, dtype=object),
            "offset": offsets,
            "size": sizes,
            "raw": pd.Series(raws, dtype=object),
        }
    )
    options: Dict[str, Any] = {
        "compression": "ZSTD",
        "stats": False,
        "write_index": False,
        "object_encoding": {"path": "utf8", "raw": "bytes"},
        "has_nulls": ["path", "raw"],
    }
    fastparquet.write(path, frame, **options)


def _engine(engine: Optional[str]) -> str:
    if engine is not None:
        return engine
    for name in ("pyarrow", "fastparquet"):
        try:
            __import__(name)
            return name
        except ImportError:
            continue
    raise ImportError("parquet references need pyarrow or fastparquet: pip install fastparquet")


def _is_parquet_references(path: str) -> bool:
    try:
        with open(os.path.join(path, ".zmetadata"), encoding="utf-8") as f:
            root = json.load(f)
    except (OSError, ValueError):
        return False
    return isinstance(root, dict) and "record_size" in root and "metadata" in root


def _check_output(output: str, overwrite: bool) -> bool:
    """Whether `output` is an old set of references to replace; refuses anything else
    that exists (an empty directory is taken as new)."""
    if os.path.isdir(output) and not os.path.islink(output) and not os.listdir(output):
        return False
    if not os.path.lexists(output):
        return False
    if overwrite and os.path.isdir(output) and not os.path.islink(output):
        if _is_parquet_references(output):
            return True
        raise UsageError(f"{output} is not a directory of parquet references: not replaced")
    raise UsageError(
        f"{output} already exists: parquet references go to a new directory "
        "(overwrite=True replaces a directory of parquet references)"
    )


def write_parquet(
    meta: Dict[str, Any],
    refs: Dict[str, Reference],
    output: PathLike,
    record_size: int,
    engine: Optional[str] = None,
    overwrite: bool = False,
) -> None:
    """Writes `meta` (zarr v2 metadata by key) and the chunk `refs` as Kerchunk parquet
    references into the new directory `output` (or in place of old parquet references
    there, with `overwrite`)."""
    if record_size < 1:
        raise UsageError(f"record_size must be positive, not {record_size}")
    out = os.path.abspath(os.fspath(output))
    replace = _check_output(out, overwrite)
    engine = _engine(engine)
    # array -> parquet file number -> row -> reference
    by_array: Dict[str, Dict[int, Dict[int, Reference]]] = {}
    for key, ref in refs.items():
        array, chunk = key.rsplit("/", 1)
        number = _chunk_number(chunk, _chunk_grid(meta[f"{array}/.zarray"]))
        files = by_array.setdefault(array, {})
        files.setdefault(number // record_size, {})[number % record_size] = ref
    # A sibling made with the umask's modes, renamed into place once complete.
    staging = os.path.join(
        os.path.dirname(out), f".{os.path.basename(out)}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    )
    os.mkdir(staging)
    try:
        for array, files in by_array.items():
            os.makedirs(os.path.join(staging, array))
            total = math.prod(_chunk_grid(meta[f"{array}/.zarray"]))
            for record in range(math.ceil(total / record_size)):
                count = min(record_size, total - record * record_size)
                target = os.path.join(staging, array, f"refs.{record}.parq")
                _write_table(_columns(files.get(record, {}), count), target, engine)
        root = {"metadata": meta, "record_size": record_size, "zarr_consolidated_format": 1}
        with open(os.path.join(staging, ".zmetadata"), "w", encoding="utf-8") as f:
            json.dump(root, f)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if replace:
        # The old references leave only once the new ones are complete.
        old = f"{staging}.old"
        os.rename(out, old)
        os.rename(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        if os.path.isdir(out):
            os.rmdir(out)  # empty (checked): the rename replaces it
        os.rename(staging, out)
