"""Exception classes raised by fst24.

Every error derives from :class:`Error`; each also derives from the builtin exception
a caller would naturally catch (``OSError`` for I/O, ``ValueError`` for misuse,
``MemoryError`` for limits). Messages name the file offset and record when known.
"""


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
    """The operating system failed to read the file."""


__all__ = ["Error", "FormatError", "UnsupportedError", "LimitError", "UsageError", "IoError"]
