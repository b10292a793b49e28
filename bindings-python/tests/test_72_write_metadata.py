"""Extended JSON metadata on write: Writer.write(..., metadata=dict | str) stores it in
RSF (read back as Record.metadata), drops it in XDF, refuses text that is not JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import polars as pl
import pytest

import fst24


def field():
    return np.asfortranarray(np.arange(12, dtype=np.float32).reshape(4, 3))


def test_dict_and_str_round_trip_in_rsf(tmp_path):
    path = tmp_path / "m.fst"
    doc = {"standard_name": "air_temperature", "size": [4, 3, 1], "nested": {"x": 1.5}}
    text = '{"rpn_name":"UU","value":NaN}'
    with fst24.open(path, "w", backend="rsf") as w:
        w.write(field(), nomvar="TT", metadata=doc, datyp=5, nbits=32)
        w.write(field(), nomvar="UU", metadata=text, datyp=5, nbits=32)
        w.write(field(), nomvar="VV", datyp=5, nbits=32)
    with fst24.open(path) as f:
        recs = list(f)
        assert [r.nomvar for r in recs] == ["TT", "UU", "VV"]
        # Dicts are stored compactly, as json-c writes them.
        assert recs[0].metadata == json.dumps(doc, separators=(",", ":"))
        assert json.loads(recs[0].metadata) == doc
        assert recs[1].metadata == text
        assert math.isnan(json.loads(recs[1].metadata)["value"])
        assert recs[2].metadata is None
        np.testing.assert_array_equal(f.read(recs[0].key), field())


def test_xdf_drops_metadata_and_bad_json_raises(tmp_path):
    path = tmp_path / "x.fst"
    with fst24.open(path, "w", backend="xdf") as w:
        w.write(field(), nomvar="TT", metadata={"a": 1})
        with pytest.raises(fst24.UsageError, match="not JSON"):
            w.write(field(), nomvar="BAD", metadata="{not json")
    with fst24.open(path) as f:
        assert [(r.nomvar, r.metadata) for r in f] == [("TT", None)]
    with fst24.open(tmp_path / "r.fst", "w", backend="rsf") as w:
        with pytest.raises(fst24.UsageError, match="not JSON"):
            w.write(field(), nomvar="BAD", metadata="{not json")
        with pytest.raises(TypeError):
            w.write(field(), nomvar="BAD", metadata={"x": object()})


def test_write_frame_passes_metadata(tmp_path):
    path = tmp_path / "f.fst"
    df = pl.DataFrame(
        {
            "nomvar": ["TT", "UU"],
            "metadata": ['{"a":1}', None],
            "d": pl.Series("d", [field(), field()], dtype=pl.Object),
        }
    )
    with fst24.open(path, "w", backend="rsf") as w:
        w.write_frame(df)
    with fst24.open(path) as f:
        assert [r.metadata for r in f] == ['{"a":1}', None]


def test_reference_metadata_is_readable(mixed_rsf):
    with fst24.open(mixed_rsf) as f:
        with_json = [r for r in f if r.metadata is not None]
    assert [r.nomvar for r in with_json] == ["TM"]
    assert json.loads(with_json[0].metadata)["rpn_name"] == "TT"
