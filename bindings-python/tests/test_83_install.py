"""What `pip install fst24` pulls in: numpy and polars always, xarray/dask and
pandas/pyarrow as extras."""

from __future__ import annotations

import re
from importlib.metadata import requires


def test_dependencies_and_extras():
    reqs = requires("fst24") or []
    names = {re.split(r"[ ;<>=!\[]", r, maxsplit=1)[0].lower(): r for r in reqs}
    for required in ("numpy", "polars"):
        assert required in names and "extra" not in names[required], reqs
    for extra, pkgs in (("xarray", ("xarray", "dask")), ("pandas", ("pandas", "pyarrow"))):
        for pkg in pkgs:
            assert pkg in names and f'extra == "{extra}"' in names[pkg].replace("'", '"'), (pkg, reqs)
