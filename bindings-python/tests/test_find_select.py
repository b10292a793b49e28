"""File.find with the core selection language: decoded levels, dates, ranges, `where`.

Ground truth is librmn 019.5's decoding stored in the corpus JSON (ConvertIp, newdate).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import fst24
from conftest import DATA019, load


def _levels(name: str) -> list[tuple[float, str] | None]:
    out = []
    for r in load(DATA019 / f"{name}.json")["records"]:
        d = r["decoded"]["ip1"]
        out.append((d["value"], d["kind_str"].strip()) if d.get("kind_str") is not None else None)
    return out


def test_level_and_kind_select_what_librmn_decodes():
    levels = _levels("vcoord")
    with fst24.open(DATA019 / "vcoord.fst") as f:
        tt = [r for r in f.find(nomvar="TT")]
        value, unit = levels[tt[0].key]
        hits = f.find(nomvar="TT", level=value, kind=unit)
        assert tt[0].key in [r.key for r in hits]
        assert all(levels[r.key][1] == unit and abs(levels[r.key][0] - value) < 1e-6 for r in hits)
        # The same through a string, a `where` expression and a range tuple.
        assert [r.key for r in f.find(ip1=f"{value}{unit}", nomvar="TT")] == [r.key for r in hits]
        assert [r.key for r in f.find(where=f"nomvar=TT ip1={value}{unit}")] == [r.key for r in hits]
        in_range = [r.key for r in f.find(nomvar="TT", level=(0.5, 1.0), kind="hy")]
        expected = [r.key for r in tt if levels[r.key][1] == "hy" and 0.5 <= levels[r.key][0] <= 1.0]
        assert expected and in_range == expected
        # An old-style ip1 (12301 = 1500 m) is also found by its decoded value, with its
        # new-style twin (6441456): librmn decodes both to 1500 m (vcoord.json).
        assert [r.ip1 for r in f.find(level=1500.0, kind="m")] == [6441456, 12301]


def test_dates_as_datetimes_and_ranges():
    records = load(DATA019 / "vcoord.json")["records"]
    d = records[1]["decoded"]["datev"]
    ymd, hms = d["yyyymmdd"], d["hhmmsshh"]
    when = datetime(ymd // 10000, ymd // 100 % 100, ymd % 100, hms // 1_000_000, hms // 10_000 % 100)
    with fst24.open(DATA019 / "vcoord.fst") as f:
        dated = [r.key for r in f.find(datev=when)]
        assert 1 in dated
        assert [r.key for r in f.find(datev=when.replace(tzinfo=timezone.utc))] == dated
        assert [r.key for r in f.find(datev=(when - timedelta(hours=1), None))] == dated
        assert f.find(datev=(None, when - timedelta(seconds=1))) == []
        assert [r.key for r in f.find(datev=when.isoformat())] == dated


def test_bad_values_are_usage_errors():
    with fst24.open(DATA019 / "vcoord.fst") as f:
        for kwargs in ({"ip1": "0.5"}, {"datev": "yesterday"}, {"where": "nomvar"}, {"ni": (1, 2, 3)}):
            with pytest.raises(fst24.UsageError):
                f.find(**kwargs)
