"""The ``fst24`` codec for zarr v3 arrays (zarr >= 3.1), as VirtualiZarr's ManifestArrays
use it (see ``fst24.virtual``).

A bytes-to-bytes codec: it turns one record's packed data area into the record's values
as little-endian bytes, which zarr's ``bytes`` codec (little endian) then views as the
array's dtype. Bytes-to-bytes because VirtualiZarr keeps exactly those codecs when it
writes Kerchunk (zarr v2) references, where the configuration becomes the ``fst24``
numcodecs filter (``fst24.codec``). Its configuration is that codec's; registered under
the names ``fst24`` and ``numcodecs.fst24`` (the name VirtualiZarr gives a v2 codec read
into v3 metadata) through the ``zarr.codecs`` entry point. Read-only.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Dict

import numpy as np
from zarr.abc.codec import BytesBytesCodec  # type: ignore[import-not-found, import-untyped, unused-ignore]

from .codec import Fst24Codec
from .errors import UnsupportedError

NAME = "fst24"


@dataclass(frozen=True)
class Fst24Zarr3Codec(BytesBytesCodec):  # type: ignore[misc, unused-ignore]
    """Decodes an FST record's data area (configuration: ``fst24.codec.Fst24Codec``'s)."""

    is_fixed_size = False
    configuration: Dict[str, Any]

    def __init__(self, **configuration: Any) -> None:
        configuration.pop("id", None)
        object.__setattr__(self, "configuration", configuration)
        object.__setattr__(self, "_codec", Fst24Codec(**configuration))

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Fst24Zarr3Codec":
        if data.get("name") not in (NAME, "numcodecs." + NAME):
            raise UnsupportedError(f"not an fst24 codec: {data.get('name')!r}")
        return cls(**dict(data.get("configuration") or {}))

    def to_dict(self) -> Dict[str, Any]:
        return {"name": NAME, "configuration": dict(self.configuration)}

    def _decode(self, data: bytes) -> np.ndarray:
        values = self._codec.decode(data)  # type: ignore[attr-defined]
        little = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
        return little.reshape(-1).view(np.uint8)

    async def _decode_single(self, chunk_data: Any, chunk_spec: Any) -> Any:
        raw = await asyncio.to_thread(self._decode, chunk_data.to_bytes())
        return chunk_spec.prototype.buffer.from_array_like(raw)

    async def _encode_single(self, chunk_data: Any, chunk_spec: Any) -> Any:
        raise UnsupportedError("the fst24 codec only decodes; write FST files with fst24.open(path, 'w')")

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: Any) -> int:
        raise NotImplementedError("an FST record's packed size depends on its values")


def register() -> None:
    """Registers the codec with zarr (the entry point does it on first lookup)."""
    from zarr.registry import register_codec  # type: ignore[import-not-found, import-untyped, unused-ignore]

    register_codec(NAME, Fst24Zarr3Codec)
    register_codec("numcodecs." + NAME, Fst24Zarr3Codec)
