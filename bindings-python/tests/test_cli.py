"""The `fst24` console script shipped in the wheel runs the Rust command line."""

import subprocess
import sys

from conftest import DATA20

import fst24._fst24 as ext


def run(*args):
    # `python -m fst24._cli` is what the `fst24` console script calls.
    return subprocess.run([sys.executable, "-m", "fst24._cli", *args], capture_output=True, text=True)


def test_info_lists_rsf_segments():
    path = str(DATA20 / "appended_rsf.fst")
    out = run("info", path)
    assert out.returncode == 0, out.stderr
    assert "backend      rsf" in out.stdout.lower()
    with fst24_open(path) as f:
        assert f"records      {len(f)} live" in out.stdout
    assert "segments" in out.stdout


def test_exit_codes():
    assert run("info", "/nonexistent/file.fst").returncode == 1
    assert run("no-such-command").returncode == 2
    assert run("--version").returncode == 0


def test_cli_main_returns_the_status():
    assert ext.cli_main(["fst24", "ls", str(DATA20 / "appended_xdf.fst")]) == 0
    assert ext.cli_main(["fst24", "dump"]) == 2


def fst24_open(path):
    import fst24

    return fst24.open(path)
