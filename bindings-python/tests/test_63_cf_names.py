"""The nomvar table (core/src/dataset/cf_names.tsv) against the CF standard-name table
(the XML compliance-checker ships, version printed) and UDUNITS-2 (cf-units): every name
exists and every unit converts to the name's canonical units. Winds are x_wind/y_wind on
rotated and projected grids, eastward/northward only on lat-lon grids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import cf_units
import pytest

import fst24
from rpn_cases import write_grid_case

TABLE = Path(__file__).resolve().parents[2] / "core" / "src" / "dataset" / "cf_names.tsv"


def rows():
    with open(TABLE) as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
    out = [l.split("\t") for l in lines if l]
    assert out and all(len(r) == 5 for r in out), out
    return out


@pytest.fixture(scope="module")
def cf_table():
    xml = resources.files("compliance_checker") / "data" / "cf-standard-name-table.xml"
    root = ET.fromstring(xml.read_bytes())
    version = int(root.findtext("version_number"))
    print(f"CF standard-name table version {version}")
    assert version >= 90
    canonical = {e.get("id"): e.findtext("canonical_units") or "1" for e in root.iter("entry")}
    assert len(canonical) > 4000
    return canonical


def test_every_name_exists_and_every_unit_converts(cf_table):
    checked = 0
    for nomvar, standard, grid_relative, long_name, units in rows():
        assert long_name and units, nomvar
        unit = cf_units.Unit(units)
        for name in {standard, grid_relative} - {""}:
            assert name in cf_table, f"{nomvar}: {name} is not a CF standard name"
            canon = cf_units.Unit(cf_table[name])
            assert unit.is_convertible(canon), f"{nomvar}: {units} vs {name} [{canon}]"
            checked += 1
    assert checked >= 20


def test_precipitation_is_a_water_depth(cf_table):
    pr = {r[0]: r for r in rows()}["PR"]
    assert pr[1] == "lwe_thickness_of_precipitation_amount" and pr[4] == "m"


@pytest.mark.parametrize(
    "grid, eastward",
    [("L", True), ("Z_on_L", True), ("E", False), ("Z_on_E", False), ("N", False),
     ("Z_on_S", False)],
)
def test_winds_follow_the_grid_axes(tmp_path, grid, eastward):
    path = tmp_path / f"winds_{grid}.fst"
    write_grid_case(path, grid, ("UU", "VV", "PR"))
    ds = fst24.to_xarray(path)
    want = ("eastward_wind", "northward_wind") if eastward else ("x_wind", "y_wind")
    assert (ds.UU.attrs["standard_name"], ds.VV.attrs["standard_name"]) == want
    assert ds.PR.attrs["standard_name"] == "lwe_thickness_of_precipitation_amount"
    assert "grid_mapping" in ds.UU.attrs
