"""CF structure of the dataset: formula_terms only name variables that exist (CF 4.3.3),
identical horizontal axes are one axis across files."""

from __future__ import annotations

import numpy as np

import fst24
from rpn_cases import write_grid_case, write_hybrid_without_p0


def test_formula_terms_name_only_existing_variables(tmp_path):
    path = tmp_path / "hyb_no_p0.fst"
    write_hybrid_without_p0(path)
    ds = fst24.to_xarray(path)
    level = ds[ds.TT.dims[-3]]
    names = set(ds.variables)
    for v in ds.variables.values():
        terms = v.attrs.get("formula_terms", "").split()
        for term, var in zip(terms[::2], terms[1::2]):
            assert var in names, (v.name, term, var, sorted(names))
    # Without P0 the formula cannot be complete: no formula_terms, hence no parametric
    # standard name (CF 4.3.3 requires one with the other), and a comment says why.
    assert "formula_terms" not in level.attrs, level.attrs
    assert "standard_name" not in level.attrs, level.attrs
    assert "P0 not in the files" in level.attrs["comment"]


def test_identical_axes_are_shared_across_files(tmp_path):
    a, b = tmp_path / "a.fst", tmp_path / "b.fst"
    for path, name in ((a, "E"), (b, "E")):
        write_grid_case(path, name, ("TT",) if path == a else ("HU",))
    ds = fst24.to_xarray([a, b])
    assert ds.TT.dims == ds.HU.dims, (ds.TT.dims, ds.HU.dims)
    assert set(ds.TT.coords) == set(ds.HU.coords)
    assert not any(n.endswith("_1") for n in ds.variables if n.startswith(("lat", "lon", "rl")))
    np.testing.assert_array_equal(ds.TT.lat.values, ds.HU.lat.values)
