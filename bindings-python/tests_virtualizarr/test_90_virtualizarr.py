"""VirtualiZarr (2.x, from PyPI): FST files as ManifestStores of ManifestArrays whose
chunks are the records' byte ranges and whose codec is ``fst24`` (``fst24.virtual``).

Read through zarr v3 the stores equal ``fst24.to_xarray`` bit for bit (the corpus, XDF
and RSF, local files and through a real nginx via obstore); written back as Kerchunk
references (``fst24.virtual.to_kerchunk``: VirtualiZarr's writer + repairs), they read
back with plain zarr the same; VirtualiZarr's own ``open_virtual_dataset`` with the
parser, over hourly files combined with xarray, reads back as ``to_xarray`` reads all
the files."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
import xarray as xr
from obspec_utils.registry import ObjectStoreRegistry
from obstore.store import HTTPStore, LocalStore
from virtualizarr import open_virtual_dataset
from virtualizarr.manifests import ManifestArray

import fst24
import fst24.virtual
from servers import Nginx
from test_81_references import CORPUS, assert_same_dataset, open_refs, write_hourly


# XDF and RSF, +64 missing values, turbo, integers, scalar coordinates (CI time: a subset
# of test_81's corpus, which covers every packing through the same plan).
VZ_CORPUS = [p for p in CORPUS if p.name in (
    "mixed_xdf.fst", "mixed_rsf.fst", "mini_gem.fst", "d065_n16.fst", "d133_n16.fst",
    "d002_n16.fst", "d004_n16.fst")]


def local_registry() -> ObjectStoreRegistry:
    return ObjectStoreRegistry({"file://": LocalStore()})


def read_store(store) -> xr.Dataset:
    return xr.open_zarr(store, zarr_format=3, consolidated=False, chunks=None)


@pytest.mark.parametrize("path", VZ_CORPUS, ids=lambda p: p.name)
def test_manifest_store_reads_like_to_xarray(corpus_present, path, tmp_path):
    assert len(VZ_CORPUS) == 7
    registry = local_registry()
    want = fst24.to_xarray(path)
    assert_same_dataset(read_store(fst24.virtual.manifest_store(path, registry)), want)
    # Written back as Kerchunk JSON (scalar coordinates, integer variables, holes).
    vds = fst24.virtual.open_virtual_dataset(path, registry)
    out = tmp_path / "refs.json"
    fst24.virtual.to_kerchunk(vds, out)
    assert_same_dataset(open_refs(str(out)), want)


def test_manifest_arrays_carry_the_fst24_codec(corpus_present):
    path = CORPUS[0]
    vds = fst24.virtual.open_virtual_dataset(path, local_registry())
    want = fst24.to_xarray(path)
    assert set(vds.data_vars) == set(want.data_vars)
    for name, var in vds.data_vars.items():
        assert isinstance(var.data, ManifestArray), name
        codecs = [c.to_dict()["name"] for c in var.data.metadata.codecs]
        assert codecs == ["bytes", "fst24"], (name, codecs)
        paths = {e["path"] for e in var.data.manifest.dict().values()}
        assert paths == {"file://" + os.path.abspath(path)}, name
    for name in want.coords:  # computed from the keys: loaded, not virtual
        assert isinstance(vds[name].variable.data, np.ndarray), name


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_hourly_files_combined_and_written_as_kerchunk(tmp_path, backend):
    """VirtualiZarr's open_virtual_dataset with the fst24 parser on each hourly file,
    xarray's concat along time, Kerchunk JSON out: plain zarr reads it as to_xarray
    reads the files."""
    paths = write_hourly(tmp_path / backend, 5, backend)
    registry = local_registry()
    coords = list(fst24.to_xarray(paths[0]).coords)
    parts = [
        open_virtual_dataset("file://" + str(p), registry=registry,
                             parser=fst24.virtual.FstParser(), loadable_variables=coords)
        for p in paths
    ]
    combined = xr.concat(parts, dim="time", coords="minimal", compat="override",
                         combine_attrs="override")
    want = fst24.to_xarray(paths)
    assert want.sizes["time"] == 5
    # VirtualiZarr's own writer: right for these (real) variables.
    out = tmp_path / "run.json"
    combined.vz.to_kerchunk(str(out), format="json")
    refs = json.loads(out.read_text())["refs"]
    assert json.loads(refs["TT/.zarray"])["filters"][0]["id"] == "fst24"
    assert_same_dataset(open_refs(str(out)), want)
    # fst24.virtual.to_kerchunk: JSON and parquet.
    fst24.virtual.to_kerchunk(combined, tmp_path / "fixed.json")
    assert_same_dataset(open_refs(str(tmp_path / "fixed.json")), want)
    fst24.virtual.to_kerchunk(combined, tmp_path / "run.parq", format="parquet")
    assert_same_dataset(open_refs(str(tmp_path / "run.parq")), want)
    # Planned at once (to_xarray's layout): the same store, read directly.
    assert_same_dataset(read_store(fst24.virtual.manifest_store(paths, registry)), want)


def test_chunks_over_http(corpus_present, tmp_path):
    """Chunks at nginx URLs, read through obstore's HTTP store."""
    root = tmp_path / "www"
    root.mkdir()
    paths = [CORPUS[0], CORPUS[1]]  # XDF, RSF
    for p in paths:
        shutil.copy(p, root / p.name)
    server = Nginx(root, tmp_path / "nginx")
    try:
        store = HTTPStore.from_url(server.url, client_options={"allow_http": True})
        registry = ObjectStoreRegistry({server.url: store})
        for p in paths:
            url = f"{server.url}/{p.name}"
            mark = server.mark()
            # Listed from the local copy, chunks at the server.
            made = fst24.virtual.manifest_store(p, registry, urls=[url])
            assert server.fetched_since(mark)[0] == 0
            assert_same_dataset(read_store(made), fst24.to_xarray(p))
            assert server.fetched_since(mark, p.name)[0] > 0
            # Listed through the server itself (fst24's fsspec route).
            parser = fst24.virtual.FstParser()
            assert_same_dataset(read_store(parser(url, registry)), fst24.to_xarray(p))
    finally:
        server.close()
