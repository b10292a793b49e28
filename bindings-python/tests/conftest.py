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


@pytest.fixture
def mixed_xdf(corpus_present) -> Path:
    return DATA20 / "mixed_xdf.fst"


@pytest.fixture
def mixed_rsf(corpus_present) -> Path:
    return DATA20 / "mixed_rsf.fst"
