"""Errors name the file (and record, offset); OS errors keep errno and subclass the
matching builtin; misuse raises UsageError with a message that says what is valid."""

from __future__ import annotations

import errno
import shutil

import pytest

import fst24
from conftest import DATA019


def test_missing_file_is_a_file_not_found_error(tmp_path):
    missing = tmp_path / "missing.fst"
    for call in (lambda: fst24.open(missing), lambda: fst24.File(missing),
                 lambda: fst24.read_metadata(missing), lambda: fst24.to_xarray(missing)):
        with pytest.raises(FileNotFoundError) as e:
            call()
        assert isinstance(e.value, fst24.NotFoundError) and isinstance(e.value, fst24.IoError)
        assert e.value.errno == errno.ENOENT
        assert e.value.filename == str(missing)
        assert "missing.fst" in str(e.value)


def test_directory_and_existing_file(tmp_path):
    with pytest.raises(IsADirectoryError) as e:
        fst24.open(tmp_path)
    assert isinstance(e.value, fst24.IoError) and e.value.errno == errno.EISDIR
    assert str(tmp_path) in str(e.value)
    existing = tmp_path / "x.fst"
    shutil.copy(DATA019 / "d065_n16.fst", existing)
    with pytest.raises(FileExistsError) as e:
        fst24.open(existing, "w")
    assert isinstance(e.value, fst24.ExistsError) and e.value.errno == errno.EEXIST
    assert e.value.filename == str(existing)


def _junk(tmp_path):
    junk = tmp_path / "junk.fst"
    junk.write_bytes(b"this is not a standard file at all" * 10)
    return junk


def test_many_files_name_the_bad_one(tmp_path):
    good = DATA019 / "d065_n16.fst"
    junk = _junk(tmp_path)
    with pytest.raises(fst24.FormatError) as e:
        fst24.read_metadata([good, junk])
    assert str(junk) in str(e.value) and "offset" in str(e.value)
    with pytest.raises(fst24.FormatError) as e:
        fst24.to_xarray([good, junk])
    assert str(junk) in str(e.value)


def test_usage_errors_say_what_is_valid(tmp_path):
    with pytest.raises(fst24.UsageError) as e:
        fst24.set_memory_limit(-1)
    assert isinstance(e.value, ValueError) and "positive" in str(e.value)
    with pytest.raises(fst24.UsageError):
        fst24.set_memory_limit(2**70)
    with pytest.raises(fst24.UsageError):
        fst24.set_memory_limit(0)
    fst24.set_memory_limit(None)
    with pytest.raises(fst24.UsageError) as e:
        fst24.open(DATA019 / "d065_n16.fst", "rw")  # type: ignore[call-overload]
    msg = str(e.value)
    assert '"rw"' in msg and '"r"' in msg and '"w"' in msg and '"a"' in msg
    assert "read-only" not in msg


def test_limit_error_names_the_file():
    with fst24.open(DATA019 / "d065_n16.fst") as f:
        fst24.set_memory_limit(16)
        try:
            for call in (lambda: f.read(0), lambda: f.read([0])):
                with pytest.raises(fst24.LimitError) as e:
                    call()
                assert "d065_n16.fst" in str(e.value)
        finally:
            fst24.set_memory_limit(None)
