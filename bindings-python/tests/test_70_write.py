"""Writing from Python: fst24.open(path, "w" | "a"), Writer.write/rewrite/erase/flush,
each datyp/nbits read back by our reader, both backends, and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import fst24

BACKENDS = ["xdf", "rsf"]


def field(shape=(7, 5), dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return np.asfortranarray(rng.uniform(-40.0, 35.0, size=shape).astype(dtype))


def read_all(path):
    with fst24.open(path) as f:
        return f.to_polars(), [f.read(r.key) for r in f]


# (dtype of the input, datyp, nbits, how close the values must come back: None = exact,
# else a bound relative to the field's range)
CASES = [
    (np.float32, 5, 32, None),
    (np.float64, 5, 64, None),
    (np.float32, 1, 16, 2.0**-15),
    (np.float32, 1, 24, 2.0**-23),
    (np.float64, 1, 32, 2.0**-23),  # read back as float32, as librmn does
    (np.float32, 133, 16, 2.0**-7),
    (np.float32, 6, 16, 2.0**-7),
    (np.float32, 134, 16, 2.0**-7),
    (np.float32, 5, 16, 2.0**-7),
    (np.float32, 5, 24, 2.0**-15),
    (np.int32, 4, 32, None),
    (np.int32, 4, 12, None),
    (np.int16, 4, 16, None),
    (np.uint32, 2, 32, None),
    (np.uint16, 2, 11, None),
    (np.uint16, 130, 16, None),
    (np.uint8, 2, 8, None),
    (np.complex64, 8, 32, None),
    (np.complex128, 8, 64, None),
]


def values_for(dtype, nbits):
    a = field(dtype=np.float64)
    if np.issubdtype(dtype, np.complexfloating):
        return np.asfortranarray((a + 1j * a[::-1, :]).astype(dtype))
    if np.issubdtype(dtype, np.signedinteger):
        lo = -(2 ** (nbits - 1))
        return np.asfortranarray(np.clip(np.round(a * 50), lo, -lo - 1).astype(dtype))
    if np.issubdtype(dtype, np.unsignedinteger):
        return np.asfortranarray((np.abs(np.round(a * 50)) % (2**nbits)).astype(dtype))
    return a.astype(dtype)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype,datyp,nbits,tol", CASES)
def test_round_trip(tmp_path, backend, dtype, datyp, nbits, tol):
    path = tmp_path / "rt.fst"
    data = values_for(dtype, nbits)
    with fst24.open(path, "w", backend=backend) as w:
        assert w.backend == backend
        key = w.write(data, nomvar="TT", etiket="PY", ip1=12000, ip2=6, datyp=datyp, nbits=nbits)
        assert key == 0
    df, arrays = read_all(path)
    assert df.height == 1
    row = df.row(0, named=True)
    assert (row["nomvar"], row["etiket"], row["ip1"], row["ip2"]) == ("TT", "PY", 12000, 6)
    assert (row["ni"], row["nj"], row["nk"]) == data.shape + (1,)
    got = arrays[0]
    assert got.shape == data.shape
    if tol is None:
        np.testing.assert_array_equal(got, data)
    else:
        span = float(np.max(data) - np.min(data))
        assert np.max(np.abs(got.astype(np.float64) - data)) <= tol * span * 2 + 1e-12
        # a lossy packing still keeps the field recognisable, not just small
        assert np.corrcoef(got.ravel().astype(np.float64), data.ravel())[0, 1] > 0.999


@pytest.mark.parametrize("backend", BACKENDS)
def test_defaults_follow_rpnpy(tmp_path, backend):
    path = tmp_path / "d.fst"
    f32 = field()
    ints = np.arange(12, dtype=np.int32).reshape(3, 4, order="F")
    with fst24.open(path, "w", backend=backend) as w:
        w.write(f32, nomvar="TT")
        w.write(ints, nomvar="II")
    df, arrays = read_all(path)
    tt = df.row(0, named=True)
    # rpnpy's FST_RDE_META_DEFAULT: typvar P, grid G, 16-bit compressed IEEE for floats
    assert (tt["typvar"], tt["grtyp"], tt["nbits"]) == ("P", "G", 16)
    assert tt["datyp"] & 63 == 5
    np.testing.assert_allclose(arrays[0], f32, rtol=2.0**-7)
    ii = df.row(1, named=True)
    assert (ii["datyp"] & 63, ii["nbits"]) == (4, 32)
    np.testing.assert_array_equal(arrays[1], ints)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fortran_order_and_3d(tmp_path, backend):
    path = tmp_path / "o.fst"
    c_order = np.arange(24, dtype=np.float32).reshape(2, 3, 4)  # C-contiguous input
    with fst24.open(path, "w", backend=backend) as w:
        w.write(c_order, nomvar="ZZ", datyp=5, nbits=32)
        w.write(np.float32(3.5), nomvar="S", datyp=5, nbits=32)  # a scalar: 1 x 1 x 1
    df, arrays = read_all(path)
    assert df.select("ni", "nj", "nk").rows() == [(2, 3, 4), (1, 1, 1)]
    np.testing.assert_array_equal(arrays[0], c_order)
    assert arrays[1].tolist() == [3.5]


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_layout_of_one_field_stores_the_same_record(tmp_path, backend):
    # Fortran-ordered arrays are read in place (no asfortranarray call): the other
    # layouts (C order, strided views, 0-d, a subclass) must give the same records.
    path = tmp_path / "l.fst"
    f = field(shape=(6, 4))
    wide = np.asfortranarray(np.zeros((12, 4), dtype=np.float32))
    wide[::2] = f
    layouts = [f, np.ascontiguousarray(f), wide[::2], f.view(np.recarray).view(np.ndarray),
               np.ma.masked_array(f, mask=False), f.astype(np.float64, order="F")]
    with fst24.open(path, "w", backend=backend) as w:
        for a in layouts:
            for datyp, nbits in [(5, 32), (1, 16)]:
                w.write(a, nomvar="LL", datyp=datyp, nbits=nbits)
        w.write(np.asfortranarray(np.float32(2.5)), nomvar="S", datyp=5, nbits=32)
    df, arrays = read_all(path)
    assert df.select("ni", "nj", "nk").rows()[:-1] == [(6, 4, 1)] * 2 * len(layouts)
    for i, a in enumerate(arrays[:-1]):
        want = f if i % 2 == 0 else arrays[1]
        np.testing.assert_array_equal(a, want.astype(a.dtype), err_msg=f"record {i}")
    assert df.row(-1, named=True)["ni"] == 1 and arrays[-1].tolist() == [2.5]


@pytest.mark.parametrize("backend", BACKENDS)
def test_all_keys_stored(tmp_path, backend):
    path = tmp_path / "k.fst"
    keys = dict(nomvar="UU", typvar="A", etiket="R1_V710_N", ip1=95529009, ip2=3, ip3=7,
                dateo=442998800, deet=300, npas=12, grtyp="Z", ig1=1, ig2=2, ig3=3, ig4=4)
    with fst24.open(path, "w", backend=backend) as w:
        w.write(field(), datyp=5, nbits=32, **keys)
    df, _ = read_all(path)
    row = df.row(0, named=True)
    for k, v in keys.items():
        assert row[k] == v, k
    # the valid date is dateo moved by deet * npas (one hour here)
    assert row["datev"] != row["dateo"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_append_keeps_backend_and_records(tmp_path, backend):
    path = tmp_path / "a.fst"
    with fst24.open(path, "w", backend=backend) as w:
        w.write(field(seed=1), nomvar="A", datyp=5, nbits=32)
    other = "rsf" if backend == "xdf" else "xdf"
    with pytest.raises(fst24.UsageError, match="keeps its format"):
        fst24.open(path, "a", backend=other)
    with fst24.open(path, "a") as w:
        assert w.backend == backend
        assert w.write(field(seed=2), nomvar="B", datyp=5, nbits=32) == 1
    df, arrays = read_all(path)
    assert df["nomvar"].to_list() == ["A", "B"]
    assert df["backend"].unique().to_list() == [backend]
    np.testing.assert_array_equal(arrays[1], field(seed=2))


def test_append_creates_missing_file(tmp_path):
    path = tmp_path / "new.fst"
    with fst24.open(path, "a") as w:
        w.write(field(), nomvar="N")
    assert read_all(path)[0]["nomvar"].to_list() == ["N"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_erase_and_rewrite(tmp_path, backend):
    path = tmp_path / "e.fst"
    with fst24.open(path, "w", backend=backend) as w:
        a = w.write(field(seed=1), nomvar="A", datyp=5, nbits=32)
        w.write(field(seed=2), nomvar="B", datyp=5, nbits=32)
        w.erase(a)
        with pytest.raises(fst24.UsageError):
            w.erase(a)  # already deleted
        with pytest.raises(fst24.UsageError):
            w.erase(99)
    with fst24.open(path, "a") as w:
        w.rewrite(field(seed=3), nomvar="B", datyp=5, nbits=32)  # replaces B
        w.write(field(seed=4), nomvar="B", ip1=1, datyp=5, nbits=32, rewrite=True)  # new
    df, arrays = read_all(path)
    assert df.select("nomvar", "ip1").rows() == [("B", 0), ("B", 1)]
    np.testing.assert_array_equal(arrays[0], field(seed=3))
    np.testing.assert_array_equal(arrays[1], field(seed=4))


def test_rsf_flush_makes_records_visible(tmp_path):
    path = tmp_path / "f.fst"
    with fst24.open(path, "w", backend="rsf") as w:
        w.write(field(seed=1), nomvar="A", datyp=5, nbits=32)
        w.flush()
        with w.reader() as r:
            assert [rec.nomvar for rec in r] == ["A"]
            np.testing.assert_array_equal(r.read(0), field(seed=1))
        w.write(field(seed=2), nomvar="B", datyp=5, nbits=32)
        w.flush()
        assert [rec.nomvar for rec in w.reader()] == ["A", "B"]


def test_xdf_published_at_close(tmp_path):
    path = tmp_path / "x.fst"
    with fst24.open(path, "w", backend="xdf") as w:
        w.write(field(seed=1), nomvar="A")
    with fst24.open(path, "a") as w:
        w.write(field(seed=2), nomvar="B")
        w.flush()  # nothing to do for XDF: readers see the old file until close
        assert [rec.nomvar for rec in w.reader()] == ["A"]
    assert read_all(path)[0]["nomvar"].to_list() == ["A", "B"]


def test_fst_options_selects_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("FST_OPTIONS", "BACKEND=RSF")
    with fst24.open(tmp_path / "env.fst", "w") as w:
        assert w.backend == "rsf"
    monkeypatch.delenv("FST_OPTIONS")
    with fst24.open(tmp_path / "default.fst", "w") as w:
        assert w.backend == "xdf"  # librmn 20's default for a new file


def test_write_refuses_existing_file(tmp_path):
    path = tmp_path / "exists.fst"
    with fst24.open(path, "w") as w:
        w.write(field(), nomvar="A")
    with pytest.raises(fst24.IoError, match="file exists"):
        fst24.open(path, "w")
    assert read_all(path)[0]["nomvar"].to_list() == ["A"]


def test_errors(tmp_path):
    with pytest.raises(fst24.UsageError, match="mode"):
        fst24.open(tmp_path / "m.fst", "x")
    with pytest.raises(fst24.UsageError, match="backend"):
        fst24.open(tmp_path / "b.fst", "w", backend="netcdf")
    with pytest.raises(fst24.UsageError, match="backend"):
        fst24.open(tmp_path / "b.fst", "r", backend="rsf")
    w = fst24.open(tmp_path / "e.fst", "w")
    with pytest.raises(fst24.UsageError, match="nomvar"):
        w.write(field(), nomvar="TOOLONG")
    with pytest.raises(fst24.UsageError, match="etiket"):
        w.write(field(), etiket="X" * 13)
    with pytest.raises(fst24.UsageError, match="grtyp"):
        w.write(field(), grtyp="ZZ")
    with pytest.raises(fst24.UsageError, match="ip1"):
        w.write(field(), ip1=-5)
    with pytest.raises(fst24.UsageError, match="dimensions"):
        w.write(np.zeros((2, 2, 2, 2), np.float32))
    with pytest.raises(fst24.UsageError, match="dtype"):
        w.write(np.array(["a", "b"]))
    with pytest.raises(fst24.UsageError, match="datyp"):
        w.write(field(), datyp=9)
    with pytest.raises(fst24.UsageError, match="nbits"):
        w.write(field(), nbits=300)
    with pytest.raises(fst24.UsageError, match="nbits"):
        w.write(field(), nbits=0)
    with pytest.raises(fst24.UsageError, match="datyp"):
        w.write(field(), datyp=-1)
    w.close()
    assert w.closed
    with pytest.raises(fst24.UsageError, match="closed"):
        w.write(field())
    w.close()  # closing twice is harmless
    with pytest.raises(fst24.IoError):
        fst24.open(tmp_path / "no" / "such" / "dir.fst", "w")


def test_failed_write_keeps_file_usable(tmp_path):
    path = tmp_path / "ok.fst"
    with fst24.open(path, "w") as w:
        w.write(field(seed=1), nomvar="A", datyp=5, nbits=32)
        with pytest.raises(fst24.UsageError):
            w.write(field(), ip2=-1)
        w.write(field(seed=2), nomvar="B", datyp=5, nbits=32)
    assert read_all(path)[0]["nomvar"].to_list() == ["A", "B"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_missing_values_from_nan(tmp_path, backend):
    path = tmp_path / "m.fst"
    data = field(seed=5)
    data[1, 2] = data[4, 0] = np.nan
    with fst24.open(path, "w", backend=backend) as w:
        w.write(data, nomvar="MV", datyp=65, nbits=16)
        w.write(field(seed=6), nomvar="NO", datyp=65, nbits=16)  # nothing missing
    with fst24.open(path) as f:
        df = f.to_polars()
        assert df["datyp"].to_list() == [65, 1]  # +64 dropped when nothing is missing
        got = f.read(0, missing="nan")
    assert np.array_equal(np.isnan(got), np.isnan(data))
    ok = ~np.isnan(data)
    np.testing.assert_allclose(got[ok], data[ok], atol=float(np.ptp(data[ok])) * 2.0**-14)


@pytest.mark.parametrize("backend", BACKENDS)
def test_characters(tmp_path, backend):
    path = tmp_path / "c.fst"
    text = np.frombuffer(b"HELLO FST24 FROM PYTHON!", dtype=np.uint8).reshape(8, 3, order="F")
    with fst24.open(path, "w", backend=backend) as w:
        w.write(text, nomvar="TXT", datyp=7, nbits=8)
    with fst24.open(path) as f:
        assert f.to_polars()["datyp"].to_list() == [7]
        np.testing.assert_array_equal(f.read(0), text)
