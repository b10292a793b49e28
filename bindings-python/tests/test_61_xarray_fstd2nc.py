"""fst24.to_xarray against fstd2nc's Dataset (peer output, through librmn) on corpus and
bench files: same variables, shapes, axis values and data.

Dimension names differ on purpose (fstd2nc numbers every axis as soon as there are two:
``time1``, ``level2``; fst24 keeps ``time``, ``level`` and suffixes only axes that really
differ), so axes are matched by position in each variable.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
fstd2nc = pytest.importorskip("fstd2nc")

import fst24  # noqa: E402

from conftest import DATA019, DATA20, SHARED  # noqa: E402

# Files where fstd2nc is not right, with the reason (everything else in the corpus is
# compared).
NOT_COMPARED = {
    # fstd2nc fails on complex128 records (numpy dtype "c1" not understood).
    "d008_n64.fst",
    # librmn 019 decodes R12 + turbo wrongly (see the corpus README); fst24 matches the
    # writer's input (test below), fstd2nc shows librmn's error.
    "q129_n12.fst",
}
# Variables left out of the comparison, by file, with the reason.
SKIPPED = {
    # librmn 019 (under fstd2nc) decodes ip1 kinds 7, 10, 15 and 17 as 0 m above sea
    # level: fstd2nc files those LV records with LV_vgrid0's, fst24 gives them their own
    # variables.
    "vcoord.fst": {"LV_vgrid0", "LV_vgrid7", "LV_vgrid10", "LV_vgrid15", "LV_vgrid17"},
}
CORPUS = sorted(
    p
    for p in list(DATA019.glob("*.fst")) + list(DATA20.glob("*_xdf.fst"))
    if p.name not in NOT_COMPARED
)


def fstd2nc_dataset(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fstd2nc.Buffer(str(path), **options).to_xarray()


def spatial_vars(ds, skip=()):
    """Numeric data variables that are fields (a horizontal grid), by name."""
    return {
        n: v
        for n, v in ds.data_vars.items()
        if (v.ndim >= 2 or n.isupper()) and v.dtype.kind in "fiuc" and n not in skip
    }


def character_nomvars(path):
    """Nomvars of character records (datyp 3, 7): fstd2nc makes them variables, fst24
    does not, on purpose."""
    with fst24.open(path) as f:
        return {r.nomvar for r in f if r.datyp % 64 in (3, 7)}


def axis_values(values):
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[s]").astype(np.int64)
    if np.issubdtype(values.dtype, np.timedelta64):
        return values.astype("timedelta64[s]").astype(np.int64)
    return values.astype(np.float64)


def squeezed_dims(var):
    """Dims longer than one: fstd2nc drops some degenerate axes (a lone level of some
    ip1 kinds) that fst24 keeps, so only real axes are compared."""
    return [d for d, n in zip(var.dims, var.shape) if n > 1]


def compare(ours, theirs, skip=()):
    theirs_vars = spatial_vars(theirs, skip)
    ours_vars = spatial_vars(ours, skip)
    assert sorted(ours_vars) == sorted(theirs_vars)
    for name, ref in theirs_vars.items():
        var = ours_vars[name]
        # fstd2nc reads nk > 1 records as 2-D fields (NaN or the first level): fst24 adds
        # a `k` axis, so only the other axes can be compared.
        three_d = "k" in var.dims and var.sizes["k"] > 1 and len(ref.dims) < len(var.dims)
        if three_d:
            var = var.isel(k=0)
        ours_dims, ref_dims = squeezed_dims(var), squeezed_dims(ref)
        assert [var.sizes[d] for d in ours_dims] == [ref.sizes[d] for d in ref_dims], name
        for ours_dim, ref_dim in zip(ours_dims, ref_dims):
            if ref_dim not in theirs.coords or ours_dim not in ours.coords:
                continue
            np.testing.assert_allclose(
                axis_values(ours[ours_dim].values),
                axis_values(theirs[ref_dim].values),
                rtol=1e-6,
                # fstd2nc computes grid axes in float32 (1e-5 degree apart at 30 degrees).
                atol=1e-5,
                err_msg=f"{name}: axis {ours_dim} vs fstd2nc {ref_dim}",
            )
        for coord in ("lat", "lon"):
            if coord in ref.coords:
                np.testing.assert_allclose(
                    var[coord].values, ref[coord].values, atol=1e-4, err_msg=f"{name}.{coord}"
                )
        if three_d:
            continue
        ref_values = ref.values
        if var.dtype == np.uint32 and ref.dtype == np.float32:
            # Raw words (datyp 0): fstd2nc shows their bits as float32, fst24 as uint32.
            ref_values = ref_values.view(np.uint32)
        ours_values = var.values
        if var.attrs.get("missing_value") is not None or var.encoding.get("_FillValue") is not None:
            # Masked integer records: fstd2nc fills their missing points with 1e30.
            masked = np.isnan(ours_values)
            assert masked.any(), name
            np.testing.assert_array_equal(ref_values[masked], 1e30, err_msg=name)
            ref_values = np.where(masked, np.nan, ref_values)
        np.testing.assert_allclose(
            np.squeeze(ours_values), np.squeeze(ref_values), rtol=1e-6, equal_nan=True, err_msg=name
        )


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_matches_fstd2nc(corpus_present, path):
    skip = character_nomvars(path) | SKIPPED.get(path.name, set())
    compare(fst24.to_xarray(path), fstd2nc_dataset(path), skip)


def test_forecast_axis_matches_fstd2nc(corpus_present):
    path = DATA019 / "mini_gem.fst"
    compare(
        fst24.to_xarray(path, forecast_axis=True),
        fstd2nc_dataset(path, forecast_axis=True),
    )


@pytest.fixture(scope="session")
def bench_file(tmp_path_factory):
    tool = SHARED / "tools" / "make_fst_corpus.py"
    if not tool.is_file():
        pytest.skip("shared/tools/make_fst_corpus.py is missing")
    out = tmp_path_factory.mktemp("bench")
    cmd = [sys.executable, str(tool), "--bench", "small", "--scale", "0.1", "--nlev", "6"]
    done = subprocess.run(cmd + ["--out", str(out)], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot write a bench file (needs fstd2nc-deps): {done.stderr[-500:]}")
    return out / "small.fst"


def test_bench_file_matches_fstd2nc(bench_file):
    compare(fst24.to_xarray(bench_file), fstd2nc_dataset(bench_file))


def test_bench_file_chunked_matches_fstd2nc(bench_file):
    ours = fst24.to_xarray(bench_file, chunks={})
    theirs = fstd2nc_dataset(bench_file)
    compare(ours, theirs)


def write_tt(path, slots):
    """TT fields on a 4x3 L grid at the `(hour, hPa)` slots, written by librmn (rpnpy);
    every value of a field is ``hour * 1000 + hPa``."""
    pytest.importorskip("fstd2nc_deps")
    import rpnpy.librmn.all as rmn

    fid = rmn.fstopenall(str(path), rmn.FST_RW)
    try:
        for hour, hpa in slots:
            data = np.asfortranarray(np.full((4, 3), hour * 1000 + hpa, dtype=np.float32))
            meta = {
                "nomvar": "TT", "typvar": "P", "etiket": "HOLES",
                "ni": 4, "nj": 3, "nk": 1, "ip2": hour, "ip3": 0,
                "ip1": rmn.convertIp(rmn.CONVIP_ENCODE, hpa, rmn.KIND_PRESSURE),
                "dateo": rmn.newdate(rmn.NEWDATE_PRINT2STAMP, 20250102, 3000000),
                "deet": 3600, "npas": hour, "datyp": 5, "nbits": 32,
                "grtyp": "L", "ig1": 100, "ig2": 100, "ig3": 9000, "ig4": 0,
            }  # fmt: skip
            rmn.fstecr(fid, data, meta)
    finally:
        rmn.fstcloseall(fid)
    return path


@pytest.fixture(scope="session")
def holes_file(tmp_path_factory):
    """3 hours x 2 pressures with (1 h, 850 hPa) absent."""
    slots = [(h, p) for h in range(3) for p in (500.0, 850.0) if (h, p) != (1, 850.0)]
    return write_tt(tmp_path_factory.mktemp("holes") / "holes.fst", slots)


def test_holes_are_nan_and_reported(holes_file):
    ours = fst24.to_xarray(holes_file)
    assert "missing 1 of 6" in ours.attrs["fst24_warnings"]
    values = ours["TT"].values[:, :, 0, 0]
    np.testing.assert_array_equal(values, [[500, 850], [1500, np.nan], [2500, 2850]])
    compare(ours, fstd2nc_dataset(holes_file))


def test_open_mfdataset_by_coords_joins_times(tmp_path):
    first = write_tt(tmp_path / "h0.fst", [(0, 500.0), (0, 850.0)])
    second = write_tt(tmp_path / "h1.fst", [(1, 500.0), (1, 850.0)])
    joined = xr.open_mfdataset([second, first], engine="fst24", combine="by_coords")
    assert joined.sizes["time"] == 2
    np.testing.assert_array_equal(
        joined["TT"].values[:, :, 0, 0], [[500, 850], [1500, 1850]]
    )
    together = fst24.to_xarray([first, second])
    np.testing.assert_array_equal(joined["TT"].values, together["TT"].values)


def test_where_librmn_decodes_wrongly_fst24_matches_the_written_values(corpus_present):
    folder = DATA019 / "q129_n12"
    ours = np.squeeze(fst24.to_xarray(DATA019 / "q129_n12.fst")["Q129"].values)
    written = np.squeeze(np.load(folder / "w0000.npy")).T
    librmn = np.squeeze(np.load(folder / "r0000.npy")).T
    # 12-bit quantisation of values up to ~280: a step of 280 / 4096.
    np.testing.assert_allclose(ours, written, atol=0.07)
    assert np.abs(librmn - written).max() > 100
