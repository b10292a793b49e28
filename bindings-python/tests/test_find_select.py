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
        # 1500 m is stored both old style (12301) and new style: a value finds both, as
        # librmn's ip1_all, and so does either code.
        both = f.find(level=1500.0, kind="m")
        assert 12301 in [r.ip1 for r in both] and len({r.ip1 for r in both}) == 2
        assert all(levels[r.key] == (1500.0, "m") for r in both)
        assert [r.key for r in f.find(ip1=12301)] == [r.key for r in both]


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
