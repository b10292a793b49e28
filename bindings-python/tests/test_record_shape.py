"""Record.to_dict() is the core's RecordInfo: the same fields, in the same order and with
the same values, as the Node module's and the WASM inspector's record objects
(bindings-node/README.md), checked here against librmn's own keys."""

from __future__ import annotations

import json

import fst24

RECORD_FIELDS = [
    "key", "nomvar", "typvar", "etiket", "grtyp", "ni", "nj", "nk", "dateo", "datev",
    "deet", "npas", "ip1", "ip2", "ip3", "ig1", "ig2", "ig3", "ig4", "datyp", "nbits",
    "data_bits", "ubc", "data_type", "element_type", "offset", "length", "metadata",
    "level", "ip2_decoded", "ip3_decoded", "pk", "datev_iso", "datev_unix", "dateo_iso",
    "dateo_unix", "backend", "missing",
]


def test_to_dict_is_the_shared_record_shape(mixed_rsf):
    ref = json.loads(mixed_rsf.with_suffix(".json").read_text())
    live = [r for r in ref["fst24"]["records"] if not r["deleted"]]
    with fst24.open(mixed_rsf) as f:
        records = list(f)
        assert len(records) == len(live)
        for rec, want in zip(records, live):
            d = rec.to_dict()
            assert list(d) == RECORD_FIELDS
            assert d["key"] == want["file_index"] == rec.key
            assert d["nomvar"] == want["nomvar"].rstrip() == rec.nomvar
            assert d["etiket"] == want["etiket"].rstrip()
            assert (d["offset"], d["length"]) == (want["file_offset"], want["total_stored_bytes"])
            assert (d["datyp"], d["nbits"], d["data_bits"]) == (
                want["data_type"], want["pack_bits"], want["data_bits"])
            assert d["backend"] == "rsf" == f.backend
            assert d["missing"] == bool(want["data_type"] & 64)
