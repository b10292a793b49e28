"""Files that are not local paths: fsspec URLs (``https://``, ``s3://``, ``gs://``, any
fsspec protocol) and Python file-like objects.

The core reads only what it needs through the object's ``seek``/``read``: the header and
the directory pages (XDF) or segment directories (RSF) to list a file, then each
record's bytes when it is decoded. URLs are opened with fsspec's block cache
(``cache_type="blockcache"``, ``block_size=BLOCK_SIZE``), so scattered directory reads
cost one block each and a record is fetched once.

A URL is carried as :class:`RemoteURL`, a ``str`` that keeps its fsspec
``storage_options`` when pickled: dask tasks reopen the file on their worker.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import threading
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from . import _fst24
from .errors import UsageError

# Block of the fsspec cache: a directory page (XDF, 8 KiB) or a segment directory (RSF)
# costs one block; larger records are read in several. 256 KiB keeps listing a 1.5 GB
# file under 10 MB fetched while a record of a GEM field takes 1-4 requests.
BLOCK_SIZE = 256 << 10

# Protocols that stay local paths.
_LOCAL = ("file", "local")


class RemoteURL(str):
    """A URL with the fsspec ``storage_options`` to open it (kept through pickling)."""

    storage_options: Dict[str, Any]

    def __new__(cls, url: str, storage_options: Optional[Dict[str, Any]] = None) -> "RemoteURL":
        self = super().__new__(cls, url)
        self.storage_options = dict(storage_options or {})
        return self

    def __reduce__(self) -> Tuple[Any, ...]:
        return (RemoteURL, (str(self), self.storage_options))


class FileObjectName(str):
    """Names a file-like object given by the caller inside this process (it cannot be
    reopened elsewhere, so datasets over it do not pickle)."""

    def __reduce__(self) -> Tuple[Any, ...]:
        raise UsageError(
            f"{self} is a file object of another process; give a URL to use it from dask workers"
        )


_OBJECTS: Dict[str, "_fst24.File"] = {}
_OBJECTS_LOCK = threading.Lock()
_COUNTER = itertools.count(1)


def is_url(path: Any) -> bool:
    """True for an fsspec URL of a protocol other than local files."""
    if isinstance(path, RemoteURL):
        return True
    if not isinstance(path, str) or "://" not in path:
        return False
    return path.split("://", 1)[0].lower() not in _LOCAL


def is_file_object(obj: Any) -> bool:
    """True for a binary file-like object (``read`` and ``seek``)."""
    return not isinstance(obj, (str, bytes)) and hasattr(obj, "read") and hasattr(obj, "seek")


def _fsspec():
    try:
        import fsspec  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("remote files need fsspec: pip install fsspec aiohttp (s3fs, gcsfs)") from e
    return fsspec


def url(path: str, storage_options: Optional[Dict[str, Any]] = None) -> RemoteURL:
    """`path` as a RemoteURL; `storage_options` replace those it carries when given."""
    if isinstance(path, RemoteURL) and storage_options is None:
        return path
    return RemoteURL(str(path), storage_options)


def _filesystem(target: RemoteURL, options: Dict[str, Any]) -> Tuple[Any, str]:
    """A filesystem of our own for `target`: fsspec's shared instances would be reused by
    other code (zarr's reference filesystem wants an asynchronous one)."""
    kwargs = {k: v for k, v in options.items() if k not in ("block_size", "cache_type")}
    kwargs.setdefault("skip_instance_cache", True)
    return _fsspec().core.url_to_fs(str(target), **kwargs)


def open_url(path: str, storage_options: Optional[Dict[str, Any]] = None) -> "_fst24.File":
    """Opens the standard file at URL `path` (read-only) through fsspec."""
    target = url(path, storage_options)
    options = dict(target.storage_options)
    options.setdefault("block_size", BLOCK_SIZE)
    options.setdefault("cache_type", "blockcache")
    fs, fs_path = _filesystem(target, options)
    handle = fs.open(
        fs_path, "rb", block_size=options["block_size"], cache_type=options["cache_type"]
    )
    source = _PrefetchingFile(fs, fs_path, handle)
    # File.read/read_many/read_into of many records fetch them in concurrent batches.
    f = _fst24._open_filelike(source, str(target), prefetch=True)
    with _OBJECTS_LOCK:
        _SOURCES[str(target)] = source
    return f


# Largest prefetch of one read: above it the remaining records are fetched one by one.
PREFETCH_BYTES = 256 << 20


class _PrefetchingFile:
    """An fsspec file whose reads are first served from ranges fetched ahead of time,
    concurrently (``fs.cat_ranges``): a selection of many records costs one round of
    parallel requests instead of one request after another. Dataset reads prefetch
    through :func:`prefetched`; ``File.read``/``read_many``/``read_into`` of many records
    call ``prefetch``/``forget`` from the core's binding in batches of at most
    ``batch_bytes``."""

    # Largest sum of record sizes File.read & co fetch ahead in one round (the binding
    # reads it): bounds the fetched bytes held beside the decoded arrays.
    batch_bytes = 64 << 20

    def __init__(self, fs: Any, path: str, handle: Any) -> None:
        self.fs = fs
        self.path = path
        self.handle = handle
        self.pos = 0
        self.lock = threading.Lock()
        self.starts: List[int] = []
        self.blobs: Dict[int, bytes] = {}

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 2:
            self.pos = int(self.handle.size) + pos
        elif whence == 1:
            self.pos += pos
        else:
            self.pos = pos
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, n: int = -1) -> bytes:
        with self.lock:
            i = bisect.bisect_right(self.starts, self.pos) - 1
            if i >= 0 and n >= 0:
                start = self.starts[i]
                blob = self.blobs[start]
                if self.pos + n <= start + len(blob):
                    out = blob[self.pos - start : self.pos - start + n]
                    self.pos += len(out)
                    return out
        self.handle.seek(self.pos)
        out = self.handle.read(n)
        self.pos += len(out)
        return out

    def prefetch(self, ranges: Sequence[Tuple[int, int]]) -> List[int]:
        """Fetches the byte ranges `(start, end)` concurrently; returns the keys of those
        it holds now (ranges already held are neither fetched again nor returned)."""
        with self.lock:
            ranges = sorted(r for r in set(ranges) if not self._holds(r))
        if not ranges:
            return []
        blobs = self.fs.cat_ranges(
            [self.path] * len(ranges), [r[0] for r in ranges], [r[1] for r in ranges]
        )
        with self.lock:
            for (start, end), blob in zip(ranges, blobs):
                if isinstance(blob, bytes) and len(blob) == end - start:
                    if start not in self.blobs:
                        bisect.insort(self.starts, start)
                    self.blobs[start] = blob
        return [r[0] for r in ranges]

    def _holds(self, r: Tuple[int, int]) -> bool:
        i = bisect.bisect_right(self.starts, r[0]) - 1
        return i >= 0 and r[1] <= self.starts[i] + len(self.blobs[self.starts[i]])

    def forget(self, keys: Sequence[int]) -> None:
        with self.lock:
            for k in keys:
                if self.blobs.pop(k, None) is not None:
                    self.starts.remove(k)


_SOURCES: Dict[str, _PrefetchingFile] = {}


@contextlib.contextmanager
def prefetched(paths: Sequence[str], files: Sequence[Any], records: Any) -> Iterator[None]:
    """Fetches, concurrently, the records `(file, key)` of `records` that live in URLs
    (up to PREFETCH_BYTES) for the reads done inside the block."""
    fetched: List[Tuple[_PrefetchingFile, List[int]]] = []
    try:
        budget = PREFETCH_BYTES
        by_file: Dict[int, List[Tuple[int, int]]] = {}
        for f, k in records:
            if f < 0 or not is_url(paths[f]):
                continue
            with _OBJECTS_LOCK:
                source = _SOURCES.get(str(paths[f]))
            if source is None:
                continue
            rec = files[f].record(int(k))
            if rec.length > budget:
                break
            budget -= rec.length
            by_file.setdefault(f, []).append((rec.offset, rec.offset + rec.length))
        for f, ranges in by_file.items():
            with _OBJECTS_LOCK:
                source = _SOURCES[str(paths[f])]
            fetched.append((source, source.prefetch(ranges)))
        yield
    finally:
        for source, keys in fetched:
            source.forget(keys)


def open_object(obj: Any, name: Optional[str] = None) -> "_fst24.File":
    """Opens the standard file read through the file-like object `obj`."""
    label = name or getattr(obj, "path", None) or getattr(obj, "name", None)
    label = FileObjectName(f"<file object {next(_COUNTER)}{': ' + str(label) if label else ''}>")
    f = _fst24._open_filelike(obj, str(label))
    with _OBJECTS_LOCK:
        _OBJECTS[label] = f
    return f


def object_name(f: "_fst24.File") -> FileObjectName:
    """The name under which `open_object` registered `f`."""
    return FileObjectName(f.path)


def registered(name: str) -> "_fst24.File":
    """The File of a file object opened in this process."""
    with _OBJECTS_LOCK:
        f = _OBJECTS.get(str(name))
    if f is None or f.closed:
        raise UsageError(f"{name} is closed or was opened in another process")
    return f


def stamp(path: str) -> Tuple[Any, Any]:
    """What identifies the content at URL `path`: its size and ETag (or modification time)."""
    target = url(path)
    fs, fs_path = _filesystem(target, target.storage_options)
    info = fs.info(fs_path)
    tag = info.get("ETag") or info.get("etag") or info.get("LastModified") or info.get("mtime")
    return (int(info.get("size") or 0), str(tag) if tag is not None else "")
