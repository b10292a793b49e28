"""Jupyter views (``_repr_html_``) of File, Record and metadata tables."""

from __future__ import annotations

import html
from typing import Any

_COLUMNS = ("key", "nomvar", "typvar", "etiket", "ni", "nj", "nk", "ip1", "ip2", "ip3",
            "datev", "datyp", "nbits", "grtyp")
_ROWS = 20


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def file_html(f: Any) -> str:
    """A File: path, backend, number of records and the first ones."""
    title = f"<b>fst24.File</b> <code>{html.escape(f.path)}</code>"
    if f.closed:
        return f"{title} (closed)"
    records = [r.to_dict() for r in f[: _ROWS + 1]][:_ROWS]
    more = f"<p>… {len(f) - len(records)} more records</p>" if len(f) > len(records) else ""
    return f"{title} {f.backend}, {len(f)} records{_table(records, _COLUMNS)}{more}"


def record_html(r: Any) -> str:
    """A Record: its keys as one row."""
    d = r.to_dict()
    return f"<b>fst24.Record</b> <code>{html.escape(r.path)}</code>" + _table([d], tuple(d))


def table_html(t: Any) -> str:
    """A metadata table as Polars shows it."""
    import polars

    return str(polars.DataFrame(t)._repr_html_())
