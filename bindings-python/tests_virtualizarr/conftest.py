"""The VirtualiZarr tests run in their own environment (virtualizarr needs numpy >= 2,
the main one keeps numpy < 2 for librmn's bindings): the main suite's fixtures, skip
policy and helpers, loaded from ../tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))

_spec = importlib.util.spec_from_file_location("fst24_main_conftest", TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_main = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_main)

SHARED = _main.SHARED
DATA019 = _main.DATA019
DATA20 = _main.DATA20
corpus_present = _main.corpus_present
pytest_runtest_makereport = _main.pytest_runtest_makereport
pytest_make_collect_report = _main.pytest_make_collect_report
