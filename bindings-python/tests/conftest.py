"""Shared fixtures: where the librmn reference corpus lives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# bindings-python/tests -> repository -> its parent holds shared/
SHARED = Path(os.environ.get("FST24_SHARED", Path(__file__).resolve().parents[3] / "shared"))
DATA019 = SHARED / "data" / "librmn019"
DATA20 = SHARED / "data" / "librmn20"


def _corpus(folder: Path) -> list[Path]:
    skip = {"index.json", "write_matrix.json"}
    return sorted(p for p in folder.glob("*.json") if p.name not in skip)


def files019() -> list[Path]:
    return _corpus(DATA019)


def files20() -> list[Path]:
    return _corpus(DATA20)


def load(path: Path) -> dict:
    with open(path) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def corpus_present() -> None:
    if not DATA019.is_dir() or not DATA20.is_dir():
        pytest.fail("reference corpus ../shared/data is missing (it must sit beside the repository)")


@pytest.fixture(scope="session", autouse=True)
def dask_scratch_under_tmp(tmp_path_factory):
    """dask keeps its scratch space (a distributed cluster's lock files, spilled data) under
    pytest's temporary directory, not in a /tmp/dask-scratch-space the run leaves behind."""
    import dask

    with dask.config.set({"temporary-directory": str(tmp_path_factory.mktemp("dask"))}):
        yield


@pytest.fixture
def mixed_xdf(corpus_present) -> Path:
    return DATA20 / "mixed_xdf.fst"


@pytest.fixture
def mixed_rsf(corpus_present) -> Path:
    return DATA20 / "mixed_rsf.fst"


# A skipped test is a test that did not run: under CI (and by default) every skip — a missing
# corpus, a peer that failed to import, a generator that could not write its file — fails the
# run. Set FST24_ALLOW_SKIPS=1 for a local run on a machine without the peers.
_ALLOW_SKIPS = os.environ.get("FST24_ALLOW_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not _ALLOW_SKIPS and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped tests fail the run (FST24_ALLOW_SKIPS=1 to allow): {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not _ALLOW_SKIPS:
        report.outcome = "failed"
        report.longrepr = f"a module skipped at import fails the run: {report.longrepr}"
