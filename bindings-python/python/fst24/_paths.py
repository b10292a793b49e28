"""Expands what users pass as files, as fstd2nc does: a path, a glob pattern
(``"run/*.fst"``), a directory (its standard files, by name), or a list of those."""

from __future__ import annotations

import errno
import glob
import os
from typing import Any, Iterable, List, Union

from . import _fst24, remote
from .errors import NotFoundError, UsageError

PathLike = Union[str, "os.PathLike[str]"]
Paths = Union[PathLike, Iterable[PathLike]]

_WILDCARDS = frozenset("*?[")


def _missing(path: str) -> NotFoundError:
    return NotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)


def expand(paths: Paths) -> List[Any]:
    """The files named by ``paths``, in order: patterns sorted, directories' standard
    files sorted by name; URLs, file objects and open Files pass through unchanged. A
    path that does not exist or a pattern matching nothing raises
    :class:`fst24.NotFoundError` (a ``FileNotFoundError``) naming it."""
    items: Iterable[Any] = (
        [paths]
        if isinstance(paths, (str, bytes, os.PathLike)) or remote.is_file_object(paths)
        else paths
    )
    out: List[Any] = []
    for p in items:
        if (
            remote.is_file_object(p)
            or remote.is_url(p)
            or isinstance(p, (_fst24.File, remote.FileObjectName))
        ):
            out.append(p)
            continue
        text = os.fsdecode(p)
        if os.path.isdir(text):
            names = sorted(os.listdir(text))
            files = [os.path.join(text, n) for n in names]
            out.extend(f for f in files if os.path.isfile(f) and _fst24._looks_like_fst(f))
        elif os.path.exists(text):
            out.append(text)
        elif _WILDCARDS.intersection(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise _missing(text)
            out.extend(m for m in matches if os.path.isfile(m))
        else:
            raise _missing(text)
    if not out:
        raise UsageError(f"no standard file in {[str(p) for p in items]}")
    return out
