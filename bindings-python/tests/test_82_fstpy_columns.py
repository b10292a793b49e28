"""fstpy's derived columns, dtypes, write_frame honouring edited decoded columns, and
globs/directories as inputs."""

from __future__ import annotations

import shutil
from datetime import datetime

import numpy as np
import polars as pl
import pytest

import fst24
from conftest import DATA019

FSTPY_COLUMNS = {
    "nomvar": pl.String, "typvar": pl.String, "etiket": pl.String, "ni": pl.Int32,
    "nj": pl.Int32, "nk": pl.Int32, "dateo": pl.Int32, "ip1": pl.Int32, "ip2": pl.Int32,
    "ip3": pl.Int32, "deet": pl.Int32, "npas": pl.Int32, "datyp": pl.Int16,
    "nbits": pl.Int16, "grtyp": pl.String, "ig1": pl.Int32, "ig2": pl.Int32,
    "ig3": pl.Int32, "ig4": pl.Int32, "datev": pl.Int32, "grid": pl.String,
    "multiple_modifications": pl.Boolean, "zapped": pl.Boolean, "filtered": pl.Boolean,
    "interpolated": pl.Boolean, "unit_converted": pl.Boolean, "bounded": pl.Boolean,
    "missing_data": pl.Boolean, "ensemble_extra_info": pl.Boolean, "masks": pl.Boolean,
    "masked": pl.Boolean, "label": pl.String, "run": pl.String,
    "implementation": pl.String, "ensemble_member": pl.String, "etiket_format": pl.String,
    "date_of_observation": pl.Datetime("us"), "date_of_validity": pl.Datetime("us"),
    "forecast_hour": pl.Duration("us"), "data_type_str": pl.String, "level": pl.Float32,
    "ip1_kind": pl.Int32, "ip1_pkind": pl.String, "ip2_dec": pl.Float32,
    "ip2_kind": pl.Int32, "ip2_pkind": pl.String, "ip3_dec": pl.Float32,
    "ip3_kind": pl.Int32, "ip3_pkind": pl.String, "surface": pl.Boolean,
    "follow_topography": pl.Boolean, "ascending": pl.Boolean, "vctype": pl.String,
}


def test_fstpy_columns_and_dtypes():
    df = fst24.read_metadata(DATA019 / "mini_gem.fst")
    for name, dtype in FSTPY_COLUMNS.items():
        assert df.schema[name] == dtype, name
    tt = df.filter(pl.col("nomvar") == "TT").row(0, named=True)
    assert tt["grid"] == f"{tt['ig1']}{tt['ig2']}"
    ref = df.filter(pl.col("nomvar") == ">>").row(0, named=True)
    assert ref["grid"] == f"{ref['ip1']}{ref['ip2']}" == tt["grid"]
    assert tt["vctype"] == "HYBRID_5005" and tt["follow_topography"] and not tt["ascending"]
    # The 1.5 m fields of a 5005 grid belong to the hybrid coordinate, as in fstpy.
    tj = df.filter(pl.col("nomvar") == "TJ").row(0, named=True)
    assert tj["vctype"] == "HYBRID_5005" and tj["surface"]
    assert df.filter(pl.col("nomvar") == "P0")["vctype"].unique().to_list() == ["UNKNOWN"]


def test_etikets_and_flags():
    df = fst24.read_metadata(DATA019 / "dates_etikets.fst")
    by = {r["etiket"]: r for r in df.iter_rows(named=True)}
    r = by["R1_V710_N"]
    assert (r["run"], r["label"], r["implementation"], r["ensemble_member"]) == (
        "R1", "_V710_", "N", None)
    r = by["GEMDM"]
    assert (r["run"], r["label"], r["implementation"]) == ("GE", "MDM", None)
    r = by[""]
    assert (r["run"], r["label"]) == (None, "")
    masked = df.filter(pl.col("typvar") == "P@")
    assert masked["masked"].to_list() == [True] and not masked["masks"][0]
    assert df.filter(pl.col("typvar") != "P@")["masked"].sum() == 0


def test_write_frame_reencodes_edited_columns(tmp_path):
    src = DATA019 / "mini_gem.fst"
    with fst24.open(src) as f:
        df = f.to_polars().filter(pl.col("nomvar") == "TT").head(2)
        data = f.read(df, missing="marker")
    old_ip1 = df["ip1"].to_list()
    edited = df.with_columns(
        pl.Series("d", data, dtype=pl.Object),
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(0.5, pl.Float32))
        .otherwise(pl.col("level")).alias("level"),
        pl.lit(datetime(2030, 5, 6, 12)).alias("date_of_observation"),
        pl.lit("G9").alias("run"),
    )
    out = tmp_path / "out.fst"
    with fst24.open(out, "w") as w:
        w.write_frame(edited)
    back = fst24.read_metadata(out)
    assert back["level"].to_list()[0] == pytest.approx(0.5)
    assert back["ip1"].to_list()[0] != old_ip1[0]
    assert back["ip1"].to_list()[1] == old_ip1[1]  # unedited: stored ip1 kept
    assert back["date_of_observation"].to_list() == [datetime(2030, 5, 6, 12)] * 2
    assert all(e.startswith("G9") for e in back["etiket"].to_list())
    assert back["label"].to_list() == df["label"].to_list()


def test_globs_and_directories(tmp_path):
    for name in ("d065_n16.fst", "erased.fst"):
        shutil.copy(DATA019 / name, tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a standard file")
    by_dir = fst24.read_metadata(tmp_path)
    by_glob = fst24.read_metadata(str(tmp_path / "*.fst"))
    assert by_dir.equals(by_glob)
    assert sorted(set(by_dir["path"].to_list())) == sorted(
        str(tmp_path / n) for n in ("d065_n16.fst", "erased.fst"))
    ds = fst24.to_xarray(str(tmp_path / "e*.fst"))
    assert "A0" in ds.data_vars
    with pytest.raises(FileNotFoundError):
        fst24.read_metadata(str(tmp_path / "nothing*.fst"))


def test_to_pandas_with_the_pandas_extra():
    df = fst24.read_metadata(DATA019 / "mini_gem.fst")
    pdf = df.to_pandas()
    assert len(pdf) == len(df) and str(pdf["ni"].dtype) == "int32"
    assert np.issubdtype(pdf["date_of_validity"].dtype, np.datetime64)
