"""numcodecs codec ``fst24``: decodes one FST record from its packed data bytes.

Virtual Zarr references (``fst24.to_references``) make each chunk of a variable one
record's data area (a byte range of the file); this codec, registered through the
``numcodecs.codecs`` entry point, turns those bytes into values exactly as
``fst24.to_xarray`` reads them. Its configuration is the record's packing keys::

    {"id": "fst24", "byte_order": "big", "datyp": 134, "nbits": 16, "data_bits": 32,
     "ni": 400, "nj": 300, "nk": 1, "dtype": "float32", "missing": true}

``byte_order`` is that of the file's words ("big" for XDF, "little" for RSF); ``dtype``
is the element type of the variable (the record is cast as ``to_xarray`` casts it) and
``missing`` makes +64 missing points NaN. An empty chunk is a hole of the dataset (no
record at that index): NaN for reals, 0 otherwise, as ``to_xarray`` fills it.
Read-only: encoding raises.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
from numcodecs.abc import Codec  # type: ignore[import-not-found, import-untyped, unused-ignore]
from numcodecs.compat import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
    ensure_contiguous_ndarray,
    ndarray_copy,
)

from . import _fst24
from .errors import UnsupportedError

# The core's element type names by numpy dtype name (``_read_records``'s `element`).
_ELEMENTS = {
    "float32": "f32",
    "float64": "f64",
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "uint8": "u8",
    "uint16": "u16",
    "uint32": "u32",
    "uint64": "u64",
    "complex64": "c64",
    "complex128": "c128",
}


class Fst24Codec(Codec):
    """Decodes an FST record's data area packed as its keys say (see the module)."""

    codec_id = "fst24"

    def __init__(
        self,
        byte_order: str,
        datyp: int,
        nbits: int,
        data_bits: int,
        ni: int,
        nj: int,
        nk: int,
        dtype: str,
        missing: bool = False,
        element: Optional[str] = None,
    ) -> None:
        self.byte_order = str(byte_order)
        self.datyp = int(datyp)
        self.nbits = int(nbits)
        self.data_bits = int(data_bits)
        self.ni = int(ni)
        self.nj = int(nj)
        self.nk = int(nk)
        self.dtype = np.dtype(dtype).name
        self.missing = bool(missing)
        # Raw words (datyp 0) stay uint32 like other unsigned values but decode as words.
        self.element = element or _ELEMENTS.get(self.dtype)
        if self.element is None:
            raise UnsupportedError(f"fst24 codec: no record decodes to dtype {self.dtype}")

    def get_config(self) -> dict:
        config = {
            "id": self.codec_id,
            "byte_order": self.byte_order,
            "datyp": self.datyp,
            "nbits": self.nbits,
            "data_bits": self.data_bits,
            "ni": self.ni,
            "nj": self.nj,
            "nk": self.nk,
            "dtype": self.dtype,
            "missing": self.missing,
        }
        if self.element != _ELEMENTS.get(self.dtype):
            config["element"] = self.element
        return config

    def encode(self, buf: Any) -> Any:
        raise UnsupportedError("the fst24 codec only decodes; write FST files with fst24.open(path, 'w')")

    def decode(self, buf: Any, out: Any = None) -> Any:
        data = np.frombuffer(ensure_contiguous_ndarray(buf), dtype=np.uint8)
        if data.size == 0:
            n = self.ni * self.nj * self.nk
            kind = np.dtype(self.dtype).kind
            if kind in "fc":
                hole: Any = np.nan
            elif kind in "iu" and self.missing and self.element != "word":
                # As to_xarray: an integer variable with missing points fills holes
                # with librmn's marker, its _FillValue.
                info = np.iinfo(np.dtype(self.dtype))
                hole = info.min if kind == "i" else info.max
            else:
                hole = 0
            values = np.full(n, hole, dtype=self.dtype)
        else:
            values = _fst24._decode_packed(
                data,
                self.byte_order,
                self.datyp,
                self.nbits,
                self.data_bits,
                self.ni,
                self.nj,
                self.nk,
                str(self.element),
                self.missing,
            )
        return ndarray_copy(values, out) if out is not None else values

    def __repr__(self) -> str:
        keys = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "id")
        return f"Fst24Codec({keys})"


def register() -> None:
    """Registers the codec with numcodecs (the entry point does it on first lookup)."""
    from numcodecs.registry import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
        register_codec,
    )

    register_codec(Fst24Codec)
