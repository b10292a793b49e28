"""Writer.write_many: a batch packed in parallel gives the bytes of write() in a loop,
on both backends and for every packing; errors name the failing record and keep the
records before it."""

from __future__ import annotations

import numpy as np
import pytest

import fst24

BACKENDS = ["xdf", "rsf"]

# (dtype, datyp, nbits) of the records of one batch: every packing family.
PACKINGS = [
    (np.float32, 1, 16),
    (np.float32, 5, 32),
    (np.float64, 5, 64),
    (np.float32, 134, 16),
    (np.float32, 133, 16),
    (np.float32, 6, 16),
    (np.float32, 65, 12),
    (np.int32, 4, 12),
    (np.uint16, 130, 16),
    (np.complex64, 8, 32),
    (np.uint8, 7, 8),
]


def records(count=40):
    rng = np.random.default_rng(7)
    out = []
    for i in range(count):
        dtype, datyp, nbits = PACKINGS[i % len(PACKINGS)]
        shape = (30 + i, 20 + i % 7)
        a = rng.uniform(-40.0, 35.0, size=shape)
        if np.issubdtype(dtype, np.complexfloating):
            a = a + 1j * a[::-1, :]
        elif np.issubdtype(dtype, np.integer):
            a = np.abs(np.round(a * 50)) % 2000
        keys = dict(nomvar=f"V{i}", ip1=i, ip2=3 * i, dateo=0, datyp=datyp, nbits=nbits)
        if i % 6 == 0:
            keys["metadata"] = {"n": i}
        out.append((np.asfortranarray(a.astype(dtype)), keys))
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_bytes_equal_single_writes(tmp_path, backend):
    recs = records()
    one, many = tmp_path / "one.fst", tmp_path / "many.fst"
    with fst24.open(one, "w", backend=backend) as w:
        want = [w.write(a, **k) for a, k in recs]
    with fst24.open(many, "w", backend=backend) as w:
        got = w.write_many(iter(recs))
    assert got == want
    assert one.read_bytes() == many.read_bytes()
    with fst24.open(many) as f:
        assert len(f) == len(recs)
        for (a, _), r in zip(recs, f):
            if r.datyp in (5, 2, 4, 8, 7):
                assert np.array_equal(f.read(r.key), a)


def test_defaults_are_those_of_write(tmp_path):
    a = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(4, 3))
    one, many = tmp_path / "one.fst", tmp_path / "many.fst"
    with fst24.open(one, "w") as w:
        w.write(a)
        w.write(a, nomvar="TT")
    with fst24.open(many, "w") as w:
        assert w.write_many([(a, {}), (a, {"nomvar": "TT"})]) == [0, 1]
    assert one.read_bytes() == many.read_bytes()


@pytest.mark.parametrize("backend", BACKENDS)
def test_error_names_the_record_and_keeps_the_ones_before(tmp_path, backend):
    recs = records(12)
    recs[7] = (recs[7][0], dict(recs[7][1], datyp=5, nbits=7))  # IEEE needs >= 16 bits
    path = tmp_path / "f.fst"
    with fst24.open(path, "w", backend=backend) as w:
        with pytest.raises(fst24.UsageError) as info:
            w.write_many(recs)
        assert "record 7 of the batch" in "".join(getattr(info.value, "__notes__", []))
    with fst24.open(path) as f:
        assert [r.nomvar for r in f] == [f"V{i}" for i in range(7)]


def test_conversion_errors_name_the_record(tmp_path):
    a = np.zeros((3, 2), dtype=np.float32)
    path = tmp_path / "f.fst"
    with fst24.open(path, "w") as w:
        with pytest.raises(TypeError):
            w.write_many([(a, {"nomvar": "A"}), (a, {"rewrite": True})])
        with pytest.raises(fst24.UsageError) as info:
            w.write_many([(a, {"nomvar": "B"}), (np.array(["x"]), {})])
        assert "record 1 of the batch" in "".join(getattr(info.value, "__notes__", []))
        with pytest.raises(fst24.UsageError):
            w.write_many([a])
    with fst24.open(path) as f:
        assert [r.nomvar for r in f] == ["A", "B"]
