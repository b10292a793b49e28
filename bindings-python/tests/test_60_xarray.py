"""xarray backend: engine registration, laziness, indexing, dask chunks and pickling."""

from __future__ import annotations

import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest

xr = pytest.importorskip("xarray")

import fst24  # noqa: E402
from fst24 import _fst24, xarray_backend  # noqa: E402

from conftest import DATA019, DATA20  # noqa: E402

MINI = DATA019 / "mini_gem.fst"


@pytest.fixture
def mini(corpus_present):
    return fst24.to_xarray(MINI)


@pytest.fixture
def count_reads(monkeypatch):
    """Counts the records the backend decodes (holes included)."""
    calls = []
    real = _fst24._read_records

    def counting(files, records, *args, **kwargs):
        calls.append(len(records))
        return real(files, records, *args, **kwargs)

    monkeypatch.setattr(_fst24, "_read_records", counting)
    return calls


def test_engine_is_registered():
    assert "fst24" in xr.backends.list_engines()


def test_guess_can_open(corpus_present):
    entry = xarray_backend.Fst24BackendEntrypoint()
    assert entry.guess_can_open(DATA20 / "mixed_rsf.fst")
    assert entry.guess_can_open(str(MINI))
    assert not entry.guess_can_open(DATA019 / "README.md")


def test_open_dataset_equals_to_xarray(mini):
    via_engine = xr.open_dataset(MINI, engine="fst24")
    xr.testing.assert_identical(via_engine, mini)
    with fst24.open(MINI) as f:
        xr.testing.assert_identical(f.to_xarray(), mini)


def test_structure(mini):
    tt = mini["TT"]
    assert tt.dims[0] == "time" and tt.dims[-2:] == ("rlat", "rlon")
    assert np.issubdtype(mini["time"].dtype, np.datetime64)
    assert tt.attrs["standard_name"] == "air_temperature"
    assert tt.attrs["nomvar"] == "TT"
    mapping = mini[tt.attrs["grid_mapping"]]
    assert mapping.attrs["grid_mapping_name"] == "rotated_latitude_longitude"
    assert "crs_wkt" in mapping.attrs
    assert mini["lat"].dims == ("rlat", "rlon")
    # Descriptor and character records never become data variables.
    for name in mini.data_vars:
        assert name not in (">>", "^^", "!!", "HY")
        assert mini[name].dtype.kind in "fiuc"


def test_lazy_reads_only_selected_records(mini, count_reads):
    tt = mini["TT"]
    assert count_reads == []
    one = tt.isel(time=1, **{tt.dims[1]: 2}).values
    assert count_reads == [1]
    assert one.shape == tt.shape[2:]
    assert tt.isel(time=[0, 2]).values.shape[0] == 2
    assert count_reads == [1, 2 * tt.shape[1]]


def test_outer_indexing_matches_full_read(mini):
    tt = mini["TT"]
    full = tt.values
    dims = tt.dims
    selections = [
        {dims[0]: 0},
        {dims[0]: -1, dims[1]: slice(None, None, 2)},
        {dims[1]: [4, 0, 2], dims[2]: slice(3, 9)},
        {dims[0]: [2, 0], dims[3]: [1, 5, 7], dims[2]: 4},
        {dims[1]: slice(1, 1)},
    ]
    for sel in selections:
        key = tuple(sel.get(d, slice(None)) for d in dims)
        expected = full
        # Outer (orthogonal) indexing, one axis at a time from the last.
        for axis in reversed(range(len(dims))):
            k = np.array(key[axis]) if isinstance(key[axis], list) else key[axis]
            expected = expected[(slice(None),) * axis + (k,)]
        np.testing.assert_array_equal(tt.isel(sel).values, expected)


def test_chunks_are_whole_records(corpus_present, monkeypatch):
    eager = fst24.to_xarray(MINI)["TT"].values
    ds = fst24.to_xarray(MINI, chunks={})
    tt = ds["TT"]
    # Small records: every level of one time in a chunk.
    assert tt.data.chunksize == (1,) + tt.shape[1:]
    np.testing.assert_array_equal(tt.values, eager)
    # Records bigger than the target: one record per chunk.
    monkeypatch.setattr(xarray_backend, "CHUNK_BYTES", 1)
    tt = fst24.to_xarray(MINI, chunks={})["TT"]
    assert tt.data.chunksize == (1, 1) + tt.shape[2:]
    np.testing.assert_array_equal(tt.values, eager)
    single = fst24.to_xarray(MINI, chunks={"time": 1, tt.dims[1]: 1})["TT"]
    assert single.data.npartitions == tt.shape[0] * tt.shape[1]
    # A group of records per chunk: every level of one time.
    grouped = fst24.to_xarray(MINI, chunks={"time": 1, tt.dims[1]: -1})["TT"]
    assert grouped.data.chunksize == (1,) + tt.shape[1:]
    assert grouped.data.npartitions == tt.shape[0]
    np.testing.assert_array_equal(grouped.values, eager)


def test_forecast_axis(corpus_present):
    ds = fst24.to_xarray(MINI, forecast_axis=True)
    tt = ds["TT"]
    assert tt.dims[:2] == ("time", "forecast")
    assert np.issubdtype(ds["forecast"].dtype, np.timedelta64)
    plain = fst24.to_xarray(MINI)["TT"]
    # Same fields, one more (length-one) time axis.
    np.testing.assert_array_equal(tt.values.reshape(plain.shape), plain.values)


def test_pickle_round_trip_and_process_scheduler(corpus_present):
    dask = pytest.importorskip("dask")
    ds = fst24.to_xarray(MINI, chunks={})
    expected = fst24.to_xarray(MINI)["GZ"].values
    graph = ds["GZ"].data.__dask_graph__()
    pickle.loads(pickle.dumps(dict(graph)))
    clone = pickle.loads(pickle.dumps(ds))
    (computed,) = dask.compute(clone["GZ"].data, scheduler="processes", num_workers=2)
    np.testing.assert_array_equal(computed, expected)
    # A lazy (non-dask) dataset pickles too and reads after unpickling.
    lazy = pickle.loads(pickle.dumps(fst24.to_xarray(MINI)))
    np.testing.assert_array_equal(lazy["GZ"].values, expected)


def test_distributed_local_cluster(corpus_present):
    distributed = pytest.importorskip("distributed")
    ds = fst24.to_xarray(MINI, chunks={})
    expected = fst24.to_xarray(MINI)["TT"].mean("time").values
    with distributed.LocalCluster(
        processes=True, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        result = ds["TT"].mean("time").compute()
    np.testing.assert_allclose(result.values, expected, rtol=1e-6)


def test_open_mfdataset_concatenates_files(corpus_present):
    both = xr.open_mfdataset(
        [DATA20 / "appended_xdf.fst", DATA20 / "appended_rsf.fst"],
        engine="fst24",
        combine="nested",
        concat_dim="source",
        compat="override",
        coords="minimal",
    )
    one = fst24.to_xarray(DATA20 / "appended_xdf.fst")
    assert both.sizes["source"] == 2
    for name, var in one.data_vars.items():
        np.testing.assert_array_equal(both[name].isel(source=0).values, var.values)
        np.testing.assert_array_equal(both[name].isel(source=1).values, var.values)


def test_several_paths_one_dataset(corpus_present):
    ds = fst24.to_xarray([DATA20 / "filemeta_rsf.fst", DATA20 / "appended_xdf.fst"])
    assert len(ds.data_vars) >= len(fst24.to_xarray(DATA20 / "appended_xdf.fst").data_vars) + 2


def test_missing_values_are_nan(corpus_present):
    path = DATA019 / "d065_n16.fst"
    ds = fst24.to_xarray(path)
    (name,) = [n for n in ds.data_vars if ds[n].ndim >= 2]
    data = ds[name].values
    with fst24.open(path) as f:
        reference = f.read(0, missing="nan")
    # fst24 arrays are Fortran order (ni, nj); the dataset is C order (…, nj, ni).
    np.testing.assert_array_equal(np.squeeze(data), reference.T)
    assert np.isnan(data).any()


def test_closed_source_files_are_reopened(mini):
    for _, f in list(xarray_backend._OPEN_FILES.values()):
        f.close()
    assert np.isfinite(mini["TT"].isel(time=0).values).all()
    xarray_backend.close_files()
    assert not xarray_backend._OPEN_FILES
    assert np.isfinite(mini["TT"].isel(time=1).values).all()


def test_rsf_and_xdf_twins_give_the_same_dataset(corpus_present):
    for stem in ("appended", "deleted"):
        rsf = fst24.to_xarray(DATA20 / f"{stem}_rsf.fst")
        xdf = fst24.to_xarray(DATA20 / f"{stem}_xdf.fst")
        xr.testing.assert_identical(rsf.drop_encoding(), xdf.drop_encoding())


def test_duplicate_records_across_files_keep_the_last_and_warn(corpus_present, tmp_path):
    import shutil

    copy = tmp_path / "copy.fst"
    shutil.copyfile(MINI, copy)
    single = fst24.to_xarray(MINI)
    both = fst24.to_xarray([MINI, copy])
    assert "duplicate" in both.attrs["fst24_warnings"]
    assert dict(both.sizes) == dict(single.sizes)
    for name, var in single.data_vars.items():
        np.testing.assert_array_equal(both[name].values, var.values)


def test_to_netcdf_round_trip(mini, tmp_path):
    pytest.importorskip("scipy")
    out = tmp_path / "mini.nc"
    mini.to_netcdf(out, engine="scipy")
    back = xr.open_dataset(out, engine="scipy")
    np.testing.assert_array_equal(back["TT"].values, mini["TT"].values)


def test_integer_missing_values_are_masked(corpus_present):
    path = DATA20 / "mixed_xdf.fst"
    mi = fst24.to_xarray(path)["MI"]
    with fst24.open(path) as f:
        (rec,) = f.find(nomvar="MI")
        marker = f.read(rec, missing="marker")
    missing = marker == np.iinfo(marker.dtype).min
    assert missing.any()
    expected = np.where(missing, np.nan, marker).T
    np.testing.assert_array_equal(np.squeeze(mi.values), expected)


def test_open_dataset_options(corpus_present):
    raw = xr.open_dataset(MINI, engine="fst24", decode_times=False, drop_variables=["GZ"])
    assert "GZ" not in raw.data_vars and "TT" in raw.data_vars
    assert raw["time"].dtype.kind == "f"
    assert raw["time"].attrs["units"].startswith("hours since ")


def test_truncated_file_is_a_clear_error(corpus_present, tmp_path):
    cut = tmp_path / "cut.fst"
    cut.write_bytes(MINI.read_bytes()[: MINI.stat().st_size // 2])
    with pytest.raises(fst24.Error) as info:
        fst24.to_xarray(cut).load()
    assert str(info.value)


def test_backend_array_outer_keys_directly(mini):
    tt = mini["TT"]
    full = tt.values
    array = xarray_backend.plan_dataset(MINI)["TT"].variable._data
    while not isinstance(array, xarray_backend.FstBackendArray):
        array = getattr(array, "array", None)
        assert array is not None, "no FstBackendArray under the lazy wrappers"
    key = (1, np.array([0, 3]), 4, slice(2, 8, 3))
    got = array[xr.core.indexing.OuterIndexer(key)]
    expected = full[1][[0, 3]][:, 4][:, 2:8:3]
    np.testing.assert_array_equal(got, expected)
    got = array[xr.core.indexing.OuterIndexer((slice(None), 2, np.array([5, 1]), 0))]
    np.testing.assert_array_equal(got, full[:, 2][:, [5, 1]][:, :, 0])


def test_read_records_rejects_bad_requests(corpus_present):
    f = fst24.open(MINI)
    plan = _fst24._plan([f])
    tt = next(v for v in plan["variables"] if v["name"] == "TT")
    inner = tt["shape"][tt["outer_ndim"] :]
    (first,) = [tuple(r) for r in tt["records"][:1].tolist()]
    good = _fst24._read_records([f], [first, (-1, -1)], inner, tt["element"])
    assert good.shape == (2, *inner) and np.isnan(good[1]).all()
    with pytest.raises(fst24.Error):
        _fst24._read_records([f], [first], [1, 1], tt["element"])  # wrong record size
    with pytest.raises(fst24.Error):
        _fst24._read_records([f], [(1, 0)], inner, tt["element"])  # no such file
    with pytest.raises(fst24.Error):
        _fst24._read_records([f], [(0, 10**6)], inner, tt["element"])  # no such record
    with pytest.raises(fst24.Error):
        _fst24._read_records([f], [first], inner, "float32")  # not an element name


def test_file_changed_on_disk_is_refused(corpus_present, tmp_path):
    import shutil

    path = tmp_path / "changing.fst"
    shutil.copyfile(MINI, path)
    ds = fst24.to_xarray(path)
    before = ds["TT"].isel(time=0).values
    with open(path, "ab") as f:  # what an append session would do to the size
        f.write(b"\0" * 8)
    with pytest.raises(fst24.UsageError, match="changed on disk"):
        ds["TT"].isel(time=1).values
    shutil.copyfile(MINI, path)
    os.utime(path, ns=(1, 1))
    # A new Dataset sees the file as it is now.
    np.testing.assert_array_equal(fst24.to_xarray(path)["TT"].isel(time=0).values, before)


SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "fstd2nc_compare" / "data"


def _cf_decoded_both_ways(path, times, **options):
    """The backend's one-pass CF decoding and xarray's own decode_cf of the same plan."""
    planned = xarray_backend._plan_variables(path, **options)
    reference = xr.decode_cf(
        planned.dataset(),
        mask_and_scale=True,
        decode_times=times,
        decode_timedelta=times,
        decode_coords=True,
    )
    return xarray_backend._decode_cf(planned, times, times), reference


@pytest.mark.parametrize(
    "options",
    [{}, {"forecast_axis": True, "ensembles": True, "pressure": True, "height": True}],
)
def test_one_pass_cf_decoding_equals_xarray_decode_cf(corpus_present, options):
    # Every sample and corpus file: same variables in the same order, same coordinates,
    # values, attributes, encodings and lazy wrappers as xr.decode_cf gives.
    paths = sorted(SAMPLES.glob("*.fst")) + sorted(DATA019.glob("*.fst")) + sorted(DATA20.glob("*.fst"))
    compared = 0
    for path in paths:
        for times in (True, False):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fast, reference = _cf_decoded_both_ways(path, times, **options)
            except (fst24.errors.Error, ValueError, OverflowError):
                continue  # files no dataset can be planned from, or dates pandas refuses
            xr.testing.assert_identical(fast, reference)
            assert list(fast.variables) == list(reference.variables), path
            assert fast.encoding == reference.encoding, path
            for name, var in reference.variables.items():
                other = fast.variables[name]
                assert other.encoding == var.encoding, (path, name)
                assert type(other._data) is type(var._data), (path, name)
            compared += 1
    assert compared > 100
