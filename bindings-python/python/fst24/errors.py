"""Exception classes raised by fst24.

Every error derives from :class:`Error`; each also derives from the builtin exception
a caller would naturally catch (``OSError`` for I/O, ``ValueError`` for misuse,
``MemoryError`` for limits). Operating-system errors keep their ``errno`` and
``filename`` and derive from the matching builtin (``FileNotFoundError``,
``PermissionError``, ...), so ``except FileNotFoundError`` works. Messages name the file,
and the record and byte offset when known.
"""

import builtins


class Error(Exception):
    """Base class of every fst24 error."""


class FormatError(Error, ValueError):
    """The file does not follow the format (truncated, corrupt or hostile)."""


class UnsupportedError(Error, NotImplementedError):
    """The file is valid but uses something fst24 does not implement."""


class LimitError(Error, MemoryError):
    """A configured limit (see ``fst24.set_memory_limit``) would be exceeded."""


class UsageError(Error, ValueError):
    """The caller misused the API (closed file, bad key, bad argument)."""


class IoError(Error, OSError):
    """The operating system failed to read or write the file (``errno``, ``filename``)."""


class NotFoundError(IoError, builtins.FileNotFoundError):
    """The file does not exist (``errno.ENOENT``)."""


class PermissionDeniedError(IoError, builtins.PermissionError):
    """The file may not be read or written (``errno.EACCES``)."""


class ExistsError(IoError, builtins.FileExistsError):
    """The file already exists and mode ``"w"`` never clobbers (``errno.EEXIST``)."""


class IsDirectoryError(IoError, builtins.IsADirectoryError):
    """A directory was given where a file was expected (``errno.EISDIR``)."""


class NotDirectoryError(IoError, builtins.NotADirectoryError):
    """A path component is not a directory (``errno.ENOTDIR``)."""


__all__ = [
    "Error",
    "ExistsError",
    "FormatError",
    "IoError",
    "IsDirectoryError",
    "LimitError",
    "NotDirectoryError",
    "NotFoundError",
    "PermissionDeniedError",
    "UnsupportedError",
    "UsageError",
]
