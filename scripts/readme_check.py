#!/usr/bin/env python3
"""Runs the code blocks of README.md exactly as written, against the sample file the
repository ships, and type-checks the Python ones.

Each ```python block runs in a fresh directory where the file names the README uses
(`a.fst`, `b.fst`, `model_output.fst`) are copies of the sample; then mypy (default
mode) and pyright check it. Each ```rust block becomes the body of
`fn main() -> Result<(), Box<dyn Error>>` in a throwaway crate depending on `core/`,
built into the workspace's target directory and run the same way.

Usage: scripts/readme_check.py [--python-only]   (from bindings-python/ci.sh, in its venv)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fstd2nc_compare" / "data" / "bench_small.fst"
NAMES = ("a.fst", "b.fst", "model_output.fst")


def blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    found = re.findall(r"^```" + language + r"\n(.*?)^```", text, flags=re.S | re.M)
    if not found:
        sys.exit(f"README.md has no ```{language} block")
    return found


def workdir() -> Path:
    d = Path(tempfile.mkdtemp(prefix="fst24-readme-"))
    for name in NAMES:
        shutil.copy(SAMPLE, d / name)
    return d


def run(cmd: list[str], cwd: Path, what: str) -> None:
    print(f"readme_check: {what}", flush=True)
    done = subprocess.run(cmd, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"readme_check: {what} failed (exit {done.returncode})")


def check_python() -> None:
    for i, code in enumerate(blocks("python")):
        d = workdir()
        snippet = d / f"readme_{i}.py"
        snippet.write_text(code)
        run([sys.executable, snippet.name], d, f"python block {i} runs")
        run([sys.executable, "-m", "mypy", "--no-incremental", snippet.name], d,
            f"mypy on python block {i}")
        run([sys.executable, "-m", "pyright", snippet.name], d, f"pyright on python block {i}")
        shutil.rmtree(d)


def check_rust() -> None:
    for i, code in enumerate(blocks("rust")):
        d = workdir()
        crate = d / "snippet"
        (crate / "src").mkdir(parents=True)
        (crate / "Cargo.toml").write_text(
            f'[package]\nname = "readme-snippet"\nversion = "0.0.0"\nedition = "2021"\n'
            f'publish = false\n\n[dependencies]\nfst24 = {{ path = "{ROOT / "core"}" }}\n\n'
            f"[workspace]\n"
        )
        body = "\n".join("    " + line for line in code.splitlines())
        (crate / "src" / "main.rs").write_text(
            "#![allow(unused)]\n"
            "fn main() -> Result<(), Box<dyn std::error::Error>> {\n"
            f"{body}\n    Ok(())\n}}\n"
        )
        target = ROOT / "target"
        env = dict(os.environ, CARGO_TARGET_DIR=str(target))
        print(f"readme_check: rust block {i} builds and runs", flush=True)
        build = subprocess.run(
            ["cargo", "build", "-q", "--manifest-path", str(crate / "Cargo.toml")],
            env=env,
        )
        if build.returncode != 0:
            sys.exit(f"readme_check: rust block {i} does not build")
        run([str(target / "debug" / "readme-snippet")], d, f"rust block {i} runs")
        shutil.rmtree(d)


if __name__ == "__main__":
    check_python()
    if "--python-only" not in sys.argv:
        check_rust()
    print("readme_check: every README block ran", flush=True)
