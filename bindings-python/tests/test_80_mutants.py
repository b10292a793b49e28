"""Structure-aware mutants of the reference corpus (one size/offset/count/key field set to a
boundary value, written by the core's `write_mutants` example) through every Python read
path: open, read_metadata, read, read_many, read_into, to_xarray (+ loading what fits).

Each mutant runs in a worker subprocess with an address-space cap (RLIMIT_AS) and a
timeout: every call must return or raise an ``fst24.Error`` subclass. A builtin exception,
a crash (abort, signal, MemoryError from the cap) or a hang fails the test, naming the
mutant. ``FST24_MUTANTS=all`` (or a number per file) replaces the CI sample of 2 per file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("FST24_SHARED", REPO.parent / "shared"))
PER_FILE = os.environ.get("FST24_MUTANTS", "2")
# Address space of one worker (Python + numpy + xarray + polars reserve ~1.5 GB by themselves).
ADDRESS_SPACE = 4 << 30
MEMORY_LIMIT = 64 << 20
BATCH = 40
TIMEOUT = 600

WORKER = r'''
import json, resource, sys, warnings
resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
import numpy as np
import fst24
warnings.simplefilter("ignore")
fst24.set_memory_limit(MEMORY_LIMIT)

def attempt(results, what, fn):
    try:
        fn()
    except fst24.Error:
        pass
    except BaseException as e:  # a builtin exception is a finding
        results.append(f"{what}: {type(e).__name__}: {e}"[:400])

def surfaces(path):
    bad = []
    attempt(bad, "read_metadata", lambda: fst24.read_metadata(path))
    try:
        f = fst24.open(path)
    except fst24.Error:
        return bad
    except BaseException as e:
        return bad + [f"open: {type(e).__name__}: {e}"[:400]]
    with f:
        keys = []
        def listing():
            keys.extend(r.key for r in f)
            f.to_polars()
        attempt(bad, "list", listing)
        for k in keys:
            attempt(bad, f"read({k})", lambda: f.read(k))
        attempt(bad, "read(all)", lambda: f.read(keys))
        attempt(bad, "read_many", lambda: f.read_many(keys))
        attempt(bad, "read_many(reversed)", lambda: f.read_many(keys[::-1]))
        for k in keys:
            def into(k=k):
                r = f.record(k)
                if r.ni * r.nj * r.nk * 8 > MEMORY_LIMIT:
                    return
                a = f.read(k)
                out = np.zeros_like(a, order="F")
                f.read_into(k, out)
                if not np.array_equal(out, a, equal_nan=a.dtype.kind in "fc"):
                    raise AssertionError(f"read_into({k}) differs from read({k})")
            attempt(bad, f"read_into({k})", into)
        def xr():
            ds = f.to_xarray()
            for name, var in ds.variables.items():
                if var.nbytes <= MEMORY_LIMIT:
                    try:
                        var.load()
                    except fst24.Error:
                        pass
        attempt(bad, "to_xarray", xr)
    return bad

for line in sys.stdin:
    path = line.strip()
    print(json.dumps([path, surfaces(path)]), flush=True)
'''.replace("ADDRESS_SPACE", str(ADDRESS_SPACE)).replace("MEMORY_LIMIT", str(MEMORY_LIMIT))


def _write_mutants(out: Path) -> dict[str, str]:
    subprocess.run(
        ["cargo", "run", "-q", "-p", "fst24", "--example", "write_mutants", "--",
         str(out), str(SHARED / "data"), PER_FILE],
        cwd=REPO, check=True,
    )
    index = {}
    for line in (out / "index.tsv").read_text().splitlines():
        name, label = line.split("\t", 1)
        index[str(out / name)] = label
    return index


def _run(paths: list[str]) -> tuple[dict[str, list[str]], str]:
    """Runs a worker over `paths`: findings per finished path, and how the worker ended."""
    done: dict[str, list[str]] = {}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", WORKER], input="\n".join(paths) + "\n",
            capture_output=True, text=True, timeout=TIMEOUT,
        )
        end = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr[-300:]}"
        out = proc.stdout
    except subprocess.TimeoutExpired as e:
        end = f"no answer in {TIMEOUT} s (hang)"
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    for line in out.splitlines():
        path, bad = json.loads(line)
        done[path] = bad
    return done, end


def _failures(index: dict[str, str]) -> list[str]:
    """Runs every path of `index` (path -> label) in batches; the findings, labelled."""
    paths = sorted(index)
    failures = []
    for start in range(0, len(paths), BATCH):
        rest = paths[start:start + BATCH]
        while rest:
            done, end = _run(rest)
            for path, bad in done.items():
                failures += [f"{index[path]}: {b}" for b in bad]
            if end == "ok":
                break
            # The worker died on the first unfinished mutant: name it, go on after it.
            culprit = next(p for p in rest if p not in done)
            failures.append(f"{index[culprit]}: worker {end}")
            rest = rest[rest.index(culprit) + 1:]
    return failures


def test_mutants_through_every_python_read_path(tmp_path):
    index = _write_mutants(tmp_path / "mutants")
    assert len(index) > 200, len(index)
    failures = _failures(index)
    print(f"ran {len(index)} mutants through the Python read paths, {len(failures)} failures")
    _judge(failures)


def test_mutant_regressions_through_every_python_read_path():
    """Mutants that once broke some surface (core/tests/regressions/mutants/)."""
    folder = REPO / "core" / "tests" / "regressions" / "mutants"
    index = {str(p): p.name for p in sorted(folder.iterdir())}
    assert index, f"no regression inputs in {folder}"
    _judge(_failures(index))


def _judge(failures: list[str]) -> None:
    assert not failures, "\n".join(failures)
