"""Metadata frames against librmn's own listing of every corpus file."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

import fst24
from conftest import DATA019, DATA20, files019, files20, load

INT_KEYS = ["ni", "nj", "nk", "dateo", "datev", "deet", "npas", "nbits", "datyp",
            "ip1", "ip2", "ip3", "ig1", "ig2", "ig3", "ig4"]
STR_KEYS = ["nomvar", "typvar", "etiket", "grtyp"]


def _check_rows(df: pl.DataFrame, expected: list[dict], rename: dict[str, str]) -> None:
    assert df.height == len(expected)
    rows = df.to_dicts()
    for got, want in zip(rows, expected):
        for k in INT_KEYS:
            assert got[k] == want[rename.get(k, k)], (k, got["key"], got[k], want)
        for k in STR_KEYS:
            assert got[k] == want[k].strip(), (k, got["key"])


@pytest.mark.parametrize("desc", files019(), ids=lambda p: p.stem)
def test_librmn019_keys(desc, corpus_present):
    ref = load(desc)
    df = fst24.read_metadata(DATA019 / ref["file"])
    expected = [r["fstprm"] for r in ref["records"]]
    _check_rows(df, expected, {})


@pytest.mark.parametrize("desc", files20(), ids=lambda p: p.stem)
def test_librmn20_keys(desc, corpus_present):
    ref = load(desc)
    with fst24.open(DATA20 / ref["file"]) as f:
        df = f.to_polars()
        assert f.backend == ref["fst24"]["backend"].lower()
    expected = [r for r in ref["fst24"]["records"]]
    assert df["key"].to_list() == [r["file_index"] for r in expected]
    assert df["offset"].to_list() == [r["file_offset"] for r in expected]
    _check_rows(df, expected, {"datyp": "data_type", "nbits": "pack_bits"})


def test_schema_is_typed_and_object_free(mixed_xdf):
    df = fst24.read_metadata(mixed_xdf)
    schema = df.schema
    for k in ["ni", "nj", "nk", "ip1", "ip2", "ip3", "ig1", "ig2", "ig3", "ig4",
              "deet", "npas", "dateo", "datev", "key"]:
        assert schema[k] == pl.Int32, k
    assert schema["datyp"] == pl.Int16 and schema["nbits"] == pl.Int16
    for k in STR_KEYS + ["path"]:
        assert schema[k] == pl.String, k
    assert schema["date_of_observation"] == pl.Datetime("us")
    assert schema["date_of_validity"] == pl.Datetime("us")
    assert schema["forecast_hour"] == pl.Duration("us")
    assert schema["level"] == pl.Float32 and schema["ip1_kind"] == pl.Int32
    assert not any(t == pl.Object for t in schema.values())


@pytest.mark.parametrize("name", ["mixed_xdf.json", "mixed_rsf.json"])
def test_decoded_columns_match_librmn(name, corpus_present):
    ref = load(DATA20 / name)
    df = fst24.read_metadata(DATA20 / ref["file"])
    for got, want in zip(df.to_dicts(), ref["fst24"]["records"]):
        dec = want["decoded"]
        v = dec["datev"]
        ymd, hms = v["yyyymmdd"], v["hhmmsshh"]
        stamp_time = datetime(ymd // 10000, ymd // 100 % 100, ymd % 100,
                              hms // 1000000, hms // 10000 % 100, hms // 100 % 100)
        assert got["date_of_validity"] == stamp_time, got["key"]
        o = dec["dateo"]
        ymd, hms = o["yyyymmdd"], o["hhmmsshh"]
        assert got["date_of_observation"] == datetime(
            ymd // 10000, ymd // 100 % 100, ymd % 100,
            hms // 1000000, hms // 10000 % 100, hms // 100 % 100)
        assert got["forecast_hour"] == timedelta(seconds=want["deet"] * want["npas"])
        if got["nomvar"] in (">>", "^^", "^>", "!!", "HY"):
            assert got["ip1_kind"] == 100
            continue
        ip1 = dec["ip1_ConvertIp"]
        assert got["ip1_kind"] == ip1["kind"], got["key"]
        assert got["level"] == pytest.approx(ip1["value"], rel=1e-6), got["key"]


def test_several_files_have_a_path_column(mixed_xdf, mixed_rsf):
    df = fst24.read_metadata([mixed_xdf, mixed_rsf])
    a = fst24.read_metadata(mixed_xdf)
    b = fst24.read_metadata(mixed_rsf)
    assert df.height == a.height + b.height
    assert df["path"].unique().sort().to_list() == sorted([str(mixed_xdf), str(mixed_rsf)])
    # Both files hold the same records in the same order.
    cols = ["nomvar", "ip1", "ip2", "ip3", "ni", "nj", "nk"]
    assert a.select(cols).equals(b.select(cols))


def test_frame_is_arrow_backed_zero_copy(mixed_xdf):
    with fst24.open(mixed_xdf) as f:
        table = f._table()
        assert len(table) == len(f)
        df = pl.DataFrame(table)
        assert df.height == len(f)
        # Every export of one table shares its buffers.
        again = pl.DataFrame(table)
        assert df.equals(again)


def _stamp(d: dict) -> datetime:
    ymd, hms = d["yyyymmdd"], d["hhmmsshh"]
    return datetime(ymd // 10000, ymd // 100 % 100, ymd % 100,
                    hms // 1000000, hms // 10000 % 100, hms // 100 % 100)


@pytest.mark.parametrize("desc", files019(), ids=lambda p: p.stem)
def test_librmn019_decoded_columns(desc, corpus_present):
    ref = load(desc)
    df = fst24.read_metadata(DATA019 / ref["file"])
    for got, want in zip(df.to_dicts(), ref["records"]):
        dec = want["decoded"]
        for col, key in (("date_of_validity", "datev"), ("date_of_observation", "dateo")):
            if want["fstprm"][key] in (0, 10101011, 101010101):
                assert got[col] is None, (got["key"], key)
            elif dec.get(key) is None:
                # newdate refused the stamp: no date either.
                assert got[col] is None, (got["key"], key, want["fstprm"][key])
            else:
                assert got[col] == _stamp(dec[key]), (got["key"], key)
        if got["nomvar"] in (">>", "^^", "^>", "!!", "HY"):
            continue
        ip1 = dec["ip1"]
        if ip1 is None or ip1["kind"] == -1:
            # librmn 19 rejects kind 7 (depth below sea), which librmn 20 added and we decode.
            assert got["level"] is None or got["ip1_kind"] == 7, got["key"]
            continue
        assert got["ip1_kind"] == ip1["kind"], (got["key"], got["ip1"])
        assert got["ip1_pkind"] == (ip1["kind_str"] or "").strip(), got["key"]
        assert got["level"] == pytest.approx(ip1["value"], rel=1e-6, abs=1e-6), got["key"]
        for name in ("ip2", "ip3"):
            d = dec[name]
            if d is None or d["kind"] == -1:
                continue
            if d["new_style"]:
                assert got[f"{name}_kind"] == d["kind"], (got["key"], name)
                assert got[f"{name}_dec"] == pytest.approx(d["value"], rel=1e-6, abs=1e-6)
            else:
                assert got[f"{name}_dec"] == got[name]
                assert got[f"{name}_kind"] == (10 if name == "ip2" else 100)


def test_data_type_str_uses_fstpy_letters(mixed_xdf):
    df = fst24.read_metadata(mixed_xdf)
    for datyp, letter in zip(df["datyp"], df["data_type_str"]):
        want = "XRICSEFAZ"[datyp & 63]
        assert letter == (want.lower() if datyp & 128 else want), datyp
    assert "e" in df["data_type_str"].to_list() or "f" in df["data_type_str"].to_list()


def test_many_files_make_one_frame_in_file_order(corpus_present):
    """read_metadata of many paths is built in parallel parts (one Arrow batch each) and
    of one large file in ranges of rows: the frame is the per-file frames stacked, in
    path order, and a File's own frame (only vctype may use other files' descriptors)."""
    paths = [str(DATA019 / load(d)["file"]) for d in files019()]
    paths += [str(DATA20 / load(d)["file"]) for d in files20()]
    assert len(paths) > 10
    both = fst24.read_metadata(paths)
    singles = []
    for p in paths:
        one = fst24.read_metadata(p)
        with fst24.open(p) as f:
            assert one.equals(f.to_polars()), p
        singles.append(one)
    stacked = pl.concat(singles, how="vertical_relaxed")
    assert both.height == stacked.height
    assert both["path"].to_list() == stacked["path"].to_list()
    assert both.drop("vctype").equals(stacked.drop("vctype"))
    assert both.schema == singles[0].schema


def test_arrow_export_passes_full_validation(corpus_present):
    """The string columns cross as Arrow string views that the binding does not re-check
    (it builds them): pyarrow's full validation (UTF-8, bounds, zero padding) must pass
    for every column of every corpus file, alone, all together and through File, and
    the values must be Polars' values."""
    import pyarrow as pa  # installed by ci.sh (the pandas extra)

    paths = [str(DATA019 / load(d)["file"]) for d in files019()]
    paths += [str(DATA20 / load(d)["file"]) for d in files20()]
    tables = [(paths, fst24._fst24._read_metadata(paths))]
    tables += [([p], fst24._fst24._read_metadata([p], False)) for p in paths[:3]]
    for p in paths:
        with fst24.open(p) as f:
            tables.append(([p], f._table()))
    for where, obj in tables:
        t = pa.table(obj)
        t.validate(full=True)
        views = [n for n, ty in zip(t.column_names, t.schema.types) if ty == pa.string_view()]
        assert "path" in views and "nomvar" in views, where
        frame = pl.DataFrame(obj)
        for name in views:
            assert t[name].to_pylist() == frame[name].to_list(), (where, name)
