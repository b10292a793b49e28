"""Remote files: fsspec URLs over a real nginx (HTTP range requests) and a real
S3-compatible server (moto's, an emulator), and Python file objects.

Every test compares with the local read of the same file, and the byte counts come from
nginx's access log (what really crossed the socket).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest

import fst24
from conftest import DATA019, DATA20
from servers import MotoS3, Nginx

# XDF and RSF, packings R/E/F/turbo, +64 missing values, integers, characters.
CORPUS = [
    DATA20 / "mixed_xdf.fst",
    DATA20 / "mixed_rsf.fst",
    DATA20 / "appended_rsf.fst",
    DATA20 / "deleted_xdf.fst",
    DATA019 / "mini_gem.fst",
    DATA019 / "d065_n16.fst",
    DATA019 / "d134_n16.fst",
    DATA019 / "d133_n16.fst",
    DATA019 / "d006_n16.fst",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory, corpus_present):
    """nginx serving a copy of CORPUS plus a larger file for the byte counts."""
    root = tmp_path_factory.mktemp("www")
    for p in CORPUS:
        shutil.copy(p, root / p.name)
    _write_big(root / "big.fst")
    server = Nginx(root, tmp_path_factory.mktemp("nginx"))
    yield server, root
    server.close()


def _write_big(path: Path) -> None:
    """120 records of 256x128 float32 (E32, 128 KiB each, 15 MiB in all): 3 variables
    of 40 levels."""
    rng = np.random.default_rng(7)
    with fst24.open(path, "w", backend="xdf") as w:
        for name in ("TT", "UU", "VV"):
            for k in range(40):
                field = rng.standard_normal((256, 128)).astype(np.float32)
                w.write(np.asfortranarray(field), nomvar=name, ip1=1000 + k, datyp=5, nbits=32,
                        grtyp="X")


def _same_table(a, b) -> None:
    cols = [c for c in a.columns if c != "path"]
    assert a.select(cols).equals(b.select(cols))


def _same_values(a: np.ndarray, b: np.ndarray) -> None:
    """Bit for bit (NaNs included)."""
    a = np.ascontiguousarray(a)
    b = np.ascontiguousarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_http_file_reads_like_the_local_file(served, path):
    server, _ = served
    url = f"{server.url}/{path.name}"
    with fst24.open(path) as local, fst24.open(url) as remote:
        assert remote.path == url
        assert remote.backend == local.backend
        assert len(remote) == len(local)
        _same_table(remote.to_polars(), local.to_polars())
        keys = [r.key for r in local]
        for got, want in zip(remote.read(keys), local.read(keys)):
            _same_values(got, want)
    _same_table(fst24.read_metadata([url]), fst24.read_metadata([path]))


def test_listing_reads_directories_not_data(served):
    server, root = served
    url = f"{server.url}/big.fst"
    size = (root / "big.fst").stat().st_size
    mark = server.mark()
    with fst24.open(url) as f:
        assert len(f) == 120
        requests, listed = server.fetched_since(mark, "/big.fst")
        # Header and directory pages only: a few blocks of the cache, not the 15 MiB.
        assert listed < size / 10, (listed, size)
        mark = server.mark()
        ds = f.to_xarray()
        tt = ds["TT"].values
        requests, loaded = server.fetched_since(mark, "/big.fst")
    one_var = size / 3
    assert one_var * 0.9 < loaded < one_var * 1.3, (loaded, one_var)
    with fst24.open(root / "big.fst") as local:
        _same_values(tt, local.to_xarray()["TT"].values)


def test_read_many_fetches_records_concurrently(served):
    """File.read / read_many / read_into of many records on a URL fetch exactly the
    records' byte ranges (one request each, through fsspec's cat_ranges), not block after
    block; the values equal the local read; nothing fetched stays held after the call."""
    server, root = served
    url = f"{server.url}/big.fst"
    with fst24.open(url) as f, fst24.open(root / "big.fst") as local:
        source = fst24.remote._SOURCES[url]
        tt = local.find(nomvar="TT")
        keys = [r.key for r in tt]
        stored = sum(r.length for r in tt)
        mark = server.mark()
        got = f.read(keys)
        requests, fetched = server.fetched_since(mark, "/big.fst")
        assert requests == len(keys) and fetched == stored, (requests, fetched, stored)
        for a, b in zip(got, local.read(keys)):
            _same_values(a, b)
        assert source.blobs == {} and source.starts == []
        mark = server.mark()
        uu = [r.key for r in local.find(nomvar="UU")]
        outs = [np.empty((256, 128), np.float32, order="F") for _ in uu]
        f.read_into(uu, outs)
        assert server.fetched_since(mark, "/big.fst")[0] == len(uu)
        for a, b in zip(outs, local.read_many(uu)):
            _same_values(a, b)
        assert source.blobs == {}
        # A failing read still releases what it fetched.
        with pytest.raises(fst24.Error):
            f.read_into(uu, [np.empty((3, 3), np.float32, order="F") for _ in uu])
        assert source.blobs == {}


def test_read_many_prefetches_in_bounded_batches(served):
    """The records are fetched in rounds of at most the source's batch_bytes; a record
    larger than that is read on its own (block cache), never held ahead."""
    server, root = served
    url = f"{server.url}/big.fst"
    with fst24.open(url) as f, fst24.open(root / "big.fst") as local:
        source = fst24.remote._SOURCES[url]
        calls = []
        fetch = source.prefetch

        def counting(ranges):
            calls.append(len(ranges))
            assert sum(end - start for start, end in ranges) <= source.batch_bytes
            return fetch(ranges)

        source.prefetch = counting
        records = local.find(nomvar="VV")
        keys = [r.key for r in records]
        source.batch_bytes = 3 * max(r.length for r in records)
        mark = server.mark()
        for a, b in zip(f.read(keys), local.read(keys)):
            _same_values(a, b)
        assert calls == [3] * 13 + [1]  # 40 records, 3 a round
        assert server.fetched_since(mark, "/big.fst") == (40, sum(r.length for r in records))
        calls.clear()
        source.batch_bytes = 1000  # below one record: each is read alone
        for a, b in zip(f.read(keys[:5]), local.read(keys[:5])):
            _same_values(a, b)
        assert calls == [] and source.blobs == {}


def test_file_objects(served):
    _, root = served
    path = root / "mixed_rsf.fst"
    buffer = io.BytesIO(path.read_bytes())
    with fst24.open(buffer) as remote, fst24.open(path) as local:
        _same_table(remote.to_polars(), local.to_polars())
        for got, want in zip(remote.read(list(range(len(local)))), local.read(list(range(len(local))))):
            _same_values(got, want)
    with open(path, "rb") as handle:
        ds = fst24.to_xarray(handle)
        want = fst24.to_xarray(path)
        for name in want.data_vars:
            _same_values(ds[name].values, want[name].values)
    _same_table(fst24.read_metadata(io.BytesIO(path.read_bytes())), fst24.read_metadata(path))


def test_http_to_xarray_equals_local(served):
    server, _ = served
    for path in (DATA20 / "mixed_xdf.fst", DATA019 / "mini_gem.fst"):
        url = f"{server.url}/{path.name}"
        want = fst24.to_xarray(path)
        got = fst24.to_xarray(url, chunks={})
        assert set(got.data_vars) == set(want.data_vars)
        for name in want.data_vars:
            _same_values(got[name].values, want[name].values)


def test_http_errors_name_the_url(served):
    server, _ = served
    with pytest.raises(Exception) as info:
        fst24.open(f"{server.url}/no_such_file.fst")
    assert "no_such_file.fst" in str(info.value)
    with pytest.raises(fst24.UsageError):
        fst24.open(f"{server.url}/mixed_xdf.fst", "a")


@pytest.fixture(scope="module")
def s3(tmp_path_factory, corpus_present):
    server = MotoS3(tmp_path_factory.mktemp("moto"))
    import boto3  # moto's own dependency: fills the bucket

    client = boto3.client(
        "s3", endpoint_url=server.url, region_name="us-east-1",
        aws_access_key_id=server.KEY, aws_secret_access_key=server.SECRET,
    )
    client.create_bucket(Bucket="fst24-test")
    for p in (DATA20 / "mixed_xdf.fst", DATA20 / "mixed_rsf.fst"):
        client.upload_file(str(p), "fst24-test", p.name)
    yield server
    server.close()


def test_s3_emulator(s3):
    for name in ("mixed_xdf.fst", "mixed_rsf.fst"):
        local_path = DATA20 / name
        url = f"s3://fst24-test/{name}"
        with fst24.open(url, storage_options=s3.storage_options) as remote, fst24.open(
            local_path
        ) as local:
            _same_table(remote.to_polars(), local.to_polars())
            keys = [r.key for r in local]
            for got, want in zip(remote.read(keys), local.read(keys)):
                _same_values(got, want)
        got = fst24.to_xarray(url, storage_options=s3.storage_options)
        want = fst24.to_xarray(local_path)
        for var in want.data_vars:
            _same_values(got[var].values, want[var].values)
