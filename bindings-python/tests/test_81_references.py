"""Virtual Zarr references: plain zarr (through fsspec's reference filesystem and the
``fst24`` numcodecs codec) reads FST files bit for bit as ``fst24.to_xarray`` does, from
Kerchunk JSON and Kerchunk parquet references, of local files and through a real nginx;
many hourly files make one dataset with a time axis; a dask.distributed LocalCluster of
worker processes computes the same through both routes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import fst24
from conftest import DATA019, DATA20
from servers import Nginx

# XDF and RSF; R16, E32, F, turbo (133, 134), +64 missing reals and integers, ints.
CORPUS = [
    DATA20 / "mixed_xdf.fst",
    DATA20 / "mixed_rsf.fst",
    DATA20 / "appended_xdf.fst",
    DATA20 / "appended_rsf.fst",
    DATA20 / "deleted_rsf.fst",
    DATA019 / "mini_gem.fst",
    DATA019 / "d065_n16.fst",
    DATA019 / "d133_n16.fst",
    DATA019 / "d134_n16.fst",
    DATA019 / "d006_n16.fst",
    DATA019 / "d005_n32.fst",
    DATA019 / "d002_n16.fst",
    DATA019 / "d004_n16.fst",
]


FORMATS = ["json", "parquet"]


def make_refs(paths, fmt: str, folder: Path, **options):
    """The references of `paths` as fsspec's ``fo`` takes them: the JSON dict, or the
    parquet directory written into `folder`."""
    if fmt == "json":
        return fst24.to_references(paths, **options)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "refs.parq"
    fst24.to_references(paths, out, format="parquet", **options)
    return str(out)


def open_refs(refs, **storage) -> xr.Dataset:
    return xr.open_dataset(
        "reference://",
        engine="zarr",
        backend_kwargs={"consolidated": False, "storage_options": {"fo": refs, **storage}},
        chunks=None,
    )


def assert_same_dataset(got: xr.Dataset, want: xr.Dataset) -> None:
    """Same variables, coordinates, dims, attributes and values bit for bit."""
    assert set(got.data_vars) == set(want.data_vars)
    assert set(got.coords) == set(want.coords)
    assert dict(got.sizes) == dict(want.sizes)
    for name, var in list(want.data_vars.items()) + list(want.coords.items()):
        g = got[name]
        assert g.dims == var.dims, name
        a = np.ascontiguousarray(g.values)
        b = np.ascontiguousarray(var.values)
        assert a.dtype == b.dtype and a.shape == b.shape, (name, a.dtype, b.dtype)
        assert a.tobytes() == b.tobytes(), name
        for key, value in var.attrs.items():
            assert key in g.attrs, (name, key)
            assert np.array_equal(np.asarray(g.attrs[key]), np.asarray(value)), (name, key)
    assert {k: v for k, v in got.attrs.items() if k != "coordinates"}.keys() == want.attrs.keys()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_references_read_like_to_xarray(corpus_present, path, fmt, tmp_path):
    refs = make_refs(path, fmt, tmp_path)
    got = open_refs(refs)
    want = fst24.to_xarray(path)
    assert_same_dataset(got, want)
    if fmt == "json":
        assert refs["version"] == 1
        # Every data chunk is one record's byte range of the file.
        for key, ref in refs["refs"].items():
            if isinstance(ref, list):
                assert ref[0] == os.path.abspath(path) and ref[2] > 0


def test_codec_is_registered_and_lazy(corpus_present, tmp_path):
    import numcodecs

    codec = numcodecs.get_codec(
        {"id": "fst24", "byte_order": "big", "datyp": 5, "nbits": 32, "data_bits": 32,
         "ni": 2, "nj": 1, "nk": 1, "dtype": "float32", "missing": False}
    )
    words = np.array([1.5, -2.0], dtype=">f4").tobytes()
    assert codec.decode(words).tolist() == [1.5, -2.0]
    with pytest.raises(fst24.Error):
        codec.encode(np.zeros(2, np.float32))
    path = DATA019 / "mini_gem.fst"
    out = tmp_path / "refs.json"
    fst24.to_references(path, out)
    ds = xr.open_dataset(
        "reference://", engine="zarr",
        backend_kwargs={"consolidated": False, "storage_options": {"fo": str(out)}},
        chunks={},
    )
    name = next(iter(ds.data_vars))
    assert ds[name].chunks is not None  # lazy dask array of one record per chunk


@pytest.mark.parametrize("fmt", FORMATS)
def test_references_over_http(corpus_present, tmp_path, fmt):
    root = tmp_path / "www"
    root.mkdir()
    paths = [DATA20 / "mixed_xdf.fst", DATA20 / "mixed_rsf.fst"]
    for p in paths:
        shutil.copy(p, root / p.name)
    server = Nginx(root, tmp_path / "nginx")
    try:
        for p in paths:
            url = f"{server.url}/{p.name}"
            # Made from the local copy, pointing at the server.
            refs = make_refs(p, fmt, tmp_path / f"local-{p.name}", urls=[url])
            mark = server.mark()
            # zarr 3 opens the reference filesystem asynchronously: so must be its target.
            remote = {"remote_options": {"asynchronous": True}}
            got = open_refs(refs, **remote)
            assert server.fetched_since(mark)[0] == 0  # metadata is local: no request yet
            assert_same_dataset(got, fst24.to_xarray(p))
            assert server.fetched_since(mark)[0] > 0
            # Made through the server itself.
            made = make_refs(url, fmt, tmp_path / f"remote-{p.name}")
            assert_same_dataset(open_refs(made, **remote), fst24.to_xarray(p))
            if fmt == "parquet":
                # The parquet references themselves served by the same server.
                shutil.copytree(made, root / f"{p.name}.parq")
                mark = server.mark()
                got = open_refs(f"{server.url}/{p.name}.parq/", **remote)
                assert_same_dataset(got, fst24.to_xarray(p))
                assert server.fetched_since(mark, f"/{p.name}.parq/")[0] >= 2
    finally:
        server.close()


def write_hourly(folder: Path, hours: int, backend: str) -> list:
    """`hours` files of one model run, TT (3 levels, R16) and P0 (E32, +64 missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    with fst24.open(DATA019 / "mini_gem.fst") as f:
        dateo = f[0].dateo  # a real date stamp
    rng = np.random.default_rng(11)
    paths = []
    for h in range(hours):
        path = folder / f"2024010100_{h:03d}.fst"
        with fst24.open(path, "w", backend=backend) as w:
            for k, ip1 in enumerate((95529772, 95364364, 95199200)):
                tt = rng.standard_normal((12, 9)).astype(np.float32) + 250 + k
                w.write(np.asfortranarray(tt), nomvar="TT", ip1=ip1, ip2=h, npas=h * 6,
                        deet=600, dateo=dateo, datyp=1, nbits=16, grtyp="X")
            p0 = rng.standard_normal((12, 9)).astype(np.float32)
            w.write(np.asfortranarray(p0), nomvar="P0", ip1=0, ip2=h, npas=h * 6, deet=600,
                    dateo=dateo, datyp=5, nbits=32, grtyp="X")
        paths.append(path)
    return paths


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_hourly_files_make_one_time_axis(tmp_path, backend, fmt):
    paths = write_hourly(tmp_path / backend, 6, backend)
    refs = make_refs(paths, fmt, tmp_path)
    got = open_refs(refs)
    want = fst24.to_xarray(paths)
    assert want.sizes["time"] == 6
    assert_same_dataset(got, want)
    if fmt == "json":
        # Each chunk names its own file.
        urls = {ref[0] for ref in refs["refs"].values() if isinstance(ref, list)}
        assert urls == {os.path.abspath(p) for p in paths}


def test_mixed_packing_in_one_variable_is_refused(tmp_path):
    path = tmp_path / "mixed.fst"
    with fst24.open(path, "w") as w:
        for k, nbits in enumerate((16, 32)):
            w.write(np.ones((4, 3), np.float32, order="F"), nomvar="TT", ip1=1000 + k,
                    datyp=5 if nbits == 32 else 1, nbits=nbits, grtyp="X")
    with pytest.raises(fst24.UnsupportedError, match="TT"):
        fst24.to_references(path)


def test_references_json_is_kerchunk_v1(tmp_path):
    paths = write_hourly(tmp_path / "x", 2, "xdf")
    out = tmp_path / "refs.json"
    fst24.to_references(paths, out)
    refs = json.loads(out.read_text())
    assert refs["version"] == 1
    zarray = json.loads(refs["refs"]["TT/.zarray"])
    assert zarray["compressor"]["id"] == "fst24"
    assert zarray["chunks"][-2:] == [9, 12]


@pytest.mark.parametrize("engine", ["pyarrow", "fastparquet"])
def test_parquet_layout_is_kerchunks(tmp_path, monkeypatch, engine):
    """.zmetadata + <array>/refs.<i>.parq of `record_size` rows in chunk order, as fsspec's
    LazyReferenceMapper reads them; written by either parquet engine."""
    import pandas as pd

    import fst24._parquet_refs as parquet_refs

    monkeypatch.setattr(parquet_refs, "_engine", lambda chosen: engine)
    paths = write_hourly(tmp_path / "x", 5, "xdf")
    out = tmp_path / "refs.parq"
    refs = fst24.to_references(paths, out, format="parquet", record_size=4)["refs"]
    root = json.loads((out / ".zmetadata").read_text())
    assert root["record_size"] == 4
    zarray = root["metadata"]["TT/.zarray"]
    assert zarray["compressor"]["id"] == "fst24"
    grid = [-(-s // c) for s, c in zip(zarray["shape"], zarray["chunks"])]
    assert int(np.prod(grid)) == 15  # 5 hours x 3 levels
    assert sorted(os.listdir(out / "TT")) == [f"refs.{i}.parq" for i in range(4)]
    for record in range(4):
        frame = pd.read_parquet(out / "TT" / f"refs.{record}.parq", engine="fastparquet")
        assert list(frame.columns) == ["path", "offset", "size", "raw"]
        assert len(frame) == min(4, 15 - 4 * record)
        for row, (url, offset, size, raw) in enumerate(frame.itertuples(index=False)):
            index = np.unravel_index(record * 4 + row, grid)
            want = refs["TT/" + ".".join(str(int(i)) for i in index)]
            assert [url, int(offset), int(size)] == want and raw is None
    # Coordinates are inline (raw) rows.
    frame = pd.read_parquet(out / "time" / "refs.0.parq", engine="fastparquet")
    assert frame["path"].isna().all() and len(frame["raw"][0]) == 5 * 8
    want = fst24.to_xarray(paths)
    assert_same_dataset(open_refs(str(out)), want)
    # The root file is also zarr consolidated metadata.
    consolidated = xr.open_dataset(
        "reference://", engine="zarr", chunks=None,
        backend_kwargs={"consolidated": True, "storage_options": {"fo": str(out)}},
    )
    assert_same_dataset(consolidated, want)


def test_parquet_output_never_overwrites(tmp_path):
    path = DATA019 / "mini_gem.fst"
    taken = tmp_path / "taken"
    taken.write_bytes(b"mine")
    with pytest.raises(fst24.UsageError, match="exists"):
        fst24.to_references(path, taken, format="parquet")
    assert taken.read_bytes() == b"mine"
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    with pytest.raises(fst24.UsageError, match="exists"):
        fst24.to_references(path, full, format="parquet")
    assert os.listdir(full) == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    fst24.to_references(path, empty, format="parquet")
    assert (empty / ".zmetadata").is_file()
    with pytest.raises(fst24.UsageError, match="output"):
        fst24.to_references(path, format="parquet")
    with pytest.raises(fst24.UsageError, match="format"):
        fst24.to_references(path, tmp_path / "x", format="yaml")
    # overwrite=True replaces parquet references, and nothing else.
    with pytest.raises(fst24.UsageError, match="not a directory of parquet references"):
        fst24.to_references(path, full, format="parquet", overwrite=True)
    assert os.listdir(full) == ["keep.txt"]
    other = DATA019 / "d005_n32.fst"
    fst24.to_references(other, empty, format="parquet", overwrite=True)
    assert_same_dataset(open_refs(str(empty)), fst24.to_xarray(other))
    # JSON: an existing file is refused unless overwrite=True; a directory always.
    with pytest.raises(fst24.UsageError, match="exists"):
        fst24.to_references(path, taken)
    assert taken.read_bytes() == b"mine"
    fst24.to_references(path, taken, overwrite=True)
    assert json.loads(taken.read_text())["version"] == 1
    with pytest.raises(fst24.UsageError, match="exists"):
        fst24.to_references(path, full, overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["empty", "full", "taken"]  # no staging left


def test_dask_distributed_both_routes(tmp_path):
    """A LocalCluster of 2 worker processes over 60 files, through the fst24 backend and
    through the references; both equal the serial read."""
    from dask.distributed import Client, LocalCluster

    paths = write_hourly(tmp_path / "run", 60, "rsf")
    serial = fst24.to_xarray(paths).load()
    refs = fst24.to_references(paths)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        backend = fst24.to_xarray(paths, chunks={})
        by_backend = backend.compute()
        by_refs = open_refs(refs).chunk({"time": 1}).compute()
        mean = float(backend["TT"].mean().compute())
    for ds in (by_backend, by_refs):
        for name in serial.data_vars:
            assert ds[name].values.tobytes() == serial[name].values.tobytes(), name
    assert mean == float(serial["TT"].mean())


@pytest.mark.parametrize("forecast_axis", [False, True])
def test_ensembles_and_forecast_axis(forecast_axis):
    path = Path(__file__).resolve().parents[2] / "tests" / "fstd2nc_compare" / "data" / "ensembles.fst"
    options = {"ensembles": True, "forecast_axis": forecast_axis}
    got = open_refs(fst24.to_references(path, **options))
    assert_same_dataset(got, fst24.to_xarray(path, **options))
